#!/usr/bin/env python3
"""Runs the same Python handlers through the official Runtime Interface Emulator + awslambdaric and
through `lambda-ls invoke`, and prints where payloads and error shapes differ.

Usage: tests/measure/invoke/compare_rie.py [--peers DIR] [--lambda-ls PATH]
  DIR comes from tests/measure/invoke/setup_peers.sh (default /tmp/lambda-ls-invoke-peers).
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

CASES = [
    # (handler, event)
    ("app.ok", {"n": 1, "s": "ü"}),
    ("app.returns_none", {}),
    ("app.returns_str", {}),
    ("app.returns_decimal", {}),
    ("app.raise_value", {"n": 7}),
    ("app.raise_custom", {}),
    ("app.marshal", {}),
    ("app.async_handler", {}),
    ("app.one_arg", {}),
    ("app.context_shape", {}),
    ("app.missing_function", {}),
    ("missing_module.handler", {}),
    ("broken.handler", {}),
    ("import_fails.handler", {}),
    ("nodot", {}),
    ("sys.handler", {}),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rie_invoke(peers, workdir, handler, event):
    port, api_port = free_port(), free_port()
    env = dict(os.environ, AWS_LAMBDA_FUNCTION_TIMEOUT="5", AWS_LAMBDA_FUNCTION_NAME="Fn",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128", AWS_EXECUTION_ENV="AWS_Lambda_python3.11")
    proc = subprocess.Popen(
        [os.path.join(peers, "rie", "aws-lambda-rie"), "--runtime-interface-emulator-address", f"127.0.0.1:{port}",
         "--runtime-api-address", f"127.0.0.1:{api_port}", os.path.join(peers, "venv", "bin", "python"), "-m",
         "awslambdaric", handler],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 10
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                conn.request("POST", "/2015-03-31/functions/function/invocations", json.dumps(event))
                resp = conn.getresponse()
                return resp.status, resp.read()
            except (ConnectionRefusedError, http.client.RemoteDisconnected):
                if time.time() > deadline:
                    raise
                time.sleep(0.02)
    finally:
        proc.kill()
        proc.wait()


def ours_invoke(lambda_ls, workdir, function, event, python):
    path = os.path.join(workdir, "event.json")
    with open(path, "w") as f:
        json.dump(event, f)
    out = subprocess.run(
        [lambda_ls, "invoke", function, "--template", os.path.join(workdir, "template.yaml"), "--event", path,
         "--python", python],
        capture_output=True, timeout=30, env=dict(os.environ, LAMBDA_LS_CACHE_DIR=os.path.join(workdir, ".cache")))
    return out.returncode, out.stdout.strip()


def normalise(body):
    """Request ids and file paths differ by nature; everything else should be equal."""
    try:
        v = json.loads(body)
    except ValueError:
        return body.decode(errors="replace")
    if isinstance(v, dict):
        if "requestId" in v:
            v["requestId"] = "<id>" if v["requestId"] else ""
        if isinstance(v.get("stackTrace"), list):
            v["stackTrace"] = [os.path.basename(s.split('"')[1]) + ":" + s.split("line ")[-1].split(",")[0]
                               if s.startswith('  File "') and "line " in s else s for s in v["stackTrace"]]
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", default="/tmp/lambda-ls-invoke-peers")
    ap.add_argument("--lambda-ls", default=os.path.join(REPO, "target", "release", "lambda-ls"))
    args = ap.parse_args()
    args.lambda_ls = os.path.abspath(args.lambda_ls)
    python = os.path.realpath(os.path.join(args.peers, "venv", "bin", "python"))
    version = subprocess.run([python, "-c", "import sys;print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="lambda-ls-compare-")
    try:
        for name in os.listdir(os.path.join(HERE, "handlers")):
            shutil.copy(os.path.join(HERE, "handlers", name), work)
        resources = "".join(
            f"  F{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python{version}\n"
            f"      Handler: {h}\n      CodeUri: .\n      Timeout: 5\n      FunctionName: Fn\n"
            for i, (h, _) in enumerate(CASES))
        with open(os.path.join(work, "template.yaml"), "w") as f:
            f.write("Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources)
        same = 0
        differences = []
        print(f"| handler | RIE + awslambdaric (HTTP status, body) | lambda-ls (exit, stdout) | same |")
        print("|---|---|---|---|")
        for i, (handler, event) in enumerate(CASES):
            rs, rb = rie_invoke(args.peers, work, handler, event)
            oc, ob = ours_invoke(args.lambda_ls, work, f"F{i}", event, python)
            rn, on = normalise(rb), normalise(ob)
            equal = rn == on
            same += equal
            if not equal:
                differences.append((handler, rn, on))
            short = lambda v: json.dumps(v, ensure_ascii=False)[:110].replace("|", "\\|")
            print(f"| `{handler}` | {rs} {short(rn)} | {oc} {short(on)} | {'yes' if equal else '**no**'} |")
        print(f"\n{same}/{len(CASES)} payloads and error documents identical (request ids and paths normalised).")
        for handler, rn, on in differences:
            print(f"\n### {handler}\nRIE:       {json.dumps(rn, ensure_ascii=False)}\nlambda-ls: {json.dumps(on, ensure_ascii=False)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
