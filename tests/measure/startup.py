#!/usr/bin/env python3
"""Language-server start-up and idle memory, measured from outside like an editor sees it.

For each run: spawn `lambda-ls serve`, send `initialize`, time until the answer arrives; then open the
example template, wait for its diagnostics, and read the process's resident memory (VmRSS) and peak
(VmHWM) from /proc. Prints the median and range over the runs.

Usage: tests/measure/startup.py [--bin target/release/lambda-ls] [--runs 20]
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def send(proc, msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def recv(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise EOFError("server closed stdout")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def wait_for(proc, pred):
    while True:
        msg = recv(proc)
        if "method" in msg and "id" in msg:  # a server request: answer it
            send(proc, {"jsonrpc": "2.0", "id": msg["id"], "result": None})
            continue
        if pred(msg):
            return msg


def mem_kib(pid, field):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def one_run(binary):
    template = ROOT / "examples" / "sam-app" / "template.yaml"
    started = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": os.getpid(), "rootUri": template.parent.as_uri(), "capabilities": {}}})
    wait_for(proc, lambda m: m.get("id") == 1)
    init_ms = (time.perf_counter() - started) * 1000
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = template.as_uri()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                            "text": template.read_text()}}})
    wait_for(proc, lambda m: m.get("method") == "textDocument/publishDiagnostics")
    first_diag_ms = (time.perf_counter() - started) * 1000
    time.sleep(0.2)  # let allocator caches settle before reading idle memory
    rss = mem_kib(proc.pid, "VmRSS")
    hwm = mem_kib(proc.pid, "VmHWM")
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    return init_ms, first_diag_ms, rss, hwm


def summary(name, values, unit):
    print(f"{name:38} median {statistics.median(values):8.1f} {unit}  (min {min(values):.1f}, max {max(values):.1f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "lambda-ls"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    runs = [one_run(args.bin) for _ in range(args.runs)]
    summary("spawn → initialize answered", [r[0] for r in runs], "ms")
    summary("spawn → first diagnostics (template)", [r[1] for r in runs], "ms")
    summary("idle resident memory after one template", [r[2] / 1024 for r in runs], "MiB")
    summary("peak resident memory", [r[3] / 1024 for r in runs], "MiB")


if __name__ == "__main__":
    main()
