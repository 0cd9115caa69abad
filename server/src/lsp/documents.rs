//! Diagnostics: debounced, version-checked analysis runs and their publication.

use super::convert;
use super::server::Backend;
use crate::workspace::{self, Env, FileKind};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::ls_types::*;

/// Schedules an analysis of `uri` after `delay`. A newer schedule of the same document supersedes this one,
/// so a burst of edits costs one run.
pub fn schedule(backend: &Backend, uri: Uri, delay: Duration) {
    let generation = {
        let mut s = backend.session();
        let Some(doc) = s.docs.get_mut(&uri) else {
            return;
        };
        doc.generation += 1;
        doc.generation
    };
    let session = backend.session.clone();
    let client = backend.client.clone();
    let publish_lock = backend.publish_lock.clone();
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        run(session, client, publish_lock, uri, generation).await;
    });
}

/// Other open documents whose findings may depend on `uri` (templates on the code they point at, code on
/// the templates that point at it).
pub fn schedule_dependents(backend: &Backend, uri: &Uri) {
    let (others, delay) = {
        let s = backend.session();
        let changed_kind = s
            .docs
            .get(uri)
            .and_then(|d| d.parsed.as_ref())
            .map(|(_, p)| p.kind);
        let others: Vec<Uri> = s
            .docs
            .iter()
            .filter(|(u, _)| *u != uri)
            .filter(|(_, d)| {
                let kind = d.parsed.as_ref().map(|(_, p)| p.kind);
                match (changed_kind, kind) {
                    (Some(FileKind::Code(_)), Some(k)) => k.is_config(),
                    (Some(k), Some(FileKind::Code(_))) => k.is_config(),
                    (None, _) | (_, None) => true,
                    _ => false,
                }
            })
            .map(|(u, _)| u.clone())
            .collect();
        (others, s.debounce)
    };
    for other in others {
        schedule(backend, other, delay);
    }
}

pub fn schedule_all(backend: &Backend) {
    let (uris, delay) = {
        let s = backend.session();
        (s.docs.keys().cloned().collect::<Vec<_>>(), s.debounce)
    };
    for uri in uris {
        schedule(backend, uri, delay);
    }
}

fn lock(
    s: &std::sync::Mutex<super::session::Session>,
) -> std::sync::MutexGuard<'_, super::session::Session> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

async fn run(
    session: Arc<std::sync::Mutex<super::session::Session>>,
    client: tower_lsp_server::Client,
    publish_lock: Arc<tokio::sync::Mutex<()>>,
    uri: Uri,
    generation: u64,
) {
    // The first analyses wait (briefly) for the client's settings, so they are not published twice.
    let mut ready = lock(&session).settings_ready.subscribe();
    let _ = tokio::time::timeout(super::settings::SETTINGS_WAIT, ready.wait_for(|r| *r)).await;
    let config_file = {
        let s = lock(&session);
        s.docs
            .get(&uri)
            .filter(|d| d.generation == generation && super::settings::is_config_file(&d.path))
            .map(|d| {
                (
                    d.path.clone(),
                    d.text.text().to_string(),
                    d.version,
                    s.encoding,
                )
            })
    };
    if let Some((path, text, version, enc)) = config_file {
        let diagnostics = super::settings::diagnostics_of(&path, &text, enc);
        let _guard = publish_lock.lock().await;
        client
            .publish_diagnostics(uri, diagnostics, Some(version))
            .await;
        return;
    }
    let (job, config, files, path) = {
        let s = lock(&session);
        let Some(doc) = s.docs.get(&uri) else {
            return;
        };
        if doc.generation != generation {
            return;
        }
        let Some(job) = s.parsed_or_job(&uri) else {
            return;
        };
        (
            job,
            s.config_for(&doc.path),
            s.files.clone(),
            doc.path.clone(),
        )
    };
    super::settings::report_config_errors(&client, &session, &path).await;
    let version = match &job {
        Ok(_) => lock(&session).docs.get(&uri).map(|d| d.version),
        Err(j) => Some(j.version),
    };
    let Some(version) = version else {
        return;
    };
    let result = tokio::task::spawn_blocking(move || {
        let parsed = match job {
            Ok(p) => (p, false),
            Err(job) => (Arc::new(job.run()), true),
        };
        let env = Env {
            config: &config,
            files: files.as_ref(),
        };
        let findings = workspace::analyze(&parsed.0, &env);
        (parsed, findings)
    })
    .await;
    let ((parsed, fresh), findings) = match result {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("analysis of {} failed: {e}", uri.as_str());
            return;
        }
    };
    let _guard = publish_lock.lock().await;
    let diagnostics = {
        let mut s = lock(&session);
        if fresh {
            s.store_parse(&uri, version, parsed.clone());
        }
        let enc = s.encoding;
        let files = s.files.clone();
        let Some(doc) = s.docs.get_mut(&uri) else {
            return;
        };
        // A newer version arrived while we worked: its own run will publish.
        if doc.version != version {
            return;
        }
        let findings = Arc::new(findings);
        doc.findings = Some((version, findings.clone()));
        let rope = doc.text.rope().clone();
        let rope_for = |p: &std::path::Path| {
            use crate::workspace::FileSource;
            files.read(p).map(|t| ropey::Rope::from_str(&t))
        };
        findings
            .iter()
            .map(|f| convert::diagnostic(f, &uri, &rope, enc, &rope_for))
            .collect::<Vec<_>>()
    };
    client
        .publish_diagnostics(uri, diagnostics, Some(version))
        .await;
}

/// Asks the client to tell us about changes to files we read across documents, when it can.
pub async fn register_watchers(backend: &Backend) {
    if !backend.session().watch_dynamic {
        return;
    }
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String(
                "**/*.{yaml,yml,json,template,py,js,mjs,cjs,ts,mts,cts,tsx,go,rb,java,toml}".into(),
            ),
            kind: None,
        }],
    };
    let Ok(register_options) = serde_json::to_value(options) else {
        return;
    };
    let registration = Registration {
        id: "lambda-ls-watch".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: Some(register_options),
    };
    // Clients without dynamic registration answer with an error; diagnostics then follow open buffers only.
    if let Err(e) = backend.client.register_capability(vec![registration]).await {
        tracing::info!("file watching not available: {e}");
    }
}
