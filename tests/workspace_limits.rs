//! Hostile workspaces: a symbolic link loop, links out of the project, unreadable files and special files,
//! 100,000 files, a 50 MB template. `check` and the server stay bounded in time and memory, never read
//! outside the project, and say what they skipped.

mod support;

use serde_json::{json, Value};
use std::os::unix::fs::symlink;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{bin, wait_with_timeout, Lsp, Project};

const POLICY: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}]}";

fn check_json(dir: &std::path::Path, args: &[&str], timeout: Duration) -> (i32, Value) {
    let mut child = Command::new(bin())
        .args(["check", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let status = wait_with_timeout(&mut child, timeout).expect("check did not finish in time");
    let out = reader.join().expect("reader");
    let doc = serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)));
    (status.code().unwrap_or(-1), doc)
}

fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn links_loops_and_special_files_are_skipped_and_said() {
    let outside = Project::new(&[("secret/policy.json", "{\"Statement\": []}")]);
    let p = Project::new(&[("ok/policy.json", POLICY)]);
    symlink(p.path(), p.file("loop")).expect("loop link");
    symlink(outside.file("secret"), p.file("outside")).expect("link out");
    symlink(
        outside.file("secret/policy.json"),
        p.file("linked-policy.json"),
    )
    .expect("file link out");
    mkfifo(&p.file("pipe.json"));
    let (code, doc) = check_json(p.path(), &[], Duration::from_secs(30));
    assert_eq!(code, 0, "{doc:#}");
    // Only the real file inside the project was read: the policy outside would have a Version warning.
    assert_eq!(doc["summary"]["files_checked"], 1, "{doc:#}");
    assert!(
        doc["findings"].as_array().is_some_and(|f| f.is_empty()),
        "{doc:#}"
    );
    let skipped = doc["skipped"].as_array().expect("skipped");
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == "pipe.json" && s["reason"] == "not a regular file"),
        "{skipped:#?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == "linked-policy.json"
                && s["reason"] == "symbolic link, not followed"),
        "{skipped:#?}"
    );
    // Named explicitly, a FIFO is skipped too, never opened (opening it would block).
    let (code, doc) = check_json(p.path(), &["pipe.json"], Duration::from_secs(10));
    assert_eq!(code, 0);
    assert_eq!(doc["skipped"][0]["reason"], "not a regular file or folder");
}

#[test]
fn unreadable_files_are_skipped_with_the_reason() {
    let p = Project::new(&[("a/policy.json", POLICY), ("b/policy.json", POLICY)]);
    let locked = p.file("b");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    let (code, doc) = check_json(p.path(), &[], Duration::from_secs(30));
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod back");
    assert_eq!(code, 0, "{doc:#}");
    // As root every file is readable; otherwise the locked folder is reported, not silently dropped.
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if !is_root {
        let skipped = doc["skipped"].as_array().expect("skipped");
        assert!(
            skipped.iter().any(|s| s["reason"] == "permission denied"),
            "{skipped:#?}"
        );
    }
}

#[test]
fn a_hundred_thousand_files() {
    let p = Project::new(&[]);
    for d in 0..100 {
        let dir = p.file(&format!("d{d:03}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for f in 0..1000 {
            let name = if f % 100 == 0 {
                format!("p{f}.json")
            } else {
                format!("f{f}.txt")
            };
            std::fs::write(dir.join(name), if f % 100 == 0 { POLICY } else { "x" }).expect("write");
        }
    }
    let (code, doc) = check_json(p.path(), &[], Duration::from_secs(120));
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["files_seen"], 100_000);
    assert_eq!(doc["summary"]["files_checked"], 1000);

    // The server in the same workspace: initialize and a request on an open document are answered.
    let mut lsp = Lsp::start();
    lsp.initialize(p.path(), false);
    let uri = p.uri("d000/p0.json");
    lsp.open(&uri, "json", 1, POLICY);
    let diags = lsp.diagnostics(&uri, 1);
    assert!(diags.is_empty(), "{diags:#?}");
    let _ = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 60}}),
    );
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}

#[test]
fn a_50_mb_template() {
    let p = Project::new(&[]);
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!("  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n"));
        i += 1;
    }
    p.write("template.yaml", text.as_bytes());
    let (code, doc) = check_json(p.path(), &[], Duration::from_secs(60));
    assert_eq!(code, 0);
    assert_eq!(doc["findings"][0]["rule"], "syntax/too-large", "{doc:#}");

    let mut lsp = Lsp::start();
    lsp.initialize(p.path(), false);
    let uri = p.uri("template.yaml");
    lsp.open(&uri, "yaml", 1, &text);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["code"], "syntax/too-large");
    let r = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}}),
    );
    assert!(r.is_ok());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
