//! The bundled local runtime: run a function's code the way Lambda would, without Docker.
//!
//! * [`api`]: our Runtime API on 127.0.0.1 (the protocol every Lambda runtime client speaks);
//! * [`instance`]: one warm runtime process per function, invocations queued one at a time, replaced
//!   after a timeout, a crash or a change to its code;
//! * [`launch`]: our Python and Node bootstraps (in `server/runtimes/`), or the user's `bootstrap`;
//! * [`env`]: the environment Lambda would give the function;
//! * [`events`]: sample events for every event source;
//! * [`spec`]: what to run, read from the config through `function::model`.
//!
//! Code runs only when a user asks for it (the `invoke` CLI or the editor command), never on analysis.

pub mod api;
pub mod cli;
pub mod env;
pub mod events;
pub mod fingerprint;
mod http;
pub mod ids;
mod instance;
pub mod launch;
pub mod lenses;
pub mod logs;
pub mod procs;
pub mod request;
pub mod spec;

pub use logs::LogSink;
pub use spec::FunctionSpec;

use api::ApiServer;
use instance::Instance;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Settings {
    /// The Python interpreter (default `python3` on `PATH`).
    pub python: Option<PathBuf>,
    /// The Node.js binary (default `node` on `PATH`).
    pub node: Option<PathBuf>,
    /// Pass the host's AWS credentials (environment variables, profile files) to the function.
    pub aws_credentials: bool,
    /// `AWS_REGION` of the function.
    pub region: String,
    /// Where our bootstraps and inline code are written.
    pub cache_dir: PathBuf,
    /// Bytes of function output kept and streamed per invocation.
    pub log_limit: usize,
}

impl Settings {
    /// Defaults, with `LAMBDA_LS_PYTHON`, `LAMBDA_LS_NODE`, `LAMBDA_LS_CACHE_DIR`, `AWS_REGION` /
    /// `AWS_DEFAULT_REGION` taken from the environment.
    pub fn from_env() -> Settings {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let cache_dir = var("LAMBDA_LS_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("lambda-ls")))
            .or_else(|| var("HOME").map(|d| PathBuf::from(d).join(".cache/lambda-ls")))
            .unwrap_or_else(|| std::env::temp_dir().join("lambda-ls"));
        Settings {
            python: var("LAMBDA_LS_PYTHON").map(PathBuf::from),
            node: var("LAMBDA_LS_NODE").map(PathBuf::from),
            aws_credentials: false,
            region: std::env::var("AWS_REGION")
                .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
                .ok()
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "us-east-1".into()),
            cache_dir,
            log_limit: 4 * 1024 * 1024,
        }
    }
}

/// Why an invocation could not even start. Function errors and timeouts are results, not these.
#[derive(Clone, Debug, PartialEq)]
pub enum InvokeError {
    /// The config cannot be read or does not say how to run the function.
    Config(String),
    /// No such function.
    NotFound(String),
    /// A runtime or package type we cannot run locally.
    Unsupported(String),
    /// The event is not acceptable.
    Event(String),
    /// The runtime process could not be started.
    Launch(String),
}

impl std::fmt::Display for InvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvokeError::Config(m)
            | InvokeError::NotFound(m)
            | InvokeError::Unsupported(m)
            | InvokeError::Event(m)
            | InvokeError::Launch(m) => f.write_str(m),
        }
    }
}

impl InvokeError {
    pub fn kind(&self) -> &'static str {
        match self {
            InvokeError::Config(_) => "config",
            InvokeError::NotFound(_) => "notFound",
            InvokeError::Unsupported(_) => "unsupported",
            InvokeError::Event(_) => "event",
            InvokeError::Launch(_) => "launch",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct InvokeRequest {
    /// The event, JSON text.
    pub event: Arc<Vec<u8>>,
    /// `Lambda-Runtime-Client-Context` (JSON text), as a mobile SDK would send it.
    pub client_context: Option<String>,
    /// `Lambda-Runtime-Cognito-Identity` (JSON text).
    pub cognito_identity: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Success,
    /// The handler failed (`X-Amz-Function-Error: Unhandled` in Lambda).
    Error,
    /// Init failed (import error, handler not found, …).
    InitError,
    Timeout,
    /// The runtime process exited mid-invocation.
    Crash,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Error => "error",
            Status::InitError => "initError",
            Status::Timeout => "timeout",
            Status::Crash => "crash",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Report {
    pub duration_ms: f64,
    pub billed_ms: u64,
    pub memory_mb: u32,
    pub max_memory_mb: Option<u64>,
    /// Set on cold starts.
    pub init_ms: Option<f64>,
    pub status: Status,
    pub error_type: Option<String>,
}

impl Report {
    /// Lambda's `REPORT` line.
    pub fn line(&self, request_id: &str) -> String {
        let mut s = format!(
            "REPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {} MB",
            self.duration_ms,
            self.billed_ms,
            self.memory_mb,
            self.max_memory_mb.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
        );
        if let Some(init) = self.init_ms {
            s.push_str(&format!("\tInit Duration: {init:.2} ms"));
        }
        match self.status {
            Status::Success | Status::Error => {}
            Status::Timeout => s.push_str("\tStatus: timeout"),
            Status::InitError | Status::Crash => s.push_str(&format!(
                "\tStatus: error\tError Type: {}",
                self.error_type.as_deref().unwrap_or("Runtime.Unknown")
            )),
        }
        s
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "durationMs": (self.duration_ms * 100.0).round() / 100.0,
            "billedDurationMs": self.billed_ms,
            "memorySizeMb": self.memory_mb,
            "maxMemoryUsedMb": self.max_memory_mb,
            "initDurationMs": self.init_ms.map(|i| (i * 100.0).round() / 100.0),
        })
    }
}

#[derive(Clone, Debug)]
pub struct InvokeResult {
    pub request_id: String,
    pub status: Status,
    /// The response on success; the error document otherwise (what Lambda's Invoke API returns).
    pub payload: Vec<u8>,
    pub error_type: Option<String>,
    pub logs: Vec<String>,
    pub report: Report,
}

impl InvokeResult {
    pub fn ok(&self) -> bool {
        self.status == Status::Success
    }

