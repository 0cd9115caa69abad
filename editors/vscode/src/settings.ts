// Maps the extension's `lambdaLs.*` settings to what the server reads: sent as `initializationOptions`, in
// answers to `workspace/configuration` (section `lambdaLs`) and with `workspace/didChangeConfiguration`.

import * as path from "path";
import { expandPath } from "./discovery";

export const SECTION = "lambdaLs";

export type RuleLevel = "error" | "warning" | "info" | "hint" | "off";
const LEVELS: ReadonlySet<string> = new Set(["error", "warning", "info", "hint", "off"]);
const LEVEL_ALIASES: Record<string, RuleLevel> = {
  warn: "warning",
  information: "info",
  note: "info",
  none: "off",
  ignore: "off",
  disabled: "off",
};

export interface InvokeSettings {
  pythonPath?: string;
  nodePath?: string;
  envFile?: string;
  passAwsCredentials: boolean;
  eventsFolder: string;
}

/** The shape the server reads. Paths are absolute; empty settings are left out so the server's defaults apply. */
export interface ServerSettings {
  rules: Record<string, RuleLevel>;
  diagnosticsDelayMs: number;
  invoke: InvokeSettings;
  /** False in an untrusted workspace: the server must not run workspace code. */
  trusted: boolean;
}

/** Reads one setting below `lambdaLs.` (`vscode.WorkspaceConfiguration.get` fits). */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

export interface MappingContext {
  home: string;
  workspaceFolder?: string;
  trusted: boolean;
}

export interface Mapped {
  settings: ServerSettings;
  /** Settings that were ignored, with why, for the output channel. */
  warnings: string[];
}

/** A bare name (`python3.12`) stays a name for PATH lookup; anything with a slash is a path. */
function pathSetting(raw: unknown, ctx: MappingContext): string | undefined {
  if (typeof raw !== "string" || raw.trim() === "") {
    return undefined;
  }
  let p = expandPath(raw, ctx.home, ctx.workspaceFolder);
  if (!path.isAbsolute(p) && ctx.workspaceFolder !== undefined && (p.includes("/") || p.includes("\\"))) {
    p = path.join(ctx.workspaceFolder, p);
  }
  return p;
}

export function mapSettings(reader: SettingsReader, ctx: MappingContext): Mapped {
  const warnings: string[] = [];
  const rules: Record<string, RuleLevel> = {};
  const rawRules = reader.get<unknown>("rules");
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== "object" || Array.isArray(rawRules)) {
      warnings.push("lambdaLs.rules must be an object of rule id to level; ignored.");
    } else {
      for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
        const raw = typeof value === "string" ? value.trim().toLowerCase() : "";
        const level = LEVELS.has(raw) ? (raw as RuleLevel) : LEVEL_ALIASES[raw];
        if (level === undefined) {
          warnings.push(`lambdaLs.rules: "${id}" has level ${JSON.stringify(value)}; use error, warning, info, hint or off.`);
          continue;
        }
        rules[id.trim()] = level;
      }
    }
  }
  let delay = reader.get<number>("diagnostics.delayMs");
  if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0) {
    delay = 200;
  }
  delay = Math.min(Math.round(delay), 10_000);

  const eventsRaw = reader.get<string>("invoke.eventsFolder");
  const eventsFolder = typeof eventsRaw === "string" && eventsRaw.trim() !== "" ? expandPath(eventsRaw, ctx.home, ctx.workspaceFolder) : "events";
  const invoke: InvokeSettings = {
    passAwsCredentials: reader.get<boolean>("invoke.passAwsCredentials") === true,
    eventsFolder,
  };
  const python = pathSetting(reader.get("invoke.pythonPath"), ctx);
  const node = pathSetting(reader.get("invoke.nodePath"), ctx);
  const envRaw = reader.get<string>("invoke.envFile");
  let envFile = pathSetting(envRaw, ctx);
  if (envFile !== undefined && !path.isAbsolute(envFile) && ctx.workspaceFolder !== undefined) {
    envFile = path.join(ctx.workspaceFolder, envFile);
  }
  if (python !== undefined) invoke.pythonPath = python;
  if (node !== undefined) invoke.nodePath = node;
  if (envFile !== undefined) invoke.envFile = envFile;
  return {
    settings: { rules, diagnosticsDelayMs: delay, invoke, trusted: ctx.trusted },
    warnings,
  };
}

/** The server's environment: its log level. */
export function serverEnv(reader: SettingsReader, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const level = reader.get<string>("server.logLevel");
  const env = { ...base };
  if (typeof level === "string" && /^(error|warn|info|debug|trace)$/.test(level)) {
    env.LAMBDA_LS_LOG = level;
  }
  return env;
}

/** `lambda-ls serve` plus the user's extra arguments. */
export function serverArgs(reader: SettingsReader): string[] {
  const extra = reader.get<unknown>("server.extraArgs");
  const args = ["serve"];
  if (Array.isArray(extra)) {
    for (const a of extra) {
      if (typeof a === "string" && a.length > 0) args.push(a);
    }
  }
  return args;
}
