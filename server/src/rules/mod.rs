//! Findings and the rule registry. Every finding names a rule with a stable id, a default severity and docs
//! (`lambda-ls rules ID`); each rule carries a failing and a passing example that the test suite runs.

pub mod reference;
mod registry;

pub use registry::{all, find};

use crate::text::Span;
use std::path::PathBuf;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// A file of an example project: its path relative to the project root and its text.
pub type ExampleFile = (&'static str, &'static str);

/// A rule: what it finds, why it matters, and a minimal failing and passing project. The first file of each
/// example is the one the rule reports on.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub docs: &'static str,
    pub bad: &'static [ExampleFile],
    pub good: &'static [ExampleFile],
}

impl Rule {
    /// Where the rule's documentation lives online (the README section of the rule's family).
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/lambda-ls/lambda-ls/blob/main/server/RULES.md#{}",
            reference::anchor(self.id)
        )
    }
}

/// A place in another file (or this one) that explains a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    /// `None` means the file the finding is in.
    pub path: Option<PathBuf>,
    pub span: Span,
    pub message: String,
}

/// A text edit, possibly in another file.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub path: Option<PathBuf>,
    pub span: Span,
    pub new_text: String,
}

/// A quick fix: a titled set of edits. `preferred` marks the one obvious fix (shown first, applied by
/// "fix all" in editors that support it).
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub preferred: bool,
}

impl Fix {
    pub fn replace(title: impl Into<String>, span: Span, new_text: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                path: None,
                span,
                new_text: new_text.into(),
            }],
            preferred: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    /// The finding marks code that has no effect (editors fade it).
    pub unnecessary: bool,
    /// The finding marks something deprecated (editors strike it through).
    pub deprecated: bool,
}

impl Finding {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            span,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
            unnecessary: false,
            deprecated: false,
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fixes.push(fix);
        self
    }

    pub fn with_related(
        mut self,
        path: Option<PathBuf>,
        span: Span,
        message: impl Into<String>,
    ) -> Finding {
        self.related.push(Related {
            path,
            span,
            message: message.into(),
        });
        self
    }
}
