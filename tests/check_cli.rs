//! `lambda-ls check` as CI runs it: exit codes, findings, JSON output, ordering, .gitignore.

mod support;

use serde_json::Value;
use support::{run, Project};

const BAD_POLICY: &str = "{\n  \"Version\": \"2012-10-18\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n";
const GOOD_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n";

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn example_app_fails_with_the_deliberate_mistakes() {
    let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sam-app");
    let out = run(&app, &["check", "--format", "json", "."]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc = json_of(&out);
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"function/unknown-runtime"), "{rules:?}");
    assert!(rules.contains(&"iam/version"), "{rules:?}");
    assert!(rules.contains(&"handler/python-async"), "{rules:?}");
}

#[test]
fn clean_folder_exits_zero_and_says_so() {
    let p = Project::new(&[
        ("policy.json", GOOD_POLICY),
        (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
    ]);
    let out = run(p.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No problems found"));
}

#[test]
fn text_output_has_location_rule_and_code_frame() {
    let p = Project::new(&[("policy.json", BAD_POLICY)]);
    let out = run(p.path(), &["check", "policy.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("policy.json:2:14: error[iam/version]"),
        "{text}"
    );
    assert!(
        text.contains("2 |   \"Version\": \"2012-10-18\","),
        "{text}"
    );
    assert!(text.contains("^^^^^^^^^^^^"), "{text}");
    assert!(text.contains("Found 1 error"), "{text}");
}

#[test]
fn json_output_follows_the_documented_schema() {
    let p = Project::new(&[("b.json", BAD_POLICY), ("a.json", BAD_POLICY)]);
    let out = run(p.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["tool"]["name"], "lambda-ls");
    // Errors only: hints such as `iam/resource-star` may accompany them.
    let findings: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(findings.len(), 2);
    // Deterministic order: by path.
    assert_eq!(findings[0]["path"], "a.json");
    assert_eq!(findings[1]["path"], "b.json");
    let f = &findings[0];
    assert_eq!(f["rule"], "iam/version");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["start"]["line"], 2);
    assert_eq!(f["start"]["column"], 14);
    assert_eq!(f["fixes"][0]["edits"][0]["new_text"], "\"2012-10-17\"");
    assert_eq!(doc["summary"]["error"], 2);
    assert_eq!(doc["summary"]["files_checked"], 2);
}

#[test]
fn gitignored_files_are_skipped_unless_asked() {
    let p = Project::new(&[
        (".gitignore", "build/\n"),
        ("build/policy.json", BAD_POLICY),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect("git dir");
    let out = run(p.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(p.path(), &["check", "--no-ignore"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn fail_on_thresholds() {
    let missing_version = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]}\n";
    let p = Project::new(&[("policy.json", missing_version)]);
    assert_eq!(run(p.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        run(p.path(), &["check", "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    let p = Project::new(&[("policy.json", BAD_POLICY)]);
    assert_eq!(
        run(p.path(), &["check", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn usage_errors_exit_two() {
    let p = Project::new(&[]);
    let out = run(p.path(), &["check", "does-not-exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist"));
    let out = run(p.path(), &["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(p.path(), &["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_flag() {
    let p = Project::new(&[]);
    let out = run(p.path(), &["--version"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("lambda-ls "));
}
