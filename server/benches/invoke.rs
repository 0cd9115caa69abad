//! Warm invoke overhead: one more invocation of a trivial handler on a running instance, through our
//! Runtime API and our Python and Node bootstraps (event out, result back, logs settled, REPORT built).

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_ls::invoke::request::{self, Args, EventChoice};
use lambda_ls::invoke::{Invoker, LogSink, Settings, Status};
use lambda_ls::workspace::Files;
use std::sync::Arc;

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: ., Timeout: 10}
  Js:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs20.x, Handler: index.handler, CodeUri: ., Timeout: 10}
";

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("template.yaml", TEMPLATE);
    write(
        "app.py",
        "def handler(event, context):\n    return {'ok': True}\n",
    );
    write(
        "index.js",
        "exports.handler = async () => ({ ok: true });\n",
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut settings = Settings::from_env();
    settings.cache_dir = dir.path().join(".cache");
    let invoker = rt.block_on(Invoker::new(settings)).expect("invoker");
    let sink: LogSink = Arc::new(|_: &str| {});
    for function in ["Py", "Js"] {
        let prepared = request::prepare(
            &Args {
                config: dir.path().join("template.yaml"),
                function: Some(function.into()),
                event: EventChoice {
                    json: Some(serde_json::json!({"n": 1})),
                    ..Default::default()
                },
                ..Default::default()
            },
            &Files::new(),
            invoker.settings(),
        )
        .expect("prepare");
        let first = rt
            .block_on(invoker.invoke(&prepared.spec, &prepared.request, sink.clone()))
            .expect("cold invoke");
        assert_eq!(first.status, Status::Success, "{}", first.logs.join("\n"));
        c.bench_function(&format!("warm invoke ({function})"), |b| {
            b.iter(|| {
                rt.block_on(invoker.invoke(&prepared.spec, &prepared.request, sink.clone()))
                    .expect("invoke")
            })
        });
    }
    invoker.shutdown();
}

criterion_group!(benches, bench);
criterion_main!(benches);
