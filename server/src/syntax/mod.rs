//! Parsing: tree-sitter syntax trees for every language we read, and the value tree for JSON and YAML.

mod errors;
mod json;
pub mod rules;
#[cfg(test)]
mod tests;
pub mod value;
mod yaml;
mod yaml_direct;

pub use rules::RULES;
pub use value::{Key, PathSeg, Value, ValueKind};

use crate::rules::Finding;
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use tree_sitter::{Language, Parser, Tree};

/// Languages with a tree-sitter grammar in the binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Json,
    Yaml,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Ruby,
    Java,
}

impl Lang {
    pub fn language(self) -> Language {
        match self {
            Lang::Json => tree_sitter_json::LANGUAGE.into(),
            Lang::Yaml => tree_sitter_yaml::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
        }
    }

    /// The language of a file, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => Lang::Json,
            "yaml" | "yml" => Lang::Yaml,
            "py" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "go" => Lang::Go,
            "rb" => Lang::Ruby,
            "java" => Lang::Java,
            _ => return None,
        })
    }
}

/// Parsing gives up after this long; a pathological input then gets a diagnostic instead of a hang.
const PARSE_BUDGET: Duration = Duration::from_secs(5);

thread_local! {
    static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parses `text`, reusing `old` (already `edit`ed to match `text`) for an incremental reparse. `None` only
/// when the time budget ran out.
pub fn parse(lang: Lang, text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let idx = match parsers.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&lang.language()).ok()?;
                parsers.push((lang, parser));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[idx].1;
        let started = Instant::now();
        let mut progress = |_: &tree_sitter::ParseState| {
            if started.elapsed() > PARSE_BUDGET {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            old,
            Some(options),
        );
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}

thread_local! {
    static LAST_CODE_TREE: RefCell<Option<(Lang, u64, Tree)>> = const { RefCell::new(None) };
}

/// `parse` without an old tree, sharing the result with the next caller on this thread that asks for the
/// same text: a handler file is read for its definitions and then for its SDK calls, one after the other.
pub fn parse_shared(lang: Lang, text: &str) -> Option<Tree> {
    let hash = crate::workspace::files::hash_text(text);
    let hit = LAST_CODE_TREE.with(|cell| {
        cell.borrow()
            .as_ref()
            .filter(|(l, h, _)| *l == lang && *h == hash)
            .map(|(_, _, t)| t.clone())
    });
    if hit.is_some() {
        return hit;
    }
    let tree = parse(lang, text, None)?;
    LAST_CODE_TREE.with(|cell| *cell.borrow_mut() = Some((lang, hash, tree.clone())));
    Some(tree)
}

/// The value tree of a JSON or YAML document plus every syntax finding (parse errors, duplicate keys,
/// nesting and alias limits).
#[derive(Debug, Default)]
pub struct ValueDoc {
    pub value: Option<Value>,
    pub findings: Vec<Finding>,
}

/// Builds the value tree from a parsed JSON or YAML tree.
pub fn build_value(lang: Lang, tree: &Tree, text: &str) -> ValueDoc {
    let mut findings = errors::collect(tree, text, lang);
    let value = match lang {
        Lang::Json => json::build(tree, text, &mut findings),
        Lang::Yaml => yaml::build(tree, text, &mut findings),
        _ => None,
    };
    ValueDoc { value, findings }
}

/// A well-formed YAML document read straight into the value tree, with its comment spans; `None` when
/// it needs the tree-sitter path (syntax errors, anchors, several documents, …). Many times faster than
/// parsing, and what makes an edit in a large template cheap.
pub fn read_yaml(text: &str) -> Option<(ValueDoc, Vec<crate::text::Span>)> {
    let d = yaml_direct::read(text)?;
    Some((
        ValueDoc {
            value: d.value,
            findings: d.findings,
        },
        d.comments,
    ))
}

/// Parse and build in one go (for callers without an incremental tree).
pub fn parse_value(lang: Lang, text: &str) -> ValueDoc {
    match parse(lang, text, None) {
        Some(tree) => build_value(lang, &tree, text),
        None => ValueDoc {
            value: None,
            findings: vec![Finding::new(
                &rules::PARSE_TIMEOUT,
                0..0,
                "the file took too long to parse and was skipped",
            )],
        },
    }
}

/// Nesting deeper than this is reported and cut off; real templates and policies stay far below it.
pub const MAX_DEPTH: usize = 256;

/// Alias expansion may create at most this many nodes in one document (a "billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 200_000;

/// Shared by the JSON and YAML builders: inserts an entry, reporting a duplicate key.
pub(crate) fn push_entry(
    entries: &mut Vec<(Key, Value)>,
    key: Key,
    value: Value,
    findings: &mut Vec<Finding>,
) {
    if let Some(pos) = entries.iter().position(|(k, _)| k.text == key.text) {
        let first = entries[pos].0.span.clone();
        findings.push(
            Finding::new(
                &rules::DUPLICATE_KEY,
                key.span.clone(),
                format!("duplicate key `{}`", key.text),
            )
            .with_related(None, first, "first defined here"),
        );
        // Later wins, as in every JSON and YAML loader CloudFormation and IAM use.
        entries.remove(pos);
    }
    entries.push((key, value));
}

/// A one-key map whose key is an intrinsic function's long name becomes an `Intrinsic` node.
pub(crate) fn fold_intrinsic(span: crate::text::Span, mut entries: Vec<(Key, Value)>) -> Value {
    if entries.len() == 1 {
        let is_intrinsic = {
            let k = &entries[0].0.text;
            k != "Condition" && value::INTRINSICS.contains(&k.as_str())
        };
        if is_intrinsic {
            if let Some((key, arg)) = entries.pop() {
                return Value::new(
                    span,
                    ValueKind::Intrinsic {
                        name: key.text,
                        name_span: key.span,
                        arg: Box::new(arg),
                    },
                );
            }
        }
    }
    Value::new(span, ValueKind::Map(entries))
}

/// The direct YAML reader's answer, when it gives one, next to what the tree-sitter path builds; tests and
/// the fuzz target hold them equal.
#[doc(hidden)]
pub fn yaml_both_ways(text: &str) -> (Option<ValueDoc>, ValueDoc) {
    (
        read_yaml(text).map(|(doc, _)| doc),
        parse_value(Lang::Yaml, text),
    )
}
