//! How a distribution policy shares jobs among workers: roundRobin turns,
//! bestWorker scoring, capacity and channel limits under concurrency, and
//! job lists.

mod support;

use job_router_client::models::*;
use serde_json::json;
use support::{
    client, job, labelled_worker, offers, policy, policy_and_queue, queue_on, selector, start,
    worker,
};

#[tokio::test]
async fn round_robin_takes_turns_and_best_worker_prefers_the_most_selectors_satisfied() {
    let (server, _clock) = start().await;
    let client = client(&server);
    let round_robin = DistributionPolicyCreateOrUpdate {
        mode: Some(DistributionModeCreateOrUpdate::RoundRobinModeCreateOrUpdate(Box::default())),
        ..policy(60.0)
    };
    queue_on(&client, "policy-1", &round_robin).await;
    for id in ["a", "b", "c"] {
        worker(&client, id, 10).await;
    }
    for i in 0..4 {
        job(&client, &format!("j{i}")).await;
    }
    let mut holders = Vec::new();
    for id in ["a", "b", "c"] {
        let jobs: Vec<String> = offers(&client, id)
            .await
            .into_iter()
            .map(|o| o.job_id)
            .collect();
        holders.push(jobs);
    }
    assert_eq!(holders, [vec!["j0", "j3"], vec!["j1"], vec!["j2"]]);

    let best = DistributionPolicyCreateOrUpdate {
        mode: Some(DistributionModeCreateOrUpdate::BestWorkerModeCreateOrUpdate(Box::default())),
        ..policy(60.0)
    };
    queue_on(&client, "best", &best).await;
    labelled_worker(&client, "expert", 9).await;
    let job = RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        queue_id: Some("queue-1".to_owned()),
        requested_worker_selectors: Some(vec![{
            let mut s = selector("skill", LabelOperator::GreaterThan, json!(5));
            s.expires_after_seconds = Some(600.0);
            s
        }]),
        ..RouterJobCreateOrUpdate::default()
    };
    client
        .upsert_job("hard", &job, None, None)
        .await
        .expect("job");
    let jobs: Vec<String> = offers(&client, "expert")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    assert_eq!(jobs, ["hard"]);
}

#[tokio::test]
async fn capacity_and_max_number_of_jobs_bound_what_a_worker_is_offered() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let worker = RouterWorkerCreateOrUpdate {
        capacity: Some(10),
        queues: Some(vec!["queue-1".to_owned()]),
        channels: Some(vec![
            RouterChannel {
                channel_id: "voice".to_owned(),
                capacity_cost_per_job: 4,
                max_number_of_jobs: None,
            },
            RouterChannel {
                channel_id: "chat".to_owned(),
                capacity_cost_per_job: 1,
                max_number_of_jobs: Some(1),
            },
        ]),
        available_for_offers: Some(true),
        ..RouterWorkerCreateOrUpdate::default()
    };
    client
        .upsert_worker("w", &worker, None, None)
        .await
        .expect("worker");
    for (id, channel) in [
        ("v1", "voice"),
        ("v2", "voice"),
        ("v3", "voice"),
        ("c1", "chat"),
        ("c2", "chat"),
    ] {
        let job = RouterJobCreateOrUpdate {
            channel_id: Some(channel.to_owned()),
            queue_id: Some("queue-1".to_owned()),
            ..RouterJobCreateOrUpdate::default()
        };
        client.upsert_job(id, &job, None, None).await.expect("job");
    }
    let mut jobs: Vec<String> = offers(&client, "w")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    jobs.sort();
    // 4 + 4 + 1 of 10: a third voice job would pass the capacity, a
    // second chat job the channel's maxNumberOfJobs.
    assert_eq!(jobs, ["c1", "v1", "v2"]);
    // A held chat job counts toward the channel's maxNumberOfJobs too.
    let chat = offers(&client, "w")
        .await
        .into_iter()
        .find(|o| o.job_id == "c1")
        .expect("c1's offer");
    client
        .accept_job_offer("w", &chat.offer_id)
        .await
        .expect("accepted");
    let mut jobs: Vec<String> = offers(&client, "w")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    jobs.sort();
    assert_eq!(jobs, ["v1", "v2"], "c2 waits while c1 is held");
    let listed = client
        .list_workers(None, None, Some("chat"), Some("queue-1"), Some(true))
        .await
        .expect("workers");
    let ids: Vec<&str> = listed.value.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["w"]);
    let voice_room = client
        .list_workers(None, None, Some("voice"), None, Some(true))
        .await
        .expect("workers");
    assert_eq!(voice_room.value, vec![]);
    let inactive = client
        .list_workers(None, Some(ListWorkersState::Inactive), None, None, None)
        .await
        .expect("workers");
    assert_eq!(inactive.value, vec![]);
}

