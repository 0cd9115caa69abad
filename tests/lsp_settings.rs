//! The editor gets the same settings as CI: `initializationOptions`, `workspace/configuration` (pulled after
//! `initialized` and again on `workspace/didChangeConfiguration`), merged under the nearest
//! `lambda-ls.toml`; problems in either are shown, never silently ignored. Suppressions agree with `check`.

mod support;

use serde_json::{json, Value};
use support::{Lsp, Project};

/// One finding of each family: a bad runtime (function/) and an invalid policy version (iam/).
const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.99
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-18'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]
";

fn codes(diags: &[Value]) -> Vec<String> {
    let mut c: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    c.sort();
    c
}

fn severity_of(diags: &[Value], code: &str) -> Option<u64> {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["severity"].as_u64())
}

/// Waits for diagnostics of `uri` whose codes are exactly `want` (earlier publications are skipped).
fn wait_codes(lsp: &mut Lsp, uri: &str, want: &[&str]) -> Vec<Value> {
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    let params = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && codes(p["diagnostics"].as_array().map_or(&[][..], |v| v)) == want
    });
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn initialization_options_configure_rules() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize_with(
        p.path(),
        false,
        json!({"rules": {"function/unknown-runtime": "off", "iam/version": "warning"}, "diagnosticsDelayMs": 50}),
    );
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    // The first publication already has the settings applied.
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), vec!["iam/version"]);
    assert_eq!(severity_of(&diags, "iam/version"), Some(2));
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn workspace_configuration_is_pulled_and_pulled_again_on_change() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.configuration =
        json!({"rules": {"iam/": "off"}, "server": {"path": "/ignored/by/the/server"}});
    lsp.initialize(p.path(), false);
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), vec!["function/unknown-runtime"]);
    let asked: Vec<&Value> = lsp
        .server_requests
        .iter()
        .filter(|(m, _)| m == "workspace/configuration")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["items"][0]["section"], "lambdaLs");

    lsp.configuration = json!({"rules": {"function/": "off"}});
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    wait_codes(&mut lsp, &uri, &["iam/version"]);
    let pulls = lsp
        .server_requests
        .iter()
        .filter(|(m, _)| m == "workspace/configuration")
        .count();
    assert_eq!(pulls, 2);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn pushed_settings_work_for_clients_that_cannot_be_asked() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    let root = support::file_uri(p.path());
    lsp.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    )
    .expect("initialize");
    lsp.notify("initialized", json!({}));
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    wait_codes(&mut lsp, &uri, &["function/unknown-runtime", "iam/version"]);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"lambdaLs": {"rules": {"iam/version": "off"}}}}),
    );
    wait_codes(&mut lsp, &uri, &["function/unknown-runtime"]);
    assert!(lsp
        .server_requests
        .iter()
        .all(|(m, _)| m != "workspace/configuration"));
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn project_file_wins_over_editor_settings() {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        ("lambda-ls.toml", "[rules]\n\"iam/version\" = \"info\"\n"),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    // The editor turns iam/version off and function/ down; the project file sets iam/version to info.
    lsp.configuration = json!({"rules": {"iam/version": "off", "function/": "hint"}});
    lsp.initialize(p.path(), false);
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diags),
        vec!["function/unknown-runtime", "iam/version"]
    );
    assert_eq!(severity_of(&diags, "iam/version"), Some(3));
    assert_eq!(severity_of(&diags, "function/unknown-runtime"), Some(4));
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn invalid_config_file_gets_diagnostics_and_a_message_and_edits_apply_live() {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        ("lambda-ls.toml", "[rules]\n\"iam/versoin\" = \"off\"\n"),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let uri = p.uri("template.yaml");
    let toml_uri = p.uri("lambda-ls.toml");
    let mut lsp = Lsp::start();
    lsp.initialize(p.path(), false);
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diags),
        vec!["function/unknown-runtime", "iam/version"]
    );
    let published = lsp.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == toml_uri);
    let d = &published["diagnostics"][0];
    assert_eq!(d["range"]["start"]["line"], 1);
    assert!(d["message"]
        .as_str()
        .is_some_and(|m| m.contains("did you mean `iam/version`")));
    let shown = lsp.wait_for("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("lambda-ls.toml"))
    });
    assert_eq!(shown["type"], 1);

    // Fixing the file in the editor (unsaved) fixes its diagnostics and applies it at once.
    let fixed = "[rules]\n\"iam/version\" = \"off\"\n";
    lsp.open(&toml_uri, "toml", 1, "[rules]\n\"iam/versoin\" = \"off\"\n");
    lsp.change_full(&toml_uri, 2, fixed);
    lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == toml_uri && p["version"] == 2 && p["diagnostics"] == json!([])
    });
    wait_codes(&mut lsp, &uri, &["function/unknown-runtime"]);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn invalid_editor_settings_are_shown() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let mut lsp = Lsp::start();
    lsp.configuration = json!({"rules": {"iam/nope": "off"}, "asOf": "soon"});
    lsp.initialize(p.path(), false);
    let shown = lsp.wait_for("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("invalid settings"))
    });
    let m = shown["message"].as_str().unwrap_or("");
    assert!(m.contains("iam/nope") && m.contains("as-of"), "{m}");
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn suppressions_and_unused_hints_match_the_cli() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtime, iam/version]
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
";
    let p = Project::new(&[("template.yaml", template)]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize(p.path(), true);
    lsp.open(&uri, "yaml", 1, template);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), vec!["suppression/unused"]);
    let d = &diags[0];
    assert_eq!(d["severity"], 4);
    assert_eq!(d["tags"], json!([1]), "faded as unnecessary");
    let line = template.lines().nth(5).expect("line");
    let col = line.find("iam/version").expect("id") as u64;
    assert_eq!(d["range"]["start"], json!({"line": 5, "character": col}));
    // Same answer from the CLI.
    let out = support::run(p.path(), &["check", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, vec!["suppression/unused"]);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn registers_for_configuration_changes_when_the_client_allows() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.configuration = json!({"rules": {"function/": "off"}});
    let root = support::file_uri(p.path());
    lsp.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {"workspace": {
            "configuration": true,
            "didChangeConfiguration": {"dynamicRegistration": true}
        }}}),
    )
    .expect("initialize");
    lsp.notify("initialized", json!({}));
    lsp.open(&uri, "yaml", 1, TEMPLATE);
    assert_eq!(codes(&lsp.diagnostics(&uri, 1)), vec!["iam/version"]);
    let registered = lsp.server_requests.iter().any(|(m, p)| {
        m == "client/registerCapability"
            && p["registrations"][0]["method"] == "workspace/didChangeConfiguration"
    });
    assert!(registered, "{:?}", lsp.server_requests);
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
