//! A request as an operation builds it, before the pipeline adds what every
//! request carries; kept whole so each retry can send (and sign) it again.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::Error;

/// What a cookie value cannot hold as it is (RFC 6265 `cookie-octet`),
/// and `%`, which encodes the rest.
pub(crate) const NOT_IN_COOKIE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b',')
    .add(b';')
    .add(b'\\');

#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// The URL the request goes to (a long-running operation's original
    /// URI).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Sets header `name` (a parameter of the spec) to `value`.
    pub fn header<E>(&mut self, name: &'static str, value: &str) -> Result<(), Error<E>> {
        let invalid = |reason: &str| Error::InvalidArgument {
            name,
            reason: reason.to_owned(),
        };
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("not a valid header name"))?;
        let mut value =
            HeaderValue::from_str(value).map_err(|_| invalid("not a valid header value"))?;
        if header == reqwest::header::AUTHORIZATION {
            value.set_sensitive(true);
        }
        self.headers.insert(header, value);
        Ok(())
    }

    /// Adds cookie `name` (a parameter of the spec) with `value`, encoded so
    /// that it stays one cookie value (RFC 6265).
    pub fn cookie<E>(&mut self, name: &'static str, value: &str) -> Result<(), Error<E>> {
        let pair = format!("{name}={}", utf8_percent_encode(value, NOT_IN_COOKIE));
        let cookies = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        let value = HeaderValue::from_str(&cookies).map_err(|_| Error::InvalidArgument {
            name,
            reason: "not a valid cookie name".to_owned(),
        })?;
        self.headers.insert(COOKIE, value);
        Ok(())
    }

    /// Sets `body`, serialised, as the JSON body of media type
    /// `content_type` (`application/json`, `application/merge-patch+json`).
    pub fn json<E, T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        content_type: &'static str,
    ) -> Result<(), Error<E>> {
        let body = serde_json::to_vec(body).map_err(Error::Serialize)?;
        self.raw(body, content_type)
    }

    /// Sets `body` as it is, with `content_type`.
    pub fn raw<E>(&mut self, body: Vec<u8>, content_type: &'static str) -> Result<(), Error<E>> {
        let value = HeaderValue::from_str(content_type).map_err(|_| Error::InvalidArgument {
            name: "Content-Type",
            reason: format!("`{content_type}` is not a valid header value"),
        })?;
        self.headers.insert(CONTENT_TYPE, value);
        self.body = body;
        Ok(())
    }
}
