//! The handler rules: each with docs and a failing and a passing example project (template plus code).

use crate::rules::{Rule, Severity};

const SAM_PY: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: hello_world/\n      Handler: app.lambda_handler\n      Runtime: python3.13\n";

pub static FILE_NOT_FOUND: Rule = Rule {
    id: "handler/file-not-found",
    severity: Severity::Error,
    summary: "the handler's code file does not exist",
    docs: "The `Handler` names a module that does not exist under the function's code folder (`CodeUri` \
           for SAM, relative to the template's folder; the serverless.yml folder for the Serverless \
           Framework). Lambda fails at the first invocation with `Runtime.ImportModuleError` (Python, \
           Node.js) or `LoadError` (Ruby). Python module paths use `.` or `/` between folders \
           (`src/app.handler` and `src.app.handler` both load `src/app.py`); Node.js tries `.js`, `.mjs` \
           and `.cjs`, and with esbuild the source named by `Metadata.BuildProperties.EntryPoints`. Also \
           reported here: a `CodeUri` folder that does not exist, a module outside `CodeUri` (not \
           deployed), a Python module file that shadows a package folder of the same name, a Python \
           module named like a built-in module (`time`, `sys`: `Runtime.BuiltInModuleConflict`), and \
           inline code whose handler is not `index.<name>`.",
    bad: &[
        ("template.yaml", SAM_PY),
        ("hello_world/application.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
};

pub static SYMBOL_NOT_FOUND: Rule = Rule {
    id: "handler/symbol-not-found",
    severity: Severity::Error,
    summary: "the handler's function, export or method does not exist",
    docs: "The code file exists but does not define what the `Handler` names: a module-level function \
           in Python, an export in Node.js (`exports.x`, `module.exports = { x }`, `export const x`, \
           `export function x`, `export { x }`), a top-level method or a class method of \
           `Module::Class` in Ruby, a method of the class in Java. Lambda fails with \
           `Runtime.HandlerNotFound`. Renaming a function in code without updating the template is the \
           usual cause; the quick fix offers the closest existing name.",
    bad: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def handler(event, context):\n    return {}\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
};

pub static CASE_MISMATCH: Rule = Rule {
    id: "handler/case-mismatch",
    severity: Severity::Error,
    summary: "a code path differs from the disk only in letter case",
    docs: "`CodeUri` or the handler's module path matches a folder or file only when case is ignored. \
           It works on macOS and Windows, whose file systems ignore case, and fails on Linux, in CI and \
           in Lambda itself (`Runtime.ImportModuleError`). Write the name exactly as it is on disk.",
    bad: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: hello_world/\n      Handler: App.lambda_handler\n      Runtime: python3.13\n"),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
};

pub static OUTSIDE_PROJECT: Rule = Rule {
    id: "handler/outside-project",
    severity: Severity::Error,
    summary: "a code path leaves the project",
    docs: "`CodeUri` or the `Handler` module path is absolute, climbs out of the project with `..`, or \
           goes through a symlink that leads outside it. Such a path depends on the machine that builds \
           the function and is not packaged the way the template suggests. lambda-ls never reads files \
           there. The project is the template's folder, the git repository that holds it and the \
           workspace folders open in the editor.",
    bad: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ../../etc\n      Handler: passwd.lambda_handler\n      Runtime: python3.13\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
};

pub static PYTHON_ASYNC: Rule = Rule {
    id: "handler/python-async",
    severity: Severity::Error,
    summary: "a Python handler is `async def`",
    docs: "The Python runtime calls the handler and serialises what it returns; it never awaits a \
           coroutine. An `async def` handler returns an un-awaited coroutine and every invocation fails \
           with `Runtime.MarshalError` (\"Object of type coroutine is not JSON serializable\"). Define a \
           plain `def` handler that runs the coroutine with `asyncio.run(...)`.",
    bad: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "async def lambda_handler(event, context):\n    return {}\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "import asyncio\n\nasync def main(event):\n    return {}\n\ndef lambda_handler(event, context):\n    return asyncio.run(main(event))\n"),
    ],
};

pub static PYTHON_SIGNATURE: Rule = Rule {
    id: "handler/python-signature",
    severity: Severity::Error,
    summary: "a Python handler cannot be called as `handler(event, context)`",
    docs: "The Python runtime calls the handler with exactly two positional arguments, `event` and \
           `context`. A handler that takes fewer (`def handler(event)`), requires more, or requires a \
           keyword-only argument fails every invocation with a `TypeError`. Decorated handlers are not \
           checked, since a decorator may change the signature.",
    bad: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event):\n    return {}\n"),
    ],
    good: &[
        ("template.yaml", SAM_PY),
        ("hello_world/app.py", "def lambda_handler(event, context):\n    return {}\n"),
    ],
};

