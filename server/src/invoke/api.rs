//! The Lambda Runtime API (`/2018-06-01/runtime/…`) on 127.0.0.1 and an ephemeral port.
//!
//! Every runtime process gets its own unguessable path prefix (`AWS_LAMBDA_RUNTIME_API` is
//! `127.0.0.1:PORT/TOKEN`), and every invocation an unguessable request id: another local process can
//! neither take events nor post results. Runtime clients append `/2018-06-01/…` to that value, so the
//! prefix works with the Python, Node, Go and Rust clients and with `curl` in a shell bootstrap.

use super::http::{self, Request};
use super::ids;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Synchronous invocation payload limit, request and response (Lambda quotas: 6 MB).
pub const PAYLOAD_LIMIT: usize = 6 * 1024 * 1024;
/// Streamed responses may be larger in Lambda (200 MB); locally we keep them in memory, so cap lower.
pub const STREAM_LIMIT: usize = 32 * 1024 * 1024;
/// Bodies up to this size are read and dropped so the client gets a proper 413.
const DISCARD_LIMIT: usize = 64 * 1024 * 1024;
/// Lambda caps the X-Ray error cause at 64 KiB; error bodies get the same generous bound.
const ERROR_LIMIT: usize = 1024 * 1024;

/// An event waiting for the runtime's `/next`.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub request_id: String,
    pub timeout_ms: u64,
    pub function_arn: String,
    pub trace_id: String,
    pub client_context: Option<String>,
    pub cognito_identity: Option<String>,
    pub body: Arc<Vec<u8>>,
}

/// What the runtime told us, in order.
#[derive(Debug)]
pub enum ApiEvent {
    /// The runtime took the event with `/next`; the deadline runs from `at`.
    Delivered {
        request_id: String,
        at: Instant,
    },
    Response {
        request_id: String,
        body: Vec<u8>,
    },
    Error {
        request_id: String,
        error_type: Option<String>,
        body: Vec<u8>,
    },
    InitError {
        error_type: Option<String>,
        body: Vec<u8>,
    },
    TooLarge {
        request_id: String,
        len: usize,
    },
}

type DeliveryHook = Box<dyn Fn(&str) + Send + Sync>;

/// One runtime process's side of the API.
pub struct Channel {
    next: tokio::sync::Mutex<mpsc::Receiver<Invocation>>,
    events: mpsc::UnboundedSender<ApiEvent>,
    /// The request id the runtime is working on; results for any other id are refused.
    inflight: Mutex<Option<String>>,
    /// Called with the request id as an event is handed over, before the runtime can print anything
    /// for it (the `START` line goes first in the log).
    on_delivery: std::sync::OnceLock<DeliveryHook>,
}

impl Channel {
    pub fn new() -> (
        Arc<Channel>,
        mpsc::Sender<Invocation>,
        mpsc::UnboundedReceiver<ApiEvent>,
    ) {
        let (next_tx, next_rx) = mpsc::channel(1);
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let ch = Arc::new(Channel {
            next: tokio::sync::Mutex::new(next_rx),
            events: ev_tx,
            inflight: Mutex::new(None),
            on_delivery: std::sync::OnceLock::new(),
        });
        (ch, next_tx, ev_rx)
    }

    pub fn on_delivery(&self, f: impl Fn(&str) + Send + Sync + 'static) {
        let _ = self.on_delivery.set(Box::new(f));
    }

