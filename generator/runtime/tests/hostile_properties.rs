//! Properties of the pipeline against arbitrary answers: any retry
//! header values make it wait within its budget (never panic), and any
//! bytes as a success or error body give a value or one bounded error.

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use handwritten::Client;
use handwritten::models::ErrorResponse;
use openapi_runtime::Error;
use openapi_runtime::{ClientOptions, Credential, MAX_RAW_BODY, RetryOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::RecordingSleep;
use support::raw::{RawServer, Reply};

/// Room for the note a cut body ends with.
const CUT_NOTE: usize = 100;

/// One server for every case: it answers the replies of the current case
/// in turn, repeating the last.
struct Scripted {
    server: RawServer,
    script: Arc<Mutex<(Vec<Reply>, usize)>>,
}

impl Scripted {
    fn start() -> Self {
        let script: Arc<Mutex<(Vec<Reply>, usize)>> = Arc::default();
        let state = script.clone();
        let server = RawServer::start(move |_, _| {
            let mut state = state.lock().expect("script");
            let (replies, next) = &mut *state;
            let reply = replies[(*next).min(replies.len() - 1)].clone();
            *next += 1;
            reply
        });
        Scripted { server, script }
    }

    fn play(&self, replies: Vec<Reply>) {
        *self.script.lock().expect("script") = (replies, 0);
    }

    async fn close(
        &self,
        sleeps: &Arc<RecordingSleep>,
        max_retries: u32,
    ) -> Result<handwritten::models::CloseJobResult, Error<ErrorResponse>> {
        let options = ClientOptions {
            retry: RetryOptions {
                max_retries,
                sleep: sleeps.clone(),
                ..RetryOptions::default()
            },
            ..ClientOptions::default()
        };
        let client = Client::new(&self.server.endpoint, Credential::None, options).expect("client");
        tokio::time::timeout(Duration::from_secs(30), client.close_job("j", "a", None))
            .await
            .expect("the call ends within 30 s")
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Header values a service might send, sensible or not: numbers of every
/// kind, HTTP dates from 1970 to 9999, and any printable text.
fn retry_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        (0u64..253_402_300_799)
            .prop_map(|secs| { httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs)) }),
        (0u64..120).prop_map(|secs| httpdate::fmt_http_date(
            SystemTime::now() + Duration::from_secs(secs)
        )),
        "[ -~]{0,40}",
        Just("1e300".to_owned()),
        Just("NaN".to_owned()),
    ]
}

fn retry_headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["retry-after", "retry-after-ms", "x-ms-retry-after-ms"]),
            retry_value(),
        ),
        0..4,
    )
}

#[test]
fn any_retry_headers_keep_waits_within_the_budget() {
    let runtime = runtime();
    let server = Scripted::start();
    let budget = RetryOptions::default().max_total_delay;
    let status = prop::sample::select(vec!["429 Too Many Requests", "503 Service Unavailable"]);
    let mut runner = runner(128);
    let outcome = runner.run(
        &(status, retry_headers(), retry_headers()),
        |(status, first, second)| {
            let reply = |headers: &[(&str, String)]| {
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                Reply::with(status, &headers, b"")
            };
            server.play(vec![
                reply(&first),
                reply(&second),
                Reply::json("200 OK", "{}"),
            ]);
            let sleeps: Arc<RecordingSleep> = Arc::default();
            let result = runtime.block_on(server.close(&sleeps, 3));
            let waited: Duration = sleeps.waits().iter().sum();
            prop_assert!(waited <= budget, "waited {waited:?}");
            if let Err(error) = result {
                prop_assert!(
                    matches!(error.status(), Some(429 | 503)),
                    "unexpected {error:?}"
                );
            }
            Ok(())
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Bodies from empty to past the raw-body bound, made of a repeated pattern
/// of arbitrary bytes (or JSON-looking text).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let pattern = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..64),
        "[{}\\[\\]\":,a-z0-9 é]{1,64}".prop_map(String::into_bytes),
    ];
    (pattern, prop_oneof![0usize..512, 0usize..200_000])
        .prop_map(|(pattern, length)| pattern.iter().copied().cycle().take(length).collect())
}

#[test]
fn any_success_body_decodes_or_is_one_bounded_decode_error() {
    let runtime = runtime();
    let server = Scripted::start();
    let outcome = runner(64).run(&body(), |body| {
        server.play(vec![Reply::with(
            "200 OK",
            &[("content-type", "application/json")],
            &body,
        )]);
        let result = runtime.block_on(server.close(&Arc::default(), 0));
        match result {
            Ok(_) => {}
            Err(Error::Decode { status, body, .. }) => {
                prop_assert_eq!(status, 200);
                prop_assert!(body.len() <= MAX_RAW_BODY + CUT_NOTE);
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

#[test]
fn any_error_body_is_an_http_error_with_a_bounded_raw_body() {
    let runtime = runtime();
    let server = Scripted::start();
    let outcome = runner(64).run(&body(), |body| {
        server.play(vec![Reply::with(
            "500 Internal Server Error",
            &[("content-type", "application/json")],
            &body,
        )]);
        let result = runtime.block_on(server.close(&Arc::default(), 0));
        let Err(Error::Http(http)) = result else {
            prop_assert!(false, "expected Error::Http: {result:?}");
            return Ok(());
        };
        prop_assert_eq!(http.status, 500);
        let raw = http.raw_body.as_deref().unwrap_or_default();
        prop_assert!(raw.len() <= MAX_RAW_BODY + CUT_NOTE);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