#[tokio::test]
async fn concurrent_accepts_never_take_a_worker_past_its_capacity() {
    let (server, _clock) = start().await;
    let client = client(&server);
    let wide = DistributionPolicyCreateOrUpdate {
        mode: Some(
            DistributionModeCreateOrUpdate::LongestIdleModeCreateOrUpdate(Box::new(
                LongestIdleModeCreateOrUpdate {
                    bypass_selectors: None,
                    max_concurrent_offers: Some(3),
                    min_concurrent_offers: Some(1),
                },
            )),
        ),
        ..policy(60.0)
    };
    queue_on(&client, "policy-1", &wide).await;
    for id in ["a", "b", "c"] {
        worker(&client, id, 2).await;
    }
    for i in 0..6 {
        job(&client, &format!("j{i}")).await;
    }
    // Each job is offered to up to three workers at once; every round
    // accepts every offer outstanding at the same time, so workers race
    // for jobs and accepted offers revoke the others.
    let mut won = 0;
    for _round in 0..10 {
        let mut accepts = Vec::new();
        for id in ["a", "b", "c"] {
            for offer in offers(&client, id).await {
                let client = client.clone();
                accepts.push(tokio::spawn(async move {
                    client.accept_job_offer(id, &offer.offer_id).await.is_ok()
                }));
            }
        }
        if accepts.is_empty() {
            break;
        }
        for accept in accepts {
            won += usize::from(accept.await.expect("task"));
        }
        for id in ["a", "b", "c"] {
            let worker = client.get_worker(id).await.expect("worker").body;
            assert!(
                worker.load_ratio.is_some_and(|r| r <= 1.0),
                "{id}: {worker:?}"
            );
        }
    }
    assert_eq!(won, 6);
    for id in ["a", "b", "c"] {
        let worker = client.get_worker(id).await.expect("worker").body;
        assert_eq!(worker.assigned_jobs.map(|a| a.len()), Some(2), "{id}");
        assert_eq!(worker.load_ratio, Some(1.0));
    }
}

#[tokio::test]
async fn jobs_list_by_status_and_queue_in_pages() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    for i in 0..5 {
        job(&client, &format!("j{i}")).await;
    }
    client.cancel_job("j4", None).await.expect("cancelled");
    let params = job_router_client::client::ListJobsParams {
        maxpagesize: Some(2),
        status: Some(ListJobsStatus::Queued),
        queue_id: Some("queue-1".to_owned()),
        ..Default::default()
    };
    let first = client.list_jobs(Some(&params)).await.expect("page");
    let ids: Vec<&str> = first.value.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["j0", "j1"]);
    assert!(first.next_link.is_some());
    let mut pages = client.list_jobs_pages(Some(&params));
    let mut all = Vec::new();
    while let Some(job) = pages.next().await {
        all.push(job.expect("page").id);
    }
    assert_eq!(all, ["j0", "j1", "j2", "j3"]);
}

#[tokio::test]
async fn a_job_is_offered_only_once_as_many_workers_as_the_minimum_can_take_it() {
    let (server, _clock) = start().await;
    let client = client(&server);
    queue_with_mode(
        &client,
        "pairs",
        json!({"kind": "longestIdle", "minConcurrentOffers": 2, "maxConcurrentOffers": 2}),
    )
    .await;
    worker(&client, "a", 1).await;
    job(&client, "j").await;
    assert_eq!(
        offers(&client, "a").await,
        vec![],
        "one worker is not enough"
    );
    worker(&client, "b", 1).await;
    for id in ["a", "b"] {
        let jobs: Vec<String> = offers(&client, id)
            .await
            .into_iter()
            .map(|o| o.job_id)
            .collect();
        assert_eq!(jobs, ["j"], "worker {id}");
    }
}

