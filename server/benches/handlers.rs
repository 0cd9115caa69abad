//! Handler resolution on a project of 60 functions (Python, Node.js, Ruby): what a template's analysis
//! adds for its handlers (warm content caches, as in an editor after the first run), one code file's
//! extraction from scratch, and the project index answering "which functions run this file" for lenses.

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_ls::config::Config;
use lambda_ls::function::model;
use lambda_ls::handler;
use lambda_ls::syntax::Lang;
use lambda_ls::workspace::{self, Env, FileSource, Files};
use std::sync::Arc;

const FUNCTIONS: usize = 60;

fn python_module(i: usize) -> String {
    let mut s = String::from("import json\nimport os\n\n");
    for k in 0..20 {
        s.push_str(&format!(
            "def helper_{k}(value, other=None):\n    \"\"\"Helper {k}.\"\"\"\n    return {{'k': {k}, 'v': value}}\n\n"
        ));
    }
    s.push_str(&format!(
        "def handler_{i}(event, context):\n    body = json.loads(event.get('body') or '{{}}')\n    return {{'statusCode': 200, 'body': json.dumps(helper_1(body))}}\n"
    ));
    s
}

fn node_module(i: usize) -> String {
    let mut s = String::from("const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\n\n");
    for k in 0..20 {
        s.push_str(&format!(
            "function helper{k}(a, b) {{\n  return {{ k: {k}, a, b }};\n}}\n\n"
        ));
    }
    s.push_str(&format!(
        "exports.handler{i} = async (event, context) => {{\n  return helper1(event, context);\n}};\n"
    ));
    s
}

fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut template = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n",
    );
    for i in 0..FUNCTIONS {
        let (runtime, handler, file, text) = match i % 3 {
            0 => ("python3.13", format!("app.handler_{i}"), "app.py", python_module(i)),
            1 => ("nodejs22.x", format!("index.handler{i}"), "index.js", node_module(i)),
            _ => (
                "ruby3.4",
                format!("function.Shop::Orders{i}.process"),
                "function.rb",
                format!("module Shop\n  class Orders{i}\n    def self.process(event:, context:)\n      {{ statusCode: 200 }}\n    end\n  end\nend\n"),
            ),
        };
        let code = dir.path().join(format!("f{i}"));
        std::fs::create_dir_all(&code).expect("mkdir");
        std::fs::write(code.join(file), text).expect("write");
        template.push_str(&format!(
            "  Function{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: f{i}/\n      Handler: {handler}\n      Runtime: {runtime}\n"
        ));
    }
    std::fs::write(dir.path().join("template.yaml"), &template).expect("write");
    (dir, template)
}

fn bench(c: &mut Criterion) {
    let (dir, template) = project();
    let path = dir.path().join("template.yaml");
    let files = Files::new();
    files.set_roots(vec![dir.path().to_path_buf()]);
    let parsed = workspace::parse(&path, Arc::from(template.as_str()), None);
    let functions = model::functions(&parsed);
    assert_eq!(functions.len(), FUNCTIONS);

    c.bench_function("handler checks, 60 functions, warm caches", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for f in &functions {
                handler::check_function(f, &files, &mut out);
            }
            assert!(out.is_empty());
            out
        })
    });

    let config = Config::default();
    let env = Env {
        config: &config,
        files: &files,
    };
    c.bench_function("full analysis of the 60-function template", |b| {
        b.iter(|| workspace::analyze(&parsed, &env))
    });

    let text = python_module(7);
    c.bench_function("extract one 90-line Python module from scratch", |b| {
        b.iter(|| handler::code::extract(Lang::Python, &text))
    });

    let code = dir.path().join("f30/app.py");
    assert_eq!(handler::functions_for_code(&code, &env).len(), 1);
    c.bench_function("functions_for_code, warm index", |b| {
        b.iter(|| handler::functions_for_code(&code, &env))
    });

    c.bench_function("functions_for_code after the template changed", |b| {
        let mut n = 0u32;
        b.iter(|| {
            n += 1;
            // A new buffer text is a new stamp: the template's functions are resolved again.
            files.set_overlay(path.clone(), Arc::from(format!("{template}# {n}\n")));
            handler::functions_for_code(&code, &env)
        })
    });
    let _ = files.read(&path);
}

criterion_group!(benches, bench);
criterion_main!(benches);
