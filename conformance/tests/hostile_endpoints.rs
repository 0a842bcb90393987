//! The tester against endpoints that attack it rather than merely break:
//! escape sequences, NUL and invalid UTF-8 in what they answer, bodies that
//! never end or trickle, TLS where HTTP was promised, redirects, garbage.
//! Each run must end, within its bounds, with a finding that says what
//! happened, and every report must be safe to print and to parse.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use conformance::report::{self, Colour, Report};
use serde_json::Value;
use support::{
    EXAMPLE, example_only, failures, options, raw_server, run_against, run_with, settings,
    tcp_server,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An error whose code (header and body) and message carry a terminal
/// escape sequence, C1 controls, NUL, a bidi override and invalid UTF-8.
const HOSTILE_ERROR: &[u8] = b"HTTP/1.1 400 Bad Request\r\n\
content-type: application/json\r\n\
x-ms-error-code: Bad\xc2\x9b2J\xe2\x80\xaeCode\xff\r\n\
x-ms-request-id: r\xc2\x85\xef\xbf\xbf\r\n\
connection: close\r\n\r\n\
{\"error\":{\"code\":\"\\u001b[2J\\u009b31m\\u0000\",\"message\":\"\\r\\nPASS  fake\\u202e\"}}";

/// A success whose body is raw binary with escape sequences in it.
const HOSTILE_BINARY: &[u8] = b"HTTP/1.1 200 OK\r\n\
content-type: application/json\xc2\x9b\r\n\
x-ms-request-id: r\r\n\
connection: close\r\n\r\n\
\x1b[2J\x1b]0;title\x07\x00\xff\xfe\r\nPASS  fake\xef\xbf\xbf\x7f";

/// A success whose JSON body decodes to control characters (the diff
/// against the documented body shows them).
const HOSTILE_JSON: &[u8] = b"HTTP/1.1 200 OK\r\n\
content-type: application/json\r\n\
x-ms-request-id: r\r\n\
connection: close\r\n\r\n\
{\"\\u001b[2J\": \"\\u009b31m\\u007f\\u0007\", \"note\": \"\\ufffe\"}";

/// A redirect to a Location with C1 controls and invalid UTF-8.
const HOSTILE_REDIRECT: &[u8] = b"HTTP/1.1 302 Found\r\n\
location: https://example.com/\xc2\x9b2J\xff\r\n\
x-ms-request-id: r\r\n\
content-length: 0\r\n\
connection: close\r\n\r\n";

/// Not HTTP: binary with an escape sequence.
const GARBAGE: &[u8] = b"\x00\xff\x1b[2J\x1b]0;owned\x07\r\n\r\n";

/// What a TLS server sends to a client that is not speaking TLS: an alert
/// record (fatal, handshake_failure).
const TLS_ALERT: &[u8] = b"\x15\x03\x03\x00\x02\x02\x28";
/// The start of a ServerHello record.
const TLS_HELLO: &[u8] = b"\x16\x03\x03\x00\x31\x02\x00\x00\x2d\x03\x03";

/// Characters that must never reach a report raw: C0 and C1 controls, DEL,
/// bidi overrides and the non-characters XML forbids.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out);
        }),
        _ => {}
    }
}

