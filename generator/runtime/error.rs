//! The error type every generated operation returns.

use std::time::Duration;

/// How much of an unparsable response body an error keeps.
pub const MAX_RAW_BODY: usize = 64 * 1024;

/// How much of the body of an error status is read: enough for any error
/// document, while an endless one cannot hold the call's memory.
pub const MAX_ERROR_BODY: usize = 1024 * 1024;

/// The response header that identifies a request to the service's support.
#[cfg(feature = "azure")]
pub(crate) const REQUEST_ID: &str = "x-ms-request-id";
#[cfg(not(feature = "azure"))]
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// How much of a URL from the service (`Location`) a message shows.
const MAX_URL_SHOWN: usize = 2048;

/// Everything that can go wrong when calling the service.
///
/// `E` is the error body the operation declares (for Azure services,
/// `ErrorResponse`); operations that declare none use `serde_json::Value`.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = serde_json::Value> {
    /// The endpoint URL cannot be used to reach the service.
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint { endpoint: String, reason: String },
    /// An argument cannot be sent as given.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument { name: &'static str, reason: String },
    /// The request body could not be serialized to JSON.
    #[error("cannot serialize the request body: {0}")]
    Serialize(#[source] serde_json::Error),
    /// The credential cannot be used (bad key, connection string, token).
    #[error("invalid credential: {reason}")]
    InvalidCredential { reason: String },
    /// The request did not complete (connection refused or reset, TLS, I/O).
    #[error("request failed: {}", transport_cause(.0))]
    Transport(#[source] reqwest::Error),
    /// A try, or the whole call, ran out of time.
    #[error("timed out: {scope} took longer than {after:?}{}", last_answer(.last))]
    Timeout {
        scope: TimeoutScope,
        after: Duration,
        /// The last error status the service answered before time ran
        /// out (a try that was to be retried), if any.
        last: Option<Box<HttpError<E>>>,
    },
    /// The HTTP client followed a redirect (only a client given as
    /// `ClientOptions::http_client` can): the answer is another request's,
    /// so it is not taken as this one's, success or not.
    #[error(
        "the HTTP client followed a redirect to `{to}`; that answer is not taken as this \
         request's (build ClientOptions::http_client with reqwest::redirect::Policy::none())"
    )]
    Redirected {
        /// Where the answer came from.
        to: String,
    },
    /// A success body is larger than `ClientOptions::max_response_body`;
    /// reading stopped there.
    #[error(
        "HTTP {status} response body is larger than the limit of {limit} bytes \
         (ClientOptions::max_response_body); the rest was not read"
    )]
    BodyTooLarge { status: u16, limit: usize },
    /// The service answered with an error status.
    #[error("{0}")]
    Http(Box<HttpError<E>>),
    /// A long-running operation ended failed or canceled.
    #[error("{0}")]
    OperationFailed(Box<OperationFailure<E>>),
    /// A success response does not match the schema the spec declares.
    #[error(
        "HTTP {status} response does not match the declared schema at `{}`: {}",
        Printable(path),
        Printable(&source.to_string())
    )]
    Decode {
        status: u16,
        /// Where in the body decoding failed, as a serde path (`a.b[0].c`).
        path: String,
        #[source]
        source: serde_json::Error,
        /// The body as received (at most [`MAX_RAW_BODY`] bytes of it).
        body: String,
    },
}

/// How a long-running operation ended when it did not succeed, with the
/// status monitor's error, if it gave one.
#[derive(Debug)]
pub struct OperationFailure<E> {
    pub operation: &'static str,
    pub status: super::LroStatus,
    /// The monitor's `error.code`.
    pub error_code: Option<String>,
    /// The monitor's `error.message`.
    pub message: Option<String>,
    /// The monitor's body, parsed as the operation's error type.
    pub body: Option<E>,
}

impl<E> std::fmt::Display for OperationFailure<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "long-running operation `{}` ended {}{}",
            self.operation,
            ended(&self.status),
            detail(self.error_code.as_deref(), self.message.as_deref())
        )
    }
}

fn ended(status: &super::LroStatus) -> &'static str {
    match status {
        super::LroStatus::Canceled => "canceled",
        super::LroStatus::Failed => "failed",
        super::LroStatus::Succeeded => "succeeded",
        super::LroStatus::InProgress(_) => "unfinished",
    }
}

