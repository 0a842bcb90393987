//! Serving the endpoint on a socket within bounds: how long a client may
//! take to send a request head (or stay idle), how many connections are
//! served at once, and how long shutdown waits for them. `axum::serve`
//! exposes none of these, so this is hyper's HTTP/1.1 connection builder
//! driven by an accept loop.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// What one client may hold, and for how long. The defaults suit a local
/// endpoint under tests; [`Limits::DEFAULT`] documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a connection has to send a whole request head, counted
    /// from when it opens or from its previous answer: this also closes
    /// idle keep-alive connections.
    pub header_timeout: Duration,
    /// How long a request's body may take to arrive in full; past it the
    /// request is answered 408 and its connection closed.
    pub body_timeout: Duration,
    /// Bytes of request bodies held in memory at once, across connections;
    /// a body that would pass it is answered 503 `ServerBusy` (retry).
    pub body_memory: usize,
    /// Connections served at once; more wait, unaccepted, in the listen
    /// backlog. Lowered to stay below the process's open-file limit.
    pub max_connections: usize,
    /// How long shutdown waits for the requests in flight before it drops
    /// the connections left.
    pub shutdown_grace: Duration,
    /// Bytes of resources the emulator stores, each counted as its JSON
    /// plus a fixed overhead; a change past it is refused with 507
    /// `EmulatorStorageFull` (see `state::budget`).
    pub stored_bytes: usize,
}

impl Limits {
    /// Request heads and idle connections 10 s, bodies 10 s, 64 MiB of
    /// bodies at once, 1,024 connections, 3 s of grace at shutdown, 256 MiB
    /// of resources stored.
    pub const DEFAULT: Limits = Limits {
        header_timeout: Duration::from_secs(10),
        body_timeout: Duration::from_secs(10),
        body_memory: 64 * 1024 * 1024,
        max_connections: 1024,
        shutdown_grace: Duration::from_secs(3),
        stored_bytes: 256 * 1024 * 1024,
    };
}

impl Default for Limits {
    /// [`Limits::DEFAULT`].
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The largest request head (and read buffer) a connection may fill; a
/// larger head is answered 431. Hyper's default, ~400 KiB, would let a
/// thousand slow clients hold 400 MB.
const MAX_HEAD: usize = 64 * 1024;

/// Open files kept for the rest of the process (listener, runtime,
/// fixtures, logs) when the connection limit is lowered to fit.
const RESERVED_FILES: usize = 64;

/// How long to wait after `accept` fails (out of file descriptors, a
/// connection reset before it was accepted) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// `limits.max_connections`, lowered below the open-file limit so that
/// accepting can never run out of descriptors.
fn connection_limit(limits: &Limits) -> usize {
    match open_file_limit() {
        Some(files) => limits
            .max_connections
            .min(files.saturating_sub(RESERVED_FILES))
            .max(1),
        None => limits.max_connections.max(1),
    }
}

/// The soft limit on open files, where the system tells it (Linux); the
/// connection limit stays below it, and the attack bench checks it.
pub fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Serves `app` on `listener` until `stop` completes, then stops accepting,
/// lets the requests in flight finish for up to `limits.shutdown_grace`,
/// and drops whatever connections are left.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true);
    let service = TowerToHyperService::new(app);
    let permits = Arc::new(Semaphore::new(connection_limit(&limits)));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        // Forget the connections that ended, so the set stays small.
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        // Answers are small and written at once: no reason to delay them.
        let _ = stream.set_nodelay(true);
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(stream), service.clone()));
        connections.spawn(async move {
            // A connection's own failure (a timeout, a reset, garbage)
            // concerns only that client.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await;
    connections.shutdown().await;
}
