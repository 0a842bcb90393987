//! The endpoint plus the HTTP client: builds URLs and sends requests.

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use url::Url;

use super::{Error, Response};

/// Where requests go and how they are sent.
#[derive(Debug, Clone)]
pub struct Pipeline {
    endpoint: Url,
    http: reqwest::Client,
}

impl Pipeline {
    /// Checks that `endpoint` is an absolute `http` or `https` URL without
    /// query or fragment; its path, if any, prefixes every operation's path.
    pub fn new<E>(endpoint: &str, http: reqwest::Client) -> Result<Self, Error<E>> {
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
        Ok(Self {
            endpoint: url,
            http,
        })
    }

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The URL of `path` (already percent-encoded) under the endpoint.
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    /// A request to `url` that asks for JSON.
    pub fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
    }

    /// Sends `request` and reads the whole response.
    pub async fn send<E>(&self, request: reqwest::RequestBuilder) -> Result<Response, Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        Ok(Response::new(status, headers, body.into()))
    }
}

/// Adds `body` as a JSON request body.
pub fn json_body<E, T: serde::Serialize>(
    request: reqwest::RequestBuilder,
    body: &T,
) -> Result<reqwest::RequestBuilder, Error<E>> {
    let bytes = serde_json::to_vec(body).map_err(Error::Serialize)?;
    Ok(request
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .body(bytes))
}
