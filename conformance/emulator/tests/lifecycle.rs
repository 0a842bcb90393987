//! A job's life over 127.0.0.1 through the generated client: offered,
//! accepted, completed, closed, and the ways it can turn.

mod support;

use jiff::SignedDuration;
use job_router_client::models::*;
use job_router_emulator::{AssignmentFixture, Fixtures, JobFixture, JobStatus, WorkerFixture};
use support::{
    client, job, offers, one_offer, policy_and_queue, queue_and_match, refusal, start, start_time,
    start_with, worker,
};

#[tokio::test]
async fn the_full_lifecycle_ends_with_the_job_closed_with_its_disposition_and_note() {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    worker(&client, "w", 1).await;
    let created = job(&client, "j").await;
    // An outstanding offer leaves the job queued; the offer is on the worker.
    assert_eq!(created.status, Some(RouterJobStatus::Queued));
    assert_eq!(created.enqueued_at, Some(start_time()));
    let offered = offers(&client, "w").await;
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].job_id, "j");
    assert_eq!(offered[0].capacity_cost, 1);
    assert_eq!(offered[0].offered_at, Some(start_time()));
    assert_eq!(
        offered[0].expires_at,
        Some(start_time() + SignedDuration::from_secs(60))
    );

    clock.advance(SignedDuration::from_secs(5));
    let accepted = client
        .accept_job_offer("w", &offered[0].offer_id)
        .await
        .expect("accepted");
    assert_eq!(
        (accepted.job_id.as_str(), accepted.worker_id.as_str()),
        ("j", "w")
    );
    let assigned = client.get_job("j").await.expect("job").body;
    assert_eq!(assigned.status, Some(RouterJobStatus::Assigned));
    let worker_now = client.get_worker("w").await.expect("worker").body;
    assert_eq!(worker_now.offers, Some(vec![]));
    assert_eq!(worker_now.load_ratio, Some(1.0));
    let held = worker_now.assigned_jobs.expect("assigned jobs");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].assignment_id, accepted.assignment_id);

    let note = |text: &str| Some(text.to_owned());
    client
        .complete_job(
            "j",
            &accepted.assignment_id,
            Some(&CompleteJobOptions { note: note("done") }),
        )
        .await
        .expect("completed");
    client
        .close_job(
            "j",
            &accepted.assignment_id,
            Some(&CloseJobOptions {
                disposition_code: note("Resolved"),
                note: note("closing"),
                close_at: None,
            }),
        )
        .await
        .expect("closed");
    let closed = client.get_job("j").await.expect("job").body;
    assert_eq!(closed.status, Some(RouterJobStatus::Closed));
    assert_eq!(closed.disposition_code.as_deref(), Some("Resolved"));
    let notes: Vec<&str> = closed
        .notes
        .iter()
        .flatten()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(notes, ["done", "closing"]);
    let assignment = &closed
        .assignments
        .expect("assignments")
        .additional_properties[&accepted.assignment_id];
    let at = start_time() + SignedDuration::from_secs(5);
    assert_eq!(assignment.assigned_at, at);
    assert_eq!(assignment.completed_at, Some(at));
    assert_eq!(assignment.closed_at, Some(at));
    assert_eq!(assignment.worker_id.as_deref(), Some("w"));
    let worker_after = client.get_worker("w").await.expect("worker").body;
    assert_eq!(worker_after.assigned_jobs, Some(vec![]));
    assert_eq!(worker_after.load_ratio, Some(0.0));
}

#[tokio::test]
async fn closing_releases_the_capacity_and_the_next_job_is_offered() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    worker(&client, "w", 1).await;
    job(&client, "first").await;
    job(&client, "second").await;
    let offered = offers(&client, "w").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["first"]);
    let position = client
        .get_in_queue_position("second")
        .await
        .expect("position");
    assert_eq!((position.position, position.queue_length), (2, 2));

    let accepted = client
        .accept_job_offer("w", &offered[0].offer_id)
        .await
        .expect("accepted");
    assert_eq!(offers(&client, "w").await, vec![]);
    client
        .complete_job("first", &accepted.assignment_id, None)
        .await
        .expect("completed");
    assert_eq!(offers(&client, "w").await, vec![]);
    client
        .close_job("first", &accepted.assignment_id, None)
        .await
        .expect("closed");
    let offered = offers(&client, "w").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["second"]);
}

