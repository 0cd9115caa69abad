// Real-editor smoke test: code-server (VS Code in a browser) with the packaged extension installed, driven by
// Playwright in headless Chromium. On the sample app it asserts a diagnostic squiggle (and its line and
// column in the Problems panel), a completion item for `s3:Get`, the "▶ Invoke" code lens, and that invoke is
// refused with its reason in Restricted Mode; with `--vsix-unbundled`, that a missing server is reported with
// a fix. Prints how long each step took.
//
//   node tests/editors/code-server-smoke.mjs --code-server ENTRY.js --vsix BUNDLED.vsix [--vsix-unbundled PLAIN.vsix]
//                                          [--chromium /usr/bin/chromium] [--screenshots DIR]
// Features listed in tests/editors/pending.json are tried too: a failure there is reported as skipped (TODO).
import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const require = createRequire(path.join(repo, "editors", "vscode", "package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const codeServer = opt("--code-server");
const vsix = opt("--vsix");
const vsixUnbundled = opt("--vsix-unbundled");
const chromiumPath = opt("--chromium", "/usr/bin/chromium");
const shots = opt("--screenshots");
if (!codeServer || !vsix) {
  console.error("usage: code-server-smoke.mjs --code-server ENTRY.js --vsix FILE.vsix [--vsix-unbundled FILE.vsix] [--chromium PATH] [--screenshots DIR]");
  process.exit(2);
}
const pending =
  process.env.LAMBDA_LS_EDITOR_STRICT === "1" ? {} : JSON.parse(fs.readFileSync(path.join(here, "pending.json"), "utf8"));

const t0 = Date.now();
const timings = [];
const mark = (what, since) => timings.push([what, Date.now() - since]);
const counts = { pass: 0, fail: 0, skip: 0 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-ls-smoke-"));
const sessions = [];
let page;

async function step(name, feature, fn) {
  const start = Date.now();
  try {
    await fn();
    counts.pass++;
    console.log(`ok - ${name} (${Date.now() - start} ms)${feature && pending[feature] ? `  (passes now: remove "${feature}" from pending.json)` : ""}`);
  } catch (e) {
    if (feature && pending[feature]) {
      counts.skip++;
      console.log(`todo - ${name} # waits for ${feature}: ${pending[feature]}`);
    } else {
      counts.fail++;
      console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).replace(/\n/g, "\n  ")}`);
    }
  }
  if (shots) await page?.screenshot({ path: path.join(shots, `${name.replace(/[^a-z0-9]+/gi, "-")}.png`) }).catch(() => {});
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** code-server with `vsixFile` installed in fresh folders, and a browser page on a copy of the sample app. */
async function session(name, vsixFile, env) {
  const dir = path.join(tmp, name);
  const userData = path.join(dir, "user-data");
  const extensions = path.join(dir, "extensions");
  const workspace = path.join(dir, "app");
  fs.cpSync(path.join(here, "fixtures", "app"), workspace, { recursive: true });
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      // The folder opens in Restricted Mode: everything but invoke must work there.
      "security.workspace.trust.enabled": true,
      "security.workspace.trust.startupPrompt": "never",
      // Word-based suggestions would offer words of the file; only the server's items count here.
      "editor.wordBasedSuggestions": "off",
      "editor.quickSuggestions": { other: false, comments: false, strings: false },
      "editor.minimap.enabled": false,
      "editor.stickyScroll.enabled": false,
      "editor.wordWrap": "on",
      "lambdaLs.diagnostics.delayMs": 50,
    }),
  );
  const s = { workspace };
  sessions.push(s);
  let start = Date.now();
  execFileSync(process.execPath, [codeServer, "--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", path.resolve(vsixFile)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  mark(`${name}: install the .vsix`, start);

  start = Date.now();
  const port = await freePort();
  s.server = spawn(
    process.execPath,
    [codeServer, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--user-data-dir", userData, "--extensions-dir", extensions,
      "--disable-telemetry", "--disable-update-check", "--disable-getting-started-override", workspace],
    { stdio: ["ignore", "pipe", "pipe"], detached: true, env },
  );
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${log}`)), 60_000);
    const onData = (d) => {
      log += d.toString();
      if (/HTTP server listening on/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    s.server.stdout.on("data", onData);
    s.server.stderr.on("data", onData);
    s.server.on("exit", (code) => reject(new Error(`code-server exited with ${code}:\n${log}`)));
  });
  mark(`${name}: start code-server`, start);

  start = Date.now();
  s.browser = await chromium.launchPersistentContext(path.join(dir, "chromium-profile"), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = s.browser.pages()[0] ?? (await s.browser.newPage());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  mark(`${name}: open the workbench`, start);
  return s;
}

async function close(s) {
  await s.browser?.close().catch(() => {});
  if (s.server && s.server.exitCode === null) {
    try {
      process.kill(-s.server.pid, "SIGTERM");
    } catch {}
  }
}

async function quickOpen(file) {
  // The explorer must have the folder before Quick Open finds files in it.
  await page.locator(".explorer-folders-view").waitFor({ timeout: 60_000 });
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 20_000 });
  await page.keyboard.type(file);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: file }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
}

