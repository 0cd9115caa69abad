//! One warm runtime process of one function: started on the first invoke, kept between invokes,
//! replaced after a timeout, a crash, an init error, or a change to its code or config.

use super::api::{ApiEvent, ApiServer, Channel, Invocation, RoutesHandle};
use super::logs::{LogRouter, LogSink};
use super::spec::{Family, FunctionSpec};
use super::{
    env, ids, launch, procs, InvokeError, InvokeRequest, InvokeResult, Report, Settings, Status,
};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Lambda gives a runtime 10 seconds to initialise before the first event.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Instance {
    spec: FunctionSpec,
    fingerprint: u64,
    child: tokio::process::Child,
    pid: u32,
    token: String,
    routes: RoutesHandle,
    next_tx: mpsc::Sender<Invocation>,
    events: mpsc::UnboundedReceiver<ApiEvent>,
    logs: Arc<LogRouter>,
    spawned: Instant,
    initialized: bool,
    /// Set when the process must not serve another invocation.
    pub dead: bool,
    /// Set when an invocation was given up midway (its future dropped): the process was killed.
    abandoned: Arc<std::sync::atomic::AtomicBool>,
    arn: String,
    region: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        procs::kill_group(self.pid as i32);
        self.routes.unregister(&self.token);
    }
}

fn spawn_error(e: std::io::Error, l: &launch::Launch, spec: &FunctionSpec) -> InvokeError {
    match e.kind() {
        std::io::ErrorKind::NotFound if l.setting.is_some() => InvokeError::Launch(format!(
            "`{}` was not found; install it or set its path ({}) to run {} functions",
            l.program.display(),
            l.setting.unwrap_or(""),
            spec.runtime
        )),
        std::io::ErrorKind::PermissionDenied => InvokeError::Launch(format!(
            "Runtime.InvalidEntrypoint: cannot execute `{}`: permission denied",
            l.program.display()
        )),
        _ if e.raw_os_error() == Some(libc::ENOEXEC) => InvokeError::Launch(format!(
            "Runtime.InvalidEntrypoint: `{}` is not an executable for this machine (exec format error: a script needs a #! line, a binary the right architecture)",
            l.program.display()
        )),
        _ => InvokeError::Launch(format!("cannot start `{}`: {e}", l.program.display())),
    }
}

impl Instance {
    pub fn start(
        spec: &FunctionSpec,
        family: Family,
        fingerprint: u64,
        settings: &Settings,
        api: &ApiServer,
        runtime_dir: &std::path::Path,
    ) -> Result<Instance, InvokeError> {
        let l = launch::launch(spec, family, settings, runtime_dir)?;
        let (channel, next_tx, events) = Channel::new();
        let (token, runtime_api) = api.register(channel.clone());
        let routes = api.routes();
        let log_stream = ids::log_stream();
        let vars = env::build(
            spec,
            settings,
            &env::Instance {
                runtime_api: &runtime_api,
                runtime_dir: &runtime_dir.to_string_lossy(),
                log_stream: &log_stream,
            },
        );
        let started = (|| -> Result<_, InvokeError> {
            let io = |e: std::io::Error| InvokeError::Launch(format!("cannot create a pipe: {e}"));
            let (read, write) = procs::pipe().map_err(io)?;
            let write2 = write.try_clone().map_err(io)?;
            let mut cmd = tokio::process::Command::new(&l.program);
            cmd.args(&l.args)
                .env_clear()
                .envs(vars)
                .current_dir(&spec.code_dir)
                .stdin(Stdio::null())
                .stdout(Stdio::from(write))
                .stderr(Stdio::from(write2))
                .kill_on_drop(true);
            procs::child_setup(&mut cmd);
            let child = cmd.spawn().map_err(|e| spawn_error(e, &l, spec))?;
            // `cmd` still holds our copies of the pipe's write end; drop them so EOF means "exited".
            drop(cmd);
            let logs = LogRouter::new(read).map_err(|e| {
                InvokeError::Launch(format!("cannot read the runtime's output: {e}"))
            })?;
            Ok((child, logs))
        })();
        let (child, logs) = match started {
            Ok(v) => v,
            Err(e) => {
                api.unregister(&token);
                return Err(e);
            }
        };
        let start_logs = logs.clone();
        channel.on_delivery(move |id| {
            start_logs.emit(format!("START RequestId: {id} Version: $LATEST"));
        });
        let pid = child.id().unwrap_or(0);
        procs::track(pid as i32);
        tokio::spawn(logs.clone().pump());
        Ok(Instance {
            spec: spec.clone(),
            fingerprint,
            child,
            pid,
            token,
            routes,
            next_tx,
            events,
            logs,
            spawned: Instant::now(),
            initialized: false,
            dead: false,
            abandoned: Arc::default(),
            arn: format!(
                "arn:aws:lambda:{}:123456789012:function:{}",
                settings.region, spec.function_name
            ),
            region: settings.region.clone(),
        })
    }

