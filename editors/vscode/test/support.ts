// Shared by the tests: the repository, the server binary cargo built, fixtures in temp folders, and the list of
// server features that have not landed yet (tests of those run as TODO until the feature is there).

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, "Cargo.toml")) && fs.existsSync(path.join(dir, "server"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository above ${__dirname}`);
    dir = up;
  }
}

/** The binary `cargo build` made (LAMBDA_LS_BINARY overrides). */
export function builtBinary(): string {
  const p = process.env.LAMBDA_LS_BINARY ?? path.join(repoRoot(), "target", "debug", process.platform === "win32" ? "lambda-ls.exe" : "lambda-ls");
  if (!fs.existsSync(p)) throw new Error(`${p} does not exist: run \`cargo build\` first`);
  return p;
}

/** A fresh copy of tests/editors/fixtures/NAME. */
export function fixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-ls-editor-"));
  fs.cpSync(path.join(repoRoot(), "tests", "editors", "fixtures", name), dir, { recursive: true });
  return dir;
}

/** A TODO reason when `feature` is listed in tests/editors/pending.json; undefined once it has landed or under
 * LAMBDA_LS_EDITOR_STRICT=1. */
export function pending(feature: string): string | undefined {
  if (process.env.LAMBDA_LS_EDITOR_STRICT === "1") return undefined;
  const list = JSON.parse(fs.readFileSync(path.join(repoRoot(), "tests", "editors", "pending.json"), "utf8")) as Record<string, string>;
  const reason = list[feature];
  return reason === undefined ? undefined : `waits for ${feature}: ${reason}`;
}

/** Length of `s` in the given position encoding's code units. */
export function unitsOf(s: string, encoding: "utf-8" | "utf-16"): number {
  return encoding === "utf-8" ? Buffer.byteLength(s, "utf8") : s.length;
}
