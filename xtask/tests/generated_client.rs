//! The generated client (`generated/`) against a real HTTP server on
//! 127.0.0.1: the documented example goes out exactly as documented, and
//! errors come back typed.

#[path = "../../generator/runtime/tests/support/mod.rs"]
mod support;

/// The client the shared `support` drives: the generated one.
mod subject {
    pub use close_job_client::Client;
    pub use close_job_client::models::CloseJobOptions;
    pub use close_job_client::runtime::{ClientOptions, Credential, RetryOptions, Sleep};
}

use std::time::Duration;

use axum::http::{Method, StatusCode};
use close_job_client::models::{CloseJobOptions, CloseJobResult};
use close_job_client::runtime::{ClientOptions, Credential, RetryOptions};
use close_job_client::{Client, Error};
use support::{Answer, Server, bounded, json_answer};

/// The documented example as the spec records it: (jobId, assignmentId,
/// api-version, request body).
fn documented_example() -> (String, String, String, serde_json::Value) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/close-job.yaml");
    let text = std::fs::read_to_string(path).expect("spec/close-job.yaml");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("spec parses");
    let operation =
        &spec["paths"]["/routing/jobs/{jobId}/assignments/{assignmentId}:close"]["post"];
    let name = "Closes a completed job";
    let param = |i: usize| {
        operation["parameters"][i]["examples"][name]["value"]
            .as_str()
            .expect("example value")
            .to_owned()
    };
    let body =
        operation["requestBody"]["content"]["application/json"]["examples"][name]["value"].clone();
    (param(0), param(1), param(2), body)
}

#[tokio::test]
async fn documented_example_is_sent_exactly_and_answers_an_empty_result() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let (job_id, assignment_id, api_version, body) = documented_example();
    let options: CloseJobOptions = serde_json::from_value(body.clone()).expect("example body");

    let result = bounded(
        server
            .client()
            .close_job(&job_id, &assignment_id, Some(&options)),
    )
    .await;

    assert_eq!(result.expect("200 {}"), CloseJobResult::default());
    let request = server.only_request();
    assert_eq!(request.method, Method::POST);
    assert_eq!(
        request.path,
        "/routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close"
    );
    assert_eq!(request.query.as_deref(), Some("api-version=2023-11-01"));
    assert_eq!(api_version, "2023-11-01");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["accept"], "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(sent, body);
    assert_eq!(
        sent,
        serde_json::json!({"dispositionCode": "JobCompleted.", "note": "Closing job"})
    );
}

#[tokio::test]
async fn no_options_sends_no_body() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    bounded(server.client().close_job("job", "assignment", None))
        .await
        .expect("200 {}");
    let request = server.only_request();
    assert!(request.body.is_empty(), "body: {:?}", request.body);
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn close_at_is_sent_as_rfc3339() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let options = CloseJobOptions {
        close_at: Some("2026-11-29T10:00:00Z".parse().expect("timestamp")),
        ..CloseJobOptions::default()
    };
    bounded(
        server
            .client()
            .close_job("job", "assignment", Some(&options)),
    )
    .await
    .expect("200 {}");
    let sent: serde_json::Value =
        serde_json::from_slice(&server.only_request().body).expect("JSON body");
    assert_eq!(sent, serde_json::json!({"closeAt": "2026-11-29T10:00:00Z"}));
}

#[tokio::test]
async fn error_response_comes_back_typed() {
    let server = Server::start(Answer {
        status: StatusCode::NOT_FOUND,
        headers: vec![
            ("content-type", "application/json"),
            ("x-ms-error-code", "NotFound"),
            ("x-ms-request-id", "req-42"),
        ],
        body: r#"{"error":{"code":"NotFound","message":"Job 404 does not exist.","target":"jobId"}}"#,
        delay: std::time::Duration::ZERO,
    })
    .await;

    let error = bounded(server.client().close_job("404", "assignment", None))
        .await
        .expect_err("404 is an error");

    assert_eq!(error.status(), Some(404));
    let Error::Http(http) = &error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(http.error_code.as_deref(), Some("NotFound"));
    assert_eq!(http.request_id.as_deref(), Some("req-42"));
    assert_eq!(http.raw_body, None);
    let body = http.body.as_ref().expect("parsed ErrorResponse");
    assert_eq!(body.error.code, "NotFound");
    assert_eq!(body.error.message, "Job 404 does not exist.");
    assert_eq!(body.error.target.as_deref(), Some("jobId"));
    assert_eq!(
        error.to_string(),
        "service answered HTTP 404 NotFound: Job 404 does not exist. (x-ms-request-id req-42)"
    );
}

#[tokio::test]
async fn live_service_error_dialect_still_gives_code_and_message() {
    let server = Server::start(json_answer(
        StatusCode::NOT_FOUND,
        r#"{"communicationError":{"code":"NotFound","message":"Job j not found.","target":"jobId"}}"#,
    ))
    .await;
    let error = bounded(server.client().close_job("j", "a", None))
        .await
        .expect_err("404");
    let Error::Http(http) = &error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(http.error_code.as_deref(), Some("NotFound"));
    assert_eq!(http.message.as_deref(), Some("Job j not found."));
    assert!(http.body.is_none(), "not an ErrorResponse");
    assert!(
        http.raw_body
            .as_deref()
            .is_some_and(|b| b.contains("communicationError"))
    );
    assert_eq!(
        error.to_string(),
        "service answered HTTP 404 NotFound: Job j not found."
    );
}

