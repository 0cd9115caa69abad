"""lambda-ls Python runtime: talks to the Runtime API in AWS_LAMBDA_RUNTIME_API, loads _HANDLER from
LAMBDA_TASK_ROOT and runs it the way Lambda's Python runtime does (handler rules, context object, error
documents, JSON marshalling). Standard library only, so it starts fast on any python3."""

import importlib
import json
import os
import socket
import sys
import time

# `decimal`, `logging` and `traceback` are imported only when needed: each costs milliseconds of start-up.

THIS_FILE = os.path.abspath(__file__)


class Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


class Api:
    """A keep-alive HTTP/1.1 client for the few calls a runtime makes."""

    def __init__(self, value):
        hostport, _, prefix = value.partition("/")
        host, _, port = hostport.rpartition(":")
        self.addr = (host or "127.0.0.1", int(port))
        self.base = ("/" + prefix if prefix else "") + "/2018-06-01/runtime"
        self.sock = None
        self.buf = bytearray()

    def call(self, method, path, body=b"", headers=None):
        if self.sock is None:
            self.sock = socket.create_connection(self.addr)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buf = bytearray()
        head = "%s %s%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (
            method, self.base, path, self.addr[0], len(body))
        for k, v in (headers or {}).items():
            head += "%s: %s\r\n" % (k, v.replace("\r", " ").replace("\n", " "))
        self.sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            self._recv()
        lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        del self.buf[:end + 4]
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        while len(self.buf) < n:
            self._recv()
        payload = bytes(self.buf[:n])
        del self.buf[:n]
        return status, headers, payload

    def _recv(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.buf += chunk


class Encoder(json.JSONEncoder):
    def default(self, o):
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(o, decimal.Decimal):
            if o.is_nan():
                return float("nan")
            return float(o) if o != o.to_integral_value() else int(o)
        return super().default(o)


ENSURE_ASCII = os.environ.get("AWS_EXECUTION_ENV", "") not in {
    "AWS_Lambda_python3.%d" % v for v in range(12, 30)
}


def to_json(value):
    return json.dumps(value, cls=Encoder, ensure_ascii=ENSURE_ASCII, allow_nan=True)


class ClientContext:
    def __init__(self, data):
        c = data.get("client") or {}
        self.client = None
        if c:
            self.client = type("Client", (), {})()
            self.client.installation_id = c.get("installation_id")
            self.client.app_title = c.get("app_title")
            self.client.app_version_name = c.get("app_version_name")
            self.client.app_version_code = c.get("app_version_code")
            self.client.app_package_name = c.get("app_package_name")
        self.custom = data.get("custom")
        self.env = data.get("env")


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, arn, client_context, identity, tenant_id):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.tenant_id = tenant_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        # W3C trace context travels in the client context and is handed out by `w3c()`, not kept there.
        w3c = client_context.pop("w3c", None) if isinstance(client_context, dict) else None
        self._w3c = {k: v for k, v in (w3c or {}).items()
                     if k in ("traceparent", "tracestate", "baggage") and isinstance(v, str)} \
            if isinstance(w3c, dict) else {}
        self.client_context = ClientContext(client_context) if client_context else None
        self.identity = CognitoIdentity(identity or {})
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(round(time.time() * 1000)), 0)

    def w3c(self):
        return dict(self._w3c)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s,tenant_id=%s])" % (
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
            self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
            self.client_context, self.identity, self.tenant_id)


CURRENT_REQUEST = {"id": ""}
LOGGING_READY = []


