//! How a client behaves: API version, retries, timeouts, user agent, the
//! HTTP client it uses and the clock it reads. Every field has a sensible
//! default.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Options for a client; `ClientOptions::default()` follows the Azure SDKs.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// The `api-version` to send, for APIs versioned that way; `None`
    /// sends the version the client was generated for.
    pub api_version: Option<String>,
    pub retry: RetryOptions,
    /// The longest one try may take, from connecting to the last byte of
    /// the answer. `None`: no limit.
    pub try_timeout: Option<Duration>,
    /// The longest a whole call may take, retries and waits included.
    /// `None`: no limit.
    pub call_timeout: Option<Duration>,
    /// Appended to the `User-Agent` (for example `my-app/1.2`).
    pub user_agent_suffix: Option<String>,
    /// The largest success body read, in bytes; a larger one is
    /// `Error::BodyTooLarge` and the rest is not read, so a service cannot
    /// make a call hold more memory than this. Error bodies are read up to
    /// `MAX_ERROR_BODY`.
    pub max_response_body: usize,
    /// The HTTP client to send with (to share a connection pool, or to set
    /// proxies or TLS); `None` builds one that follows no redirect. Build
    /// yours with `redirect(reqwest::redirect::Policy::none())` too: one
    /// that follows them sends the redirected request (without the
    /// `Authorization` header when the origin changes, but with the body
    /// and the other headers), and its answer is then refused as
    /// `Error::Redirected`.
    pub http_client: Option<reqwest::Client>,
    /// The wall clock: the `x-ms-date` an access key signs, the wait until
    /// a `Retry-After` date, whether a cached token is about to expire.
    /// Tests can fix it.
    pub clock: Arc<dyn Clock>,
}

/// 64 MiB: far above the JSON answers of the APIs this client is made for
/// (objects and pages of a few KiB to a few MiB), low enough that one
/// hostile or broken answer cannot take a process's memory.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            api_version: None,
            retry: RetryOptions::default(),
            try_timeout: Some(Duration::from_secs(30)),
            call_timeout: Some(Duration::from_secs(120)),
            user_agent_suffix: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            http_client: None,
            clock: Arc::new(SystemClock),
        }
    }
}

/// Exponential backoff with jitter, as `azure_core` does it: the n-th
/// retry (from 0) waits `initial_delay × 2^n` plus up to `max_jitter`,
/// each wait at most `max_delay`, all waits together at most
/// `max_total_delay`. A `Retry-After` on 429 or 503 replaces the backoff.
#[derive(Clone, Debug)]
pub struct RetryOptions {
    /// Retries after the first try; 0 turns retrying off.
    pub max_retries: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
    pub max_total_delay: Duration,
    pub max_jitter: Duration,
    /// How waits are made; tests can record them instead of sleeping.
    pub sleep: Arc<dyn Sleep>,
}

impl Default for RetryOptions {
    fn default() -> Self {
        Self {
            max_retries: 8,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(60),
            max_jitter: Duration::from_millis(255),
            sleep: Arc::new(TokioSleep),
        }
    }
}

/// Waits between tries.
pub trait Sleep: Send + Sync + std::fmt::Debug {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Waits with `tokio::time::sleep`.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Tells the time of day.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> SystemTime;
}

/// Reads `SystemTime::now()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