#[tokio::test]
async fn the_error_code_header_wins_over_the_body() {
    let server = Server::start(Answer {
        status: StatusCode::CONFLICT,
        headers: vec![
            ("content-type", "application/json"),
            ("x-ms-error-code", "FromHeader"),
        ],
        body: r#"{"error":{"code":"FromBody","message":"m"}}"#,
        delay: std::time::Duration::ZERO,
    })
    .await;
    let error = bounded(server.client().close_job("j", "a", None))
        .await
        .expect_err("409");
    let Error::Http(http) = &error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(http.error_code.as_deref(), Some("FromHeader"));
    assert_eq!(
        http.body.as_ref().map(|b| b.error.code.as_str()),
        Some("FromBody")
    );
}

#[tokio::test]
async fn error_body_that_is_not_an_error_response_is_kept_raw() {
    let server = Server::start(Answer {
        status: StatusCode::BAD_GATEWAY,
        headers: vec![("content-type", "text/html")],
        body: "<html>upstream down</html>",
        delay: std::time::Duration::ZERO,
    })
    .await;
    let error = bounded(server.client().close_job("job", "assignment", None))
        .await
        .expect_err("502 is an error");
    let Error::Http(http) = &error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(http.status, 502);
    assert_eq!(http.error_code, None);
    assert!(http.body.is_none());
    assert_eq!(http.raw_body.as_deref(), Some("<html>upstream down</html>"));
    // 502 is retried: the default policy's 8 retries, then the last answer.
    assert_eq!(http.attempts, 9);
    assert_eq!(server.requests().len(), 9);
    assert_eq!(server.sleeps.waits().len(), 8);
    assert_eq!(error.to_string(), "service answered HTTP 502 after 9 tries");
}

#[tokio::test]
async fn success_body_that_does_not_match_the_schema_names_the_place() {
    let server = Server::start(json_answer(StatusCode::OK, "[1, 2]")).await;
    let error = bounded(server.client().close_job("job", "assignment", None))
        .await
        .expect_err("an array is not a CloseJobResult");
    let Error::Decode { status, body, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(body, "[1, 2]");
    assert!(
        error
            .to_string()
            .starts_with("HTTP 200 response does not match the declared schema"),
        "{error}"
    );
}

#[tokio::test]
async fn ids_with_reserved_characters_stay_one_path_segment() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let job_id = "a/b?c#d%e f";
    bounded(server.client().close_job(job_id, "x:y", None))
        .await
        .expect("200 {}");
    let request = server.only_request();
    assert_eq!(
        request.path,
        "/routing/jobs/a%2Fb%3Fc%23d%25e%20f/assignments/x%3Ay:close"
    );
    assert_eq!(request.query.as_deref(), Some("api-version=2023-11-01"));
    let segment = request.path.split('/').nth(3).expect("job segment");
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    assert_eq!(decoded, job_id);
}

#[tokio::test]
async fn endpoint_path_prefixes_the_operation_path_and_api_version_can_change() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let options = ClientOptions {
        api_version: Some("2024-01-18-preview".to_owned()),
        ..server.options()
    };
    let client = Client::new(
        &format!("{}/prefix/", server.endpoint),
        Credential::None,
        options,
    )
    .expect("endpoint");
    bounded(client.close_job("j", "a", None))
        .await
        .expect("200");
    let request = server.only_request();
    assert_eq!(request.path, "/prefix/routing/jobs/j/assignments/a:close");
    assert_eq!(
        request.query.as_deref(),
        Some("api-version=2024-01-18-preview")
    );
}

#[tokio::test]
async fn unusable_arguments_are_refused_before_sending() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    for (job_id, reason) in [
        ("", "a path parameter must not be empty"),
        ("..", "a path parameter cannot be `.` or `..`"),
    ] {
        let error = bounded(server.client().close_job(job_id, "a", None))
            .await
            .expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!("invalid argument `jobId`: {reason}")
        );
    }
    assert!(server.received.lock().expect("log").is_empty());
}

#[test]
fn invalid_endpoints_are_refused_with_the_reason() {
    for (endpoint, reason) in [
        (
            "contoso.communication.azure.com",
            "relative URL without a base",
        ),
        ("ftp://contoso", "the scheme must be http or https"),
        (
            "https://contoso/?x=1",
            "an endpoint cannot carry a query or a fragment",
        ),
        (
            "https://contoso/#top",
            "an endpoint cannot carry a query or a fragment",
        ),
    ] {
        let error =
            Client::new(endpoint, Credential::None, ClientOptions::default()).expect_err(endpoint);
        assert_eq!(
            error.to_string(),
            format!("invalid endpoint `{endpoint}`: {reason}")
        );
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_transport_error() {
    // A port bound but never listened on: refused, and kept from anyone
    // else for the whole test (a port dropped and re-bound could be taken).
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let address = socket.local_addr().expect("address");
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let defaults = server.options_with_retries(2);
    let options = ClientOptions {
        retry: RetryOptions {
            max_jitter: Duration::ZERO,
            ..defaults.retry.clone()
        },
        ..defaults
    };
    let client =
        Client::new(&format!("http://{address}"), Credential::None, options).expect("endpoint");
    let error = bounded(client.close_job("j", "a", None))
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.to_string().starts_with("request failed: "), "{error}");
    assert!(
        error.to_string().contains("onnect"),
        "names the cause: {error}"
    );
    // Nothing was sent, so it was retried, with the default backoff.
    assert_eq!(server.sleeps.waits(), [200, 400].map(Duration::from_millis));
}
