//! Editor settings: read from `initializationOptions`, pulled with `workspace/configuration` (section
//! `lambdaLs`) after `initialized` and again on every `workspace/didChangeConfiguration`, and laid under the
//! `lambda-ls.toml` files found above each document, so a project's file wins and editor and CI agree.
//! Problems in either are shown to the user: settings errors as a message, `lambda-ls.toml` errors as
//! diagnostics on that file.

use super::server::Backend;
use super::session::Session;
use crate::config::discover::Loaded;
use crate::config::{ConfigError, Resolver, FILE_NAME};
use crate::text::Encoding;
use crate::workspace::{FileSource, Files};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::ls_types::*;

/// The settings section the server asks the client for.
pub const SECTION: &str = "lambdaLs";

/// Keys of the section that belong to the client (server path, tracing), not to analysis.
const CLIENT_KEYS: &[&str] = &["server", "trace", "diagnosticsDelayMs", "enable"];

/// How long the first analyses wait for the client's answer to `workspace/configuration` (clients answer in
/// milliseconds; a slow one gets its documents analysed again once the answer arrives).
pub const SETTINGS_WAIT: Duration = Duration::from_millis(500);

/// Editor settings as sent: the `lambdaLs` member when there is one, else the object itself, without the
/// client's own keys.
pub fn settings_section(v: &Value) -> Option<Value> {
    let obj = v.get(SECTION).unwrap_or(v).as_object()?;
    let filtered: serde_json::Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| !CLIENT_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(Value::Object(filtered))
}

/// `over` laid over `under`, objects merged key by key.
fn merge(under: &Value, over: &Value) -> Value {
    match (under, over) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (k, v) in b {
                let merged = match out.get(k) {
                    Some(old) if !v.is_null() => merge(old, v),
                    _ => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, Value::Null) => under.clone(),
        _ => over.clone(),
    }
}

/// A resolver reading `lambda-ls.toml` files through the open buffers, over the editor's settings.
pub fn resolver(files: Arc<Files>, editor: Option<&Loaded>) -> Resolver {
    let r = Resolver::new().with_reader(Box::new(move |p: &Path| {
        if !files.is_file(p) {
            return Ok(None);
        }
        files
            .read(p)
            .map(|t| Some(t.to_string()))
            .ok_or_else(|| std::io::Error::other("not readable as UTF-8 text"))
    }));
    match editor {
        Some(l) => r.with_base(l),
        None => r,
    }
}

/// Rebuilds the session's resolver from its stored editor settings. Returns the settings' problems.
pub fn rebuild(s: &mut Session) -> Vec<ConfigError> {
    let merged = merge(
        s.init_settings.as_ref().unwrap_or(&Value::Null),
        s.pulled_settings.as_ref().unwrap_or(&Value::Null),
    );
    let base = s
        .roots
        .first()
        .cloned()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    let loaded = merged
        .is_object()
        .then(|| Loaded::from_json("editor settings (lambdaLs)", &base, &merged));
    let errors = loaded
        .as_ref()
        .map(|l| l.errors.clone())
        .unwrap_or_default();
    let resolver = resolver(s.files.clone(), loaded.as_ref());
    s.config = resolver.base();
    s.resolver = Arc::new(resolver);
    s.reported_config_errors.clear();
    s.settings_errors = errors.clone();
    errors
}

/// After `initialized`: pulls the settings if the client can be asked, then lets analysis start.
pub async fn initialized(backend: &Backend) {
    let (pull, dynamic) = {
        let s = backend.session();
        (s.config_pull, s.config_change_dynamic)
    };
    if dynamic {
        let registration = Registration {
            id: "lambda-ls-configuration".into(),
            method: "workspace/didChangeConfiguration".into(),
            register_options: Some(serde_json::json!({ "section": SECTION })),
        };
        if let Err(e) = backend.client.register_capability(vec![registration]).await {
            tracing::info!("cannot register for configuration changes: {e}");
        }
    }
    if pull {
        pull_settings(backend).await;
    } else {
        let errors = backend.session().settings_errors.clone();
        report_settings_errors(backend, &errors).await;
    }
    backend.session().settings_ready.send_replace(true);
    if pull && !backend.session().docs.is_empty() {
        // Documents analysed while the answer was late are analysed again with it.
        super::documents::schedule_all(backend);
    }
}

