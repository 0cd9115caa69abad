// The invoke protocol between editors and the server, as plain data (no VS Code types).
//
// Code lenses carry `lambda-ls.invoke` or `lambda-ls.invokeWithEvent` with one argument
// `{ config, function }`. The client runs `workspace/executeCommand` `lambda-ls.invoke` with that argument plus
// at most one of `eventFile`, `eventType` or `event`; the server streams `lambda-ls/invokeLog` notifications
// while the function runs and answers with the result.

export const SERVER_INVOKE = "lambda-ls.invoke";
export const SERVER_INVOKE_WITH_EVENT = "lambda-ls.invokeWithEvent";
export const LOG_NOTIFICATION = "lambda-ls/invokeLog";
/** Asks the server what "Invoke with event…" can offer: `{ defaultEventType, eventFiles, eventTypes }`. */
export const SERVER_EVENT_CHOICES = "lambda-ls.eventChoices";

/** The extension's own commands, which lens commands are rewritten to (the server's ids are left to the
 * language client, which registers them as plain request senders). */
export const CLIENT_INVOKE_LENS = "lambdaLs.invokeLens";
export const CLIENT_INVOKE_WITH_EVENT_LENS = "lambdaLs.invokeWithEventLens";

export interface InvokeTarget {
  config: string;
  function: string;
}

export type EventChoice = { eventFile: string } | { eventType: string } | { event: unknown };

export interface InvokeArgs extends InvokeTarget {
  eventFile?: string;
  eventType?: string;
  event?: unknown;
  envFile?: string;
  env?: Record<string, string>;
  /** Echoed in the log notifications and the result. */
  invocationId?: string;
}

/** Per-call extras from the settings (the server also reads them from its own settings). */
export interface InvokeExtras {
  envFile?: string;
  env?: Record<string, string>;
  invocationId?: string;
}

export function asInvokeTarget(arg: unknown): InvokeTarget | undefined {
  if (typeof arg !== "object" || arg === null) return undefined;
  const o = arg as Record<string, unknown>;
  if (typeof o.config !== "string" || typeof o.function !== "string" || o.function === "") return undefined;
  return { config: o.config, function: o.function };
}

export function invokeArgs(target: InvokeTarget, event?: EventChoice, extras: InvokeExtras = {}): InvokeArgs {
  const args: InvokeArgs = { config: target.config, function: target.function, ...(event ?? {}) };
  if (extras.envFile) args.envFile = extras.envFile;
  if (extras.env && Object.keys(extras.env).length > 0) args.env = extras.env;
  if (extras.invocationId) args.invocationId = extras.invocationId;
  return args;
}

/** " with hello.json", " with sample sqs", " with your event" or "" for the log channel. */
export function describeEvent(event?: EventChoice): string {
  if (!event) return "";
  if ("eventFile" in event) return ` with ${event.eventFile.split(/[\\/]/).pop()}`;
  if ("eventType" in event) return ` with sample ${event.eventType}`;
  return " with your event";
}

/** The invocation a log notification belongs to, when it says. */
export function logInvocationOf(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null) return undefined;
  const id = (params as Record<string, unknown>).invocationId;
  return typeof id === "string" ? id : undefined;
}

export interface EventChoices {
  defaultEventType?: string;
  eventFiles: string[];
  eventTypes: { type: string; description: string }[];
}

/** The answer to `lambda-ls.eventChoices`, or undefined when it is not that shape. */
export function parseEventChoices(value: unknown): EventChoices | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.eventFiles) && !Array.isArray(o.eventTypes)) return undefined;
  const eventFiles = (Array.isArray(o.eventFiles) ? o.eventFiles : []).filter((f): f is string => typeof f === "string");
  const eventTypes = parseEventList(JSON.stringify(Array.isArray(o.eventTypes) ? o.eventTypes : []));
  const out: EventChoices = { eventFiles, eventTypes };
  if (typeof o.defaultEventType === "string") out.defaultEventType = o.defaultEventType;
  return out;
}

/** The client command a server lens command runs as, if it is one of ours. */
export function clientCommandFor(serverCommand: string): string | undefined {
  if (serverCommand === SERVER_INVOKE) return CLIENT_INVOKE_LENS;
  if (serverCommand === SERVER_INVOKE_WITH_EVENT) return CLIENT_INVOKE_WITH_EVENT_LENS;
  return undefined;
}

/** A log line from a `lambda-ls/invokeLog` notification (`{ line }`, `{ text }`, or a bare string). */
export function logLineOf(params: unknown): string | undefined {
  if (typeof params === "string") return params;
  if (typeof params !== "object" || params === null) return undefined;
  const o = params as Record<string, unknown>;
  for (const key of ["line", "text", "message"]) {
    if (typeof o[key] === "string") return o[key] as string;
  }
  return undefined;
}

export interface LensInfo {
  /** Zero-based line of the lens. */
  line: number;
  command: string;
  target: InvokeTarget;
}

/** The invoke target for a cursor: the lens on or nearest above the cursor line, else the first lens. */
export function targetAtLine(lenses: LensInfo[], line: number): InvokeTarget | undefined {
  const invokes = lenses.filter((l) => l.command === SERVER_INVOKE).sort((a, b) => a.line - b.line);
  let best: LensInfo | undefined;
  for (const l of invokes) {
    if (l.line <= line) best = l;
  }
  return (best ?? invokes[0])?.target;
}

/** Distinct invoke targets, in order, for a picker. */
export function distinctTargets(lenses: LensInfo[]): InvokeTarget[] {
  const seen = new Set<string>();
  const out: InvokeTarget[] = [];
  for (const l of lenses) {
    const key = `${l.target.config}\u0000${l.target.function}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(l.target);
    }
  }
  return out;
}

/** Sample event types from `lambda-ls events list`: JSON (strings or objects with a type/name) or text lines
 * whose first word is the type. */
export function parseEventList(stdout: string): { type: string; description: string }[] {
  const text = stdout.trim();
  if (text === "") return [];
  try {
    const parsed: unknown = JSON.parse(text);
    const list = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown>)?.events;
    if (Array.isArray(list)) {
      return list
        .map((e) => {
          if (typeof e === "string") return { type: e, description: "" };
          const o = e as Record<string, unknown>;
          const type = [o.type, o.name, o.id].find((v) => typeof v === "string") as string | undefined;
          const description = typeof o.description === "string" ? o.description : typeof o.title === "string" ? o.title : "";
          return type ? { type, description } : undefined;
        })
        .filter((e): e is { type: string; description: string } => e !== undefined);
    }
  } catch {
    // Text output.
  }
  const out: { type: string; description: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // A blank line ends the list (event files may follow); indented lines belong to another section.
    if (raw.trim() === "" && out.length > 0) break;
    if (/^\s/.test(raw)) continue;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    // A table header is not an event type.
    if (/^(type|name|event)s?$/i.test(m[1]) && out.length === 0) continue;
    out.push({ type: m[1], description: m[2].replace(/^[-–—:]\s*/, "") });
  }
  return out;
}