    /// The payload as JSON, or as a string when it is not JSON.
    pub fn payload_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&self.payload).into_owned())
        })
    }

    /// The structured result editors receive.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "requestId": self.request_id,
            "status": self.status.as_str(),
            "logs": self.logs,
            "report": self.report.to_json(),
        });
        if self.ok() {
            v["payload"] = self.payload_json();
        } else {
            v["error"] = self.payload_json();
            v["errorType"] = serde_json::json!(self.error_type);
        }
        v
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Instance>>>;

/// Runs functions: one Runtime API server, one warm instance per function.
pub struct Invoker {
    settings: Settings,
    api: ApiServer,
    runtime_dir: PathBuf,
    slots: Mutex<HashMap<(PathBuf, String), Slot>>,
}

impl Drop for Invoker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Invoker {
    /// Starts the Runtime API server; must run inside a Tokio runtime.
    pub async fn new(settings: Settings) -> Result<Invoker, InvokeError> {
        let api = ApiServer::start()
            .await
            .map_err(|e| InvokeError::Launch(format!("cannot listen on 127.0.0.1: {e}")))?;
        let runtime_dir = launch::runtime_dir(&settings.cache_dir)?;
        Ok(Invoker {
            settings,
            api,
            runtime_dir,
            slots: Mutex::new(HashMap::new()),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The Runtime API's address (for tests and diagnostics).
    pub fn api_addr(&self) -> std::net::SocketAddr {
        self.api.addr()
    }

    fn slot(&self, spec: &FunctionSpec) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots
            .entry((spec.config_path.clone(), spec.id.clone()))
            .or_default()
            .clone()
    }

    /// Invokes `spec` with `req`, streaming log lines to `sink`. Invocations of one function wait their
    /// turn; different functions run side by side.
    pub async fn invoke(
        &self,
        spec: &FunctionSpec,
        req: &InvokeRequest,
        sink: LogSink,
    ) -> Result<InvokeResult, InvokeError> {
        let Some(family) = spec::family(&spec.runtime) else {
            return Err(InvokeError::Unsupported(format!(
                "runtime `{}` cannot run locally",
                spec.runtime
            )));
        };
        if req.event.len() > api::PAYLOAD_LIMIT {
            return Err(InvokeError::Event(format!(
                "the event is {} bytes; Lambda accepts at most {} bytes for a synchronous invoke (RequestEntityTooLargeException)",
                req.event.len(),
                api::PAYLOAD_LIMIT
            )));
        }
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&req.event) {
            return Err(InvokeError::Event(format!(
                "the event is not valid JSON: {e}"
            )));
        }
        let slot = self.slot(spec);
        let mut guard = slot.lock().await;
        let fingerprint = fingerprint::of(&spec.code_dir);
        if let Some(inst) = guard.as_mut() {
            if !inst.usable(spec, fingerprint, &self.settings.region) {
                *guard = None;
            }
        }
        let inst = match guard.as_mut() {
            Some(inst) => inst,
            None => guard.insert(Instance::start(
                spec,
                family,
                fingerprint,
                &self.settings,
                &self.api,
                &self.runtime_dir,
            )?),
        };
        let result = inst.invoke(req, sink, self.settings.log_limit).await;
        if inst.dead {
            *guard = None;
        }
        Ok(result)
    }

    /// Stops every instance (one still running an invocation stops when that invocation ends; the
    /// process-wide `procs::kill_all` is for exit).
    pub fn shutdown(&self) {
        let slots: Vec<Slot> = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .map(|(_, s)| s)
            .collect();
        for slot in slots {
            if let Ok(mut guard) = slot.try_lock() {
                guard.take();
            }
        }
    }
}
