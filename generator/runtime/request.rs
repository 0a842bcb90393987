//! A request as an operation builds it, before the pipeline adds what every
//! request carries; kept whole so each retry can send (and sign) it again.

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::Error;

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

    /// Sets `body`, serialised, as the JSON body of media type
    /// `content_type` (`application/json`, `application/merge-patch+json`).
    pub fn json<E, T: serde::Serialize>(
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
