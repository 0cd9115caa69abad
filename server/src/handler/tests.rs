//! Resolution and checks on small multi-file projects, one family at a time.

use super::*;
use crate::function::model;
use crate::rules::Severity;
use crate::workspace::{self, Files};

type Outcome = (String, Vec<(String, Severity)>, Option<String>);

struct Case {
    dir: tempfile::TempDir,
    files: Files,
}

impl Case {
    fn new(entries: &[(&str, &str)]) -> Case {
        let dir = tempfile::tempdir().expect("tmp");
        for (p, text) in entries {
            let path = dir.path().join(p);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(path, text).expect("write");
        }
        Case {
            dir,
            files: Files::new(),
        }
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    /// (function name, rule ids with severities, resolved file relative to the project).
    fn run(&self, config: &str) -> Vec<Outcome> {
        let path = self.path(config);
        let text = std::fs::read_to_string(&path).expect("config");
        let parsed = workspace::parse(&path, text.into(), None);
        model::functions(&parsed)
            .iter()
            .map(|f| {
                let mut out = Vec::new();
                check_function(f, &self.files, &mut out);
                let resolved = resolve_function(f, &self.files).map(|r| {
                    r.path
                        .strip_prefix(self.dir.path())
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| r.path.display().to_string())
                });
                (
                    f.name.clone(),
                    out.iter()
                        .map(|x| (x.rule.to_string(), x.severity))
                        .collect(),
                    resolved,
                )
            })
            .collect()
    }

    /// Rule ids reported for the only function of `config`.
    fn rules(&self, config: &str) -> Vec<String> {
        let all = self.run(config);
        assert_eq!(all.len(), 1, "{all:?}");
        all[0].1.iter().map(|(r, _)| r.clone()).collect()
    }

    fn resolved(&self, config: &str) -> Option<String> {
        self.run(config).into_iter().next().and_then(|r| r.2)
    }
}

fn sam(props: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n{}",
        props
            .lines()
            .map(|l| format!("      {l}\n"))
            .collect::<String>()
    )
}

#[test]
fn python_modules_in_folders_and_packages() {
    let c = Case::new(&[
        (
            "template.yaml",
            &sam("CodeUri: .\nHandler: src/app.handler\nRuntime: python3.12"),
        ),
        ("src/app.py", "def handler(event, context):\n    pass\n"),
        (
            "dots.yaml",
            &sam("CodeUri: .\nHandler: src.app.handler\nRuntime: python3.12"),
        ),
        (
            "pkg.yaml",
            &sam("Handler: pkg.handler\nRuntime: python3.12"),
        ),
        ("pkg/__init__.py", "from .impl import handler\n"),
        (
            "star.yaml",
            &sam("Handler: star.handler\nRuntime: python3.12"),
        ),
        ("star.py", "from impl import *\n"),
    ]);
    assert_eq!(c.rules("template.yaml"), Vec::<String>::new());
    assert_eq!(c.resolved("template.yaml").as_deref(), Some("src/app.py"));
    assert_eq!(c.resolved("dots.yaml").as_deref(), Some("src/app.py"));
    assert_eq!(c.rules("pkg.yaml"), Vec::<String>::new());
    assert_eq!(c.resolved("pkg.yaml").as_deref(), Some("pkg/__init__.py"));
    assert_eq!(
        c.rules("star.yaml"),
        Vec::<String>::new(),
        "a star import may bind it"
    );
}

