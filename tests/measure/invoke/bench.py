#!/usr/bin/env python3
"""Side-by-side local invoke timings on one machine, in one run:

* cold: the whole process, from start to the payload, of a trivial Python and Node handler:
  `lambda-ls invoke`, `python-lambda-local`, `lambda-local`, and RIE + awslambdaric (start to first answer);
* warm: the cost of one more invocation on a running instance: `lambda-ls invoke --repeat` (in-process
  round trip through the Runtime API and the runtime) and RIE + awslambdaric (one keep-alive HTTP request).
  python-lambda-local and lambda-local have no warm mode: every invocation is a new process.

Every tool runs the same python3 (the venv's interpreter) and the same node.
Usage: tests/measure/invoke/bench.py [--peers DIR] [--lambda-ls PATH] [--runs N]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

PY = "def handler(event, context):\n    return {'ok': True}\n"
JS = "exports.handler = async (event) => ({ ok: true });\n"
TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.11, Handler: app.handler, CodeUri: ., Timeout: 5}
  Js:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs20.x, Handler: index.handler, CodeUri: ., Timeout: 5}
"""


def wall(cmd, cwd, env=None):
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=60)
    took = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {out.stderr.decode(errors='replace')[-2000:]}")
    return took


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rie(peers, work, python, warm_runs):
    """Cold: start the emulator and runtime, first answer. Warm: keep-alive requests after that."""
    port, api = free_port(), free_port()
    env = dict(os.environ, AWS_LAMBDA_FUNCTION_TIMEOUT="5")
    t = time.perf_counter()
    proc = subprocess.Popen(
        [os.path.join(peers, "rie", "aws-lambda-rie"), "--runtime-interface-emulator-address", f"127.0.0.1:{port}",
         "--runtime-api-address", f"127.0.0.1:{api}", python, "-m", "awslambdaric", "app.handler"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", "/2015-03-31/functions/function/invocations", b"{}")
                body = conn.getresponse().read()
                if json.loads(body) != {"ok": True}:
                    sys.exit(f"the emulator answered {body!r}")
                break
            except (ConnectionRefusedError, http.client.RemoteDisconnected):
                time.sleep(0.002)
        cold = time.perf_counter() - t
        # Warm: one keep-alive connection, each request in a single write with TCP_NODELAY (as curl
        # does), so no Nagle/delayed-ACK stall is charged to the emulator.
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request = (b"POST /2015-03-31/functions/function/invocations HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Length: 2\r\n\r\n{}")
        warm = []
        buf = b""
        for _ in range(warm_runs):
            s = time.perf_counter()
            sock.sendall(request)
            while True:
                end = buf.find(b"\r\n\r\n")
                if end >= 0:
                    head = buf[:end].decode("latin-1").lower()
                    length = int(head.split("content-length:")[1].split("\r\n")[0]) if "content-length:" in head else 0
                    if len(buf) >= end + 4 + length:
                        if json.loads(buf[end + 4:end + 4 + length]) != {"ok": True}:
                            sys.exit(f"the emulator answered {buf!r}")
                        buf = buf[end + 4 + length:]
                        break
                buf += sock.recv(65536)
            warm.append(time.perf_counter() - s)
        sock.close()
        return cold, warm
    finally:
        proc.kill()
        proc.wait()


def ms(x):
    return f"{x * 1000:.1f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", default="/tmp/lambda-ls-invoke-peers")
    ap.add_argument("--lambda-ls", default=os.path.join(REPO, "target", "release", "lambda-ls"))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warm", type=int, default=500)
    args = ap.parse_args()
    args.lambda_ls = os.path.abspath(args.lambda_ls)
    # The venv's interpreter (awslambdaric is installed there), for every tool alike.
    python = os.path.join(args.peers, "venv", "bin", "python")
    venv_bin = os.path.join(args.peers, "venv", "bin")
    node = shutil.which("node")
    work = tempfile.mkdtemp(prefix="lambda-ls-bench-")
    try:
        for name, text in [("app.py", PY), ("index.js", JS), ("event.json", "{}"), ("template.yaml", TEMPLATE)]:
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
        ours_env = dict(os.environ, LAMBDA_LS_PYTHON=python, LAMBDA_LS_NODE=node,
                        LAMBDA_LS_CACHE_DIR=os.path.join(work, ".cache"))
        peer_env = dict(os.environ, PATH=venv_bin + os.pathsep + os.environ.get("PATH", ""))
        tools = {
            "lambda-ls (python)": ([args.lambda_ls, "invoke", "Py", "--event", "event.json"], ours_env),
            "python-lambda-local": ([os.path.join(venv_bin, "python-lambda-local"), "-f", "handler", "-t", "5", "app.py", "event.json"], peer_env),
            "lambda-ls (node)": ([args.lambda_ls, "invoke", "Js", "--event", "event.json"], ours_env),
            "lambda-local": ([os.path.join(args.peers, "npm", "node_modules", ".bin", "lambda-local"), "-l", "index.js", "-h", "handler", "-e", "event.json", "-t", "5"], peer_env),
        }
        for cmd, env in tools.values():  # warm the page cache and our bootstrap cache
            wall(cmd, work, env)
        cold = {name: [] for name in tools}
        cold["RIE + awslambdaric (python)"] = []
        rie_warm = []
        for _ in range(args.runs):  # interleaved, so machine noise hits every tool alike
            for name, (cmd, env) in tools.items():
                cold[name].append(wall(cmd, work, env))
            c, w = rie(args.peers, work, python, 0)
            cold["RIE + awslambdaric (python)"].append(c)
        _, rie_warm = rie(args.peers, work, python, args.warm)
        ours_warm = {}
        for lang, fn in [("python", "Py"), ("node", "Js")]:
            out = subprocess.run([args.lambda_ls, "invoke", fn, "--event", "event.json", "--repeat", str(args.warm + 1)],
                                 cwd=work, env=ours_env, capture_output=True, text=True, timeout=300)
            m = re.search(r"warm p50 ([\d.]+) ms, p90 ([\d.]+) ms", out.stderr)
            ours_warm[lang] = (float(m.group(1)) / 1000, float(m.group(2)) / 1000) if m else (float("nan"),) * 2

        print(f"python {python} ({subprocess.run([python, '-V'], capture_output=True, text=True).stdout.strip()}), "
              f"node {node} ({subprocess.run([node, '-v'], capture_output=True, text=True).stdout.strip()}), {args.runs} cold runs each, interleaved\n")
        print("| cold invoke, whole process | median | min | max |")
        print("|---|---|---|---|")
        for name, xs in cold.items():
            print(f"| {name} | {ms(statistics.median(xs))} | {ms(min(xs))} | {ms(max(xs))} |")
        med = {k: statistics.median(v) for k, v in cold.items()}
        print(f"\npython-lambda-local / lambda-ls (python): {med['python-lambda-local'] / med['lambda-ls (python)']:.2f}x; "
              f"lambda-local / lambda-ls (node): {med['lambda-local'] / med['lambda-ls (node)']:.2f}x; "
              f"RIE + awslambdaric / lambda-ls (python): {med['RIE + awslambdaric (python)'] / med['lambda-ls (python)']:.2f}x\n")
        print(f"| warm invoke ({args.warm} invocations) | p50 | p90 |")
        print("|---|---|---|")
        for lang, (p50, p90) in ours_warm.items():
            print(f"| lambda-ls ({lang}), in-process round trip | {ms(p50)} | {ms(p90)} |")
        q = statistics.quantiles(rie_warm, n=10)
        print(f"| RIE + awslambdaric (python), keep-alive HTTP request | {ms(statistics.median(rie_warm))} | {ms(q[8])} |")
        print(f"| python-lambda-local (no warm mode: a new process) | {ms(med['python-lambda-local'])} | |")
        print(f"| lambda-local (no warm mode: a new process) | {ms(med['lambda-local'])} | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
