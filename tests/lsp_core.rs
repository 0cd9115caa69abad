//! The language server over stdio, as an editor drives it: initialize with both position encodings,
//! diagnostics at exact ranges, incremental edits, ordering under pressure, lifecycle and exit codes.

mod support;

use serde_json::{json, Value};
use support::{find, utf16_col, Lsp, Project};

const BROKEN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListAllMyBuckets",
      "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Bücher-😀"}} "Resource": "*"
    }
  ]
}
"#;

fn range_of(d: &Value) -> ((u64, u64), (u64, u64)) {
    let r = &d["range"];
    (
        (
            r["start"]["line"].as_u64().unwrap_or(99),
            r["start"]["character"].as_u64().unwrap_or(99),
        ),
        (
            r["end"]["line"].as_u64().unwrap_or(99),
            r["end"]["character"].as_u64().unwrap_or(99),
        ),
    )
}

/// Opens the broken policy, checks the syntax error's exact range in the negotiated encoding, fixes it
/// with an incremental edit and expects the diagnostics to clear for the new version.
fn broken_then_fixed(utf8: bool) {
    let project = Project::new(&[("policy.json", BROKEN)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    let init = lsp.initialize(project.path(), utf8);
    let expected_encoding = if utf8 { "utf-8" } else { "utf-16" };
    assert_eq!(init["capabilities"]["positionEncoding"], expected_encoding);
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync"
    );

    lsp.open(&uri, "json", 1, BROKEN);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["code"], "syntax/parse-error");
    assert_eq!(d["source"], "lambda-ls");
    assert_eq!(d["severity"], 1);
    // The comma is missing right after the Condition object, after non-ASCII text on the same line.
    let (line, byte_col) = find(BROKEN, r#"}} "Resource""#);
    let byte_col = byte_col + 2;
    let line_text = BROKEN.lines().nth(line).expect("line");
    let col = if utf8 {
        byte_col
    } else {
        utf16_col(line_text, byte_col)
    };
    assert_ne!(
        byte_col,
        utf16_col(line_text, byte_col),
        "the line must hold non-ASCII text"
    );
    assert_eq!(
        range_of(d),
        ((line as u64, col as u64), (line as u64, col as u64))
    );

    lsp.change(
        &uri,
        2,
        (line as u32, col as u32),
        (line as u32, col as u32),
        ",",
    );
    let diags = lsp.diagnostics(&uri, 2);
    // The syntax error is gone. What remains is IAM's own verdict on the now-parsable policy: the emoji
    // is outside the characters IAM accepts (`iam/invalid-character`), reported on the value itself.
    assert!(
        diags.iter().all(|d| d["code"] == "iam/invalid-character"),
        "{diags:#?}"
    );

    let status = lsp.shutdown_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn utf16_conversation() {
    broken_then_fixed(false);
}

#[test]
fn utf8_conversation() {
    broken_then_fixed(true);
}

#[test]
fn rapid_edits_end_with_diagnostics_for_the_final_text() {
    let start = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}]\n}\n";
    let project = Project::new(&[("policy.json", start)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize_with(project.path(), false, json!({"diagnosticsDelayMs": 20}));
    lsp.open(&uri, "json", 1, start);
    // 200 edits inside the Version string without waiting: insert 'x' twice, delete once, and so on.
    let mut text = start.to_string();
    let col0 = "  \"Version\": \"2012-10-17".len() as u32;
    let mut extra = 0u32;
    for i in 0..200 {
        let version = i as i64 + 2;
        if i % 3 == 2 {
            lsp.change(&uri, version, (1, col0), (1, col0 + 1), "");
            let off = text.find("2012-10-17").expect("version") + 10;
            text.replace_range(off..off + 1, "");
            extra -= 1;
        } else {
            lsp.change(&uri, version, (1, col0), (1, col0), "x");
            let off = text.find("2012-10-17").expect("version") + 10;
            text.insert(off, 'x');
            extra += 1;
        }
    }
    assert!(extra > 0);
    // Every publication for this document, in arrival order, up to the final version's.
    let mut published = Vec::new();
    let diags = loop {
        let p = lsp.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
        published.push(p["version"].as_i64().unwrap_or(-1));
        if p["version"] == 201 {
            break p["diagnostics"].as_array().cloned().unwrap_or_default();
        }
    };
    // The oracle: `check` on the same final text.
    std::fs::write(project.file("policy.json"), &text).expect("write");
    let out = support::run(
        project.path(),
        &["check", "--format", "json", "--fail-on", "never"],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let expected: Vec<(String, u64, u64)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0) - 1,
                f["start"]["column"].as_u64().unwrap_or(0) - 1,
            )
        })
        .collect();
    let got: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| {
            let ((l, c), _) = range_of(d);
            (d["code"].as_str().unwrap_or("").to_string(), l, c)
        })
        .collect();
    assert_eq!(got, expected);
    assert!(got.iter().any(|(r, _, _)| r == "iam/version"));
    // No diagnostics for an older version were published after a newer one.
    let versions: Vec<i64> = lsp
        .drain()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(
        versions.iter().all(|v| *v >= 201),
        "stale publication after the final one: {versions:?}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let project = Project::new(&[]);
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    assert_eq!(lsp.exit_only().code(), Some(1));
}

#[test]
fn stdio_flag_starts_the_server_too() {
    let project = Project::new(&[]);
    let mut lsp = Lsp::start_with(&["--stdio"]);
    let init = lsp.initialize(project.path(), false);
    assert_eq!(init["serverInfo"]["name"], "lambda-ls");
    let mut lsp2 = Lsp::start_with(&["serve", "--stdio"]);
    lsp2.initialize(project.path(), true);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
    assert_eq!(lsp2.shutdown_exit().code(), Some(0));
}

