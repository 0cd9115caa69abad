import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { DiscoveryInput, expandPath, fileIsExecutable, findServer } from "../src/discovery";

function input(existing: string[], over: Partial<DiscoveryInput> = {}): DiscoveryInput {
  const set = new Set(existing);
  return {
    home: "/home/ada",
    extensionPath: "/ext",
    platform: "linux",
    arch: "x64",
    pathEnv: "/usr/local/bin:/usr/bin",
    isExecutable: (p) => set.has(p),
    ...over,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const d = findServer(input(["/opt/lambda-ls", "/ext/bin/lambda-ls", "/usr/bin/lambda-ls"], { configured: "/opt/lambda-ls" }));
  assert.deepEqual(d, { ok: true, path: "/opt/lambda-ls", source: "setting" });
});

test("the setting expands ~ and ${workspaceFolder}, and resolves relative paths in the workspace", () => {
  assert.equal(expandPath("~/bin/lambda-ls", "/home/ada"), "/home/ada/bin/lambda-ls");
  assert.equal(expandPath("${workspaceFolder}/tools/lambda-ls", "/h", "/ws"), "/ws/tools/lambda-ls");
  const d = findServer(input(["/ws/tools/lambda-ls"], { configured: "tools/lambda-ls", workspaceFolder: "/ws" }));
  assert.deepEqual(d, { ok: true, path: "/ws/tools/lambda-ls", source: "setting" });
});

test("a setting that points nowhere is an error with a fix, not a silent fallback", () => {
  const d = findServer(input(["/ext/bin/lambda-ls"], { configured: "~/nope/lambda-ls" }));
  assert.equal(d.ok, false);
  if (d.ok) return;
  assert.match(d.message, /lambdaLs\.server\.path \(\/home\/ada\/nope\/lambda-ls\) does not exist/);
  assert.match(d.fix, /clear it/);
});

test("the bundled binary comes before PATH; a platform folder before bin/", () => {
  assert.deepEqual(findServer(input(["/ext/bin/lambda-ls", "/usr/bin/lambda-ls"])), { ok: true, path: "/ext/bin/lambda-ls", source: "bundled" });
  assert.deepEqual(findServer(input(["/ext/bin/linux-x64/lambda-ls", "/ext/bin/lambda-ls"])), {
    ok: true,
    path: "/ext/bin/linux-x64/lambda-ls",
    source: "bundled",
  });
});

test("PATH is searched in order; blank settings are ignored", () => {
  const d = findServer(input(["/usr/bin/lambda-ls", "/usr/local/bin/lambda-ls"], { configured: "  " }));
  assert.deepEqual(d, { ok: true, path: "/usr/local/bin/lambda-ls", source: "path" });
});

test("Windows: PATHEXT names and ; separators", () => {
  const d = findServer(
    input(["C:\\tools\\lambda-ls.exe"], { platform: "win32", pathEnv: "C:\\nothing;C:\\tools", pathExt: ".COM;.EXE", extensionPath: "C:\\ext" }),
  );
  assert.equal(d.ok, true);
  if (d.ok) assert.equal(d.source, "path");
});

test("nothing found: the message says what was tried and how to fix it", () => {
  const d = findServer(input([]));
  assert.equal(d.ok, false);
  if (d.ok) return;
  assert.match(d.message, /not found/);
  assert.match(d.fix, /cargo install --path server/);
  assert.match(d.fix, /lambdaLs\.server\.path/);
  assert.deepEqual(d.tried, ["/ext/bin/linux-x64/lambda-ls", "/ext/bin/lambda-ls", "/usr/local/bin/lambda-ls", "/usr/bin/lambda-ls"]);
});

test("real files: only executable regular files count", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-ls-disc-"));
  const exe = path.join(dir, "lambda-ls");
  fs.writeFileSync(exe, "#!/bin/sh\n");
  const isExe = fileIsExecutable(fs, "linux");
  fs.chmodSync(exe, 0o644);
  assert.equal(isExe(exe), false);
  fs.chmodSync(exe, 0o755);
  assert.equal(isExe(exe), true);
  assert.equal(isExe(dir), false);
  assert.deepEqual(findServer({ home: "/h", extensionPath: "/none", platform: "linux", arch: "x64", pathEnv: dir, isExecutable: isExe }), {
    ok: true,
    path: exe,
    source: "path",
  });
});