class LoggingHook:
    """Configures `logging` the moment anything imports it, before the importer gets it back, so the
    function sees a root logger already set up (as in Lambda, where `basicConfig()` is then a no-op)."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module):
            run(module)
            setup_logging()

        loader.exec_module = exec_module
        return spec


def setup_logging():
    """Gives the root logger Lambda's handler and format."""
    if LOGGING_READY or "logging" not in sys.modules:
        return
    LOGGING_READY.append(True)
    import logging

    class RequestIdFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = CURRENT_REQUEST["id"]
            return True

    handler = logging.StreamHandler(sys.stdout)
    fmt = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S")
    fmt.converter = time.gmtime
    handler.setFormatter(fmt)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    levels = {"DEBUG": "DEBUG", "INFO": "INFO", "WARN": "WARNING", "WARNING": "WARNING",
              "ERROR": "ERROR", "FATAL": "CRITICAL", "CRITICAL": "CRITICAL"}
    level = levels.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper())
    if level:
        root.setLevel(level)


def load_handler(name):
    try:
        modname, fname = name.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (name, e))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict",
                    "Cannot use built-in module %s as a handler module" % modname)
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e),
                    ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)])
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))


def user_frames(tb):
    import traceback

    frames = traceback.extract_tb(tb)
    # Drop our own frames at the top; keep everything from the first user frame on.
    for i, frame in enumerate(frames):
        if os.path.abspath(frame.filename) != THIS_FILE:
            return traceback.format_list(frames[i:])
    # The call itself failed (a handler taking one argument): the runtime's frame is all there is.
    return traceback.format_list(frames)


def error_doc(message, error_type, trace, request_id):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": trace or [],
    }


def exception_doc(exc, request_id):
    if isinstance(exc, Fault):
        return error_doc(exc.message, exc.error_type, exc.trace, request_id)
    return error_doc(str(exc), type(exc).__name__, user_frames(exc.__traceback__), request_id)


def log_error(doc):
    head = "[ERROR]"
    if doc.get("errorType"):
        head += " " + doc["errorType"]
    if doc.get("errorMessage"):
        head += (":" if doc.get("errorType") else "") + " " + doc["errorMessage"]
    lines = [head]
    if doc.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in doc["stackTrace"]:
            lines.extend(element.splitlines() or [""])
    sys.stdout.write("\n".join(lines) + "\n")


def flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def post_error(api, path, doc):
    flush()
    body = to_json(doc).encode("utf-8")
    api.call("POST", path, body, {
        "Content-Type": "application/vnd.aws.lambda.error+json",
        "Lambda-Runtime-Function-Error-Type": doc.get("errorType") or "Runtime.Unknown",
    })


def parse_json_header(headers, name):
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def main():
    api = Api(os.environ["AWS_LAMBDA_RUNTIME_API"])
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # Our own folder must not shadow user modules: the task root takes its place on sys.path.
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(THIS_FILE):
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)
    if "logging" in sys.modules:
        setup_logging()
    else:
        sys.meta_path.insert(0, LoggingHook())
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        doc = exception_doc(e, "")
        log_error(doc)
        post_error(api, "/init/error", doc)
        sys.exit(1)
    while True:
        status, headers, body = api.call("GET", "/invocation/next")
        if status != 200:
            sys.exit(1)
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        CURRENT_REQUEST["id"] = request_id
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            context = LambdaContext(
                request_id,
                int(headers.get("lambda-runtime-deadline-ms", "0")),
                headers.get("lambda-runtime-invoked-function-arn"),
                parse_json_header(headers, "lambda-runtime-client-context"),
                parse_json_header(headers, "lambda-runtime-cognito-identity"),
                headers.get("lambda-runtime-aws-tenant-id"),
            )
            try:
                event = json.loads(body)
            except ValueError as e:
                raise Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e)
            result = handler(event, context)
            if isinstance(result, bytes):
                payload, content_type = result, "application/unknown"
            else:
                try:
                    payload = to_json(result).encode("utf-8")
                except Exception as e:
                    raise Fault("Runtime.MarshalError", "Unable to marshal response: %s" % e)
                content_type = "application/json"
        except Exception as e:
            doc = exception_doc(e, request_id)
            log_error(doc)
            post_error(api, "/invocation/%s/error" % request_id, doc)
            continue
        flush()
        api.call("POST", "/invocation/%s/response" % request_id, payload,
                 {"Content-Type": content_type})


if __name__ == "__main__":
    main()
