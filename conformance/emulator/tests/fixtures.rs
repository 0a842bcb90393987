//! Fixtures seed any resource through the same upserts the API runs.

mod support;

use job_router_client::models::RouterJobStatus;
use job_router_emulator::Fixtures;
use support::{client, start_with};

const SEEDED: &str = r#"
distributionPolicies:
  - id: policy-1
    offerExpiresAfterSeconds: 60
    mode: {kind: longestIdle}
queues:
  - id: queue-1
    distributionPolicyId: policy-1
routerWorkers:
  - id: w
    capacity: 1
    queues: [queue-1]
    channels: [{channelId: voice, capacityCostPerJob: 1}]
    availableForOffers: true
routerJobs:
  - id: j
    channelId: voice
    queueId: queue-1
"#;

#[tokio::test]
async fn seeded_resources_start_matched_and_a_refused_seed_names_its_file_and_resource() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("seeded.yaml");
    std::fs::write(&path, SEEDED).expect("write");
    let fixtures = Fixtures::load(&path).expect("seeded fixtures");
    let (server, _clock) = start_with(fixtures).await;
    let client = client(&server);
    let job = client.get_job("j").await.expect("seeded job").body;
    assert_eq!(job.status, Some(RouterJobStatus::Queued));
    let worker = client.get_worker("w").await.expect("seeded worker").body;
    let offers = worker.offers.expect("offers");
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].job_id, "j");
    // The documented Close Job example's job is not there: only what is seeded.
    assert_eq!(client.list_jobs(None).await.expect("jobs").value.len(), 1);

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "queues:\n  - id: q\n    distributionPolicyId: missing\n",
    )
    .expect("write");
    let error = Fixtures::load(&bad).expect_err("refused").to_string();
    assert!(error.starts_with(&bad.display().to_string()), "{error}");
    assert!(
        error.ends_with("queue `q`: Distribution policy `missing` does not exist. (NotFound)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_seeded_offer_takes_the_id_the_fixtures_give_and_a_missing_one_is_refused() {
    let pinned = format!("{SEEDED}offers:\n  - {{id: offer-1, workerId: w, jobId: j}}\n");
    let fixtures: Fixtures = serde_yaml::from_str(&pinned).expect("fixtures");
    let (server, _clock) = start_with(fixtures).await;
    let client = client(&server);
    let offers = client.get_worker("w").await.expect("worker").body.offers;
    let ids: Vec<String> = offers
        .expect("offers")
        .into_iter()
        .map(|o| o.offer_id)
        .collect();
    assert_eq!(ids, ["offer-1"]);
    let accepted = client
        .accept_job_offer("w", "offer-1")
        .await
        .expect("accepted");
    assert_eq!(accepted.job_id, "j");
    let job = client.get_job("j").await.expect("job").body;
    assert_eq!(job.status, Some(RouterJobStatus::Assigned));

    let unmatched = format!("{SEEDED}offers:\n  - {{id: offer-1, workerId: w, jobId: other}}\n");
    let fixtures: Fixtures = serde_yaml::from_str(&unmatched).expect("fixtures");
    assert_eq!(
        fixtures.check(),
        Err(
            "offer `offer-1`: job `other` has no outstanding offer to worker `w` once the \
             seeded resources are matched"
                .to_owned()
        )
    );
}

#[tokio::test]
async fn a_seeded_job_not_closed_holds_its_workers_capacity_and_a_closed_one_does_not() {
    let fixtures: Fixtures = serde_yaml::from_str(
        "workers: [{id: w, capacity: 2}]\n\
         jobs:\n\
         \x20 - {id: open, status: completed, assignments: [{id: a1, workerId: w}]}\n\
         \x20 - {id: done, status: closed, assignments: [{id: a2, workerId: w}]}\n",
    )
    .expect("fixtures");
    let (server, _clock) = start_with(fixtures).await;
    let client = client(&server);

    let open = client.get_job("open").await.expect("seeded job");
    let etag = open.etag.expect("an ETag");
    assert!(
        etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
        "{etag}"
    );
    assert_eq!(open.body.etag, etag);
    let worker = client.get_worker("w").await.expect("seeded worker").body;
    assert_eq!(worker.load_ratio, Some(0.5));
    let assigned: Vec<&str> = worker
        .assigned_jobs
        .iter()
        .flatten()
        .map(|a| a.job_id.as_str())
        .collect();
    assert_eq!(assigned, ["open"]);

    assert_eq!(
        support::refusal(client.delete_job("open").await),
        (409, "JobHasActiveAssignment".to_owned())
    );
    client
        .delete_job("done")
        .await
        .expect("a closed job holds nothing and is deleted");
    assert_eq!(
        support::refusal(client.get_job("done").await),
        (404, "NotFound".to_owned())
    );
}

/// The job knows its offer by the pinned id: declined under that id, the
/// job has no offer out and goes to the next worker.
#[tokio::test]
async fn a_declined_pinned_offer_frees_the_job_for_another_worker() {
    let pinned = format!("{SEEDED}offers:\n  - {{id: offer-1, workerId: w, jobId: j}}\n");
    let fixtures: Fixtures = serde_yaml::from_str(&pinned).expect("fixtures");
    let (server, _clock) = start_with(fixtures).await;
    let client = client(&server);
    client
        .decline_job_offer("w", "offer-1", None)
        .await
        .expect("declined");
    support::worker(&client, "next", 1).await;
    let offered = support::offers(&client, "next").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["j"]);
}
