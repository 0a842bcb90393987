//! The HTTP face of the endpoint: read the request (bounded), check its
//! signature, decode it with the generated `decode`, answer through the
//! generated `dispatch`, and write every answer in one place.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::header::{ALLOW, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use job_router_client::models::ErrorResponse;
use job_router_client::runtime::server::{HttpRequest, Rejection, Reply, ServiceError, failure};
use job_router_client::server::{decode, dispatch};

use super::auth::{self, AccessKey, SignedRequest};
use super::errors::{self, Dialect, SUPPORTED_API_VERSIONS, error, rejection_reply};
use crate::service::{Emulator, Exchange};

/// The largest body the endpoint reads.
pub const MAX_BODY: usize = 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");
const ERROR_CODE: HeaderName = HeaderName::from_static("x-ms-error-code");
const SUPPORTED_VERSIONS: HeaderName = HeaderName::from_static("api-supported-versions");

/// What every request handler shares.
#[derive(Debug)]
pub struct App {
    pub router: Emulator,
    pub access_key: Option<AccessKey>,
    pub dialect: Dialect,
    /// How long a body may take to arrive in full.
    pub body_timeout: Duration,
    /// One permit per byte of request body held in memory.
    pub body_memory: Semaphore,
}

/// The axum router: one fallback handler, since the generated `decode`
/// does the routing the spec describes.
pub fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new().fallback(move |request: Request<Body>| {
        let app = app.clone();
        async move { app.handle(request).await }
    })
}

/// An answer before it is written.
struct Answer {
    reply: Reply,
    /// The methods a path accepts, for a 405.
    allow: Option<String>,
}

impl From<Reply> for Answer {
    fn from(reply: Reply) -> Self {
        Answer { reply, allow: None }
    }
}

impl App {
    async fn handle(&self, request: Request<Body>) -> Response {
        let client_request_id = request.headers().get(CLIENT_REQUEST_ID).cloned();
        let answer = self.answer(request).await;
        self.write(answer, client_request_id)
    }

    async fn answer(&self, request: Request<Body>) -> Answer {
        let (parts, body) = request.into_parts();
        let read = read_body(body, &self.body_memory);
        // The body's permits are held until the request is answered.
        let (body, _memory) = match tokio::time::timeout(self.body_timeout, read).await {
            Ok(Ok(read)) => read,
            Ok(Err(refusal)) => return Answer::from(failure(&refusal)),
            Err(_) => {
                let message = format!(
                    "The request body did not arrive within {} ms.",
                    self.body_timeout.as_millis()
                );
                return Answer::from(failure(&error(408, "RequestTimeout", message, None)));
            }
        };
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        if let Some(key) = &self.access_key {
            let header = |name| {
                parts
                    .headers
                    .get(name)
                    .and_then(|v: &HeaderValue| v.to_str().ok())
            };
            let signed = SignedRequest {
                method: parts.method.as_str(),
                path_and_query,
                host: header(HOST.as_str()),
                date: header("x-ms-date"),
                content_sha256: header("x-ms-content-sha256"),
                authorization: header("authorization"),
                body: &body,
            };
            if let Err(reason) = auth::verify(key, &signed, self.router.clock.now()) {
                let refusal = error(
                    401,
                    "Unauthorized",
                    format!("Authentication failed: {reason}."),
                    None,
                );
                return Answer::from(failure(&refusal));
            }
        }
        let http_request = HttpRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
        };
        match decode(&http_request) {
            Ok(call) => {
                let exchange = Exchange::new(&self.router, parts.uri.query());
                Answer::from(dispatch(&exchange, call).await)
            }
            Err(rejection) => {
                let allow = match &rejection {
                    Rejection::MethodNotAllowed { allow } => Some(allow.join(", ")),
                    _ => None,
                };
                Answer {
                    reply: rejection_reply(&rejection),
                    allow,
                }
            }
        }
    }

    /// Writes an answer: its declared headers, request ids, the error code
    /// header, the dialect.
    fn write(&self, answer: Answer, client_request_id: Option<HeaderValue>) -> Response {
        let Answer { reply, allow } = answer;
        let status =
            StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let service_dialect = reply.is_error && self.dialect == Dialect::Service;
        let body = match (&reply.body, service_dialect) {
            (Some(body), true) => Some(errors::service_dialect_body(body)),
            (body, _) => body.clone(),
        };
        let mut headers = HeaderMap::new();
        if body.is_some() {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
        // The headers the operation declares, as the service set them; a
        // value no header can carry (a line break) is not sent.
        for (name, value) in &reply.headers {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(*name), HeaderValue::from_str(value))
            {
                headers.append(name, value);
            }
        }
        if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
            headers.insert(ALLOW, allow);
        }
        if service_dialect {
            if let Ok(versions) = HeaderValue::from_str(&SUPPORTED_API_VERSIONS.join(", ")) {
                headers.insert(SUPPORTED_VERSIONS, versions);
            }
        } else {
            if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
                headers.insert(REQUEST_ID, id);
            }
            if let Some(id) = client_request_id {
                headers.insert(CLIENT_REQUEST_ID, id);
            }
            let code = reply
                .body
                .as_ref()
                .and_then(|b| b["error"]["code"].as_str());
            if let (true, Some(code)) = (reply.is_error, code)
                && let Ok(code) = HeaderValue::from_str(code)
            {
                headers.insert(ERROR_CODE, code);
            }
        }
        let body = body.map_or_else(Vec::new, |b| b.to_string().into_bytes());
        (status, headers, body).into_response()
    }
}

/// The whole body, at most [`MAX_BODY`] bytes, with the permits for the
/// memory it holds: refused with 413 when larger (at once when its length
/// says so), with 400 when it breaks off (a bad chunk, a connection closed
/// mid-body), with 503 when the bodies held at once would pass `memory`.
async fn read_body(
    mut body: Body,
    memory: &Semaphore,
) -> Result<(Bytes, Option<SemaphorePermit<'_>>), ServiceError<ErrorResponse>> {
    let too_large = || {
        let message = format!("The request body is larger than {MAX_BODY} bytes.");
        error(413, "RequestBodyTooLarge", message, None)
    };
    if body.size_hint().lower() > MAX_BODY as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let mut held: Option<SemaphorePermit<'_>> = None;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            let message = format!("The request body could not be read: {e}.");
            error(400, "InvalidRequestBody", message, None)
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if bytes.len() + data.len() > MAX_BODY {
            return Err(too_large());
        }
        let permit = u32::try_from(data.len())
            .ok()
            .and_then(|n| memory.try_acquire_many(n).ok())
            .ok_or_else(|| {
                let message = "The endpoint holds as many request bodies as it can; \
                               try again in a moment."
                    .to_owned();
                error(503, "ServerBusy", message, None)
            })?;
        match &mut held {
            Some(held) => held.merge(permit),
            None => held = Some(permit),
        }
        bytes.extend_from_slice(&data);
    }
    Ok((bytes.into(), held))
}
