//! Closes per second on the reference endpoint over loopback with
//! keep-alive, beside the same server's rate on a trivial route, in one run.
//!
//! `cargo bench -p conformance --bench closes`; figures go in BENCHMARKS.md.

use std::time::{Duration, Instant};

use axum::routing::get;
use job_router_emulator::{Config, Fixtures, router};

/// Requests per measurement, rounds (trivial then close, alternating, so
/// drift in the machine's speed hits both), and clients sending at once.
const REQUESTS: usize = 10_000;
const ROUNDS: usize = 5;
const CLIENTS: usize = 16;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config {
        fixtures: Fixtures::completed_jobs(REQUESTS * ROUNDS),
        ..Config::default()
    };
    let (app, handle) = router(config);
    let app = app.route("/trivial", get(|| async { "{}" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(10))
        .build()?;

    // Warm up connections and code paths.
    rate(1_000, |_| http.get(format!("{base}/trivial"))).await?;
    let mut trivial = Vec::new();
    let mut closes = Vec::new();
    for round in 0..ROUNDS {
        trivial.push(rate(REQUESTS, |_| http.get(format!("{base}/trivial"))).await?);
        closes.push(
            rate(REQUESTS, |i| {
                let job = round * REQUESTS + i;
                http.post(format!(
                    "{base}/routing/jobs/job-{job}/assignments/assignment-{job}:close?api-version=2023-11-01"
                ))
                .header("content-type", "application/json")
                .body(r#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#)
            })
            .await?,
        );
    }
    let closed = handle.snapshot().events.len();
    if closed != REQUESTS * ROUNDS {
        return Err(format!("{closed} of {} closes took effect", REQUESTS * ROUNDS).into());
    }
    let (trivial, closes) = (median(&mut trivial), median(&mut closes));
    println!(
        "{ROUNDS} rounds of {REQUESTS} requests per route, {CLIENTS} concurrent keep-alive clients; medians:"
    );
    println!("trivial route: {trivial:>9.0} requests/s");
    println!("close job:     {closes:>9.0} closes/s");
    println!("ratio:         {:>9.1} %", 100.0 * closes / trivial);
    Ok(())
}

/// Sends `count` requests from `CLIENTS` tasks, each expecting 200;
/// returns requests per second.
async fn rate(
    count: usize,
    request: impl Fn(usize) -> reqwest::RequestBuilder,
) -> Result<f64, Box<dyn std::error::Error>> {
    let requests: Vec<Vec<reqwest::RequestBuilder>> = (0..CLIENTS)
        .map(|c| (c..count).step_by(CLIENTS).map(&request).collect())
        .collect();
    let started = Instant::now();
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|batch| {
            tokio::spawn(async move {
                for request in batch {
                    let response = request.send().await.map_err(|e| e.to_string())?;
                    let status = response.status();
                    // Read the body so the connection is kept alive.
                    response.bytes().await.map_err(|e| e.to_string())?;
                    if status != reqwest::StatusCode::OK {
                        return Err(format!("answered {status}"));
                    }
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

fn median(rates: &mut [f64]) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}
