//! A recording HTTP server on 127.0.0.1 and a client wired to it, shared
//! by the runtime's tests and the end-to-end tests of the generated crates
//! (`xtask/tests/`). The client under test is the including crate's
//! `subject` module: the hand-written client of `handwritten/` here, the
//! generated `close_job_client` there.

#![allow(dead_code)] // Each test file uses its own part of this module.

pub mod raw;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::subject::{Client, ClientOptions, CloseJobOptions, Credential, RetryOptions, Sleep};
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

/// The documented example's job and assignment.
pub const JOB: &str = "8780b28c-7079-4de1-9143-4d369289e958";
pub const ASSIGNMENT: &str = "1d5896f3-8b54-40be-82d3-910323f5e2af";
/// The documented example's body, as the client writes it.
pub const BODY: &str = r#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#;
/// An access key (base64) the tests sign with.
pub const KEY: &str = "c2VjcmV0LWFjY2Vzcy1rZXk=";

/// The documented example's options.
pub fn documented_options() -> CloseJobOptions {
    serde_json::from_str(BODY).expect("example body")
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// One answer of the server.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: &'static str,
    /// How long to wait before answering (to make tries time out).
    pub delay: Duration,
}

pub fn json_answer(status: StatusCode, body: &'static str) -> Answer {
    Answer {
        status,
        headers: vec![("content-type", "application/json")],
        body,
        delay: Duration::ZERO,
    }
}

/// Records the waits the client asks for instead of sleeping.
#[derive(Debug, Default)]
pub struct RecordingSleep(Mutex<Vec<Duration>>);

impl RecordingSleep {
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().expect("waits").clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().expect("waits").push(duration);
        Box::pin(async {})
    }
}

/// A server on 127.0.0.1 that records requests and gives `answers` in
/// turn, repeating the last.
pub struct Server {
    pub endpoint: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub sleeps: Arc<RecordingSleep>,
}

impl Server {
    pub async fn start(answer: Answer) -> Server {
        Self::start_sequence(vec![answer]).await
    }

    pub async fn start_sequence(answers: Vec<Answer>) -> Server {
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answers = Arc::new(answers);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let log = log.clone();
                let answers = answers.clone();
                async move {
                    let count = {
                        let mut log = log.lock().expect("request log");
                        log.push(Received {
                            method,
                            path: uri.path().to_owned(),
                            query: uri.query().map(str::to_owned),
                            headers,
                            body,
                        });
                        log.len()
                    };
                    let answer = answers[(count - 1).min(answers.len() - 1)].clone();
                    tokio::time::sleep(answer.delay).await;
                    let mut response = (answer.status, answer.body).into_response();
                    for (name, value) in answer.headers {
                        response
                            .headers_mut()
                            .insert(name, value.parse().expect("header"));
                    }
                    response
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Server {
            endpoint,
            received,
            sleeps: Arc::default(),
        }
    }

    /// Options that send through a proxy-free client and record waits.
    pub fn options(&self) -> ClientOptions {
        ClientOptions {
            http_client: Some(
                reqwest::Client::builder()
                    .no_proxy()
                    .build()
                    .expect("reqwest client"),
            ),
            retry: RetryOptions {
                sleep: self.sleeps.clone(),
                ..RetryOptions::default()
            },
            ..ClientOptions::default()
        }
    }

    /// [`Server::options`] allowing `max_retries` retries.
    pub fn options_with_retries(&self, max_retries: u32) -> ClientOptions {
        let options = self.options();
        ClientOptions {
            retry: RetryOptions {
                max_retries,
                ..options.retry.clone()
            },
            ..options
        }
    }

    pub fn client_with(&self, credential: Credential, options: ClientOptions) -> Client {
        Client::new(&self.endpoint, credential, options).expect("valid endpoint")
    }

    pub fn client(&self) -> Client {
        self.client_with(Credential::None, self.options())
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("request log").clone()
    }

    pub fn only_request(&self) -> Received {
        let received = self.requests();
        assert_eq!(
            received.len(),
            1,
            "expected exactly one request: {received:?}"
        );
        received[0].clone()
    }
}

/// Bounds every call, so a broken client fails the test instead of hanging it.
pub async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("call finished within 20 s")
}
