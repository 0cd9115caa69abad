// A small LSP client over vscode-jsonrpc for the tests: it starts the server the extension would find, answers
// the server's requests the way VS Code does, and waits on notifications with timeouts.

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { Discovery } from "../src/discovery";
import { mapSettings, serverArgs, serverEnv, SettingsReader } from "../src/settings";

export type Encoding = "utf-8" | "utf-16";

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string | number;
  message: string;
  severity?: number;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  /** `window/showMessage` and `window/logMessage` errors (type 1): bad settings are reported this way. */
  readonly errors: string[] = [];
  configurationRequests = 0;
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  stderr = "";

  constructor(found: Discovery & { ok: true }, readonly root: string, public settings: SettingsReader) {
    this.proc = spawn(found.path, serverArgs(settings), { env: serverEnv(settings, process.env), stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stderr!.on("data", (d) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    this.conn.onNotification("lambda-ls/invokeLog", (p: { line?: string }) => {
      if (typeof p?.line === "string") this.logs.push(p.line);
      this.wake();
    });
    for (const method of ["window/showMessage", "window/logMessage"]) {
      this.conn.onNotification(method, (p: { type: number; message: string }) => {
        if (p.type === 1) this.errors.push(p.message);
      });
    }
    this.conn.onRequest("window/showMessageRequest", (p: { type: number; message: string }) => {
      if (p.type === 1) this.errors.push(p.message);
      return null;
    });
    this.conn.onRequest("workspace/configuration", (p: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      return p.items.map((i) => (i.section === "lambdaLs" ? this.mapped() : null));
    });
    this.conn.onRequest("client/registerCapability", () => null);
    this.conn.onRequest("window/workDoneProgress/create", () => null);
    this.conn.onRequest("workspace/codeLens/refresh", () => null);
    this.conn.listen();
  }

  mapped() {
    return mapSettings(this.settings, { home: "/nonexistent-home", workspaceFolder: this.root }).settings;
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `pred` holds, re-checked after every notification; rejects after `ms`. */
  waitFor<T>(what: string, pred: () => T | undefined, ms = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}\nserver stderr:\n${this.stderr}`)), ms);
      const check = () => {
        const v = pred();
        if (v !== undefined && v !== false) {
          clearTimeout(timer);
          resolve(v);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  async initialize(encoding: Encoding): Promise<any> {
    const result = await this.conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: "app" }],
      capabilities: {
        general: { positionEncodings: [encoding] },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
        },
      },
      initializationOptions: { ...this.mapped(), diagnosticsDelayMs: 20 },
    });
    await this.conn.sendNotification("initialized", {});
    return result;
  }

  open(rel: string, languageId: string): string {
    const uri = this.uri(rel);
    const text = fs.readFileSync(path.join(this.root, rel), "utf8");
    this.versions.set(uri, 1);
    void this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, text: string) {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    this.diagnostics.delete(uri);
    void this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  diagnosticsOf(uri: string): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics of ${uri}`, () => this.diagnostics.get(uri));
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      else this.proc.once("exit", (code) => resolve(code));
    });
    try {
      await this.conn.sendRequest("shutdown");
      await this.conn.sendNotification("exit");
    } catch {
      this.proc.kill();
    }
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), 10_000)))]);
    clearTimeout(timer);
    if (code === null) this.proc.kill("SIGKILL");
    this.conn.dispose();
    return code;
  }
}
