#!/usr/bin/env bash
# Runs every test suite of the repository: the Rust unit tests and the end-to-end suites that drive the
# built binary as an editor and as CI, then the editor integration suites.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --locked

if [ -x tests/editors/run.sh ]; then
    tests/editors/run.sh
fi
