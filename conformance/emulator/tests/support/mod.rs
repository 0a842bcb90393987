//! What the emulator scenarios share: an emulator on 127.0.0.1 under a
//! manual clock, the generated client pointed at it, and raw requests.

#![allow(dead_code)] // each test binary uses its own part

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use job_router_client::models::*;
use job_router_client::{Client, ClientOptions, Credential};
use job_router_emulator::{Config, Fixtures, ManualClock, ReferenceServer};

pub mod bodies;

pub const VERSION: &str = "2023-11-01";

pub fn start_time() -> Timestamp {
    "2026-11-29T10:00:00Z".parse().expect("timestamp")
}

/// An empty emulator whose clock moves only when the test says.
pub async fn start() -> (ReferenceServer, ManualClock) {
    start_with(Fixtures::empty()).await
}

/// An emulator seeded with `fixtures` whose clock moves only when the test
/// says.
pub async fn start_with(fixtures: Fixtures) -> (ReferenceServer, ManualClock) {
    let clock = ManualClock::new(start_time());
    let config = Config {
        fixtures,
        clock: Arc::new(clock.clone()),
        ..Config::default()
    };
    let server = ReferenceServer::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("the emulator starts");
    (server, clock)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

pub fn client(server: &ReferenceServer) -> Client {
    let options = ClientOptions {
        http_client: Some(http()),
        ..ClientOptions::default()
    };
    Client::new(&server.url(), Credential::None, options).expect("endpoint")
}

/// The status and `x-ms-error-code` of a refused call.
pub fn refusal<T: std::fmt::Debug>(
    result: Result<T, job_router_client::Error<ErrorResponse>>,
) -> (u16, String) {
    let (status, code, _) = refusal_said(result);
    (status, code)
}

/// The status, `x-ms-error-code` and message of a refused call.
pub fn refusal_said<T: std::fmt::Debug>(
    result: Result<T, job_router_client::Error<ErrorResponse>>,
) -> (u16, String, String) {
    let error = result.expect_err("the call is refused");
    let job_router_client::Error::Http(http) = &error else {
        panic!("not an HTTP error: {error:?}");
    };
    let code = http.error_code.clone().unwrap_or_default();
    (http.status, code, http.message.clone().unwrap_or_default())
}

/// A longestIdle distribution policy `id` whose offers last `seconds`.
pub fn policy(seconds: f64) -> DistributionPolicyCreateOrUpdate {
    DistributionPolicyCreateOrUpdate {
        mode: Some(DistributionModeCreateOrUpdate::LongestIdleModeCreateOrUpdate(Box::default())),
        name: Some("policy".to_owned()),
        offer_expires_after_seconds: Some(seconds),
    }
}

/// Distribution policy `policy-1` (offers last 60 s) and queue `queue-1`.
pub async fn policy_and_queue(client: &Client) {
    queue_on(client, "policy-1", &policy(60.0)).await;
}

/// Distribution policy `policy_id` as given and queue `queue-1` on it.
pub async fn queue_on(client: &Client, policy_id: &str, policy: &DistributionPolicyCreateOrUpdate) {
    client
        .upsert_distribution_policy(policy_id, policy, None, None)
        .await
        .expect("policy");
    client
        .upsert_queue("queue-1", &bodies::queue(policy_id), None, None)
        .await
        .expect("queue");
}

/// An active worker on `queue-1` with `capacity`, voice jobs costing 1.
pub async fn worker(client: &Client, id: &str, capacity: i32) {
    client
        .upsert_worker(id, &bodies::voice_worker("queue-1", capacity), None, None)
        .await
        .expect("worker");
}

/// A voice job in `queue-1`.
pub async fn job(client: &Client, id: &str) -> RouterJob {
    client
        .upsert_job(id, &bodies::voice_job("queue-1"), None, None)
        .await
        .expect("job")
        .body
}

/// An emulator with worker `w` (capacity 1) holding the one offer of job
/// `j`, both on `queue-1`.
pub async fn one_offer() -> (ReferenceServer, ManualClock, Client, RouterJobOffer) {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    worker(&client, "w", 1).await;
    job(&client, "j").await;
    let offer = offers(&client, "w").await.remove(0);
    (server, clock, client, offer)
}

/// Job `id` switched to queueAndMatch: queued and matched again.
pub async fn queue_and_match(client: &Client, id: &str) -> RouterJob {
    let resume = RouterJobCreateOrUpdate {
        matching_mode: Some(
            JobMatchingModeCreateOrUpdate::QueueAndMatchModeCreateOrUpdate(Box::default()),
        ),
        ..RouterJobCreateOrUpdate::default()
    };
    client
        .upsert_job(id, &resume, None, None)
        .await
        .expect("queueAndMatch")
        .body
}

/// The offers outstanding on `worker`.
pub async fn offers(client: &Client, worker: &str) -> Vec<RouterJobOffer> {
    let worker = client.get_worker(worker).await.expect("worker").body;
    worker.offers.unwrap_or_default()
}

/// Labels from a JSON object.
pub fn labels(pairs: serde_json::Value) -> std::collections::BTreeMap<String, serde_json::Value> {
    serde_json::from_value(pairs).expect("labels")
}

/// A worker selector `key <operator> value` that does not expire.
pub fn selector(
    key: &str,
    operator: LabelOperator,
    value: serde_json::Value,
) -> RouterWorkerSelector {
    RouterWorkerSelector {
        expedite: None,
        expires_after_seconds: None,
        expires_at: None,
        key: key.to_owned(),
        label_operator: operator,
        status: None,
        value: Some(value),
    }
}

/// A worker on `queue-1` labelled `skill` and `language: fr`.
pub async fn labelled_worker(client: &Client, id: &str, skill: i64) {
    worker(client, id, 1).await;
    let labels = RouterWorkerCreateOrUpdate {
        labels: Some(RouterWorkerCreateOrUpdateLabels {
            additional_properties: labels(serde_json::json!({"skill": skill, "language": "fr"})),
        }),
        ..RouterWorkerCreateOrUpdate::default()
    };
    client
        .upsert_worker(id, &labels, None, None)
        .await
        .expect("labels");
}
