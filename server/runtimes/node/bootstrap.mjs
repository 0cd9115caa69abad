// lambda-ls Node.js runtime: talks to the Runtime API in AWS_LAMBDA_RUNTIME_API, loads _HANDLER from
// LAMBDA_TASK_ROOT (CommonJS or ES module, by Lambda's lookup rules) and runs it as Lambda's Node runtime
// does: async and callback handlers, the context object, error documents, the Node 24 callback rule.
// Node's standard library only, so it starts fast on any node.

import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';

const require = createRequire(import.meta.url);
const env = process.env;
const nodeMajor = Number((/nodejs(\d+)/.exec(env.AWS_EXECUTION_ENV || '') || [])[1] || 0);
const CALLBACKS_REMOVED = nodeMajor >= 24;
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

class Api {
  constructor(value) {
    const slash = value.indexOf('/');
    const hostport = slash >= 0 ? value.slice(0, slash) : value;
    const prefix = slash >= 0 ? value.slice(slash) : '';
    const colon = hostport.lastIndexOf(':');
    this.host = hostport.slice(0, colon) || '127.0.0.1';
    this.port = Number(hostport.slice(colon + 1));
    this.base = `${prefix}/2018-06-01/runtime`;
    this.sock = null;
    this.buf = Buffer.alloc(0);
    this.waiting = null;
  }

  connect() {
    this.sock = net.createConnection({ host: this.host, port: this.port, noDelay: true });
    this.sock.on('data', (chunk) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    const fail = (err) => {
      const w = this.waiting;
      this.waiting = null;
      this.sock = null;
      if (w) w.reject(err || new Error('the Runtime API closed the connection'));
    };
    this.sock.on('error', fail);
    this.sock.on('close', () => fail());
  }

  parse() {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] || 0);
    if (this.buf.length < end + 4 + length) return;
    const body = this.buf.subarray(end + 4, end + 4 + length);
    this.buf = this.buf.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = null;
    // Idle, the connection must not keep the event loop alive (callback handlers wait for it to empty).
    this.sock.unref();
    w.resolve({ status: Number(lines[0].split(' ')[1]), headers, body });
  }

  call(method, p, body = Buffer.alloc(0), headers = {}) {
    if (!this.sock) this.connect();
    this.sock.ref();
    let head = `${method} ${this.base}${p} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Length: ${body.length}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${String(v).replace(/[\r\n]/g, ' ')}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.sock.write(Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), body]));
    });
  }
}

// Error documents as Lambda's Node runtime writes them.
function errorDoc(err) {
  try {
    if (err instanceof Error || (err && typeof err === 'object' && 'message' in err && 'name' in err)) {
      return {
        errorType: err.name,
        errorMessage: err.message,
        trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
      };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'the error could not be read' };
  }
}

function fault(type, message, cause) {
  const e = new Error(message);
  e.name = type;
  if (cause && cause.stack) e.stack = `${type}: ${message}\n${String(cause.stack).split('\n').slice(1).join('\n')}`;
  return e;
}

let currentRequestId;
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [name, level] of Object.entries(levels)) {
    console[name] = (...args) => {
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`);
    };
  }
  console.fatal = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\tFATAL\t${util.format(...args)}\n`);
  };
}

function packageType(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const pj = path.join(d, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8')).type;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

const isFile = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

async function loadModule(appRoot, moduleRoot, name) {
  const base = path.resolve(appRoot, moduleRoot, name);
  if (isFile(base)) return require(base);
  const esmJs = isFile(base + '.js') && packageType(path.dirname(base + '.js')) === 'module';
  if (isFile(base + '.js') && !esmJs) return require(base + '.js');
  if (esmJs) return import(pathToFileURL(base + '.js').href);
  if (isFile(base + '.mjs')) return import(pathToFileURL(base + '.mjs').href);
  if (isFile(base + '.cjs')) return require(base + '.cjs');
  // Last, a package in node_modules.
  const resolved = require.resolve(name, { paths: [path.resolve(appRoot, moduleRoot), appRoot] });
  return require(resolved);
}

async function loadHandler(appRoot, full) {
  if (full.includes('..')) {
    throw fault('Runtime.MalformedHandlerName', `'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const file = path.basename(full);
  const moduleRoot = full.slice(0, full.indexOf(file));
  const m = /^([^.]*)\.(.*)$/.exec(file);
  if (!m) throw fault('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = m;
  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw fault('Runtime.UserCodeSyntaxError', String(e), e);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) {
      throw fault('Runtime.ImportModuleError', String(e), e);
    }
    throw e;
  }
  const walk = (obj) => handlerPath.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
  let fn = walk(app);
  if (fn === undefined && app && app.default) fn = walk(app.default);
  if (!fn) throw fault('Runtime.HandlerNotFound', `${full} is undefined or not exported`);
  if (typeof fn !== 'function') throw fault('Runtime.HandlerNotFound', `${full} is not a function`);
  if (CALLBACKS_REMOVED && fn.length >= 3 && fn[STREAMING] !== 'response') {
    throw fault(
      'Runtime.CallbackHandlerDeprecated',
      `ERROR: callback-based function handlers are not supported on Node.js ${nodeMajor} and later. ` +
        `'${full}' declares ${fn.length} parameters; write it as an async function of (event, context) that returns its result.`,
    );
  }
  return fn;
}

