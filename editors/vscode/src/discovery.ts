// Finds the lambda-ls binary: the `lambdaLs.server.path` setting, then a binary bundled in the extension,
// then `lambda-ls` on PATH. Pure apart from the injected file checks, so it is unit-tested without VS Code.

import * as nodePath from "path";

function pathFor(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === "win32" ? nodePath.win32 : nodePath.posix;
}

export type ServerSource = "setting" | "bundled" | "path";

export interface DiscoveryInput {
  /** The raw `lambdaLs.server.path` value (may hold `~` or `${workspaceFolder}`). */
  configured?: string;
  workspaceFolder?: string;
  home: string;
  extensionPath: string;
  platform: NodeJS.Platform;
  arch: string;
  /** The PATH variable. */
  pathEnv?: string;
  /** Windows' PATHEXT. */
  pathExt?: string;
  /** True for an existing, executable regular file. */
  isExecutable(file: string): boolean;
}

export type Discovery =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; message: string; fix: string; tried: string[] };

export const BINARY = "lambda-ls";

/** Expands a leading `~` and `${workspaceFolder}`, `${userHome}` in a path setting. */
export function expandPath(raw: string, home: string, workspaceFolder?: string): string {
  let p = raw.trim();
  if (p === "~" || p.startsWith("~/") || p.startsWith("~\\")) {
    p = home + p.slice(1);
  }
  p = p.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return p;
}

function exeNames(platform: NodeJS.Platform, pathExt?: string): string[] {
  if (platform !== "win32") {
    return [BINARY];
  }
  const exts = (pathExt || ".EXE;.CMD;.BAT").split(";").filter((e) => e.length > 0);
  return exts.map((e) => BINARY + e.toLowerCase());
}

/** Binaries an extension package may carry: one for this platform, or a single one in `bin/`. */
export function bundledCandidates(input: DiscoveryInput): string[] {
  const path = pathFor(input.platform);
  const exe = input.platform === "win32" ? `${BINARY}.exe` : BINARY;
  const bin = path.join(input.extensionPath, "bin");
  return [path.join(bin, `${input.platform}-${input.arch}`, exe), path.join(bin, exe)];
}

export function pathCandidates(input: DiscoveryInput): string[] {
  const path = pathFor(input.platform);
  const sep = input.platform === "win32" ? ";" : ":";
  const dirs = (input.pathEnv ?? "").split(sep).filter((d) => d.length > 0);
  const names = exeNames(input.platform, input.pathExt);
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of names) {
      out.push(path.join(dir, name));
    }
  }
  return out;
}

export function findServer(input: DiscoveryInput): Discovery {
  const path = pathFor(input.platform);
  const configured = input.configured?.trim();
  if (configured) {
    let p = expandPath(configured, input.home, input.workspaceFolder);
    if (!path.isAbsolute(p) && input.workspaceFolder !== undefined) {
      p = path.join(input.workspaceFolder, p);
    }
    if (input.isExecutable(p)) {
      return { ok: true, path: p, source: "setting" };
    }
    // A wrong setting is reported, not silently replaced by another binary the user did not choose.
    return {
      ok: false,
      message: `The lambda-ls server set in lambdaLs.server.path (${p}) does not exist or is not executable.`,
      fix: "Correct the lambdaLs.server.path setting, or clear it to use the bundled binary or lambda-ls on PATH.",
      tried: [p],
    };
  }
  const tried: string[] = [];
  for (const p of bundledCandidates(input)) {
    tried.push(p);
    if (input.isExecutable(p)) {
      return { ok: true, path: p, source: "bundled" };
    }
  }
  for (const p of pathCandidates(input)) {
    tried.push(p);
    if (input.isExecutable(p)) {
      return { ok: true, path: p, source: "path" };
    }
  }
  return {
    ok: false,
    message: "The lambda-ls server was not found: this extension has no bundled binary and `lambda-ls` is not on PATH.",
    fix:
      "Install it from a checkout of lambda-ls with `cargo install --path server` (it lands in ~/.cargo/bin, which must be on PATH), or set lambdaLs.server.path to the binary.",
    tried,
  };
}

/** An `isExecutable` for real files. */
export function fileIsExecutable(fs: typeof import("fs"), platform: NodeJS.Platform) {
  return (file: string): boolean => {
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) {
        return false;
      }
      if (platform === "win32") {
        return true;
      }
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}
