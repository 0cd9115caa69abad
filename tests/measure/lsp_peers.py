#!/usr/bin/env python3
"""Language servers side by side, measured from outside like an editor sees them: lambda-ls against any
other server given on the command line (the CloudFormation peers: `cfn-lsp-extra` from PyPI; see
lsp_peers_setup.sh).

For each server, in one run on one machine:
  * start-up: spawn → `initialize` answered (median of --runs runs);
  * first diagnostics: `didOpen` of a small SAM template → its first `publishDiagnostics`;
  * memory: resident set (VmRSS, process and children) after `initialize`, and after the
    5,000-line template is open and analysed;
  * an editing session on the 5,000-line template: --edits one-character edits at varying places, each
    followed by a completion request; completion latency is request → answer, diagnostic latency is
    `didChange` → the next `publishDiagnostics` for the document (servers that debounce include their delay).

Usage: tests/measure/lsp_peers.py [--runs 10] [--edits 200] NAME=COMMAND [NAME=COMMAND …]
  e.g. tests/measure/lsp_peers.py --init 'lambda-ls (no delay)={"diagnosticsDelayMs": 0}' \
           lambda-ls="target/release/lambda-ls serve" "lambda-ls (no delay)=target/release/lambda-ls serve" \
           cfn-lsp-extra="/tmp/lambda-ls-lsp-peers/bin/cfn-lsp-extra"
Prints a Markdown table.
"""
import argparse
import json
import os
import pathlib
import queue
import shlex
import statistics
import subprocess
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60.0


def template(lines):
    """The same shape as the analysis benchmark's template (server/benches/template.rs)."""
    s = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n"
         "  Function:\n    Runtime: python3.13\n    Timeout: 10\nResources:\n")
    i = 0
    while s.count("\n") < lines:
        s += (f"  Function{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/f{i}/\n"
              "      Handler: app.handler\n      MemorySize: 256\n      Environment:\n        Variables:\n"
              f"          TABLE: !Ref Table{i}\n          STAGE: prod\n      Policies:\n        - Statement:\n"
              "            - Effect: Allow\n              Action:\n                - dynamodb:GetItem\n"
              f"                - dynamodb:PutItem\n              Resource: !GetAtt Table{i}.Arn\n"
              "      Events:\n        Api:\n          Type: Api\n          Properties:\n"
              f"            Path: /f{i}\n            Method: get\n  Table{i}:\n    Type: AWS::DynamoDB::Table\n"
              "    Properties:\n      BillingMode: PAY_PER_REQUEST\n")
        i += 1
    return s


