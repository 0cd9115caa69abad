//! Every rule's documented failing example makes it fire, and its passing example does not — through the
//! real `check` command, exactly as a user would run it.

mod support;

use serde_json::Value;
use support::{run, Project};

fn rules_fired(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let project = Project::new(files);
    let first = files[0].0;
    let out = run(
        project.path(),
        &["check", "--format", "json", "--fail-on", "never", first],
    );
    assert!(
        out.status.success(),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json output");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_rule_example_behaves_as_documented() {
    let rules = lambda_ls::rules::all();
    assert!(!rules.is_empty());
    let mut failures = Vec::new();
    for rule in rules {
        if !rule.bad.is_empty() {
            let fired = rules_fired(rule.bad);
            if !fired.iter().any(|(r, _)| r == rule.id) {
                failures.push(format!(
                    "{}: failing example does not fire it (got {fired:?})",
                    rule.id
                ));
            }
        }
        if !rule.good.is_empty() {
            let fired = rules_fired(rule.good);
            if let Some((_, msg)) = fired.iter().find(|(r, _)| r == rule.id) {
                failures.push(format!("{}: passing example fires it: {msg}", rule.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_without_examples_are_covered_elsewhere() {
    // These rules need input that cannot be written as a short example (binary bytes, huge or deeply
    // nested files); tests/bad_input.rs exercises each of them.
    let allowed = [
        "syntax/too-deep",
        "syntax/parse-timeout",
        "syntax/encoding",
        "syntax/too-large",
    ];
    for rule in lambda_ls::rules::all() {
        if rule.bad.is_empty() || rule.good.is_empty() {
            assert!(
                allowed.contains(&rule.id),
                "{} has no failing or passing example",
                rule.id
            );
        }
    }
}

#[test]
fn rules_command_lists_and_documents_every_rule() {
    let project = Project::new(&[]);
    let out = run(project.path(), &["rules"]);
    assert!(out.status.success());
    let listing = String::from_utf8_lossy(&out.stdout);
    for rule in lambda_ls::rules::all() {
        assert!(
            listing.contains(rule.id),
            "{} missing from `rules`",
            rule.id
        );
    }
    let out = run(project.path(), &["rules", "iam/version"]);
    assert!(out.status.success());
    let doc = String::from_utf8_lossy(&out.stdout);
    assert!(doc.contains("Fails:") && doc.contains("Passes:"), "{doc}");
    let out = run(project.path(), &["rules", "no/such-rule"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_rules_reference_is_up_to_date() {
    let expected = lambda_ls::rules::reference::markdown(&lambda_ls::rules::all());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("RULES.md");
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "server/RULES.md is out of date: run `cargo run -- rules --format markdown > server/RULES.md`"
    );
}
