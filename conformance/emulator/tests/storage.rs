//! The emulator's storage limit over 127.0.0.1: resources created past it
//! and notes that would pass it are refused with 507 and change nothing;
//! deleting gives the room back; old events and ended offers are dropped
//! rather than kept forever.

mod support;

use std::sync::Arc;

use job_router_emulator::{
    Config, Fixtures, JobStatus, Limits, ManualClock, RESOURCE_OVERHEAD, ReferenceServer,
};
use support::{VERSION, http, start_time};

/// Room for this many bytes of resources.
const LIMIT: usize = 64 * 1024;

async fn start(fixtures: Fixtures) -> ReferenceServer {
    let config = Config {
        fixtures,
        clock: Arc::new(ManualClock::new(start_time())),
        limits: Limits {
            stored_bytes: LIMIT,
            ..Limits::DEFAULT
        },
        ..Config::default()
    };
    ReferenceServer::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("the emulator starts")
}

/// A policy whose name makes its JSON about `size` bytes.
fn policy_body(size: usize) -> String {
    format!(
        r#"{{"name": "{}", "offerExpiresAfterSeconds": 30, "mode": {{"kind": "roundRobin"}}}}"#,
        "n".repeat(size)
    )
}

async fn send(
    server: &ReferenceServer,
    method: reqwest::Method,
    path: &str,
    body: Option<String>,
) -> (u16, String, String) {
    let url = format!("{}{path}?api-version={VERSION}", server.url());
    let mut request = http().request(method, url);
    if let Some(body) = body {
        let merge = path.starts_with("/routing/distributionPolicies");
        let media = if merge {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        request = request.header("content-type", media).body(body);
    }
    let answer = request.send().await.expect("answer");
    let status = answer.status().as_u16();
    let code = answer
        .headers()
        .get("x-ms-error-code")
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .unwrap_or_default();
    (status, code, answer.text().await.expect("body"))
}

#[tokio::test]
async fn creating_past_the_limit_is_refused_with_507_until_a_delete_makes_room() {
    let server = start(Fixtures::empty()).await;
    let size = 10 * 1024;
    // Each policy is charged its JSON (a little over `size`) plus the
    // overhead: five fit in 64 KiB, the sixth does not.
    let each = size + RESOURCE_OVERHEAD;
    assert_eq!(LIMIT / each, 5);
    for i in 0..5 {
        let path = format!("/routing/distributionPolicies/p{i}");
        let (status, _, body) = send(
            &server,
            reqwest::Method::PATCH,
            &path,
            Some(policy_body(size)),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, code, body) = send(
        &server,
        reqwest::Method::PATCH,
        "/routing/distributionPolicies/p5",
        Some(policy_body(size)),
    )
    .await;
    assert_eq!((status, code.as_str()), (507, "EmulatorStorageFull"));
    assert!(
        body.contains(&format!("at most {LIMIT} bytes of resources")),
        "{body}"
    );
    let (status, _, _) = send(
        &server,
        reqwest::Method::GET,
        "/routing/distributionPolicies/p5",
        None,
    )
    .await;
    assert_eq!(status, 404, "the refused upsert created nothing");

    // Growing a stored one past the limit is refused too, and keeps it.
    let (status, _, _) = send(
        &server,
        reqwest::Method::PATCH,
        "/routing/distributionPolicies/p0",
        Some(policy_body(2 * size)),
    )
    .await;
    assert_eq!(status, 507);
    let (status, _, body) = send(
        &server,
        reqwest::Method::GET,
        "/routing/distributionPolicies/p0",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let kept: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(kept["name"].as_str().map(str::len), Some(size));

    let (status, _, _) = send(
        &server,
        reqwest::Method::DELETE,
        "/routing/distributionPolicies/p0",
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, body) = send(
        &server,
        reqwest::Method::PATCH,
        "/routing/distributionPolicies/p5",
        Some(policy_body(size)),
    )
    .await;
    assert_eq!(status, 201, "the delete gave its room back: {body}");
}

#[tokio::test]
async fn a_close_whose_note_would_pass_the_limit_is_refused_and_leaves_the_job_completed() {
    // Fixtures come from a local file and are not charged: the whole
    // limit is left for what clients add.
    let server = start(Fixtures::completed_jobs(1)).await;
    let close = "/routing/jobs/job-0/assignments/assignment-0:close";
    let note = "x".repeat(LIMIT);
    let (status, code, _) = send(
        &server,
        reqwest::Method::POST,
        close,
        Some(format!(r#"{{"note": "{note}"}}"#)),
    )
    .await;
    assert_eq!((status, code.as_str()), (507, "EmulatorStorageFull"));
    let snapshot = server.handle().snapshot();
    assert_eq!(snapshot.jobs[0].status, JobStatus::Completed);
    assert!(snapshot.events.is_empty());

    let (status, _, body) = send(
        &server,
        reqwest::Method::POST,
        close,
        Some(r#"{"note": "fits"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.handle().snapshot().jobs[0].status, JobStatus::Closed);
}
