//! The pipeline over 127.0.0.1 (through the hand-written client): exact wire requests per
//! credential, HMAC signing, tokens, retries, timeouts, request ids, and
//! secrets kept out of every Debug and Display.

mod handwritten;
mod support;

/// The client the shared `support` drives.
use handwritten::subject;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use handwritten::Client;
use openapi_runtime::Error;
use openapi_runtime::{
    AccessKey, AccessToken, ClientOptions, Clock, Credential, RetryOptions, TimeoutScope,
    TokenCredential, TokenFuture, sign_request,
};
use sha2::Digest;
use support::{
    ASSIGNMENT, Answer, BODY, JOB, KEY, Server, bounded, documented_options, json_answer,
};

fn header_names(request: &support::Received) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .collect();
    names.sort();
    names
}

fn header<'a>(request: &'a support::Received, name: &str) -> &'a str {
    request.headers[name].to_str().expect("ASCII header")
}

/// Whether `text` is a random (version 4) UUID as the client writes it:
/// lowercase `xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx`, `N` one of `89ab`.
fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            14 => b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

#[test]
fn the_uuid_check_refuses_what_is_not_a_v4_uuid() {
    assert!(is_uuid_v4("0f8fad5b-d9cb-469f-a165-70867728950e"));
    for wrong in [
        "0f8fad5b-d9cb-169f-a165-70867728950e",
        "0f8fad5b-d9cb-469f-c165-70867728950e",
        "0F8FAD5B-D9CB-469F-A165-70867728950E",
        "0f8fad5bd-9cb-469f-a165-70867728950e",
        "0f8fad5b-d9cb-469f-a165-70867728950",
        "0f8fad5b-d9cb-469f-a165-70867728950g",
    ] {
        assert!(!is_uuid_v4(wrong), "{wrong}");
    }
}

/// A wall clock stopped at one instant.
#[derive(Debug)]
struct FixedClock(SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// Tue, 14 Nov 2023 22:13:20 GMT, and 750 ms: the client's clock in the
/// tests that read it, so dates and waits are exact.
fn fixed_now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_750)
}

#[test]
fn the_default_clock_is_the_system_clock() {
    let before = SystemTime::now();
    let now = ClientOptions::default().clock.now();
    assert!(before <= now && now <= SystemTime::now(), "{now:?}");
}

/// `server`'s options with the clock stopped at [`fixed_now`].
fn options_at_fixed_now(server: &Server) -> ClientOptions {
    ClientOptions {
        clock: Arc::new(FixedClock(fixed_now())),
        ..server.options()
    }
}

#[tokio::test]
async fn wire_request_without_credential() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    bounded(
        server
            .client()
            .close_job(JOB, ASSIGNMENT, Some(&documented_options())),
    )
    .await
    .expect("200");
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/routing/jobs/{JOB}/assignments/{ASSIGNMENT}:close")
    );
    assert_eq!(request.query.as_deref(), Some("api-version=2023-11-01"));
    assert_eq!(
        header_names(&request),
        [
            "accept",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-ms-client-request-id"
        ]
    );
    assert_eq!(header(&request, "accept"), "application/json");
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(header(&request, "content-length"), BODY.len().to_string());
    assert_eq!(
        header(&request, "host"),
        server.endpoint.trim_start_matches("http://")
    );
    let user_agent = header(&request, "user-agent");
    assert_eq!(
        user_agent,
        format!(
            "azsdk-rust-openapi_runtime/0.1.0 ({}; {})",
            std::env::consts::OS,
            std::env::consts::ARCH
        )
    );
    assert!(is_uuid_v4(header(&request, "x-ms-client-request-id")));
    assert_eq!(request.body, BODY.as_bytes());
}

