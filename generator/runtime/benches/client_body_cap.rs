//! Peak memory of the runtime (through the hand-written client of its
//! tests) while a server on 127.0.0.1 streams
//! an endless chunked body: bounded by the body caps
//! (`ClientOptions::max_response_body` for success statuses,
//! `MAX_ERROR_BODY` for the others) whatever the server sends.
//!
//! `cargo bench -p openapi_runtime --bench client_body_cap` (Linux: peak RSS is
//! the process's `VmHWM`, so the phases run from the smallest cap up);
//! figures go in BENCHMARKS.md.

#[allow(dead_code)] // Only the endless reply is used here.
#[path = "../tests/support/raw.rs"]
mod raw;

use std::time::{Duration, Instant};

#[path = "../tests/handwritten/mod.rs"]
mod handwritten;

use handwritten::Client;
use openapi_runtime::{ClientOptions, Credential, Error, RetryOptions};
use raw::{RawServer, Reply};

const CALLS: u32 = 5;
const MIB: usize = 1024 * 1024;

/// A `/proc/self/status` field in MiB (Linux only).
fn memory(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn shown(mib: Option<f64>) -> String {
    mib.map_or_else(|| "n/a".to_owned(), |mib| format!("{mib:.0} MiB"))
}

fn endless(status: &str) -> RawServer {
    RawServer::always(Reply::Endless {
        head: format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\n\r\n"
        ),
    })
}

fn client(server: &RawServer, max_response_body: usize) -> Result<Client, Error> {
    let options = ClientOptions {
        max_response_body,
        retry: RetryOptions {
            max_retries: 0,
            ..RetryOptions::default()
        },
        try_timeout: Some(Duration::from_secs(60)),
        ..ClientOptions::default()
    };
    Client::new(&server.endpoint, Credential::None, options)
}

/// `concurrency` calls at a time, `CALLS` times; each must end with the
/// cap's error, not a success or a transport failure.
async fn phase(
    label: &str,
    status: &str,
    cap: usize,
    concurrency: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let server = endless(status);
    let client = client(&server, cap)?;
    let start = Instant::now();
    for _ in 0..CALLS {
        let calls = (0..concurrency).map(|_| client.close_job("job", "assignment", None));
        for result in futures_util::future::join_all(calls).await {
            match result {
                Err(Error::BodyTooLarge { .. }) => {}
                Err(Error::Http(http)) if http.status == 500 => {}
                other => return Err(format!("{label}: unexpected {other:?}").into()),
            }
        }
    }
    let per_call = start.elapsed() / (CALLS * concurrency as u32);
    println!(
        "{label:<44} {per_call:>10.1?} per call   peak RSS {:>8}",
        shown(memory("VmHWM:"))
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "{:<44} {:>10}            RSS before {:>8}",
        "endless chunked body",
        "",
        shown(memory("VmRSS:"))
    );
    phase(
        "500, error bodies read up to 1 MiB",
        "500 Oops",
        64 * MIB,
        1,
    )
    .await?;
    phase("200, max_response_body 1 MiB", "200 OK", MIB, 1).await?;
    phase("200, max_response_body 16 MiB", "200 OK", 16 * MIB, 1).await?;
    phase(
        "200, default max_response_body (64 MiB)",
        "200 OK",
        64 * MIB,
        1,
    )
    .await?;
    phase("200, default, 4 calls at once", "200 OK", 64 * MIB, 4).await?;
    Ok(())
}
