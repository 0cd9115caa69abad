//! Bad input never panics or hangs: each case gets a clear finding or a "skipped" line, through the CLI and
//! through the language server.

mod support;

use serde_json::{json, Value};
use support::{run, Lsp, Project};

fn check_json(p: &Project, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(p.path(), &all);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap_or(-1), doc, stderr)
}

fn rules(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["rule"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn empty_files() {
    let p = Project::new(&[
        ("template.yaml", ""),
        ("policy.json", ""),
        ("serverless.yml", ""),
    ]);
    let (code, doc, _) = check_json(&p, &[]);
    assert_eq!(code, 0, "{doc}");
}

#[test]
fn invalid_utf8_and_binary_files() {
    let p = Project::new(&[]);
    p.write(
        "serverless.yml",
        b"service: x\nprovider:\n  name: \xff\xfe aws\n",
    );
    p.write("data.json", b"\x00\x01\x02 binary \x00");
    p.write("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00");
    let (code, doc, _) = check_json(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(rules(&doc), vec!["syntax/encoding"]);
    let skipped = doc["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 2, "{doc}");
    assert!(skipped
        .iter()
        .all(|s| s["reason"].as_str().is_some_and(|r| r.contains("binary"))));
}

#[test]
fn a_20_mb_json_file_is_checked_or_skipped_quickly() {
    let p = Project::new(&[]);
    let mut big = String::from("{\"Version\": \"2012-10-17\", \"Statement\": [");
    let stmt = "{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"},";
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(stmt);
    }
    big.push_str(stmt.trim_end_matches(','));
    big.push_str("]}");
    p.write("big-policy.json", big.as_bytes());
    let started = std::time::Instant::now();
    let (code, doc, _) = check_json(&p, &[]);
    assert_eq!(code, 0, "a warning, not an error: {doc}");
    assert_eq!(rules(&doc), vec!["syntax/too-large"]);
    assert!(started.elapsed() < support::TIMEOUT);
}

#[test]
fn deeply_nested_json_and_yaml() {
    let p = Project::new(&[]);
    let deep = format!(
        "{{\"Statement\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    p.write("policy.json", deep.as_bytes());
    let deep_yaml = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    p.write("template.yaml", deep_yaml.as_bytes());
    let (code, doc, _) = check_json(&p, &[]);
    assert_eq!(code, 1);
    let r = rules(&doc);
    assert!(r.contains(&"syntax/too-deep".to_string()), "{r:?}");
}

#[test]
fn yaml_alias_bomb() {
    let mut text = String::from("service: bomb\nprovider:\n  name: aws\ncustom:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = "a".to_string();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("  {n}: &{n} [{refs}]\n"));
        prev = n.to_string();
    }
    let p = Project::new(&[("serverless.yml", &text)]);
    let started = std::time::Instant::now();
    let (code, doc, _) = check_json(&p, &[]);
    assert_eq!(code, 1);
    assert!(rules(&doc).contains(&"syntax/alias".to_string()));
    assert!(started.elapsed() < support::TIMEOUT);
}

#[test]
fn files_deleted_while_checking() {
    let p = Project::new(&[]);
    let policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}]}";
    for i in 0..3000 {
        p.write(&format!("p/{i:04}.json"), policy.as_bytes());
    }
    let dir = p.file("p");
    let deleter = std::thread::spawn(move || {
        for i in (0..3000).rev() {
            let _ = std::fs::remove_file(dir.join(format!("{i:04}.json")));
        }
    });
    let (code, doc, _) = check_json(&p, &[]);
    deleter.join().expect("deleter");
    assert!(code == 0 || code == 1 || code == 2, "{code}");
    if code != 2 {
        for s in doc["skipped"].as_array().into_iter().flatten() {
            assert!(s["reason"].as_str().is_some_and(|r| !r.is_empty()));
        }
    }
}

#[test]
fn half_typed_documents_in_the_editor() {
    let p = Project::new(&[]);
    let uri = p.uri("template.yaml");
    let mut lsp = Lsp::start();
    lsp.initialize_with(p.path(), false, json!({"diagnosticsDelayMs": 0}));
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): pass'}\n";
    lsp.open(&uri, "yaml", 1, "");
    lsp.diagnostics(&uri, 1);
    // Type the template one character at a time; every prefix must be handled.
    for (i, c) in text.char_indices() {
        let before = &text[..i];
        let line = before.matches('\n').count() as u32;
        let col = (before.len() - before.rfind('\n').map(|x| x + 1).unwrap_or(0)) as u32;
        lsp.change(&uri, i as i64 + 2, (line, col), (line, col), &c.to_string());
        if i % 17 == 0 {
            let _ = lsp.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
            );
            let _ = lsp.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
            );
        }
    }
    let last = text.len() as i64 + 1;
    let diags = lsp.diagnostics(&uri, last);
    assert!(diags.is_empty(), "{diags:#?}");
    // Garbage in the editor: never a crash.
    lsp.change_full(&uri, last + 1, "\u{0}\u{1}{{{[[[: - ! &* ]]]\t\r\n\u{2028}");
    lsp.diagnostics(&uri, last + 1);
    assert!(lsp.alive());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
