#!/usr/bin/env bash
# Checking 1,000 AWS managed policies in one process: lambda-ls against parliament.
#
# The 708 managed policies of shared/corpus/iam/managed-policies-dev are copied into a temporary folder and
# topped up to 1,000 with renamed copies. parliament 1.6.4 is installed into a throwaway venv (PyPI).
# Each tool runs RUNS times; the script prints the median wall time and peak RSS of each, and the ratio.
#
# Usage: tests/measure/iam_speed.sh [CORPUS_DIR] [RUNS]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CORPUS="${1:-$ROOT/../../shared/corpus/iam}"
[ -d "$CORPUS" ] || CORPUS=/work/shared/corpus/iam
RUNS="${2:-5}"
BIN="$ROOT/target/release/lambda-ls"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --bin lambda-ls)
fi

mkdir -p "$TMP/policies"
cp "$CORPUS"/managed-policies-dev/policies/*.json "$TMP/policies/"
n=$(ls "$TMP/policies" | wc -l)
for f in "$CORPUS"/managed-policies-dev/policies/*.json; do
  [ "$n" -ge 1000 ] && break
  cp "$f" "$TMP/policies/copy-$(basename "$f")"
  n=$((n + 1))
done
echo "policies: $(ls "$TMP/policies" | wc -l)"

python3 -m venv "$TMP/venv" >/dev/null
"$TMP/venv/bin/pip" install --quiet parliament==1.6.4

measure() { # name, command...
  local name="$1"; shift
  local times=() rss=() cpus=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" "$@" >/dev/null 2>&1 || true
    read -r t m u s < <(tail -n 1 "$TMP/time")
    times+=("$t"); rss+=("$m"); cpus+=("$(python3 -c "print($u + $s)")")
  done
  local med; med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local mem; mem=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  local cpu; cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name: median wall ${med}s over $RUNS runs (all: ${times[*]}), median CPU (user+sys) ${cpu}s, peak RSS $((mem / 1024)) MiB" >&2
  echo "$med $cpu"
}

ours=$(measure "lambda-ls check" "$BIN" check --format json --fail-on never --no-ignore "$TMP/policies")
theirs=$(measure "parliament" "$TMP/venv/bin/parliament" --directory "$TMP/policies" --include_policy_extension .json)
read -r ow oc <<< "$ours"
read -r tw tc <<< "$theirs"
echo "uptime: $(uptime)"
python3 -c "print(f'lambda-ls is {$tw / max($ow, 1e-3):.1f}x faster than parliament in wall time, {$tc / max($oc, 1e-3):.1f}x in CPU time')"