    /// Whether this process can serve `spec` as it is now on disk.
    pub fn usable(&mut self, spec: &FunctionSpec, fingerprint: u64, region: &str) -> bool {
        !self.dead
            && !self.abandoned.load(std::sync::atomic::Ordering::SeqCst)
            && matches!(self.child.try_wait(), Ok(None))
            && self.spec == *spec
            && self.fingerprint == fingerprint
            && self.region == region
    }

    pub async fn invoke(
        &mut self,
        req: &InvokeRequest,
        sink: LogSink,
        log_limit: usize,
    ) -> InvokeResult {
        // If the caller gives up mid-invocation (an editor cancels the request), the runtime may still
        // be busy with the event: kill it, so the next invoke starts clean instead of waiting behind it.
        let mut abandon = KillOnDrop(Some((self.pid as i32, self.abandoned.clone())));
        let request_id = ids::request_id();
        let cold = !self.initialized;
        self.logs.begin(sink, log_limit);
        let inv = Invocation {
            request_id: request_id.clone(),
            timeout_ms: self.spec.timeout_ms,
            function_arn: self.arn.clone(),
            trace_id: ids::trace_id(),
            client_context: req.client_context.clone(),
            cognito_identity: req.cognito_identity.clone(),
            body: req.event.clone(),
        };
        let timeout = Duration::from_millis(self.spec.timeout_ms);
        let queued = Instant::now();
        let mut delivered: Option<Instant> = None;
        let mut init_ms: Option<f64> = None;
        // The instance runs one invocation at a time, so the one-slot queue is always free here.
        let outcome = if self.next_tx.try_send(inv).is_err() {
            self.dead = true;
            Outcome::crash(&request_id, "the runtime was not ready for a new event")
        } else {
            let init_deadline = tokio::time::Instant::from_std(
                if cold { self.spawned } else { queued } + INIT_TIMEOUT,
            );
            loop {
                let deadline = match delivered {
                    Some(at) => tokio::time::Instant::from_std(at + timeout),
                    None => init_deadline,
                };
                tokio::select! {
                    biased;
                    ev = self.events.recv() => match ev {
                        Some(ApiEvent::Delivered { request_id: id, at }) if id == request_id => {
                            delivered = Some(at);
                            if cold {
                                init_ms = Some(ms(at.saturating_duration_since(self.spawned)));
                            }
                            self.initialized = true;
                        }
                        Some(ApiEvent::Response { request_id: id, body }) if id == request_id => {
                            break Outcome { status: Status::Success, payload: body, error_type: None };
                        }
                        Some(ApiEvent::Error { request_id: id, error_type, body }) if id == request_id => {
                            break Outcome::function_error(error_type, body);
                        }
                        Some(ApiEvent::TooLarge { request_id: id, len }) if id == request_id => {
                            break Outcome::too_large(len);
                        }
                        Some(ApiEvent::InitError { error_type, body }) => {
                            if init_ms.is_none() {
                                init_ms = Some(ms(self.spawned.elapsed()));
                            }
                            self.dead = true;
                            let mut o = Outcome::function_error(error_type, body);
                            o.status = Status::InitError;
                            break o;
                        }
                        Some(_) => {}
                        None => break Outcome::crash(&request_id, "the runtime's API channel closed"),
                    },
                    status = self.child.wait() => {
                        self.dead = true;
                        // A result posted just before exiting still counts.
                        if let Ok(ev) = self.events.try_recv() {
                            match ev {
                                ApiEvent::Response { request_id: id, body } if id == request_id => {
                                    break Outcome { status: Status::Success, payload: body, error_type: None };
                                }
                                ApiEvent::Error { error_type, body, .. }
                                | ApiEvent::InitError { error_type, body } => {
                                    break Outcome::function_error(error_type, body);
                                }
                                _ => {}
                            }
                        }
                        let how = match status {
                            Ok(s) => exit_text(s),
                            Err(e) => e.to_string(),
                        };
                        if delivered.is_none() && init_ms.is_none() {
                            init_ms = Some(ms(self.spawned.elapsed()));
                        }
                        break Outcome::crash(&request_id, &format!("Runtime exited with error: {how}"));
                    }
                    _ = tokio::time::sleep_until(deadline) => {
                        self.dead = true;
                        break match delivered {
                            Some(_) => Outcome::timeout(&request_id, self.spec.timeout_ms),
                            None => {
                                init_ms = Some(ms(INIT_TIMEOUT));
                                Outcome::init_timeout(&request_id)
                            }
                        };
                    }
                }
            }
        };
        let finished = Instant::now();
        let max_memory_mb = procs::peak_rss_mb(self.pid);
        if self.dead {
            // Kill first, so nothing more is printed, then collect what was.
            procs::kill_group(self.pid as i32);
            let _ = tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await;
        }
        self.logs.settle().await;
        if delivered.is_none() {
            if let Some(init) = init_ms {
                let mut line =
                    format!("INIT_REPORT Init Duration: {init:.2} ms\tPhase: init\tStatus: ");
                match outcome.status {
                    Status::Timeout => line.push_str("timeout"),
                    _ => line.push_str(&format!(
                        "error\tError Type: {}",
                        outcome.error_type.as_deref().unwrap_or("Runtime.Unknown")
                    )),
                }
                self.logs.emit(line);
            }
            self.logs
                .emit(format!("START RequestId: {request_id} Version: $LATEST"));
        }
        match outcome.status {
            Status::Timeout => self.logs.emit(format!(
                "{} {request_id} Task timed out after {:.2} seconds",
                ids::timestamp(),
                self.spec.timeout_ms as f64 / 1000.0
            )),
            Status::Crash => self.logs.emit(format!(
                "RequestId: {request_id} Error: {}",
                outcome.message()
            )),
            _ => {}
        }
        let duration_ms = ms(finished.saturating_duration_since(delivered.unwrap_or(queued)));
        let report = Report {
            duration_ms,
            billed_ms: (duration_ms + init_ms.unwrap_or(0.0)).ceil().max(1.0) as u64,
            memory_mb: self.spec.memory_mb,
            max_memory_mb,
            init_ms: if cold { init_ms } else { None },
            status: outcome.status,
            error_type: outcome.error_type.clone(),
        };
        self.logs.emit(format!("END RequestId: {request_id}"));
        self.logs.emit(report.line(&request_id));
        if let Some(used) = max_memory_mb {
            if used > self.spec.memory_mb as u64 {
                self.logs.emit(format!(
                    "[lambda-ls] the function used {used} MB, more than its MemorySize of {} MB: Lambda would stop it with Runtime.OutOfMemory",
                    self.spec.memory_mb
                ));
            }
        }
        let logs = self.logs.end();
        abandon.0 = None;
        InvokeResult {
            request_id,
            status: outcome.status,
            payload: outcome.payload,
            error_type: outcome.error_type,
            logs,
            report,
        }
    }
}

