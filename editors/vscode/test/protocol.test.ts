import assert from "node:assert/strict";
import { test } from "node:test";
import * as p from "../src/protocol";

test("lens commands are routed to the extension's own commands", () => {
  assert.equal(p.clientCommandFor("lambda-ls.invoke"), p.CLIENT_INVOKE_LENS);
  assert.equal(p.clientCommandFor("lambda-ls.invokeWithEvent"), p.CLIENT_INVOKE_WITH_EVENT_LENS);
  assert.equal(p.clientCommandFor("editor.action.showReferences"), undefined);
});

test("invoke targets are validated and carry one event choice", () => {
  assert.deepEqual(p.asInvokeTarget({ config: "/a/template.yaml", function: "Hello", extra: 1 }), { config: "/a/template.yaml", function: "Hello" });
  assert.equal(p.asInvokeTarget({ config: "/a" }), undefined);
  assert.equal(p.asInvokeTarget("Hello"), undefined);
  const t = { config: "/a/template.yaml", function: "Hello" };
  assert.deepEqual(p.invokeArgs(t), t);
  assert.deepEqual(p.invokeArgs(t, { eventType: "sqs" }), { ...t, eventType: "sqs" });
  assert.deepEqual(p.invokeArgs(t, { event: { a: 1 } }), { ...t, event: { a: 1 } });
});

test("log notifications: {line}, {text} or a string", () => {
  assert.equal(p.logLineOf({ line: "START RequestId: 1" }), "START RequestId: 1");
  assert.equal(p.logLineOf({ text: "x" }), "x");
  assert.equal(p.logLineOf("y"), "y");
  assert.equal(p.logLineOf({ n: 1 }), undefined);
});

test("the target at the cursor is the nearest invoke lens above it", () => {
  const a = { config: "/t", function: "A" };
  const b = { config: "/t", function: "B" };
  const lenses: p.LensInfo[] = [
    { line: 20, command: p.SERVER_INVOKE, target: b },
    { line: 20, command: p.SERVER_INVOKE_WITH_EVENT, target: b },
    { line: 5, command: p.SERVER_INVOKE, target: a },
  ];
  assert.equal(p.targetAtLine(lenses, 2), a);
  assert.equal(p.targetAtLine(lenses, 7), a);
  assert.equal(p.targetAtLine(lenses, 25), b);
  assert.deepEqual(p.distinctTargets(lenses), [b, a]);
});

test("event lists: JSON or text with an optional header", () => {
  assert.deepEqual(p.parseEventList('["s3-put", {"type": "sqs", "description": "SQS batch"}]'), [
    { type: "s3-put", description: "" },
    { type: "sqs", description: "SQS batch" },
  ]);
  assert.deepEqual(p.parseEventList("TYPE  DESCRIPTION\napigateway-aws-proxy  API Gateway REST proxy\nsqs-receive - SQS\n\n"), [
    { type: "apigateway-aws-proxy", description: "API Gateway REST proxy" },
    { type: "sqs-receive", description: "SQS" },
  ]);
  assert.deepEqual(p.parseEventList(""), []);
});

test("event lists: the CLI's table stops before the event files section", () => {
  const out = "apigateway-rest   API Gateway REST proxy  [Api]\nsqs               SQS batch  [SQS, sqs]\n\nEvent files next to /app/template.yaml:\n  /app/events/a.json\n";
  assert.deepEqual(
    p.parseEventList(out).map((e) => e.type),
    ["apigateway-rest", "sqs"],
  );
});

test("the server's event choices, per-call extras and invocation ids", () => {
  assert.deepEqual(
    p.parseEventChoices({
      defaultEventType: "sqs",
      eventFiles: ["/app/events/a.json", 3],
      eventTypes: [{ type: "sqs", description: "SQS batch" }, { type: "s3-put" }],
    }),
    { defaultEventType: "sqs", eventFiles: ["/app/events/a.json"], eventTypes: [{ type: "sqs", description: "SQS batch" }, { type: "s3-put", description: "" }] },
  );
  assert.equal(p.parseEventChoices(null), undefined);
  assert.equal(p.parseEventChoices({ other: 1 }), undefined);
  const t = { config: "/a/template.yaml", function: "F" };
  assert.deepEqual(p.invokeArgs(t, { eventType: "sqs" }, { envFile: "/a/.env", env: {}, invocationId: "i1" }), {
    ...t,
    eventType: "sqs",
    envFile: "/a/.env",
    invocationId: "i1",
  });
  assert.equal(p.logInvocationOf({ invocationId: "i1", line: "x" }), "i1");
  assert.equal(p.logInvocationOf({ line: "x" }), undefined);
});

test("the event as the log channel names it", () => {
  assert.equal(p.describeEvent(), "");
  assert.equal(p.describeEvent({ eventFile: "/app/events/hello.json" }), " with hello.json");
  assert.equal(p.describeEvent({ eventType: "sqs" }), " with sample sqs");
  assert.equal(p.describeEvent({ event: {} }), " with your event");
});
