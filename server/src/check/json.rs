//! `--format json`: a documented, versioned schema (README, "JSON output"). Adding a field keeps the
//! version; removing or changing one bumps `SCHEMA_VERSION`. Written as findings arrive, so a run over a
//! large repository never holds every finding in memory.

use super::{display_path, FileReport, Located, Pos, Reporter, Summary};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::PathBuf;

pub const SCHEMA_VERSION: u32 = 1;

fn pos(p: &Pos) -> Value {
    json!({ "line": p.line, "column": p.column, "offset": p.offset })
}

pub struct JsonReporter {
    pub cwd: Option<PathBuf>,
    first: bool,
}

impl JsonReporter {
    pub fn new(cwd: Option<PathBuf>) -> Self {
        JsonReporter { cwd, first: true }
    }

    fn path_of(&self, p: &Option<PathBuf>, display: &str) -> String {
        match p {
            Some(p) => display_path(p, self.cwd.as_deref()),
            None => display.to_string(),
        }
    }

    pub fn finding_json(&self, display: &str, f: &Located) -> Value {
        let related: Vec<Value> = f
            .related
            .iter()
            .map(|r| {
                json!({
                    "path": self.path_of(&r.path, display),
                    "start": pos(&r.start),
                    "end": pos(&r.end),
                    "message": r.message,
                })
            })
            .collect();
        let fixes: Vec<Value> = f
            .finding
            .fixes
            .iter()
            .zip(&f.fix_edits)
            .map(|(fix, edits)| {
                json!({
                    "title": fix.title,
                    "preferred": fix.preferred,
                    "edits": edits.iter().map(|(path, start, end, text)| json!({
                        "path": self.path_of(path, display),
                        "start": start.offset,
                        "end": end.offset,
                        "start_position": pos(start),
                        "end_position": pos(end),
                        "new_text": text,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let help_uri = crate::rules::find(f.finding.rule).map(|r| r.help_uri());
        json!({
            "path": display,
            "rule": f.finding.rule,
            "severity": f.finding.severity.as_str(),
            "message": f.finding.message,
            "start": pos(&f.start),
            "end": pos(&f.end),
            "related": related,
            "fixes": fixes,
            "help_uri": help_uri,
        })
    }
}

/// `v` pretty-printed with every line after the first indented by `indent` spaces.
pub(crate) fn pretty_indented(v: &Value, indent: usize) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
    let pad = " ".repeat(indent);
    s.replace('\n', &format!("\n{pad}"))
}

impl Reporter for JsonReporter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let tool = json!({ "name": "lambda-ls", "version": env!("CARGO_PKG_VERSION") });
        write!(
            out,
            "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"tool\": {},\n  \"findings\": [",
            pretty_indented(&tool, 2)
        )
    }

    fn finding(&mut self, out: &mut dyn Write, file: &FileReport, f: &Located) -> io::Result<()> {
        let sep = if self.first { "" } else { "," };
        self.first = false;
        write!(
            out,
            "{sep}\n    {}",
            pretty_indented(&self.finding_json(&file.display, f), 4)
        )
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let close = if self.first { "]" } else { "\n  ]" };
        let skipped: Vec<Value> = summary
            .skipped
            .iter()
            .map(|s| json!({ "path": s.display, "reason": s.reason }))
            .collect();
        let totals = json!({
            "files_seen": summary.files_seen,
            "files_checked": summary.files_checked,
            "error": summary.error,
            "warning": summary.warning,
            "info": summary.info,
            "hint": summary.hint,
            "shown": summary.shown,
            "truncated": summary.truncated(),
        });
        writeln!(
            out,
            "{close},\n  \"skipped\": {},\n  \"summary\": {}\n}}",
            pretty_indented(&Value::Array(skipped), 2),
            pretty_indented(&totals, 2)
        )
    }
}