struct KillOnDrop(Option<(i32, Arc<std::sync::atomic::AtomicBool>)>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some((pgid, flag)) = self.0.take() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            procs::kill_group(pgid);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn exit_text(s: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(sig)) => format!("signal: {}", signal_name(sig)),
        _ => s.to_string(),
    }
}

fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGKILL => "killed".into(),
        libc::SIGSEGV => "segmentation fault".into(),
        libc::SIGABRT => "aborted".into(),
        libc::SIGTERM => "terminated".into(),
        other => format!("signal {other}"),
    }
}

struct Outcome {
    status: Status,
    payload: Vec<u8>,
    error_type: Option<String>,
}

fn error_doc(error_type: &str, message: &str) -> Vec<u8> {
    serde_json::json!({"errorMessage": message, "errorType": error_type})
        .to_string()
        .into_bytes()
}

impl Outcome {
    fn message(&self) -> String {
        serde_json::from_slice::<serde_json::Value>(&self.payload)
            .ok()
            .and_then(|v| {
                v.get("errorMessage")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default()
    }

    /// The runtime's error document; its type comes from the header, else from the body.
    fn function_error(header: Option<String>, body: Vec<u8>) -> Outcome {
        let parsed: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let body_type = parsed
            .as_ref()
            .and_then(|v| v.get("errorType"))
            .and_then(|t| t.as_str())
            .map(str::to_string);
        let error_type = header
            .filter(|h| !h.is_empty())
            .or(body_type)
            .unwrap_or_else(|| "Runtime.Unknown".into());
        let payload = match parsed {
            Some(v) if v.is_object() => body,
            _ => {
                let text = String::from_utf8_lossy(&body);
                error_doc(&error_type, text.trim())
            }
        };
        Outcome {
            status: Status::Error,
            payload,
            error_type: Some(error_type),
        }
    }

    fn too_large(len: usize) -> Outcome {
        Outcome {
            status: Status::Error,
            payload: error_doc(
                "Function.ResponseSizeTooLarge",
                &format!(
                    "Response payload size ({len} bytes) exceeded maximum allowed payload size ({} bytes).",
                    super::api::PAYLOAD_LIMIT
                ),
            ),
            error_type: Some("Function.ResponseSizeTooLarge".into()),
        }
    }

    fn timeout(request_id: &str, timeout_ms: u64) -> Outcome {
        Outcome {
            status: Status::Timeout,
            payload: error_doc(
                "Sandbox.Timedout",
                &format!(
                    "RequestId: {request_id} Error: Task timed out after {:.2} seconds",
                    timeout_ms as f64 / 1000.0
                ),
            ),
            error_type: Some("Sandbox.Timedout".into()),
        }
    }

    fn init_timeout(request_id: &str) -> Outcome {
        Outcome {
            status: Status::Timeout,
            payload: error_doc(
                "Sandbox.Timedout",
                &format!(
                    "RequestId: {request_id} Error: the runtime did not ask for an event within the {:.2} seconds Lambda allows for init",
                    INIT_TIMEOUT.as_secs_f64()
                ),
            ),
            error_type: Some("Sandbox.Timedout".into()),
        }
    }

    fn crash(request_id: &str, what: &str) -> Outcome {
        Outcome {
            status: Status::Crash,
            payload: error_doc(
                "Runtime.ExitError",
                &format!("RequestId: {request_id} Error: {what}"),
            ),
            error_type: Some("Runtime.ExitError".into()),
        }
    }
}
