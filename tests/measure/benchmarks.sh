#!/usr/bin/env bash
# Every published benchmark, in one run on one machine, with the peers installed into throwaway folders
# (removed afterwards). Writes a Markdown report (default: target/benchmarks.md) and prints it.
#
#   tests/measure/benchmarks.sh [--corpus DIR] [--out FILE] [--quick]
#
# Sections: language servers side by side (lambda-ls and cfn-lsp-extra from PyPI: start-up, memory,
# completion and diagnostic latency while editing a 5,000-line template); `lambda-ls check` vs cfn-lint on
# the `sam init` templates; IAM policies vs parliament; a 10,000-template monorepo; local invoke vs
# python-lambda-local, lambda-local and the Runtime Interface Emulator; the analysis benchmark
# (`cargo bench`). The corpus is the development corpus of real templates and policies (--corpus).
# --quick runs fewer rounds, for trying the script out.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CORPUS="$ROOT/../shared/corpus"
[ -d "$CORPUS" ] || CORPUS=/work/shared/corpus
OUT="$ROOT/target/benchmarks.md"
QUICK=
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) CORPUS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (use --corpus DIR)" >&2; exit 2; }
RUNS=5; EDITS=300; ROUNDS=5; MONO_RUNS=3; INVOKE_RUNS=20
[ -n "$QUICK" ] && { RUNS=2; EDITS=30; ROUNDS=1; MONO_RUNS=1; INVOKE_RUNS=3; }

PEERS="$(mktemp -d)"
trap 'rm -rf "$PEERS"' EXIT
cd "$ROOT"
cargo build --quiet --release --bin lambda-ls
BIN="$ROOT/target/release/lambda-ls"
mkdir -p "$(dirname "$OUT")"

{
  echo "# lambda-ls benchmarks"
  echo
  echo "$("$BIN" --version); $(date -u +%Y-%m-%d); $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)); $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
  echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT"

section() { # title, command...
  local title="$1"; shift
  echo "== $title" >&2
  { echo; echo "## $title"; echo; echo '```'; } >> "$OUT"
  # Each measurement prints its own figures; stderr is kept for the scripts that report there.
  "$@" >> "$OUT" 2>&1 || echo "(failed with exit code $?)" >> "$OUT"
  echo '```' >> "$OUT"
}

python3 -m venv "$PEERS/lsp" >/dev/null
"$PEERS/lsp/bin/pip" install --quiet cfn-lsp-extra==0.7.5
section "Language servers (5,000-line template)" python3 tests/measure/lsp_peers.py --runs "$RUNS" --edits "$EDITS" --budget 90 \
  --init 'lambda-ls (no delay)={"diagnosticsDelayMs": 0}' \
  lambda-ls="$BIN serve" "lambda-ls (no delay)=$BIN serve" cfn-lsp-extra="$PEERS/lsp/bin/cfn-lsp-extra"
section "check vs cfn-lint (sam init templates)" python3 tests/measure/function_speed.py --bin "$BIN" \
  --rounds "$ROUNDS" --corpus "$CORPUS"
section "IAM policies vs parliament (1,000 managed policies)" tests/measure/iam_speed.sh "$CORPUS/iam" "$ROUNDS"
section "Monorepo of 10,000 templates" env RUNS="$MONO_RUNS" LAMBDA_LS_BIN="$BIN" tests/measure/monorepo.sh 10000
tests/measure/invoke/setup_peers.sh "$PEERS/invoke" >&2
section "Local invoke" python3 tests/measure/invoke/bench.py --peers "$PEERS/invoke" --lambda-ls "$BIN" --runs "$INVOKE_RUNS"
if [ -z "$QUICK" ]; then
  section "Analysis benchmark (cargo bench)" sh -c 'cargo bench --quiet --bench analysis 2>/dev/null | grep -E -B1 "time:"'
fi
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
cat "$OUT"
