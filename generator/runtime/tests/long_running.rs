//! Long-running operations over 127.0.0.1 (through the hand-written
//! client's `begin_send`): a server walks the states and the poller follows
//! its status monitor to success, failure with its error, or cancellation,
//! waiting what `Retry-After` asks (recorded, not slept).

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use handwritten::models::{EmailSendResult, ErrorResponse};
use openapi_runtime::{Error, LroStatus, Poller};
use support::{Answer, Server, bounded, json_answer};

fn answer(
    status: StatusCode,
    headers: &[(&'static str, &'static str)],
    body: &'static str,
) -> Answer {
    let mut answer = json_answer(status, body);
    answer.headers.extend_from_slice(headers);
    answer
}

/// A monitor's answer: the operation as it stands.
fn polled(operation: &'static str) -> Answer {
    json_answer(StatusCode::OK, operation)
}

/// The first answer: accepted, with the monitor to poll.
fn accepted() -> Answer {
    answer(
        StatusCode::ACCEPTED,
        &[(
            "operation-location",
            "/emails/operations/op-1?api-version=2025-09-01",
        )],
        r#"{"id": "op-1", "status": "NotStarted"}"#,
    )
}

fn message() -> serde_json::Value {
    serde_json::json!({"senderAddress": "a@example.com"})
}

/// A server that accepts the send and then answers `polls`, and the
/// poller the send started.
async fn sent(polls: Vec<Answer>) -> (Server, Poller<EmailSendResult, ErrorResponse>) {
    let mut answers = vec![accepted()];
    answers.extend(polls);
    let server = Server::start_sequence(answers).await;
    let poller = bounded(server.client().begin_send(&message()))
        .await
        .expect("started");
    (server, poller)
}

/// A server whose first answer is `first`, and the error the send that
/// meets it ends with.
async fn refused_send(first: Answer) -> (Server, Error<ErrorResponse>) {
    let server = Server::start(first).await;
    let error = bounded(server.client().begin_send(&message()))
        .await
        .expect_err("refused");
    (server, error)
}

#[tokio::test]
async fn a_succeeding_operation_is_polled_to_its_result_waiting_what_retry_after_asks() {
    let (server, poller) = sent(vec![
        answer(
            StatusCode::OK,
            &[("retry-after", "7")],
            r#"{"id": "op-1", "status": "Running"}"#,
        ),
        polled(r#"{"id": "op-1", "status": "Succeeded"}"#),
    ])
    .await;
    assert_eq!(poller.status(), &LroStatus::InProgress(String::new()));
    let poller = poller.with_interval(Duration::from_secs(2));
    let result = bounded(poller.wait()).await.expect("succeeded");
    assert_eq!(
        result,
        EmailSendResult {
            id: "op-1".into(),
            status: "Succeeded".into()
        }
    );
    // The first wait is the interval; the second what `Retry-After` said.
    assert_eq!(
        server.sleeps.waits(),
        [Duration::from_secs(2), Duration::from_secs(7)]
    );
    let requests = server.requests();
    let sent: Vec<(Method, String, Option<String>)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.query.clone()))
        .collect();
    let monitor = (
        Method::GET,
        "/emails/operations/op-1".to_owned(),
        Some("api-version=2025-09-01".to_owned()),
    );
    assert_eq!(
        sent,
        [
            (
                Method::POST,
                "/emails:send".to_owned(),
                Some("api-version=2023-11-01".to_owned())
            ),
            monitor.clone(),
            monitor,
        ]
    );
    // Every poll goes through the pipeline: its user agent, and under the
    // Azure profile its client request id (a plain crate sends none).
    for request in &requests[1..] {
        assert_eq!(
            request.headers.contains_key("x-ms-client-request-id"),
            cfg!(feature = "azure")
        );
        assert!(request.headers.contains_key("user-agent"));
    }
}

