//! The error type every generated operation returns.

/// How much of an unparsable response body an error keeps.
pub const MAX_RAW_BODY: usize = 64 * 1024;

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
    /// The request did not complete (connection refused or reset, TLS, I/O).
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The service answered with an error status.
    #[error("{0}")]
    Http(Box<HttpError<E>>),
    /// A success response does not match the schema the spec declares.
    #[error("HTTP {status} response does not match the declared schema at `{path}`: {source}")]
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

/// An error status from the service, with what it said about it.
#[derive(Debug)]
pub struct HttpError<E> {
    /// The HTTP status code.
    pub status: u16,
    /// The error code: the `x-ms-error-code` header, else the body's
    /// `error.code` (or `communicationError.code`, as the live service
    /// answers).
    pub error_code: Option<String>,
    /// The body's `error.message` (or `communicationError.message`).
    pub message: Option<String>,
    /// The `x-ms-request-id` response header, to quote to the service's support.
    pub request_id: Option<String>,
    /// The body, parsed as the error type the spec declares.
    pub body: Option<E>,
    /// The body as received when it is not the declared error type
    /// (at most [`MAX_RAW_BODY`] bytes of it).
    pub raw_body: Option<String>,
}

impl<E> std::fmt::Display for HttpError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "service answered HTTP {}", self.status)?;
        if let Some(code) = &self.error_code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (x-ms-request-id {id})")?;
        }
        Ok(())
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the service answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(http) => Some(http.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The body as text, cut at [`MAX_RAW_BODY`] bytes on a character boundary.
pub(crate) fn bounded_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_RAW_BODY {
        return text.into_owned();
    }
    let mut end = MAX_RAW_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}