#[tokio::test]
async fn wire_request_with_an_access_key_is_signed() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let client = server.client_with(
        Credential::access_key(KEY).expect("key"),
        options_at_fixed_now(&server),
    );
    bounded(client.close_job(JOB, ASSIGNMENT, Some(&documented_options())))
        .await
        .expect("200");
    let request = server.only_request();
    assert_eq!(
        header_names(&request),
        [
            "accept",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-ms-client-request-id",
            "x-ms-content-sha256",
            "x-ms-date"
        ]
    );
    assert_eq!(
        header(&request, "x-ms-content-sha256"),
        BASE64.encode(sha2::Sha256::digest(BODY.as_bytes()))
    );
    // The client's clock, to the second (an HTTP date has no fraction).
    let date = header(&request, "x-ms-date");
    assert_eq!(date, "Tue, 14 Nov 2023 22:13:20 GMT");
    // Computed here with the hmac crate, not with the client's own signer:
    // `VERB\nPATH_AND_QUERY\nDATE;HOST;HASH`, the host with its port, as
    // received.
    let host = header(&request, "host");
    assert!(host.starts_with("127.0.0.1:"), "the port is signed: {host}");
    let string_to_sign = format!(
        "POST\n{}?{}\n{date};{host};{}",
        request.path,
        request.query.as_deref().unwrap_or_default(),
        header(&request, "x-ms-content-sha256")
    );
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(
        &BASE64.decode(KEY).expect("base64 key"),
    )
    .expect("any key length");
    hmac::Mac::update(&mut mac, string_to_sign.as_bytes());
    let signature = BASE64.encode(hmac::Mac::finalize(mac).into_bytes());
    assert_eq!(
        header(&request, "authorization"),
        format!(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
        )
    );
}

#[tokio::test]
async fn wire_request_with_a_bearer_token() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let client = server.client_with(
        Credential::static_token("entra-token-123", None),
        server.options(),
    );
    bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    let request = server.only_request();
    assert_eq!(header(&request, "authorization"), "Bearer entra-token-123");
    assert!(request.headers.get("x-ms-date").is_none());
    assert!(request.body.is_empty());
}

#[test]
fn signatures_match_the_azure_sdk_test_vectors() {
    let key = AccessKey::from_base64::<()>("pw==").expect("key");
    let date = "Wed, 13 Apr 2022 18:09:12 GMT";
    for (url, signature) in [
        (
            "https://example.com/testPath?testQuery=test",
            "DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=",
        ),
        (
            "https://example.com/testPath",
            "+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=",
        ),
        (
            "https://contoso.communicationservices.azure.com/testPath?testQuery=yes",
            "il99+rd6V5O136roX/zVePCNle78HmvC4B7tu9zRH3I=",
        ),
    ] {
        let headers = sign_request(
            &key,
            "GET",
            &reqwest::Url::parse(url).expect("URL"),
            b"",
            date,
        );
        assert_eq!(headers["x-ms-date"], date);
        assert_eq!(
            headers["x-ms-content-sha256"],
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            headers["authorization"],
            format!(
                "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
            )
            .as_str(),
            "{url}"
        );
    }
}

/// Counts how often the client asks for a token; each expires at `expires_on`.
#[derive(Debug)]
struct CountingTokens {
    calls: AtomicU32,
    expires_on: SystemTime,
}

impl TokenCredential for CountingTokens {
    fn get_token(&self) -> TokenFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let token = AccessToken::new(format!("token-{n}"), Some(self.expires_on));
        Box::pin(async move { Ok(token) })
    }
}

#[tokio::test]
async fn tokens_are_cached_and_refreshed_before_they_expire() {
    for (lifetime, expected_calls, last_token) in [
        (Duration::from_secs(3600), 1, "Bearer token-1"),
        // Refreshed once 5 minutes or less of its lifetime are left, by the
        // client's clock: kept with 6 minutes or 5 minutes and 1 ms left,
        // replaced on every call with exactly 5 minutes, 4 or 1 left.
        (Duration::from_secs(6 * 60), 1, "Bearer token-1"),
        (Duration::from_millis(5 * 60_000 + 1), 1, "Bearer token-1"),
        (Duration::from_secs(5 * 60), 3, "Bearer token-3"),
        (Duration::from_secs(4 * 60), 3, "Bearer token-3"),
        (Duration::from_secs(60), 3, "Bearer token-3"),
    ] {
        let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
        let provider = Arc::new(CountingTokens {
            calls: AtomicU32::new(0),
            expires_on: fixed_now() + lifetime,
        });
        let client = server.client_with(
            Credential::Token(provider.clone()),
            options_at_fixed_now(&server),
        );
        for _ in 0..3 {
            bounded(client.close_job(JOB, ASSIGNMENT, None))
                .await
                .expect("200");
        }
        assert_eq!(
            provider.calls.load(Ordering::SeqCst),
            expected_calls,
            "{lifetime:?}"
        );
        let requests = server.requests();
        assert_eq!(header(&requests[2], "authorization"), last_token);
    }
}

