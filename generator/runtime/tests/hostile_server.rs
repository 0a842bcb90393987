//! The pipeline against servers that misbehave on purpose:
//! redirects, huge, endless, slow and malformed answers, and retry headers
//! at their extremes. Whatever the server does, the caller gets one clear
//! error (never a panic, a hang, or a success of some other request) and
//! memory stays bounded by the client's caps.

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use std::sync::Arc;
use std::time::Duration;

use handwritten::Client;
use handwritten::models::{CloseJobResult, ErrorResponse, FoundationsError};
use openapi_runtime::Error;
use openapi_runtime::{
    ClientOptions, Credential, MAX_ERROR_BODY, MAX_RAW_BODY, RetryOptions, TimeoutScope,
};
use support::raw::{RawServer, Reply};
use support::{ASSIGNMENT, JOB, KEY, RecordingSleep, documented_options};

/// Options as a user leaves them (the pipeline builds its own HTTP
/// client), with waits recorded instead of slept.
fn options(sleeps: &Arc<RecordingSleep>, max_retries: u32) -> ClientOptions {
    ClientOptions {
        retry: RetryOptions {
            max_retries,
            sleep: sleeps.clone(),
            ..RetryOptions::default()
        },
        ..ClientOptions::default()
    }
}

fn client(endpoint: &str, options: ClientOptions) -> Client {
    let credential = Credential::access_key(KEY).expect("key");
    Client::new(endpoint, credential, options).expect("valid endpoint")
}

/// Closes the documented assignment, bounded in time.
async fn close(client: &Client) -> Result<CloseJobResult, Error<ErrorResponse>> {
    tokio::time::timeout(
        Duration::from_secs(30),
        client.close_job(JOB, ASSIGNMENT, Some(&documented_options())),
    )
    .await
    .expect("the call ends within 30 s")
}