#[test]
fn watched_files_are_registered_and_changes_on_disk_reanalyse() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.99\n";
    let project = Project::new(&[("template.yaml", template)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, template);
    let diags = lsp.diagnostics(&uri, 1);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "function/unknown-runtime"),
        "{diags:#?}"
    );
    assert!(
        lsp.server_requests
            .iter()
            .any(|(m, p)| m == "client/registerCapability"
                && p["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"),
        "{:?}",
        lsp.server_requests
    );
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": project.uri("other.py"), "type": 1}]}),
    );
    // A re-analysis publishes again for the same version.
    let again = lsp.diagnostics(&uri, 1);
    assert_eq!(again.len(), diags.len());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn quick_fix_is_offered_for_a_finding() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: pyhton3.12\n";
    let project = Project::new(&[("template.yaml", template)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, template);
    let diags = lsp.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "function/unknown-runtime")
        .expect("runtime diagnostic")
        .clone();
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .expect("codeAction");
    let first = &actions[0];
    assert_eq!(first["title"], "Change to `python3.12`");
    assert_eq!(first["isPreferred"], true);
    let edit = &first["edit"]["changes"][uri.as_str()][0];
    assert_eq!(edit["newText"], "python3.12");
    assert_eq!(edit["range"]["start"], json!({"line": 5, "character": 15}));
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let policy = "{\"Statement\": []}";
    let project = Project::new(&[("policy.json", policy)]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, policy);
    assert!(!lsp.diagnostics(&uri, 1).is_empty());
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let params = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|a| a.is_empty())
    });
    assert!(params["version"].is_null());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn cancelled_and_unknown_requests_leave_the_server_alive() {
    let project = Project::new(&[("policy.json", "{\"Statement\": []}")]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, "{\"Statement\": []}");
    let id = lsp.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    lsp.notify("$/cancelRequest", json!({"id": id}));
    // Either answered before the cancel landed or cancelled (-32800); never lost.
    match lsp.response(id) {
        Ok(_) => {}
        Err(e) => assert_eq!(e["code"], -32800, "{e}"),
    }
    let err = lsp
        .request("lambda-ls/noSuchMethod", json!({}))
        .expect_err("unknown method");
    assert_eq!(err["code"], -32601);
    let err = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "no.such.command", "arguments": []}),
        )
        .expect_err("unknown command");
    assert_eq!(err["code"], -32602);
    // Requests about documents the server never saw answer null rather than failing.
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": project.uri("nope.json")}, "position": {"line": 0, "character": 0}}),
        )
        .expect("hover");
    assert!(r.is_null());
    assert!(lsp.alive());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn a_panicking_request_fails_alone() {
    let project = Project::new(&[("policy.json", "{\"Statement\": []}")]);
    let uri = project.uri("policy.json");
    let mut lsp = Lsp::start_with_env(&[("LAMBDA_LS_DEBUG_PANIC", "1")]);
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "json", 1, "{\"Statement\": []}");
    let err = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "lambda-ls.debug.panic", "arguments": []}),
        )
        .expect_err("panics");
    assert_eq!(err["code"], -32603);
    // Still serving.
    let diags = lsp.diagnostics(&uri, 1);
    assert!(!diags.is_empty());
    lsp.change_full(&uri, 2, "{\"Version\": \"2012-10-17\", \"Statement\": []}");
    lsp.diagnostics(&uri, 2);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

/// A template edited from well-formed to broken and back: well-formed YAML is read directly, broken YAML
/// goes through the syntax tree the server keeps in step with every edit. Each version gets its own,
/// right diagnostics (a broken template without a header line still counts as a template).
#[test]
fn yaml_template_edited_between_well_formed_and_broken() {
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python2.9 # made up\n      Handler: app.handler\n      Tags: [{Key: team, Value: data}]\n";
    let project = Project::new(&[("template.yaml", text)]);
    let uri = project.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(project.path(), false);
    lsp.open(&uri, "yaml", 1, text);
    let runtime = find(text, "python2.9");
    let codes = |diags: &[Value]| -> Vec<String> {
        diags
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let diags = lsp.diagnostics(&uri, 1);
    let unknown: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "function/unknown-runtime")
        .collect();
    assert_eq!(unknown.len(), 1, "{diags:#?}");
    assert_eq!(range_of(unknown[0]).0, (runtime.0 as u64, runtime.1 as u64));

    // Delete the `]` closing the tag list: a syntax error on that line.
    let (line, col) = find(text, "}]");
    lsp.change(
        &uri,
        2,
        (line as u32, col as u32 + 1),
        (line as u32, col as u32 + 2),
        "",
    );
    let diags = lsp.diagnostics(&uri, 2);
    assert!(
        codes(&diags).iter().any(|c| c == "syntax/parse-error"),
        "{diags:#?}"
    );

    // Put it back and fix the runtime on the way: no findings left.
    lsp.change(
        &uri,
        3,
        (line as u32, col as u32 + 1),
        (line as u32, col as u32 + 1),
        "]",
    );
    lsp.change(
        &uri,
        4,
        (runtime.0 as u32, runtime.1 as u32),
        (
            runtime.0 as u32,
            runtime.1 as u32 + "python2.9".len() as u32,
        ),
        "python3.12",
    );
    let diags = lsp.diagnostics(&uri, 4);
    assert!(
        !codes(&diags)
            .iter()
            .any(|c| c == "syntax/parse-error" || c == "function/unknown-runtime"),
        "{diags:#?}"
    );
    let status = lsp.shutdown_exit();
    assert_eq!(status.code(), Some(0));
}
