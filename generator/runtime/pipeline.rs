//! Sends a request the way every call is sent: endpoint, authentication,
//! request ids (`azure`), user agent, retries and timeouts.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, USER_AGENT};
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::auth::Authenticator;
use super::credential::{ApiKeyScheme, Credential};
use super::error::shown_url;
use super::options::{ClientOptions, Clock, RetryOptions};
use super::retry::{backoff, is_retryable_status, retry_after};
use super::{Error, ErrorBody, HttpError, MAX_ERROR_BODY, Request, Response, TimeoutScope};

#[cfg(feature = "azure")]
const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

/// `User-Agent` before the suffix: the Azure SDKs' form under `azure`.
#[cfg(feature = "azure")]
fn user_agent() -> String {
    format!(
        "azsdk-rust-{}/{} ({}; {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// `User-Agent` before the suffix: the crate and its version.
#[cfg(not(feature = "azure"))]
fn user_agent() -> String {
    format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
}

/// Where requests go and how they are sent.
#[derive(Debug, Clone)]
pub struct Pipeline {
    endpoint: Url,
    http: reqwest::Client,
    auth: Authenticator,
    clock: Arc<dyn Clock>,
    retry: RetryOptions,
    try_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    max_response_body: usize,
    user_agent: HeaderValue,
    #[cfg(feature = "azure")]
    client_request_id: Option<HeaderValue>,
}

impl Pipeline {
    /// Checks that `endpoint` is an absolute `http` or `https` URL without
    /// query or fragment; its path, if any, prefixes every operation's path.
    pub fn new<E>(
        endpoint: &str,
        credential: Credential,
        options: &ClientOptions,
    ) -> Result<Self, Error<E>> {
        let invalid = |reason: &str| Error::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(endpoint).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if url.host_str().is_none() {
            return Err(invalid("a host is required"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("an endpoint cannot carry a query or a fragment"));
        }
        let http = match &options.http_client {
            Some(http) => http.clone(),
            // A redirected request is no longer this one: a POST turned into a
            // GET, or the signed body sent elsewhere. A 3xx is an answer.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(Error::Transport)?,
        };
        let mut user_agent = user_agent();
        if let Some(suffix) = &options.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent =
            HeaderValue::from_str(&user_agent).map_err(|_| Error::InvalidArgument {
                name: "user_agent_suffix",
                reason: "not a valid header value".to_owned(),
            })?;
        Ok(Self {
            endpoint: url,
            http,
            auth: Authenticator::new(credential, options.clock.clone()),
            clock: options.clock.clone(),
            retry: options.retry.clone(),
            try_timeout: options.try_timeout,
            call_timeout: options.call_timeout,
            max_response_body: options.max_response_body,
            user_agent,
            #[cfg(feature = "azure")]
            client_request_id: None,
        })
    }

    /// This pipeline, sending an API key (`Credential::ApiKey`) where
    /// `scheme` says: the API's `apiKey` security scheme.
    pub fn with_api_key_scheme(self, scheme: ApiKeyScheme) -> Self {
        Self {
            auth: self.auth.with_api_key_scheme(scheme),
            ..self
        }
    }

    /// This pipeline, sending `id` as `x-ms-client-request-id` instead of a
    /// fresh UUID per call.
    #[cfg(feature = "azure")]
    pub fn with_client_request_id<E>(&self, id: &str) -> Result<Self, Error<E>> {
        let value = HeaderValue::from_str(id).map_err(|_| Error::InvalidArgument {
            name: CLIENT_REQUEST_ID,
            reason: "not a valid header value".to_owned(),
        })?;
        Ok(Self {
            client_request_id: Some(value),
            ..self.clone()
        })
    }

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Waits `duration` the way retries wait (`RetryOptions::sleep`), so
    /// tests record the waits of a long-running operation too.
    pub(crate) async fn sleep(&self, duration: Duration) {
        self.retry.sleep.sleep(duration).await;
    }

    /// The wait an answer asks for (`Retry-After` and its kin), dates read
    /// against the client's clock.
    pub(crate) fn asked_wait(&self, response: &Response) -> Option<Duration> {
        super::retry::asked_wait(response.headers(), self.clock.now())
    }

    /// The URL of `path` (already percent-encoded) under the endpoint.
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    /// Sends `request` for `operation`, retrying as the options say, and
    /// reads the answer (up to the body caps).
    pub async fn send<E: ErrorBody>(
        &self,
        request: Request,
        operation: &'static str,
    ) -> Result<Response, Error<E>> {
        // What every try of this call carries besides the request's own.
        let mut call_headers = HeaderMap::new();
        call_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        call_headers.insert(USER_AGENT, self.user_agent.clone());
        #[cfg(feature = "azure")]
        let span = {
            let id = match &self.client_request_id {
                Some(id) => id.clone(),
                None => HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
                    .unwrap_or_else(|_| HeaderValue::from_static("unknown")),
            };
            let span = tracing::info_span!(
                "call",
                operation,
                client_request_id = id.to_str().unwrap_or_default()
            );
            call_headers.insert(CLIENT_REQUEST_ID, id);
            span
        };
        #[cfg(not(feature = "azure"))]
        let span = tracing::info_span!("call", operation);
        // The last error status answered, kept for a timeout's error.
        let mut last = None;
        let deadline = self
            .call_timeout
            .and_then(|limit| Instant::now().checked_add(limit));
        let call = self
            .send_with_retries(&request, &call_headers, deadline, &mut last)
            .instrument(span);
        match self.call_timeout {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Error::Timeout {
                    scope: TimeoutScope::Call,
                    after: limit,
                    last,
                }),
            },
            None => call.await,
        }
    }

    /// Tries until an answer is final, the retries or the wait budget are
    /// spent, or the next wait would pass the call's `deadline`.
    async fn send_with_retries<E: ErrorBody>(
        &self,
        request: &Request,
        call_headers: &HeaderMap,
        deadline: Option<Instant>,
        last: &mut Option<Box<HttpError<E>>>,
    ) -> Result<Response, Error<E>> {
        let mut waited = Duration::ZERO;
        let mut attempt = 1u32;
        loop {
            let span = tracing::debug_span!("try", attempt);
            let outcome = self
                .try_once(request, call_headers, attempt)
                .instrument(span)
                .await;
            let wait = match &outcome {
                Ok(response) if is_retryable_status(response.status()) => Some(
                    retry_after(response.status(), response.headers(), self.clock.now())
                        .unwrap_or_else(|| backoff(&self.retry, attempt - 1)),
                ),
                Err(error) if is_retryable_error(error) => Some(backoff(&self.retry, attempt - 1)),
                _ => None,
            };
            let Some(wait) = wait else {
                return with_last(outcome, last);
            };
            let total = waited.saturating_add(wait);
            let past_deadline = deadline
                .is_some_and(|at| Instant::now().checked_add(wait).is_none_or(|end| end >= at));
            if attempt > self.retry.max_retries
                || total > self.retry.max_total_delay
                || past_deadline
            {
                tracing::debug!(attempt, "giving up");
                return with_last(outcome, last);
            }
            if let Ok(response) = outcome {
                *last = Some(Box::new(response.into_http_error()));
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            self.retry.sleep.sleep(wait).await;
            waited = total;
            attempt += 1;
        }
    }

    async fn try_once<E>(
        &self,
        request: &Request,
        call_headers: &HeaderMap,
        attempt: u32,
    ) -> Result<Response, Error<E>> {
        let mut headers = request.headers.clone();
        headers.extend(call_headers.clone());
        let sent = self.auth.apply(request, headers).await?;
        let mut builder = self
            .http
            .request(request.method.clone(), sent.url.clone())
            .headers(sent.headers)
            .body(request.body.clone());
        if let Some(limit) = self.try_timeout {
            builder = builder.timeout(limit);
        }
        let timed_out = |after| Error::Timeout {
            scope: TimeoutScope::Try,
            after,
            last: None,
        };
        // reqwest's errors show the URL; not when it holds the API key.
        let secret_in_url = self.auth.secret_in_url();
        let transport = |e: reqwest::Error| match self.try_timeout {
            Some(limit) if e.is_timeout() => timed_out(limit),
            _ if secret_in_url => Error::Transport(e.without_url()),
            _ => Error::Transport(e),
        };
        let mut response = builder.send().await.map_err(transport)?;
        if response.url() != &sent.url {
            let mut to = response.url().clone();
            if secret_in_url {
                to.set_query(None);
            }
            return Err(Error::Redirected {
                to: shown_url(to.as_str()),
            });
        }
        let status = response.status();
        // Success bodies are refused past the cap; error bodies are cut
        // there, so the status and its headers still reach the caller.
        let limit = match status.is_success() {
            true => self.max_response_body,
            false => MAX_ERROR_BODY,
        };
        let too_large = || Error::BodyTooLarge {
            status: status.as_u16(),
            limit,
        };
        if status.is_success()
            && response
                .content_length()
                .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        let headers = std::mem::take(response.headers_mut());
        let (body, complete) = read_body(&mut response, limit).await.map_err(transport)?;
        tracing::debug!(
            status = status.as_u16(),
            bytes = body.len(),
            complete,
            "answered"
        );
        if status.is_success() && !complete {
            return Err(too_large());
        }
        Ok(Response::new(status, headers, body, complete, attempt))
    }
}

/// The body, read up to `limit` bytes (and holding no more than that);
/// `false` when there was more.
async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if !append_within(&mut body, &chunk, limit) {
            return Ok((body, false));
        }
    }
    Ok((body, true))
}

