// Builds the .vsix. With `--binary PATH` (or LAMBDA_LS_BINARY) the server binary is bundled in bin/ and the
// package is marked for this platform, so installing it takes one step.
//
//   node scripts/package.mjs [--binary target/release/lambda-ls] [--out lambda-ls.vsix]
import { execFileSync } from "child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from "fs";
import { dirname, join, resolve } from "path";
import { fileURLToPath } from "url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const binary = opt("--binary") ?? process.env.LAMBDA_LS_BINARY;
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

const targets = {
  "linux-x64": "linux-x64",
  "linux-arm64": "linux-arm64",
  "darwin-x64": "darwin-x64",
  "darwin-arm64": "darwin-arm64",
  "win32-x64": "win32-x64",
  "win32-arm64": "win32-arm64",
};
const platform = `${process.platform}-${process.arch}`;

rmSync(join(root, "bin"), { recursive: true, force: true });
const vsceArgs = ["package", "--no-dependencies", "--skip-license"];
let out = opt("--out");
if (binary) {
  const exe = process.platform === "win32" ? "lambda-ls.exe" : "lambda-ls";
  mkdirSync(join(root, "bin"), { recursive: true });
  copyFileSync(resolve(binary), join(root, "bin", exe));
  chmodSync(join(root, "bin", exe), 0o755);
  const target = targets[platform];
  if (target) vsceArgs.push("--target", target);
  out ??= `lambda-ls-${platform}-${version}.vsix`;
} else {
  out ??= `lambda-ls-${version}.vsix`;
}
vsceArgs.push("--out", resolve(out));
const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
try {
  execFileSync(process.execPath, [vsce, ...vsceArgs], { cwd: root, stdio: "inherit" });
} finally {
  rmSync(join(root, "bin"), { recursive: true, force: true });
}
console.log(resolve(out));
