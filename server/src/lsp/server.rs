//! The `LanguageServer` implementation: capabilities, lifecycle, and dispatch to one module per feature.

use super::convert;
use super::session::Session;
use crate::text::{Encoding, TextChange};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

#[derive(Clone)]
pub struct Backend {
    pub client: Client,
    pub session: Arc<Mutex<Session>>,
    /// Serialises "check the version, then publish" so an older result can never overtake a newer one.
    pub publish_lock: Arc<tokio::sync::Mutex<()>>,
    shutdown: Arc<AtomicBool>,
}

/// Commands the server executes (`workspace/executeCommand`).
pub const COMMANDS: &[&str] = super::invoke::COMMANDS;

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Self {
        Backend {
            client,
            session: Arc::new(Mutex::new(Session::new())),
            publish_lock: Arc::new(tokio::sync::Mutex::new(())),
            shutdown,
        }
    }

    /// The session, even if a panicking thread poisoned the lock: its data is still consistent because
    /// every mutation completes before the lock is released.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        {
            let mut s = self.session();
            s.encoding = encoding;
            let mut roots: Vec<_> = params
                .workspace_folders
                .iter()
                .flatten()
                .map(|f| convert::path_of(&f.uri))
                .collect();
            #[allow(deprecated)] // Older clients send only `rootUri`.
            if roots.is_empty() {
                if let Some(uri) = &params.root_uri {
                    roots.push(convert::path_of(uri));
                }
            }
            s.files.set_roots(roots.clone());
            s.roots = roots;
            s.watch_dynamic = params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            if let Some(opts) = &params.initialization_options {
                if let Some(ms) = opts.get("diagnosticsDelayMs").and_then(|v| v.as_u64()) {
                    s.debounce = Duration::from_millis(ms.min(10_000));
                }
            }
            let workspace = params.capabilities.workspace.as_ref();
            s.config_pull = workspace.and_then(|w| w.configuration).unwrap_or(false);
            s.config_change_dynamic = workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            s.init_settings = params
                .initialization_options
                .as_ref()
                .and_then(super::settings::settings_section);
            if s.config_pull {
                s.settings_ready.send_replace(false);
            }
            super::settings::rebuild(&mut s);
        }
        let position_encoding = match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "lambda-ls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(position_encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        [":", "\"", "'", "!", ".", "/", "$", "{", "*"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: COMMANDS.iter().map(|s| s.to_string()).collect(),
                    ..Default::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Off the handler: these wait for the client's answers, and a client that never answers (or sends
        // `exit` first) must not keep the server from exiting.
        let backend = self.clone();
        tokio::spawn(async move { super::documents::register_watchers(&backend).await });
        let backend = self.clone();
        tokio::spawn(async move { super::settings::initialized(&backend).await });
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let backend = self.clone();
        tokio::spawn(async move { super::settings::changed(&backend, params).await });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = convert::path_of(&doc.uri);
        // Applied before any `.await`, so edits that follow are applied after it.
        self.session()
            .open(doc.uri.clone(), path, doc.version, &doc.text);
        super::documents::schedule(self, doc.uri.clone(), Duration::ZERO);
        super::documents::schedule_dependents(self, &doc.uri);
        if super::settings::is_config_file(&convert::path_of(&doc.uri)) {
            super::settings::config_file_changed(self).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let changes: Vec<TextChange> = params
            .content_changes
            .into_iter()
            .map(|c| TextChange {
                range: c.range.map(convert::range_from_lsp),
                text: c.text,
            })
            .collect();
        let (known, delay) = {
            let mut s = self.session();
            (
                s.change(&uri, params.text_document.version, changes),
                s.debounce,
            )
        };
        if known {
            super::documents::schedule(self, uri.clone(), delay);
            super::documents::schedule_dependents(self, &uri);
            if super::settings::is_config_file(&convert::path_of(&uri)) {
                super::settings::config_file_changed(self).await;
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        super::documents::schedule_dependents(self, &params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (closed, none_left) = {
            let mut s = self.session();
            let closed = s.close(&uri).is_some();
            (closed, s.docs.is_empty())
        };
        if none_left {
            // Everything is closed: a good moment to give memory back, off the message loop — now, and
            // again once idle analysis threads (and their parser state) have gone.
            tokio::spawn(async {
                let _ = tokio::task::spawn_blocking(super::release_memory).await;
                tokio::time::sleep(super::THREAD_KEEP_ALIVE + Duration::from_millis(500)).await;
                let _ = tokio::task::spawn_blocking(super::release_memory).await;
            });
        }
        if closed {
            let _guard = self.publish_lock.lock().await;
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        }
        super::documents::schedule_dependents(self, &uri);
        if super::settings::is_config_file(&convert::path_of(&uri)) {
            super::settings::config_file_changed(self).await;
        }
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        crate::handler::index::invalidate();
        super::settings::config_file_changed(self).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let mut s = self.session();
        for removed in &params.event.removed {
            let p = convert::path_of(&removed.uri);
            s.roots.retain(|r| r != &p);
        }
        for added in &params.event.added {
            s.roots.push(convert::path_of(&added.uri));
        }
        let roots = s.roots.clone();
        s.files.set_roots(roots);
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        super::features::completion(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        super::features::hover(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        super::features::definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        super::features::references(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        super::features::document_symbol(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        super::features::code_action(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        super::features::code_lens(self, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        super::features::execute_command(self, params).await
    }
}
