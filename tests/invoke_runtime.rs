//! The local runtime with real processes: our Runtime API, the Python and Node bootstraps on the
//! machine's python3 and node, and a `provided.al2023` shell bootstrap. Every test checks that no process
//! of its function is left behind (each function carries a unique marker in its environment).

mod support;

use lambda_ls::invoke::request::{self, Args, EventChoice};
use lambda_ls::invoke::{InvokeResult, Invoker, LogSink, Settings, Status};
use lambda_ls::workspace::Files;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::Project;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A template with one function; `MARK` (unique per test) lets us find its processes.
fn template(mark: &str, runtime: &str, handler: &str, extra: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Environment:\n      Variables:\n        FROM_GLOBALS: global-value\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: {runtime}\n      Handler: {handler}\n      CodeUri: src\n      MemorySize: 256\n      Environment:\n        Variables:\n          MARK: {mark}\n{extra}"
    )
}

fn settings(project: &Project) -> Settings {
    let mut s = Settings::from_env();
    s.cache_dir = project.path().join(".cache");
    s
}

fn unique(name: &str) -> String {
    format!("{name}-{}", lambda_ls::invoke::ids::token())
}

/// Processes whose environment holds `MARK=<mark>`.
fn processes_with(mark: &str) -> Vec<u32> {
    let needle = format!("MARK={mark}");
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if let Ok(env) = std::fs::read(e.path().join("environ")) {
            if env.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
                out.push(pid);
            }
        }
    }
    out
}

/// Waits until no process carries the mark (killed processes may take a moment to be reaped).
fn assert_no_processes(mark: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = processes_with(mark);
        if left.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "processes left behind: {left:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

struct Collected(Arc<Mutex<Vec<String>>>);

fn sink() -> (LogSink, Collected) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = lines.clone();
    let sink: LogSink = Arc::new(move |line: &str| l.lock().expect("lock").push(line.to_string()));
    (sink, Collected(lines))
}

async fn invoke(invoker: &Invoker, config: &Path, event: Value) -> InvokeResult {
    invoke_fn(invoker, config, "Fn", event).await
}

async fn invoke_fn(invoker: &Invoker, config: &Path, function: &str, event: Value) -> InvokeResult {
    let prepared = request::prepare(
        &Args {
            config: config.to_path_buf(),
            function: Some(function.into()),
            event: EventChoice {
                json: Some(event),
                ..Default::default()
            },
            ..Default::default()
        },
        &Files::new(),
        invoker.settings(),
    )
    .expect("prepare");
    let (sink, streamed) = sink();
    let result = invoker
        .invoke(&prepared.spec, &prepared.request, sink)
        .await
        .expect("invoke");
    // Every line was streamed as it happened, and the result holds the same lines.
    assert_eq!(*streamed.0.lock().expect("lock"), result.logs);
    result
}

fn payload(r: &InvokeResult) -> Value {
    serde_json::from_slice(&r.payload).unwrap_or_else(|_| {
        panic!(
            "payload is not JSON: {}\nlogs:\n{}",
            String::from_utf8_lossy(&r.payload),
            r.logs.join("\n")
        )
    })
}

const PY_CONTEXT: &str = r#"
import os, time
def handler(event, context):
    first = context.get_remaining_time_in_millis()
    time.sleep(0.05)
    second = context.get_remaining_time_in_millis()
    print("handling", context.aws_request_id)
    return {
        "event": event,
        "request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "arn": context.invoked_function_arn,
        "memory": context.memory_limit_in_mb,
        "log_group": context.log_group_name,
        "log_stream": context.log_stream_name,
        "remaining": [first, second],
        "now_ms": int(time.time() * 1000),
        "env": {k: os.environ.get(k) for k in ["MARK", "FROM_GLOBALS", "_HANDLER", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_EXECUTION_ENV", "TZ",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY_ID", "HOME"]},
        "cwd": os.getcwd(),
    }
"#;