/// Matching would have to run the rule, so the job is refused (and not
/// stored) rather than matched as if the rule were not there.
#[tokio::test]
async fn a_best_worker_policy_scoring_with_an_outside_rule_refuses_jobs_for_its_queue() {
    let rules = [
        (
            json!({"kind": "expression", "expression": "1"}),
            "PowerFx expression",
        ),
        (
            json!({"kind": "function", "functionUri": "https://127.0.0.1/score"}),
            "Azure Function",
        ),
        (
            json!({"kind": "webhook", "webhookUri": "https://127.0.0.1/score"}),
            "webhook",
        ),
    ];
    for (rule, named) in rules {
        let (server, _clock) = start().await;
        let client = client(&server);
        queue_with_mode(
            &client,
            "scored",
            json!({"kind": "bestWorker", "scoringRule": rule}),
        )
        .await;
        let (status, code, message) = support::refusal_said(
            client
                .upsert_job("j", &support::bodies::voice_job("queue-1"), None, None)
                .await,
        );
        assert_eq!(
            (status, code.as_str()),
            (422, "NotEvaluatedByEmulator"),
            "{named}"
        );
        assert_eq!(
            message,
            format!(
                "The distribution policy's bestWorker scoringRule is a {named} rule; the Job \
                 Router emulator stores such rules but does not evaluate them. Use a static or \
                 directMap rule."
            )
        );
        assert_eq!(
            support::refusal(client.get_job("j").await).0,
            404,
            "{named}"
        );
    }
}

/// Room for more offers of a job never means a second offer to the same
/// worker; holding one job does not stop a worker being offered another.
#[tokio::test]
async fn a_worker_gets_one_offer_per_job_and_more_jobs_while_it_holds_one() {
    let (server, _clock) = start().await;
    let client = client(&server);
    queue_with_mode(
        &client,
        "wide",
        json!({"kind": "longestIdle", "minConcurrentOffers": 1, "maxConcurrentOffers": 3}),
    )
    .await;
    worker(&client, "w", 3).await;
    job(&client, "a").await;
    // Any later request runs matching again.
    client.get_worker("w").await.expect("worker");
    let offered = offers(&client, "w").await;
    let jobs: Vec<&str> = offered.iter().map(|o| o.job_id.as_str()).collect();
    assert_eq!(jobs, ["a"]);
    client
        .accept_job_offer("w", &offered[0].offer_id)
        .await
        .expect("accepted");
    job(&client, "b").await;
    let jobs: Vec<String> = offers(&client, "w")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    assert_eq!(jobs, ["b"], "w holds a and has room for b");
}

/// With bypassSelectors every worker on the queue is a candidate, and
/// bestWorker's default score (selectors satisfied) picks the expert even
/// though the novice has waited longer.
#[tokio::test]
async fn best_worker_scores_by_selectors_satisfied_when_selectors_are_bypassed() {
    let (server, _clock) = start().await;
    let client = client(&server);
    queue_with_mode(
        &client,
        "best",
        json!({"kind": "bestWorker", "bypassSelectors": true}),
    )
    .await;
    labelled_worker(&client, "novice", 2).await;
    labelled_worker(&client, "expert", 9).await;
    let hard = RouterJobCreateOrUpdate {
        requested_worker_selectors: Some(vec![selector(
            "skill",
            LabelOperator::GreaterThan,
            json!(5),
        )]),
        ..support::bodies::voice_job("queue-1")
    };
    client
        .upsert_job("hard", &hard, None, None)
        .await
        .expect("job");
    let jobs: Vec<String> = offers(&client, "expert")
        .await
        .into_iter()
        .map(|o| o.job_id)
        .collect();
    assert_eq!(jobs, ["hard"]);
    assert_eq!(offers(&client, "novice").await, vec![]);
}

/// Queue `queue-1` on distribution policy `policy_id`: offers lasting 60 s,
/// handed out by `mode`.
async fn queue_with_mode(
    client: &job_router_client::Client,
    policy_id: &str,
    mode: serde_json::Value,
) {
    let policy: DistributionPolicyCreateOrUpdate =
        serde_json::from_value(json!({"offerExpiresAfterSeconds": 60, "mode": mode}))
            .expect("policy");
    queue_on(client, policy_id, &policy).await;
}