class Server:
    """One server process with a reader thread, so waits have timeouts and never hang the script."""

    def __init__(self, command, root):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=root)
        self.inbox = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.inbox.put((time.perf_counter(), json.loads(out.read(length))))

    def send(self, msg):
        body = json.dumps(dict(msg, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, pred):
        deadline = time.perf_counter() + TIMEOUT
        while True:
            item = self.inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
            if item is None:
                raise EOFError("server closed its output")
            at, msg = item
            if "method" in msg and "id" in msg:  # a server request (configuration, registration): answer it
                result = [None] * len(msg.get("params", {}).get("items", [])) \
                    if msg["method"] == "workspace/configuration" else None
                self.send({"id": msg["id"], "result": result})
                continue
            if pred(msg):
                return at, msg

    def initialize(self, root, options=None):
        rid = self.request("initialize", {
            "processId": os.getpid(), "initializationOptions": options, "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True},
                                              "completion": {"completionItem": {"snippetSupport": True}}}}})
        at, _ = self.wait(lambda m: m.get("id") == rid)
        self.send({"method": "initialized", "params": {}})
        return (at - self.started) * 1000

    def open(self, uri, text, version=1):
        sent = time.perf_counter()
        self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": version, "text": text}}})
        at, _ = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri)
        return (at - sent) * 1000

    def rss_mib(self):
        total = 0
        pids = [self.proc.pid]
        while pids:
            pid = pids.pop()
            try:
                for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
                    kids = (task / "children").read_text().split()
                    pids.extend(int(k) for k in kids)
            except OSError:
                pass
        return total / 1024

    def close(self):
        try:
            rid = self.request("shutdown", None)
            self.wait(lambda m: m.get("id") == rid)
            self.send({"method": "exit"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def settle(server, seconds=1.0):
    """Reads whatever the server still sends (late diagnostics, progress) for a moment."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        try:
            server.inbox.get(timeout=max(0.0, end - time.perf_counter()))
        except queue.Empty:
            return


def startup(command, root, small, options):
    s = Server(command, root)
    init = s.initialize(root, options)
    first = s.open((root / "template.yaml").as_uri(), small)
    s.close()
    return init, first


def session(command, root, big, edits, options, budget):
    s = Server(command, root)
    s.initialize(root, options)
    settle(s, 0.5)
    idle = s.rss_mib()
    uri = (root / "big" / "template.yaml").as_uri()
    s.open(uri, big)
    settle(s)
    loaded = s.rss_mib()
    lines = big.split("\n")
    # Edit the MemorySize values (digits stay valid) and ask for completion after `Runtime: ` lines' peers.
    targets = [n for n, l in enumerate(lines) if l.strip().startswith("MemorySize:")]
    completion, diagnostics = [], []
    version = 1
    started = time.perf_counter()
    for k in range(edits):
        # A slow server gets fewer edits (at least 10), so one run fits in minutes.
        if k >= 10 and time.perf_counter() - started > budget:
            break
        line = targets[(k * 7919) % len(targets)]
        col = lines[line].index(":") + 2
        version += 1
        sent = time.perf_counter()
        s.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col + 1}},
                                "text": str(1 + k % 9)}]}})
        rid = s.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                    "position": {"line": line + 1, "character": 6}})
        got_completion = got_diag = None
        while got_completion is None or got_diag is None:
            at, msg = s.wait(lambda m: m.get("id") == rid or (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                and m["params"].get("version", version) == version))
            if msg.get("id") == rid:
                got_completion = at
            else:
                got_diag = at
        completion.append((got_completion - sent) * 1000)
        diagnostics.append((got_diag - sent) * 1000)
    s.close()
    return idle, loaded, completion, diagnostics


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--budget", type=float, default=120.0,
                    help="seconds of editing per server; a server slower than that gets fewer edits (min 10)")
    ap.add_argument("--init", action="append", default=[], metavar="NAME=JSON",
                    help="initializationOptions for the server called NAME")
    ap.add_argument("servers", nargs="+", help="NAME=COMMAND")
    args = ap.parse_args()
    small = (ROOT / "examples" / "sam-app" / "template.yaml").read_text()
    big = template(5000)
    init = {k: json.loads(v) for k, _, v in (o.partition("=") for o in args.init)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "big").mkdir()
        (root / "template.yaml").write_text(small)
        (root / "big" / "template.yaml").write_text(big)
        for spec in args.servers:
            name, _, command = spec.partition("=")
            command = shlex.split(command)
            if os.path.exists(command[0]):  # the servers run inside the temporary project
                command[0] = os.path.abspath(command[0])
            starts = [startup(command, root, small, init.get(name)) for _ in range(args.runs)]
            idle, loaded, completion, diagnostics = session(command, root, big, args.edits, init.get(name), args.budget)
            rows.append((name, statistics.median(s[0] for s in starts), statistics.median(s[1] for s in starts),
                         idle, loaded, statistics.median(completion), pct(completion, 99),
                         statistics.median(diagnostics), pct(diagnostics, 99), len(completion)))
    print("| server | start-up (ms) | first diagnostics (ms) | RSS idle (MiB) | RSS 5,000-line template (MiB) "
          "| edits | completion p50 / p99 (ms) | diagnostics after edit p50 / p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.1f} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.1f} | {r[9]} | {r[5]:.1f} / {r[6]:.1f} "
              f"| {r[7]:.1f} / {r[8]:.1f} |")


if __name__ == "__main__":
    main()
