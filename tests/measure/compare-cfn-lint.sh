#!/usr/bin/env bash
# lambda-ls check vs cfn-lint on the same templates, same machine, same session: wall time, peak memory, and
# which findings both tools report and which only one does.
#
#   tests/measure/compare-cfn-lint.sh [--runs N] [--corpus DIR] [--out DIR]
#
# cfn-lint is installed from PyPI into a throwaway venv (CFN_LINT_VERSION, default 1.58.0, the version the
# corpus notes were made with). lambda-ls is built in release mode unless LAMBDA_LS_BIN points at a binary.
# Sets measured:
#   sam-translator  every input of corpus/sam-translator/input, with `Transform: AWS::Serverless-2016-10-31`
#                   prepended where missing (as SAM's own test harness does), except
#                   error_invalid_logical_id.yaml, which crashes cfn-lint's whole batch (it is checked by
#                   lambda-ls separately and reported below)
#   sam-init        every template.yaml/template.yml under corpus/sam-init-apps
# Needs python3 (with venv) and GNU time at /usr/bin/time.
set -euo pipefail

runs=3
repo=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${LAMBDA_LS_CORPUS:-}
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --corpus) corpus=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [ -z "$corpus" ]; then
    for c in "$repo/../shared/corpus" "$repo/../../shared/corpus"; do
        if [ -d "$c" ]; then corpus=$(cd "$c" && pwd); break; fi
    done
fi
[ -d "${corpus:-}/sam-translator" ] || { echo "corpus not found; pass --corpus DIR" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed at /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${out:-$work/out}
mkdir -p "$out"

bin=${LAMBDA_LS_BIN:-}
if [ -z "$bin" ]; then
    cargo build --quiet --release --bin lambda-ls --manifest-path "$repo/Cargo.toml" >&2
    bin="$repo/target/release/lambda-ls"
fi

version=${CFN_LINT_VERSION:-1.58.0}
echo "installing cfn-lint $version into a throwaway venv…" >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$version" >&2
cfnlint="$work/venv/bin/cfn-lint"

# The SAM translator inputs, with the Transform line SAM's harness adds.
mkdir -p "$work/sam-translator"
for f in "$corpus"/sam-translator/input/*.yaml "$corpus"/sam-translator/input/*.json; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    [ "$name" = error_invalid_logical_id.yaml ] && continue
    if grep -q '^Transform:' "$f" || [ "${name##*.}" = json ]; then
        cp "$f" "$work/sam-translator/$name"
    elif grep -q '^---' "$f"; then
        # After the document start marker (and any `%YAML` directive before it).
        awk '!done && /^---/ { print; print "Transform: AWS::Serverless-2016-10-31"; done = 1; next } { print }' \
            "$f" > "$work/sam-translator/$name"
    else
        { echo "Transform: AWS::Serverless-2016-10-31"; cat "$f"; } > "$work/sam-translator/$name"
    fi
done
# An empty configuration: no lambda-ls.toml above the corpus can change the result.
: > "$work/empty.toml"

measure() { # name tool files...
    local name=$1 tool=$2; shift 2
    local i
    for i in $(seq 1 "$runs"); do
        local report="$out/$name.$tool.json"
        if [ "$tool" = lambda-ls ]; then
            /usr/bin/time -v -o "$out/$name.$tool.$i.time" \
                "$bin" check --format json --fail-on never --config "$work/empty.toml" "$@" > "$report" || true
        else
            /usr/bin/time -v -o "$out/$name.$tool.$i.time" \
                "$cfnlint" --format json "$@" > "$report" || true
        fi
    done
}

(cd "$work/sam-translator" && mapfile -t files < <(ls) && measure sam-translator lambda-ls "${files[@]}" && measure sam-translator cfn-lint "${files[@]}")
(cd "$corpus/sam-init-apps" && mapfile -t files < <(find . \( -name template.yaml -o -name template.yml \) | sed 's|^\./||' | sort) \
    && measure sam-init lambda-ls "${files[@]}" && measure sam-init cfn-lint "${files[@]}")

crash="$work/crash.yaml"
{ echo "Transform: AWS::Serverless-2016-10-31"; cat "$corpus/sam-translator/input/error_invalid_logical_id.yaml"; } > "$crash"
set +e
"$bin" check --format json --fail-on never --config "$work/empty.toml" "$crash" > "$out/crash.lambda-ls.json"
crash_ours=$?
"$cfnlint" --format json "$crash" > "$out/crash.cfn-lint.json" 2> "$out/crash.cfn-lint.err"
crash_theirs=$?
set -e

python3 "$repo/tests/measure/compare_findings.py" --out "$out" --runs "$runs" \
    --map "$repo/tests/measure/cfn-lint-rule-map.tsv" \
    --lambda-ls-version "$("$bin" --version)" --cfn-lint-version "$("$cfnlint" --version 2>&1)" \
    --crash "$crash_ours" "$crash_theirs" "$(tail -n 1 "$out/crash.cfn-lint.err" 2>/dev/null)" \
    sam-translator sam-init
echo "raw reports and timings: $out (deleted on exit unless --out was given)" >&2