const SAM_NODE24: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: index.handler\n      Runtime: nodejs24.x\n";

pub static NODE_CALLBACK: Rule = Rule {
    id: "handler/node-callback",
    severity: Severity::Error,
    summary: "a Node.js handler takes a callback, which nodejs24.x no longer supports",
    docs: "From `nodejs24.x` on, the Node.js runtime refuses handlers that declare three parameters \
           (`(event, context, callback)`, async or not) unless they are response-streaming handlers: \
           init fails with `Runtime.CallbackHandlerDeprecated`. The runtime reads `handler.length`, so \
           a third parameter with a default value or a rest parameter does not count. On older runtimes \
           this is a warning: the handler breaks on the upgrade. Return a value (or a promise) instead \
           of calling `callback`.",
    bad: &[
        ("template.yaml", SAM_NODE24),
        ("src/index.js", "exports.handler = (event, context, callback) => {\n  callback(null, { ok: true });\n};\n"),
    ],
    good: &[
        ("template.yaml", SAM_NODE24),
        ("src/index.js", "exports.handler = async (event, context) => {\n  return { ok: true };\n};\n"),
    ],
};

pub static NODE_MODULE_SYSTEM: Rule = Rule {
    id: "handler/node-module-system",
    severity: Severity::Error,
    summary: "a Node.js handler uses the syntax of the other module system",
    docs: "Node.js loads `.mjs` files as ES modules, `.cjs` files as CommonJS, and `.js` files as ES \
           modules only when the nearest `package.json` says `\"type\": \"module\"`. CommonJS syntax \
           (`require`, `module.exports`, `exports.x`, `__dirname`) in an ES module fails with \
           `ReferenceError: require is not defined in ES module scope`. ES module syntax (`import`, \
           `export`) in a CommonJS file fails with `Cannot use import statement outside a module` on \
           `nodejs18.x` and older; from `nodejs20.x` on, Node.js detects the syntax and reloads the file \
           as an ES module at every cold start with a warning in the logs (reported as a warning, unless \
           the file is `.cjs` or `package.json` says `\"type\": \"commonjs\"`).",
    bad: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: index.handler\n      Runtime: nodejs22.x\n"),
        ("src/index.mjs", "const db = require('./db');\nexport const handler = async (event) => db.get(event.id);\n"),
    ],
    good: &[
        ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: index.handler\n      Runtime: nodejs22.x\n"),
        ("src/index.mjs", "import db from './db.mjs';\nexport const handler = async (event) => db.get(event.id);\n"),
    ],
};

const SAM_GO: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: go1.x\n    Properties:\n      CodeUri: hello/\n      Handler: bootstrap\n      Runtime: provided.al2023\n";

pub static GO_SIGNATURE: Rule = Rule {
    id: "handler/go-signature",
    severity: Severity::Error,
    summary: "the function passed to `lambda.Start` has a signature aws-lambda-go rejects",
    docs: "aws-lambda-go accepts handlers taking at most two arguments (with two, the first must be \
           `context.Context`) and returning nothing, an `error`, or a value and an `error`. Anything \
           else compiles but fails when the function starts (\"handler takes two arguments, but the \
           first is not Context\", \"handler returns a single value, but it does not implement error\").",
    bad: &[
        ("template.yaml", SAM_GO),
        ("hello/main.go", "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc handler(name string, count int) string {\n\treturn name\n}\n\nfunc main() {\n\tlambda.Start(handler)\n}\n"),
    ],
    good: &[
        ("template.yaml", SAM_GO),
        ("hello/main.go", "package main\n\nimport (\n\t\"context\"\n\n\t\"github.com/aws/aws-lambda-go/lambda\"\n)\n\nfunc handler(ctx context.Context, name string) (string, error) {\n\treturn name, nil\n}\n\nfunc main() {\n\tlambda.Start(handler)\n}\n"),
    ],
};

