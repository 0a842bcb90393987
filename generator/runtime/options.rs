//! How a client behaves: API version, retries, timeouts, user agent and
//! the HTTP client it uses. Every field has a sensible default.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

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
    /// The HTTP client to send with (to share a connection pool, or to set
    /// proxies or TLS); `None` builds one.
    pub http_client: Option<reqwest::Client>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            api_version: None,
            retry: RetryOptions::default(),
            try_timeout: Some(Duration::from_secs(30)),
            call_timeout: Some(Duration::from_secs(120)),
            user_agent_suffix: None,
            http_client: None,
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
