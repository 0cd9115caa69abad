//! Human-readable output: `file:line:col: severity[rule] message`, the source line with a caret underline,
//! related locations, and a summary line.

use super::{FileReport, Report};
use crate::rules::{Finding, Severity};
use crate::text::position::line_col_chars;
use ropey::Rope;
use std::fmt::Write;

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;34",
            Severity::Hint => "1;36",
        };
        self.paint(code, sev.as_str())
    }
}

pub fn render(report: &Report, style: &Style, quiet: bool) -> String {
    let mut out = String::new();
    for file in &report.files {
        let rope = file.text.as_deref().map(Rope::from_str);
        for f in &file.findings {
            render_finding(&mut out, file, rope.as_ref(), f, style, quiet);
        }
    }
    if !quiet {
        for s in &report.skipped {
            let _ = writeln!(out, "{}: skipped: {}", s.display, s.reason);
        }
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let others = report.count(Severity::Info) + report.count(Severity::Hint);
    let files = report.checked();
    let summary = if errors + warnings + others == 0 {
        format!(
            "No problems found in {files} {}.",
            plural(files, "file", "files")
        )
    } else {
        format!(
            "Found {errors} {}, {warnings} {} and {others} {} in {files} {}.",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(others, "note", "notes"),
            plural(files, "file", "files"),
        )
    };
    if !quiet || errors + warnings + others > 0 {
        let _ = writeln!(out, "{}", style.paint("1", &summary));
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn render_finding(
    out: &mut String,
    file: &FileReport,
    rope: Option<&Rope>,
    f: &Finding,
    style: &Style,
    quiet: bool,
) {
    let (line, col) = rope
        .map(|r| line_col_chars(r, f.span.start))
        .unwrap_or((1, 1));
    let _ = writeln!(
        out,
        "{}:{line}:{col}: {}[{}] {}",
        style.paint("1", &file.display),
        style.severity(f.severity),
        f.rule,
        f.message
    );
    if quiet {
        return;
    }
    if let Some(rope) = rope {
        frame(out, rope, f.span.clone(), style);
    }
    for r in &f.related {
        let shown = match &r.path {
            Some(p) => p.display().to_string(),
            None => {
                let (l, c) = rope
                    .map(|rp| line_col_chars(rp, r.span.start))
                    .unwrap_or((1, 1));
                format!("{}:{l}:{c}", file.display)
            }
        };
        let _ = writeln!(
            out,
            "  {} {}: {}",
            style.paint("36", "note:"),
            shown,
            r.message
        );
    }
    if let Some(fix) = f.fixes.first() {
        let _ = writeln!(out, "  {} {}", style.paint("32", "fix:"), fix.title);
    }
}

/// The source line of the span's start, with a caret line under the span (clipped to that line).
fn frame(out: &mut String, rope: &Rope, span: std::ops::Range<usize>, style: &Style) {
    let start = span.start.min(rope.len_bytes());
    let line_idx = rope.byte_to_line(start);
    let line = rope.line(line_idx).to_string();
    let line = line.trim_end_matches(['\n', '\r']);
    // Frames of minified or generated files would flood the terminal.
    if line.chars().count() > 200 {
        return;
    }
    let line_start = rope.line_to_byte(line_idx);
    let col = rope.byte_to_char(start) - rope.line_to_char(line_idx);
    let end = span.end.min(line_start + line.len()).max(start);
    let width = (rope.byte_to_char(end) - rope.byte_to_char(start)).max(1);
    let number = (line_idx + 1).to_string();
    let gutter = " ".repeat(number.len());
    let pad: String = line
        .chars()
        .take(col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{gutter} {}", style.paint("34", "|"));
    let _ = writeln!(
        out,
        "{} {} {line}",
        style.paint("34", &number),
        style.paint("34", "|")
    );
    let _ = writeln!(
        out,
        "{gutter} {} {pad}{}",
        style.paint("34", "|"),
        style.paint("1;31", &"^".repeat(width))
    );
}
