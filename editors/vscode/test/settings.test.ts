import assert from "node:assert/strict";
import { test } from "node:test";
import { eventsFolderFor, mapSettings, serverArgs, serverEnv, SettingsReader } from "../src/settings";

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

const ctx = { home: "/home/ada", workspaceFolder: "/ws" };

test("defaults: no rules, 200 ms, credentials not passed, nothing else sent", () => {
  const { settings, warnings } = mapSettings(reader({ "invoke.pythonPath": "", "invoke.eventsFolder": "  " }), ctx);
  assert.deepEqual(settings, { rules: {}, diagnosticsDelayMs: 200, invoke: { passAwsCredentials: false } });
  assert.deepEqual(warnings, []);
});

test("rules: levels normalised, aliases accepted, bad levels reported and dropped", () => {
  const { settings, warnings } = mapSettings(
    reader({ rules: { "iam/version": "Off", "function/": "warn", "iam/x": "loud", " syntax/alias ": "hint", iam: "default" } }),
    ctx,
  );
  assert.deepEqual(settings.rules, { "iam/version": "off", "function/": "warning", "syntax/alias": "hint", iam: "on" });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"iam\/x" has level "loud"/);
  assert.match(mapSettings(reader({ rules: ["iam/version"] }), ctx).warnings[0], /must be an object/);
});

test("invoke: ~ and ${workspaceFolder} expanded, relative paths from the workspace, bare program names kept", () => {
  const { settings } = mapSettings(
    reader({
      "invoke.pythonPath": "~/.venvs/app/bin/python",
      "invoke.nodePath": "node22",
      "invoke.envFile": ".env.local",
      "invoke.passAwsCredentials": true,
      "invoke.eventsFolder": "${workspaceFolder}/fixtures/events",
      "invoke.region": "eu-central-1",
      "invoke.env": { STAGE: "dev", N: 3, BAD: { x: 1 } },
    }),
    ctx,
  );
  assert.deepEqual(settings.invoke, {
    python: "/home/ada/.venvs/app/bin/python",
    node: "node22",
    envFile: "/ws/.env.local",
    passAwsCredentials: true,
    events: "/ws/fixtures/events",
    region: "eu-central-1",
    env: { STAGE: "dev", N: "3" },
  });
  assert.equal(mapSettings(reader({ "invoke.pythonPath": "tools/python" }), ctx).settings.invoke.python, "/ws/tools/python");
});

test("the events folder: the setting, else events/ next to the template", () => {
  const none = mapSettings(reader({}), ctx).settings;
  assert.equal(eventsFolderFor(none, "/ws/app/template.yaml"), "/ws/app/events");
  const set = mapSettings(reader({ "invoke.eventsFolder": "ev" }), ctx).settings;
  assert.equal(eventsFolderFor(set, "/ws/app/template.yaml"), "/ws/ev");
});

test("delay is clamped; a truthy non-boolean does not pass credentials; ignore patterns", () => {
  const { settings } = mapSettings(reader({ "diagnostics.delayMs": 99_999, "invoke.passAwsCredentials": "yes", ignore: ["build/", 3, ""] }), ctx);
  assert.equal(settings.diagnosticsDelayMs, 10_000);
  assert.equal(settings.invoke.passAwsCredentials, false);
  assert.deepEqual(settings.ignore, ["build/"]);
  assert.equal(mapSettings(reader({ "diagnostics.delayMs": -5 }), ctx).settings.diagnosticsDelayMs, 200);
});

test("server process: log level into LAMBDA_LS_LOG, extra args after serve", () => {
  assert.equal(serverEnv(reader({ "server.logLevel": "debug" }), { PATH: "/bin" }).LAMBDA_LS_LOG, "debug");
  assert.equal(serverEnv(reader({ "server.logLevel": "$(rm -rf)" }), {}).LAMBDA_LS_LOG, undefined);
  assert.deepEqual(serverArgs(reader({ "server.extraArgs": ["--stdio", 3, ""] })), ["serve", "--stdio"]);
});
