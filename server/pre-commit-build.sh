#!/bin/sh
# Runs lambda-ls from this checkout, building it with cargo the first time (pre-commit's `lambda-ls-build`
# hook). The build lands in this checkout's target/ folder, which pre-commit keeps between runs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/lambda-ls"
if [ ! -x "$bin" ] || [ "$here/Cargo.lock" -nt "$bin" ]; then
    cargo build --quiet --release --locked --manifest-path "$here/Cargo.toml" --bin lambda-ls >&2
fi
exec "$bin" "$@"
