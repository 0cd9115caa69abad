import assert from "node:assert/strict";
import { test } from "node:test";
import { renderResult, reportLine } from "../src/render";

const REPORT = "REPORT RequestId: 8f1e\tDuration: 3.21 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 31 MB";

test("success: payload as JSON under a summary and the REPORT line", () => {
  const r = renderResult("Hello", { payload: { greeting: "Grüße", n: 1 }, report: REPORT, logs: ["START", "hello"] });
  assert.equal(r.ok, true);
  assert.equal(r.summary, "Hello succeeded");
  assert.deepEqual(r.logs, ["START", "hello"]);
  const lines = r.text.split("\n");
  assert.equal(lines[0], "// Hello succeeded");
  assert.equal(lines[1], "// " + REPORT.replace(/\t/g, "  "));
  assert.deepEqual(JSON.parse(lines.slice(2).join("\n")), { greeting: "Grüße", n: 1 });
});

test("function error: the error object, its type in the summary", () => {
  const error = { errorMessage: "boom", errorType: "ValueError", stackTrace: ['  File "app.py", line 3'] };
  const r = renderResult("Hello", { error, report: REPORT, logs: "a\nb\n" });
  assert.equal(r.ok, false);
  assert.equal(r.summary, "Hello failed (ValueError): boom");
  assert.deepEqual(r.logs, ["a", "b"]);
  assert.deepEqual(JSON.parse(r.text.split("\n").slice(2).join("\n")), error);
});

test("timeouts and errors given at the top level or as a string", () => {
  const t = renderResult("Slow", { errorMessage: "Task timed out after 1.00 seconds", errorType: "Sandbox.Timedout" });
  assert.equal(t.ok, false);
  assert.match(t.summary, /Task timed out after 1\.00 seconds/);
  const s = renderResult("F", { error: "no python3 on PATH" });
  assert.equal(s.summary, "F failed: no python3 on PATH");
});

test("null and string payloads, and an explicit ok flag", () => {
  assert.equal(renderResult("F", { payload: null }).text, "// F succeeded\nnull\n");
  assert.equal(renderResult("F", { ok: true, payload: "done" }).text, '// F succeeded\n"done"\n');
  assert.equal(renderResult("F", "raw").text, '// F: returned\n"raw"\n');
});

test("REPORT from fields, with init duration on cold starts", () => {
  assert.equal(
    reportLine({ requestId: "r1", durationMs: 1.5, billedDurationMs: 2, memorySizeMb: 128, maxMemoryUsedMb: 40, initDurationMs: 80.25 }),
    "REPORT RequestId: r1\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 80.25 ms",
  );
  assert.equal(reportLine({ line: " REPORT x " }), "REPORT x");
  assert.equal(reportLine(42), undefined);
});

test("the server's result shape: status, requestId beside report fields, error with errorType", () => {
  const ok = renderResult("Hello", {
    requestId: "c0ffee",
    status: "success",
    logs: ["START RequestId: c0ffee", "hello"],
    report: { durationMs: 2.5, billedDurationMs: 3, memorySizeMb: 128, maxMemoryUsedMb: 41, initDurationMs: 60.1 },
    payload: { greeting: "hi" },
  });
  assert.equal(ok.ok, true);
  assert.equal(ok.report, "REPORT RequestId: c0ffee\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB\tInit Duration: 60.10 ms");
  const timeout = renderResult("Slow", {
    requestId: "r2",
    status: "timeout",
    logs: [],
    report: { durationMs: 1000, billedDurationMs: 1000, memorySizeMb: 128, maxMemoryUsedMb: null, initDurationMs: null },
    error: { errorMessage: "Task timed out after 1.00 seconds" },
    errorType: "Sandbox.Timedout",
  });
  assert.equal(timeout.ok, false);
  assert.equal(timeout.summary, "Slow failed (Sandbox.Timedout): Task timed out after 1.00 seconds");
  assert.match(timeout.report!, /Status: timeout$/);
  const unhandled = renderResult("F", { status: "error", error: "not json", errorType: "Runtime.Unknown" });
  assert.equal(unhandled.summary, "F failed (Runtime.Unknown): not json");
});

test("the server's own REPORT line from the logs wins; the event's origin and warnings are shown", () => {
  const line = "REPORT RequestId: abc\tDuration: 1.42 ms\tBilled Duration: 74 ms\tMemory Size: 128 MB\tMax Memory Used: 16 MB\tInit Duration: 71.90 ms";
  const r = renderResult("Hello", {
    requestId: "abc",
    status: "success",
    payload: { statusCode: 200 },
    logs: ["START RequestId: abc", "END RequestId: abc", line],
    report: { durationMs: 1.42, billedDurationMs: 74, memorySizeMb: 128, maxMemoryUsedMb: 16, initDurationMs: 71.9 },
    eventFrom: "sample apigateway-rest (the function's first event source)",
    warnings: ["TABLE_NAME is a !Ref: not set"],
  });
  assert.equal(r.report, line);
  const header = r.text.split("\n").slice(0, 4);
  assert.deepEqual(header, [
    "// Hello succeeded",
    "// " + line.replace(/\t/g, "  "),
    "// event: sample apigateway-rest (the function's first event source)",
    "// warning: TABLE_NAME is a !Ref: not set",
  ]);
  assert.deepEqual(JSON.parse(r.text.split("\n").slice(4).join("\n")), { statusCode: 200 });
});
