//! The language server edge: the only module that knows LSP. It converts protocol positions to byte offsets
//! once, calls the workspace and feature functions, and converts the answers back.

mod convert;
mod documents;
mod features;
mod invoke;
mod server;
mod session;
mod settings;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::{LspService, Server};

/// How long an idle analysis thread stays around.
const THREAD_KEEP_ALIVE: Duration = Duration::from_secs(2);

/// Runs the server on stdin/stdout until `exit`. Returns the process exit code: 0 after `shutdown` then
/// `exit`, 1 when the client went away (or sent `exit`) without `shutdown`.
pub fn run_stdio() -> u8 {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Analysis is CPU-bound: more threads than this only hold more parser state in memory. Idle ones
        // leave soon, so memory goes back down after a burst.
        .max_blocking_threads(8)
        .thread_keep_alive(THREAD_KEEP_ALIVE)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return 1;
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    runtime.block_on(async move {
        let (service, socket) =
            LspService::build(move |client| server::Backend::new(client, flag)).finish();
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // Functions started by `lambda-ls.invoke` must not outlive the server.
    invoke::shutdown();
    // Analysis still running on blocking threads must not keep a closed server alive.
    runtime.shutdown_timeout(Duration::from_millis(200));
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// Hands freed memory back to the system. glibc keeps freed blocks in per-thread arenas, so after a burst
/// of edits on many documents the resident size would otherwise stay at its peak after they are closed.
pub(crate) fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers from us.
        unsafe {
            malloc_trim(0);
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("LAMBDA_LS_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
