//! The function checks through the `check` command: lifecycle judged against `as-of`, and the quick fix
//! to the successor runtime in the JSON output, as CI sees them.

mod support;

use serde_json::Value;
use support::{run, Project};

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => 1'\n";

fn lifecycle(as_of: &str) -> Vec<(String, String, String)> {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        ("lambda-ls.toml", &format!("as-of = {as_of}\n")),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let out = run(
        p.path(),
        &["check", "--format", "json", "--fail-on", "never"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["fixes"][0]["edits"][0]["new_text"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn runtime_lifecycle_follows_as_of() {
    assert_eq!(lifecycle("2026-01-01"), vec![]);
    assert_eq!(
        lifecycle("2026-11-27"),
        vec![(
            "function/deprecated-runtime".into(),
            "warning".into(),
            "nodejs24.x".into()
        )]
    );
    assert_eq!(
        lifecycle("2027-02-15"),
        vec![(
            "function/runtime-create-blocked".into(),
            "error".into(),
            "nodejs24.x".into()
        )]
    );
    assert_eq!(
        lifecycle("2027-06-01"),
        vec![(
            "function/runtime-update-blocked".into(),
            "error".into(),
            "nodejs24.x".into()
        )]
    );
}
