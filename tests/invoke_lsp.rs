//! Local invoke through the language server: lenses above function resources, `lambda-ls.invoke` with
//! log lines streamed as `lambda-ls/invokeLog` while the function runs, the structured result, event
//! choices, and no process left once the server exits.

mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::{find, Lsp, Project};

fn template(mark: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Steps:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
      Timeout: 1
      Environment:
        Variables:
          MARK: {mark}
      Events:
        Api:
          Type: HttpApi
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: src
      Role: arn:aws:iam::123456789012:role/r
"
    )
}

const APP: &str = "import sys, time
def handler(event, context):
    if event.get('hang'):
        time.sleep(30)
    print('step 1', flush=True)
    time.sleep(event.get('pause', 0))
    print('step 2')
    return {'route': event.get('routeKey'), 'ok': True}
";

fn processes_with(mark: &str) -> usize {
    let needle = format!("MARK={mark}");
    std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    std::fs::read(e.path().join("environ"))
                        .map(|env| env.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
                        .unwrap_or(false)
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn lenses_invoke_with_streamed_logs_and_cleanup() {
    let mark = format!("lsp-{}", std::process::id());
    let text = template(&mark);
    let p = Project::new(&[
        ("template.yaml", &text),
        ("src/app.py", APP),
        ("src/index.js", "exports.handler = async () => 'node';\n"),
        ("events/ping.json", "{}"),
    ]);
    let uri = p.uri("template.yaml");
    let config = p.file("template.yaml").to_string_lossy().into_owned();
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    let init = lsp.initialize(p.path(), true);
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].clone();
    for c in ["lambda-ls.invoke", "lambda-ls.invokeWithEvent"] {
        assert!(
            commands.as_array().is_some_and(|a| a.contains(&json!(c))),
            "{commands}"
        );
    }
    lsp.open(&uri, "yaml", 1, &text);

    // Two lenses above each function resource, on its logical id.
    let lenses = lsp
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("codeLens");
    let lenses = lenses.as_array().cloned().unwrap_or_default();
    assert_eq!(lenses.len(), 4, "{lenses:#?}");
    for (name, pair) in [("Steps", &lenses[0..2]), ("Other", &lenses[2..4])] {
        let (line, col) = find(&text, &format!("  {name}:"));
        for l in pair {
            assert_eq!(
                l["range"]["start"],
                json!({"line": line, "character": col + 2})
            );
            assert_eq!(
                l["command"]["arguments"],
                json!([{"config": config, "function": name}])
            );
        }
        assert_eq!(pair[0]["command"]["title"], "▶ Invoke");
        assert_eq!(pair[0]["command"]["command"], "lambda-ls.invoke");
        assert_eq!(pair[1]["command"]["title"], "Invoke with event…");
        assert_eq!(pair[1]["command"]["command"], "lambda-ls.invokeWithEvent");
    }
    // Opening and asking for lenses ran nothing.
    assert_eq!(processes_with(&mark), 0);

    // The lens's own arguments, plus an event that makes the function pause between two log lines.
    let id = lsp.request_async(
        "workspace/executeCommand",
        json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {"pause": 0.8}, "invocationId": "inv-1"}]}),
    );
    let first = lsp.wait_for("lambda-ls/invokeLog", |p| p["line"] == "step 1");
    assert_eq!(first["invocationId"], "inv-1");
    assert_eq!(first["function"], "Steps");
    assert_eq!(first["config"], json!(config));
    // Streamed while it runs: the result has not arrived yet.
    let early = lsp.drain();
    assert!(
        !early.iter().any(|m| m.get("id") == Some(&json!(id))),
        "the result came before the streamed line"
    );
    let result = lsp.response(id).expect("invoke result");
    assert_eq!(result["status"], "success", "{result:#}");
    assert_eq!(result["payload"], json!({"route": null, "ok": true}));
    assert_eq!(result["invocationId"], "inv-1");
    let logs: Vec<&str> = result["logs"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l.as_str()).collect())
        .unwrap_or_default();
    let pos = |needle: &str| {
        logs.iter()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("{needle} not in {logs:?}"))
    };
    assert!(
        pos("START") < pos("step 1")
            && pos("step 1") < pos("step 2")
            && pos("step 2") < pos("END")
            && pos("END") < pos("REPORT")
    );
    assert!(result["report"]["initDurationMs"].as_f64().is_some());
    assert!(result["report"]["durationMs"].as_f64().unwrap_or(0.0) >= 790.0);
    assert_eq!(result["report"]["memorySizeMb"], 128);
    assert_eq!(result["requestId"].as_str().map(|s| s.len()), Some(36));

    // With a sample event type; then a timeout, then the next invoke works on a fresh instance.
    let r = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "eventType": "apigateway-http"}]}))
        .expect("invoke");
    assert_eq!(r["payload"]["route"], "$default", "{r:#}");
    assert_eq!(r["eventFrom"], "sample apigateway-http");
    let started = Instant::now();
    let t = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {"hang": true}}]}))
        .expect("invoke");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(t["status"], "timeout");
    assert_eq!(t["errorType"], "Sandbox.Timedout");
    assert!(t["error"]["errorMessage"]
        .as_str()
        .unwrap_or("")
        .ends_with("Task timed out after 1.00 seconds"));
    let again = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {}}]}))
        .expect("invoke");
    assert_eq!(again["status"], "success");
    assert!(again["report"]["initDurationMs"].as_f64().is_some());

    // The other lens source: a CloudFormation function with Node.
    let node = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Other"}]}))
        .expect("invoke");
    assert_eq!(node["payload"], "node", "{node:#}");

    // "Invoke with event…" lists what an editor can offer.
    let choices = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invokeWithEvent", "arguments": [{"config": config, "function": "Steps"}]}))
        .expect("choices");
    assert_eq!(choices["defaultEventType"], "apigateway-http");
    assert!(choices["eventFiles"].as_array().is_some_and(|f| f
        .iter()
        .any(|x| x.as_str().unwrap_or("").ends_with("events/ping.json"))));
    assert!(
        choices["eventTypes"]
            .as_array()
            .map(|a| a.len())
            .unwrap_or(0)
            >= 40
    );

    // Failures to start are errors with a kind; bad arguments are invalid params.
    let err = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Missing"}]}))
        .expect_err("not found");
    assert!(err["message"]
        .as_str()
        .unwrap_or("")
        .contains("function `Missing` not found"));
    assert_eq!(err["data"]["kind"], "notFound");
    let err = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "lambda-ls.invoke", "arguments": []}),
        )
        .expect_err("invalid");
    assert_eq!(err["code"], -32602);

    assert!(processes_with(&mark) > 0, "the warm instance is running");
    let status = lsp.shutdown_exit();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    while processes_with(&mark) > 0 {
        assert!(
            Instant::now() < deadline,
            "function processes outlived the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn killing_the_server_does_not_orphan_the_runtime() {
    let mark = format!("lsp-kill-{}", std::process::id());
    let text = template(&mark);
    let p = Project::new(&[("template.yaml", &text), ("src/app.py", APP)]);
    let config = p.file("template.yaml").to_string_lossy().into_owned();
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    lsp.initialize(p.path(), true);
    let r = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {}}]}))
        .expect("invoke");
    assert_eq!(r["status"], "success");
    assert!(processes_with(&mark) > 0);
    // SIGKILL: no exit handler runs; the runtime must still die with its parent.
    let pid = lsp.pid();
    let _ = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while processes_with(&mark) > 0 {
        assert!(
            Instant::now() < deadline,
            "the runtime outlived a killed server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(lsp);
}

#[test]
fn a_cancelled_invoke_stops_the_function() {
    let mark = format!("lsp-cancel-{}", std::process::id());
    let text = template(&mark).replace("Timeout: 1", "Timeout: 60");
    let p = Project::new(&[("template.yaml", &text), ("src/app.py", APP)]);
    let config = p.file("template.yaml").to_string_lossy().into_owned();
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    lsp.initialize(p.path(), true);
    let id = lsp.request_async(
        "workspace/executeCommand",
        json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {"hang": true}}]}),
    );
    // Wait until the function runs, then cancel.
    lsp.wait_for("lambda-ls/invokeLog", |p| {
        p["line"].as_str().is_some_and(|l| l.starts_with("START"))
    });
    assert!(processes_with(&mark) > 0);
    lsp.notify("$/cancelRequest", json!({"id": id}));
    let err = lsp.response(id).expect_err("cancelled");
    assert_eq!(err["code"], -32800, "{err}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while processes_with(&mark) > 0 {
        assert!(
            Instant::now() < deadline,
            "the cancelled function is still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The next invoke starts a fresh instance at once instead of queueing behind the hung one.
    let started = Instant::now();
    let r = lsp
        .request("workspace/executeCommand", json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Steps", "event": {}}]}))
        .expect("invoke");
    assert_eq!(r["status"], "success", "{r:#}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(lsp.shutdown_exit().success());
}
