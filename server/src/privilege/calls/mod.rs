//! AWS SDK calls in code: which operation of which service each call performs, and the resource it names
//! when that is a literal or an environment variable. Each language finds its candidate nodes with the
//! tree-sitter queries in `grammars/<lang>/sdk.scm` and follows the values (clients, resources,
//! sessions) through a small flow-insensitive binding table: module-level clients used in functions,
//! clients kept on `self`/`this` or in struct fields, and clients passed to the module's own functions.
//!
//! What cannot be known stays unknown: a client whose service is computed, or a method picked at run time
//! (`getattr(client, name)`, `client[op]`), is recorded as such and never guessed.

pub mod go;
pub mod js;
pub mod python;

use super::sdk::{sdk, OpRef};
use crate::syntax::Lang;
use crate::text::Span;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tree_sitter::Node;

/// The resource a call names, when the code says it plainly.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Literal(String),
    /// An environment variable (`os.environ["TABLE"]`, `process.env.TABLE`, `os.Getenv("TABLE")`).
    Env(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub op: OpRef,
    /// The method name or command that performs the operation.
    pub span: Span,
    pub target: Option<Target>,
    /// How the code calls it, for hovers (`boto3`, `AWS SDK for JavaScript v3`, …).
    pub sdk: &'static str,
    /// The top-level definition the call sits in (`None`: module level).
    pub scope: Option<String>,
}

/// A call the tool cannot map: the service or the operation is computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub span: Span,
    pub service: Option<usize>,
    pub scope: Option<String>,
}

/// An import of another module, to follow inside the project.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// As written: `lib.db`, `.db`, `./lib/db`, `example.com/app/internal/db`.
    pub spec: String,
    /// The names taken from it; empty means the whole module.
    pub names: Vec<String>,
}

/// What one code file does with the AWS SDK.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileCalls {
    pub calls: Vec<Call>,
    pub unknown: Vec<Unknown>,
    pub imports: Vec<Import>,
    /// Top-level definitions and the identifiers each one mentions, to follow calls inside a module.
    pub refs: HashMap<String, HashSet<String>>,
}

impl FileCalls {
    /// The scopes reachable from `names` (every scope when `names` is empty), plus module level.
    pub fn reachable(&self, names: &[String]) -> Option<HashSet<String>> {
        if names.is_empty() || names.iter().any(|n| n == "*" || n == "default") {
            return None;
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = names.to_vec();
        while let Some(n) = todo.pop() {
            if !self.refs.contains_key(&n) || !seen.insert(n.clone()) {
                continue;
            }
            for r in &self.refs[&n] {
                if self.refs.contains_key(r) && !seen.contains(r) {
                    todo.push(r.clone());
                }
            }
        }
        Some(seen)
    }
}

/// Extracts the SDK use of `text` parsed as `lang`.
pub fn extract(lang: Lang, text: &str) -> FileCalls {
    let Some(tree) = crate::syntax::parse_shared(lang, text) else {
        return FileCalls::default();
    };
    match lang {
        Lang::Python => python::extract(&tree, text),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::extract(lang, &tree, text),
        Lang::Go => go::extract(&tree, text),
        _ => FileCalls::default(),
    }
}

type Cache = HashMap<PathBuf, (u64, Arc<FileCalls>)>;

/// The SDK use of a file's current text, cached by content.
pub fn of_file(path: &Path, lang: Lang, text: &str) -> Arc<FileCalls> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let hash = crate::workspace::files::hash_text(text);
    if let Ok(map) = cache.lock() {
        if let Some((h, c)) = map.get(path) {
            if *h == hash {
                return c.clone();
            }
        }
    }
    let calls = Arc::new(extract(lang, text));
    if let Ok(mut map) = cache.lock() {
        // Bounded, yet large enough that a monorepo's handler files are each extracted once per run.
        if map.len() >= 32_768 {
            map.clear();
        }
        map.insert(path.to_path_buf(), (hash, calls.clone()));
    }
    calls
}

/// The request parameter that names the resource, per service (boto3 id); compared case-insensitively.
pub fn target_params(service: usize) -> &'static [&'static str] {
    match sdk().service(service).id.as_str() {
        "s3" => &["Bucket"],
        "dynamodb" => &["TableName"],
        "sqs" => &["QueueUrl"],
        "sns" => &["TopicArn"],
        "lambda" => &["FunctionName"],
        "stepfunctions" => &["stateMachineArn"],
        "secretsmanager" => &["SecretId"],
        "ssm" => &["Name"],
        "kinesis" => &["StreamName", "StreamARN"],
        "firehose" => &["DeliveryStreamName"],
        "events" => &["EventBusName"],
        _ => &[],
    }
}

/// The source text of a node.
pub(crate) fn text_of<'a>(node: Node, text: &'a str) -> &'a str {
    text.get(node.byte_range()).unwrap_or("")
}

/// The text of a string literal without quotes, when it has no interpolation.
pub(crate) fn string_literal(node: Node, text: &str) -> Option<String> {
    let kind = node.kind();
    let raw = text_of(node, text);
    match kind {
        "string" | "interpreted_string_literal" | "raw_string_literal" | "template_string" => {}
        _ => return None,
    }
    // Python f-strings, JavaScript templates with `${}`: computed.
    let mut c = node.walk();
    if node.children(&mut c).any(|ch| {
        matches!(
            ch.kind(),
            "interpolation" | "template_substitution" | "escape_sequence"
        )
    }) {
        return None;
    }
    let trimmed =
        raw.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != '"' && c != '\'');
    let q = trimmed.chars().next()?;
    if !matches!(q, '"' | '\'' | '`') {
        return None;
    }
    let quote_len = if trimmed.starts_with("\"\"\"") || trimmed.starts_with("'''") {
        3
    } else {
        1
    };
    if trimmed.len() < 2 * quote_len {
        return None;
    }
    Some(trimmed[quote_len..trimmed.len() - quote_len].to_string())
}

/// The enclosing top-level definition's name for a node, given the top-level definitions' spans.
pub(crate) fn scope_of(defs: &[(String, Span)], at: usize) -> Option<String> {
    defs.iter()
        .find(|(_, s)| s.start <= at && at < s.end)
        .map(|(n, _)| n.clone())
}

/// Every identifier inside `node` (for the references between top-level definitions).
pub(crate) fn identifiers(node: Node, text: &str, out: &mut HashSet<String>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(
            n.kind(),
            "identifier" | "property_identifier" | "field_identifier" | "type_identifier"
        ) {
            out.insert(text_of(n, text).to_string());
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            stack.push(ch);
        }
    }
}

#[cfg(test)]
mod tests;
