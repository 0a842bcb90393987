//! Jobs after they are created: what an update moves, the order priority
//! gives, queue statistics and the filters of List Jobs.

mod support;

use jiff::SignedDuration;
use job_router_client::client::ListJobsParams;
use job_router_client::models::*;
use serde_json::json;
use support::{client, job, offers, one_offer, policy_and_queue, start, start_time};

fn update(body: serde_json::Value) -> RouterJobCreateOrUpdate {
    serde_json::from_value(body).expect("update body")
}

async fn position(client: &job_router_client::Client, id: &str) -> i32 {
    client
        .get_in_queue_position(id)
        .await
        .expect("position")
        .position
}

/// A queued job keeps its offer when its priority or labels change, loses
/// it when it moves to another queue; a higher priority goes first.
#[tokio::test]
async fn an_update_places_a_queued_job_again_only_when_its_queue_or_priority_changed() {
    let (_server, _clock, client, offer) = one_offer().await;
    for body in [json!({"priority": 5}), json!({"labels": {"vip": true}})] {
        client
            .upsert_job("j", &update(body.clone()), None, None)
            .await
            .expect("updated");
        let kept: Vec<String> = offers(&client, "w")
            .await
            .into_iter()
            .map(|o| o.offer_id)
            .collect();
        assert_eq!(
            kept,
            [offer.offer_id.as_str()],
            "{body}: the same offer stands"
        );
    }

    client
        .upsert_queue("queue-2", &support::bodies::queue("policy-1"), None, None)
        .await
        .expect("a queue no worker serves");
    client
        .upsert_job("j", &update(json!({"queueId": "queue-2"})), None, None)
        .await
        .expect("moved");
    assert_eq!(offers(&client, "w").await, vec![], "the offer is revoked");

    let second = update(json!({"channelId": "voice", "queueId": "queue-2"}));
    client
        .upsert_job("second", &second, None, None)
        .await
        .expect("job");
    let urgent = update(json!({"channelId": "voice", "queueId": "queue-2", "priority": 10}));
    client
        .upsert_job("urgent", &urgent, None, None)
        .await
        .expect("job");
    // j has priority 5, second the default 1, urgent 10.
    assert_eq!(
        (
            position(&client, "urgent").await,
            position(&client, "j").await,
            position(&client, "second").await
        ),
        (1, 2, 3)
    );
    client
        .upsert_job("second", &update(json!({"priority": 20})), None, None)
        .await
        .expect("reprioritized");
    assert_eq!(
        (
            position(&client, "second").await,
            position(&client, "urgent").await,
            position(&client, "j").await
        ),
        (1, 2, 3)
    );
}

#[tokio::test]
async fn an_update_leaves_an_assigned_job_assigned() {
    let (_server, _clock, client, offer) = one_offer().await;
    // Said outright, queueAndMatch must not read as "queue it again".
    let explicit = update(json!({"matchingMode": {"kind": "queueAndMatch"}}));
    client
        .upsert_job("j", &explicit, None, None)
        .await
        .expect("mode set");
    let accepted = client
        .accept_job_offer("w", &offer.offer_id)
        .await
        .expect("accepted");
    for body in [json!({"priority": 3}), json!({"labels": {"vip": true}})] {
        let updated = client
            .upsert_job("j", &update(body.clone()), None, None)
            .await
            .expect("updated")
            .body;
        assert_eq!(updated.status, Some(RouterJobStatus::Assigned), "{body}");
        let assignments = updated.assignments.expect("assignments");
        assert_eq!(
            assignments.additional_properties.keys().collect::<Vec<_>>(),
            [&accepted.assignment_id],
            "{body}"
        );
    }
}

/// `active` leaves out closed and cancelled jobs; both schedule bounds
/// include a job scheduled exactly at them.
#[tokio::test]
async fn list_jobs_filters_active_jobs_and_schedule_bounds_inclusively() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let early = start_time() + SignedDuration::from_secs(60);
    let late = start_time() + SignedDuration::from_secs(120);
    for (id, at) in [("early", early), ("late", late)] {
        let scheduled = update(json!({
            "channelId": "voice",
            "queueId": "queue-1",
            "matchingMode": {"kind": "scheduleAndSuspend", "scheduleAt": at.to_string()}
        }));
        client
            .upsert_job(id, &scheduled, None, None)
            .await
            .expect("scheduled");
    }
    job(&client, "gone").await;
    client.cancel_job("gone", None).await.expect("cancelled");

    let listed = |params: ListJobsParams| {
        let client = client.clone();
        async move {
            let page = client.list_jobs(Some(&params)).await.expect("list");
            page.value.into_iter().map(|j| j.id).collect::<Vec<_>>()
        }
    };
    let active = ListJobsParams {
        status: Some(ListJobsStatus::Active),
        ..ListJobsParams::default()
    };
    assert_eq!(listed(active).await, ["early", "late"]);
    let before = ListJobsParams {
        scheduled_before: Some(early),
        ..ListJobsParams::default()
    };
    assert_eq!(listed(before).await, ["early"]);
    let after = ListJobsParams {
        scheduled_after: Some(late),
        ..ListJobsParams::default()
    };
    assert_eq!(listed(after).await, ["late"]);
}

/// Length and the oldest job's wait, in minutes, of the queue's waiting
/// jobs only.
#[tokio::test]
async fn queue_statistics_count_waiting_jobs_and_the_oldest_ones_wait_in_minutes() {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    job(&client, "oldest").await;
    clock.advance(SignedDuration::from_secs(60));
    job(&client, "newer").await;
    job(&client, "gone").await;
    client.cancel_job("gone", None).await.expect("cancelled");
    clock.advance(SignedDuration::from_secs(30));
    let stats = client
        .get_queue_statistics("queue-1")
        .await
        .expect("statistics");
    assert_eq!(stats.length, 2);
    assert_eq!(stats.longest_job_wait_time_minutes, Some(1.5));
}
