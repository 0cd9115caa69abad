//! The function's log stream: lines read from the runtime's stdout and stderr (one pipe), delivered as
//! they arrive to whoever runs the current invocation, and kept (capped) for its result. Lines printed
//! between invocations (timers, background work) go to the next one, as Lambda does.

use super::procs;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::unix::pipe;

/// Receives each log line as it happens.
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Lambda splits log events at 256 KiB; so do we.
const MAX_LINE: usize = 256 * 1024;
/// Lines kept between invocations.
const MAX_PENDING: usize = 256 * 1024;

struct Target {
    sink: LogSink,
    lines: Vec<String>,
    bytes: usize,
    limit: usize,
    truncated: bool,
}

#[derive(Default)]
struct State {
    partial: Vec<u8>,
    target: Option<Target>,
    pending: Vec<String>,
    pending_bytes: usize,
}

pub struct LogRouter {
    rx: pipe::Receiver,
    /// Held while a chunk read from the pipe is turned into lines, so `settle` can tell when every
    /// byte written so far has been delivered.
    state: Mutex<State>,
}

impl LogRouter {
    pub fn new(read_end: OwnedFd) -> std::io::Result<Arc<LogRouter>> {
        let rx = pipe::Receiver::from_owned_fd(read_end)?;
        Ok(Arc::new(LogRouter {
            rx,
            state: Mutex::new(State::default()),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the pipe until every writer has closed it.
    pub async fn pump(self: Arc<Self>) {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if self.rx.readable().await.is_err() {
                break;
            }
            let mut state = self.lock();
            let mut eof = false;
            loop {
                match self.rx.try_read(&mut buf) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => state.feed(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(_) => {
                        eof = true;
                        break;
                    }
                }
            }
            if eof {
                state.flush_partial();
                break;
            }
        }
    }

    /// Starts delivering lines to `sink` (with what was printed since the last invocation).
    pub fn begin(&self, sink: LogSink, limit: usize) {
        let mut state = self.lock();
        let pending = std::mem::take(&mut state.pending);
        state.pending_bytes = 0;
        state.target = Some(Target {
            sink,
            lines: Vec::new(),
            bytes: 0,
            limit,
            truncated: false,
        });
        for line in pending {
            state.line(line);
        }
    }

    /// A platform line (`START`, `REPORT`, …) in the same stream.
    pub fn emit(&self, line: String) {
        let mut state = self.lock();
        match state.target.as_mut() {
            // Platform lines are always delivered, even past the cap.
            Some(t) => {
                (t.sink)(&line);
                t.lines.push(line);
            }
            None => state.line(line),
        }
    }

    /// Waits (briefly) until everything the runtime wrote before now has been delivered. Runtimes flush
    /// their output before posting a result, so after this the invocation's logs are complete.
    pub async fn settle(&self) {
        let fd = self.rx.as_raw_fd();
        for i in 0..400 {
            {
                let mut state = self.lock();
                if procs::pending_bytes(fd) == 0 {
                    state.flush_partial();
                    return;
                }
            }
            if i < 20 {
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }

    /// Stops delivering; returns the invocation's lines.
    pub fn end(&self) -> Vec<String> {
        self.lock()
            .target
            .take()
            .map(|t| t.lines)
            .unwrap_or_default()
    }
}

impl State {
    fn feed(&mut self, mut bytes: &[u8]) {
        while let Some(pos) = bytes.iter().position(|b| *b == b'\n') {
            self.partial.extend_from_slice(&bytes[..pos]);
            let line = std::mem::take(&mut self.partial);
            self.push_bytes(line);
            bytes = &bytes[pos + 1..];
        }
        self.partial.extend_from_slice(bytes);
        while self.partial.len() >= MAX_LINE {
            let rest = self.partial.split_off(MAX_LINE);
            let line = std::mem::replace(&mut self.partial, rest);
            self.push_bytes(line);
        }
    }

    fn flush_partial(&mut self) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.push_bytes(line);
        }
    }

    fn push_bytes(&mut self, mut line: Vec<u8>) {
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        self.line(String::from_utf8_lossy(&line).into_owned());
    }

    fn line(&mut self, line: String) {
        match self.target.as_mut() {
            Some(t) => {
                if t.truncated {
                    return;
                }
                if t.bytes + line.len() > t.limit {
                    t.truncated = true;
                    let note = format!(
                        "[lambda-ls] log output over {} KiB; the rest of this invocation's output is dropped",
                        t.limit / 1024
                    );
                    (t.sink)(&note);
                    t.lines.push(note);
                    return;
                }
                t.bytes += line.len();
                (t.sink)(&line);
                t.lines.push(line);
            }
            None => {
                if self.pending_bytes + line.len() <= MAX_PENDING {
                    self.pending_bytes += line.len();
                    self.pending.push(line);
                }
            }
        }
    }
}
