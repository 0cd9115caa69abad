//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), shown on the pull request's diff.

use super::{FileReport, Located, Reporter, Summary};
use crate::rules::Severity;
use std::io::{self, Write};

/// Escapes a command's message: `%`, CR and LF would otherwise end or corrupt the command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

pub struct GithubReporter {
    pub quiet: bool,
}

impl Reporter for GithubReporter {
    fn finding(&mut self, out: &mut dyn Write, file: &FileReport, f: &Located) -> io::Result<()> {
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(f.finding.severity),
            escape_property(&file.display),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&format!("lambda-ls {}", f.finding.rule)),
            escape_data(&f.finding.message),
        )
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        for s in &summary.skipped {
            writeln!(
                out,
                "::warning file={},title={}::{}",
                escape_property(&s.display),
                escape_property("lambda-ls skipped"),
                escape_data(&format!("not checked: {}", s.reason))
            )?;
        }
        if !self.quiet {
            writeln!(
                out,
                "lambda-ls: {} errors, {} warnings, {} notes in {} files",
                summary.error,
                summary.warning,
                summary.info + summary.hint,
                summary.files_checked
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(escape_data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
