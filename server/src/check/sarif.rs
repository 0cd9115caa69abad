//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers). Every rule is listed
//! with its summary, documentation, examples and help URI; results carry regions in UTF-16 columns (the
//! SARIF default), related locations, fixes and a fingerprint that survives unrelated edits.

use super::json::pretty_indented;
use super::{display_path, FileReport, Located, Pos, Reporter, Summary};
use crate::rules::{self, Rule, Severity};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A relative path as a URI reference: `/`-separated, with everything but unreserved characters escaped.
pub fn uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn rule_help(r: &Rule) -> (String, String) {
    let mut text = format!("{}\n\n{}", r.summary, r.docs);
    let mut md = format!("**{}**\n\n{}", r.summary, r.docs);
    for (title, files) in [("Fails", r.bad), ("Passes", r.good)] {
        for (name, body) in files.iter().take(1) {
            text.push_str(&format!("\n\n{title} ({name}):\n{body}"));
            let lang = if name.ends_with(".json") {
                "json"
            } else {
                "yaml"
            };
            md.push_str(&format!("\n\n{title} (`{name}`):\n\n```{lang}\n{body}```"));
        }
    }
    (text, md)
}

fn rule_json(r: &Rule) -> Value {
    let (text, markdown) = rule_help(r);
    let family = r.id.split('/').next().unwrap_or(r.id);
    json!({
        "id": r.id,
        "name": r.id,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.docs },
        "help": { "text": text, "markdown": markdown },
        "helpUri": r.help_uri(),
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": { "tags": [family] },
    })
}

pub struct SarifReporter {
    cwd: Option<PathBuf>,
    rules: Vec<&'static Rule>,
    first: bool,
}

impl SarifReporter {
    pub fn new(cwd: Option<PathBuf>) -> Self {
        SarifReporter {
            cwd,
            rules: rules::all(),
            first: true,
        }
    }

    /// An artifact location: relative to the working directory (`%SRCROOT%`) when below it.
    fn artifact(&self, path: &Path) -> Value {
        let shown = display_path(path, self.cwd.as_deref());
        if Path::new(&shown).is_relative() {
            json!({ "uri": uri_path(&shown), "uriBaseId": "%SRCROOT%" })
        } else {
            json!({ "uri": format!("file://{}", uri_path(&shown)) })
        }
    }

    fn region(start: &Pos, end: &Pos, snippet: Option<&str>) -> Value {
        let mut r = json!({
            "startLine": start.line,
            "startColumn": start.column_utf16,
            "endLine": end.line,
            "endColumn": end.column_utf16,
        });
        if let Some(s) = snippet {
            r["snippet"] = json!({ "text": s });
        }
        r
    }

    fn result(&self, file: &FileReport, f: &Located) -> Value {
        let here = self.artifact(&file.path);
        let rule_index = self.rules.iter().position(|r| r.id == f.finding.rule);
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let artifact = match &r.path {
                    Some(p) => self.artifact(p),
                    None => here.clone(),
                };
                json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": Self::region(&r.start, &r.end, None),
                    },
                    "message": { "text": r.message },
                })
            })
            .collect();
        let fixes: Vec<Value> = f
            .finding
            .fixes
            .iter()
            .zip(&f.fix_edits)
            .map(|(fix, edits)| {
                let mut changes: Vec<(Value, Vec<Value>)> = Vec::new();
                for (path, start, end, text) in edits {
                    let artifact = match path {
                        Some(p) => self.artifact(p),
                        None => here.clone(),
                    };
                    let replacement = json!({
                        "deletedRegion": Self::region(start, end, None),
                        "insertedContent": { "text": text },
                    });
                    match changes.iter_mut().find(|(a, _)| *a == artifact) {
                        Some((_, reps)) => reps.push(replacement),
                        None => changes.push((artifact, vec![replacement])),
                    }
                }
                json!({
                    "description": { "text": fix.title },
                    "artifactChanges": changes.into_iter().map(|(a, r)| json!({
                        "artifactLocation": a,
                        "replacements": r,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut result = json!({
            "ruleId": f.finding.rule,
            "level": level(f.finding.severity),
            "message": { "text": f.finding.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": here,
                    "region": Self::region(&f.start, &f.end, f.line_text.as_deref().filter(|l| l.len() <= 400)),
                },
            }],
            "partialFingerprints": { "lambdaLs/v1": fingerprint(&file.display, f) },
        });
        if let Some(i) = rule_index {
            result["ruleIndex"] = json!(i);
        }
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        if !fixes.is_empty() {
            result["fixes"] = Value::Array(fixes);
        }
        result
    }
}

/// Stable across edits elsewhere in the file: the rule, the file and the trimmed text of the line.
fn fingerprint(display: &str, f: &Located) -> String {
    // FNV-1a: stable across platforms and releases, unlike the standard library's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        f.finding.rule,
        display,
        f.line_text.as_deref().unwrap_or("").trim(),
        &f.finding.message,
    ] {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

impl Reporter for SarifReporter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let driver = json!({
            "name": "lambda-ls",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/lambda-ls/lambda-ls",
            "rules": self.rules.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
        });
        let root = self
            .cwd
            .as_deref()
            .map(|c| {
                let s = uri_path(&c.display().to_string());
                let s = if s.ends_with('/') { s } else { format!("{s}/") };
                format!("file://{s}")
            })
            .unwrap_or_else(|| "file:///".into());
        let base_ids = json!({ "%SRCROOT%": { "uri": root } });
        write!(
            out,
            "{{\n  \"$schema\": \"{SCHEMA_URI}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {}\n      }},\n      \"columnKind\": \"utf16CodeUnits\",\n      \"originalUriBaseIds\": {},\n      \"results\": [",
            pretty_indented(&driver, 8),
            pretty_indented(&base_ids, 6),
        )
    }

    fn finding(&mut self, out: &mut dyn Write, file: &FileReport, f: &Located) -> io::Result<()> {
        let sep = if self.first { "" } else { "," };
        self.first = false;
        write!(
            out,
            "{sep}\n        {}",
            pretty_indented(&self.result(file, f), 8)
        )
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let close = if self.first { "]" } else { "\n      ]" };
        let notes: Vec<Value> = summary
            .skipped
            .iter()
            .map(|s| {
                json!({
                    "level": "warning",
                    "message": { "text": format!("not checked: {}", s.reason) },
                    "locations": [{ "physicalLocation": { "artifactLocation": self.artifact(Path::new(&s.display)) } }],
                })
            })
            .collect();
        let invocation = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }]);
        writeln!(
            out,
            "{close},\n      \"invocations\": {}\n    }}\n  ]\n}}",
            pretty_indented(&invocation, 6)
        )
    }
}
