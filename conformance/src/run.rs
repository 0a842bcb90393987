//! Sends a case's request to the endpoint over HTTP, bounded in time and
//! size: redirects are not followed, bodies are read up to a cap, and every
//! way the exchange can fail comes back as a value.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use openapi_runtime::{AccessKey, sign_request};
use url::Url;

use crate::cases::Request;

/// How requests are authenticated.
#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// Azure's HMAC-SHA256 request signing.
    AccessKey(AccessKey),
    /// `Authorization: Bearer <token>`.
    Bearer(String),
}

/// Where and how to send.
#[derive(Debug, Clone)]
pub struct Target {
    endpoint: Url,
    client: reqwest::Client,
    auth: Auth,
    /// `--header NAME:VALUE`, sent with every request.
    headers: Vec<(String, String)>,
    max_body: usize,
    timeout: Duration,
    /// Whether the endpoint answered a TLS handshake, once asked.
    speaks_tls: OnceLock<bool>,
}

/// The knobs of a [`Target`].
#[derive(Debug, Clone)]
pub struct TargetOptions {
    pub auth: Auth,
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
    pub max_body: usize,
    /// Accept any TLS certificate (`--insecure`).
    pub insecure: bool,
}

/// What the endpoint answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// At most the cap; `truncated` says whether there was more.
    pub body: Vec<u8>,
    pub truncated: bool,
}

impl Answer {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No connection could be made.
    Unreachable(String),
    /// No complete answer within the timeout.
    Timeout(Duration),
    /// The connection broke or the answer was not HTTP.
    Broken(String),
    /// An `http://` endpoint answered a TLS handshake: it wants `https://`.
    Tls,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(why) => write!(f, "could not connect: {why}"),
            Failure::Timeout(after) => {
                write!(f, "no complete answer within {} s", after.as_secs_f64())
            }
            Failure::Broken(why) => write!(f, "the exchange broke: {why}"),
            Failure::Tls => write!(
                f,
                "the endpoint answered with TLS: give an https:// URL, not http://"
            ),
        }
    }
}

/// A request as it went out (for the report's `curl` line).
#[derive(Debug, Clone)]
pub struct Sent {
    pub url: Url,
    pub headers: Vec<(String, String)>,
}

impl Target {
    pub fn new(endpoint: Url, options: TargetOptions) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .danger_accept_invalid_certs(options.insecure)
            .user_agent(concat!("conformance/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Self {
            endpoint,
            client,
            auth: options.auth,
            headers: options.headers,
            max_body: options.max_body,
            timeout: options.timeout,
            speaks_tls: OnceLock::new(),
        })
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The endpoint with the request's path (after any path the endpoint
    /// has) and query.
    pub fn url(&self, request: &Request) -> Url {
        let mut url = self.endpoint.clone();
        let path = format!(
            "{}{}",
            self.endpoint.path().trim_end_matches('/'),
            request.path
        );
        url.set_path(&path);
        url.set_query(None);
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    /// Sends `request` and reads the answer.
    pub async fn send(&self, request: &Request) -> (Sent, Result<Answer, Failure>) {
        let url = self.url(request);
        let body = request.body.as_ref().map_or(&[][..], |b| &b.bytes[..]);
        let mut headers: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
        if let Some(body) = &request.body {
            headers.push(("Content-Type".into(), body.content_type.clone()));
        }
        headers.extend(request.headers.iter().cloned());
        headers.extend(self.headers.iter().cloned());
        match &self.auth {
            Auth::None => {}
            Auth::AccessKey(key) => {
                let date = httpdate::fmt_http_date(SystemTime::now());
                for (name, value) in &sign_request(key, &request.method, &url, body, &date) {
                    headers.push((
                        name.to_string(),
                        value.to_str().unwrap_or_default().to_owned(),
                    ));
                }
            }
            Auth::Bearer(token) => {
                headers.push(("Authorization".into(), format!("Bearer {token}")))
            }
        }
        let sent = Sent {
            url: url.clone(),
            headers: headers.clone(),
        };
        let mut outcome = self.exchange(request, url, headers, body).await;
        // A TLS server given plain HTTP closes or answers in TLS, which
        // hyper reports as a broken exchange; say what it really is.
        if matches!(outcome, Err(Failure::Broken(_))) && self.speaks_tls().await {
            outcome = Err(Failure::Tls);
        }
        (sent, outcome)
    }

    /// Whether an `http://` endpoint answers a TLS ClientHello with a TLS
    /// record (a ServerHello or an alert). Asked once per run, on a
    /// connection of its own, within the timeout.
    async fn speaks_tls(&self) -> bool {
        if let Some(known) = self.speaks_tls.get() {
            return *known;
        }
        let answer = match (self.endpoint.scheme(), self.endpoint.host()) {
            ("http", Some(host)) => {
                let host = match host {
                    url::Host::Domain(name) => name.to_owned(),
                    url::Host::Ipv4(ip) => ip.to_string(),
                    url::Host::Ipv6(ip) => ip.to_string(),
                };
                let port = self.endpoint.port_or_known_default().unwrap_or(80);
                tokio::time::timeout(self.timeout, answers_tls(host, port))
                    .await
                    .unwrap_or(false)
            }
            _ => false,
        };
        *self.speaks_tls.get_or_init(|| answer)
    }

    async fn exchange(
        &self,
        request: &Request,
        url: Url,
        headers: Vec<(String, String)>,
        body: &[u8],
    ) -> Result<Answer, Failure> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| Failure::Broken(format!("`{}` is not an HTTP method", request.method)))?;
        let mut builder = self.client.request(method, url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if request.body.is_some() {
            builder = builder.body(body.to_vec());
        }
        let mut response = builder.send().await.map_err(|e| self.failure(e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failure(e))? {
            let room = self.max_body - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers,
            body,
            truncated,
        })
    }

    /// The URL is in the report already; the error's message leaves it out.
    fn failure(&self, error: reqwest::Error) -> Failure {
        let error = error.without_url();
        if error.is_timeout() {
            Failure::Timeout(self.timeout)
        } else if error.is_connect() {
            Failure::Unreachable(chain(&error))
        } else {
            Failure::Broken(chain(&error))
        }
    }
}

/// Sends a TLS 1.2 ClientHello (no extensions, two common suites) and
/// reads the first bytes back: any TLS server answers it with a record, a
/// ServerHello or an alert, whose header no HTTP server would send.
async fn answers_tls(host: String, port: u16) -> bool {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    const RECORD: [u8; 9] = [
        0x16, 0x03, 0x01, 0x00, 0x2f, // handshake record, 47 bytes
        0x01, 0x00, 0x00, 0x2b, // ClientHello, 43 bytes
    ];
    const HELLO_REST: [u8; 9] = [
        0x00, // no session id
        0x00, 0x04, 0xc0, 0x2f, 0xc0, 0x2b, // ECDHE-{RSA,ECDSA}-AES128-GCM-SHA256
        0x01, 0x00, // no compression
    ];
    let hello = [&RECORD[..], &[0x03, 0x03], &[0; 32], &HELLO_REST].concat();
    let Ok(mut stream) = tokio::net::TcpStream::connect((host.as_str(), port)).await else {
        return false;
    };
    let mut head = [0u8; 3];
    if stream.write_all(&hello).await.is_err() || stream.read_exact(&mut head).await.is_err() {
        return false;
    }
    // Content type (change_cipher_spec..heartbeat), then version 3.x.
    matches!(head, [0x14..=0x18, 0x03, 0x00..=0x04])
}

/// An error and its causes on one line (reqwest's own message is vague).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}