pub static GO_MAIN: Rule = Rule {
    id: "handler/go-main",
    severity: Severity::Error,
    summary: "a Go function's code folder has no `main` package",
    docs: "A Go function is an executable named `bootstrap` built from the code folder (`CodeUri`), so \
           the folder must hold Go files of package `main`. Without them the build makes no executable \
           and the deployment or the first invocation fails (\"Couldn't find valid bootstrap(s)\").",
    bad: &[
        ("template.yaml", SAM_GO),
        ("hello/handler.go", "package hello\n\nfunc Handle() error {\n\treturn nil\n}\n"),
    ],
    good: &[
        ("template.yaml", SAM_GO),
        ("hello/main.go", "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc handler() error {\n\treturn nil\n}\n\nfunc main() {\n\tlambda.Start(handler)\n}\n"),
    ],
};

const SAM_RUBY: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: hello/\n      Handler: app.lambda_handler\n      Runtime: ruby3.4\n";

pub static RUBY_SIGNATURE: Rule = Rule {
    id: "handler/ruby-signature",
    severity: Severity::Error,
    summary: "a Ruby handler does not take `event:` and `context:` keyword arguments",
    docs: "The Ruby runtime calls the handler as `handler(event: event, context: context)`. A method \
           with positional parameters, or without the `event:` and `context:` keywords (and no `**`), \
           fails every invocation with an `ArgumentError`.",
    bad: &[
        ("template.yaml", SAM_RUBY),
        ("hello/app.rb", "def lambda_handler(event, context)\n  { statusCode: 200 }\nend\n"),
    ],
    good: &[
        ("template.yaml", SAM_RUBY),
        ("hello/app.rb", "def lambda_handler(event:, context:)\n  { statusCode: 200 }\nend\n"),
    ],
};

const SAM_JAVA: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  HelloFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: HelloFunction/\n      Handler: helloworld.App::handleRequest\n      Runtime: java21\n";

pub static JAVA_NOT_IN_SOURCES: Rule = Rule {
    id: "handler/java-class-not-in-sources",
    severity: Severity::Warning,
    summary: "the Java handler class is not among the function's sources",
    docs: "The function's code folder holds Java sources, but none declares the handler's class in the \
           handler's package (classes are matched by their `package` declaration, not by folder). The \
           class may come from a dependency (for example a framework's ready-made handler), so this is \
           a warning; a misspelt package or class name fails with `ClassNotFoundException`. Folders \
           without Java sources (a prebuilt artifact, or Kotlin, Groovy, Scala or Clojure code) are not \
           checked.",
    bad: &[
        ("template.yaml", SAM_JAVA),
        ("HelloFunction/src/main/java/helloworld/App.java", "package hello.world;\n\npublic class App {\n    public String handleRequest(Object input, Object context) { return \"\"; }\n}\n"),
    ],
    good: &[
        ("template.yaml", SAM_JAVA),
        ("HelloFunction/src/main/java/helloworld/App.java", "package helloworld;\n\npublic class App {\n    public String handleRequest(Object input, Object context) { return \"\"; }\n}\n"),
    ],
};

pub static RULES: &[&Rule] = &[
    &FILE_NOT_FOUND,
    &SYMBOL_NOT_FOUND,
    &CASE_MISMATCH,
    &OUTSIDE_PROJECT,
    &PYTHON_ASYNC,
    &PYTHON_SIGNATURE,
    &NODE_CALLBACK,
    &NODE_MODULE_SYSTEM,
    &GO_SIGNATURE,
    &GO_MAIN,
    &RUBY_SIGNATURE,
    &JAVA_NOT_IN_SOURCES,
];