#[tokio::test]
async fn a_failed_operation_is_an_error_with_the_monitors_error() {
    let (_server, poller) = sent(vec![
        polled(r#"{"id": "op-1", "status": "Failed", "error": {"code": "InvalidRecipient", "message": "no such mailbox"}}"#),
    ])
    .await;
    let error = bounded(poller.wait()).await.expect_err("failed");
    assert_eq!(
        error.to_string(),
        "long-running operation `Email_Send` ended failed: InvalidRecipient: no such mailbox"
    );
    let Error::OperationFailed(failure) = error else {
        panic!("expected OperationFailed");
    };
    assert_eq!(failure.status, LroStatus::Failed);
    assert_eq!(failure.error_code.as_deref(), Some("InvalidRecipient"));
    let body = failure.body.expect("the error, typed");
    assert_eq!(body.error.code, "InvalidRecipient");
    assert_eq!(body.error.message, "no such mailbox");
}

#[tokio::test]
async fn a_canceled_operation_is_reported_canceled_step_by_step() {
    let (server, mut poller) = sent(vec![
        polled(r#"{"id": "op-1", "status": "Running"}"#),
        polled(r#"{"id": "op-1", "status": "Canceled"}"#),
    ])
    .await;
    assert_eq!(
        bounded(poller.poll()).await.expect("polled"),
        &LroStatus::InProgress("Running".into())
    );
    assert_eq!(
        bounded(poller.poll()).await.expect("polled"),
        &LroStatus::Canceled
    );
    // Ended: a further poll asks nothing.
    assert_eq!(
        bounded(poller.poll()).await.expect("polled"),
        &LroStatus::Canceled
    );
    assert_eq!(server.requests().len(), 3);
    // Stepping by hand waits for nothing.
    assert_eq!(server.sleeps.waits(), []);
    let error = bounded(poller.wait()).await.expect_err("canceled");
    assert_eq!(
        error.to_string(),
        "long-running operation `Email_Send` ended canceled"
    );
}

#[tokio::test]
async fn the_first_answer_an_error_a_poll_error_and_a_monitor_elsewhere_are_errors() {
    let (_server, error) = refused_send(json_answer(
        StatusCode::BAD_REQUEST,
        r#"{"error": {"code": "BadMessage", "message": "no sender"}}"#,
    ))
    .await;
    assert_eq!(
        error.to_string(),
        "service answered HTTP 400 BadMessage: no sender"
    );

    let (_server, mut poller) = sent(vec![json_answer(
        StatusCode::NOT_FOUND,
        r#"{"error": {"code": "NoSuchOperation", "message": "gone"}}"#,
    )])
    .await;
    let error = bounded(poller.poll()).await.expect_err("poll refused");
    assert_eq!(
        error.to_string(),
        "service answered HTTP 404 NoSuchOperation: gone"
    );

    let (server, error) = refused_send(answer(
        StatusCode::ACCEPTED,
        &[(
            "operation-location",
            "https://elsewhere.example/operations/1",
        )],
        "{}",
    ))
    .await;
    assert_eq!(
        error.to_string(),
        "invalid argument `Operation-Location`: `https://elsewhere.example/operations/1` leads to another origin than the endpoint; not followed, so the credential stays with the endpoint"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn without_a_monitor_the_location_is_polled_until_it_answers_the_result() {
    let server = Server::start_sequence(vec![
        answer(
            StatusCode::ACCEPTED,
            &[
                ("location", "/routing/jobs/j1/deletion"),
                ("retry-after", "3"),
            ],
            "",
        ),
        answer(StatusCode::ACCEPTED, &[], ""),
        polled(r#"{"deleted": true}"#),
    ])
    .await;
    let client = server.client();
    let poller = bounded(client.begin_delete_job("j1"))
        .await
        .expect("started");
    // The first answer's `Retry-After` sets the first wait.
    assert_eq!(poller.next_wait(), Duration::from_secs(3));
    let poller = poller.with_interval(Duration::from_millis(500));
    let result = bounded(poller.wait()).await.expect("succeeded");
    assert_eq!(result, serde_json::json!({"deleted": true}));
    assert_eq!(
        server.sleeps.waits(),
        [Duration::from_secs(3), Duration::from_millis(500)]
    );
    let sent: Vec<(Method, String)> = server
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let poll = (Method::GET, "/routing/jobs/j1/deletion".to_owned());
    assert_eq!(
        sent,
        [
            (Method::DELETE, "/routing/jobs/j1".to_owned()),
            poll.clone(),
            poll
        ]
    );
}
