#!/usr/bin/env python3
"""Measures lambda-ls's IAM checks on the development corpus (shared/corpus/iam/).

* managed-policies-dev: recall of IAM Access Analyzer's findings for the issue codes lambda-ls implements
  (same rule class in the same statement, or anywhere in the document for document-level codes), and the
  share of Access-Analyzer-clean policies on which lambda-ls reports any error;
* docs-examples: error-level findings (goal: none);
* parliament-tests: parliament's expected finding ids mapped to lambda-ls rules, matched per test, and
  findings on the tests that expect none.

Usage: python3 tests/measure/iam.py [--corpus DIR] [--bin PATH]
(builds target/release/lambda-ls with cargo when --bin is not given and the binary is missing).
"""
import argparse
import collections
import csv
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Access Analyzer issue code -> lambda-ls rules that report the same problem.
AA = {
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": {"iam/string-like-on-arn-key"},
    "REDUNDANT_RESOURCE": {"iam/redundant-resource"},
    "REDUNDANT_ACTION": {"iam/redundant-action"},
    "REDUNDANT_STATEMENT": {"iam/redundant-statement"},
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": {"iam/size"},
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": {"iam/pass-role-star"},
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": {"iam/pass-role-star"},
    "PASS_ROLE_WITH_NOT_RESOURCE": {"iam/pass-role-star"},
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": {"iam/create-slr-star"},
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": {"iam/create-slr-star"},
    "INVALID_SERVICE_CONDITION_KEY": {"iam/unknown-condition-key"},
    "INVALID_GLOBAL_CONDITION_KEY": {"iam/unknown-condition-key"},
    "INVALID_ACTION": {"iam/unknown-action", "iam/action-format", "iam/wildcard-matches-nothing"},
    "INVALID_SERVICE_IN_ACTION": {"iam/unknown-service"},
    "INVALID_ARN_RESOURCE": {"iam/arn-resource"},
    "INVALID_ARN_REGION": {"iam/arn-region"},
    "INVALID_ARN_ACCOUNT": {"iam/arn-account"},
    "MISSING_VERSION": {"iam/version"},
    "TYPE_MISMATCH": {"iam/operator-type-mismatch", "iam/condition-value"},
}
DOCUMENT_LEVEL = {"POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "MISSING_VERSION"}

# parliament finding id -> lambda-ls rules.
PARLIAMENT = {
    "MALFORMED": {"iam/unknown-element", "iam/effect", "iam/missing-action", "iam/missing-resource",
                  "iam/missing-statement", "iam/wrong-type", "iam/exclusive-elements", "iam/principal-key"},
    "MALFORMED_JSON": {"syntax/parse-error"},
    "UNKNOWN_ACTION": {"iam/unknown-action", "iam/wildcard-matches-nothing"},
    "UNKNOWN_PREFIX": {"iam/unknown-service"},
    "UNKNOWN_OPERATOR": {"iam/unknown-operator"},
    "UNKNOWN_CONDITION_FOR_ACTION": {"iam/condition-key-unsupported", "iam/unknown-condition-key"},
    "MISMATCHED_TYPE": {"iam/operator-type-mismatch", "iam/condition-value", "iam/string-like-on-arn-key"},
    "MISMATCHED_TYPE_BUT_USABLE": {"iam/operator-type-mismatch", "iam/string-like-on-arn-key"},
    "RESOURCE_MISMATCH": {"iam/resource-mismatch", "iam/action-needs-star-resource"},
    "RESOURCE_STAR": {"iam/resource-star"},
    "RESOURCE_EFFECTIVELY_STAR": {"iam/resource-star"},
    "NOTRESOURCE_WITH_ALLOW": {"iam/allow-not-resource"},
    "NOTPRINCIPAL_WITH_ALLOW": {"iam/allow-not-principal"},
    "INVALID_SID": {"iam/invalid-sid"},
    "DUPLICATE_SID": {"iam/duplicate-sid"},
    "INVALID_ARN": {"iam/arn-syntax", "iam/arn-partition", "iam/arn-region", "iam/arn-account", "iam/arn-resource"},
    "BAD_PATTERN_FOR_MFA": {"iam/mfa-pattern"},
    "PRIVILEGE_ESCALATION": {"iam/privilege-escalation"},
    "PERMISSIONS_MANAGEMENT_ACTIONS": {"iam/permissions-management"},
    "CREDENTIALS_EXPOSURE": {"iam/credentials-exposure"},
    "NO_VERSION": {"iam/version"},
    "OLD_VERSION": {"iam/version"},
}


def spans(text):
    """Byte offsets of every JSON node by path: {(("Statement",), (0,), ...): (start, end)}."""
    out = {}
    b = text.encode()
    i = 0

    def ws():
        nonlocal i
        while i < len(b) and b[i] in b" \t\r\n":
            i += 1

    def string():
        nonlocal i
        start = i
        i += 1
        while b[i] != 0x22:
            i += 2 if b[i] == 0x5C else 1
        i += 1
        return json.loads(b[start:i].decode())

    def value(path):
        nonlocal i
        ws()
        start = i
        c = b[i:i + 1]
        if c == b"{":
            i += 1
            ws()
            while b[i:i + 1] != b"}":
                k = string()
                ws()
                i += 1  # colon
                value(path + (k,))
                ws()
                if b[i:i + 1] == b",":
                    i += 1
                    ws()
            i += 1
        elif c == b"[":
            i += 1
            ws()
            n = 0
            while b[i:i + 1] != b"]":
                value(path + (n,))
                n += 1
                ws()
                if b[i:i + 1] == b",":
                    i += 1
                    ws()
            i += 1
        elif c == b'"':
            string()
        else:
            while i < len(b) and b[i:i + 1] not in (b",", b"}", b"]", b" ", b"\n"):
                i += 1
        out[path] = (start, i)

    value(())
    return out


def run_check(binary, folder):
    out = subprocess.run([binary, "check", "--format", "json", "--fail-on", "never", "--no-ignore", str(folder)],
                         capture_output=True, text=True, cwd=folder.parent)
    if out.returncode not in (0, 1):
        sys.exit(f"lambda-ls failed on {folder}: {out.stderr}")
    return json.loads(out.stdout)


def by_file(doc, folder):
    res = collections.defaultdict(list)
    for f in doc["findings"]:
        res[pathlib.Path(f["path"]).name].append(f)
    return res


def managed(binary, corpus):
    folder = corpus / "managed-policies-dev"
    doc = run_check(binary, folder / "policies")
    findings = by_file(doc, folder)
    rows = list(csv.DictReader(open(folder / "index.tsv"), delimiter="\t"))
    total = collections.Counter()
    found = collections.Counter()
    unimplemented = collections.Counter()
    stale = collections.Counter()
    for r in rows:
        if r["label"] != "access_analyzer_findings":
            continue
        name = pathlib.Path(r["policy_file"]).name
        text = (folder / r["policy_file"]).read_text()
        node_spans = spans(text)
        ours = findings.get(name, [])
        aa = json.loads((folder / r["findings_file"]).read_text())
        for finding in aa:
            code = finding["issueCode"]
            rules = AA.get(code)
            if rules is None:
                unimplemented[code] += 1
                continue
            loc = finding["locations"][0]["path"] if finding["locations"] else []
            path = tuple(p.get("value", p.get("index", p.get("key"))) for p in loc)
            # The policy changed after Access Analyzer's run when the finding's path no longer exists.
            if path and path not in node_spans:
                stale[code] += 1
                continue
            total[code] += 1
            hit = False
            for f in ours:
                if f["rule"] not in rules:
                    continue
                if code in DOCUMENT_LEVEL or len(path) < 2:
                    hit = True
                    break
                start, end = node_spans.get(path[:2], (0, len(text)))
                offset = f["start"]["column"] - 1 if f["start"]["line"] == 1 else -1
                if start <= offset < end:
                    hit = True
                    break
            if hit:
                found[code] += 1
    clean = [r for r in rows if r["label"] == "access_analyzer_no_findings"]
    with_errors = []
    for r in clean:
        errs = [f for f in findings.get(pathlib.Path(r["policy_file"]).name, []) if f["severity"] == "error"]
        if errs:
            with_errors.append((r["policy"], errs[0]["rule"], errs[0]["message"]))
    return total, found, unimplemented, stale, clean, with_errors


def docs(binary, corpus):
    doc = run_check(binary, corpus / "docs-examples")
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    return doc["summary"], errors


def parliament(binary, corpus):
    folder = corpus / "parliament-tests"
    doc = run_check(binary, folder)
    findings = by_file(doc, folder)
    rows = list(csv.DictReader(open(folder / "index.tsv"), delimiter="\t"))
    expected = matched = 0
    missed = collections.Counter()
    clean_tests = clean_with_errors = 0
    for r in rows:
        if r["expectation_parsed"] != "yes" or "config" in r["call_kwargs"]:
            continue
        ours = {f["rule"] for f in findings.get(r["file"], [])}
        ids = [x for x in r["expected_finding_ids"].split(",") if x]
        if not ids:
            clean_tests += 1
            if any(f["severity"] == "error" for f in findings.get(r["file"], [])):
                clean_with_errors += 1
        for pid in ids:
            expected += 1
            if PARLIAMENT.get(pid, set()) & ours:
                matched += 1
            else:
                missed[pid] += 1
    return expected, matched, missed, clean_tests, clean_with_errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent.parent / "shared" / "corpus" / "iam")
                    if (ROOT.parent.parent / "shared").exists() else "/work/shared/corpus/iam")
    ap.add_argument("--bin")
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    binary = os.path.abspath(args.bin) if args.bin else str(ROOT / "target" / "release" / "lambda-ls")
    if not args.bin and not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "--bin", "lambda-ls"], cwd=ROOT, check=True)
    manifest = json.loads((ROOT / "server" / "data" / "iam" / "manifest.json").read_text())
    src = manifest["catalog.bin.z"]["sources"][0]
    print(f"IAM data: {src.get('package')} {src.get('version')} ({src.get('data_date', '')[:10]})")

    total, found, unimplemented, stale, clean, with_errors = managed(binary, corpus)
    n, k = sum(total.values()), sum(found.values())
    print(f"\nmanaged-policies-dev: Access Analyzer findings of implemented codes: {k}/{n} found "
          f"(recall {100 * k / max(n, 1):.1f}%)")
    for code in sorted(total):
        print(f"  {code}: {found[code]}/{total[code]}")
    if stale:
        print("  left out as stale (the path no longer exists in the stored policy):",
              ", ".join(f"{c} ({n})" for c, n in sorted(stale.items())))
    if unimplemented:
        print("  not implemented:", ", ".join(f"{c} ({n})" for c, n in sorted(unimplemented.items())))
    print(f"  Access-Analyzer-clean policies with any lambda-ls error: {len(with_errors)}/{len(clean)} "
          f"({100 * len(with_errors) / max(len(clean), 1):.2f}%)")
    for p, rule, msg in with_errors:
        print(f"    {p}: {rule}: {msg}")

    summary, errors = docs(binary, corpus)
    print(f"\ndocs-examples: {summary['files_checked']} policies, {len(errors)} errors "
          f"({summary['warning']} warnings, {summary['info']} info, {summary['hint']} hints)")
    for f in errors:
        print(f"    {f['path']}:{f['start']['line']}: {f['rule']}: {f['message']}")

    expected, matched, missed, clean_tests, clean_with_errors = parliament(binary, corpus)
    print(f"\nparliament-tests: {matched}/{expected} expected findings matched "
          f"({100 * matched / max(expected, 1):.1f}%); tests expecting none with a lambda-ls error: "
          f"{clean_with_errors}/{clean_tests}")
    if missed:
        print("  missed:", ", ".join(f"{c} ({n})" for c, n in sorted(missed.items())))


if __name__ == "__main__":
    main()
