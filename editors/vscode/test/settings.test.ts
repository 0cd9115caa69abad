import assert from "node:assert/strict";
import { test } from "node:test";
import { mapSettings, serverArgs, serverEnv, SettingsReader } from "../src/settings";

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

const ctx = { home: "/home/ada", workspaceFolder: "/ws", trusted: true };

test("defaults: no rules, 200 ms, events folder, credentials not passed", () => {
  const { settings, warnings } = mapSettings(reader({}), ctx);
  assert.deepEqual(settings, {
    rules: {},
    diagnosticsDelayMs: 200,
    invoke: { passAwsCredentials: false, eventsFolder: "events" },
    trusted: true,
  });
  assert.deepEqual(warnings, []);
});

test("rules: levels normalised, aliases accepted, bad levels reported and dropped", () => {
  const { settings, warnings } = mapSettings(
    reader({ rules: { "iam/version": "Off", "function/": "warn", "iam/x": "loud", " syntax/alias ": "hint" } }),
    ctx,
  );
  assert.deepEqual(settings.rules, { "iam/version": "off", "function/": "warning", "syntax/alias": "hint" });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"iam\/x" has level "loud"/);
  assert.match(mapSettings(reader({ rules: ["iam/version"] }), ctx).warnings[0], /must be an object/);
});

test("invoke paths: ~ and ${workspaceFolder} expanded, relative paths resolved, bare program names kept", () => {
  const { settings } = mapSettings(
    reader({
      "invoke.pythonPath": "~/.venvs/app/bin/python",
      "invoke.nodePath": "node22",
      "invoke.envFile": ".env.local",
      "invoke.passAwsCredentials": true,
      "invoke.eventsFolder": "${workspaceFolder}/fixtures/events",
    }),
    ctx,
  );
  assert.deepEqual(settings.invoke, {
    pythonPath: "/home/ada/.venvs/app/bin/python",
    nodePath: "node22",
    envFile: "/ws/.env.local",
    passAwsCredentials: true,
    eventsFolder: "/ws/fixtures/events",
  });
});

test("delay is clamped; a truthy non-boolean does not pass credentials; trust is carried", () => {
  const { settings } = mapSettings(reader({ "diagnostics.delayMs": 99_999, "invoke.passAwsCredentials": "yes" }), { ...ctx, trusted: false });
  assert.equal(settings.diagnosticsDelayMs, 10_000);
  assert.equal(settings.invoke.passAwsCredentials, false);
  assert.equal(settings.trusted, false);
  assert.equal(mapSettings(reader({ "diagnostics.delayMs": -5 }), ctx).settings.diagnosticsDelayMs, 200);
});

test("server process: log level into LAMBDA_LS_LOG, extra args after serve", () => {
  assert.equal(serverEnv(reader({ "server.logLevel": "debug" }), { PATH: "/bin" }).LAMBDA_LS_LOG, "debug");
  assert.equal(serverEnv(reader({ "server.logLevel": "$(rm -rf)" }), {}).LAMBDA_LS_LOG, undefined);
  assert.deepEqual(serverArgs(reader({ "server.extraArgs": ["--stdio", 3, ""] })), ["serve", "--stdio"]);
});
