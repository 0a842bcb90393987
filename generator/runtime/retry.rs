//! When to try again, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use super::options::RetryOptions;

/// Statuses that say "try again": the service did not do the work, or
/// cannot say it did.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The wait before retry number `retry` (from 0), with jitter.
pub fn backoff(options: &RetryOptions, retry: u32) -> Duration {
    let exponential = options
        .initial_delay
        .checked_mul(2u32.saturating_pow(retry))
        .unwrap_or(options.max_delay);
    let jitter_ms = u64::try_from(options.max_jitter.as_millis()).unwrap_or(u64::MAX);
    let jitter = Duration::from_millis(fastrand::u64(0..=jitter_ms));
    exponential.saturating_add(jitter).min(options.max_delay)
}

/// What the service asked for on 429 and 503: `x-ms-retry-after-ms`,
/// `retry-after-ms`, then `Retry-After` (seconds or an HTTP date). A value
/// too large for a `Duration` saturates (the caller then gives up rather
/// than wait); one that is not a number or date (negative, NaN, text) is
/// ignored, as is any header but the first of a name.
pub fn retry_after(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if status != 429 && status != 503 {
        return None;
    }
    asked_wait(headers, now)
}

/// The wait the headers ask for, whatever the status (a long-running
/// operation's monitor says when to ask again): `x-ms-retry-after-ms`,
/// `retry-after-ms`, then `Retry-After`, read as [`retry_after`] reads them.
pub fn asked_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    for name in ["x-ms-retry-after-ms", "retry-after-ms"] {
        if let Some(ms) = header(name).and_then(|v| v.parse::<f64>().ok())
            && ms.is_finite()
            && ms >= 0.0
        {
            return Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX));
        }
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}