#[tokio::test]
async fn a_declined_job_returns_to_the_worker_only_at_retry_offer_at() {
    let (_server, clock, client, offer) = one_offer().await;
    let retry = start_time() + SignedDuration::from_secs(30);
    client
        .decline_job_offer(
            "w",
            &offer.offer_id,
            Some(&DeclineJobOfferOptions {
                retry_offer_at: Some(retry),
            }),
        )
        .await
        .expect("declined");
    assert_eq!(offers(&client, "w").await, vec![]);
    assert_eq!(
        refusal(client.accept_job_offer("w", &offer.offer_id).await),
        (409, "OfferDeclined".to_owned())
    );
    clock.advance(SignedDuration::from_secs(29));
    assert_eq!(offers(&client, "w").await, vec![]);
    clock.advance(SignedDuration::from_secs(1));
    let again = offers(&client, "w").await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].job_id, "j");
    assert_ne!(again[0].offer_id, offer.offer_id);

    // Declined without retryOfferAt: never offered to this worker again.
    client
        .decline_job_offer("w", &again[0].offer_id, None)
        .await
        .expect("declined");
    clock.advance(SignedDuration::from_hours(24));
    assert_eq!(offers(&client, "w").await, vec![]);
    let queued = client.get_job("j").await.expect("job").body;
    assert_eq!(queued.status, Some(RouterJobStatus::Queued));
}

#[tokio::test]
async fn an_offer_expires_at_the_clock_s_time_and_cannot_be_accepted_after() {
    let (_server, clock, client, offer) = one_offer().await;
    clock.advance(SignedDuration::from_secs(59));
    assert_eq!(offers(&client, "w").await, vec![offer.clone()]);
    clock.advance(SignedDuration::from_secs(1));
    assert_eq!(
        refusal(client.accept_job_offer("w", &offer.offer_id).await),
        (409, "OfferExpired".to_owned())
    );
    // The job is still queued, and offered again: a new offer, a new expiry.
    let renewed = offers(&client, "w").await;
    assert_eq!(renewed.len(), 1);
    assert_ne!(renewed[0].offer_id, offer.offer_id);
    assert_eq!(
        renewed[0].expires_at,
        Some(start_time() + SignedDuration::from_secs(120))
    );
}

#[tokio::test]
async fn cancel_revokes_the_offer_and_records_the_disposition() {
    let (_server, _clock, client, offer) = one_offer().await;
    let options = CancelJobOptions {
        disposition_code: Some("CallerHungUp".to_owned()),
        note: Some("gone".to_owned()),
    };
    client
        .cancel_job("j", Some(&options))
        .await
        .expect("cancelled");
    let cancelled = client.get_job("j").await.expect("job").body;
    assert_eq!(cancelled.status, Some(RouterJobStatus::Cancelled));
    assert_eq!(cancelled.disposition_code.as_deref(), Some("CallerHungUp"));
    assert_eq!(cancelled.notes.expect("notes")[0].message, "gone");
    assert_eq!(offers(&client, "w").await, vec![]);
    assert_eq!(
        refusal(client.accept_job_offer("w", &offer.offer_id).await),
        (409, "OfferRevoked".to_owned())
    );
    assert_eq!(
        refusal(client.cancel_job("j", None).await),
        (409, "JobNotCancellable".to_owned())
    );
}

#[tokio::test]
async fn unassign_releases_the_worker_and_queues_the_job_again() {
    let (_server, _clock, client, offer) = one_offer().await;
    let accepted = client
        .accept_job_offer("w", &offer.offer_id)
        .await
        .expect("accepted");
    let options = UnassignJobOptions {
        suspend_matching: Some(true),
    };
    let result = client
        .unassign_job("j", &accepted.assignment_id, Some(&options))
        .await
        .expect("unassigned");
    assert_eq!(
        (result.job_id.as_str(), result.unassignment_count),
        ("j", 1)
    );
    let job_now = client.get_job("j").await.expect("job").body;
    assert_eq!(job_now.status, Some(RouterJobStatus::WaitingForActivation));
    assert_eq!(job_now.assignments, None);
    let worker_now = client.get_worker("w").await.expect("worker").body;
    assert_eq!(worker_now.assigned_jobs, Some(vec![]));
    assert_eq!(worker_now.offers, Some(vec![]));
    assert_eq!(
        refusal(
            client
                .unassign_job("j", &accepted.assignment_id, None)
                .await
        ),
        (404, "NotFound".to_owned())
    );

    // Resumed with queueAndMatch: queued and offered again.
    let resumed = queue_and_match(&client, "j").await;
    assert_eq!(resumed.status, Some(RouterJobStatus::Queued));
    assert_eq!(offers(&client, "w").await.len(), 1);
}

#[tokio::test]
async fn exactly_one_of_concurrent_accepts_of_an_offer_wins() {
    let (_server, _clock, client, offer) = one_offer().await;
    let attempts = (0..16).map(|_| {
        let client = client.clone();
        let offer = offer.offer_id.clone();
        tokio::spawn(async move { client.accept_job_offer("w", &offer).await })
    });
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(result) => won.push(result.assignment_id),
            Err(error) => lost.push(error.status()),
        }
    }
    assert_eq!(won.len(), 1);
    assert_eq!(lost, vec![Some(409); 15]);
    let assigned = client.get_job("j").await.expect("job").body;
    let assignments = assigned
        .assignments
        .expect("assignments")
        .additional_properties;
    assert_eq!(assignments.keys().collect::<Vec<_>>(), [&won[0]]);
}