fn http_error(error: &Error<ErrorResponse>) -> &openapi_runtime::HttpError<ErrorResponse> {
    match error {
        Error::Http(http) => http,
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

const REDIRECTS: [(&str, u16); 5] = [
    ("301 Moved Permanently", 301),
    ("302 Found", 302),
    ("303 See Other", 303),
    ("307 Temporary Redirect", 307),
    ("308 Permanent Redirect", 308),
];

#[tokio::test]
async fn redirects_are_not_followed_and_are_errors() {
    for (status, code) in REDIRECTS {
        for cross_origin in [false, true] {
            let other = RawServer::always(Reply::json("200 OK", "{}"));
            let location = if cross_origin {
                format!("{}/elsewhere", other.endpoint)
            } else {
                "/elsewhere".to_owned()
            };
            let redirect = Reply::with(status, &[("location", &location)], b"");
            let origin = RawServer::start(move |_, request| {
                if request.target.starts_with("/elsewhere") {
                    Reply::json("200 OK", "{}")
                } else {
                    redirect.clone()
                }
            });
            let sleeps = Arc::default();
            let error = close(&client(&origin.endpoint, options(&sleeps, 3)))
                .await
                .expect_err("a redirect is never a success");
            let http = http_error(&error);
            let case = format!("{status}, cross-origin: {cross_origin}");
            assert_eq!(http.status, code, "{case}");
            assert_eq!(http.location.as_deref(), Some(location.as_str()), "{case}");
            assert_eq!(http.attempts, 1, "{case}");
            assert_eq!(
                error.to_string(),
                format!("service answered HTTP {code} (redirect to `{location}`, not followed)"),
                "{case}"
            );
            let requests = origin.requests();
            assert_eq!(requests.len(), 1, "{case}: only the close: {requests:?}");
            assert_eq!(requests[0].method, "POST", "{case}");
            assert!(
                other.requests().is_empty(),
                "{case}: the other origin got a request"
            );
        }
    }
}

#[tokio::test]
async fn a_supplied_client_that_follows_redirects_never_gets_a_success_from_them() {
    for (status, _) in REDIRECTS {
        let other = RawServer::always(Reply::json("200 OK", "{}"));
        let location = format!("{}/elsewhere", other.endpoint);
        let origin = RawServer::always(Reply::with(status, &[("location", &location)], b""));
        // reqwest's default policy follows up to 10 redirects.
        let following = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest client");
        let sleeps = Arc::default();
        let options = ClientOptions {
            http_client: Some(following),
            ..options(&sleeps, 3)
        };
        let error = close(&client(&origin.endpoint, options))
            .await
            .expect_err("the other origin's 200 is not the close's answer");
        assert!(
            matches!(&error, Error::Redirected { to } if *to == location),
            "{status}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the HTTP client followed a redirect to `{location}`; \
                 that answer is not taken as this request's \
                 (build ClientOptions::http_client with reqwest::redirect::Policy::none())"
            )
        );
        assert_eq!(origin.requests().len(), 1, "{status}: not retried");
        // The supplied client does send the redirected request; reqwest
        // drops the signature when the origin changes.
        for request in other.requests() {
            assert_eq!(request.header("authorization"), None, "{status}");
        }
    }
}

#[tokio::test]
async fn the_default_body_cap_is_64_mib() {
    assert_eq!(ClientOptions::default().max_response_body, 64 * 1024 * 1024);
    assert_eq!(MAX_ERROR_BODY, 1024 * 1024);
}

#[tokio::test]
async fn a_success_body_larger_than_the_cap_is_refused_unread() {
    let body = vec![b' '; 2 * 1024 * 1024];
    let server = RawServer::always(Reply::with(
        "200 OK",
        &[("content-type", "application/json")],
        &body,
    ));
    let sleeps = Arc::default();
    let options = ClientOptions {
        max_response_body: 1024 * 1024,
        ..options(&sleeps, 3)
    };
    let error = close(&client(&server.endpoint, options))
        .await
        .expect_err("over the cap");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 1_048_576
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "HTTP 200 response body is larger than the limit of 1048576 bytes \
         (ClientOptions::max_response_body); the rest was not read"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn a_success_body_of_exactly_the_cap_is_read_and_one_byte_more_is_not() {
    const CAP: usize = 64 * 1024;
    for (length, accepted) in [(CAP, true), (CAP + 1, false)] {
        // `{}` and spaces: valid JSON of `length` bytes, sent with its length.
        let mut body = b"{}".to_vec();
        body.resize(length, b' ');
        let server = RawServer::always(Reply::with(
            "200 OK",
            &[("content-type", "application/json")],
            &body,
        ));
        let sleeps = Arc::default();
        let options = ClientOptions {
            max_response_body: CAP,
            ..options(&sleeps, 3)
        };
        let result = close(&client(&server.endpoint, options)).await;
        match (accepted, result) {
            (true, Ok(_)) => {}
            (false, Err(Error::BodyTooLarge { status: 200, limit })) => assert_eq!(limit, CAP),
            (_, other) => panic!("{length} bytes: {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_endless_success_body_stops_at_the_default_cap() {
    let server = RawServer::always(Reply::Endless {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
               transfer-encoding: chunked\r\n\r\n"
            .to_owned(),
    });
    let sleeps = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 3)))
        .await
        .expect_err("endless");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 67_108_864
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_endless_error_body_is_cut_and_the_status_kept() {
    let server = RawServer::always(Reply::Endless {
        head: "HTTP/1.1 500 Internal Server Error\r\nx-ms-request-id: req-9\r\n\
               transfer-encoding: chunked\r\n\r\n"
            .to_owned(),
    });
    let sleeps = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 1)))
        .await
        .expect_err("500");
    let http = http_error(&error);
    assert_eq!(
        (http.status, http.request_id.as_deref(), http.attempts),
        (500, Some("req-9"), 2)
    );
    let raw = http.raw_body.as_deref().expect("the raw body");
    let suffix = format!("… (longer than {MAX_ERROR_BODY} bytes; the rest was not read)");
    assert!(raw.ends_with(&suffix), "{}", &raw[raw.len() - 100..]);
    assert_eq!(raw.len(), MAX_RAW_BODY + suffix.len());
    assert_eq!(
        error.to_string(),
        "service answered HTTP 500 (x-ms-request-id req-9) after 2 tries"
    );
}

