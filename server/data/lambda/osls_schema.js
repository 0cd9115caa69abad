// Prints the Serverless Framework's AWS function and provider schema as JSON, read from an unpacked osls
// package: the framework assembles it at run time from its plugins (`defineProvider`,
// `defineFunctionEvent`), so this script loads each plugin with a stand-in `serverless` object that only
// records those calls. Modules the plugins need at run time are not installed; stand-ins replace them.
//
// Usage: node osls_schema.js <unpacked-package-dir>  (called by update.py)
'use strict';
const Module = require('module');
const fs = require('fs');
const path = require('path');

const root = path.resolve(process.argv[2] || 'package');

function standIn() {
  const f = function () {
    return standIn();
  };
  return new Proxy(f, {
    get: (_, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : standIn()),
    apply: () => standIn(),
    construct: () => standIn(),
  });
}

const load = Module._load;
Module._load = function (request) {
  try {
    return load.apply(this, arguments);
  } catch (e) {
    return standIn();
  }
};

const events = {};
let provider = null;
function fakeServerless() {
  return new Proxy(
    {},
    {
      get: (_, k) => {
        if (k === 'configSchemaHandler') {
          return {
            defineProvider: (_name, o) => {
              provider = o;
            },
            defineFunctionEvent: (_p, name, schema) => {
              events[name] = schema;
            },
            defineFunctionEventProperties: () => {},
            defineFunctionProperties: () => {},
            defineCustomProperties: () => {},
            defineTopLevelProperty: () => {},
          };
        }
        if (k === 'service') return { provider: { name: 'aws' } };
        if (k === 'processedInput') return { options: {} };
        if (k === 'getProvider') return () => standIn();
        return standIn();
      },
    }
  );
}

function construct(file) {
  let C;
  try {
    C = require(file);
  } catch (e) {
    return;
  }
  if (typeof C !== 'function') return;
  try {
    new C(fakeServerless(), {});
  } catch (e) {
    // Helpers that are not plugin classes.
  }
}

construct(path.join(root, 'lib/plugins/aws/provider.js'));
(function walk(dir) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.js')) construct(p);
  }
})(path.join(root, 'lib/plugins/aws/package/compile/events'));

if (!provider) {
  process.stderr.write('osls_schema.js: the provider schema was not found\n');
  process.exit(1);
}
const core = require(path.join(root, 'lib/config-schema.js'));
const coreFunction = core.properties.functions.patternProperties;
const namePattern = Object.keys(coreFunction)[0];
const fn = JSON.parse(JSON.stringify(provider.function));
fn.type = 'object';
fn.additionalProperties = false;
fn.properties.name = coreFunction[namePattern].properties.name;
fn.properties.events = {
  type: 'array',
  items: {
    anyOf: Object.keys(events)
      .sort()
      .map((name) => ({
        type: 'object',
        properties: { [name]: events[name] },
        required: [name],
        additionalProperties: false,
      })),
  },
};
const out = {
  definitions: Object.assign({}, core.definitions, provider.definitions),
  function_name_pattern: namePattern,
  function: fn,
  provider: provider.provider,
  events: Object.keys(events).sort(),
};
process.stdout.write(JSON.stringify(out));
