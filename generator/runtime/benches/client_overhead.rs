//! The runtime's per-call cost (through the hand-written client of its
//! tests, which calls it as a generated client does) beside a hand-written reqwest call
//! doing the same request (same headers, a 30 s timeout like the client's
//! default per-try timeout, the body serialized and the answer decoded),
//! against one local server, in one run.
//!
//! `cargo bench -p openapi_runtime --bench client_overhead`; figures go in
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

#[path = "../tests/handwritten/mod.rs"]
mod handwritten;

use handwritten::Client;
use handwritten::models::{CloseJobOptions, CloseJobResult};
use openapi_runtime::{ClientOptions, Credential};

const CALLS: u32 = 5_000;
const ROUNDS: usize = 7;
const PATH: &str = "/routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close";
const BODY: &str = r#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app =
        axum::Router::new().fallback(|| async { ([("content-type", "application/json")], "{}") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let http = reqwest::Client::builder().no_proxy().build()?;
    let client = Client::new(
        &endpoint,
        Credential::None,
        ClientOptions {
            http_client: Some(http.clone()),
            ..ClientOptions::default()
        },
    )?;
    let options: CloseJobOptions = serde_json::from_str(BODY)?;
    let url = format!("{endpoint}{PATH}?api-version=2023-11-01");

    let generated = || async {
        client
            .close_job(
                "8780b28c-7079-4de1-9143-4d369289e958",
                "1d5896f3-8b54-40be-82d3-910323f5e2af",
                Some(&options),
            )
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    };
    let hand_written = || async {
        let response = http
            .post(&url)
            .timeout(Duration::from_secs(30))
            .header("accept", "application/json")
            .header(
                "user-agent",
                "azsdk-rust-openapi_runtime/0.1.0 (linux; x86_64)",
            )
            .header("content-type", "application/json")
            .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string())
            .body(serde_json::to_vec(&options).map_err(|e| e.to_string())?)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 200 {
            return Err(format!("answered {}", response.status()));
        }
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice::<CloseJobResult>(&bytes)
            .map(drop)
            .map_err(|e| e.to_string())
    };

    // Warm up both paths and the connection.
    for _ in 0..500 {
        generated().await?;
        hand_written().await?;
    }
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..CALLS {
            hand_written().await?;
        }
        theirs.push(started.elapsed() / CALLS);
        let started = Instant::now();
        for _ in 0..CALLS {
            generated().await?;
        }
        ours.push(started.elapsed() / CALLS);
    }
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    println!("{ROUNDS} alternating rounds of {CALLS} sequential calls each; medians per call:");
    println!("hand-written reqwest: {theirs:?}");
    println!("generated client:     {ours:?}");
    println!(
        "overhead:             {:+.1} %",
        100.0 * (ours.as_secs_f64() / theirs.as_secs_f64() - 1.0)
    );
    Ok(())
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}