// `awslambda` is a global in Lambda's Node runtime, used for response streaming.
class ResponseStream extends Writable {
  constructor() {
    super();
    this.chunks = [];
  }
  _write(chunk, _enc, cb) {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  setContentType(t) {
    this.contentType = t;
  }
}
globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = 'response';
    return handler;
  },
  HttpResponseStream: {
    from(stream, prelude) {
      stream.setContentType?.('application/vnd.awslambda.http-integration-response');
      stream.write(Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8)]));
      return stream;
    },
  },
};

function makeContext(headers, finishLegacy) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const parse = (h) => {
    try {
      return h ? JSON.parse(h) : undefined;
    } catch {
      return undefined;
    }
  };
  const ctx = {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parse(headers['lambda-runtime-client-context']),
    identity: parse(headers['lambda-runtime-cognito-identity']),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  if (!CALLBACKS_REMOVED) {
    ctx.callbackWaitsForEmptyEventLoop = true;
    ctx.succeed = (r) => finishLegacy(null, r);
    ctx.fail = (e) => finishLegacy(e == null ? new Error('handled') : e);
    ctx.done = (e, r) => finishLegacy(e, r);
  }
  return ctx;
}

function serialize(result) {
  try {
    return Buffer.from(JSON.stringify(result === undefined ? null : result) ?? 'null');
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

// Runs one invocation; resolves with {error} or {body, headers}.
function run(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      if (err != null) return resolve({ error: err });
      try {
        resolve({ body: serialize(result) });
      } catch (e) {
        resolve({ error: e });
      }
    };
    const finishLegacy = (err, result) => finish(err, result);
    const context = makeContext(headers, finishLegacy);
    // With callbackWaitsForEmptyEventLoop (the default), Lambda answers once the event loop is empty;
    // `beforeExit` fires exactly then. A handler that never calls back answers null.
    let called = null;
    let armed = false;
    const whenEmpty = () => {
      if (armed) return;
      armed = true;
      process.once('beforeExit', () => finish(...(called || [null, null])));
    };
    const callback = (err, result) => {
      if (called) return;
      called = [err, result];
      if (context.callbackWaitsForEmptyEventLoop) whenEmpty();
      else finish(err, result);
    };
    if (handler[STREAMING] === 'response') {
      const stream = new ResponseStream();
      let ended = false;
      stream.on('finish', () => {
        ended = true;
      });
      Promise.resolve()
        .then(() => handler(event, stream, context))
        .then(
          () => {
            const done = () => {
              if (settled) return;
              settled = true;
              resolve({ body: Buffer.concat(stream.chunks), streaming: true, contentType: stream.contentType });
            };
            if (ended) done();
            else stream.once('finish', done);
          },
          (e) => finish(e),
        );
      return;
    }
    let ret;
    try {
      ret = CALLBACKS_REMOVED ? handler(event, context) : handler(event, context, callback);
    } catch (e) {
      return finish(e);
    }
    if (ret && typeof ret.then === 'function') {
      ret.then((r) => finish(null, r), (e) => finish(e == null ? new Error('handled') : e));
    } else if (CALLBACKS_REMOVED) {
      finish(null, ret);
    } else {
      whenEmpty();
    }
  });
}

function logError(label, doc) {
  process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} \t${JSON.stringify(doc)}\n`);
}

async function postError(api, p, err) {
  const doc = errorDoc(err);
  await api.call('POST', p, Buffer.from(JSON.stringify(doc)), {
    'Content-Type': 'application/vnd.aws.lambda.error+json',
    'Lambda-Runtime-Function-Error-Type': doc.errorType,
  });
  return doc;
}

async function main() {
  const api = new Api(env.AWS_LAMBDA_RUNTIME_API);
  patchConsole();
  const appRoot = env.LAMBDA_TASK_ROOT || process.cwd();
  process.chdir(appRoot);
  let handler;
  try {
    handler = await loadHandler(appRoot, env._HANDLER || '');
  } catch (e) {
    logError('Init Error', errorDoc(e));
    await postError(api, '/init/error', e);
    process.exit(129);
  }
  const crash = (kind, exitCode) => async (err) => {
    const e = kind === 'rejection' ? fault('Runtime.UnhandledPromiseRejection', String(err && err.stack ? `${err.name}: ${err.message}` : err), err) : err;
    logError(kind === 'rejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception', errorDoc(e));
    if (currentRequestId) {
      try {
        await postError(api, `/invocation/${currentRequestId}/error`, e);
      } catch {}
    }
    process.exit(exitCode);
  };
  process.on('uncaughtException', crash('exception', 129));
  process.on('unhandledRejection', crash('rejection', 128));
  for (;;) {
    const next = await api.call('GET', '/invocation/next');
    if (next.status !== 200) process.exit(1);
    const headers = next.headers;
    currentRequestId = headers['lambda-runtime-aws-request-id'];
    if (headers['lambda-runtime-trace-id']) env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
    else delete env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = JSON.parse(next.body.toString('utf8'));
    } catch (e) {
      const err = fault('Runtime.UnmarshalError', `Unable to parse event: ${e.message}`);
      logError('Invoke Error', errorDoc(err));
      await postError(api, `/invocation/${currentRequestId}/error`, err);
      continue;
    }
    const out = await run(handler, event, headers);
    if (out.error !== undefined) {
      logError('Invoke Error', errorDoc(out.error));
      await postError(api, `/invocation/${currentRequestId}/error`, out.error);
      continue;
    }
    const h = { 'Content-Type': out.contentType || 'application/json' };
    if (out.streaming) h['Lambda-Runtime-Function-Response-Mode'] = 'streaming';
    await api.call('POST', `/invocation/${currentRequestId}/response`, out.body, h);
  }
}

main().catch((e) => {
  process.stderr.write(`lambda-ls runtime: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
