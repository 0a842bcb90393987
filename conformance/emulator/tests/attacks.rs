//! The reference endpoint against hostile clients over real sockets on
//! 127.0.0.1: slow or idle connections are closed after their timeout,
//! connections beyond the limit wait instead of exhausting descriptors,
//! broken bodies and garbage bytes get a clear answer, and shutdown ends
//! within its grace whoever holds a connection. Timeouts here are short
//! (200 ms) and every wait is bounded.

use std::time::Duration;

use job_router_emulator::{Config, Fixtures, Limits, ReferenceServer};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const SHORT: Duration = Duration::from_millis(200);
/// How long a test waits for what should happen after a SHORT timeout.
const BOUND: Duration = Duration::from_secs(5);
const CLOSE: &str = "/routing/jobs/job-0/assignments/assignment-0:close?api-version=2023-11-01";

fn short_limits() -> Limits {
    Limits {
        header_timeout: SHORT,
        body_timeout: SHORT,
        shutdown_grace: SHORT,
        ..Limits::DEFAULT
    }
}

async fn start(limits: Limits) -> ReferenceServer {
    let config = Config {
        fixtures: Fixtures::completed_jobs(4),
        limits,
        ..Config::default()
    };
    ReferenceServer::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("the endpoint starts")
}

async fn connect(server: &ReferenceServer) -> TcpStream {
    TcpStream::connect(server.address()).await.expect("connect")
}

/// Everything the server sends until it closes the connection; fails the
/// test if it is still open after [`BOUND`].
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let read = timeout(BOUND, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    let received = String::from_utf8_lossy(&received).into_owned();
    assert!(
        read.is_ok(),
        "still open after {BOUND:?}; received {received:?}"
    );
    received
}

/// The close of `job-{n}`, whole, without a body.
fn close_request(n: usize, connection: &str) -> String {
    close_request_with(n, connection, "")
}

/// The close of `job-{n}`, whole, with a JSON `body`.
fn close_request_with(n: usize, connection: &str, body: &str) -> String {
    format!(
        "POST /routing/jobs/job-{n}/assignments/assignment-{n}:close?api-version=2023-11-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n{body}",
        body.len()
    )
}

