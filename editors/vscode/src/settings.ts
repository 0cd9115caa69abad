// Maps the extension's `lambdaLs.*` settings to what the server reads: sent as `initializationOptions`, in
// answers to `workspace/configuration` (section `lambdaLs`) and with `workspace/didChangeConfiguration`.
// The keys are those of `lambda-ls.toml` in camelCase; a project's `lambda-ls.toml` wins over them.

import * as path from "path";
import { expandPath } from "./discovery";

export const SECTION = "lambdaLs";

export type RuleLevel = "error" | "warning" | "info" | "hint" | "off" | "on";
const LEVELS: ReadonlySet<string> = new Set(["error", "warning", "info", "hint", "off", "on"]);
const LEVEL_ALIASES: Record<string, RuleLevel> = {
  warn: "warning",
  information: "info",
  note: "info",
  none: "off",
  ignore: "off",
  disable: "off",
  disabled: "off",
  default: "on",
  enable: "on",
  enabled: "on",
};

export interface InvokeSettings {
  python?: string;
  node?: string;
  envFile?: string;
  passAwsCredentials: boolean;
  /** The event files' folder; absent means `events/` next to the template. */
  events?: string;
  region?: string;
  env?: Record<string, string>;
}

/** The shape the server reads. Paths are absolute; empty settings are left out so the server's defaults apply. */
export interface ServerSettings {
  rules: Record<string, RuleLevel>;
  ignore?: string[];
  diagnosticsDelayMs: number;
  invoke: InvokeSettings;
}

/** Reads one setting below `lambdaLs.` (`vscode.WorkspaceConfiguration.get` fits). */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

export interface MappingContext {
  home: string;
  workspaceFolder?: string;
}

export interface Mapped {
  settings: ServerSettings;
  /** Settings that were ignored, with why, for the output channel. */
  warnings: string[];
}

function nonEmpty(raw: unknown): string | undefined {
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : undefined;
}

/** A program: a bare name (`python3.12`) stays a name for PATH lookup; anything with a slash is a path. */
function program(raw: unknown, ctx: MappingContext): string | undefined {
  const s = nonEmpty(raw);
  if (s === undefined) return undefined;
  const p = expandPath(s, ctx.home, ctx.workspaceFolder);
  if (!p.includes("/") && !p.includes("\\")) return p;
  return path.isAbsolute(p) || ctx.workspaceFolder === undefined ? p : path.join(ctx.workspaceFolder, p);
}

/** A file or folder: relative paths are taken from the workspace folder. */
function filePath(raw: unknown, ctx: MappingContext): string | undefined {
  const s = nonEmpty(raw);
  if (s === undefined) return undefined;
  const p = expandPath(s, ctx.home, ctx.workspaceFolder);
  return path.isAbsolute(p) || ctx.workspaceFolder === undefined ? p : path.join(ctx.workspaceFolder, p);
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
          warnings.push(`lambdaLs.rules: "${id}" has level ${JSON.stringify(value)}; use error, warning, info, hint, on or off.`);
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

  const invoke: InvokeSettings = { passAwsCredentials: reader.get<boolean>("invoke.passAwsCredentials") === true };
  const python = program(reader.get("invoke.pythonPath"), ctx);
  const node = program(reader.get("invoke.nodePath"), ctx);
  const envFile = filePath(reader.get("invoke.envFile"), ctx);
  const events = filePath(reader.get("invoke.eventsFolder"), ctx);
  const region = nonEmpty(reader.get("invoke.region"));
  if (python !== undefined) invoke.python = python;
  if (node !== undefined) invoke.node = node;
  if (envFile !== undefined) invoke.envFile = envFile;
  if (events !== undefined) invoke.events = events;
  if (region !== undefined) invoke.region = region;
  const rawEnv = reader.get<unknown>("invoke.env");
  if (rawEnv !== undefined && rawEnv !== null) {
    if (typeof rawEnv !== "object" || Array.isArray(rawEnv)) {
      warnings.push("lambdaLs.invoke.env must be an object of variable name to value; ignored.");
    } else {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(rawEnv as Record<string, unknown>)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") env[k] = String(v);
        else warnings.push(`lambdaLs.invoke.env: "${k}" must be a string; ignored.`);
      }
      if (Object.keys(env).length > 0) invoke.env = env;
    }
  }
  const settings: ServerSettings = { rules, diagnosticsDelayMs: delay, invoke };
  const ignore = reader.get<unknown>("ignore");
  if (Array.isArray(ignore)) {
    const patterns = ignore.filter((p): p is string => typeof p === "string" && p.trim() !== "");
    if (patterns.length > 0) settings.ignore = patterns;
  }
  return { settings, warnings };
}

/** The folder whose JSON files "Invoke with event…" offers for a function of `config`. */
export function eventsFolderFor(settings: ServerSettings, config: string): string {
  return settings.invoke.events ?? path.join(path.dirname(config), "events");
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
