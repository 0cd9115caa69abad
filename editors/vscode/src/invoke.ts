// Invoke from the editor: code lenses and commands run `lambda-ls.invoke` on the server, logs stream into the
// "lambda-ls invoke" output channel, and the result opens in a read-only editor. Never in an untrusted
// workspace: invoking runs the workspace's code.

import { execFile } from "child_process";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import type { Server } from "./extension";
import * as protocol from "./protocol";
import { renderResult } from "./render";
import { eventsFolderFor } from "./settings";

export const RESULT_SCHEME = "lambda-ls-result";

export const UNTRUSTED_REASON =
  "Invoking runs this workspace's code on your machine, so lambda-ls allows it only in a trusted workspace.";

class ResultDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  add(functionName: string, text: string): vscode.Uri {
    this.n++;
    const safe = functionName.replace(/[^A-Za-z0-9_.-]/g, "_");
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${safe} result ${this.n}.jsonc` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }
}

function runCli(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: 15_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout);
    });
  });
}

async function sampleEvents(server: Server): Promise<{ type: string; description: string }[]> {
  const d = server.discovery;
  if (!d?.ok) return [];
  try {
    return protocol.parseEventList(await runCli(d.path, ["events", "list"]));
  } catch (e) {
    server.output.appendLine(`lambda-ls events list: ${e}`);
    return [];
  }
}

function eventFiles(server: Server, target: protocol.InvokeTarget): string[] {
  const dir = eventsFolderFor(server.settingsFor(vscode.Uri.file(target.config)), target.config);
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith(".json"))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

type EventItem = vscode.QuickPickItem & { choice?: () => Promise<protocol.EventChoice | undefined> };

/** What "Invoke with event…" offers: the server's choices when it has the command, else the events folder
 * and `lambda-ls events list`. */
async function eventChoices(server: Server, target: protocol.InvokeTarget): Promise<protocol.EventChoices> {
  if (server.offers(protocol.SERVER_EVENT_CHOICES)) {
    try {
      const choices = protocol.parseEventChoices(await server.execute(protocol.SERVER_EVENT_CHOICES, { ...target }));
      if (choices) return choices;
    } catch (e) {
      server.output.appendLine(`${protocol.SERVER_EVENT_CHOICES}: ${e}`);
    }
  }
  return { eventFiles: eventFiles(server, target), eventTypes: await sampleEvents(server) };
}

async function pickEvent(server: Server, target: protocol.InvokeTarget): Promise<protocol.EventChoice | undefined> {
  const items: EventItem[] = [];
  const choices = await eventChoices(server, target);
  const files = choices.eventFiles;
  if (files.length > 0) items.push({ label: "Event files", kind: vscode.QuickPickItemKind.Separator });
  for (const f of files) {
    items.push({
      label: `$(file) ${path.basename(f)}`,
      description: vscode.workspace.asRelativePath(f),
      choice: async () => ({ eventFile: f }),
    });
  }
  items.push({
    label: "$(folder-opened) Choose a JSON file…",
    choice: async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(target.config)),
        filters: { "Event JSON": ["json"] },
      });
      return picked?.[0] ? { eventFile: picked[0].fsPath } : undefined;
    },
  });
  items.push({
    label: "$(edit) Type the event JSON…",
    choice: async () => {
      const text = await vscode.window.showInputBox({
        prompt: `Event for ${target.function}`,
        value: "{}",
        validateInput: (v) => {
          try {
            JSON.parse(v);
            return undefined;
          } catch (e) {
            return `Not JSON: ${(e as Error).message}`;
          }
        },
      });
      return text === undefined ? undefined : { event: JSON.parse(text) };
    },
  });
  const samples = [...choices.eventTypes];
  // The sample the server would pick for this function comes first.
  const d = samples.findIndex((s) => s.type === choices.defaultEventType);
  if (d > 0) samples.unshift(...samples.splice(d, 1));
  if (samples.length > 0) items.push({ label: "Sample events", kind: vscode.QuickPickItemKind.Separator });
  for (const s of samples) {
    items.push({
      label: `$(symbol-event) ${s.type}`,
      description: s.type === choices.defaultEventType ? `${s.description} (this function's event source)` : s.description,
      choice: async () => ({ eventType: s.type }),
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Invoke ${target.function} with event`,
    placeHolder: "An event file, a sample event type, or your own JSON",
    matchOnDescription: true,
  });
  return picked?.choice ? picked.choice() : undefined;
}

async function pickTarget(server: Server): Promise<protocol.InvokeTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("Open a template, or a handler file that a template references, to invoke its function.");
    return undefined;
  }
  const lenses = await server.lensesOf(editor.document);
  const targets = protocol.distinctTargets(lenses.filter((l) => l.command === protocol.SERVER_INVOKE));
  if (targets.length === 0) {
    void vscode.window.showInformationMessage(
      "No function to invoke in this file: lambda-ls offers invoke on function resources in templates and on handlers that a template references.",
    );
    return undefined;
  }
  if (targets.length === 1) return targets[0];
  const atCursor = protocol.targetAtLine(lenses, editor.selection.active.line);
  const items = targets.map((t) => ({
    label: t.function,
    description: vscode.workspace.asRelativePath(t.config),
    picked: t === atCursor,
    target: t,
  }));
  if (atCursor) {
    const i = items.findIndex((it) => it.target === atCursor);
    if (i > 0) items.unshift(...items.splice(i, 1));
  }
  return (await vscode.window.showQuickPick(items, { title: "Invoke function" }))?.target;
}

export function registerInvoke(context: vscode.ExtensionContext, server: Server): void {
  const results = new ResultDocuments();

  const refuseUntrusted = (): boolean => {
    if (vscode.workspace.isTrusted) return false;
    void vscode.window.showWarningMessage(UNTRUSTED_REASON, "Manage Workspace Trust").then((c) => {
      if (c) void vscode.commands.executeCommand("workbench.trust.manage");
    });
    return true;
  };

  const run = async (target: protocol.InvokeTarget, withEvent: boolean): Promise<void> => {
    if (refuseUntrusted()) return;
    let event: protocol.EventChoice | undefined;
    if (withEvent) {
      event = await pickEvent(server, target);
      if (!event) return;
    }
    const out = server.invokeOutput;
    out.show(true);
    out.appendLine(`▶ ${target.function}${protocol.describeEvent(event)} (${vscode.workspace.asRelativePath(target.config)})`);
    const invocationId = randomUUID();
    const streamed = { lines: 0, report: false };
    server.invocations.set(invocationId, streamed);
    const settings = server.settingsFor(vscode.Uri.file(target.config)).invoke;
    let result: unknown;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Invoking ${target.function}` },
        () => server.executeInvoke(protocol.invokeArgs(target, event, { envFile: settings.envFile, env: settings.env, invocationId })),
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      out.appendLine(`✖ ${target.function}: ${message}`);
      void vscode.window.showErrorMessage(`Invoke ${target.function}: ${message}`);
      return;
    } finally {
      server.invocations.delete(invocationId);
    }
    const rendered = renderResult(target.function, result);
    // Lines that did not stream (an older server) come from the result; the REPORT line once.
    if (streamed.lines === 0) for (const l of rendered.logs) out.appendLine(l);
    const reported = streamed.report || (streamed.lines === 0 && rendered.logs.some((l) => l.startsWith("REPORT ")));
    if (rendered.report && !reported) out.appendLine(rendered.report);
    out.appendLine(`${rendered.ok ? "✔" : "✖"} ${rendered.summary}`);
    const uri = results.add(target.function, rendered.text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, "jsonc");
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  };

  const fromLens = (withEvent: boolean) => async (arg: unknown) => {
    const target = protocol.asInvokeTarget(arg);
    if (!target) {
      void vscode.window.showErrorMessage("lambda-ls: this invoke lens carries no function.");
      return;
    }
    await run(target, withEvent);
  };

  const fromPalette = (withEvent: boolean) => async () => {
    if (refuseUntrusted()) return;
    const target = await pickTarget(server);
    if (target) await run(target, withEvent);
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results),
    vscode.commands.registerCommand(protocol.CLIENT_INVOKE_LENS, fromLens(false)),
    vscode.commands.registerCommand(protocol.CLIENT_INVOKE_WITH_EVENT_LENS, fromLens(true)),
    vscode.commands.registerCommand("lambdaLs.invoke", fromPalette(false)),
    vscode.commands.registerCommand("lambdaLs.invokeWithEvent", fromPalette(true)),
    vscode.commands.registerCommand("lambdaLs.showEvents", async () => {
      const d = server.discovery;
      if (!d?.ok) {
        void vscode.window.showErrorMessage("lambda-ls: the server binary was not found; see the lambda-ls output.");
        return;
      }
      const samples = await sampleEvents(server);
      if (samples.length === 0) {
        void vscode.window.showWarningMessage("lambda-ls: no sample events (`lambda-ls events list` gave none); see the lambda-ls output.");
        return;
      }
      const picked = await vscode.window.showQuickPick(
        samples.map((s) => ({ label: s.type, description: s.description })),
        { title: "Sample events", placeHolder: "Open a sample event (save it under events/ to invoke with it)" },
      );
      if (!picked) return;
      try {
        const content = await runCli(d.path, ["events", "show", picked.label]);
        const doc = await vscode.workspace.openTextDocument({ language: "json", content });
        await vscode.window.showTextDocument(doc);
      } catch (e) {
        void vscode.window.showErrorMessage(`lambda-ls events show ${picked.label}: ${(e as Error).message}`);
      }
    }),
  );
}
