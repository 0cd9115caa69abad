//! Our types ↔ LSP types. Positions are converted here and nowhere else.

use crate::ide;
use crate::rules::{Finding, Severity};
use crate::text::{position, Encoding, PosRange, Position};
use ropey::Rope;
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types as lsp;

pub fn pos_from_lsp(p: lsp::Position) -> Position {
    Position {
        line: p.line,
        character: p.character,
    }
}

pub fn range_from_lsp(r: lsp::Range) -> PosRange {
    PosRange {
        start: pos_from_lsp(r.start),
        end: pos_from_lsp(r.end),
    }
}

pub fn offset(rope: &Rope, p: lsp::Position, enc: Encoding) -> usize {
    position::offset_of(rope, pos_from_lsp(p), enc)
}

pub fn range(rope: &Rope, span: std::ops::Range<usize>, enc: Encoding) -> lsp::Range {
    let r = position::range_of(rope, span, enc);
    lsp::Range {
        start: lsp::Position {
            line: r.start.line,
            character: r.start.character,
        },
        end: lsp::Position {
            line: r.end.line,
            character: r.end.character,
        },
    }
}

pub fn path_of(uri: &lsp::Uri) -> PathBuf {
    match uri.to_file_path() {
        Some(p) => p.into_owned(),
        // Unsaved buffers (`untitled:`) still get a path so that kinds can be told by name.
        None => PathBuf::from(format!("/{}", uri.path().as_str().trim_start_matches('/'))),
    }
}

pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(path)
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Reads another file's text to place a related location or an edit in it.
pub type RopeFor<'a> = &'a dyn Fn(&Path) -> Option<Rope>;

pub fn diagnostic(
    f: &Finding,
    uri: &lsp::Uri,
    rope: &Rope,
    enc: Encoding,
    rope_for: RopeFor,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let (uri, range) = match &r.path {
                None => (uri.clone(), range(rope, r.span.clone(), enc)),
                Some(p) => {
                    let other = rope_for(p)?;
                    (uri_of(p)?, range(&other, r.span.clone(), enc))
                }
            };
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    let mut tags = Vec::new();
    if f.unnecessary {
        tags.push(lsp::DiagnosticTag::UNNECESSARY);
    }
    if f.deprecated {
        tags.push(lsp::DiagnosticTag::DEPRECATED);
    }
    let href = crate::rules::find(f.rule)
        .and_then(|r| r.help_uri().parse::<lsp::Uri>().ok())
        .map(|href| lsp::CodeDescription { href });
    lsp::Diagnostic {
        range: range(rope, f.span.clone(), enc),
        severity: Some(severity(f.severity)),
        code: Some(lsp::NumberOrString::String(f.rule.to_string())),
        code_description: href,
        source: Some("lambda-ls".into()),
        message: f.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

/// A fix as a workspace edit; `None` when a file it edits cannot be read.
pub fn workspace_edit(
    fix: &crate::rules::Fix,
    uri: &lsp::Uri,
    rope: &Rope,
    enc: Encoding,
    rope_for: RopeFor,
) -> Option<lsp::WorkspaceEdit> {
    let mut changes: std::collections::HashMap<lsp::Uri, Vec<lsp::TextEdit>> = Default::default();
    for e in &fix.edits {
        let (target, range) = match &e.path {
            None => (uri.clone(), range(rope, e.span.clone(), enc)),
            Some(p) => {
                let other = rope_for(p)?;
                (uri_of(p)?, range(&other, e.span.clone(), enc))
            }
        };
        changes.entry(target).or_default().push(lsp::TextEdit {
            range,
            new_text: e.new_text.clone(),
        });
    }
    Some(lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

pub fn completion_kind(k: ide::CompletionKind) -> lsp::CompletionItemKind {
    use ide::CompletionKind as K;
    match k {
        K::Keyword => lsp::CompletionItemKind::KEYWORD,
        K::Value => lsp::CompletionItemKind::VALUE,
        K::Property => lsp::CompletionItemKind::PROPERTY,
        K::Function => lsp::CompletionItemKind::FUNCTION,
        K::Module => lsp::CompletionItemKind::MODULE,
        K::Constant => lsp::CompletionItemKind::CONSTANT,
        K::Snippet => lsp::CompletionItemKind::SNIPPET,
        K::Reference => lsp::CompletionItemKind::REFERENCE,
        K::EnumMember => lsp::CompletionItemKind::ENUM_MEMBER,
        K::Event => lsp::CompletionItemKind::EVENT,
    }
}

pub fn completion_item(
    item: &ide::CompletionItem,
    rope: &Rope,
    enc: Encoding,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: item.label.clone(),
        kind: Some(completion_kind(item.kind)),
        detail: item.detail.clone(),
        documentation: item.documentation.as_ref().map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d.clone(),
            })
        }),
        deprecated: item.deprecated.then_some(true),
        sort_text: item.sort_text.clone(),
        filter_text: item.filter_text.clone(),
        insert_text_format: Some(if item.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(rope, item.replace.clone(), enc),
            new_text: item.insert_text.clone(),
        })),
        tags: item
            .deprecated
            .then(|| vec![lsp::CompletionItemTag::DEPRECATED]),
        ..Default::default()
    }
}

fn symbol_kind(k: ide::SymbolKind) -> lsp::SymbolKind {
    match k {
        ide::SymbolKind::Function => lsp::SymbolKind::FUNCTION,
        ide::SymbolKind::Object => lsp::SymbolKind::OBJECT,
        ide::SymbolKind::Event => lsp::SymbolKind::EVENT,
        ide::SymbolKind::Key => lsp::SymbolKind::KEY,
        ide::SymbolKind::Module => lsp::SymbolKind::MODULE,
        ide::SymbolKind::Property => lsp::SymbolKind::PROPERTY,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written out.
pub fn document_symbol(s: &ide::Symbol, rope: &Rope, enc: Encoding) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(rope, s.span.clone(), enc),
        selection_range: range(rope, s.selection.clone(), enc),
        children: (!s.children.is_empty()).then(|| {
            s.children
                .iter()
                .map(|c| document_symbol(c, rope, enc))
                .collect()
        }),
    }
}
