#!/usr/bin/env python3
"""Times `lambda-ls check` over every `sam init` template against cfn-lint on the same templates.

cfn-lint is installed into a throwaway virtual environment in a temporary folder (removed afterwards),
pinned to the version the corpus was checked with. Both tools run once per round over all templates in
one process (the CI comparison), and once on a single small template (the per-file / editor-save
comparison); the median of the rounds is reported, with peak memory from `/usr/bin/time -v` when present.

Usage: python3 tests/measure/function_speed.py [--bin target/release/lambda-ls] [--rounds 5]
       [--cfn-lint 1.58.0] [--corpus ../shared/corpus]
"""
import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def timed(cmd, cwd):
    """Wall time in seconds and peak RSS in MiB (None without GNU time)."""
    gnu_time = shutil.which("time") if os.path.exists("/usr/bin/time") else None
    prefix = ["/usr/bin/time", "-v"] if gnu_time else []
    start = time.perf_counter()
    out = subprocess.run(prefix + cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss = None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    if m:
        rss = int(m.group(1)) / 1024
    return wall, rss, out


def rounds(cmd, cwd, n):
    walls, rsss = [], []
    for _ in range(n):
        wall, rss, out = timed(cmd, cwd)
        walls.append(wall)
        if rss:
            rsss.append(rss)
    return statistics.median(walls), (max(rsss) if rsss else None), out


def fmt(wall, rss):
    return f"{wall:.3f} s" + (f", peak {rss:.0f} MiB" if rss else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "lambda-ls"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cfn-lint", default="1.58.0")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: build it with `cargo build --release` or pass --bin")
    corpus = pathlib.Path(args.corpus)
    if not corpus.exists():
        corpus = pathlib.Path("/work/shared/corpus")
    base = corpus / "sam-init-apps"
    templates = sorted(str(p.relative_to(base)) for p in base.glob("**/template.y*ml"))
    single = "python3.13/hello/sam-app/template.yaml"
    print(f"{len(templates)} templates under {base}; {args.rounds} rounds, median wall time")

    ours_all, ours_rss, out = rounds(
        [binary, "check", "--format", "json", "--fail-on", "never", *templates], base, args.rounds
    )
    if out.returncode not in (0, 1):
        sys.exit(f"lambda-ls failed: {out.stderr[-1000:]}")
    ours_one, ours_one_rss, _ = rounds(
        [binary, "check", "--format", "json", "--fail-on", "never", single], base, args.rounds
    )
    print(f"lambda-ls check, all templates, one process: {fmt(ours_all, ours_rss)}")
    print(f"lambda-ls check, one template:               {fmt(ours_one, ours_one_rss)}")

    with tempfile.TemporaryDirectory() as tmp:
        venv = pathlib.Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = venv / "bin" / "pip"
        subprocess.run([str(pip), "install", "--quiet", f"cfn-lint=={args.cfn_lint}"], check=True)
        cfn_lint = str(venv / "bin" / "cfn-lint")
        # Warm the interpreter's bytecode cache so the first round is not an outlier.
        subprocess.run([cfn_lint, "--version"], capture_output=True)
        theirs_all, theirs_rss, _ = rounds([cfn_lint, "--format", "json", *templates], base, args.rounds)
        theirs_one, theirs_one_rss, _ = rounds([cfn_lint, "--format", "json", single], base, args.rounds)
    print(f"cfn-lint {args.cfn_lint}, all templates, one process: {fmt(theirs_all, theirs_rss)}")
    print(f"cfn-lint {args.cfn_lint}, one template:               {fmt(theirs_one, theirs_one_rss)}")
    print(f"speed-up, all templates: {theirs_all / ours_all:.0f}x; one template: {theirs_one / ours_one:.0f}x")
    if ours_rss and theirs_rss:
        print(f"memory, all templates: {theirs_rss / ours_rss:.1f}x less")


if __name__ == "__main__":
    main()