#[tokio::test]
async fn a_body_slower_than_the_try_timeout_times_out() {
    let server = RawServer::always(Reply::Trickle {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n"
            .to_owned(),
        body: b"{}".to_vec(),
        every: Duration::from_secs(2),
    });
    let sleeps = Arc::default();
    let options = ClientOptions {
        try_timeout: Some(Duration::from_millis(300)),
        ..options(&sleeps, 1)
    };
    let error = close(&client(&server.endpoint, options))
        .await
        .expect_err("too slow");
    assert!(
        matches!(
            error,
            Error::Timeout {
                scope: TimeoutScope::Try,
                last: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "timed out: a try took longer than 300ms");
    assert_eq!(server.requests().len(), 2, "a timed-out try is retried");
}

#[tokio::test]
async fn garbage_answers_are_transport_errors_and_not_retried() {
    for garbage in [
        // The request arrived and the connection closed with no answer: it
        // may have been applied, so a close is never sent again.
        Vec::new(),
        b"\x00\xff\xfe garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\ncontent-length: banana\r\n\r\n{}".to_vec(),
        b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{}".to_vec(),
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"HTTP/1.1 999999 Odd\r\ncontent-length: 0\r\n\r\n".to_vec(),
    ] {
        let shown = String::from_utf8_lossy(&garbage).into_owned();
        let server = RawServer::always(Reply::Bytes(garbage));
        let sleeps = Arc::default();
        let error = close(&client(&server.endpoint, options(&sleeps, 3)))
            .await
            .expect_err(&shown);
        assert!(matches!(error, Error::Transport(_)), "{shown}: {error:?}");
        assert!(error.to_string().starts_with("request failed: "), "{error}");
        assert_eq!(server.requests().len(), 1, "{shown}");
    }
}

/// What a 429 with these headers, then a 200, makes the client do.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Waited this long, then succeeded.
    Waited(Duration),
    /// Waited the exponential backoff (200 ms plus jitter), then succeeded
    /// (expected only: what happened is `Waited`).
    BackedOff,
    /// Gave up at once with the 429.
    GaveUp,
}

async fn outcome_of(headers: &[(&str, &str)]) -> Outcome {
    let server = RawServer::sequence(vec![
        Reply::with("429 Too Many Requests", headers, b""),
        Reply::json("200 OK", "{}"),
    ]);
    let sleeps: Arc<RecordingSleep> = Arc::default();
    let result = close(&client(&server.endpoint, options(&sleeps, 3))).await;
    let waits = sleeps.waits();
    match result {
        Ok(_) => {
            assert_eq!(waits.len(), 1, "{headers:?}");
            assert_eq!(server.requests().len(), 2);
            Outcome::Waited(waits[0])
        }
        Err(error) => {
            let http = http_error(&error);
            assert_eq!((http.status, http.attempts), (429, 1), "{headers:?}");
            assert!(waits.is_empty(), "{headers:?}: {waits:?}");
            assert_eq!(server.requests().len(), 1);
            Outcome::GaveUp
        }
    }
}

#[tokio::test]
async fn retry_headers_at_their_extremes_never_panic_nor_overflow() {
    let cases: [(&[(&str, &str)], Outcome); 17] = [
        (&[("x-ms-retry-after-ms", "1e300")], Outcome::GaveUp),
        (&[("retry-after-ms", "1e300")], Outcome::GaveUp),
        (&[("x-ms-retry-after-ms", "1.8e19")], Outcome::GaveUp),
        (&[("x-ms-retry-after-ms", "NaN")], Outcome::BackedOff),
        (&[("x-ms-retry-after-ms", "inf")], Outcome::BackedOff),
        (&[("x-ms-retry-after-ms", "-1")], Outcome::BackedOff),
        (&[("x-ms-retry-after-ms", "")], Outcome::BackedOff),
        (&[("retry-after", "18446744073709551615")], Outcome::GaveUp),
        (
            &[("retry-after", "18446744073709551616")],
            Outcome::BackedOff,
        ),
        (&[("retry-after", "-1")], Outcome::BackedOff),
        (&[("retry-after", "1.5")], Outcome::BackedOff),
        (&[("retry-after", "soon")], Outcome::BackedOff),
        (
            &[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")],
            Outcome::GaveUp,
        ),
        (
            &[("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT")],
            Outcome::Waited(Duration::ZERO),
        ),
        (
            &[("x-ms-retry-after-ms", "300"), ("retry-after", "1e300")],
            Outcome::Waited(Duration::from_millis(300)),
        ),
        // A repeated header: the first one counts.
        (
            &[
                ("retry-after", "1"),
                ("retry-after", "18446744073709551615"),
            ],
            Outcome::Waited(Duration::from_secs(1)),
        ),
        (
            &[
                ("retry-after", "18446744073709551615"),
                ("retry-after", "1"),
            ],
            Outcome::GaveUp,
        ),
    ];
    let backoff = Duration::from_millis(200)..=Duration::from_millis(455);
    for (headers, expected) in cases {
        let outcome = outcome_of(headers).await;
        match (&expected, &outcome) {
            (Outcome::BackedOff, Outcome::Waited(wait)) => {
                assert!(backoff.contains(wait), "{headers:?}: {wait:?}");
            }
            _ => assert_eq!(outcome, expected, "{headers:?}"),
        }
    }
}

#[tokio::test]
async fn a_huge_retry_after_after_a_wait_gives_up_instead_of_overflowing() {
    let server = RawServer::sequence(vec![
        Reply::with("429 Too Many Requests", &[("retry-after", "1")], b""),
        Reply::with(
            "503 Service Unavailable",
            &[("retry-after", "18446744073709551615")],
            b"",
        ),
        Reply::json("200 OK", "{}"),
    ]);
    let sleeps: Arc<RecordingSleep> = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 3)))
        .await
        .expect_err("gives up on the 503");
    assert_eq!(error.to_string(), "service answered HTTP 503 after 2 tries");
    assert_eq!(sleeps.waits(), [Duration::from_secs(1)]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_wait_past_the_call_deadline_gives_up_with_the_answer() {
    let server = RawServer::sequence(vec![
        Reply::with("429 Too Many Requests", &[("retry-after", "10")], b""),
        Reply::json("200 OK", "{}"),
    ]);
    let sleeps: Arc<RecordingSleep> = Arc::default();
    let options = ClientOptions {
        call_timeout: Some(Duration::from_secs(5)),
        ..options(&sleeps, 3)
    };
    let error = close(&client(&server.endpoint, options))
        .await
        .expect_err("the wait would outlast the call");
    assert_eq!(error.to_string(), "service answered HTTP 429");
    assert!(sleeps.waits().is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_call_timeout_keeps_the_last_answer() {
    let server = RawServer::sequence(vec![
        Reply::with(
            "503 Service Unavailable",
            &[
                ("content-type", "application/json"),
                ("x-ms-request-id", "req-1"),
            ],
            br#"{"error":{"code":"ServiceBusy","message":"Try later."}}"#,
        ),
        Reply::Trickle {
            head: "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n".to_owned(),
            body: b"{}".to_vec(),
            every: Duration::from_secs(2),
        },
    ]);
    let sleeps: Arc<RecordingSleep> = Arc::default();
    let options = ClientOptions {
        try_timeout: None,
        call_timeout: Some(Duration::from_millis(500)),
        ..options(&sleeps, 3)
    };
    let error = close(&client(&server.endpoint, options))
        .await
        .expect_err("the second try outlasts the call");
    let Error::Timeout {
        scope: TimeoutScope::Call,
        last: Some(last),
        ..
    } = &error
    else {
        panic!("expected a call timeout with the last answer: {error:?}");
    };
    assert_eq!(
        (last.status, last.error_code.as_deref(), last.attempts),
        (503, Some("ServiceBusy"), 1)
    );
    assert_eq!(
        error.to_string(),
        "timed out: the call took longer than 500ms; the last answer: \
         service answered HTTP 503 ServiceBusy: Try later. (x-ms-request-id req-1)"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn signed_headers_never_reach_another_origin_through_a_next_link() {
    let other = RawServer::always(Reply::json("200 OK", r#"{"value":[]}"#));
    let page = format!(
        r#"{{"value":[],"nextLink":"{}/routing/jobs?page=2"}}"#,
        other.endpoint
    );
    let origin = RawServer::always(Reply::json("200 OK", &page));
    let credential = Credential::access_key(KEY).expect("key");
    let client =
        Client::new(&origin.endpoint, credential, ClientOptions::default()).expect("client");
    let mut pages = client.list_jobs_pages();
    let first = tokio::time::timeout(Duration::from_secs(30), pages.next())
        .await
        .expect("bounded");
    let error = match first {
        Some(Err(error)) => error,
        other => panic!("expected the refused link: {other:?}"),
    };
    assert_eq!(
        error.to_string(),
        format!(
            "invalid argument `nextLink`: the next page's link `{}/routing/jobs?page=2` \
             leads to another origin than the endpoint; it is not followed",
            other.endpoint
        )
    );
    assert!(
        other.requests().is_empty(),
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn text_from_the_service_cannot_fake_lines_or_drive_a_terminal() {
    let server = RawServer::sequence(vec![
        Reply::json(
            "400 Bad Request",
            r#"{"error":{"code":"Bad\u001b[2J","message":"no\nerror: all good\u001b[0m"}}"#,
        ),
        Reply::json("200 OK", r#"{"note\u001b[31m": 1}"#),
    ]);
    let sleeps = Arc::default();
    let client = client(&server.endpoint, options(&sleeps, 0));
    let error = close(&client).await.expect_err("400");
    assert_eq!(
        error.to_string(),
        r"service answered HTTP 400 Bad\u{1b}[2J: no\nerror: all good\u{1b}[0m"
    );
    let http = http_error(&error);
    assert_eq!(
        http.message.as_deref(),
        Some("no\nerror: all good\u{1b}[0m")
    );
    let listed =
        Client::new(&server.endpoint, Credential::None, ClientOptions::default()).expect("client");
    let error = tokio::time::timeout(Duration::from_secs(30), listed.list_jobs())
        .await
        .expect("bounded")
        .expect_err("not a page");
    let shown = error.to_string();
    assert!(!shown.contains('\u{1b}'), "{shown}");
    assert!(
        shown.starts_with("HTTP 200 response does not match"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_unparsable_error_body_is_kept_to_64_kib_cut_on_a_character_boundary() {
    // 65,535 ASCII bytes, then `é` (2 bytes) across the 65,536th.
    let mut body = vec![b'x'; 64 * 1024 - 1];
    body.extend("éé".as_bytes());
    let server = RawServer::always(Reply::with(
        "400 Bad Request",
        &[("content-type", "text/plain")],
        &body,
    ));
    let sleeps = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 3)))
        .await
        .expect_err("400");
    let http = http_error(&error);
    let kept = "x".repeat(64 * 1024 - 1);
    let raw = format!("{kept}… (65539 bytes in all)");
    assert_eq!(
        (http.body.as_ref(), http.raw_body.as_deref()),
        (None, Some(raw.as_str()))
    );
}

#[tokio::test]
async fn a_declared_error_body_is_parsed_and_the_header_code_wins() {
    let body = br#"{"error":{"code":"Conflict","message":"The job is closed."}}"#;
    let server = RawServer::always(Reply::with(
        "409 Conflict",
        &[
            ("content-type", "application/json"),
            ("x-ms-error-code", "JobAlreadyClosed"),
        ],
        body,
    ));
    let sleeps = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 3)))
        .await
        .expect_err("409");
    let http = http_error(&error);
    let declared = ErrorResponse {
        error: FoundationsError {
            code: "Conflict".to_owned(),
            message: "The job is closed.".to_owned(),
        },
    };
    assert_eq!(
        (http.body.as_ref(), http.raw_body.as_deref()),
        (Some(&declared), None)
    );
    assert_eq!(
        error.to_string(),
        "service answered HTTP 409 JobAlreadyClosed: The job is closed."
    );
}

#[tokio::test]
async fn a_success_body_that_does_not_fit_is_a_decode_error_with_its_status() {
    let server = RawServer::always(Reply::json("200 OK", "[1]"));
    let sleeps = Arc::default();
    let error = close(&client(&server.endpoint, options(&sleeps, 3)))
        .await
        .expect_err("an array for an object");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(
        error.to_string(),
        "HTTP 200 response does not match the declared schema at `.`: invalid type: \
         sequence, expected struct CloseJobResult at line 1 column 0"
    );
}