#[test]
fn python_success_with_context_environment_and_report() {
    let mark = unique("py-ok");
    let p = Project::new(&[
        (
            "template.yaml",
            &template(&mark, "python3.12", "app.handler", "      Timeout: 5\n"),
        ),
        ("src/app.py", PY_CONTEXT),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let r1 = invoke(&invoker, &config, json!({"n": 1})).await;
        assert_eq!(r1.status, Status::Success, "{}", r1.logs.join("\n"));
        let v = payload(&r1);
        assert_eq!(v["event"], json!({"n": 1}));
        assert_eq!(v["request_id"], json!(r1.request_id));
        assert_eq!(v["function_name"], "Fn");
        assert_eq!(v["function_version"], "$LATEST");
        assert_eq!(
            v["arn"],
            "arn:aws:lambda:us-east-1:123456789012:function:Fn"
        );
        assert_eq!(
            v["memory"], "256",
            "memory_limit_in_mb is a string, as in Lambda"
        );
        assert_eq!(v["log_group"], "/aws/lambda/Fn");
        assert!(v["log_stream"].as_str().unwrap_or("").contains("[$LATEST]"));
        // The deadline is a real epoch time: the remaining time is at most the timeout and decreases.
        let (first, second) = (
            v["remaining"][0].as_i64().unwrap_or(0),
            v["remaining"][1].as_i64().unwrap_or(0),
        );
        assert!(first <= 5000 && first > 4000, "remaining {first}");
        assert!(
            second <= first - 40,
            "remaining time decreases: {first} then {second}"
        );
        let env = &v["env"];
        assert_eq!(env["MARK"], json!(mark));
        assert_eq!(env["FROM_GLOBALS"], "global-value");
        assert_eq!(env["_HANDLER"], "app.handler");
        assert_eq!(env["AWS_LAMBDA_FUNCTION_NAME"], "Fn");
        assert_eq!(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256");
        assert_eq!(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
        assert_eq!(env["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.12");
        assert_eq!(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand");
        assert_eq!(env["TZ"], ":UTC");
        assert!(env["AWS_REGION"].is_string() && env["AWS_DEFAULT_REGION"].is_string());
        assert!(env["_X_AMZN_TRACE_ID"]
            .as_str()
            .unwrap_or("")
            .starts_with("Root=1-"));
        assert!(
            env["AWS_ACCESS_KEY_ID"].is_null() && env["HOME"].is_null(),
            "no host credentials by default"
        );
        let code = std::fs::canonicalize(p.file("src")).expect("src");
        assert_eq!(env["LAMBDA_TASK_ROOT"], json!(code.to_string_lossy()));
        assert_eq!(
            std::fs::canonicalize(v["cwd"].as_str().unwrap_or("")).ok(),
            Some(code)
        );
        let api = env["AWS_LAMBDA_RUNTIME_API"].as_str().unwrap_or("");
        assert!(api.starts_with("127.0.0.1:"), "{api}");
        // Logs: START, the function's line, END, REPORT with the cold start's init duration.
        let logs = r1.logs.join("\n");
        assert!(
            logs.contains(&format!(
                "START RequestId: {} Version: $LATEST",
                r1.request_id
            )),
            "{logs}"
        );
        assert!(
            logs.contains(&format!("handling {}", r1.request_id)),
            "{logs}"
        );
        assert!(
            logs.contains(&format!("END RequestId: {}", r1.request_id)),
            "{logs}"
        );
        let report = r1
            .logs
            .iter()
            .find(|l| l.starts_with("REPORT"))
            .expect("REPORT");
        for part in [
            "Duration: ",
            "Billed Duration: ",
            "Memory Size: 256 MB",
            "Max Memory Used: ",
            "Init Duration: ",
        ] {
            assert!(report.contains(part), "{report}");
        }
        assert!(r1.report.init_ms.is_some() && r1.report.max_memory_mb.is_some());
        // The second invoke is warm: same process, no init.
        let r2 = invoke(&invoker, &config, json!({"n": 2})).await;
        assert_eq!(r2.status, Status::Success);
        assert!(r2.report.init_ms.is_none());
        assert!(!r2.logs.iter().any(|l| l.contains("Init Duration")));
        assert_ne!(r1.request_id, r2.request_id);
        assert_eq!(payload(&r2)["env"]["AWS_LAMBDA_RUNTIME_API"], json!(api));
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn python_errors_init_errors_and_marshalling() {
    let mark = unique("py-err");
    let extra = "  Missing:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.nope\n      CodeUri: src\n      Environment: {Variables: {MARK: MARKV}}\n  NoModule:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: missing.handler\n      CodeUri: src\n      Environment: {Variables: {MARK: MARKV}}\n  Syntax:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: broken.handler\n      CodeUri: src\n      Environment: {Variables: {MARK: MARKV}}\n  Malformed:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: nodot\n      CodeUri: src\n      Environment: {Variables: {MARK: MARKV}}\n".replace("MARKV", &mark);
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", &extra)),
        (
            "src/app.py",
            "import datetime\ndef handler(event, context):\n    if event.get('kind') == 'raise':\n        raise ValueError('boom ' + str(event['n']))\n    if event.get('kind') == 'marshal':\n        return {'when': datetime.datetime(2020, 1, 1)}\n    return 'ok'\nasync def async_handler(event, context):\n    return 1\n",
        ),
        ("src/broken.py", "def handler(event, context)\n    return 1\n"),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let r = invoke(&invoker, &config, json!({"kind": "raise", "n": 7})).await;
        assert_eq!(r.status, Status::Error);
        assert_eq!(r.error_type.as_deref(), Some("ValueError"));
        let v = payload(&r);
        assert_eq!(v["errorMessage"], "boom 7");
        assert_eq!(v["errorType"], "ValueError");
        assert_eq!(v["requestId"], json!(r.request_id));
        let trace = v["stackTrace"].as_array().cloned().unwrap_or_default();
        assert!(
            !trace.is_empty()
                && trace
                    .iter()
                    .all(|f| !f.as_str().unwrap_or("").contains("bootstrap.py")),
            "{trace:?}"
        );
        assert!(
            r.logs.iter().any(|l| l == "[ERROR] ValueError: boom 7"),
            "{:?}",
            r.logs
        );
        // A function error keeps the instance warm.
        let ok = invoke(&invoker, &config, json!({})).await;
        assert_eq!(ok.status, Status::Success);
        assert!(ok.report.init_ms.is_none());
        assert_eq!(payload(&ok), json!("ok"));
        let m = invoke(&invoker, &config, json!({"kind": "marshal"})).await;
        assert_eq!(m.error_type.as_deref(), Some("Runtime.MarshalError"));
        assert!(payload(&m)["errorMessage"]
            .as_str()
            .unwrap_or("")
            .contains("Unable to marshal response"));

        let cases = [
            (
                "Missing",
                "Runtime.HandlerNotFound",
                "Handler 'nope' missing on module 'app'",
            ),
            (
                "NoModule",
                "Runtime.ImportModuleError",
                "Unable to import module 'missing': No module named 'missing'",
            ),
            (
                "Syntax",
                "Runtime.UserCodeSyntaxError",
                "Syntax error in module 'broken'",
            ),
            (
                "Malformed",
                "Runtime.MalformedHandlerName",
                "Bad handler 'nodot'",
            ),
        ];
        for (function, error_type, message) in cases {
            let r = invoke_fn(&invoker, &config, function, json!({})).await;
            assert_eq!(
                r.status,
                Status::InitError,
                "{function}: {}",
                r.logs.join("\n")
            );
            assert_eq!(r.error_type.as_deref(), Some(error_type), "{function}");
            let v = payload(&r);
            assert_eq!(v["errorType"], error_type);
            assert!(
                v["errorMessage"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with(message),
                "{function}: {v}"
            );
            assert!(
                r.logs
                    .iter()
                    .any(|l| l.starts_with("INIT_REPORT") && l.contains(error_type)),
                "{:?}",
                r.logs
            );
        }
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn timeout_kills_the_process_group_and_the_next_invoke_works() {
    let mark = unique("py-timeout");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", "      Timeout: 1\n")),
        (
            "src/app.py",
            "import subprocess, time\ndef handler(event, context):\n    if event.get('slow'):\n        subprocess.Popen(['sleep', '60'])\n        print('sleeping', flush=True)\n        time.sleep(30)\n    return 'fast'\n",
        ),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let started = Instant::now();
        let r = invoke(&invoker, &config, json!({"slow": true})).await;
        let took = started.elapsed();
        assert_eq!(r.status, Status::Timeout);
        assert!(
            took >= Duration::from_millis(950) && took < Duration::from_secs(10),
            "{took:?}"
        );
        assert_eq!(r.error_type.as_deref(), Some("Sandbox.Timedout"));
        let v = payload(&r);
        assert!(
            v["errorMessage"]
                .as_str()
                .unwrap_or("")
                .ends_with("Task timed out after 1.00 seconds"),
            "{v}"
        );
        assert!(
            r.logs.iter().any(|l| l.ends_with(&format!(
                "{} Task timed out after 1.00 seconds",
                r.request_id
            ))),
            "{:?}",
            r.logs
        );
        assert!(r.logs.iter().any(|l| l == "sleeping"));
        let report = r
            .logs
            .iter()
            .find(|l| l.starts_with("REPORT"))
            .expect("REPORT");
        assert!(report.contains("Status: timeout"), "{report}");
        // The runtime and the `sleep` it started are gone.
        assert_no_processes(&mark);
        let next = invoke(&invoker, &config, json!({})).await;
        assert_eq!(next.status, Status::Success, "{}", next.logs.join("\n"));
        assert_eq!(payload(&next), json!("fast"));
        assert!(
            next.report.init_ms.is_some(),
            "a fresh instance after a timeout"
        );
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn a_crash_is_reported_and_the_instance_replaced() {
    let mark = unique("py-crash");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.11", "app.handler", "")),
        ("src/app.py", "import os\ndef handler(event, context):\n    if event.get('die'):\n        os._exit(3)\n    return os.getpid()\n"),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let first = payload(&invoke(&invoker, &config, json!({})).await);
        let r = invoke(&invoker, &config, json!({"die": true})).await;
        assert_eq!(r.status, Status::Crash);
        assert_eq!(r.error_type.as_deref(), Some("Runtime.ExitError"));
        assert!(payload(&r)["errorMessage"]
            .as_str()
            .unwrap_or("")
            .contains("Runtime exited with error: exit status 3"));
        let again = invoke(&invoker, &config, json!({})).await;
        assert_eq!(again.status, Status::Success);
        assert_ne!(payload(&again), first, "a new process");
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn twenty_concurrent_invokes_are_queued_into_one_instance() {
    let mark = unique("py-concurrent");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", "      Timeout: 30\n")),
        (
            "src/app.py",
            "import os, time\ndef handler(event, context):\n    start = time.time()\n    time.sleep(0.02)\n    return {'n': event['n'], 'start': start, 'end': time.time(), 'pid': os.getpid()}\n",
        ),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Arc::new(Invoker::new(settings(&p)).await.expect("invoker"));
        let config = p.file("template.yaml");
        let mut tasks = Vec::new();
        for n in 0..20 {
            let (invoker, config) = (invoker.clone(), config.clone());
            tasks.push(tokio::spawn(async move {
                invoke(&invoker, &config, json!({"n": n})).await
            }));
        }
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.expect("task"));
        }
        assert_eq!(results.len(), 20);
        let mut seen: Vec<i64> = Vec::new();
        let mut spans: Vec<(f64, f64)> = Vec::new();
        let mut pids = std::collections::HashSet::new();
        for r in &results {
            assert_eq!(r.status, Status::Success, "{}", r.logs.join("\n"));
            let v = payload(r);
            seen.push(v["n"].as_i64().unwrap_or(-1));
            spans.push((
                v["start"].as_f64().unwrap_or(0.0),
                v["end"].as_f64().unwrap_or(0.0),
            ));
            pids.insert(v["pid"].as_i64().unwrap_or(0));
        }
        seen.sort();
        assert_eq!(
            seen,
            (0..20).collect::<Vec<_>>(),
            "every invoke answered with its own event"
        );
        assert_eq!(pids.len(), 1, "one warm instance");
        assert_eq!(
            results
                .iter()
                .filter(|r| r.report.init_ms.is_some())
                .count(),
            1,
            "one cold start"
        );
        let mut ids: Vec<&str> = results.iter().map(|r| r.request_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 20);
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in spans.windows(2) {
            assert!(
                w[0].1 <= w[1].0,
                "invocations overlapped: {:?} and {:?}",
                w[0],
                w[1]
            );
        }
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn code_changes_on_disk_restart_the_instance() {
    let mark = unique("py-reload");
    let p = Project::new(&[
        (
            "template.yaml",
            &template(&mark, "python3.12", "app.handler", ""),
        ),
        (
            "src/app.py",
            "def handler(event, context):\n    return 'v1'\n",
        ),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        assert_eq!(
            payload(&invoke(&invoker, &config, json!({})).await),
            json!("v1")
        );
        p.write(
            "src/app.py",
            b"def handler(event, context):\n    return 'version 2'\n",
        );
        let r = invoke(&invoker, &config, json!({})).await;
        assert_eq!(payload(&r), json!("version 2"));
        assert!(r.report.init_ms.is_some());
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn other_local_processes_cannot_use_the_runtime_api() {
    let mark = unique("py-secure");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", "")),
        ("src/app.py", "import os\ndef handler(event, context):\n    return os.environ['AWS_LAMBDA_RUNTIME_API']\n"),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let r = invoke(&invoker, &config, json!({})).await;
        let api = payload(&r).as_str().unwrap_or("").to_string();
        let (hostport, token) = api.split_once('/').expect("a token in AWS_LAMBDA_RUNTIME_API");
        assert!(token.len() >= 32, "an unguessable token: {token}");
        let call = |method: &str, path: &str| -> u16 {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(hostport).expect("connect");
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let req = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
            s.write_all(req.as_bytes()).expect("write");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            buf.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
        };
        // Without the token: nothing; with a wrong token: forbidden.
        assert_eq!(call("GET", "/2018-06-01/runtime/invocation/next"), 404);
        assert_eq!(call("GET", "/0123456789abcdef0123456789abcdef/2018-06-01/runtime/invocation/next"), 403);
        assert_eq!(call("POST", &format!("/{}/2018-06-01/runtime/invocation/{}/response", "f".repeat(32), r.request_id)), 403);
        // Even with the token, a result for a request id that is not in flight is refused.
        assert_eq!(call("POST", &format!("/{token}/2018-06-01/runtime/invocation/{}/response", r.request_id)), 400);
        assert_eq!(call("POST", &format!("/{token}/2018-06-01/runtime/invocation/{}/error", lambda_ls::invoke::ids::request_id())), 400);
        // And the function still works.
        assert_eq!(invoke(&invoker, &config, json!({})).await.status, Status::Success);
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn environment_values_are_passed_literally() {
    let mark = unique("py-env");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", "")),
        ("src/app.py", "import os\ndef handler(event, context):\n    return {k: os.environ.get(k) for k in ['TRICKY', 'FROM_FILE', 'OVERRIDE', 'MARK']}\n"),
        (".env", "FROM_FILE='$(touch pwned) ${HOME}'\nOVERRIDE=file\n"),
    ]);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let prepared = request::prepare(
            &Args {
                config: p.file("template.yaml"),
                function: Some("Fn".into()),
                env_file: Some(p.file(".env")),
                env: vec![
                    ("TRICKY".into(), "a\nb; echo `id` $(id) \"q\"".into()),
                    ("OVERRIDE".into(), "cli".into()),
                ],
                ..Default::default()
            },
            &Files::new(),
            invoker.settings(),
        )
        .expect("prepare");
        let (sink, _) = sink();
        let r = invoker
            .invoke(&prepared.spec, &prepared.request, sink)
            .await
            .expect("invoke");
        let v = payload(&r);
        assert_eq!(v["TRICKY"], "a\nb; echo `id` $(id) \"q\"");
        assert_eq!(v["FROM_FILE"], "$(touch pwned) ${HOME}");
        assert_eq!(v["OVERRIDE"], "cli");
        assert_eq!(v["MARK"], json!(mark));
        assert!(!p.file("src/pwned").exists() && !p.file("pwned").exists());
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn payload_and_output_limits() {
    let mark = unique("py-limits");
    let p = Project::new(&[
        ("template.yaml", &template(&mark, "python3.12", "app.handler", "      Timeout: 20\n")),
        (
            "src/app.py",
            "import sys\ndef handler(event, context):\n    if event.get('big'):\n        return 'x' * (7 * 1024 * 1024)\n    for i in range(120000):\n        print('line %06d %s' % (i, 'y' * 40))\n    return 'printed'\n",
        ),
    ]);
    let rt = rt();
    rt.block_on(async {
        let mut s = settings(&p);
        s.log_limit = 1024 * 1024;
        let invoker = Invoker::new(s).await.expect("invoker");
        let config = p.file("template.yaml");
        let r = invoke(&invoker, &config, json!({"big": true})).await;
        assert_eq!(r.status, Status::Error);
        assert_eq!(
            r.error_type.as_deref(),
            Some("Function.ResponseSizeTooLarge")
        );
        let r = invoke(&invoker, &config, json!({})).await;
        assert_eq!(r.status, Status::Success);
        assert_eq!(payload(&r), json!("printed"));
        let kept: usize = r.logs.iter().map(|l| l.len()).sum();
        assert!(kept < 1024 * 1024 + 4096, "{kept}");
        assert!(r
            .logs
            .iter()
            .any(|l| l.contains("log output over 1024 KiB")));
        assert!(
            r.logs.last().is_some_and(|l| l.starts_with("REPORT")),
            "platform lines survive the cap"
        );
        // The event limit is checked before anything runs.
        let big = request::prepare(
            &Args {
                config: config.clone(),
                function: Some("Fn".into()),
                event: EventChoice {
                    json: Some(json!("z".repeat(7 * 1024 * 1024))),
                    ..Default::default()
                },
                ..Default::default()
            },
            &Files::new(),
            invoker.settings(),
        )
        .expect("prepare");
        let (sink, _) = sink();
        let err = invoker
            .invoke(&big.spec, &big.request, sink)
            .await
            .expect_err("too large");
        assert!(err.to_string().contains("RequestEntityTooLarge"), "{err}");
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

fn node_template(mark: &str, runtime: &str) -> String {
    let f = |name: &str, handler: &str| {
        format!("  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: {runtime}\n      Handler: {handler}\n      CodeUri: src\n      Timeout: 5\n      Environment: {{Variables: {{MARK: {mark}}}}}\n")
    };
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}{}{}{}{}{}{}{}{}",
        f("Cjs", "cjs.handler"),
        f("Esm", "esm.handler"),
        f("TypeModule", "mod/app.handler"),
        f("Callback", "callback.handler"),
        f("Sync", "callback.sync"),
        f("Throws", "cjs.throws"),
        f("Missing", "cjs.nope"),
        f("NoModule", "absent.handler"),
        f("Nested", "cjs.nested.deep"),
        f("Circular", "cjs.circular"),
    )
}

const NODE_FILES: &[(&str, &str)] = &[
    (
        "src/cjs.js",
        "console.log('cjs init');\nexports.handler = async (event, context) => ({ kind: 'cjs', event, id: context.awsRequestId, name: context.functionName, memory: context.memoryLimitInMB, arn: context.invokedFunctionArn, remaining: context.getRemainingTimeInMillis(), group: context.logGroupName, mark: process.env.MARK });\nexports.throws = async () => { throw new TypeError('bad input'); };\nexports.nested = { deep: async () => 'deep' };\nexports.circular = async () => { const o = {}; o.self = o; return o; };\n",
    ),
    ("src/esm.mjs", "export const handler = async (event) => ({ kind: 'esm', n: event.n });\n"),
    ("src/mod/package.json", "{\"type\": \"module\"}\n"),
    ("src/mod/app.js", "export async function handler() { return { kind: 'type-module' }; }\n"),
    (
        "src/callback.js",
        "let pending = 0;\nexports.handler = (event, context, callback) => {\n  setTimeout(() => { pending = 1; }, 50);\n  callback(null, { kind: 'callback', waits: context.callbackWaitsForEmptyEventLoop });\n};\nexports.sync = (event, context, callback) => { setTimeout(() => callback(null, { pending, late: true }), 20); };\n",
    ),
];

#[test]
fn node20_commonjs_esm_async_and_callback_handlers() {
    let mark = unique("node20");
    let mut files = vec![("template.yaml", node_template(&mark, "nodejs20.x"))];
    files.extend(NODE_FILES.iter().map(|(a, b)| (*a, b.to_string())));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let p = Project::new(&refs);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let r = invoke_fn(&invoker, &config, "Cjs", json!({"a": 1})).await;
        assert_eq!(r.status, Status::Success, "{}", r.logs.join("\n"));
        let v = payload(&r);
        assert_eq!(v["kind"], "cjs");
        assert_eq!(v["event"], json!({"a": 1}));
        assert_eq!(v["id"], json!(r.request_id));
        assert_eq!(v["name"], "Cjs");
        assert_eq!(v["memory"], "128");
        assert_eq!(v["group"], "/aws/lambda/Cjs");
        assert_eq!(v["mark"], json!(mark));
        let remaining = v["remaining"].as_i64().unwrap_or(0);
        assert!(remaining > 4000 && remaining <= 5000, "{remaining}");
        assert!(
            r.logs
                .iter()
                .any(|l| l.ends_with("\tundefined\tINFO\tcjs init")),
            "{:?}",
            r.logs
        );
        assert_eq!(
            payload(&invoke_fn(&invoker, &config, "Esm", json!({"n": 5})).await),
            json!({"kind": "esm", "n": 5})
        );
        assert_eq!(
            payload(&invoke_fn(&invoker, &config, "TypeModule", json!({})).await),
            json!({"kind": "type-module"})
        );
        assert_eq!(
            payload(&invoke_fn(&invoker, &config, "Nested", json!({})).await),
            json!("deep")
        );
        let cb = invoke_fn(&invoker, &config, "Callback", json!({})).await;
        assert_eq!(cb.status, Status::Success, "{}", cb.logs.join("\n"));
        assert_eq!(payload(&cb), json!({"kind": "callback", "waits": true}));
        // The answer waited for the event loop to empty (the 50 ms timer), as Lambda does by default.
        assert!(cb.report.duration_ms >= 45.0, "{}", cb.report.duration_ms);
        let sync = invoke_fn(&invoker, &config, "Sync", json!({})).await;
        // A handler that calls back later: its callback's result is the answer (another function, so
        // another process: the Callback function's timer never ran here).
        assert_eq!(payload(&sync), json!({"pending": 0, "late": true}));
        let t = invoke_fn(&invoker, &config, "Throws", json!({})).await;
        assert_eq!(t.status, Status::Error);
        let v = payload(&t);
        assert_eq!(v["errorType"], "TypeError");
        assert_eq!(v["errorMessage"], "bad input");
        assert!(
            v["trace"]
                .as_array()
                .is_some_and(|t| t[0] == "TypeError: bad input"),
            "{v}"
        );
        // A result JSON cannot express is a function error, and the instance stays warm.
        let c = invoke_fn(&invoker, &config, "Circular", json!({})).await;
        assert_eq!(c.status, Status::Error);
        assert_eq!(
            payload(&c)["errorMessage"],
            "Unable to stringify response body"
        );
        let m = invoke_fn(&invoker, &config, "Missing", json!({})).await;
        assert_eq!(m.status, Status::InitError);
        assert_eq!(payload(&m)["errorType"], "Runtime.HandlerNotFound");
        assert_eq!(
            payload(&m)["errorMessage"],
            "cjs.nope is undefined or not exported"
        );
        let n = invoke_fn(&invoker, &config, "NoModule", json!({})).await;
        assert_eq!(payload(&n)["errorType"], "Runtime.ImportModuleError");
        assert!(
            payload(&n)["errorMessage"]
                .as_str()
                .unwrap_or("")
                .contains("Cannot find module 'absent'"),
            "{}",
            payload(&n)
        );
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn node24_rejects_callback_handlers_at_init() {
    let mark = unique("node24");
    let mut files = vec![("template.yaml", node_template(&mark, "nodejs24.x"))];
    files.extend(NODE_FILES.iter().map(|(a, b)| (*a, b.to_string())));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let p = Project::new(&refs);
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        for f in ["Callback", "Sync"] {
            let r = invoke_fn(&invoker, &config, f, json!({})).await;
            assert_eq!(r.status, Status::InitError, "{f}");
            assert_eq!(
                r.error_type.as_deref(),
                Some("Runtime.CallbackHandlerDeprecated")
            );
            assert_eq!(
                payload(&r)["errorType"],
                "Runtime.CallbackHandlerDeprecated"
            );
        }
        // Async handlers still work, and the context has no callback-era members.
        let r = invoke_fn(&invoker, &config, "Cjs", json!({})).await;
        assert_eq!(r.status, Status::Success);
        let esm = invoke_fn(&invoker, &config, "Esm", json!({"n": 1})).await;
        assert_eq!(payload(&esm), json!({"kind": "esm", "n": 1}));
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}

#[test]
fn provided_al2023_runs_the_users_bootstrap() {
    let mark = unique("provided");
    // A custom runtime as a script: it speaks the Runtime API itself (standard library HTTP only).
    let bootstrap = r#"#!/usr/bin/env python3
import http.client, json, os, sys
host, _, prefix = os.environ["AWS_LAMBDA_RUNTIME_API"].partition("/")
base = ("/" + prefix if prefix else "") + "/2018-06-01/runtime"
conn = http.client.HTTPConnection(host)
print("bootstrap up, handler " + os.environ["_HANDLER"], flush=True)
while True:
    conn.request("GET", base + "/invocation/next")
    resp = conn.getresponse()
    event = resp.read()
    rid = resp.getheader("Lambda-Runtime-Aws-Request-Id")
    deadline = int(resp.getheader("Lambda-Runtime-Deadline-Ms"))
    print("got " + event.decode(), flush=True)
    if json.loads(event) == {"fail": True}:
        body = json.dumps({"errorMessage": "asked to fail", "errorType": "Custom.Failure"})
        conn.request("POST", base + "/invocation/" + rid + "/error", body,
                     {"Lambda-Runtime-Function-Error-Type": "Custom.Failure"})
    else:
        body = json.dumps({"echo": json.loads(event), "deadline": deadline})
        conn.request("POST", base + "/invocation/" + rid + "/response", body)
    conn.getresponse().read()
"#;
    let p = Project::new(&[
        (
            "template.yaml",
            &template(&mark, "provided.al2023", "bootstrap", "      Timeout: 4\n"),
        ),
        ("src/bootstrap", bootstrap),
    ]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            p.file("src/bootstrap"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    let rt = rt();
    rt.block_on(async {
        let invoker = Invoker::new(settings(&p)).await.expect("invoker");
        let config = p.file("template.yaml");
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let r = invoke(&invoker, &config, json!({"x": 1})).await;
        assert_eq!(r.status, Status::Success, "{}", r.logs.join("\n"));
        let v = payload(&r);
        assert_eq!(v["echo"], json!({"x": 1}));
        let deadline = v["deadline"].as_i64().unwrap_or(0);
        assert!(
            deadline >= before + 3000 && deadline <= before + 4000 + 5000,
            "an epoch deadline: {deadline} vs {before}"
        );
        assert!(
            r.logs
                .iter()
                .any(|l| l == "bootstrap up, handler bootstrap"),
            "{:?}",
            r.logs
        );
        let e = invoke(&invoker, &config, json!({"fail": true})).await;
        assert_eq!(e.status, Status::Error);
        assert_eq!(e.error_type.as_deref(), Some("Custom.Failure"));
        assert_eq!(payload(&e)["errorMessage"], "asked to fail");
        let again = invoke(&invoker, &config, json!({"x": 2})).await;
        assert_eq!(payload(&again)["echo"], json!({"x": 2}));
        assert!(again.report.init_ms.is_none(), "still warm");
        invoker.shutdown();
    });
    assert_no_processes(&mark);
}
