//! Workers: what an update keeps (its place in the idle order, its
//! offers), what deregistering ends, listing by state, deleting, and what
//! a worker is refused for.

mod support;

use jiff::SignedDuration;
use job_router_client::models::*;
use serde_json::json;
use support::{client, job, offers, policy_and_queue, refusal_said, start, worker};

fn update(body: serde_json::Value) -> RouterWorkerCreateOrUpdate {
    serde_json::from_value(body).expect("worker body")
}

async fn deregister(client: &job_router_client::Client, id: &str) {
    let off = update(json!({"availableForOffers": false}));
    client
        .upsert_worker(id, &off, None, None)
        .await
        .expect("deregistered");
}

/// longestIdle offers to the worker registered first; updating it while
/// registered does not move it to the back.
#[tokio::test]
async fn an_update_keeps_a_registered_workers_idle_time_and_its_offers() {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    worker(&client, "first", 1).await;
    clock.advance(SignedDuration::from_secs(10));
    worker(&client, "second", 1).await;
    clock.advance(SignedDuration::from_secs(10));
    client
        .upsert_worker(
            "first",
            &update(json!({"labels": {"shift": "late"}})),
            None,
            None,
        )
        .await
        .expect("updated");
    job(&client, "j").await;
    let offered = offers(&client, "first").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["j"], "first has waited longest");

    client
        .upsert_worker(
            "first",
            &update(json!({"labels": {"shift": "night"}})),
            None,
            None,
        )
        .await
        .expect("updated again");
    assert_eq!(offers(&client, "first").await, offered, "the offer stands");

    deregister(&client, "first").await;
    assert_eq!(
        offers(&client, "first").await,
        vec![],
        "its offers are revoked"
    );
    let moved: Vec<String> = offers(&client, "second")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    assert_eq!(moved, ["j"]);

    let listed = |state: ListWorkersState| {
        let client = client.clone();
        async move {
            let page = client
                .list_workers(None, Some(state), None, None, None)
                .await
                .expect("list");
            page.value.into_iter().map(|w| w.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(ListWorkersState::Active).await, ["second"]);
    assert_eq!(listed(ListWorkersState::Inactive).await, ["first"]);

    let offer = offers(&client, "second").await.remove(0);
    client
        .accept_job_offer("second", &offer.offer_id)
        .await
        .expect("accepted");
    deregister(&client, "second").await;
    assert_eq!(
        listed(ListWorkersState::Draining).await,
        ["second"],
        "it holds j"
    );
    assert_eq!(listed(ListWorkersState::Active).await, Vec::<String>::new());

    assert_eq!(
        refusal_said(client.delete_worker("second").await),
        (
            409,
            "WorkerHasAssignments".to_owned(),
            "Worker `second` still holds job `j`; complete and close it first.".to_owned()
        )
    );
    client.delete_worker("first").await.expect("deleted");
    assert_eq!(refusal_said(client.get_worker("first").await).0, 404);
}

#[tokio::test]
async fn a_worker_is_refused_a_negative_capacity_an_empty_channel_or_an_unknown_queue() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let channel = "Channel `voice`: capacityCostPerJob and maxNumberOfJobs must be at least 1.";
    let refused = [
        (
            json!({"capacity": -1}),
            400,
            "InvalidRequest",
            "capacity must not be negative.",
        ),
        (
            json!({"channels": [{"channelId": "voice", "capacityCostPerJob": 0}]}),
            400,
            "InvalidRequest",
            channel,
        ),
        (
            json!({"channels": [{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 0}]}),
            400,
            "InvalidRequest",
            channel,
        ),
        (
            json!({"queues": ["nowhere"]}),
            404,
            "NotFound",
            "Queue `nowhere` does not exist.",
        ),
    ];
    for (body, status, code, message) in refused {
        assert_eq!(
            refusal_said(
                client
                    .upsert_worker("w", &update(body.clone()), None, None)
                    .await
            ),
            (status, code.to_owned(), message.to_owned()),
            "{body}"
        );
        assert_eq!(
            refusal_said(client.get_worker("w").await).0,
            404,
            "{body}: not stored"
        );
    }
    let smallest = json!({
        "capacity": 0,
        "queues": ["queue-1"],
        "channels": [{"channelId": "voice", "capacityCostPerJob": 1, "maxNumberOfJobs": 1}]
    });
    client
        .upsert_worker("w", &update(smallest), None, None)
        .await
        .expect("the smallest values allowed");
}
