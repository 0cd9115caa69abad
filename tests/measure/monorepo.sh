#!/usr/bin/env bash
# `lambda-ls check` on synthetic monorepos of growing size, on 2 cores: wall time and peak memory per size.
# The goal: 10,000 templates in under 10 s, and peak memory that does not grow with the number of files.
#
#   tests/measure/monorepo.sh [SIZES…]        (default: 1000 5000 10000)
#
# lambda-ls is built in release mode unless LAMBDA_LS_BIN points at a binary. Runs are pinned to CPUs 0 and 1
# with taskset when it is available. Each size is run RUNS times (default 3); the median wall time is shown,
# with the CPU time (user + sys), which tells what the wall time would be on an idle machine (about half of
# it on 2 cores) when other work competes for the CPUs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000)
runs=${RUNS:-3}
[ -x /usr/bin/time ] || { echo "GNU time is needed at /usr/bin/time (apt-get install time)" >&2; exit 2; }

bin=${LAMBDA_LS_BIN:-}
if [ -z "$bin" ]; then
    cargo build --quiet --release --bin lambda-ls --manifest-path "$repo/Cargo.toml" >&2
    bin="$repo/target/release/lambda-ls"
fi
pin=()
if command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then pin=(taskset -c 0,1); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "$("$bin" --version), ${pin[*]:-unpinned}, $runs runs per size"
echo
echo "| templates (+ handler files) | YAML | wall median (min–max) | CPU (user+sys) median | peak RSS | findings (error / warning / other) | wall per template |"
echo "|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    dir="$work/repo-$n"
    python3 "$repo/tests/measure/synthetic_monorepo.py" "$dir" "$n" > /dev/null
    bytes=$(find "$dir/services" -name template.yaml -printf '%s\n' | awk '{ s += $1 } END { print s }')
    walls=()
    cpus=()
    rss=0
    for i in $(seq 1 "$runs"); do
        (cd "$dir" && "${pin[@]}" /usr/bin/time -v -o "$work/time" "$bin" check --format json --fail-on never . > "$work/report.json")
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        r=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
        u=$(sed -n 's/.*User time (seconds): //p' "$work/time")
        k=$(sed -n 's/.*System time (seconds): //p' "$work/time")
        walls+=("$wall")
        cpus+=("$(awk -v u="$u" -v k="$k" 'BEGIN { print u + k }')")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    python3 - "$n" "$bytes" "$rss" "$work/report.json" "${cpus[*]}" "${walls[@]}" <<'EOF'
import json, statistics, sys
n, size, rss, report, cpus, *walls = sys.argv[1:]
walls = [float(w) for w in walls]
cpu = statistics.median(float(c) for c in cpus.split())
s = json.load(open(report))["summary"]
med = statistics.median(walls)
# Every template is checked, and with it the handler code its functions run (for least privilege).
assert s["files_checked"] >= int(n), f"checked {s['files_checked']} of {n}"
print(f"| {int(n):,} (+{s['files_checked'] - int(n):,}) | {int(size) / 1e6:.1f} MB | {med:.2f} s ({min(walls):.2f}–{max(walls):.2f}) | {cpu:.2f} s | {int(rss) / 1024:.1f} MiB "
      f"| {s['error']} / {s['warning']} / {s['info'] + s['hint']} | {med / int(n) * 1e3:.2f} ms |")
EOF
    rm -rf "$dir"
done
