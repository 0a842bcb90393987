//! The reference endpoint under attack: latency of legitimate closes and
//! the process's memory, first alone, then while idle and slow connections
//! are held, then while slow clients also hold half-sent 1 MiB bodies.
//!
//! `cargo bench -p conformance --bench attack`. The attackers, the
//! legitimate clients and the endpoint share one process (memory is that
//! process's RSS, from /proc/self/status), so each held connection costs
//! two descriptors: the open-file limit (`ulimit -n`) must exceed twice
//! the held connections plus a margin; the bench says so when it does not.
//! Header and body timeouts are raised to 60 s so that the attackers stay
//! connected while latency is measured.

use std::time::{Duration, Instant};

use job_router_emulator::{Config, Fixtures, Limits, MAX_BODY, ReferenceServer, open_file_limit};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Connections held doing nothing, with a request head never finished,
/// and (in the last phase) with most of a 1 MiB body: 1,000 in all, so
/// that they and the legitimate clients fit the default connection limit
/// (beyond it, connections wait to be accepted).
const IDLE: usize = 500;
const SLOW_HEADS: usize = 480;
const SLOW_BODIES: usize = 20;
/// Legitimate closes per phase, from `CLIENTS` keep-alive clients.
const CLOSES: usize = 2_000;
const CLIENTS: usize = 4;
const PHASES: usize = 3;

type BoxError = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let held = IDLE + SLOW_HEADS + SLOW_BODIES;
    if let Some(files) = open_file_limit()
        && files < 2 * held + 256
    {
        return Err(format!(
            "the open-file limit is {files}; this bench needs {}: run it after `ulimit -n 4096`",
            2 * held + 256
        )
        .into());
    }
    let config = Config {
        fixtures: Fixtures::completed_jobs(CLOSES * PHASES),
        limits: Limits {
            header_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(60),
            ..Limits::DEFAULT
        },
        ..Config::default()
    };
    let server = ReferenceServer::start("127.0.0.1:0".parse()?, config).await?;
    let base = server.url();
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(30))
        .build()?;
    println!(
        "{CLOSES} legitimate closes per phase from {CLIENTS} keep-alive clients; max connections {}",
        Limits::DEFAULT.max_connections
    );
    println!("phase                                    p50 ms   p99 ms   max ms   RSS MB  peak MB");

    report("alone", &closes(&http, &base, 0).await?);

    let mut attackers = Vec::with_capacity(held);
    for _ in 0..IDLE {
        attackers.push(TcpStream::connect(server.address()).await?);
    }
    for _ in 0..SLOW_HEADS {
        let mut stream = TcpStream::connect(server.address()).await?;
        stream
            .write_all(b"POST /routing/jobs HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await?;
        attackers.push(stream);
    }
    report(
        &format!("{IDLE} idle + {SLOW_HEADS} slow heads"),
        &closes(&http, &base, 1).await?,
    );

    let head = format!(
        "POST /routing/jobs/j/assignments/a:close?api-version=2023-11-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {MAX_BODY}\r\n\r\n"
    );
    let most_of_a_body = vec![b' '; MAX_BODY - 1];
    for _ in 0..SLOW_BODIES {
        let mut stream = TcpStream::connect(server.address()).await?;
        let send = async {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&most_of_a_body).await
        };
        tokio::time::timeout(Duration::from_secs(10), send)
            .await
            .map_err(|_| "a slow body could not be sent within 10 s")??;
        attackers.push(stream);
    }
    // Let the endpoint read what was sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    report(
        &format!("... + {SLOW_BODIES} bodies of 1 MiB - 1"),
        &closes(&http, &base, 2).await?,
    );

    drop(attackers);
    let started = Instant::now();
    server.shutdown().await?;
    println!("shutdown: {} ms", started.elapsed().as_millis());
    Ok(())
}

/// Latencies of `CLOSES` closes of phase `phase`'s jobs, each expected 200.
async fn closes(
    http: &reqwest::Client,
    base: &str,
    phase: usize,
) -> Result<Vec<Duration>, BoxError> {
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let http = http.clone();
            let base = base.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                for i in (client..CLOSES).step_by(CLIENTS) {
                    let job = phase * CLOSES + i;
                    let url = format!(
                        "{base}/routing/jobs/job-{job}/assignments/assignment-{job}:close?api-version=2023-11-01"
                    );
                    let started = Instant::now();
                    let response = http
                        .post(url)
                        .header("content-type", "application/json")
                        .body(r#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    let status = response.status();
                    response.bytes().await.map_err(|e| e.to_string())?;
                    latencies.push(started.elapsed());
                    if status != reqwest::StatusCode::OK {
                        return Err(format!("job-{job} answered {status}"));
                    }
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(CLOSES);
    for task in tasks {
        latencies.extend(task.await??);
    }
    Ok(latencies)
}

fn report(phase: &str, latencies: &[Duration]) {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let at = |q: f64| {
        let index = ((sorted.len() as f64 * q) as usize).min(sorted.len() - 1);
        sorted[index].as_secs_f64() * 1000.0
    };
    let (rss, peak) = memory();
    println!(
        "{phase:<40} {:>6.2}   {:>6.2}   {:>6.2}   {rss:>6.1}  {peak:>7.1}",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// The process's resident and peak resident memory, in MB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or(f64::NAN, |kib| kib * 1024.0 / 1e6)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
