//! Editor features in our own terms (byte spans, paths, markdown): completion, hover, navigation, code
//! lenses, symbols. The LSP edge converts these to protocol types; nothing here knows LSP. Each feature
//! asks the families (IAM, function, handler) in turn; they answer only for what they understand.

use crate::text::Span;
use crate::workspace::{Env, Parsed};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Value,
    Property,
    Function,
    Module,
    Constant,
    Snippet,
    Reference,
    EnumMember,
    Event,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown next to the label (an access level, a lifecycle date).
    pub detail: Option<String>,
    /// Markdown shown beside the list.
    pub documentation: Option<String>,
    /// The text that replaces `replace`; with `snippet`, LSP snippet syntax (`${1:name}`).
    pub insert_text: String,
    pub snippet: bool,
    /// The span the insert text replaces (the word being typed).
    pub replace: Span,
    pub sort_text: Option<String>,
    pub filter_text: Option<String>,
    pub deprecated: bool,
}

impl CompletionItem {
    pub fn new(label: impl Into<String>, kind: CompletionKind, replace: Span) -> CompletionItem {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            snippet: false,
            replace,
            sort_text: None,
            filter_text: None,
            deprecated: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub path: PathBuf,
    pub span: Span,
}

/// A command shown above a span ("▶ Invoke"). `command` and `arguments` go to `workspace/executeCommand`.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeLens {
    pub span: Span,
    pub title: String,
    pub command: String,
    pub arguments: Vec<serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Function,
    Object,
    Event,
    Key,
    Module,
    Property,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// Completion items at `offset`.
pub fn completion(file: &Parsed, offset: usize, env: &Env) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    out.extend(crate::iam::complete::completion(file, offset));
    out.extend(crate::handler::ide::completion(file, offset, env));
    out.extend(crate::function::ide::completion(file, offset, env));
    out.extend(crate::template::ide::completion(file, offset, env));
    out
}

/// Hover at `offset`.
pub fn hover(file: &Parsed, offset: usize, env: &Env) -> Option<Hover> {
    // Most specific first: a policy element, a handler value, a reference, then a property.
    crate::iam::hover::hover(file, offset)
        .or_else(|| crate::handler::ide::hover(file, offset, env))
        .or_else(|| crate::template::ide::hover(file, offset, env))
        .or_else(|| crate::function::ide::hover(file, offset, env))
        .or_else(|| crate::privilege::hover(file, offset, env))
}

/// Where the thing at `offset` is defined.
pub fn definition(file: &Parsed, offset: usize, env: &Env) -> Vec<Location> {
    let mut out = Vec::new();
    out.extend(crate::handler::ide::definition(file, offset, env));
    out.extend(crate::template::ide::definition(file, offset, env));
    out
}

/// Where the thing at `offset` is used.
pub fn references(file: &Parsed, offset: usize, env: &Env) -> Vec<Location> {
    let mut out = Vec::new();
    out.extend(crate::handler::ide::references(file, offset, env));
    out.extend(crate::template::ide::references(file, offset, env));
    out
}

pub fn code_lenses(file: &Parsed, env: &Env) -> Vec<CodeLens> {
    let mut out = crate::invoke::lenses::config_lenses(file);
    out.extend(crate::handler::ide::code_lenses(file, env));
    out
}

pub fn symbols(file: &Parsed, env: &Env) -> Vec<Symbol> {
    let mut out = Vec::new();
    out.extend(crate::template::ide::symbols(file, env));
    out
}
