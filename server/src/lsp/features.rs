//! Requests against a snapshot of one document: completion, hover, navigation, symbols, quick fixes, lenses.
//! The work runs on a blocking thread; a panic there fails this request only.

use super::convert;
use super::server::Backend;
use crate::config::Config;
use crate::ide;
use crate::text::Encoding;
use crate::workspace::{Env, FileSource, Files, Parsed};
use ropey::Rope;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// Everything a request needs, detached from the session lock.
pub struct Snapshot {
    pub parsed: Arc<Parsed>,
    pub rope: Rope,
    pub enc: Encoding,
    pub config: Arc<Config>,
    pub files: Arc<Files>,
}

impl Snapshot {
    pub fn env(&self) -> Env<'_> {
        Env {
            config: &self.config,
            files: self.files.as_ref(),
        }
    }

    pub fn rope_for(&self, path: &std::path::Path) -> Option<Rope> {
        if path == self.parsed.path {
            return Some(self.rope.clone());
        }
        self.files.read(path).map(|t| Rope::from_str(&t))
    }

    pub fn location(&self, loc: &ide::Location) -> Option<Location> {
        let rope = self.rope_for(&loc.path)?;
        Some(Location {
            uri: convert::uri_of(&loc.path)?,
            range: convert::range(&rope, loc.span.clone(), self.enc),
        })
    }
}

/// A snapshot of the current version of `uri`, parsing it first if needed.
pub async fn snapshot(backend: &Backend, uri: &Uri) -> Option<Snapshot> {
    let (job, rope, enc, config, files) = {
        let s = backend.session();
        let job = s.parsed_or_job(uri)?;
        let doc = s.docs.get(uri)?;
        (
            job,
            doc.text.rope().clone(),
            s.encoding,
            s.config_for(&doc.path),
            s.files.clone(),
        )
    };
    let parsed = match job {
        Ok(p) => p,
        Err(job) => {
            let version = job.version;
            let parsed = Arc::new(tokio::task::spawn_blocking(move || job.run()).await.ok()?);
            backend.session().store_parse(uri, version, parsed.clone());
            parsed
        }
    };
    Some(Snapshot {
        parsed,
        rope,
        enc,
        config,
        files,
    })
}

/// Runs `f` on a blocking thread; a panic becomes an internal error for this request only.
async fn off_thread<T, F>(name: &'static str, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!("{name} failed: {e}");
        Error::internal_error()
    })
}

pub async fn completion(
    backend: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let Some(snap) = snapshot(backend, &pos.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("completion", move || {
        let offset = convert::offset(&snap.rope, pos.position, snap.enc);
        let items = ide::completion(&snap.parsed, offset, &snap.env());
        let items: Vec<CompletionItem> = items
            .iter()
            .map(|i| convert::completion_item(i, &snap.rope, snap.enc))
            .collect();
        (!items.is_empty()).then_some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        }))
    })
    .await
}

pub async fn hover(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(snap) = snapshot(backend, &pos.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("hover", move || {
        let offset = convert::offset(&snap.rope, pos.position, snap.enc);
        ide::hover(&snap.parsed, offset, &snap.env()).map(|h| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(convert::range(&snap.rope, h.span, snap.enc)),
        })
    })
    .await
}

pub async fn definition(
    backend: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some(snap) = snapshot(backend, &pos.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("definition", move || {
        let offset = convert::offset(&snap.rope, pos.position, snap.enc);
        let locs: Vec<Location> = ide::definition(&snap.parsed, offset, &snap.env())
            .iter()
            .filter_map(|l| snap.location(l))
            .collect();
        (!locs.is_empty()).then_some(GotoDefinitionResponse::Array(locs))
    })
    .await
}

pub async fn references(
    backend: &Backend,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let Some(snap) = snapshot(backend, &pos.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("references", move || {
        let offset = convert::offset(&snap.rope, pos.position, snap.enc);
        let locs: Vec<Location> = ide::references(&snap.parsed, offset, &snap.env())
            .iter()
            .filter_map(|l| snap.location(l))
            .collect();
        (!locs.is_empty()).then_some(locs)
    })
    .await
}

pub async fn document_symbol(
    backend: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(snap) = snapshot(backend, &params.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("documentSymbol", move || {
        let symbols = ide::symbols(&snap.parsed, &snap.env());
        let out: Vec<DocumentSymbol> = symbols
            .iter()
            .map(|s| convert::document_symbol(s, &snap.rope, snap.enc))
            .collect();
        Some(DocumentSymbolResponse::Nested(out))
    })
    .await
}

pub async fn code_lens(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let Some(snap) = snapshot(backend, &params.text_document.uri).await else {
        return Ok(None);
    };
    off_thread("codeLens", move || {
        let lenses: Vec<CodeLens> = ide::code_lenses(&snap.parsed, &snap.env())
            .into_iter()
            .map(|l| CodeLens {
                range: convert::range(&snap.rope, l.span, snap.enc),
                command: Some(Command {
                    title: l.title,
                    command: l.command,
                    arguments: Some(l.arguments),
                }),
                data: None,
            })
            .collect();
        Some(lenses)
    })
    .await
}

/// Quick fixes of the findings last published for this version that overlap the requested range.
pub async fn code_action(
    backend: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let (findings, rope, enc, files) = {
        let s = backend.session();
        let Some(doc) = s.docs.get(&uri) else {
            return Ok(None);
        };
        let findings = match &doc.findings {
            Some((v, f)) if *v == doc.version => f.clone(),
            _ => return Ok(None),
        };
        (
            findings,
            doc.text.rope().clone(),
            s.encoding,
            s.files.clone(),
        )
    };
    off_thread("codeAction", move || {
        let wanted =
            crate::text::position::span_of(&rope, convert::range_from_lsp(params.range), enc);
        let rope_for = |p: &std::path::Path| files.read(p).map(|t| Rope::from_str(&t));
        let mut actions = Vec::new();
        for f in findings.iter() {
            let overlaps = f.span.start <= wanted.end && wanted.start <= f.span.end;
            if !overlaps {
                continue;
            }
            let diagnostic = convert::diagnostic(f, &uri, &rope, enc, &rope_for);
            for fix in &f.fixes {
                let Some(edit) = convert::workspace_edit(fix, &uri, &rope, enc, &rope_for) else {
                    continue;
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit),
                    is_preferred: fix.preferred.then_some(true),
                    ..Default::default()
                }));
            }
        }
        (!actions.is_empty()).then_some(actions)
    })
    .await
}

pub async fn execute_command(
    backend: &Backend,
    params: ExecuteCommandParams,
) -> Result<Option<LSPAny>> {
    if let Some(answer) = super::invoke::execute(backend, &params).await {
        return answer;
    }
    // A request that panics, for the test that proves one failing request cannot take the server down.
    if params.command == "lambda-ls.debug.panic"
        && std::env::var_os("LAMBDA_LS_DEBUG_PANIC").is_some()
    {
        return off_thread("debug panic", || -> Option<LSPAny> {
            panic!("requested by lambda-ls.debug.panic")
        })
        .await;
    }
    Err(Error::invalid_params(format!(
        "unknown command `{}`",
        params.command
    )))
}