#[tokio::test]
async fn a_503_then_200_succeeds_with_one_request_id_across_tries() {
    let server = Server::start_sequence(vec![
        json_answer(StatusCode::SERVICE_UNAVAILABLE, "{}"),
        json_answer(StatusCode::OK, "{}"),
    ])
    .await;
    bounded(
        server
            .client()
            .close_job(JOB, ASSIGNMENT, Some(&documented_options())),
    )
    .await
    .expect("succeeds on the second try");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let id = header(&requests[0], "x-ms-client-request-id");
    assert!(is_uuid_v4(id), "{id}");
    assert_eq!(header(&requests[1], "x-ms-client-request-id"), id);
    assert_eq!(requests[1].body, BODY.as_bytes(), "the body is sent again");
    let waits = server.sleeps.waits();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] >= Duration::from_millis(200) && waits[0] <= Duration::from_millis(455),
        "first backoff is 200 ms plus up to 255 ms jitter: {waits:?}"
    );
}

#[tokio::test]
async fn each_retry_is_signed_afresh() {
    let server = Server::start_sequence(vec![
        json_answer(StatusCode::INTERNAL_SERVER_ERROR, "{}"),
        json_answer(StatusCode::OK, "{}"),
    ])
    .await;
    let client = server.client_with(Credential::access_key(KEY).expect("key"), server.options());
    bounded(client.close_job(JOB, ASSIGNMENT, Some(&documented_options())))
        .await
        .expect("200");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(header(request, "authorization").starts_with("HMAC-SHA256 SignedHeaders="));
    }
}

fn throttled(header: &'static str, value: &'static str) -> Answer {
    Answer {
        headers: vec![("content-type", "application/json"), (header, value)],
        ..json_answer(StatusCode::TOO_MANY_REQUESTS, "{}")
    }
}

#[tokio::test]
async fn retry_after_headers_set_the_wait() {
    for (answer, expected) in [
        (throttled("retry-after", "1"), Duration::from_secs(1)),
        (
            throttled("retry-after-ms", "250"),
            Duration::from_millis(250),
        ),
        (
            throttled("x-ms-retry-after-ms", "1500"),
            Duration::from_millis(1500),
        ),
    ] {
        let server = Server::start_sequence(vec![answer, json_answer(StatusCode::OK, "{}")]).await;
        bounded(server.client().close_job(JOB, ASSIGNMENT, None))
            .await
            .expect("200");
        assert_eq!(server.sleeps.waits(), [expected]);
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_waits_until_then_by_the_clients_clock() {
    // 10 s after the second the client's clock is in, 750 ms into it.
    let answer = Answer {
        headers: vec![
            ("content-type", "application/json"),
            ("retry-after", "Tue, 14 Nov 2023 22:13:30 GMT"),
        ],
        ..json_answer(StatusCode::SERVICE_UNAVAILABLE, "{}")
    };
    let server = Server::start_sequence(vec![answer, json_answer(StatusCode::OK, "{}")]).await;
    let client = server.client_with(Credential::None, options_at_fixed_now(&server));
    bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    assert_eq!(server.sleeps.waits(), [Duration::from_millis(9_250)]);
}

#[tokio::test]
async fn each_call_has_its_own_request_id() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let client = server.client();
    for _ in 0..3 {
        bounded(client.close_job(JOB, ASSIGNMENT, None))
            .await
            .expect("200");
    }
    let requests = server.requests();
    let ids: Vec<&str> = requests
        .iter()
        .map(|request| header(request, "x-ms-client-request-id"))
        .collect();
    assert!(ids.iter().all(|id| is_uuid_v4(id)), "{ids:?}");
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "{ids:?}"
    );
}

#[tokio::test]
async fn gives_up_after_the_configured_tries_with_the_last_error() {
    let server = Server::start(json_answer(
        StatusCode::SERVICE_UNAVAILABLE,
        r#"{"error":{"code":"ServiceBusy","message":"Try later."}}"#,
    ))
    .await;
    let options = without_jitter(server.options_with_retries(2));
    let error = bounded(
        server
            .client_with(Credential::None, options)
            .close_job(JOB, ASSIGNMENT, None),
    )
    .await
    .expect_err("503 every time");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.sleeps.waits(),
        [Duration::from_millis(200), Duration::from_millis(400)]
    );
    assert_eq!(
        error.to_string(),
        "service answered HTTP 503 ServiceBusy: Try later. after 3 tries"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_budget_is_not_waited_for() {
    let server = Server::start(throttled("retry-after", "120")).await;
    let error = bounded(server.client().close_job(JOB, ASSIGNMENT, None))
        .await
        .expect_err("429");
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.requests().len(), 1);
    assert!(server.sleeps.waits().is_empty());
}

