#!/usr/bin/env python3
"""Handler resolution measured on the shared corpus.

For every function of `sam-init-apps/index.tsv` and `serverless-yml/functions.tsv`, compares where lambda-ls
resolves the handler (file and line) with the index, and counts handler findings on functions the index says
must resolve (each one is a false positive). Usage:

    python3 tests/measure/handlers.py [CORPUS_DIR]   # default: the nearest `shared/corpus` above the repository

It builds and runs `cargo run --example handler_resolutions`.
"""
import collections
import csv
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def resolve_all(configs):
    cmd = ["cargo", "run", "-q", "--example", "handler_resolutions", "--"] + configs
    out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        rec = json.loads(line)
        result[(os.path.normpath(rec["config"]), rec["function"])] = rec
    return result


def measure(name, folder, index_rows, config_col, function_col):
    configs = sorted({os.path.join(folder, r[config_col]) for r in index_rows})
    got = resolve_all(configs)
    stats = collections.Counter()
    false_findings = []
    true_findings = []
    disagreements = []
    per_family = collections.defaultdict(collections.Counter)
    for r in index_rows:
        key = (os.path.normpath(os.path.join(folder, r[config_col])), r[function_col])
        rec = got.get(key)
        expected = r["expected_resolves"]
        family = (r.get("runtime") or "none").rstrip("0123456789.x") or "none"
        stats[f"rows_{expected}"] += 1
        if rec is None:
            stats["not_modelled"] += 1
            continue
        findings = rec["findings"]
        if expected != "yes":
            for f in findings:
                true_findings.append((key, f))
            continue
        per_family[family]["rows"] += 1
        # Every handler finding on a function that resolves is a false positive, whatever its severity,
        # except the callback-handler warning on runtimes older than nodejs24.x, which is advice.
        for f in findings:
            if f["rule"] == "handler/node-callback" and f["severity"] == "warning":
                true_findings.append((key, f))
            else:
                false_findings.append((key, f))
        want_file = os.path.normpath(os.path.join(folder, r["resolved_file"])) if r["resolved_file"] else None
        want_line = int(r["symbol_line"]) if r.get("symbol_line") else None
        got_file = os.path.normpath(rec["file"]) if rec["file"] else None
        if got_file is None:
            stats["unresolved"] += 1
            per_family[family]["unresolved"] += 1
            disagreements.append((key, "unresolved", want_file, None))
            continue
        stats["resolved"] += 1
        per_family[family]["resolved"] += 1
        if got_file != want_file:
            stats["file_disagrees"] += 1
            disagreements.append((key, "file", want_file, got_file))
        elif r.get("reason") == "go_main_package" and rec["line"] != want_line:
            # The index gives the `lambda.Start(h)` line; lambda-ls goes to `h` itself.
            stats["agrees"] += 1
            stats["go_start_line"] += 1
            per_family[family]["agrees"] += 1
        elif want_line is not None and rec["line"] != want_line:
            stats["line_disagrees"] += 1
            disagreements.append((key, "line", want_line, rec["line"]))
        else:
            stats["agrees"] += 1
            per_family[family]["agrees"] += 1
    print(f"## {name}")
    yes = stats["rows_yes"]
    print(f"rows: {sum(v for k, v in stats.items() if k.startswith('rows_'))} ({yes} expected to resolve)")
    print(f"resolved: {stats['resolved']}/{yes} ({100.0 * stats['resolved'] / max(yes, 1):.1f}%)")
    print(f"agrees with the index (file and line): {stats['agrees']}/{yes}"
          + (f" (Go: {stats['go_start_line']} on the function that `lambda.Start` names, where the index gives"
             " the call's line)" if stats["go_start_line"] else ""))
    print(f"false handler findings on expected_resolves=yes rows: {len(false_findings)}")
    for fam, c in sorted(per_family.items()):
        print(f"  {fam:10} rows {c['rows']:4}  resolved {c['resolved']:4}  agrees {c['agrees']:4}")
    for key, f in false_findings:
        print(f"  FALSE {key[0]} {key[1]}: {f['rule']} {f['message']}")
    for d in disagreements:
        print(f"  DIFF {d}")
    print(f"findings on rows not expected to resolve, or advice: {len(true_findings)}")
    for key, f in true_findings:
        print(f"  note {key[0]} {key[1]}: {f['severity']} {f['rule']} {f['message']}")
    print()


def main():
    if len(sys.argv) > 1:
        corpus = os.path.abspath(sys.argv[1])
    else:
        corpus, up = None, REPO
        while corpus is None and os.path.dirname(up) != up:
            up = os.path.dirname(up)
            if os.path.isdir(os.path.join(up, "shared", "corpus")):
                corpus = os.path.join(up, "shared", "corpus")
        if corpus is None:
            sys.exit("corpus not found; pass its folder")
    sam = os.path.join(corpus, "sam-init-apps")
    measure("sam-init-apps", sam, rows(os.path.join(sam, "index.tsv")), "template_path", "logical_id")
    sls = os.path.join(corpus, "serverless-yml")
    measure("serverless-yml", sls, rows(os.path.join(sls, "functions.tsv")), "serverless_yml", "function")


if __name__ == "__main__":
    main()
