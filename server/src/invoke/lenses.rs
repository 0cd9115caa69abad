//! "▶ Invoke" and "Invoke with event…" above every function a config declares. The lenses only offer the
//! command: code runs when the user clicks.

use crate::function::model;
use crate::ide::CodeLens;
use crate::workspace::{FileKind, Parsed};
use std::path::Path;

pub const INVOKE: &str = "lambda-ls.invoke";
pub const INVOKE_WITH_EVENT: &str = "lambda-ls.invokeWithEvent";
/// Lists what "Invoke with event…" can offer (sample types, the project's event files).
pub const EVENT_CHOICES: &str = "lambda-ls.eventChoices";

/// The argument object of both commands.
pub fn argument(config: &Path, function: &str) -> serde_json::Value {
    serde_json::json!({"config": config.to_string_lossy(), "function": function})
}

/// The pair of lenses for one function, at `span`.
pub fn pair(span: crate::text::Span, config: &Path, function: &str) -> [CodeLens; 2] {
    [
        CodeLens {
            span: span.clone(),
            title: "▶ Invoke".into(),
            command: INVOKE.into(),
            arguments: vec![argument(config, function)],
        },
        CodeLens {
            span,
            title: "Invoke with event…".into(),
            command: INVOKE_WITH_EVENT.into(),
            arguments: vec![argument(config, function)],
        },
    ]
}

/// Lenses above each function resource of a template or function of a serverless.yml.
pub fn config_lenses(file: &Parsed) -> Vec<CodeLens> {
    if !matches!(file.kind, FileKind::Template | FileKind::Serverless) {
        return Vec::new();
    }
    model::functions(file)
        .iter()
        .flat_map(|f| pair(f.name_span.clone(), &file.path, &f.name))
        .collect()
}