/// `options` with no retry jitter, so the waits are exact.
fn without_jitter(options: ClientOptions) -> ClientOptions {
    ClientOptions {
        retry: RetryOptions {
            max_jitter: Duration::ZERO,
            ..options.retry.clone()
        },
        ..options
    }
}

/// The waits of a call that is answered 503 every time, with no jitter.
async fn backoff_waits(initial: Duration, max_total_delay: Duration) -> Vec<Duration> {
    let server = Server::start(json_answer(StatusCode::SERVICE_UNAVAILABLE, "{}")).await;
    let options = without_jitter(server.options());
    let options = ClientOptions {
        retry: RetryOptions {
            initial_delay: initial,
            max_total_delay,
            ..options.retry.clone()
        },
        ..options
    };
    let error = bounded(
        server
            .client_with(Credential::None, options)
            .close_job(JOB, ASSIGNMENT, None),
    )
    .await
    .expect_err("503 every time");
    assert_eq!(error.status(), Some(503));
    server.sleeps.waits()
}

#[tokio::test]
async fn backoff_doubles_up_to_thirty_seconds_a_wait_and_sixty_in_all() {
    let secs = |list: &[u64]| {
        list.iter()
            .map(|&s| Duration::from_secs(s))
            .collect::<Vec<_>>()
    };
    // The defaults: 200 ms doubling, 8 retries, all within 60 s.
    let defaults = [200, 400, 800, 1600, 3200, 6400, 12_800, 25_600];
    assert_eq!(
        backoff_waits(Duration::from_millis(200), Duration::from_secs(60)).await,
        defaults.map(Duration::from_millis)
    );
    // Each wait is capped at 30 s (the total budget raised to show it).
    assert_eq!(
        backoff_waits(Duration::from_secs(1), Duration::from_secs(3600)).await,
        secs(&[1, 2, 4, 8, 16, 30, 30, 30])
    );
    // The default 60 s in all: 1 + 2 + 4 + 8 + 16 = 31 s, and 30 s more
    // would pass it, so the call ends with the 503 instead of waiting.
    assert_eq!(
        backoff_waits(Duration::from_secs(1), Duration::from_secs(60)).await,
        secs(&[1, 2, 4, 8, 16])
    );
    // "At most" the total: waits adding up to exactly the budget are all
    // waited, one more millisecond of them is not.
    assert_eq!(
        backoff_waits(Duration::from_secs(1), Duration::from_secs(31)).await,
        secs(&[1, 2, 4, 8, 16])
    );
    assert_eq!(
        backoff_waits(Duration::from_secs(1), Duration::from_millis(30_999)).await,
        secs(&[1, 2, 4, 8])
    );
}