/// A whole close, over a connection of its own, answered 200.
async fn close_succeeds(server: &ReferenceServer, n: usize) {
    let mut stream = connect(server).await;
    stream
        .write_all(close_request(n, "close").as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

#[tokio::test]
async fn a_request_head_never_finished_is_closed_after_the_header_timeout() {
    let server = start(short_limits()).await;
    let mut slow = connect(&server).await;
    slow.write_all(b"POST /routing/jobs HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("send");
    read_until_closed(&mut slow).await;
    close_succeeds(&server, 0).await;
}

#[tokio::test]
async fn a_connection_that_never_sends_is_closed_after_the_header_timeout() {
    let server = start(short_limits()).await;
    let mut idle = connect(&server).await;
    assert_eq!(read_until_closed(&mut idle).await, "");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let server = start(short_limits()).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(close_request(0, "keep-alive").as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

#[tokio::test]
async fn a_half_sent_body_is_answered_408_and_its_connection_closed() {
    let server = start(short_limits()).await;
    let mut stream = connect(&server).await;
    let head = format!(
        "POST {CLOSE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"note\":"
    );
    stream.write_all(head.as_bytes()).await.expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        answer.contains("x-ms-error-code: RequestTimeout"),
        "{answer}"
    );
    assert!(server.handle().snapshot().events.is_empty());
}

#[tokio::test]
async fn a_body_trickled_past_the_body_timeout_is_answered_408() {
    let server = start(short_limits()).await;
    let mut stream = connect(&server).await;
    let head = format!("POST {CLOSE} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("send");
    // A byte every 50 ms: each comes well within the timeout, the whole
    // body would not.
    let trickle = async {
        for _ in 0..100 {
            if stream.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    timeout(BOUND, trickle).await.ok();
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
}

#[tokio::test]
async fn a_body_that_breaks_off_is_a_400_not_a_413() {
    let server = start(short_limits()).await;
    let chunked = |body: &str| {
        format!(
            "POST {CLOSE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{body}"
        )
    };
    // A chunk size that is not hexadecimal.
    let mut stream = connect(&server).await;
    stream
        .write_all(chunked("zz\r\n{}\r\n0\r\n\r\n").as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        answer.contains("x-ms-error-code: InvalidRequestBody"),
        "{answer}"
    );
    // A chunked body cut off by the client closing its side.
    let mut stream = connect(&server).await;
    stream
        .write_all(chunked("10\r\n{\"note\":").as_bytes())
        .await
        .expect("send");
    stream.shutdown().await.expect("half-close");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(server.handle().snapshot().events.is_empty());
}

#[tokio::test]
async fn beyond_the_connection_limit_a_connection_waits_for_a_free_one() {
    let server = start(Limits {
        max_connections: 2,
        ..Limits::DEFAULT
    })
    .await;
    let held = [connect(&server).await, connect(&server).await];
    // Let the server accept both before the third arrives.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut waiting = connect(&server).await;
    waiting
        .write_all(close_request(0, "close").as_bytes())
        .await
        .expect("send");
    let mut first = [0u8; 1];
    let early = timeout(Duration::from_millis(300), waiting.read(&mut first)).await;
    assert!(early.is_err(), "answered beyond the limit: {early:?}");
    drop(held);
    // The timed-out read took nothing: reading is cancel-safe.
    let answer = read_until_closed(&mut waiting).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

#[tokio::test]
async fn legitimate_requests_succeed_while_slow_clients_fill_every_connection() {
    let server = start(Limits {
        max_connections: 4,
        ..short_limits()
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..12 {
        let mut stream = connect(&server).await;
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("send");
        slow.push(stream);
    }
    for n in 0..3 {
        close_succeeds(&server, n).await;
    }
}

#[tokio::test]
async fn shutdown_ends_within_its_grace_while_slow_clients_hold_connections() {
    let server = start(Limits {
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        shutdown_grace: SHORT,
        ..Limits::DEFAULT
    })
    .await;
    let mut slow_head = connect(&server).await;
    slow_head
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("send");
    let mut slow_body = connect(&server).await;
    let head = format!("POST {CLOSE} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{");
    slow_body.write_all(head.as_bytes()).await.expect("send");
    let idle = connect(&server).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    timeout(BOUND, server.shutdown())
        .await
        .expect("shutdown within its grace")
        .expect("the server stops cleanly");
    read_until_closed(&mut slow_head).await;
    read_until_closed(&mut slow_body).await;
    drop(idle);
}

#[test]
fn garbage_bytes_get_an_answer_or_a_close_and_the_endpoint_keeps_serving() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(start(short_limits()));
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let garbage = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        // Something like a request, so the parser goes further in.
        (
            "[A-Z]{1,8}",
            "[ -~]{0,64}",
            proptest::collection::vec(any::<u8>(), 0..512)
        )
            .prop_map(|(method, target, rest)| {
                let mut bytes = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
                bytes.extend(rest);
                bytes
            }),
    ];
    let outcome = runner.run(&garbage, |bytes| {
        runtime.block_on(async {
            let mut stream = connect(&server).await;
            // The server may close before reading everything.
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
            let answer = read_until_closed(&mut stream).await;
            prop_assert!(
                answer.is_empty() || answer.starts_with("HTTP/1.1 "),
                "{answer:?}"
            );
            Ok(())
        })
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    runtime.block_on(close_succeeds(&server, 0));
}

#[tokio::test]
async fn bodies_held_at_once_stay_within_the_body_memory_and_others_are_told_to_retry() {
    let server = start(Limits {
        body_memory: 64,
        ..short_limits()
    })
    .await;
    // Holds 60 of the 64 bytes until its body times out.
    let mut holder = connect(&server).await;
    let head = format!("POST {CLOSE} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    holder.write_all(head.as_bytes()).await.expect("send");
    holder.write_all(&[b' '; 60]).await.expect("send");
    tokio::time::sleep(Duration::from_millis(50)).await;

    let with_body = |n: usize| close_request_with(n, "close", r#"{"note":"x"}"#);
    let mut busy = connect(&server).await;
    busy.write_all(with_body(1).as_bytes()).await.expect("send");
    let answer = read_until_closed(&mut busy).await;
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    assert!(answer.contains("x-ms-error-code: ServerBusy"), "{answer}");

    let answer = read_until_closed(&mut holder).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    let mut later = connect(&server).await;
    later
        .write_all(with_body(1).as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut later).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

/// A body of exactly 1 MiB (1,048,576 bytes), the limit the README gives,
/// is read whole, whether its length is sent first or it comes in chunks:
/// the limit is inclusive.
#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_with_a_length_or_in_chunks() {
    const MIB: usize = 1024 * 1024;
    let server = start(Limits::DEFAULT).await;
    // `{"note":""}` is 11 bytes; the note fills the rest.
    let body = format!(r#"{{"note":"{}"}}"#, "x".repeat(MIB - 11));
    assert_eq!(body.len(), MIB);
    let mut stream = connect(&server).await;
    stream
        .write_all(close_request_with(0, "close", &body).as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:.200}");

    let mut chunked = "POST /routing/jobs/job-1/assignments/assignment-1:close?api-version=2023-11-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        .to_owned();
    for chunk in body.as_bytes().chunks(64 * 1024) {
        chunked.push_str(&format!("{:x}\r\n", chunk.len()));
        chunked.push_str(std::str::from_utf8(chunk).expect("ASCII"));
        chunked.push_str("\r\n");
    }
    chunked.push_str("0\r\n\r\n");
    let mut stream = connect(&server).await;
    stream.write_all(chunked.as_bytes()).await.expect("send");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:.200}");
    // Both closes recorded the whole note.
    let snapshot = server.handle().snapshot();
    let note = |id: &str| {
        snapshot
            .jobs
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.notes.iter().map(|n| n.message.len()).collect::<Vec<_>>())
    };
    let whole = Some(vec![MIB - 11]);
    assert_eq!((note("job-0"), note("job-1")), (whole.clone(), whole));
}
