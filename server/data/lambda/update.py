#!/usr/bin/env python3
"""Rebuilds server/data/lambda/runtimes.json and its manifest from the upstream registry packages.

Also writes schemas/ (the AWS::Lambda::Function and AWS::Serverless::Function resource schemas and the SAM
Globals schema), extensions.json (reserved environment keys, image exclusions, API bounds), attributes.json
(Fn::GetAtt attribute names per resource type) and NOTICE. limits.json is not generated: it records limits
from AWS documentation with their source and date, and is checked against the API bounds by the tests.

Sources (downloaded with pip into a temporary folder; nothing is installed):
  * cfn-lint (MIT-0): cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json — deprecation,
    create-block and update-block dates and the successor of each runtime;
  * botocore (Apache-2.0): data/lambda/2015-03-31/service-2.json(.gz) — the Runtime enum of the API;
  * cfn-lint: the AWS::Lambda::Function registry schema — the Runtime enum CloudFormation accepts.

  * osls (MIT), the maintained Serverless Framework v3 (npm pack into the temporary folder): the function,
    event and provider schema of serverless.yml, assembled by osls_schema.js with node.

Usage: python3 server/data/lambda/update.py [--cfn-lint VERSION] [--botocore VERSION] [--osls VERSION]
"""
import argparse
import ast
import datetime
import gzip
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
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