/// Appends what of `chunk` fits under `limit`, growing as `Vec` does
/// (doubling) but never reserving past `limit`; `false` when some was cut.
fn append_within(body: &mut Vec<u8>, chunk: &[u8], limit: usize) -> bool {
    let room = limit - body.len();
    let (part, complete) = match chunk.len() > room {
        true => (&chunk[..room], false),
        false => (chunk, true),
    };
    if body.capacity() - body.len() < part.len() {
        let target = (body.capacity() * 2)
            .max(body.len() + part.len())
            .min(limit);
        body.reserve_exact(target - body.len());
    }
    body.extend_from_slice(part);
    complete
}

/// A timeout's error with the last error status answered before it.
fn with_last<E>(
    outcome: Result<Response, Error<E>>,
    last: &mut Option<Box<HttpError<E>>>,
) -> Result<Response, Error<E>> {
    match outcome {
        Err(Error::Timeout {
            scope,
            after,
            last: None,
        }) => Err(Error::Timeout {
            scope,
            after,
            last: last.take(),
        }),
        other => other,
    }
}

/// Failures worth another try: the connection was never made (nothing was
/// sent), or a try ran out of time.
fn is_retryable_error<E>(error: &Error<E>) -> bool {
    match error {
        Error::Transport(e) => e.is_connect(),
        Error::Timeout { scope, .. } => *scope == TimeoutScope::Try,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::append_within;

    /// Appends each chunk and returns (capacity, complete) after each.
    fn grow(chunks: &[usize], limit: usize) -> (Vec<u8>, Vec<(usize, bool)>) {
        let mut body = Vec::new();
        let steps = chunks
            .iter()
            .map(|&len| {
                let complete = append_within(&mut body, &vec![7; len], limit);
                (body.capacity(), complete)
            })
            .collect();
        (body, steps)
    }

    #[test]
    fn capacity_doubles_fits_exactly_and_stops_at_the_limit() {
        // 3 → 3; 3 → max(6, 6); 3 → max(12, 9); 3 fills the 12 without
        // growing; 50 → max(24, 62); 60 has room for 38: cut at the limit.
        let (body, steps) = grow(&[3, 3, 3, 3, 50, 60], 100);
        assert_eq!(
            steps,
            [
                (3, true),
                (6, true),
                (12, true),
                (12, true),
                (62, true),
                (100, false)
            ]
        );
        assert_eq!(body, vec![7; 100]);
    }

    #[test]
    fn a_body_of_exactly_the_limit_is_complete_and_holds_no_more() {
        let (body, steps) = grow(&[3, 3], 6);
        assert_eq!(steps, [(3, true), (6, true)]);
        assert_eq!(body.len(), 6);
    }

    #[test]
    fn a_chunk_larger_than_the_limit_reserves_only_the_limit() {
        // An error body whose `Content-Length` (or first chunk) is past
        // the cap: nothing beyond the cap is held.
        let (body, steps) = grow(&[9000], 4096);
        assert_eq!(steps, [(4096, false)]);
        assert_eq!(body.len(), 4096);
    }
}