/// Every rendering of `report` is safe: no raw control character in the
/// human report (coloured or not), valid JSON with none in any string, and
/// JUnit XML made only of XML characters that parses back.
fn assert_safe(report: &Report) {
    for colour in [Colour::Never, Colour::Always] {
        let human = report::human(report, colour);
        let human = match colour {
            // The report's own colours are the only escapes allowed.
            Colour::Always => anstyle_free(&human),
            Colour::Never => human,
        };
        let raw: Vec<char> = human.chars().filter(|c| is_unsafe(*c)).collect();
        assert!(raw.is_empty(), "{raw:?} in:\n{human}");
    }

    let json = report::json(report);
    let doc: Value = serde_json::from_str(&json).expect("the JSON report parses");
    let mut texts = Vec::new();
    strings(&doc, &mut texts);
    for text in texts {
        let raw: Vec<char> = text
            .chars()
            .filter(|c| is_unsafe(*c) && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{raw:?} in JSON string {text:?}");
    }

    let xml = report::junit(report);
    let bad: Vec<char> = xml.chars().filter(|c| !is_xml_char(*c)).collect();
    assert!(bad.is_empty(), "{bad:?} in:\n{xml}");
    assert!(!xml.contains('\x1b'), "{xml}");
    quick_junit::Report::deserialize_from_str(&xml).expect("the JUnit report parses back");
}

/// The coloured report without the styles it adds itself.
fn anstyle_free(text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let mut text = text.to_owned();
    let styles = [AnsiColor::Red, AnsiColor::Yellow, AnsiColor::Green]
        .map(|c| Style::new().fg_color(Some(c.into())))
        .into_iter()
        .chain([Style::new().bold()]);
    for style in styles {
        text = text
            .replace(&style.render().to_string(), "")
            .replace(&style.render_reset().to_string(), "");
    }
    text
}

/// All findings' text of a report, for asserting on what it says.
fn seen(report: &Report) -> String {
    report::human(report, Colour::Never)
}

#[tokio::test]
async fn escape_sequences_nul_and_invalid_utf8_are_shown_escaped_in_every_report() {
    for (answer, shows) in [
        (
            HOSTILE_ERROR,
            &[
                "Bad\\u{9b}2J\\u{202e}Code\u{fffd}",
                "\\u{1b}[2J\\u{9b}31m\\u{0}",
            ][..],
        ),
        (
            HOSTILE_BINARY,
            &["\\u{1b}[2J\\u{1b}]0;title\\u{7}\\u{0}\u{fffd}\u{fffd}\\u{d}"][..],
        ),
        (HOSTILE_JSON, &["\\u{9b}31m\\u{7f}"][..]),
        (
            HOSTILE_REDIRECT,
            &["https://example.com/\\u{9b}2J\u{fffd}", "not followed"][..],
        ),
        (GARBAGE, &["transport"][..]),
    ] {
        let address = raw_server(answer).await;
        let outcome = run_against(address, None, &settings(), Duration::from_secs(5)).await;
        assert!(!failures(&outcome.report).is_empty());
        assert_safe(&outcome.report);
        let text = seen(&outcome.report);
        for shown in shows {
            assert!(text.contains(shown), "{shown} not in:\n{text}");
        }
    }
    let address = raw_server(HOSTILE_BINARY).await;
    let outcome = run_against(address, None, &example_only(), Duration::from_secs(5)).await;
    insta::assert_snapshot!(support::human(&outcome.report, address));
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_cap() {
    let address = tcp_server(|mut socket| async move {
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    x-ms-request-id: r\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = [b"1000\r\n".as_slice(), &[b' '; 0x1000], b"\r\n"].concat();
        while socket.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let options = conformance::run::TargetOptions {
        max_body: 64 * 1024,
        ..options(Duration::from_secs(10))
    };
    let report = run_with(address, None, &example_only(), options)
        .await
        .report;
    assert_eq!(failures(&report), [format!("{EXAMPLE}: body-size")]);
    let text = seen(&report);
    assert!(
        text.contains(
            "expected a body the declared schema can be checked against, within --max-body (65536 bytes); saw a longer body, cut at 65536 bytes"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_slow_body_is_bounded_by_the_timeout() {
    let address = tcp_server(|mut socket| async move {
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    x-ms-request-id: r\r\ncontent-length: 1000000\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        while socket.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let report = run_against(address, None, &example_only(), Duration::from_millis(500))
        .await
        .report;
    assert_eq!(failures(&report), [format!("{EXAMPLE}: transport")]);
    let text = seen(&report);
    assert!(
        text.contains("saw no complete answer within 0.5 s"),
        "{text}"
    );
}

#[tokio::test]
async fn a_tls_endpoint_behind_an_http_url_is_named() {
    for answer in [TLS_ALERT, TLS_HELLO] {
        let address = raw_server(answer).await;
        let outcome = run_against(address, None, &example_only(), Duration::from_secs(5)).await;
        assert_eq!(failures(&outcome.report), [format!("{EXAMPLE}: transport")]);
        let text = seen(&outcome.report);
        assert!(
            text.contains("the endpoint answered with TLS: give an https:// URL"),
            "{text}"
        );
    }
    // Plain garbage is not taken for TLS.
    let address: SocketAddr = raw_server(GARBAGE).await;
    let outcome = run_against(address, None, &example_only(), Duration::from_secs(5)).await;
    let text = seen(&outcome.report);
    assert!(!text.contains("TLS"), "{text}");
}

#[tokio::test]
async fn a_redirect_is_named_with_its_location_and_not_followed() {
    use axum::http::StatusCode;
    let redirect = axum::Router::new()
        .route(
            "/moved/{*rest}",
            axum::routing::any(|| async { (StatusCode::OK, "followed") }),
        )
        .fallback(|| async {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [("location", "/moved/here"), ("x-ms-request-id", "r")],
            )
        });
    let address = support::serve(redirect).await;
    let report = run_against(address, None, &example_only(), Duration::from_secs(5))
        .await
        .report;
    assert_eq!(failures(&report), [format!("{EXAMPLE}: redirect")]);
    insta::assert_snapshot!(support::human(&report, address));

    let nowhere = support::serve(
        axum::Router::new().fallback(|| async { (StatusCode::FOUND, [("x-ms-request-id", "r")]) }),
    )
    .await;
    let report = run_against(nowhere, None, &example_only(), Duration::from_secs(5))
        .await
        .report;
    let text = seen(&report);
    assert!(text.contains("saw 302 without a Location"), "{text}");
}
