#!/usr/bin/env python3
"""Rebuilds server/data/lambda/runtimes.json and its manifest from the upstream registry packages.

Sources (downloaded with pip into a temporary folder; nothing is installed):
  * cfn-lint (MIT-0): cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json — deprecation,
    create-block and update-block dates and the successor of each runtime;
  * botocore (Apache-2.0): data/lambda/2015-03-31/service-2.json(.gz) — the Runtime enum of the API;
  * cfn-lint: the AWS::Lambda::Function registry schema — the Runtime enum CloudFormation accepts.

Usage: python3 server/data/lambda/update.py [--cfn-lint VERSION] [--botocore VERSION]
"""
import argparse
import datetime
import gzip
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def download(spec, dest):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "-d", dest],
        check=True,
    )
    name = spec.split("==")[0].replace("-", "_")
    wheel = next(p for p in pathlib.Path(dest).iterdir() if p.name.lower().startswith(name.lower()))
    return zipfile.ZipFile(wheel)


def family(runtime):
    for prefix in ("nodejs", "python", "java", "dotnet", "ruby", "go", "provided"):
        if runtime.startswith(prefix):
            return "dotnet" if prefix == "dotnet" else prefix
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cfn-lint", default="1.58.0")
    ap.add_argument("--botocore", default="1.44.8")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfn = download(f"cfn-lint=={args.cfn_lint}", tmp)
        boto = download(f"botocore=={args.botocore}", tmp)
        lifecycle = json.loads(cfn.read("cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json"))
        # Find the AWS::Lambda::Function schema by its typeName.
        cfn_enum = []
        for name in cfn.namelist():
            if name.startswith("cfnlint/data/schemas/resources/") and name.endswith(".json"):
                doc = json.loads(cfn.read(name))
                if doc.get("typeName") == "AWS::Lambda::Function":
                    cfn_enum = doc["properties"]["Runtime"].get("enum", [])
                    break
        model_name = "botocore/data/lambda/2015-03-31/service-2.json"
        names = boto.namelist()
        if model_name in names:
            model = json.loads(boto.read(model_name))
        else:
            model = json.loads(gzip.decompress(boto.read(model_name + ".gz")))
        api_enum = model["shapes"]["Runtime"]["enum"]

    ids = sorted(set(api_enum) | set(cfn_enum) | set(lifecycle))
    runtimes = []
    for rid in ids:
        life = lifecycle.get(rid, {})
        runtimes.append(
            {
                "id": rid,
                "family": family(rid),
                "in_api": rid in api_enum,
                "in_cloudformation": rid in cfn_enum,
                "deprecated": life.get("deprecated"),
                "create_block": life.get("create-block"),
                "update_block": life.get("update-block"),
                "successor": life.get("successor"),
            }
        )
    (HERE / "runtimes.json").write_text(json.dumps({"runtimes": runtimes}, indent=1) + "\n")
    manifest_path = HERE / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest["runtimes.json"] = {
        "sources": [
            {"package": "cfn-lint", "version": args.cfn_lint, "registry": "PyPI", "license": "MIT-0",
             "files": ["cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
                       "cfnlint/data/schemas/resources/*.json (AWS::Lambda::Function)"]},
            {"package": "botocore", "version": args.botocore, "registry": "PyPI", "license": "Apache-2.0",
             "files": ["botocore/data/lambda/2015-03-31/service-2.json (Runtime enum)"]},
        ],
        "generated": datetime.date.today().isoformat(),
        "script": "server/data/lambda/update.py",
        "counts": {"runtimes": len(runtimes), "with_lifecycle": sum(1 for r in runtimes if r["deprecated"])},
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(runtimes)} runtimes")


if __name__ == "__main__":
    main()
