//! What a file is, decided by its name and its content: not every YAML file is a template.

use crate::syntax::{Lang, Value};
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A CloudFormation or SAM template (JSON or YAML).
    Template,
    /// A Serverless Framework `serverless.yml`.
    Serverless,
    /// A standalone IAM policy document (JSON).
    Policy,
    /// Handler source code.
    Code(Lang),
    /// Anything else: not ours, no findings.
    Other,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Template => "template",
            FileKind::Serverless => "serverless",
            FileKind::Policy => "policy",
            FileKind::Code(_) => "code",
            FileKind::Other => "other",
        }
    }

    /// Kinds whose content is a JSON or YAML value tree.
    pub fn is_config(self) -> bool {
        matches!(
            self,
            FileKind::Template | FileKind::Serverless | FileKind::Policy
        )
    }
}

pub fn is_serverless_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n == "serverless.yml" || n == "serverless.yaml" || n == "serverless.json"
    })
}

/// A cheap guess from the name and a scan of the text, before parsing. `None` means "parse to know".
/// Files whose text cannot be ours are ruled out here, so `check` does not parse every JSON in a repo.
pub fn sniff(path: &Path, text: &str) -> FileKind {
    let lang = Lang::from_path(path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let is_data = matches!(lang, Some(Lang::Json) | Some(Lang::Yaml)) || ext == "template";
    if is_data {
        if is_serverless_name(path) {
            return FileKind::Serverless;
        }
        if text.contains("AWSTemplateFormatVersion")
            || text.contains("AWS::Serverless")
            || (text.contains("Resources") && text.contains("AWS::"))
        {
            return FileKind::Template;
        }
        if lang == Some(Lang::Json) && text.contains("\"Statement\"") {
            return FileKind::Policy;
        }
        return FileKind::Other;
    }
    match lang {
        Some(l) => FileKind::Code(l),
        None => FileKind::Other,
    }
}

/// Confirms a sniffed kind against the parsed value: a JSON file that merely mentions `"Statement"` deep
/// inside, or a YAML file that mentions `AWS::` in a comment, is not ours.
pub fn confirm(kind: FileKind, value: Option<&Value>) -> FileKind {
    let Some(root) = value.filter(|v| v.as_map().is_some()) else {
        // Broken or half-typed text: keep the guess so its syntax errors are shown.
        return if value.is_none() {
            kind
        } else {
            FileKind::Other
        };
    };
    match kind {
        FileKind::Template => {
            let resources_typed =
                root.get("Resources")
                    .and_then(|r| r.as_map())
                    .is_some_and(|rs| {
                        rs.iter().any(|(_, r)| {
                            r.get("Type")
                                .and_then(|t| t.as_str())
                                .is_some_and(|t| t.contains("::"))
                        })
                    });
            let header = root.get("AWSTemplateFormatVersion").is_some()
                || root.get("Transform").is_some_and(|t| {
                    t.one_or_many()
                        .iter()
                        .any(|v| v.as_str().is_some_and(|s| s.starts_with("AWS::")))
                });
            if resources_typed || header {
                FileKind::Template
            } else {
                FileKind::Other
            }
        }
        FileKind::Serverless => {
            if root.get("service").is_some()
                || root.get("provider").is_some()
                || root.get("functions").is_some()
            {
                FileKind::Serverless
            } else {
                FileKind::Other
            }
        }
        FileKind::Policy => {
            if root.get("Statement").is_some() {
                FileKind::Policy
            } else {
                FileKind::Other
            }
        }
        other => other,
    }
}
