//! What the pipeline writes to `tracing`: the call and its tries,
//! and no secret. Alone in its test binary: `tracing` caches per call site
//! whether anyone listens, and a test running on another thread can fix
//! that answer to "no one" while this test installs its subscriber.

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use std::sync::Arc;

use axum::http::StatusCode;
use openapi_runtime::Credential;
use support::{ASSIGNMENT, JOB, KEY, Server, bounded, documented_options, json_answer};

/// Collects what tracing writes, to check for secrets.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_show_calls_and_tries_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start_sequence(vec![
        json_answer(StatusCode::SERVICE_UNAVAILABLE, "{}"),
        json_answer(StatusCode::OK, "{}"),
    ])
    .await;
    let with_key = server.client_with(Credential::access_key(KEY).expect("key"), server.options());
    bounded(with_key.close_job(JOB, ASSIGNMENT, Some(&documented_options())))
        .await
        .expect("200");
    let with_token = server.client_with(
        Credential::static_token("entra-token-123", None),
        server.options(),
    );
    bounded(with_token.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");

    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("UTF-8");
    assert!(
        log.contains("operation=\"JobRouterOperations_CloseJob\""),
        "{log}"
    );
    assert!(log.contains("try{attempt=2}"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    for secret in [KEY, "entra-token-123", "Signature=", "HMAC-SHA256"] {
        assert!(!log.contains(secret), "`{secret}` was logged:\n{log}");
    }
}
