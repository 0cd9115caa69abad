//! `workspace/executeCommand` for local invoke: `lambda-ls.invoke` runs a function and streams its log
//! lines as `lambda-ls/invokeLog` notifications; `lambda-ls.invokeWithEvent` and
//! `lambda-ls.eventChoices` list what an editor can offer as the event. The work is `crate::invoke`'s.

use super::server::Backend;
use crate::invoke::request::{self, Args, EventChoice};
use crate::invoke::{lenses, InvokeError, Invoker, Settings};
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny};

pub const COMMANDS: &[&str] = &[
    lenses::INVOKE,
    lenses::INVOKE_WITH_EVENT,
    lenses::EVENT_CHOICES,
];

/// One log line of a running invocation.
pub enum InvokeLog {}

impl Notification for InvokeLog {
    type Params = serde_json::Value;
    const METHOD: &'static str = "lambda-ls/invokeLog";
}

static INVOKER: tokio::sync::OnceCell<Arc<Invoker>> = tokio::sync::OnceCell::const_new();

async fn invoker() -> std::result::Result<Arc<Invoker>, InvokeError> {
    INVOKER
        .get_or_try_init(|| async { Invoker::new(Settings::from_env()).await.map(Arc::new) })
        .await
        .cloned()
}

/// Stops every running function (server exit).
pub fn shutdown() {
    if let Some(i) = INVOKER.get() {
        i.shutdown();
    }
    crate::invoke::procs::kill_all();
}

fn failed(e: InvokeError) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: e.to_string().into(),
        data: Some(serde_json::json!({"kind": e.kind()})),
    }
}

struct Parsed {
    args: Args,
    invocation_id: String,
}

fn parse_args(backend: &Backend, params: &ExecuteCommandParams) -> Result<Parsed> {
    let arg = params
        .arguments
        .first()
        .and_then(|a| a.as_object())
        .ok_or_else(|| {
            Error::invalid_params("expected one argument object {config, function, …}")
        })?;
    let text = |k: &str| arg.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let config =
        text("config").ok_or_else(|| Error::invalid_params("`config` (a path) is required"))?;
    let mut config = PathBuf::from(config.strip_prefix("file://").unwrap_or(&config));
    if config.is_relative() {
        if let Some(root) = backend.session().roots.first() {
            config = root.join(config);
        }
    }
    let env = match arg.get("env") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect(),
        Some(_) => return Err(Error::invalid_params("`env` must be an object of strings")),
    };
    let json_text = |k: &str| {
        arg.get(k).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        })
    };
    Ok(Parsed {
        invocation_id: text("invocationId").unwrap_or_else(crate::invoke::ids::request_id),
        args: Args {
            config,
            function: text("function"),
            event: EventChoice {
                json: arg.get("event").filter(|v| !v.is_null()).cloned(),
                file: text("eventFile").map(PathBuf::from),
                sample: text("eventType"),
            },
            env_file: text("envFile").map(PathBuf::from),
            env,
            client_context: json_text("clientContext"),
            cognito_identity: json_text("identity"),
        },
    })
}

/// The invoke settings for a function in `config`: editor settings and the project's `lambda-ls.toml`
/// (`[invoke]`) over `base`.
fn project_settings(backend: &Backend, config: &std::path::Path, mut base: Settings) -> Settings {
    let project = backend.session().config_for(config);
    base.apply(&project.invoke);
    base
}

/// Handles our commands; `None` when the command is not one of them.
pub async fn execute(
    backend: &Backend,
    params: &ExecuteCommandParams,
) -> Option<Result<Option<LSPAny>>> {
    match params.command.as_str() {
        lenses::INVOKE => Some(invoke(backend, params).await),
        lenses::INVOKE_WITH_EVENT | lenses::EVENT_CHOICES => Some(choices(backend, params).await),
        _ => None,
    }
}

async fn choices(backend: &Backend, params: &ExecuteCommandParams) -> Result<Option<LSPAny>> {
    let parsed = parse_args(backend, params)?;
    let files = backend.session().files.clone();
    let settings = project_settings(backend, &parsed.args.config, Settings::from_env());
    let function = parsed.args.function.clone().unwrap_or_default();
    let config = parsed.args.config.clone();
    let value = tokio::task::spawn_blocking(move || {
        request::choices(&config, &function, files.as_ref(), &settings)
    })
    .await
    .map_err(|_| Error::internal_error())?;
    Ok(Some(value))
}

async fn invoke(backend: &Backend, params: &ExecuteCommandParams) -> Result<Option<LSPAny>> {
    let mut parsed = parse_args(backend, params)?;
    let files = backend.session().files.clone();
    let invoker = invoker().await.map_err(failed)?;
    let settings = project_settings(backend, &parsed.args.config, invoker.settings().clone());
    // The project's env file and variables apply unless the call names its own; call variables win.
    let project = backend.session().config_for(&parsed.args.config);
    let mut settings_warnings = Vec::new();
    if parsed.args.env_file.is_none() {
        // A settings-wide env file is optional: a project without one still invokes.
        match &project.invoke.env_file {
            Some(f) if f.is_file() => parsed.args.env_file = Some(f.clone()),
            Some(f) => settings_warnings.push(format!(
                "the env file `{}` from the settings does not exist; invoking without it",
                f.display()
            )),
            None => {}
        }
    }
    let mut env: Vec<(String, String)> = project
        .invoke
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    env.append(&mut parsed.args.env);
    parsed.args.env = env;
    let args = parsed.args.clone();
    let launch = settings.clone();
    let prepared =
        tokio::task::spawn_blocking(move || request::prepare(&args, files.as_ref(), &settings))
            .await
            .map_err(|_| Error::internal_error())?
            .map_err(failed)?;
    let id = parsed.invocation_id;
    let config = parsed.args.config.to_string_lossy().into_owned();
    let function = prepared.spec.id.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let client = backend.client.clone();
    let (fid, fconfig, ffunction) = (id.clone(), config.clone(), function.clone());
    let forward = tokio::spawn(async move {
        while let Some(line) = rx.recv().await {
            client
                .send_notification::<InvokeLog>(serde_json::json!({
                    "invocationId": fid,
                    "config": fconfig,
                    "function": ffunction,
                    "line": line,
                }))
                .await;
        }
    });
    let mut prepared = prepared;
    prepared.warnings.splice(0..0, settings_warnings);
    for w in &prepared.warnings {
        let _ = tx.send(format!("[lambda-ls] warning: {w}"));
    }
    let sink: crate::invoke::LogSink = Arc::new(move |line: &str| {
        let _ = tx.send(line.to_string());
    });
    let result = invoker
        .invoke_with(&prepared.spec, &prepared.request, sink, &launch)
        .await;
    // Every sender is gone once the invocation ended: the forwarder drains and stops.
    let _ = forward.await;
    let result = result.map_err(failed)?;
    let mut value = result.to_json();
    value["invocationId"] = serde_json::json!(id);
    value["config"] = serde_json::json!(config);
    value["function"] = serde_json::json!(function);
    value["eventFrom"] = serde_json::json!(prepared.event_from);
    value["warnings"] = serde_json::json!(prepared.warnings);
    Ok(Some(value))
}