#[test]
fn unknown_values_are_never_wrong() {
    let c = Case::new(&[
        (
            "template.yaml",
            "Transform: AWS::Serverless-2016-10-31\nParameters:\n  H:\n    Type: String\nResources:\n  \
             A:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: !Ref H\n      Runtime: python3.12\n  \
             B:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: !Sub '${AWS::StackName}'\n      Handler: missing.handler\n      Runtime: python3.12\n  \
             C:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://bucket/key.zip\n      Handler: missing.handler\n      Runtime: python3.12\n  \
             D:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n      ImageUri: repo:tag\n  \
             E:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: missing.handler\n      Runtime: !Ref R\n  \
             F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.12\n      Code:\n        ZipFile: 'def handler(e, c): pass'\n  \
             G:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: target/app.jar\n      Handler: a.B::c\n      Runtime: java21\n  \
             H:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: dist/\n      Handler: app.handler\n      Runtime: nodejs22.x\n",
        ),
        (
            "serverless.yml",
            "service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  a:\n    handler: ${self:custom.handler}\n  b:\n    handler: handler.hello\n    runtime: ${opt:runtime}\n",
        ),
    ]);
    for (name, findings, _) in c.run("template.yaml") {
        assert!(findings.is_empty(), "{name}: {findings:?}");
    }
    for (name, findings, _) in c.run("serverless.yml") {
        assert!(findings.is_empty(), "{name}: {findings:?}");
    }
}

#[test]
fn globals_supply_the_handler_and_codeuri() {
    let c = Case::new(&[
        (
            "template.yaml",
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    CodeUri: src/\n    Handler: app.handler\n    Runtime: python3.12\n\
             Resources:\n  A:\n    Type: AWS::Serverless::Function\n  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.other\n",
        ),
        ("src/app.py", "def handler(event, context):\n    pass\n"),
    ]);
    let all = c.run("template.yaml");
    assert_eq!(all[0].1, vec![]);
    assert_eq!(all[0].2.as_deref(), Some("src/app.py"));
    assert_eq!(
        all[1].1,
        vec![("handler/symbol-not-found".to_string(), Severity::Error)]
    );
}

