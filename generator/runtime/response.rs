//! A response read in full, decoded as the operation declares.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{REQUEST_ID, bounded_text, shown_url};
use super::{Error, ErrorBody, HttpError};

/// A response whose body has been read.
#[derive(Debug)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    /// False when reading stopped at a cap before the body's end.
    complete: bool,
    attempts: u32,
}

impl Response {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        complete: bool,
        attempts: u32,
    ) -> Self {
        Self {
            status,
            headers,
            body,
            complete,
            attempts,
        }
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Header `name` as text, when the answer has it (and it is text).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }

    /// The body as read.
    pub(crate) fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a success body as `T`, naming where it does not fit.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let decoded = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|value| {
                // Trailing bytes after the JSON value are an error too.
                deserializer
                    .end()
                    .map(|()| value)
                    .map_err(|e| (".".to_owned(), e))
            });
        decoded.map_err(|(path, source)| Error::Decode {
            status: self.status(),
            path,
            source,
            body: bounded_text(&self.body, self.complete),
        })
    }

    /// A success the spec declares without a body.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// An error status as [`Error::Http`], with the body parsed as `E`
    /// declares for the status when it is one, and kept raw otherwise.
    pub fn into_error<E: ErrorBody>(self) -> Error<E> {
        Error::Http(Box::new(self.into_http_error()))
    }

    /// What an error status says: a body cut short is kept raw only.
    pub(crate) fn into_http_error<E: ErrorBody>(self) -> HttpError<E> {
        let parsed = match self.complete {
            true => E::from_response(self.status(), &self.body),
            false => None,
        };
        let raw_body = match parsed {
            Some(_) => None,
            None => Some(bounded_text(&self.body, self.complete)),
        };
        let (body_code, message) = match self.complete {
            true => error_fields(&self.body),
            false => (None, None),
        };
        let location = match self.status.is_redirection() {
            true => self.header("location").map(|url| shown_url(&url)),
            false => None,
        };
        HttpError {
            status: self.status(),
            error_code: header_error_code(&self).or(body_code),
            message,
            request_id: self.header(REQUEST_ID),
            location,
            body: parsed,
            raw_body,
            attempts: self.attempts,
        }
    }
}

/// Azure's `x-ms-error-code` header.
#[cfg(feature = "azure")]
fn header_error_code(response: &Response) -> Option<String> {
    response.header("x-ms-error-code")
}

/// Plain APIs have no error-code header.
#[cfg(not(feature = "azure"))]
fn header_error_code(_: &Response) -> Option<String> {
    None
}

/// `code` and `message` of an Azure error body: `{"error": {...}}` as
/// documented, or `{"communicationError": {...}}` as the live service has
/// been recorded answering.
#[cfg(feature = "azure")]
pub(crate) fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let error = value
        .get("error")
        .or_else(|| value.get("communicationError"))
        .filter(|e| e.is_object());
    (
        error.and_then(|e| text_field(e, "code")),
        error.and_then(|e| text_field(e, "message")),
    )
}

/// `code` (or `error_code`) and `message` of an error body, inside an
/// `error` object when it has one (`{"error": {"code": ..}}`), else at the
/// top (`{"message": ..}`): the common shapes of JSON APIs.
#[cfg(not(feature = "azure"))]
pub(crate) fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let error = value
        .get("error")
        .filter(|e| e.is_object())
        .unwrap_or(&value);
    (
        text_field(error, "code").or_else(|| text_field(error, "error_code")),
        text_field(error, "message"),
    )
}

/// `object[name]` when it is a string.
fn text_field(object: &serde_json::Value, name: &str) -> Option<String> {
    object
        .get(name)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}