async function runCommand(title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 20_000 });
  await page.keyboard.type(title);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
}

try {
  const s = await session("bundled", vsix, { ...process.env, PATH: "/usr/bin:/bin" });
  const editor = page.locator(".monaco-editor[data-uri$='template.yaml']").first();

  await step("open template.yaml through Quick Open", null, async () => {
    await quickOpen("template.yaml");
    await editor.waitFor({ timeout: 20_000 });
  });

  await step("diagnostic squiggle under the misspelt runtime, at the right line and column", null, async () => {
    await editor.locator(".squiggly-error").first().waitFor({ timeout: 60_000 });
    // The Problems panel shows the server's message and rule id for it.
    await page.keyboard.press("Control+Shift+M");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: "is not a Lambda runtime" }).first();
    await row.waitFor({ timeout: 20_000 });
    const text = await row.innerText();
    if (!text.includes("function/unknown-runtime")) throw new Error(`problem row: ${text}`);
    // VS Code counts columns in UTF-16 code units; the line holds ü, ß, ö and an emoji before the value.
    const lines = fs.readFileSync(path.join(s.workspace, "template.yaml"), "utf8").split("\n");
    const ln = lines.findIndex((l) => l.includes("Runtime: nodejs22 }"));
    const col = lines[ln].indexOf("nodejs22 }") + 1;
    if (!text.includes(`[Ln ${ln + 1}, Col ${col}]`)) throw new Error(`expected [Ln ${ln + 1}, Col ${col}] in: ${text}`);
    await editor.click();
  });

  await step("Show server output: the bundled server runs; Restart server starts it again", null, async () => {
    await runCommand("lambda-ls: Show server output");
    const out = page.locator(".panel .monaco-editor", { hasText: "(bundled)" }).first();
    await out.waitFor({ timeout: 20_000 });
    // Monaco renders spaces as no-break spaces.
    const starts = async () => ((await out.innerText()).match(/Starting[\s\u00a0]\S+[\s\u00a0]\(bundled\)/g) ?? []).length;
    const before = await starts();
    await runCommand("lambda-ls: Restart server");
    await page.waitForFunction(
      ([n]) => {
        const el = [...document.querySelectorAll(".panel .monaco-editor")].find((e) => e.textContent.includes("(bundled)"));
        return el && (el.textContent.match(/Starting[\s\u00a0]\S+[\s\u00a0]\(bundled\)/g) ?? []).length > n;
      },
      [before],
      { timeout: 30_000 },
    );
    // Diagnostics come back from the new server.
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel .monaco-list-row", { hasText: "is not a Lambda runtime" }).first().waitFor({ timeout: 30_000 });
    await editor.click();
  });

  await step("Restricted Mode: invoke is refused with the reason", null, async () => {
    await page.locator(".statusbar", { hasText: "Restricted Mode" }).first().waitFor({ timeout: 20_000 });
    await runCommand("lambda-ls: Invoke function");
    await page.locator(".notification-toast", { hasText: "only in a trusted workspace" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press("Escape");
    await editor.click();
  });

  await step("▶ Invoke code lens above the function", "invoke", async () => {
    await editor.locator(".codelens-decoration", { hasText: "▶ Invoke" }).first().waitFor({ timeout: 30_000 });
  });

  await step("trusted: ▶ Invoke streams logs into the output and opens the result read-only", "invoke", async () => {
    await runCommand("Workspaces: Manage Workspace Trust");
    await page.locator(".workspace-trust-editor a.monaco-button", { hasText: /^Trust$/ }).first().click({ timeout: 20_000 });
    await page.locator(".statusbar", { hasText: "Restricted Mode" }).first().waitFor({ state: "detached", timeout: 20_000 });
    await page.locator(".tabs-container .tab", { hasText: "template.yaml" }).first().click();
    // The server restarts on trust; its lenses come back.
    await editor.locator(".codelens-decoration a", { hasText: "▶ Invoke" }).first().click({ timeout: 60_000 });
    const result = page.locator(".monaco-editor[data-uri^='lambda-ls-result']").first();
    await result.waitFor({ timeout: 60_000 });
    await result.locator(".view-lines", { hasText: "succeeded" }).waitFor({ timeout: 20_000 });
    // Monaco renders spaces as no-break spaces.
    const text = (await result.locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
    if (!/REPORT RequestId/.test(text) || !text.includes("Grüße")) throw new Error(`result editor: ${text}`);
    // Read-only: typing is refused with VS Code's message.
    await result.locator(".view-lines").click();
    await page.keyboard.type("x");
    await page.locator(".monaco-editor-overlaymessage", { hasText: /read-only/i }).first().waitFor({ timeout: 10_000 });
    const output = page.locator(".output-view, .panel .monaco-editor", { hasText: "START RequestId" }).first();
    await output.waitFor({ timeout: 20_000 });
  });

  await step("trusted: Invoke with event… offers the events folder and runs with the chosen file", "invoke", async () => {
    await page.locator(".tabs-container .tab", { hasText: "template.yaml" }).first().click();
    await editor.locator(".codelens-decoration a", { hasText: "Invoke with event" }).first().click({ timeout: 30_000 });
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "hello.json" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.type("hello.json");
    await page.keyboard.press("Enter");
    const result = page.locator(".monaco-editor[data-uri*='result%202'], .monaco-editor[data-uri*='result 2']").first();
    await result.waitFor({ timeout: 60_000 });
    await result.locator(".view-lines", { hasText: "Ada" }).waitFor({ timeout: 20_000 });
  });

  await step("Show sample events opens one as JSON", "invoke", async () => {
    await runCommand("lambda-ls: Show sample events");
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "sqs" }).first();
    await row.waitFor({ timeout: 20_000 });
    await page.keyboard.type("sqs");
    await page.keyboard.press("Enter");
    await page.locator(".monaco-editor[data-uri^='untitled']", { hasText: "Records" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press("Control+W");
    const dontSave = page.locator(".monaco-dialog-box a.monaco-button", { hasText: /Don't Save/ });
    if (await dontSave.count()) await dontSave.first().click();
  });

  await step("completion offers s3:GetObject after s3:Get", "iam-completion", async () => {
    const text = fs.readFileSync(path.join(s.workspace, "template.yaml"), "utf8").split("\n");
    const line = text.findIndex((l) => l.includes("- s3:GetObject")) + 1;
    await editor.click();
    await page.keyboard.press("Control+G");
    await page.keyboard.type(String(line));
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    for (let i = 0; i < "Object".length; i++) await page.keyboard.press("Backspace");
    await page.keyboard.press("Control+Space");
    // The server's list for `s3:Get` is long and alphabetical; typing on filters it to s3:GetObject.
    await page.locator(".suggest-widget .monaco-list-row", { hasText: "s3:Get" }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.type("Object");
    await page.locator(".suggest-widget .monaco-list-row", { hasText: /^s3:GetObject/ }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press("Escape");
  });
  await close(s);

  if (vsixUnbundled) {
    // No bundled binary, no setting, and a PATH without lambda-ls.
    const u = await session("unbundled", vsixUnbundled, { ...process.env, PATH: "/usr/bin:/bin" });
    await step("without a server: an error that names the fix", null, async () => {
      await quickOpen("template.yaml");
      const toast = page.locator(".notification-toast", { hasText: "lambda-ls server was not found" }).first();
      await toast.waitFor({ timeout: 60_000 });
      const text = await toast.innerText();
      if (!/cargo install --path server/.test(text) || !/lambdaLs\.server\.path/.test(text)) throw new Error(`message: ${text}`);
      await toast.locator("a.monaco-button", { hasText: "Open Settings" }).first().waitFor({ timeout: 5_000 });
    });
    await close(u);
  }
} catch (e) {
  console.log(`not ok - smoke test setup\n  ${String(e?.stack ?? e).replace(/\n/g, "\n  ")}`);
  counts.fail++;
  if (shots && page) await page.screenshot({ path: path.join(shots, "setup-failure.png") }).catch(() => {});
} finally {
  for (const s of sessions) await close(s);
  fs.rmSync(tmp, { recursive: true, force: true });
}
for (const [what, ms] of timings) console.log(`# ${what}: ${(ms / 1000).toFixed(1)} s`);
console.log(`# total: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`code-server-smoke: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
process.exit(counts.fail > 0 ? 1 : 0);
