//! The runtime without the `azure` feature, as plain-profile crates carry
//! it: a plain user agent, no `x-ms-client-request-id`, error codes and
//! messages from the common JSON shapes and `x-request-id`.
//! `cargo test -p openapi_runtime --no-default-features` runs these.

#![cfg(not(feature = "azure"))]

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use axum::http::StatusCode;
use openapi_runtime::Error;
use support::{ASSIGNMENT, Answer, JOB, Server, bounded, json_answer};

#[tokio::test]
async fn requests_carry_a_plain_user_agent_and_no_azure_header() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    bounded(server.client().close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    let request = server.only_request();
    let mut names: Vec<&str> = request.headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["accept", "host", "user-agent"]);
    assert_eq!(request.headers["user-agent"], "openapi_runtime/0.1.0");
}

#[tokio::test]
async fn errors_take_the_code_and_message_of_common_json_shapes() {
    let answers = [
        (
            r#"{"error_code":"ObjectNotFound","message":"no such job"}"#,
            "404 ObjectNotFound: no such job",
        ),
        (
            r#"{"error":{"code":"Gone","message":"closed"}}"#,
            "404 Gone: closed",
        ),
        (r#"{"message":"Not Found"}"#, "404: Not Found"),
    ];
    for (body, shown) in answers {
        let server = Server::start(Answer {
            headers: vec![
                ("content-type", "application/json"),
                ("x-ms-error-code", "Ignored"),
                ("x-request-id", "r-1"),
            ],
            ..json_answer(StatusCode::NOT_FOUND, body)
        })
        .await;
        let error = bounded(server.client().close_job(JOB, ASSIGNMENT, None))
            .await
            .expect_err("404");
        assert!(matches!(error, Error::Http(_)), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!("service answered HTTP {shown} (x-request-id r-1)")
        );
    }
}
