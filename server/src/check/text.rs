//! Human-readable output: `file:line:col: severity[rule] message`, the source line with a caret underline,
//! related locations, the first fix, and a summary line.

use super::{display_path, FileReport, Located, Reporter, Summary};
use crate::rules::Severity;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

pub struct TextReporter {
    pub style: Style,
    /// Findings only: no code frames, no notes, no summary when clean.
    pub quiet: bool,
    pub cwd: Option<PathBuf>,
}

impl TextReporter {
    fn shown_path(&self, p: &Path) -> String {
        display_path(p, self.cwd.as_deref())
    }
}

impl Reporter for TextReporter {
    fn finding(&mut self, out: &mut dyn Write, file: &FileReport, f: &Located) -> io::Result<()> {
        let style = &self.style;
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            style.paint("1", &file.display),
            f.start.line,
            f.start.column,
            style.severity(f.finding.severity),
            f.finding.rule,
            f.finding.message
        )?;
        if self.quiet {
            return Ok(());
        }
        if let Some(line) = &f.line_text {
            frame(out, line, f, style)?;
        }
        for r in &f.related {
            let shown = match &r.path {
                Some(p) => format!("{}:{}:{}", self.shown_path(p), r.start.line, r.start.column),
                None => format!("{}:{}:{}", file.display, r.start.line, r.start.column),
            };
            writeln!(
                out,
                "  {} {}: {}",
                style.paint("36", "note:"),
                shown,
                r.message
            )?;
        }
        if let Some(fix) = f.finding.fixes.first() {
            writeln!(out, "  {} {}", style.paint("32", "fix:"), fix.title)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if !self.quiet {
            for s in &summary.skipped {
                writeln!(out, "{}: skipped: {}", s.display, s.reason)?;
            }
        }
        let errors = summary.error;
        let warnings = summary.warning;
        let others = summary.info + summary.hint;
        let files = summary.files_checked;
        let line = if summary.total() == 0 {
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
        if !self.quiet || summary.total() > 0 {
            writeln!(out, "{}", self.style.paint("1", &line))?;
        }
        if summary.truncated() {
            writeln!(
                out,
                "Showing the first {} of {} findings (--max-findings).",
                summary.shown,
                summary.total()
            )?;
        }
        Ok(())
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// The source line of the span's start, with a caret line under the span (clipped to that line).
fn frame(out: &mut dyn Write, line: &str, f: &Located, style: &Style) -> io::Result<()> {
    // Frames of minified or generated files would flood the terminal.
    if line.chars().count() > 200 {
        return Ok(());
    }
    let col = f.start.column - 1;
    let line_chars = line.chars().count();
    let end_col = if f.end.line == f.start.line {
        (f.end.column - 1).min(line_chars)
    } else {
        line_chars
    };
    let width = end_col.saturating_sub(col).max(1);
    let number = f.start.line.to_string();
    let gutter = " ".repeat(number.len());
    let pad: String = line
        .chars()
        .take(col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    writeln!(out, "{gutter} {}", style.paint("34", "|"))?;
    writeln!(
        out,
        "{} {} {line}",
        style.paint("34", &number),
        style.paint("34", "|")
    )?;
    writeln!(
        out,
        "{gutter} {} {pad}{}",
        style.paint("34", "|"),
        style.paint("1;31", &"^".repeat(width))
    )
}
