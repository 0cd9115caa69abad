#!/usr/bin/env python3
"""Summarises a compare-cfn-lint.sh run: timings (GNU time -v files) and the findings of both tools, joined
on file and line (±1) through a rule map (cfn-lint-rule-map.tsv). Prints Markdown; writes summary.json."""
import argparse
import collections
import json
import pathlib
import re
import statistics


def parse_time(path):
    text = path.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)", text).group(1).strip()
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return seconds, rss_kb


def load_map(path):
    rows = []
    for line in pathlib.Path(path).read_text().splitlines()[1:]:
        if not line.strip():
            continue
        ours, theirs, *_ = line.split("\t") + [""]
        rows.append((ours, set(t for t in theirs.split(",") if t)))
    return rows


def mapped(rule_map, ours, theirs):
    exact = [t for o, t in rule_map if o == ours]
    if exact:
        return theirs in exact[0]
    prefixes = sorted(((o, t) for o, t in rule_map if o.endswith("/") and ours.startswith(o)), key=lambda x: -len(x[0]))
    return bool(prefixes) and theirs in prefixes[0][1]


def ours_findings(path):
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return [(f["path"], f["rule"], f["severity"], f["start"]["line"]) for f in doc["findings"]]


def cfn_findings(path):
    try:
        doc = json.loads(path.read_text() or "[]")
    except (OSError, ValueError):
        return None
    sev = {"Error": "error", "Warning": "warning", "Informational": "info"}
    out = []
    for f in doc:
        name = f["Filename"]
        name = name[2:] if name.startswith("./") else name
        out.append((name, f["Rule"]["Id"], sev.get(f["Level"], f["Level"].lower()), f["Location"]["Start"]["LineNumber"]))
    return out


def compare(ours, theirs, rule_map):
    by_file = collections.defaultdict(list)
    for i, t in enumerate(theirs):
        by_file[t[0]].append(i)
    used = set()
    both = []
    only_ours = []
    for o in ours:
        hit = None
        for i in by_file.get(o[0], []):
            t = theirs[i]
            if i not in used and abs(t[3] - o[3]) <= 1 and mapped(rule_map, o[1], t[1]):
                hit = i
                break
        if hit is None:
            only_ours.append(o)
        else:
            used.add(hit)
            both.append((o, theirs[hit]))
    only_theirs = [t for i, t in enumerate(theirs) if i not in used]
    return both, only_ours, only_theirs


def counts(findings, level=None):
    return collections.Counter(f[1] for f in findings if level is None or f[2] == level)


def fmt_top(counter, n=6):
    return ", ".join(f"{k} {v}" for k, v in counter.most_common(n)) or "–"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--map", required=True)
    ap.add_argument("--lambda-ls-version", default="")
    ap.add_argument("--cfn-lint-version", default="")
    ap.add_argument("--crash", nargs=3, default=None)
    ap.add_argument("sets", nargs="+")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    rule_map = load_map(args.map)
    summary = {"lambda_ls": args.lambda_ls_version, "cfn_lint": args.cfn_lint_version, "sets": {}}
    print(f"## lambda-ls check vs cfn-lint\n\n{args.lambda_ls_version} vs cfn-lint {args.cfn_lint_version}, "
          f"{args.runs} run(s) each, same machine, same session.\n")
    print("| set | tool | wall median (min–max) | peak RSS | findings (error / warning / other) |")
    print("|---|---|---|---|---|")
    for name in args.sets:
        entry = {}
        for tool in ("lambda-ls", "cfn-lint"):
            times = [parse_time(p) for p in sorted(out.glob(f"{name}.{tool}.*.time"))]
            walls = [t[0] for t in times]
            rss = max(t[1] for t in times)
            findings = (ours_findings if tool == "lambda-ls" else cfn_findings)(out / f"{name}.{tool}.json")
            entry[tool] = {"wall_median_s": statistics.median(walls), "wall_min_s": min(walls), "wall_max_s": max(walls),
                           "peak_rss_mib": rss / 1024, "findings": findings}
            if findings is None:
                shown = "no report (crashed)"
            else:
                e = sum(1 for f in findings if f[2] == "error")
                w = sum(1 for f in findings if f[2] == "warning")
                shown = f"{len(findings)} ({e} / {w} / {len(findings) - e - w})"
            print(f"| {name} | {tool} | {statistics.median(walls):.3f} s ({min(walls):.3f}–{max(walls):.3f}) | "
                  f"{rss / 1024:.1f} MiB | {shown} |")
        ours, theirs = entry["lambda-ls"]["findings"] or [], entry["cfn-lint"]["findings"] or []
        both, only_o, only_t = compare(ours, theirs, rule_map)
        speed = entry["cfn-lint"]["wall_median_s"] / max(entry["lambda-ls"]["wall_median_s"], 1e-9)
        mem = entry["cfn-lint"]["peak_rss_mib"] / max(entry["lambda-ls"]["peak_rss_mib"], 1e-9)
        summary["sets"][name] = {
            "speedup": speed, "memory_ratio": mem,
            "both": len(both), "only_lambda_ls": len(only_o), "only_cfn_lint": len(only_t),
            "only_lambda_ls_by_rule": counts(only_o), "only_cfn_lint_by_rule": counts(only_t),
            "both_by_rule": collections.Counter(f"{o[1]} = {t[1]}" for o, t in both),
            "timings": {k: {kk: vv for kk, vv in v.items() if kk != "findings"} for k, v in entry.items()},
        }
        entry["compare"] = (speed, mem, both, only_o, only_t)
        summary["sets"][name]["_print"] = entry["compare"]
    print()
    for name in args.sets:
        speed, mem, both, only_o, only_t = summary["sets"][name].pop("_print")
        files_o = {f[0] for f in only_o}
        print(f"**{name}**: lambda-ls is {speed:.0f}× faster and uses {mem:.1f}× less memory. Findings on the same "
              f"file and line (±1) with mapped rules: **both {len(both)}**, only lambda-ls {len(only_o)} "
              f"(in {len(files_o)} files), only cfn-lint {len(only_t)}.")
        print(f"- both: {fmt_top(collections.Counter(f'{o[1]} = {t[1]}' for o, t in both))}")
        print(f"- only lambda-ls: {fmt_top(counts(only_o))}")
        print(f"- only cfn-lint: {fmt_top(counts(only_t), 10)}")
        print(f"- only cfn-lint, errors: {fmt_top(counts(only_t, 'error'), 10)}\n")
    if args.crash:
        ours_rc, theirs_rc, last = args.crash
        print(f"`error_invalid_logical_id.yaml` with the Transform line: lambda-ls exit {ours_rc}; "
              f"cfn-lint exit {theirs_rc} ({last.strip() or 'no message'}).")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    main()