#[test]
fn paths_out_of_the_project_are_reported_and_not_read() {
    let c = Case::new(&[
        (
            "proj/template.yaml",
            &sam("CodeUri: ../outside\nHandler: app.handler\nRuntime: python3.12"),
        ),
        (
            "proj/abs.yaml",
            &sam("CodeUri: /etc\nHandler: passwd.handler\nRuntime: python3.12"),
        ),
        (
            "proj/climb.yaml",
            &sam("Handler: ../../etc/passwd.handler\nRuntime: python3.12"),
        ),
        (
            "proj/node.yaml",
            &sam("Handler: ../../etc/passwd.handler\nRuntime: nodejs22.x"),
        ),
        ("outside/app.py", "def handler(event, context):\n    pass\n"),
    ]);
    for config in [
        "proj/template.yaml",
        "proj/abs.yaml",
        "proj/climb.yaml",
        "proj/node.yaml",
    ] {
        assert_eq!(c.rules(config), vec!["handler/outside-project"], "{config}");
        assert_eq!(c.resolved(config), None, "{config}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_is_not_followed() {
    let c = Case::new(&[
        (
            "proj/template.yaml",
            &sam("CodeUri: code/\nHandler: app.handler\nRuntime: python3.12"),
        ),
        ("secret/app.py", "def handler(event, context):\n    pass\n"),
    ]);
    std::os::unix::fs::symlink(c.path("secret"), c.path("proj/code")).expect("link");
    assert_eq!(
        c.rules("proj/template.yaml"),
        vec!["handler/outside-project"]
    );
    assert_eq!(c.resolved("proj/template.yaml"), None);
}

#[test]
fn case_only_differences_in_codeuri_and_module() {
    let c = Case::new(&[
        (
            "template.yaml",
            &sam("CodeUri: hello_world/\nHandler: app.handler\nRuntime: python3.12"),
        ),
        (
            "Hello_World/app.py",
            "def handler(event, context):\n    pass\n",
        ),
    ]);
    let all = c.run("template.yaml");
    assert_eq!(
        all[0].1,
        vec![("handler/case-mismatch".to_string(), Severity::Error)]
    );
    assert_eq!(
        all[0].2.as_deref(),
        Some("Hello_World/app.py"),
        "still navigable"
    );
    // The quick fix writes the name as it is on disk.
    let path = c.path("template.yaml");
    let text = std::fs::read_to_string(&path).expect("config");
    let parsed = workspace::parse(&path, text.clone().into(), None);
    let f = &model::functions(&parsed)[0];
    let mut out = Vec::new();
    check_function(f, &c.files, &mut out);
    let edit = &out[0].fixes[0].edits[0];
    assert_eq!(&text[edit.span.clone()], "hello_world/");
    assert_eq!(edit.new_text, "Hello_World/");
}

#[test]
fn node_module_forms_and_module_systems() {
    let tpl = |handler: &str, runtime: &str| {
        sam(&format!(
            "CodeUri: src/\nHandler: {handler}\nRuntime: {runtime}"
        ))
    };
    let c = Case::new(&[
        ("cjs.yaml", &tpl("cjs.handler", "nodejs22.x")),
        (
            "src/cjs.js",
            "const h = async (event) => ({});\nmodule.exports = { handler: h };\n",
        ),
        ("esm.yaml", &tpl("esm.handler", "nodejs22.x")),
        (
            "src/esm.mjs",
            "export const handler = async (event) => ({});\n",
        ),
        ("esm-in-cjs.yaml", &tpl("mixed.handler", "nodejs18.x")),
        ("esm-in-cjs-22.yaml", &tpl("mixed.handler", "nodejs22.x")),
        (
            "src/mixed.js",
            "import x from 'x';\nexport const handler = async () => x;\n",
        ),
        (
            "cjs-in-cjs-ext.yaml",
            &tpl("explicit.handler", "nodejs22.x"),
        ),
        (
            "src/explicit.cjs",
            "export const handler = async () => 1;\n",
        ),
        ("typed.yaml", &tpl("sub/typed.handler", "nodejs22.x")),
        (
            "src/sub/package.json",
            "{ \"name\": \"x\", \"type\": \"module\" }\n",
        ),
        (
            "src/sub/typed.js",
            "const fs = require('fs');\nexport const handler = async () => fs;\n",
        ),
        ("missing.yaml", &tpl("cjs.nothere", "nodejs22.x")),
        ("nested.yaml", &tpl("nested.handlers.main", "nodejs22.x")),
        (
            "src/nested.js",
            "exports.handlers = { main: async () => 1 };\n",
        ),
        ("reexport.yaml", &tpl("index.handler", "nodejs22.x")),
        ("src/index.mjs", "export { handler } from './impl.mjs';\n"),
        (
            "src/impl.mjs",
            "export async function handler(event, context, callback) {}\n",
        ),
    ]);
    assert_eq!(c.rules("cjs.yaml"), Vec::<String>::new());
    assert_eq!(c.rules("esm.yaml"), Vec::<String>::new());
    assert_eq!(c.resolved("esm.yaml").as_deref(), Some("src/esm.mjs"));
    assert_eq!(
        c.run("esm-in-cjs.yaml")[0].1,
        vec![("handler/node-module-system".into(), Severity::Error)]
    );
    assert_eq!(
        c.run("esm-in-cjs-22.yaml")[0].1,
        vec![("handler/node-module-system".into(), Severity::Warning)],
        "Node 22 detects ES module syntax"
    );
    assert_eq!(
        c.run("cjs-in-cjs-ext.yaml")[0].1,
        vec![("handler/node-module-system".into(), Severity::Error)]
    );
    assert_eq!(
        c.rules("typed.yaml"),
        vec!["handler/node-module-system"],
        "require in a type: module package"
    );
    assert_eq!(c.rules("missing.yaml"), vec!["handler/symbol-not-found"]);
    assert_eq!(c.rules("nested.yaml"), Vec::<String>::new());
    // The re-exported definition is followed: its callback is seen in the other file.
    let all = c.run("reexport.yaml");
    assert_eq!(
        all[0].1,
        vec![("handler/node-callback".into(), Severity::Warning)]
    );
    assert_eq!(all[0].2.as_deref(), Some("src/impl.mjs"));
}

#[test]
fn node24_callback_handlers_fail_unless_streaming_or_defaulted() {
    let tpl = |handler: &str| {
        sam(&format!(
            "CodeUri: src/\nHandler: {handler}\nRuntime: nodejs24.x"
        ))
    };
    let c = Case::new(&[
        ("cb.yaml", &tpl("index.cb")),
        ("async-cb.yaml", &tpl("index.asyncCb")),
        ("default.yaml", &tpl("index.defaulted")),
        ("rest.yaml", &tpl("index.rest")),
        ("stream.yaml", &tpl("index.stream")),
        ("wrapped.yaml", &tpl("index.wrapped")),
        (
            "src/index.js",
            "exports.cb = function (event, context, callback) { callback(null, 1); };\n\
             exports.asyncCb = async (event, context, callback) => 1;\n\
             exports.defaulted = (event, context, callback = null) => 1;\n\
             exports.rest = (...args) => 1;\n\
             exports.stream = awslambda.streamifyResponse(async (event, responseStream, context) => {});\n\
             exports.wrapped = middy((event, context, callback) => 1);\n",
        ),
    ]);
    assert_eq!(c.rules("cb.yaml"), vec!["handler/node-callback"]);
    assert_eq!(c.rules("async-cb.yaml"), vec!["handler/node-callback"]);
    for ok in ["default.yaml", "rest.yaml", "stream.yaml", "wrapped.yaml"] {
        assert_eq!(c.rules(ok), Vec::<String>::new(), "{ok}");
    }
    assert_eq!(c.run("cb.yaml")[0].1[0].1, Severity::Error);
}

#[test]
fn typescript_through_esbuild_entry_points() {
    let c = Case::new(&[
        (
            "template.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    \
             Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints:\n          - src/app.ts\n    \
             Properties:\n      CodeUri: hello/\n      Handler: app.lambdaHandler\n      Runtime: nodejs24.x\n",
        ),
        (
            "hello/src/app.ts",
            "import { APIGatewayProxyEvent } from 'aws-lambda';\nexport const lambdaHandler = async (event: APIGatewayProxyEvent, context: Context, callback: Callback) => ({});\n",
        ),
        (
            "wrong.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    \
             Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints:\n          - src/app.ts\n    \
             Properties:\n      CodeUri: hello/\n      Handler: main.lambdaHandler\n      Runtime: nodejs22.x\n",
        ),
    ]);
    let all = c.run("template.yaml");
    assert_eq!(all[0].2.as_deref(), Some("hello/src/app.ts"));
    assert_eq!(
        all[0].1,
        vec![("handler/node-callback".into(), Severity::Error)],
        "ES module syntax in TypeScript is the bundler's business; the callback is not"
    );
    assert_eq!(c.rules("wrong.yaml"), vec!["handler/file-not-found"]);
}

#[test]
fn go_main_package_and_signature() {
    let tpl = |dir: &str| {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    \
             Metadata:\n      BuildMethod: go1.x\n    Properties:\n      CodeUri: {dir}/\n      Handler: bootstrap\n      Runtime: provided.al2023\n"
        )
    };
    let c = Case::new(&[
        ("ok.yaml", &tpl("ok")),
        ("ok/main.go", "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc main() {\n\tlambda.Start(handle)\n}\n"),
        ("ok/handle.go", "package main\n\nimport \"context\"\n\nfunc handle(ctx context.Context, e Event) (Out, error) { return Out{}, nil }\n"),
        ("ok/main_test.go", "package main\n"),
        ("bad.yaml", &tpl("bad")),
        ("bad/main.go", "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc handle(e string) string { return e }\n\nfunc main() {\n\tlambda.Start(handle)\n}\n"),
        ("lit.yaml", &tpl("lit")),
        ("lit/main.go", "package main\n\nimport \"github.com/aws/aws-lambda-go/lambda\"\n\nfunc main() {\n\tlambda.Start(func(a, b, c int) {})\n}\n"),
        ("adapter.yaml", &tpl("adapter")),
        ("adapter/main.go", "package main\n\nimport \"github.com/akrylysov/algnhsa\"\n\nfunc main() {\n\talgnhsa.ListenAndServe(mux, nil)\n}\n"),
        ("nostart.yaml", &tpl("nostart")),
        ("nostart/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n"),
        ("lib.yaml", &tpl("lib")),
        ("lib/lib.go", "package lib\n"),
        ("empty.yaml", &tpl("empty")),
        ("empty/README.md", "nothing\n"),
    ]);
    assert_eq!(c.rules("ok.yaml"), Vec::<String>::new());
    assert_eq!(c.resolved("ok.yaml").as_deref(), Some("ok/handle.go"));
    assert_eq!(c.rules("bad.yaml"), vec!["handler/go-signature"]);
    assert_eq!(c.rules("lit.yaml"), vec!["handler/go-signature"]);
    assert_eq!(c.rules("adapter.yaml"), Vec::<String>::new());
    assert_eq!(
        c.run("nostart.yaml")[0].1,
        vec![("handler/go-main".into(), Severity::Warning)]
    );
    assert_eq!(c.rules("lib.yaml"), vec!["handler/go-main"]);
    assert_eq!(c.rules("empty.yaml"), vec!["handler/go-main"]);
}

#[test]
fn ruby_methods_and_class_methods() {
    let tpl = |h: &str| sam(&format!("CodeUri: app/\nHandler: {h}\nRuntime: ruby3.3"));
    let c = Case::new(&[
        ("top.yaml", &tpl("function.handler")),
        ("class.yaml", &tpl("function.Shop::Orders.process")),
        ("instance.yaml", &tpl("function.Shop::Orders.instance")),
        ("positional.yaml", &tpl("function.positional")),
        ("missing.yaml", &tpl("function.Shop::Nope.process")),
        (
            "app/function.rb",
            "def handler(event:, context:)\nend\n\ndef positional(event, context)\nend\n\nmodule Shop\n  class Orders\n    def self.process(event:, context:)\n    end\n\n    def instance(event:, context:)\n    end\n  end\nend\n",
        ),
    ]);
    assert_eq!(c.rules("top.yaml"), Vec::<String>::new());
    assert_eq!(c.rules("class.yaml"), Vec::<String>::new());
    assert_eq!(c.rules("instance.yaml"), vec!["handler/symbol-not-found"]);
    assert_eq!(c.rules("positional.yaml"), vec!["handler/ruby-signature"]);
    assert_eq!(c.rules("missing.yaml"), vec!["handler/symbol-not-found"]);
}

#[test]
fn java_classes_by_package_declaration() {
    let tpl = |h: &str| sam(&format!("CodeUri: fn/\nHandler: {h}\nRuntime: java21"));
    let c = Case::new(&[
        ("method.yaml", &tpl("com.example.App::handleRequest")),
        ("iface.yaml", &tpl("com.example.App")),
        ("odd.yaml", &tpl("Odd.src.main.java.odd.Handler::run")),
        ("nomethod.yaml", &tpl("com.example.App::nope")),
        ("inherited.yaml", &tpl("com.example.Child::handleRequest")),
        ("dep.yaml", &tpl("org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest")),
        ("nested.yaml", &tpl("com.example.App$Inner::go")),
        (
            "fn/src/main/java/com/example/App.java",
            "package com.example;\n\npublic class App implements RequestHandler<Object, String> {\n  public String handleRequest(Object in, Context c) { return \"\"; }\n  public static class Inner { public void go(Object o) {} }\n}\n",
        ),
        ("fn/src/main/java/com/example/Child.java", "package com.example;\n\npublic class Child extends Base {\n}\n"),
        ("fn/src/main/java/odd/Handler.java", "package Odd.src.main.java.odd;\n\npublic class Handler {\n  public void run(Object o) {}\n}\n"),
    ]);
    assert_eq!(c.rules("method.yaml"), Vec::<String>::new());
    assert_eq!(
        c.resolved("method.yaml").as_deref(),
        Some("fn/src/main/java/com/example/App.java")
    );
    assert_eq!(c.rules("iface.yaml"), Vec::<String>::new());
    assert_eq!(c.rules("odd.yaml"), Vec::<String>::new());
    assert_eq!(
        c.resolved("odd.yaml").as_deref(),
        Some("fn/src/main/java/odd/Handler.java")
    );
    assert_eq!(c.rules("nomethod.yaml"), vec!["handler/symbol-not-found"]);
    assert_eq!(c.rules("inherited.yaml"), Vec::<String>::new());
    assert_eq!(
        c.run("dep.yaml")[0].1,
        vec![(
            "handler/java-class-not-in-sources".into(),
            Severity::Warning
        )]
    );
    assert_eq!(c.rules("nested.yaml"), Vec::<String>::new());
}

#[test]
fn serverless_handlers_and_layers() {
    let c = Case::new(&[
        (
            "serverless.yml",
            "service: s\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  a:\n    handler: src/handler.main\n  \
             b:\n    handler: src/handler.missing\n  c:\n    handler: gone.main\n    layers:\n      - arn:aws:lambda:us-east-1:1:layer:x:1\n  \
             d:\n    handler: datadog_lambda.handler.handler\n",
        ),
        ("src/handler.py", "def main(event, context):\n    pass\n"),
    ]);
    let all = c.run("serverless.yml");
    assert_eq!(all[0].1, vec![]);
    assert_eq!(all[0].2.as_deref(), Some("src/handler.py"));
    assert_eq!(
        all[1].1,
        vec![("handler/symbol-not-found".into(), Severity::Error)]
    );
    assert_eq!(
        all[2].1,
        vec![("handler/file-not-found".into(), Severity::Warning)],
        "a layer may provide it"
    );
    assert_eq!(all[3].1, vec![], "a layer wrapper");
}

#[test]
fn open_buffers_win_over_the_disk() {
    let c = Case::new(&[
        (
            "template.yaml",
            &sam("Handler: app.handler\nRuntime: python3.12"),
        ),
        ("app.py", "def handler(event, context):\n    pass\n"),
    ]);
    assert_eq!(c.rules("template.yaml"), Vec::<String>::new());
    c.files.set_overlay(
        c.path("app.py"),
        "async def handler(event, context):\n    pass\n".into(),
    );
    assert_eq!(c.rules("template.yaml"), vec!["handler/python-async"]);
    c.files.remove_overlay(&c.path("app.py"));
    assert_eq!(c.rules("template.yaml"), Vec::<String>::new());
}

#[test]
fn inline_code_is_checked_as_index() {
    let cfn = |handler: &str, runtime: &str, code: &str| {
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \
             Handler: {handler}\n      Runtime: {runtime}\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: |\n{}",
            code.lines().map(|l| format!("          {l}\n")).collect::<String>()
        )
    };
    let c = Case::new(&[
        ("ok.yaml", &cfn("index.handler", "python3.12", "import json\ndef handler(event, context):\n    return {}")),
        ("module.yaml", &cfn("app.handler", "python3.12", "def handler(event, context):\n    return {}")),
        ("missing.yaml", &cfn("index.handler", "python3.12", "def handle(event, context):\n    return {}")),
        ("async.yaml", &cfn("index.handler", "python3.12", "async def handler(event, context):\n    return {}")),
        ("node.yaml", &cfn("index.handler", "nodejs24.x", "exports.handler = (event, context, cb) => cb(null, 1);")),
        ("sub.yaml", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.nope\n      Runtime: python3.12\n      Code:\n        ZipFile: !Sub 'def handler(e, c): return \"${AWS::Region}\"'\n"),
    ]);
    assert_eq!(c.rules("ok.yaml"), Vec::<String>::new());
    assert_eq!(c.rules("module.yaml"), vec!["handler/file-not-found"]);
    assert_eq!(c.rules("missing.yaml"), vec!["handler/symbol-not-found"]);
    assert_eq!(c.rules("async.yaml"), vec!["handler/python-async"]);
    assert_eq!(c.rules("node.yaml"), vec!["handler/node-callback"]);
    assert_eq!(
        c.rules("sub.yaml"),
        Vec::<String>::new(),
        "computed code is unknown"
    );
}

#[test]
fn dotnet_resolves_for_navigation_without_findings() {
    let c = Case::new(&[
        ("lib.yaml", &sam("CodeUri: ./src/Hello/\nHandler: Hello::Hello.Function::FunctionHandler\nRuntime: dotnet8")),
        ("missing.yaml", &sam("CodeUri: ./src/Hello/\nHandler: Hello::Hello.Function::Nope\nRuntime: dotnet8")),
        ("exe.yaml", &sam("CodeUri: ./src/Hello/\nHandler: bootstrap\nRuntime: dotnet8")),
        (
            "src/Hello/Function.cs",
            "namespace Hello;\n\npublic class Function\n{\n    public string FunctionHandler(string input, ILambdaContext context) => input;\n}\n",
        ),
        ("src/Hello/Hello.csproj", "<Project><PropertyGroup><AssemblyName>bootstrap</AssemblyName></PropertyGroup></Project>\n"),
    ]);
    assert_eq!(c.rules("lib.yaml"), Vec::<String>::new());
    assert_eq!(
        c.resolved("lib.yaml").as_deref(),
        Some("src/Hello/Function.cs")
    );
    assert_eq!(
        c.rules("missing.yaml"),
        Vec::<String>::new(),
        "no grammar, no findings"
    );
    assert_eq!(
        c.resolved("exe.yaml").as_deref(),
        Some("src/Hello/Hello.csproj")
    );
}

#[test]
fn python_module_shadowing_a_package_and_paths_outside_codeuri() {
    let c = Case::new(&[
        (
            "shadow.yaml",
            &sam("CodeUri: fn/\nHandler: app/src.handler\nRuntime: python3.12"),
        ),
        ("fn/app.py", "def other(event, context):\n    pass\n"),
        ("fn/app/src.py", "def handler(event, context):\n    pass\n"),
        (
            "regular.yaml",
            &sam("CodeUri: reg/\nHandler: app.src.handler\nRuntime: python3.12"),
        ),
        ("reg/app.py", "def other(event, context):\n    pass\n"),
        ("reg/app/__init__.py", ""),
        ("reg/app/src.py", "def handler(event, context):\n    pass\n"),
        (
            "outside.yaml",
            &sam("CodeUri: fn/\nHandler: ../shared/util.handler\nRuntime: python3.12"),
        ),
        ("shared/util.py", "def handler(event, context):\n    pass\n"),
    ]);
    let all = c.run("shadow.yaml");
    assert_eq!(
        all[0].1,
        vec![("handler/file-not-found".into(), Severity::Error)]
    );
    assert_eq!(
        c.rules("regular.yaml"),
        Vec::<String>::new(),
        "a regular package wins over the module"
    );
    assert_eq!(c.rules("outside.yaml"), vec!["handler/file-not-found"]);
    assert_eq!(c.resolved("outside.yaml"), None);
}

#[test]
fn serverless_for_other_providers_and_generated_handlers_is_not_checked() {
    let c = Case::new(&[
        ("azure/serverless.yml", "service: s\nprovider:\n  name: azure\n  runtime: nodejs18\nfunctions:\n  hello:\n    handler: src/handlers/hello.sayHello\n"),
        ("wsgi/serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: python3.12\nplugins:\n  - serverless-wsgi\nfunctions:\n  api:\n    handler: wsgi_handler.handler\n"),
        ("built/serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n  f:\n    handler: build/js/main.handler\n"),
        ("aws/serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n  f:\n    handler: handler.hello\n"),
    ]);
    // Services for other clouds declare no Lambda functions at all.
    assert!(c.run("azure/serverless.yml").is_empty());
    assert_eq!(c.rules("wsgi/serverless.yml"), Vec::<String>::new());
    assert_eq!(c.rules("built/serverless.yml"), Vec::<String>::new());
    assert_eq!(
        c.rules("aws/serverless.yml"),
        vec!["handler/file-not-found"]
    );
}

#[test]
fn node_files_mixing_module_systems_fail_even_with_detection() {
    let c = Case::new(&[
        (
            "t.yaml",
            &sam("CodeUri: src/\nHandler: index.handler\nRuntime: nodejs22.x"),
        ),
        (
            "src/index.js",
            "import { Client } from 'x';\nexports.handler = async () => new Client();\n",
        ),
    ]);
    assert_eq!(
        c.run("t.yaml")[0].1,
        vec![("handler/node-module-system".into(), Severity::Error)]
    );
}
