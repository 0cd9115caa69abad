#!/usr/bin/env bash
# Installs the local-invoke peers into a throwaway folder (default /tmp/lambda-ls-invoke-peers):
#   * awslambdaric 4.2.2 and python-lambda-local 0.1.13 (PyPI) in a venv;
#   * the Runtime Interface Emulator binary from the aws-sam-cli 1.170.0 wheel (PyPI, no Docker);
#   * lambda-local 2.2.0 (npm).
# Usage: tests/measure/invoke/setup_peers.sh [DIR]
set -euo pipefail
DIR="${1:-/tmp/lambda-ls-invoke-peers}"
mkdir -p "$DIR"
cd "$DIR"
if [ ! -x venv/bin/python ]; then
  python3 -m venv venv
  venv/bin/pip install --quiet awslambdaric==4.2.2 python-lambda-local==0.1.13
fi
if [ ! -x rie/aws-lambda-rie ]; then
  venv/bin/pip download --quiet --no-deps -d wheel aws-sam-cli==1.170.0
  mkdir -p rie
  arch="$(uname -m)"; case "$arch" in aarch64|arm64) arch=arm64 ;; *) arch=x86_64 ;; esac
  venv/bin/python - "$arch" <<'PY'
import glob, sys, zipfile
arch = sys.argv[1]
(whl,) = glob.glob("wheel/aws_sam_cli-*.whl")
with zipfile.ZipFile(whl) as z:
    data = z.read(f"samcli/local/rapid/aws-lambda-rie-{arch}")
with open("rie/aws-lambda-rie", "wb") as f:
    f.write(data)
PY
  chmod +x rie/aws-lambda-rie
fi
if [ ! -x npm/node_modules/.bin/lambda-local ]; then
  mkdir -p npm
  (cd npm && npm install --silent --no-audit --no-fund lambda-local@2.2.0 >/dev/null)
fi
echo "$DIR"
