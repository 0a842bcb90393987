//! A local emulator of Azure Communication Services Job Router, API
//! 2023-11-01: every operation decoded and dispatched by the generated
//! server side of `job_router_client`, answered from one in-memory state.
//!
//! `ReferenceServer::start` runs it in-process (tests and the conformance
//! runner use `127.0.0.1:0`); `cargo xtask serve` runs it from the command
//! line; [`router`] gives the axum router to embed in another server.
//! [`host`] is HTTP, signatures, limits and errors; [`service`] maps the
//! operations onto [`state`], which holds the resources and the rules
//! (matching, offers, the job lifecycle).

pub mod host;
pub mod service;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

pub use host::auth::{AccessKey, content_hash, string_to_sign};
pub use host::clock::{Clock, ManualClock, SystemClock};
pub use host::errors::{Dialect, SUPPORTED_API_VERSIONS};
pub use host::fixtures::{
    AssignmentFixture, Fixtures, FixturesError, JobFixture, JobStatus, OfferFixture, Seed,
    WorkerFixture,
};
pub use host::http::MAX_BODY;
pub use host::serve::{Limits, open_file_limit};
pub use state::{Assignment, Event, Job, Note, RESOURCE_OVERHEAD, Snapshot, Worker};

/// How the endpoint starts.
#[derive(Debug, Clone)]
pub struct Config {
    pub fixtures: Fixtures,
    /// When set, every request must be signed with this key.
    pub access_key: Option<AccessKey>,
    pub dialect: Dialect,
    pub clock: Arc<dyn Clock>,
    /// Timeouts and the connection limit, so slow or idle clients cannot
    /// hold the endpoint.
    pub limits: Limits,
}

impl Default for Config {
    /// The documented example's job, no authentication, the spec's error
    /// dialect, the system clock, the default [`Limits`].
    fn default() -> Self {
        Self {
            fixtures: Fixtures::default(),
            access_key: None,
            dialect: Dialect::Spec,
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
        }
    }
}

/// The endpoint as an axum router, with a handle on its state. Fixtures
/// that [`Fixtures::check`] refuses start it empty ([`ReferenceServer::start`]
/// refuses them instead).
pub fn router(config: Config) -> (axum::Router, Handle) {
    let now = config.clock.now();
    let app = Arc::new(host::http::App {
        router: service::Emulator::new(
            initial(&config.fixtures, now, config.limits.stored_bytes),
            config.clock,
        ),
        access_key: config.access_key,
        dialect: config.dialect,
        body_timeout: config.limits.body_timeout,
        body_memory: tokio::sync::Semaphore::new(
            config
                .limits
                .body_memory
                .min(tokio::sync::Semaphore::MAX_PERMITS),
        ),
    });
    let handle = Handle {
        app: app.clone(),
        fixtures: Arc::new(config.fixtures),
        stored_bytes: config.limits.stored_bytes,
    };
    (host::http::router(app), handle)
}

/// A view of a running endpoint's state.
#[derive(Debug, Clone)]
pub struct Handle {
    app: Arc<host::http::App>,
    fixtures: Arc<Fixtures>,
    /// [`Limits::stored_bytes`], kept across resets.
    stored_bytes: usize,
}

impl Handle {
    /// Jobs, workers and events as of now.
    pub fn snapshot(&self) -> Snapshot {
        self.app.router.snapshot()
    }

    /// Starts over from the fixtures, so one test's closes cannot mask
    /// another's (the conformance runner resets before every case).
    pub fn reset(&self) {
        self.reset_to(&self.fixtures);
    }

    /// Starts over from `fixtures` instead of the ones it started with
    /// (the conformance runner seeds each operation's cases with the state
    /// its examples assume); fixtures [`Fixtures::check`] refuses leave it
    /// empty.
    pub fn reset_to(&self, fixtures: &Fixtures) {
        let now = self.app.router.clock.now();
        self.app
            .router
            .replace(initial(fixtures, now, self.stored_bytes));
    }
}

/// The state `fixtures` describe at `now`, storing at most `stored_bytes`
/// more; empty when they are refused.
fn initial(fixtures: &Fixtures, now: jiff::Timestamp, stored_bytes: usize) -> state::State {
    state::State::new(fixtures, now)
        .unwrap_or_default()
        .with_storage_limit(stored_bytes)
}

/// The endpoint listening on a socket.
#[derive(Debug)]
pub struct ReferenceServer {
    address: SocketAddr,
    handle: Handle,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl ReferenceServer {
    /// Binds `address` (port 0 picks a free one) and serves, within
    /// `config.limits`, until [`ReferenceServer::shutdown`].
    pub async fn start(address: SocketAddr, config: Config) -> std::io::Result<Self> {
        config
            .fixtures
            .check()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = tokio::net::TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let limits = config.limits;
        let (app, handle) = router(config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(host::serve::serve(listener, app, limits, async {
            // A dropped sender stops the server too.
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            handle,
            stop,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Stops accepting connections, lets the requests in flight finish
    /// for up to the shutdown grace, drops the connections left (slow or
    /// idle clients), and returns once the server has stopped.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(());
        self.task
            .await
            .map_err(|e| std::io::Error::other(format!("the server task failed: {e}")))
    }
}