#[tokio::test]
async fn every_status_that_says_try_again_is_retried_and_no_other() {
    for (status, retried) in [
        (StatusCode::REQUEST_TIMEOUT, true),
        (StatusCode::TOO_MANY_REQUESTS, true),
        (StatusCode::INTERNAL_SERVER_ERROR, true),
        (StatusCode::BAD_GATEWAY, true),
        (StatusCode::SERVICE_UNAVAILABLE, true),
        (StatusCode::GATEWAY_TIMEOUT, true),
        (StatusCode::NOT_IMPLEMENTED, false),
        (StatusCode::CONFLICT, false),
    ] {
        let server = Server::start_sequence(vec![
            json_answer(status, "{}"),
            json_answer(StatusCode::OK, "{}"),
        ])
        .await;
        let result = bounded(server.client().close_job(JOB, ASSIGNMENT, None)).await;
        if retried {
            assert!(result.is_ok(), "{status}: {result:?}");
            assert_eq!(server.requests().len(), 2, "{status}");
        } else {
            let error = result.expect_err("not retried");
            assert_eq!(error.status(), Some(status.as_u16()));
            assert_eq!(server.requests().len(), 1, "{status}");
        }
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::NOT_FOUND,
    ] {
        let server = Server::start(json_answer(status, "{}")).await;
        let error = bounded(server.client().close_job(JOB, ASSIGNMENT, None))
            .await
            .expect_err("an error status");
        assert_eq!(error.status(), Some(status.as_u16()));
        assert_eq!(server.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn an_empty_500_body_is_reported_as_such() {
    let server = Server::start(Answer {
        headers: vec![],
        ..json_answer(StatusCode::INTERNAL_SERVER_ERROR, "")
    })
    .await;
    let options = server.options_with_retries(0);
    let error = bounded(
        server
            .client_with(Credential::None, options)
            .close_job(JOB, ASSIGNMENT, None),
    )
    .await
    .expect_err("500");
    let Error::Http(http) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (
            http.status,
            http.error_code.as_deref(),
            http.message.as_deref()
        ),
        (500, None, None)
    );
    assert_eq!(http.raw_body.as_deref(), Some(""));
    assert_eq!(error.to_string(), "service answered HTTP 500");
}

#[tokio::test]
async fn a_slow_try_times_out_and_is_retried() {
    let server = Server::start(Answer {
        delay: Duration::from_secs(5),
        ..json_answer(StatusCode::OK, "{}")
    })
    .await;
    let options = ClientOptions {
        try_timeout: Some(Duration::from_millis(100)),
        ..server.options_with_retries(1)
    };
    let error = bounded(
        server
            .client_with(Credential::None, options)
            .close_job(JOB, ASSIGNMENT, None),
    )
    .await
    .expect_err("times out");
    assert!(
        matches!(
            error,
            Error::Timeout {
                scope: TimeoutScope::Try,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "timed out: a try took longer than 100ms");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_whole_call_times_out() {
    let server = Server::start(Answer {
        delay: Duration::from_secs(5),
        ..json_answer(StatusCode::OK, "{}")
    })
    .await;
    let options = ClientOptions {
        try_timeout: None,
        call_timeout: Some(Duration::from_millis(200)),
        ..server.options()
    };
    let error = bounded(
        server
            .client_with(Credential::None, options)
            .close_job(JOB, ASSIGNMENT, None),
    )
    .await
    .expect_err("times out");
    assert!(
        matches!(
            error,
            Error::Timeout {
                scope: TimeoutScope::Call,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "timed out: the call took longer than 200ms"
    );
}

#[tokio::test]
async fn client_request_id_and_user_agent_suffix_can_be_set() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let options = ClientOptions {
        user_agent_suffix: Some("my-app/1.2".to_owned()),
        ..server.options()
    };
    let client = server
        .client_with(Credential::None, options)
        .with_client_request_id("my-correlation-id")
        .expect("valid id");
    bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect("200");
    let request = server.only_request();
    assert_eq!(
        header(&request, "x-ms-client-request-id"),
        "my-correlation-id"
    );
    assert!(header(&request, "user-agent").ends_with(") my-app/1.2"));
}

#[test]
fn connection_strings_are_parsed_leniently_and_refused_clearly() {
    let client = Client::from_connection_string(
        &format!("Endpoint=https://contoso.communication.azure.com/;AccessKey={KEY}"),
        ClientOptions::default(),
    )
    .expect("valid connection string");
    assert_eq!(
        client.endpoint().as_str(),
        "https://contoso.communication.azure.com/"
    );
    for (text, reason) in [
        (
            format!("accesskey={KEY}"),
            "the connection string has no `endpoint=`",
        ),
        (
            "endpoint=https://contoso/".to_owned(),
            "the connection string has no `accesskey=`",
        ),
        (
            "endpoint=https://contoso/;accesskey=not*base64*secret".to_owned(),
            "the access key is not valid base64",
        ),
        (
            "endpoint=https://contoso/;junk".to_owned(),
            "a connection string part is not `name=value`",
        ),
    ] {
        let error = Client::from_connection_string(&text, ClientOptions::default())
            .expect_err(&text)
            .to_string();
        assert_eq!(error, format!("invalid credential: {reason}"));
        assert!(!error.contains("secret") && !error.contains(KEY));
    }
    for key in ["", "  "] {
        let error = Credential::access_key(key)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let empty = "invalid credential: the access key is empty".to_owned();
        assert_eq!(error, Err(empty), "{key:?}");
    }
}

#[test]
fn no_secret_shows_in_debug() {
    let with_key = Client::new(
        "https://contoso.communication.azure.com",
        Credential::access_key(KEY).expect("key"),
        ClientOptions::default(),
    )
    .expect("client");
    let with_token = Client::new(
        "https://contoso.communication.azure.com",
        Credential::static_token("entra-token-123", None),
        ClientOptions::default(),
    )
    .expect("client");
    for shown in [format!("{with_key:?}"), format!("{with_token:?}")] {
        assert!(!shown.contains(KEY) && !shown.contains("secret"), "{shown}");
        assert!(!shown.contains("entra-token-123"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[tokio::test]
async fn non_ascii_ids_stay_one_path_segment() {
    let server = Server::start(json_answer(StatusCode::OK, "{}")).await;
    bounded(server.client().close_job("tâche/été ✓", ASSIGNMENT, None))
        .await
        .expect("200");
    let request = server.only_request();
    let segment = request.path.split('/').nth(3).expect("job segment");
    assert_eq!(segment, "t%C3%A2che%2F%C3%A9t%C3%A9%20%E2%9C%93");
    assert_eq!(
        percent_encoding::percent_decode_str(segment).decode_utf8_lossy(),
        "tâche/été ✓"
    );
}

#[tokio::test]
async fn pages_yield_every_item_in_order_and_a_failed_page_is_its_error_and_the_end() {
    let server = Server::start_sequence(vec![
        json_answer(
            StatusCode::OK,
            r#"{"value":[1,2],"nextLink":"/routing/jobs?page=2&api-version=2023-11-01"}"#,
        ),
        json_answer(
            StatusCode::OK,
            r#"{"value":[3],"nextLink":"/routing/jobs?page=3&api-version=2023-11-01"}"#,
        ),
        Answer {
            headers: vec![
                ("content-type", "application/json"),
                ("x-ms-error-code", "NotFound"),
            ],
            ..json_answer(
                StatusCode::NOT_FOUND,
                r#"{"error":{"code":"NotFound","message":"gone"}}"#,
            )
        },
    ])
    .await;
    let client = server.client();
    let mut pages = client.list_jobs_pages();
    for expected in [1, 2, 3] {
        let item = bounded(pages.next()).await.expect("an item").expect("ok");
        assert_eq!(item, serde_json::json!(expected));
    }
    match bounded(pages.next()).await {
        Some(Err(Error::Http(error))) => assert_eq!(
            (error.status, error.error_code.as_deref()),
            (404, Some("NotFound"))
        ),
        other => panic!("expected the third page's 404, got {other:?}"),
    }
    assert!(bounded(pages.next()).await.is_none());
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|request| {
            format!(
                "{} {}?{}",
                request.method,
                request.path,
                request.query.as_deref().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            "GET /routing/jobs?api-version=2023-11-01",
            "GET /routing/jobs?page=2&api-version=2023-11-01",
            "GET /routing/jobs?page=3&api-version=2023-11-01"
        ]
    );
}

#[tokio::test]
async fn a_next_link_back_to_the_page_just_read_is_refused_instead_of_looping() {
    let server = Server::start_sequence(vec![
        json_answer(
            StatusCode::OK,
            r#"{"value":[1],"nextLink":"/routing/jobs?page=2&api-version=2023-11-01"}"#,
        ),
        json_answer(
            StatusCode::OK,
            r#"{"value":[2],"nextLink":"/routing/jobs?page=2&api-version=2023-11-01"}"#,
        ),
    ])
    .await;
    let client = server.client();
    let mut pages = client.list_jobs_pages();
    for expected in [1, 2] {
        let item = bounded(pages.next()).await.expect("an item").expect("ok");
        assert_eq!(item, serde_json::json!(expected));
    }
    let error = bounded(pages.next())
        .await
        .expect("the refusal")
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "invalid argument `nextLink`: the next page's link \
         `/routing/jobs?page=2&api-version=2023-11-01` is the page just read"
    );
    assert!(bounded(pages.next()).await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_with_the_same_backoff_as_a_503() {
    // A port bound but never listened on: every try is refused.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let address = socket.local_addr().expect("address");
    let recorder = Server::start(json_answer(StatusCode::OK, "{}")).await;
    let options = without_jitter(recorder.options_with_retries(3));
    let client =
        Client::new(&format!("http://{address}"), Credential::None, options).expect("endpoint");
    let error = bounded(client.close_job(JOB, ASSIGNMENT, None))
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        recorder.sleeps.waits(),
        [200, 400, 800].map(Duration::from_millis)
    );
}
