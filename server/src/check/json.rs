//! `--format json`: a documented, versioned schema (see README, "JSON output"). Bump `SCHEMA_VERSION` on any
//! change that could break a consumer.

use super::Report;
use crate::rules::Finding;
use crate::text::position::line_col_chars;
use ropey::Rope;
use serde_json::{json, Value};

pub const SCHEMA_VERSION: u32 = 1;

fn location(rope: Option<&Rope>, offset: usize) -> Value {
    let (line, column) = rope.map(|r| line_col_chars(r, offset)).unwrap_or((1, 1));
    json!({ "line": line, "column": column, "offset": offset })
}

fn finding_json(display: &str, rope: Option<&Rope>, f: &Finding) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .map(|r| {
            let same_file = r.path.is_none();
            json!({
                "path": r.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| display.to_string()),
                "start": if same_file { location(rope, r.span.start) } else { json!({ "offset": r.span.start }) },
                "end": if same_file { location(rope, r.span.end) } else { json!({ "offset": r.span.end }) },
                "message": r.message,
            })
        })
        .collect();
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|fix| {
            json!({
                "title": fix.title,
                "edits": fix.edits.iter().map(|e| json!({
                    "path": e.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| display.to_string()),
                    "start": e.span.start,
                    "end": e.span.end,
                    "new_text": e.new_text,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "path": display,
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "message": f.message,
        "start": location(rope, f.span.start),
        "end": location(rope, f.span.end),
        "related": related,
        "fixes": fixes,
    })
}

pub fn render(report: &Report) -> String {
    let mut findings = Vec::new();
    for file in &report.files {
        let rope = file.text.as_deref().map(Rope::from_str);
        for f in &file.findings {
            findings.push(finding_json(&file.display, rope.as_ref(), f));
        }
    }
    use crate::rules::Severity::*;
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "lambda-ls", "version": env!("CARGO_PKG_VERSION") },
        "findings": findings,
        "skipped": report.skipped.iter().map(|s| json!({ "path": s.display, "reason": s.reason })).collect::<Vec<_>>(),
        "summary": {
            "files_seen": report.files_seen,
            "files_checked": report.checked(),
            "error": report.count(Error),
            "warning": report.count(Warning),
            "info": report.count(Info),
            "hint": report.count(Hint),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
