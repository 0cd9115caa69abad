// VS Code glue: starts the lambda-ls server with vscode-languageclient and wires the commands. The logic that
// can be tested without VS Code lives in discovery.ts, settings.ts, protocol.ts and render.ts.

import * as fs from "fs";
import * as os from "os";
import * as vscode from "vscode";
import {
  CodeLensRequest,
  DidChangeConfigurationNotification,
  DocumentSelector,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { Discovery, fileIsExecutable, findServer } from "./discovery";
import * as protocol from "./protocol";
import { registerInvoke } from "./invoke";
import { mapSettings, SECTION, serverArgs, serverEnv, ServerSettings } from "./settings";

/** Files the server may have something to say about. It decides by content and publishes nothing for other
 * files, and the extension claims no language, schema or formatter, so unrelated YAML/JSON is left alone. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "yaml" },
  { scheme: "file", language: "json" },
  { scheme: "file", language: "jsonc" },
  { scheme: "file", pattern: "**/*.template" },
  { scheme: "file", language: "python" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "javascriptreact" },
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "typescriptreact" },
  { scheme: "file", language: "go" },
];

export class Server {
  client: LanguageClient | undefined;
  discovery: Discovery | undefined;
  readonly output: vscode.OutputChannel;
  readonly invokeOutput: vscode.OutputChannel;
  /** Log lines received per running invocation, and whether a REPORT line was among them. */
  readonly invocations = new Map<string, { lines: number; report: boolean }>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("lambda-ls");
    this.invokeOutput = vscode.window.createOutputChannel("lambda-ls invoke");
    context.subscriptions.push(this.output, this.invokeOutput);
  }

  folder(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  settingsFor(scope?: vscode.Uri): ServerSettings {
    const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath) ?? this.folder();
    const { settings, warnings } = mapSettings(vscode.workspace.getConfiguration(SECTION, scope), {
      home: os.homedir(),
      workspaceFolder: folder,
    });
    for (const w of warnings) this.output.appendLine(`[settings] ${w}`);
    return settings;
  }

  discover(): Discovery {
    const config = vscode.workspace.getConfiguration(SECTION);
    return findServer({
      configured: config.get<string>("server.path"),
      workspaceFolder: this.folder(),
      home: os.homedir(),
      extensionPath: this.context.extensionPath,
      platform: process.platform,
      arch: process.arch,
      pathEnv: process.env.PATH,
      pathExt: process.env.PATHEXT,
      isExecutable: fileIsExecutable(fs, process.platform),
    });
  }

  async start(): Promise<void> {
    const found = this.discover();
    this.discovery = found;
    if (!found.ok) {
      this.output.appendLine(`${found.message}\nTried:\n  ${found.tried.join("\n  ")}\nFix: ${found.fix}`);
      // Not awaited: activation must not wait for the user to answer.
      void vscode.window.showErrorMessage(`${found.message} ${found.fix}`, "Open Settings", "Show Output", "Retry").then(async (choice) => {
        if (choice === "Open Settings") {
          await vscode.commands.executeCommand("workbench.action.openSettings", "lambdaLs.server.path");
        } else if (choice === "Show Output") {
          this.output.show();
        } else if (choice === "Retry") {
          await this.start();
        }
      });
      return;
    }
    this.output.appendLine(`Starting ${found.path} (${found.source})`);
    const config = vscode.workspace.getConfiguration(SECTION);
    const serverOptions: ServerOptions = {
      command: found.path,
      args: serverArgs(config),
      options: { env: serverEnv(config, process.env) },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      initializationOptions: () => this.settingsFor(),
      middleware: {
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          return lenses?.map((lens) => rewriteLens(lens));
        },
        workspace: {
          configuration: async (params, token, next) => {
            const defaults = await next(params, token);
            if (!Array.isArray(defaults)) return defaults;
            return params.items.map((item, i) => {
              if (item.section !== SECTION) return defaults[i];
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return this.settingsFor(scope);
            });
          },
        },
      },
    };
    const client = new LanguageClient("lambdaLs", "lambda-ls", serverOptions, clientOptions);
    client.onNotification(protocol.LOG_NOTIFICATION, (params: unknown) => {
      const line = protocol.logLineOf(params);
      if (line === undefined) return;
      const id = protocol.logInvocationOf(params);
      const run = id !== undefined ? this.invocations.get(id) : this.invocations.size === 1 ? [...this.invocations.values()][0] : undefined;
      if (run) {
        run.lines++;
        run.report ||= line.startsWith("REPORT ");
      }
      this.invokeOutput.appendLine(line);
    });
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.output.appendLine(`The server did not start: ${e}`);
      void vscode.window.showErrorMessage(`lambda-ls did not start (${found.path}): ${e}`, "Show Output").then((c) => {
        if (c) this.output.show();
      });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      await client.stop().catch(() => undefined);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async pushSettings(): Promise<void> {
    if (this.client?.state === State.Running) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [SECTION]: this.settingsFor() },
      });
    }
  }

  /** Invoke targets of a document, from its code lenses. */
  async lensesOf(document: vscode.TextDocument): Promise<protocol.LensInfo[]> {
    const client = this.client;
    if (!client || client.state !== State.Running) return [];
    const lenses = await client.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    });
    const out: protocol.LensInfo[] = [];
    for (const lens of lenses ?? []) {
      const cmd = lens.command;
      const target = protocol.asInvokeTarget(cmd?.arguments?.[0]);
      if (cmd && target) out.push({ line: lens.range.start.line, command: cmd.command, target });
    }
    return out;
  }

  async executeInvoke(args: protocol.InvokeArgs): Promise<unknown> {
    return this.execute(protocol.SERVER_INVOKE, args);
  }

  /** True when the running server lists `command` among its commands. */
  offers(command: string): boolean {
    const commands = this.client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    return commands.includes(command);
  }

  async execute(command: string, arg: unknown): Promise<unknown> {
    const client = this.client;
    if (!client || client.state !== State.Running) throw new Error("the lambda-ls server is not running");
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] });
  }
}

function rewriteLens(lens: vscode.CodeLens): vscode.CodeLens {
  const cmd = lens.command;
  if (!cmd) return lens;
  const client = protocol.clientCommandFor(cmd.command);
  if (client) lens.command = { ...cmd, command: client };
  return lens;
}

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const s = new Server(context);
  server = s;
  context.subscriptions.push(
    vscode.commands.registerCommand("lambdaLs.restartServer", () => s.restart()),
    vscode.commands.registerCommand("lambdaLs.showOutput", () => s.output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        const choice = await vscode.window.showInformationMessage("lambda-ls server settings changed.", "Restart Server");
        if (choice) await s.restart();
        return;
      }
      await s.pushSettings();
    }),
    // Settings restricted in untrusted workspaces take effect now, and invoke becomes possible.
    vscode.workspace.onDidGrantWorkspaceTrust(() => s.restart()),
  );
  registerInvoke(context, s);
  await s.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
