#!/usr/bin/env bash
# Builds the fuzz targets with coverage instrumentation and AddressSanitizer and runs each briefly, so CI
# notices a target that no longer builds or a crash that a short run already finds. Long runs:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -O TARGET -- -max_total_time=600
# Usage: server/fuzz/smoke.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"
target="$(rustc -vV | sed -n 's/^host: //p')"
# The flags cargo-fuzz uses; stable toolchains accept them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address"
export ASAN_OPTIONS="detect_odr_violation=0"
cargo build --release --target "$target" --bins --quiet
for bin in value_tree positions policy models code yaml_readers; do
    corpus="$(mktemp -d)"
    seeds="seeds/$bin"
    echo "fuzz smoke: $bin for ${seconds}s"
    "target/$target/release/$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=0 \
        "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | grep -E "^Done|==ERROR|panicked|deadly signal" || true
    status=${PIPESTATUS[0]}
    rm -rf "$corpus"
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $bin failed" >&2
        exit 1
    fi
done