def osls_schema(version, dest):
    """The serverless.yml schema, assembled from the osls package's plugins by osls_schema.js."""
    subprocess.run(["npm", "pack", "--silent", f"osls@{version}"], cwd=dest, check=True, stdout=subprocess.DEVNULL)
    tgz = next(p for p in pathlib.Path(dest).iterdir() if p.name.startswith("osls-") and p.name.endswith(".tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    pkg = pathlib.Path(dest) / "package"
    out = subprocess.run(["node", str(HERE / "osls_schema.js"), str(pkg)], check=True, capture_output=True, text=True)
    license_text = next(p for p in pkg.iterdir() if p.name.upper().startswith("LICENSE")).read_text()
    return json.loads(out.stdout), license_text


def family(runtime):
    for prefix in ("nodejs", "python", "java", "dotnet", "ruby", "go", "provided"):
        if runtime.startswith(prefix):
            return "dotnet" if prefix == "dotnet" else prefix
    return "other"


SCHEMA_DROP = ("handlers", "tagging", "primaryIdentifier", "permissions", "insertionOrder")


def strip(node):
    """Drops the schema parts no check reads (handlers, tagging, permissions); keeps descriptions for hover."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in SCHEMA_DROP}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def schema_by_type(cfn, provider, type_name):
    index = json.loads(cfn.read(f"cfnlint/data/schemas/providers/{provider}.json"))
    return json.loads(cfn.read(f"cfnlint/data/schemas/resources/{index[type_name]}.json"))


# Where cfn-lint's generated SAM schema disagrees with what SAM accepts, the SAM behaviour wins. Each patch
# is listed in the manifest.
SAM_PATCHES = [
    (
        "definitions/CognitoEventProperties/properties/Trigger",
        {
            "description": "The Lambda trigger (or triggers) of the user pool: `PreSignUp`, "
                           "`PostConfirmation`, `CustomMessage`, ...",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
        "cfn-lint types it as the user pool's LambdaConfig object; SAM takes trigger names",
    ),
]


def patch(schema, patches):
    for pointer, value, _ in patches:
        *parents, last = pointer.split("/")
        node = schema
        for part in parents:
            node = node[part]
        node[last] = value
    return schema


def getatt_rules(cfn):
    """The tables cfn-lint's `_getatts.py` adds to the registry schemas (types whose every property is an
    attribute, per-type exceptions), read as Python literals so the logic below stays cfn-lint's."""
    tree = ast.parse(cfn.read("cfnlint/schema/_getatts.py"))
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id in ("_all_property_types", "_exceptions",
                                                              "_unnamed_unknown_types"):
                out[target.id] = ast.literal_eval(node.value)
    return out


def attributes(cfn):
    """`Fn::GetAtt` attribute names per resource type, computed the way cfn-lint's GetAtts does: the
    read-only properties of each registry schema, every property for the types it lists, its exceptions,
    and `Outputs.*` for nested stacks. `*` in a name matches any text."""
    rules = getatt_rules(cfn)
    all_props = set(rules.get("_all_property_types", []))
    exceptions = rules.get("_exceptions", {})
    unnamed = tuple(rules.get("_unnamed_unknown_types", ()))

    def walk(doc, node, path, names, depth=0):
        if depth > 20:
            return
        if "$ref" in node and node["$ref"].startswith("#/"):
            target = doc
            for part in node["$ref"][2:].split("/"):
                target = target.get(part, {})
            return walk(doc, target, path, names, depth + 1)
        types = node.get("type", [])
        types = types if isinstance(types, list) else [types]
        if "object" in types:
            for prop, value in node.get("properties", {}).items():
                walk(doc, value, path + [prop], names, depth + 1)
        elif "array" in types:
            if node.get("items", {}).get("type") not in ("object", "array"):
                names.add(".".join(path))
        else:
            names.add(".".join(path))

    out = {}
    for provider in ("us-east-1", "sam"):
        index = json.loads(cfn.read(f"cfnlint/data/schemas/providers/{provider}.json"))
        for type_name, digest in sorted(index.items()):
            doc = json.loads(cfn.read(f"cfnlint/data/schemas/resources/{digest}.json"))
            names = set()
            if type_name in all_props:
                for prop, value in doc.get("properties", {}).items():
                    walk(doc, value, [prop], names)
            else:
                names.update(exceptions.get(type_name, []))
                if type_name in ("AWS::CloudFormation::Stack", "AWS::Serverless::Application"):
                    names = {"Outputs.*"}
                else:
                    if unnamed and type_name.startswith(unnamed):
                        names.add("*")
                    for ptr in doc.get("readOnlyProperties", []):
                        if type_name == "AWS::ServiceCatalog::CloudFormationProvisionedProduct" and \
                                ptr == "/properties/Outputs":
                            names.add("Outputs.*")
                        else:
                            names.add(".".join(ptr.split("/")[2:]))
            out[type_name] = sorted(names)
    return out


def write_json(name, value, indent=None):
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    sep = None if indent else (",", ":")
    path.write_text(json.dumps(value, indent=indent, sort_keys=True, separators=sep) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cfn-lint", default="1.58.0")
    ap.add_argument("--botocore", default="1.44.8")
    ap.add_argument("--osls", default="4.3.1")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfn = download(f"cfn-lint=={args.cfn_lint}", tmp)
        boto = download(f"botocore=={args.botocore}", tmp)
        lifecycle = json.loads(cfn.read("cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json"))
        lambda_schema = schema_by_type(cfn, "us-east-1", "AWS::Lambda::Function")
        sam_schema = patch(schema_by_type(cfn, "sam", "AWS::Serverless::Function"), SAM_PATCHES)
        globals_schema = json.loads(cfn.read("cfnlint/data/schemas/other/sam/globals.json"))
        ext = "cfnlint/data/schemas/extensions/aws_lambda_function/"
        reserved = json.loads(cfn.read(ext + "environment_variable_keys.json"))["propertyNames"]["not"]["enum"]
        image_excl = json.loads(cfn.read(ext + "packagetype_image_exclusions.json"))["then"]["dependentExcluded"]["PackageType"]
        zip_pattern = json.loads(cfn.read(ext + "zipfile_runtime_enum.json"))["then"]["properties"]["Runtime"]["pattern"]
        getatts = attributes(cfn)
        cfn_license = cfn.read(next(n for n in cfn.namelist() if n.endswith("licenses/LICENSE"))).decode()
        boto_notice = next((boto.read(n).decode() for n in boto.namelist()
                            if n.endswith(".dist-info/NOTICE") or n.endswith("licenses/NOTICE")), "")
        cfn_enum = lambda_schema["properties"]["Runtime"].get("enum", [])
        model_name = "botocore/data/lambda/2015-03-31/service-2.json"
        names = boto.namelist()
        if model_name in names:
            model = json.loads(boto.read(model_name))
        else:
            model = json.loads(gzip.decompress(boto.read(model_name + ".gz")))
        api_enum = model["shapes"]["Runtime"]["enum"]
        api_bounds = {
            shape: {k: model["shapes"][shape][k] for k in ("min", "max", "pattern") if k in model["shapes"][shape]}
            for shape in ("Timeout", "MemorySize", "EphemeralStorageSize", "FunctionName", "Handler",
                          "ReservedConcurrentExecutions", "EnvironmentVariableName", "Description",
                          "LayerVersionArn", "ArchitecturesList")
        }
        timeout_doc = model["shapes"]["CreateFunctionRequest"]["members"]["Timeout"].get("documentation", "")
        serverless, osls_license = osls_schema(args.osls, tmp)

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
    write_json("schemas/aws-lambda-function.json", strip(lambda_schema))
    write_json("schemas/aws-serverless-function.json", strip(sam_schema))
    write_json("schemas/sam-globals.json", strip(globals_schema))
    write_json("schemas/serverless.json", serverless)
    write_json("extensions.json", {
        "reserved_environment_keys": reserved,
        "image_excluded_properties": image_excl,
        "zipfile_runtime_pattern": zip_pattern,
        "api_bounds": api_bounds,
    }, indent=1)
    write_json("attributes.json", getatts)
    (HERE / "NOTICE").write_text(
        "Data in this folder is derived from third-party packages:\n\n"
        f"* cfn-lint {args.cfn_lint} (PyPI), MIT No Attribution: runtimes.json (lifecycle),\n"
        "  schemas/aws-lambda-function.json, schemas/aws-serverless-function.json, schemas/sam-globals.json,\n"
        "  extensions.json, attributes.json.\n"
        f"* botocore {args.botocore} (PyPI), Apache License 2.0, Copyright Amazon.com, Inc. or its affiliates:\n"
        "  the Runtime enum in runtimes.json and the API bounds in extensions.json.\n"
        f"* osls {args.osls} (npm), MIT, Copyright (c) 2019 Serverless, Inc.: schemas/serverless.json.\n\n"
        "limits.json and event_sources.json are written by hand from the AWS documentation they cite.\n\n"
        "cfn-lint licence:\n\n" + cfn_license
        + "\n\nbotocore notice:\n\n" + boto_notice
        + "\n\nosls licence:\n\n" + osls_license
    )
    manifest_path = HERE / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    today = datetime.date.today().isoformat()
    cfn_source = {"package": "cfn-lint", "version": args.cfn_lint, "registry": "PyPI", "license": "MIT-0"}
    boto_source = {"package": "botocore", "version": args.botocore, "registry": "PyPI", "license": "Apache-2.0"}
    manifest["runtimes.json"] = {
        "sources": [
            dict(cfn_source, files=["cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json",
                                    "cfnlint/data/schemas/resources/*.json (AWS::Lambda::Function)"]),
            dict(boto_source, files=["botocore/data/lambda/2015-03-31/service-2.json (Runtime enum)"]),
        ],
        "generated": today,
        "script": "server/data/lambda/update.py",
        "counts": {"runtimes": len(runtimes), "with_lifecycle": sum(1 for r in runtimes if r["deprecated"])},
    }
    manifest["schemas"] = {
        "sources": [dict(cfn_source, files=[
            "cfnlint/data/schemas/resources/<providers/us-east-1.json[AWS::Lambda::Function]>.json",
            "cfnlint/data/schemas/resources/<providers/sam.json[AWS::Serverless::Function]>.json",
            "cfnlint/data/schemas/other/sam/globals.json"])],
        "note": "cfn-lint's AWS::Serverless::Function schema is generated from aws-sam-translator's models; "
                "handlers, tagging and permissions are dropped, descriptions kept for hover",
        "patches": [{"pointer": p, "reason": r} for p, _, r in SAM_PATCHES],
        "generated": today,
        "script": "server/data/lambda/update.py",
        "counts": {"lambda_properties": len(lambda_schema["properties"]),
                   "sam_properties": len(sam_schema["properties"]),
                   "sam_definitions": len(sam_schema.get("definitions", {}))},
    }
    manifest["schemas/serverless.json"] = {
        "sources": [{"package": "osls", "version": args.osls, "registry": "npm", "license": "MIT",
                     "files": ["lib/config-schema.js", "lib/plugins/aws/provider.js",
                               "lib/plugins/aws/package/compile/events/**/*.js"]}],
        "note": "assembled by osls_schema.js the way the framework does at run time (defineProvider, "
                "defineFunctionEvent); plugins of a service may add properties and events",
        "generated": today,
        "script": "server/data/lambda/update.py",
        "counts": {"function_properties": len(serverless["function"]["properties"]),
                   "events": len(serverless["events"]), "definitions": len(serverless["definitions"])},
    }
    manifest["extensions.json"] = {
        "sources": [dict(cfn_source, files=["cfnlint/data/schemas/extensions/aws_lambda_function/*.json"]),
                    dict(boto_source, files=["botocore/data/lambda/2015-03-31/service-2.json (shape bounds)"])],
        "generated": today,
        "script": "server/data/lambda/update.py",
        "counts": {"reserved_environment_keys": len(reserved)},
        "timeout_documentation": re.sub("<[^>]+>", "", timeout_doc),
    }
    manifest["attributes.json"] = {
        "sources": [dict(cfn_source, files=["cfnlint/data/schemas/providers/{us-east-1,sam}.json",
                                            "cfnlint/data/schemas/resources/*.json (readOnlyProperties)",
                                            "cfnlint/schema/_getatts.py (extra attribute tables)"])],
        "generated": today,
        "script": "server/data/lambda/update.py",
        "counts": {"resource_types": len(getatts)},
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(runtimes)} runtimes, {len(getatts)} resource types")


if __name__ == "__main__":
    main()