    fn inflight(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.inflight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the in-flight id if `id` is it: a result is accepted once.
    fn finish(&self, id: &str) -> bool {
        let mut cur = self.inflight();
        if cur.as_deref() == Some(id) {
            *cur = None;
            true
        } else {
            false
        }
    }
}

type Routes = Arc<Mutex<HashMap<String, Arc<Channel>>>>;

/// The listening server. Dropping it stops accepting connections.
pub struct ApiServer {
    addr: SocketAddr,
    routes: Routes,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ApiServer {
    pub async fn start() -> std::io::Result<ApiServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let routes: Routes = Arc::new(Mutex::new(HashMap::new()));
        let r = routes.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of descriptors, most likely: back off instead of spinning.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve_connection(stream, r.clone()));
            }
        });
        Ok(ApiServer { addr, routes, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Registers a channel under a fresh token; returns the value for `AWS_LAMBDA_RUNTIME_API`.
    pub fn register(&self, channel: Arc<Channel>) -> (String, String) {
        let token = ids::token();
        self.lock().insert(token.clone(), channel);
        let value = format!("{}/{}", self.addr, token);
        (token, value)
    }

    pub fn unregister(&self, token: &str) {
        self.lock().remove(token);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Channel>>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A handle that can unregister tokens without keeping the server alive.
    pub fn routes(&self) -> RoutesHandle {
        RoutesHandle(Arc::downgrade(&self.routes))
    }
}

pub struct RoutesHandle(std::sync::Weak<Mutex<HashMap<String, Arc<Channel>>>>);

impl RoutesHandle {
    pub fn unregister(&self, token: &str) {
        if let Some(r) = self.0.upgrade() {
            r.lock().unwrap_or_else(|e| e.into_inner()).remove(token);
        }
    }
}

fn json_error(status: u16, error_type: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({"errorMessage": message, "errorType": error_type}).to_string();
    http::response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

fn accepted() -> Vec<u8> {
    http::response(
        202,
        &[("Content-Type", "application/json")],
        br#"{"status":"OK"}"#,
    )
}

async fn serve_connection(stream: TcpStream, routes: Routes) {
    let (read, mut write) = stream.into_split();
    let mut reader = http::Reader::new(read);
    loop {
        // The limit is decided per route below; read with the largest and judge afterwards.
        let req = match reader.next(STREAM_LIMIT, DISCARD_LIMIT).await {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(_) => {
                let _ = write
                    .write_all(&json_error(400, "InvalidRequest", "malformed HTTP request"))
                    .await;
                return;
            }
        };
        let close = req.close;
        let answer = route(req, &routes).await;
        if write.write_all(&answer).await.is_err() || close {
            return;
        }
    }
}

/// Splits `/TOKEN/2018-06-01/runtime/REST` into the token and `REST`.
fn split_path(path: &str) -> Option<(&str, &str)> {
    let path = path.split('?').next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    let (token, rest) = rest.split_once('/')?;
    let rest = rest.strip_prefix("2018-06-01/runtime/")?;
    Some((token, rest))
}

async fn route(req: Request, routes: &Routes) -> Vec<u8> {
    let path = req.path.clone();
    let Some((token, rest)) = split_path(&path) else {
        return json_error(404, "NotFound", "unknown path");
    };
    let channel = routes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(token)
        .cloned();
    let Some(ch) = channel else {
        return json_error(
            403,
            "Forbidden",
            "unknown runtime token: this API serves only the runtimes lambda-ls started",
        );
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("GET", ["invocation", "next"]) => next(&ch).await,
        ("POST", ["invocation", id, "response"]) => response(&ch, id, req),
        ("POST", ["invocation", id, "error"]) => error(&ch, id, req),
        ("POST", ["init", "error"]) => {
            let error_type = req
                .header("Lambda-Runtime-Function-Error-Type")
                .map(str::to_string);
            let body = if req.too_large || req.body.len() > ERROR_LIMIT {
                Vec::new()
            } else {
                req.body
            };
            let _ = ch.events.send(ApiEvent::InitError { error_type, body });
            accepted()
        }
        (_, ["invocation", "next"])
        | (_, ["invocation", _, "response" | "error"])
        | (_, ["init", "error"]) => json_error(405, "MethodNotAllowed", "method not allowed"),
        _ => json_error(404, "NotFound", "unknown Runtime API path"),
    }
}

fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

async fn next(ch: &Arc<Channel>) -> Vec<u8> {
    let inv = {
        let mut rx = ch.next.lock().await;
        rx.recv().await
    };
    let Some(inv) = inv else {
        // The instance is gone; the runtime client treats 500 as "exit".
        return json_error(
            500,
            "Runtime.Shutdown",
            "the function instance is shutting down",
        );
    };
    *ch.inflight() = Some(inv.request_id.clone());
    let at = Instant::now();
    if let Some(f) = ch.on_delivery.get() {
        f(&inv.request_id);
    }
    let deadline = (epoch_ms() + inv.timeout_ms).to_string();
    let _ = ch.events.send(ApiEvent::Delivered {
        request_id: inv.request_id.clone(),
        at,
    });
    let mut headers: Vec<(&str, &str)> = vec![
        ("Content-Type", "application/json"),
        ("Lambda-Runtime-Aws-Request-Id", &inv.request_id),
        ("Lambda-Runtime-Deadline-Ms", &deadline),
        ("Lambda-Runtime-Invoked-Function-Arn", &inv.function_arn),
        ("Lambda-Runtime-Trace-Id", &inv.trace_id),
    ];
    if let Some(c) = &inv.client_context {
        headers.push(("Lambda-Runtime-Client-Context", c));
    }
    if let Some(c) = &inv.cognito_identity {
        headers.push(("Lambda-Runtime-Cognito-Identity", c));
    }
    http::response(200, &headers, &inv.body)
}

fn invalid_id() -> Vec<u8> {
    json_error(
        400,
        "InvalidRequestID",
        "the request id is not the invocation in progress",
    )
}

fn response(ch: &Arc<Channel>, id: &str, req: Request) -> Vec<u8> {
    let streaming = req
        .header("Lambda-Runtime-Function-Response-Mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("streaming"));
    let limit = if streaming {
        STREAM_LIMIT
    } else {
        PAYLOAD_LIMIT
    };
    if req.too_large || req.body.len() > limit {
        if !ch.finish(id) {
            return invalid_id();
        }
        let _ = ch.events.send(ApiEvent::TooLarge {
            request_id: id.to_string(),
            len: req.body_len,
        });
        return json_error(
            413,
            "RequestEntityTooLarge",
            &format!("Exceeded maximum allowed payload size ({limit} bytes)."),
        );
    }
    if !ch.finish(id) {
        return invalid_id();
    }
    // A streamed response that failed midway reports the error in trailers.
    if let Some(error_type) = req.header("Lambda-Runtime-Function-Error-Type") {
        let body = req
            .header("Lambda-Runtime-Function-Error-Body")
            .and_then(ids::base64_decode)
            .unwrap_or_default();
        let _ = ch.events.send(ApiEvent::Error {
            request_id: id.to_string(),
            error_type: Some(error_type.to_string()),
            body,
        });
        return accepted();
    }
    let _ = ch.events.send(ApiEvent::Response {
        request_id: id.to_string(),
        body: req.body,
    });
    accepted()
}

fn error(ch: &Arc<Channel>, id: &str, req: Request) -> Vec<u8> {
    if !ch.finish(id) {
        return invalid_id();
    }
    let error_type = req
        .header("Lambda-Runtime-Function-Error-Type")
        .map(str::to_string);
    let body = if req.too_large || req.body.len() > ERROR_LIMIT {
        Vec::new()
    } else {
        req.body
    };
    let _ = ch.events.send(ApiEvent::Error {
        request_id: id.to_string(),
        error_type,
        body,
    });
    accepted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_token_and_route() {
        assert_eq!(
            split_path("/abc/2018-06-01/runtime/invocation/next"),
            Some(("abc", "invocation/next"))
        );
        assert_eq!(split_path("/2018-06-01/runtime/invocation/next"), None);
        assert_eq!(
            split_path("/t/2018-06-01/runtime/init/error?x=1"),
            Some(("t", "init/error"))
        );
    }
}
