// Turns an invoke result into the text of the read-only result editor (JSON with comments) and a one-line
// summary. Tolerant of shape: the payload or error, the REPORT line (string or fields) and any logs.

export interface Rendered {
  ok: boolean;
  /** One line for notifications and the log channel. */
  summary: string;
  /** The result editor's text (jsonc). */
  text: string;
  /** Log lines carried in the result, for clients that got no streamed notifications. */
  logs: string[];
  report?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The REPORT line, from a string or from its fields. */
export function reportLine(report: unknown, requestId?: string, status?: string): string | undefined {
  if (typeof report === "string") {
    return report.trim() === "" ? undefined : report.trim();
  }
  if (!isObj(report)) return undefined;
  if (typeof report.line === "string") return report.line.trim();
  const parts: string[] = [];
  const id = report.requestId ?? report.request_id ?? requestId;
  if (typeof id === "string") parts.push(`RequestId: ${id}`);
  const ms = (k: string, label: string, digits: number) => {
    const v = num(report[k]);
    if (v !== undefined) parts.push(`${label}: ${v.toFixed(digits)} ms`);
  };
  ms("durationMs", "Duration", 2);
  ms("billedDurationMs", "Billed Duration", 0);
  const mem = num(report.memorySizeMb ?? report.memorySize);
  if (mem !== undefined) parts.push(`Memory Size: ${mem} MB`);
  const used = num(report.maxMemoryUsedMb ?? report.maxMemoryUsed);
  if (used !== undefined) parts.push(`Max Memory Used: ${used} MB`);
  ms("initDurationMs", "Init Duration", 2);
  if (status === "timeout") parts.push("Status: timeout");
  else if (status === "initError" || status === "crash") parts.push("Status: error");
  return parts.length > 0 ? `REPORT ${parts.join("\t")}` : undefined;
}

function errorOf(result: Obj): Obj | undefined {
  const e = result.error;
  if (isObj(e)) return typeof e.errorType !== "string" && typeof result.errorType === "string" ? { ...e, errorType: result.errorType } : e;
  if (typeof e === "string") return typeof result.errorType === "string" ? { errorMessage: e, errorType: result.errorType } : { errorMessage: e };
  if (typeof result.errorMessage === "string" || typeof result.errorType === "string") {
    const out: Obj = {};
    for (const k of ["errorMessage", "errorType", "stackTrace"]) {
      if (result[k] !== undefined) out[k] = result[k];
    }
    return out;
  }
  return undefined;
}

function logsOf(result: Obj): string[] {
  const logs = result.logs ?? result.log;
  if (typeof logs === "string") return logs.split(/\r?\n/).filter((l, i, all) => !(l === "" && i === all.length - 1));
  if (Array.isArray(logs)) return logs.filter((l): l is string => typeof l === "string");
  return [];
}

function pretty(value: unknown): string {
  if (value === undefined) return "null";
  // A payload that is JSON text is shown as the JSON it holds, like a Lambda response body.
  return JSON.stringify(value, null, 2) ?? "null";
}

export function renderResult(functionName: string, result: unknown): Rendered {
  if (!isObj(result)) {
    const text = `// ${functionName}: returned\n${pretty(result)}\n`;
    return { ok: true, summary: `${functionName} returned`, text, logs: [] };
  }
  const error = errorOf(result);
  const status = typeof result.status === "string" ? result.status : undefined;
  const explicitOk =
    typeof result.ok === "boolean"
      ? result.ok
      : typeof result.success === "boolean"
        ? result.success
        : status !== undefined
          ? status === "success"
          : undefined;
  const ok = explicitOk ?? error === undefined;
  const logs = logsOf(result);
  // The server's own REPORT line, when the logs carry it, is exactly what Lambda prints.
  const report =
    logs.find((l) => l.startsWith("REPORT ")) ?? reportLine(result.report, typeof result.requestId === "string" ? result.requestId : undefined, status);
  const header: string[] = [];
  let summary: string;
  if (ok) {
    summary = `${functionName} succeeded`;
  } else {
    const type = error && typeof error.errorType === "string" ? error.errorType : undefined;
    const message = error && typeof error.errorMessage === "string" ? error.errorMessage : undefined;
    summary = `${functionName} failed${type ? ` (${type})` : ""}${message ? `: ${message}` : ""}`;
  }
  const duration = num(result.durationMs);
  header.push(`// ${summary}${duration !== undefined && !report ? ` in ${duration.toFixed(2)} ms` : ""}`);
  if (report) header.push(`// ${report.replace(/\t/g, "  ")}`);
  if (typeof result.eventFrom === "string" && result.eventFrom !== "") header.push(`// event: ${result.eventFrom}`);
  if (Array.isArray(result.warnings)) {
    for (const w of result.warnings) if (typeof w === "string") header.push(`// warning: ${w}`);
  }
  const body = ok ? pretty(result.payload ?? result.response ?? result.result ?? null) : pretty(error ?? {});
  return { ok, summary: summary.split("\n")[0], text: `${header.join("\n")}\n${body}\n`, logs, report };
}
