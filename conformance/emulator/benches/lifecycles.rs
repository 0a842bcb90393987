//! Full job lifecycles per second through the emulator's HTTP surface:
//! create job → offer (read from the worker) → accept → complete → close,
//! five requests each, by the generated client over loopback.
//!
//! `cargo bench -p job_router_emulator --bench lifecycles`; figures go in
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

use job_router_client::models::*;
use job_router_client::{Client, ClientOptions, Credential};
use job_router_emulator::{Config, Fixtures, JobStatus, ReferenceServer};

/// Lanes run at once, each a worker of capacity 1 on its own queue;
/// lifecycles per lane per round; rounds.
const LANES: usize = 16;
const PER_LANE: usize = 250;
const ROUNDS: usize = 5;

#[path = "../tests/support/bodies.rs"]
mod bodies;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let config = Config {
        fixtures: Fixtures::empty(),
        ..Config::default()
    };
    let server = ReferenceServer::start("127.0.0.1:0".parse()?, config).await?;
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(LANES)
        .timeout(Duration::from_secs(10))
        .build()?;
    let options = ClientOptions {
        http_client: Some(http),
        ..ClientOptions::default()
    };
    let client = Client::new(&server.url(), Credential::None, options)?;
    let policy = DistributionPolicyCreateOrUpdate {
        mode: Some(DistributionModeCreateOrUpdate::LongestIdleModeCreateOrUpdate(Box::default())),
        offer_expires_after_seconds: Some(600.0),
        name: None,
    };
    client
        .upsert_distribution_policy("p", &policy, None, None)
        .await?;
    for lane in 0..LANES {
        let queue = format!("q{lane}");
        client
            .upsert_queue(&queue, &bodies::queue("p"), None, None)
            .await?;
        client
            .upsert_worker(
                &format!("w{lane}"),
                &bodies::voice_worker(&queue, 1),
                None,
                None,
            )
            .await?;
    }
    let mut rates = Vec::new();
    for round in 0..ROUNDS {
        let started = Instant::now();
        let lanes: Vec<_> = (0..LANES)
            .map(|lane| {
                let client = client.clone();
                tokio::spawn(async move {
                    for i in 0..PER_LANE {
                        lifecycle(&client, lane, &format!("j{round}-{lane}-{i}")).await?;
                    }
                    Ok::<(), Failure>(())
                })
            })
            .collect();
        for lane in lanes {
            lane.await??;
        }
        rates.push((LANES * PER_LANE) as f64 / started.elapsed().as_secs_f64());
    }
    let closed = server
        .handle()
        .snapshot()
        .jobs
        .iter()
        .filter(|j| j.status == JobStatus::Closed)
        .count();
    if closed != LANES * PER_LANE * ROUNDS {
        return Err(format!(
            "{closed} of {} lifecycles closed",
            LANES * PER_LANE * ROUNDS
        )
        .into());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{ROUNDS} rounds of {} lifecycles ({LANES} lanes, 5 requests each); median: {:.0} lifecycles/s",
        LANES * PER_LANE,
        rates[ROUNDS / 2]
    );
    server.shutdown().await?;
    Ok(())
}

/// One job from creation to close on lane `lane`'s worker.
async fn lifecycle(client: &Client, lane: usize, id: &str) -> Result<(), Failure> {
    let job = bodies::voice_job(&format!("q{lane}"));
    client.upsert_job(id, &job, None, None).await?;
    let worker = format!("w{lane}");
    let offers = client
        .get_worker(&worker)
        .await?
        .body
        .offers
        .unwrap_or_default();
    let offer = offers.first().ok_or("no offer")?;
    let accepted = client.accept_job_offer(&worker, &offer.offer_id).await?;
    client
        .complete_job(id, &accepted.assignment_id, None)
        .await?;
    client.close_job(id, &accepted.assignment_id, None).await?;
    Ok(())
}
