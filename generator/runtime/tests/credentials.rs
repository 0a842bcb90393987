//! Bearer tokens and API keys over 127.0.0.1, in every profile: an API key
//! goes where the API's `apiKey` scheme says (header, query or cookie) and
//! never shows in a `Debug` or an error.

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use axum::http::StatusCode;
use handwritten::Client;
use openapi_runtime::{ApiKeyScheme, Credential, Error, KeyLocation};
use support::{ASSIGNMENT, JOB, Server, bounded, json_answer};

/// The key the tests send: a space and a `;` show how each place encodes it.
const API_KEY: &str = "k 1;x";

async fn sent_with_key(location: KeyLocation) -> support::Received {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let scheme = ApiKeyScheme {
        name: "X-Api-Key",
        location,
    };
    let client = Client::with_api_key_scheme(
        &server.endpoint,
        Credential::api_key(API_KEY),
        server.options(),
        scheme,
    )
    .expect("client");
    bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    server.only_request()
}

#[tokio::test]
async fn an_api_key_goes_in_the_header_the_scheme_names() {
    let request = sent_with_key(KeyLocation::Header).await;
    assert_eq!(request.headers["x-api-key"], API_KEY);
    assert!(request.headers.get("authorization").is_none());
    assert_eq!(request.query.as_deref(), Some("api-version=2023-11-01"));
}

#[tokio::test]
async fn an_api_key_goes_in_the_query_the_scheme_names() {
    let request = sent_with_key(KeyLocation::Query).await;
    assert_eq!(
        request.query.as_deref(),
        Some("api-version=2023-11-01&X-Api-Key=k+1%3Bx")
    );
    assert!(request.headers.get("x-api-key").is_none());
}

#[tokio::test]
async fn an_api_key_goes_in_the_cookie_the_scheme_names() {
    let request = sent_with_key(KeyLocation::Cookie).await;
    assert_eq!(request.headers["cookie"], "X-Api-Key=k%201%3Bx");
}

#[tokio::test]
async fn a_bearer_token_goes_in_authorization() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let client = server.client_with(Credential::static_token("t-456", None), server.options());
    bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    assert_eq!(
        server.only_request().headers["authorization"],
        "Bearer t-456"
    );
}

#[tokio::test]
async fn an_api_key_without_a_scheme_is_refused_before_sending() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let client = server.client_with(Credential::api_key(API_KEY), server.options());
    let error = bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect_err("no scheme");
    assert!(
        matches!(error, Error::InvalidCredential { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "invalid credential: this API declares no `apiKey` security scheme, so an API key has \
         nowhere to go"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_transport_error_shows_the_url_unless_the_key_is_in_it() {
    for location in [KeyLocation::Query, KeyLocation::Header] {
        // A port bound but never listened on: refused, and kept from anyone
        // else for the whole test.
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind("127.0.0.1:0".parse().expect("address"))
            .expect("bind");
        let endpoint = format!("http://{}", socket.local_addr().expect("address"));
        let mut options = openapi_runtime::ClientOptions::default();
        options.retry.max_retries = 0;
        let client = Client::with_api_key_scheme(
            &endpoint,
            Credential::api_key("secret-key"),
            options,
            ApiKeyScheme {
                name: "key",
                location,
            },
        )
        .expect("client");
        let error = bounded(client.close_job(JOB, ASSIGNMENT, None))
            .await
            .expect_err("refused");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let shown = [error.to_string(), format!("{error:?}")];
        for shown in &shown {
            assert!(!shown.contains("secret-key"), "{shown}");
        }
        // The URL helps find the fault, so it goes only when it holds the key.
        let url = format!("{endpoint}/routing/jobs/{JOB}/assignments/{ASSIGNMENT}:close");
        assert_eq!(
            shown[0].contains(&url),
            location == KeyLocation::Header,
            "{location:?}: {}",
            shown[0]
        );
    }
}

#[test]
fn an_api_key_never_shows_in_debug() {
    let shown = format!("{:?}", Credential::api_key("secret-key"));
    assert_eq!(shown, "ApiKey(ApiKey(<redacted>))");
}