#[tokio::test]
async fn a_scheduled_job_waits_for_its_time_then_for_activation() {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    worker(&client, "w", 1).await;
    let at = start_time() + SignedDuration::from_secs(60);
    let scheduled = RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        queue_id: Some("queue-1".to_owned()),
        matching_mode: Some(
            JobMatchingModeCreateOrUpdate::ScheduleAndSuspendModeCreateOrUpdate(Box::new(
                ScheduleAndSuspendModeCreateOrUpdate {
                    schedule_at: Some(at),
                },
            )),
        ),
        ..RouterJobCreateOrUpdate::default()
    };
    let created = client
        .upsert_job("j", &scheduled, None, None)
        .await
        .expect("scheduled")
        .body;
    assert_eq!(created.status, Some(RouterJobStatus::Scheduled));
    assert_eq!(created.scheduled_at, Some(at));
    clock.advance(SignedDuration::from_secs(59));
    let waiting = client.get_job("j").await.expect("job").body;
    assert_eq!(waiting.status, Some(RouterJobStatus::Scheduled));
    assert_eq!(waiting.etag, created.etag);
    clock.advance(SignedDuration::from_secs(1));
    let due = client.get_job("j").await.expect("job");
    assert_eq!(due.last_modified, Some(at));
    let due = due.body;
    assert_eq!(due.status, Some(RouterJobStatus::WaitingForActivation));
    assert_ne!(due.etag, created.etag, "an activated job is a new version");
    assert_eq!(offers(&client, "w").await, vec![]);
    let queued = queue_and_match(&client, "j").await;
    assert_eq!(queued.status, Some(RouterJobStatus::Queued));
    assert_eq!(offers(&client, "w").await.len(), 1);
}

#[tokio::test]
async fn a_job_created_again_under_a_deleted_job_s_id_is_offered_to_the_worker_that_declined_the_old_one()
 {
    let (_server, _clock, client, offer) = one_offer().await;
    client
        .decline_job_offer("w", &offer.offer_id, None)
        .await
        .expect("declined for good");
    client.cancel_job("j", None).await.expect("cancelled");
    client.delete_job("j").await.expect("deleted");
    job(&client, "j").await;
    let offered = offers(&client, "w").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["j"], "the decline belonged to the deleted job");
}

/// Offer and assignment ids are numbered in the order the emulator made
/// them, so the same requests to a fresh emulator get the same ids (a
/// workflow run is reproducible) while ids within one emulator differ.
#[tokio::test]
async fn the_same_requests_get_the_same_offer_and_assignment_ids() {
    async fn ids() -> Vec<String> {
        let (server, _clock) = start().await;
        let client = client(&server);
        policy_and_queue(&client).await;
        worker(&client, "w", 1).await;
        let mut ids = Vec::new();
        for name in ["first", "second"] {
            job(&client, name).await;
            let offer = offers(&client, "w").await.remove(0);
            let accepted = client
                .accept_job_offer("w", &offer.offer_id)
                .await
                .expect("accepted");
            client
                .complete_job(name, &accepted.assignment_id, None)
                .await
                .expect("completed");
            client
                .close_job(name, &accepted.assignment_id, None)
                .await
                .expect("closed");
            ids.extend([offer.offer_id, accepted.assignment_id]);
        }
        ids
    }
    let first = ids().await;
    assert_eq!(
        first,
        [
            "00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002",
            "00000000-0000-4000-8000-000000000003",
            "00000000-0000-4000-8000-000000000004",
        ]
    );
    assert_eq!(ids().await, first);
}

/// Closing releases the closed assignment's hold only: the same worker's
/// hold on another job under the same assignment id (fixtures may reuse
/// one) keeps its capacity.
#[tokio::test]
async fn closing_releases_only_the_hold_of_the_closed_assignment() {
    let job = |id: &str| JobFixture {
        id: id.to_owned(),
        status: JobStatus::Completed,
        assignments: vec![AssignmentFixture {
            id: "a".to_owned(),
            worker_id: "w".to_owned(),
            capacity_cost: 1,
        }],
    };
    let fixtures = Fixtures {
        workers: vec![WorkerFixture {
            id: "w".to_owned(),
            capacity: 2,
        }],
        jobs: vec![job("j1"), job("j2")],
        ..Fixtures::empty()
    };
    let (server, _clock) = start_with(fixtures).await;
    client(&server)
        .close_job("j1", "a", None)
        .await
        .expect("closed");
    let used: Vec<(String, u32)> = server
        .handle()
        .snapshot()
        .workers
        .iter()
        .map(|w| (w.id.clone(), w.used_capacity))
        .collect();
    assert_eq!(used, [("w".to_owned(), 1)]);
}
