#!/usr/bin/env python3
"""Least privilege on the serverless apps of the development corpus: how many SDK calls each function's
code makes, how many map to IAM actions, and every missing-permission finding (printed for checking by
hand).

The corpus keeps code as signature skeletons (no bodies, so no calls). `--sources DIR` overlays real code:
DIR mirrors the corpus layout (`sam-init-apps/<app>/…`, `serverless-yml/<service>/…`), for example files
taken from the upstream repositories at the pinned commits the corpus README names. The corpus itself is
never modified: everything runs on a temporary copy. No upstream code is kept in this repository.

Building DIR: for each app below, copy the upstream file at the same relative path (sam-init apps: the
file under `<runtime>/<template>/{{cookiecutter.project_name}}/` goes to `sam-init-apps/<runtime>/
<template>/sam-app/`; a template without that file for one runtime can take the same template's file of a
neighbouring runtime). Serverless Go services also need their `Makefile` (it names each binary's sources).
  serverless/examples: aws-{node,python}-rest-api-with-dynamodb, aws-node-http-api-dynamodb,
    aws-python-http-api-with-dynamodb, aws-node-typescript-rest-api-with-dynamodb, aws-golang-rest-api-with-
    dynamodb, aws-golang-s3-file-replicator, aws-node-s3-file-replicator, aws-{node,python}-sqs-worker,
    aws-node-typescript-{kinesis,sqs-standard}, aws-node-text-analysis-via-sns-post-processing,
    aws-node-dynamodb-backup, aws-node-fetch-file-and-store-in-s3, aws-node-simple-transcribe-s3,
    aws-node-graphql-api-with-dynamodb, aws-node-rekognition-analysis-s3-image, aws-node-signed-uploads,
    aws-node-ses-receive-email-body, aws-node-dynamic-image-resizer (handler files and the modules they
    import);
  aws/aws-sam-cli-app-templates: nodejs{20,22,24}.x/{web,full-stack}, python3.{9..14}/{web-conn,
    step-func-etl}.
`--detail` lists every function with calls and the actions it needs, to check by hand.

Usage: python3 tests/measure/privilege.py [--corpus ../shared/corpus] [--sources DIR] [--bin target/release/lambda-ls]
"""
import argparse
import csv
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def rows(tsv):
    with open(tsv, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def suggest(binary, cwd, template, function):
    p = subprocess.run([binary, "policy", "suggest", function, "--template", template, "--format", "json"],
                       cwd=cwd, capture_output=True, text=True, timeout=60)
    actions = []
    try:
        for st in json.loads(p.stdout).get("Statement", []):
            a = st.get("Action", [])
            actions += [a] if isinstance(a, str) else a
    except ValueError:
        pass
    calls = unmapped = computed = 0
    for line in p.stderr.splitlines():
        m = re.search(r"(\d+) SDK call\(s\)", line)
        if m:
            calls = int(m.group(1))
        if "not in the policy" in line:
            if "computed at run time" in line:
                computed += 1
            else:
                unmapped += 1
    return p.returncode, calls, unmapped, computed, sorted(set(actions))


LANGS = {".py": "python", ".js": "js/ts", ".mjs": "js/ts", ".cjs": "js/ts", ".ts": "js/ts", ".go": "go"}


def language(cwd, row):
    """The handler's language: the resolved file's extension, else the runtime."""
    ext = pathlib.Path(row.get("resolved_file") or "").suffix
    if ext in LANGS:
        return LANGS[ext]
    runtime = row.get("runtime") or ""
    for prefix, lang in (("python", "python"), ("nodejs", "js/ts"), ("go", "go")):
        if runtime.startswith(prefix):
            return lang
    return "go" if row.get("build_method") == "go1.x" else "other"


def check(binary, folder):
    p = subprocess.run([binary, "check", "--format", "json", "--fail-on", "never", "."], cwd=folder,
                       capture_output=True, text=True, timeout=1200)
    doc = json.loads(p.stdout or "{}")
    return [f for f in doc.get("findings", []) if f.get("rule", "").startswith("privilege/")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_corpus = next((str(p / "shared" / "corpus") for p in ROOT.parents
                           if (p / "shared" / "corpus").is_dir()), "../shared/corpus")
    ap.add_argument("--corpus", default=default_corpus)
    ap.add_argument("--sources", default=None)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "lambda-ls"))
    ap.add_argument("--detail", action="store_true", help="print every function with calls and its actions")
    args = ap.parse_args()
    args.bin = str(pathlib.Path(args.bin).resolve())
    corpus = pathlib.Path(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        overlaid = 0
        for name in ("sam-init-apps", "serverless-yml"):
            shutil.copytree(corpus / name, work / name)
        if args.sources:
            src = pathlib.Path(args.sources)
            for p in src.rglob("*"):
                if p.is_file():
                    dest = work / p.relative_to(src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(p, dest)
                    overlaid += 1
        functions = []
        for r in rows(work / "sam-init-apps" / "index.tsv"):
            t = work / "sam-init-apps" / r["template_path"]
            functions.append(("sam-init-apps", t.parent, t.name, r["logical_id"], r))
        for r in rows(work / "serverless-yml" / "functions.tsv"):
            t = work / "serverless-yml" / r["serverless_yml"]
            functions.append(("serverless-yml", t.parent, t.name, r["function"], r))
        totals = {}
        by_lang = {}
        for folder, cwd, template, fn, row in functions:
            if not (cwd / template).exists():
                continue
            code, calls, unmapped, computed, actions = suggest(args.bin, cwd, template, fn)
            lang = language(cwd, row)
            b = by_lang.setdefault(lang, {"functions": 0, "with_calls": 0, "calls": 0, "mapped": 0})
            b["functions"] += 1
            b["with_calls"] += calls > 0
            b["calls"] += calls
            b["mapped"] += calls - unmapped
            if args.detail and calls:
                print(f"{folder}/{(cwd / template).relative_to(work / folder)} {fn} [{lang}]: {calls} call(s), "
                      f"{unmapped} unmapped: {' '.join(actions)}")
            t = totals.setdefault(folder, {"functions": 0, "with_calls": 0, "calls": 0, "mapped": 0,
                                           "unmapped": 0, "computed": 0, "errors": 0})
            t["functions"] += 1
            t["errors"] += code != 0
            t["with_calls"] += calls > 0
            t["calls"] += calls
            t["mapped"] += calls - unmapped
            t["unmapped"] += unmapped
            t["computed"] += computed
        print(f"overlaid source files: {overlaid}")
        print("folder\tfunctions\twith calls\tcalls\tmapped\tunmapped\tcomputed (not counted)\tsuggest errors")
        for folder, t in totals.items():
            print(f"{folder}\t{t['functions']}\t{t['with_calls']}\t{t['calls']}\t{t['mapped']}\t{t['unmapped']}"
                  f"\t{t['computed']}\t{t['errors']}")
        print("\nlanguage\tfunctions\twith calls\tcalls\tmapped")
        for lang, b in sorted(by_lang.items()):
            print(f"{lang}\t{b['functions']}\t{b['with_calls']}\t{b['calls']}\t{b['mapped']}")
        for name in ("sam-init-apps", "serverless-yml"):
            found = check(args.bin, work / name)
            by_rule = {}
            for f in found:
                by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
            print(f"\n{name}: {len(found)} least-privilege findings {by_rule}")
            for f in found:
                print(f"  {f['path']}:{f['start']['line']} [{f['rule']}] {f['message']}")


if __name__ == "__main__":
    main()
