//! Invoke settings from the project's `lambda-ls.toml` (`[invoke]`) reach the function, through the CLI and
//! through the language server alike; the command line and the call's own arguments win over them.

mod support;

use serde_json::{json, Value};
use std::process::Command;
use support::{bin, Lsp, Project};

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  Show:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
";

const APP: &str = "import os
def handler(event, context):
    return {k: os.environ.get(k) for k in ('FROM_TOML', 'FROM_ENV_FILE', 'AWS_REGION', 'OVERRIDE')}
";

const TOML: &str = "[invoke]
region = \"eu-west-3\"
env-file = \"local.env\"
env = { FROM_TOML = \"toml\", OVERRIDE = \"toml\" }
";

fn project() -> Project {
    Project::new(&[
        ("template.yaml", TEMPLATE),
        ("src/app.py", APP),
        ("lambda-ls.toml", TOML),
        ("local.env", "FROM_ENV_FILE=dotenv\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ])
}

#[test]
fn cli_invoke_reads_the_project_settings() {
    let p = project();
    let out = Command::new(bin())
        .args(["invoke", "Show", "--env", "OVERRIDE=cli"])
        .current_dir(p.path())
        .env("LAMBDA_LS_CACHE_DIR", p.file(".cache"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("run invoke");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let payload: Value = serde_json::from_slice(&out.stdout).expect("payload");
    assert_eq!(
        payload,
        json!({"FROM_TOML": "toml", "FROM_ENV_FILE": "dotenv", "AWS_REGION": "eu-west-3", "OVERRIDE": "cli"})
    );
}

#[test]
fn editor_invoke_reads_the_project_settings() {
    let p = project();
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    lsp.initialize(p.path(), false);
    let config = p.file("template.yaml").to_string_lossy().into_owned();
    let result = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Show", "env": {"OVERRIDE": "call"}}]}),
        )
        .expect("invoke");
    assert_eq!(
        result["payload"],
        json!({"FROM_TOML": "toml", "FROM_ENV_FILE": "dotenv", "AWS_REGION": "eu-west-3", "OVERRIDE": "call"}),
        "{result:#}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn a_missing_settings_env_file_is_a_warning_not_a_failure() {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        ("src/app.py", APP),
        ("lambda-ls.toml", "[invoke]\nenv-file = \"missing.env\"\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ]);
    let out = Command::new(bin())
        .args(["invoke", "Show"])
        .current_dir(p.path())
        .env("LAMBDA_LS_CACHE_DIR", p.file(".cache"))
        .output()
        .expect("run invoke");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lsp =
        Lsp::start_with_env(&[("LAMBDA_LS_CACHE_DIR", &p.file(".cache").to_string_lossy())]);
    lsp.initialize(p.path(), false);
    let config = p.file("template.yaml").to_string_lossy().into_owned();
    let result = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "lambda-ls.invoke", "arguments": [{"config": config, "function": "Show"}]}),
        )
        .expect("invoke");
    assert!(
        result["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("missing.env")),
        "{result:#}"
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
