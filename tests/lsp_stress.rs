//! Stress: 50 open documents, 10,000 random incremental edits across them with completions, hovers and
//! cancellations interleaved. Every request is answered, the final diagnostics of every document match
//! what `check` reports on the same final text, and memory comes back down after the documents close.

mod support;

use serde_json::{json, Value};
use support::{Lsp, Project};

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: s3:GetObject\n              Resource: '*'\n";
const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": \"*\"}\n  ]\n}\n";
const SERVERLESS: &str = "service: demo\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  hello:\n    handler: handler.hello\n";

const PIECES: &[&str] = &[
    "a",
    "s3:",
    "Get",
    " ",
    "\n",
    "\"",
    ":",
    "{",
    "}",
    "[",
    "]",
    ",",
    "!Ref X",
    "  ",
    "-",
    "é",
    "😀",
    "python3.9",
    "Version",
];

fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].encode_utf16().count() as u32)
}

fn char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Resident memory once the server is idle: polled until it is at or below `target`, or has stopped
/// falling for a few seconds (the server trims again after its idle threads leave), with a deadline.
fn settled_rss(lsp: &mut Lsp, target: u64) -> u64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut best = rss_kib(lsp.pid());
    let mut since_better = std::time::Instant::now();
    while best > target && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let now = rss_kib(lsp.pid());
        if now < best {
            best = now;
            since_better = std::time::Instant::now();
        } else if since_better.elapsed() > std::time::Duration::from_secs(4) {
            break;
        }
    }
    best
}

#[test]
fn fifty_documents_ten_thousand_edits() {
    let mut files: Vec<(String, String, &str)> = Vec::new();
    for i in 0..50 {
        let (name, text, lang) = match i % 3 {
            0 => (format!("t{i}/template.yaml"), TEMPLATE, "yaml"),
            1 => (format!("p{i}/policy.json"), POLICY, "json"),
            _ => (format!("s{i}/serverless.yml"), SERVERLESS, "yaml"),
        };
        files.push((name, text.to_string(), lang));
    }
    let project = Project::new(
        &files
            .iter()
            .map(|(n, t, _)| (n.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
    );
    let mut lsp = Lsp::start();
    lsp.initialize_with(project.path(), false, json!({"diagnosticsDelayMs": 50}));
    // The baseline is a warm server: one document of each kind opened, analysed and closed.
    for (name, text, lang) in files.iter().take(3) {
        let uri = project.uri(name);
        lsp.open(&uri, lang, 1, text);
        lsp.diagnostics(&uri, 1);
        lsp.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    let baseline = settled_rss(&mut lsp, u64::MAX);
    let mut versions = vec![1i64; files.len()];
    for (name, text, lang) in &files {
        lsp.open(&project.uri(name), lang, 1, text);
    }

    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut pending = Vec::new();
    for step in 0..10_000 {
        let i = rng.below(files.len());
        let uri = project.uri(&files[i].0);
        let text = &mut files[i].1;
        let a = char_boundary(text, rng.below(text.len() + 1));
        let b = char_boundary(text, (a + rng.below(4)).min(text.len()));
        let insert = if rng.below(3) == 0 {
            ""
        } else {
            PIECES[rng.below(PIECES.len())]
        };
        let start = utf16_position(text, a);
        let end = utf16_position(text, b);
        text.replace_range(a..b, insert);
        versions[i] += 1;
        lsp.change(&uri, versions[i], start, end, insert);
        if step % 50 == 0 {
            let at = utf16_position(text, char_boundary(text, rng.below(text.len() + 1)));
            let pos = json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1}});
            let method = if step % 100 == 0 {
                "textDocument/completion"
            } else {
                "textDocument/hover"
            };
            let id = lsp.request_async(method, pos);
            if step % 150 == 0 {
                lsp.notify("$/cancelRequest", json!({"id": id}));
            }
            pending.push(id);
        }
    }
    // Every request is answered: a result, or the cancellation error.
    for id in pending {
        if let Err(e) = lsp.response(id) {
            assert_eq!(e["code"], -32800, "request {id} failed: {e}");
        }
    }

    // The oracle: `check` on the final texts, written to disk.
    for (name, text, _) in &files {
        std::fs::write(project.file(name), text).expect("write");
    }
    let out = support::run(
        project.path(),
        &["check", "--format", "json", "--fail-on", "never"],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("check json");
    for (i, (name, text, _)) in files.iter().enumerate() {
        let uri = project.uri(name);
        let diags = lsp.diagnostics(&uri, versions[i]);
        let mut got: Vec<(String, u64)> = diags
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        let mut want: Vec<(String, u64)> = doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["path"] == name.as_str())
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_string(),
                    f["start"]["line"].as_u64().unwrap_or(1) - 1,
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name} final text:\n{text}");
    }

    let loaded = rss_kib(lsp.pid());
    for (name, _, _) in &files {
        lsp.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": project.uri(name)}}),
        );
    }
    // A request after the closes is answered only once they were processed.
    let _ = lsp.request("textDocument/hover", json!({"textDocument": {"uri": project.uri("x.json")}, "position": {"line": 0, "character": 0}}));
    // Memory returns to its baseline once idle worker threads (and their parser state) are gone.
    let margin = 4 * 1024;
    let after = settled_rss(&mut lsp, baseline + margin);
    eprintln!("resident memory: {baseline} KiB at start, {loaded} KiB with 50 documents, {after} KiB after closing");
    assert!(
        after <= baseline + margin,
        "memory did not return to the baseline: {baseline} KiB → {after} KiB"
    );
    assert!(lsp.alive());
    assert_eq!(lsp.shutdown_exit().code(), Some(0));
}
