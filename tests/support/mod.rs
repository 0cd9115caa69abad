//! Test support: drives the real `lambda-ls` binary as an editor (an LSP client over stdio with real
//! Content-Length framing) or as CI (a child process with arguments). Every wait has a timeout.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lambda-ls"))
}

/// Runs `lambda-ls ARGS` in `dir` and returns its output, killing it if it outlives `TIMEOUT`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with_stdin(dir, args, None)
}

pub fn run_with_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lambda-ls");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let stdout = read_all(child.stdout.take().expect("stdout"));
    let stderr = read_all(child.stderr.take().expect("stderr"));
    let status = wait_with_timeout(&mut child, TIMEOUT).expect("lambda-ls did not finish in time");
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

fn read_all<R: Read + Send + 'static>(mut r: R) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        buf
    })
}

pub fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A folder of files for one test, removed afterwards.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = Project { dir };
        for (name, text) in files {
            p.write(name, text.as_bytes());
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.file(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write");
    }

    pub fn uri(&self, name: &str) -> String {
        file_uri(&self.file(name))
    }
}

pub fn file_uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for c in path.to_string_lossy().chars() {
        match c {
            ' ' => s.push_str("%20"),
            '#' => s.push_str("%23"),
            '?' => s.push_str("%3F"),
            '%' => s.push_str("%25"),
            c => s.push(c),
        }
    }
    s
}

/// A language client talking to `lambda-ls serve` over pipes.
pub struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    backlog: VecDeque<Value>,
    /// Server-to-client requests seen (method, params), answered automatically.
    pub server_requests: Vec<(String, Value)>,
    /// What to answer to `workspace/configuration` items.
    pub configuration: Value,
}

impl Lsp {
    pub fn start() -> Lsp {
        Self::start_with(&["serve"])
    }

    pub fn start_with(args: &[&str]) -> Lsp {
        Self::spawn(args, &[])
    }

    pub fn start_with_env(env: &[(&str, &str)]) -> Lsp {
        Self::spawn(&["serve"], env)
    }

    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Lsp {
        let mut child = Command::new(bin())
            .args(args)
            .envs(env.iter().copied())
            .env("LAMBDA_LS_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn lambda-ls serve");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        length = v.trim().parse::<usize>().ok();
                    }
                }
                let Some(n) = length else { return };
                let mut body = vec![0; n];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: VecDeque::new(),
            server_requests: Vec::new(),
            configuration: Value::Null,
        }
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("json");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
        stdin.write_all(&body).expect("write body");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.request_async(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        // Responses can arrive out of order; one may already be waiting in the backlog.
        let is_response = |m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none();
        if let Some(pos) = self.backlog.iter().position(is_response) {
            let msg = self.backlog.remove(pos).unwrap_or_default();
            return match msg.get("error") {
                Some(err) => Err(err.clone()),
                None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
            };
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                if let Some(err) = msg.get("error") {
                    return Err(err.clone());
                }
                return Ok(msg.get("result").cloned().unwrap_or(Value::Null));
            }
            self.backlog.push_back(msg);
        }
    }

    /// The next message, answering server-to-client requests on the way.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    if msg.get("method").is_some() && msg.get("id").is_some() {
                        self.answer_server_request(&msg);
                        continue;
                    }
                    return Some(msg);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            }
        }
    }

    fn answer_server_request(&mut self, msg: &Value) {
        let method = msg["method"].as_str().unwrap_or("").to_string();
        let result = match method.as_str() {
            "workspace/configuration" => {
                let n = msg["params"]["items"]
                    .as_array()
                    .map(|a| a.len())
                    .unwrap_or(0);
                Value::Array(vec![self.configuration.clone(); n])
            }
            _ => Value::Null,
        };
        self.server_requests.push((method, msg["params"].clone()));
        let reply = json!({"jsonrpc": "2.0", "id": msg["id"].clone(), "result": result});
        self.send(&reply);
    }

    /// Waits for a notification `method` whose params satisfy `pred`; earlier ones stay queued.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(method, TIMEOUT, pred)
            .unwrap_or_else(|| panic!("timed out waiting for {method}"))
    }

    pub fn try_wait_for(
        &mut self,
        method: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(pos) = self
            .backlog
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.backlog.remove(pos).map(|m| m["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.recv(deadline)?;
            if msg["method"] == method && pred(&msg["params"]) {
                return Some(msg["params"].clone());
            }
            self.backlog.push_back(msg);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// All notifications received so far and not consumed.
    pub fn drain(&mut self) -> Vec<Value> {
        while let Ok(msg) = self.rx.try_recv() {
            if msg.get("method").is_some() && msg.get("id").is_some() {
                self.answer_server_request(&msg);
            } else {
                self.backlog.push_back(msg);
            }
        }
        self.backlog.drain(..).collect()
    }

    pub fn initialize(&mut self, root: &Path, utf8: bool) -> Value {
        self.initialize_with(root, utf8, json!({}))
    }

    pub fn initialize_with(&mut self, root: &Path, utf8: bool, options: Value) -> Value {
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": std::process::id(),
                    "rootUri": file_uri(root),
                    "workspaceFolders": [{"uri": file_uri(root), "name": "root"}],
                    "initializationOptions": options,
                    "capabilities": {
                        "general": {"positionEncodings": encodings},
                        "workspace": {
                            "didChangeWatchedFiles": {"dynamicRegistration": true},
                            "configuration": true,
                            "workspaceFolders": true
                        },
                        "textDocument": {
                            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
                            "completion": {"completionItem": {"snippetSupport": true}},
                            "hover": {"contentFormat": ["markdown", "plaintext"]}
                        }
                    }
                }),
            )
            .expect("initialize");
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    /// An incremental change replacing `range` ((line, character) pairs) with `text`.
    pub fn change(
        &mut self,
        uri: &str,
        version: i64,
        start: (u32, u32),
        end: (u32, u32),
        text: &str,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": start.0, "character": start.1},
                              "end": {"line": end.0, "character": end.1}},
                    "text": text
                }]
            }),
        );
    }

    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown_exit(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null).expect("shutdown");
        self.notify("exit", Value::Null);
        self.stdin.take();
        wait_with_timeout(&mut self.child, TIMEOUT).expect("server did not exit")
    }

    /// `exit` without `shutdown`.
    pub fn exit_only(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        self.stdin.take();
        wait_with_timeout(&mut self.child, TIMEOUT).expect("server did not exit")
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Position helpers over a test's own text, to compute expected ranges independently of the server.
pub fn utf16_col(line: &str, byte_col: usize) -> usize {
    line[..byte_col].encode_utf16().count()
}

/// (line, byte column) of the first occurrence of `needle`.
pub fn find(text: &str, needle: &str) -> (usize, usize) {
    let off = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line = text[..off].matches('\n').count();
    let line_start = text[..off].rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, off - line_start)
}