async fn pull_settings(backend: &Backend) {
    let scope = backend
        .session()
        .roots
        .first()
        .and_then(|r| super::convert::uri_of(r));
    let items = vec![ConfigurationItem {
        scope_uri: scope,
        section: Some(SECTION.into()),
    }];
    match backend.client.configuration(items).await {
        Ok(values) => {
            let pulled = values.first().and_then(settings_section);
            let errors = {
                let mut s = backend.session();
                s.pulled_settings = pulled;
                rebuild(&mut s)
            };
            report_settings_errors(backend, &errors).await;
        }
        Err(e) => tracing::info!("workspace/configuration failed: {e}"),
    }
}

/// `workspace/didChangeConfiguration`: pull again when the client answers pulls, else take the pushed
/// settings; then analyse every open document again.
pub async fn changed(backend: &Backend, params: DidChangeConfigurationParams) {
    let pull = backend.session().config_pull;
    if pull {
        pull_settings(backend).await;
    } else {
        let errors = {
            let mut s = backend.session();
            s.pulled_settings = settings_section(&params.settings);
            rebuild(&mut s)
        };
        report_settings_errors(backend, &errors).await;
    }
    republish_config_files(backend).await;
    super::documents::schedule_all(backend);
}

async fn report_settings_errors(backend: &Backend, errors: &[ConfigError]) {
    if errors.is_empty() {
        return;
    }
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    backend
        .client
        .show_message(
            MessageType::ERROR,
            format!("lambda-ls: invalid settings: {}", text.join("; ")),
        )
        .await;
}

pub fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == FILE_NAME)
}

/// A `lambda-ls.toml` was opened, edited, saved or closed, or changed on disk: forget cached lookups and
/// analyse every document again.
pub async fn config_file_changed(backend: &Backend) {
    backend.session().resolver.clear();
    republish_config_files(backend).await;
    super::documents::schedule_all(backend);
}

/// The diagnostics of a configuration file's text.
pub fn diagnostics_of(path: &Path, text: &str, enc: Encoding) -> Vec<Diagnostic> {
    let base = path.parent().unwrap_or(Path::new("/"));
    let loaded = Loaded::from_toml(path, base, text);
    let rope = ropey::Rope::from_str(text);
    loaded
        .errors
        .iter()
        .map(|e| {
            let span = e.span.clone().unwrap_or(0..0);
            Diagnostic {
                range: super::convert::range(&rope, span, enc),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("lambda-ls".into()),
                message: e.message.clone(),
                ..Default::default()
            }
        })
        .collect()
}

/// Publishes the problems of configuration files that documents depend on (once per file until it changes).
pub async fn report_config_errors(
    backend_client: &tower_lsp_server::Client,
    session: &std::sync::Mutex<Session>,
    path: &Path,
) {
    let Some(dir) = path.parent() else {
        return;
    };
    let (files, enc, todo) = {
        let mut s = session.lock().unwrap_or_else(|e| e.into_inner());
        let errors = s.resolver.dir(dir).errors.clone();
        let mut todo: Vec<PathBuf> = Vec::new();
        for e in errors {
            // Editor settings have no file: they are reported as a message when they change.
            if e.path.is_absolute() && s.reported_config_errors.insert(e.path.clone()) {
                todo.push(e.path.clone());
            }
        }
        (s.files.clone(), s.encoding, todo)
    };
    for p in todo {
        let Some(text) = files.read(&p) else {
            continue;
        };
        let diags = diagnostics_of(&p, &text, enc);
        if let Some(uri) = super::convert::uri_of(&p) {
            let summary: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
            backend_client
                .show_message(
                    MessageType::ERROR,
                    format!(
                        "lambda-ls: {} is invalid and is not applied: {}",
                        p.display(),
                        summary.join("; ")
                    ),
                )
                .await;
            backend_client.publish_diagnostics(uri, diags, None).await;
        }
    }
}

/// Publishes fresh diagnostics for every configuration file that had problems (fixed ones get none).
async fn republish_config_files(backend: &Backend) {
    let (paths, files, enc) = {
        let mut s = backend.session();
        let paths: Vec<PathBuf> = s.reported_config_errors.drain().collect();
        (paths, s.files.clone(), s.encoding)
    };
    for p in paths {
        let diags = files
            .read(&p)
            .map(|t| diagnostics_of(&p, &t, enc))
            .unwrap_or_default();
        if let Some(uri) = super::convert::uri_of(&p) {
            backend.client.publish_diagnostics(uri, diags, None).await;
        }
    }
}