/// `: code: message` from what the service said, escaped.
fn detail(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!(": {}: {}", Printable(code), Printable(message)),
        (Some(text), None) | (None, Some(text)) => format!(": {}", Printable(text)),
        (None, None) => String::new(),
    }
}

/// The error body an operation declares, read knowing the status: one
/// type for every status (any `DeserializeOwned`), or a generated enum with
/// a variant per status when the spec gives the statuses different bodies.
pub trait ErrorBody: Sized {
    /// The body of an answer with `status`, when it is the declared one.
    fn from_response(status: u16, body: &[u8]) -> Option<Self>;
}

impl<T: serde::de::DeserializeOwned> ErrorBody for T {
    fn from_response(_status: u16, body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }
}

/// An error status from the service, with what it said about it.
#[derive(Debug)]
pub struct HttpError<E> {
    /// The HTTP status code.
    pub status: u16,
    /// The error code: under `azure`, the `x-ms-error-code` header, else
    /// the body's `error.code` (or `communicationError.code`, as the live
    /// service answers); otherwise the body's `error.code`, or its `code`
    /// or `error_code`.
    pub error_code: Option<String>,
    /// The body's `error.message` (or `communicationError.message` under
    /// `azure`, or a top-level `message` otherwise).
    pub message: Option<String>,
    /// The `x-ms-request-id` response header (`x-request-id` outside the
    /// `azure` feature), to quote to the service's support.
    pub request_id: Option<String>,
    /// Where a redirect (3xx) points: the client follows none, since a
    /// redirected request would no longer be this one (a POST turned into
    /// a GET, or the signed body sent to another origin).
    pub location: Option<String>,
    /// The body, parsed as the error type the spec declares.
    pub body: Option<E>,
    /// The body as received when it is not the declared error type
    /// (at most [`MAX_RAW_BODY`] bytes of it).
    pub raw_body: Option<String>,
    /// How many tries the call made; above 1, an earlier try may have been
    /// applied even though its answer was lost or was an error.
    pub attempts: u32,
}

impl<E> std::fmt::Display for HttpError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "service answered HTTP {}", self.status)?;
        if let Some(code) = &self.error_code {
            write!(f, " {}", Printable(code))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", Printable(message))?;
        }
        if let Some(location) = &self.location {
            write!(f, " (redirect to `{}`, not followed)", Printable(location))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " ({REQUEST_ID} {})", Printable(id))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} tries", self.attempts)?;
        }
        Ok(())
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the service answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(http) => Some(http.status),
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutScope {
    /// One try (`ClientOptions::try_timeout`), after every retry allowed.
    Try,
    /// The whole call, retries included (`ClientOptions::call_timeout`).
    Call,
}

impl std::fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutScope::Try => "a try",
            TimeoutScope::Call => "the call",
        })
    }
}

/// reqwest's error with its causes, on one line.
fn transport_cause(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Text from the service, shown with its control characters escaped
/// (`\n`, `\u{1b}`), so it cannot fake lines or drive a terminal.
struct Printable<'a>(&'a str);

impl std::fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c.is_control() {
                true => write!(f, "{}", c.escape_default())?,
                false => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

/// `; the last answer: ...` when a timeout came after an error status.
fn last_answer<E>(last: &Option<Box<HttpError<E>>>) -> String {
    last.as_ref()
        .map(|http| format!("; the last answer: {http}"))
        .unwrap_or_default()
}

/// The body as text, cut at [`MAX_RAW_BODY`] bytes on a character
/// boundary; `complete` is false when reading stopped before its end.
pub(crate) fn bounded_text(body: &[u8], complete: bool) -> String {
    let text = String::from_utf8_lossy(body);
    let kept = prefix(&text, MAX_RAW_BODY);
    match (complete, kept.len() == text.len()) {
        (true, true) => text.into_owned(),
        (true, false) => format!("{kept}… ({} bytes in all)", body.len()),
        (false, _) => format!(
            "{kept}… (longer than {} bytes; the rest was not read)",
            body.len()
        ),
    }
}

/// A URL the service gave, shortened for a message.
pub(crate) fn shown_url(url: &str) -> String {
    let kept = prefix(url, MAX_URL_SHOWN);
    if kept.len() == url.len() {
        url.to_owned()
    } else {
        format!("{kept}…")
    }
}

/// At most `max` bytes of `text`, cut on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
