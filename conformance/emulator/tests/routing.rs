//! Who gets offered what: classification, worker selectors and their
//! expiry, the distribution modes, channels and capacity, list filters.

mod support;

use jiff::SignedDuration;
use job_router_client::models::*;
use serde_json::json;
use support::{
    client, labelled_worker, labels, offers, policy_and_queue, refusal, selector, start,
};

async fn job_with(
    client: &job_router_client::Client,
    id: &str,
    selectors: Vec<RouterWorkerSelector>,
) {
    let job = RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        queue_id: Some("queue-1".to_owned()),
        requested_worker_selectors: Some(selectors),
        ..RouterJobCreateOrUpdate::default()
    };
    client.upsert_job(id, &job, None, None).await.expect("job");
}

#[tokio::test]
async fn every_label_operator_selects_and_an_expired_selector_stops_applying() {
    let (server, clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    labelled_worker(&client, "w", 5).await;
    let cases = [
        (LabelOperator::Equal, json!(5), true),
        (LabelOperator::Equal, json!(4), false),
        (LabelOperator::NotEqual, json!(4), true),
        (LabelOperator::LessThan, json!(6), true),
        (LabelOperator::LessThan, json!(5), false),
        (LabelOperator::LessThanOrEqual, json!(5), true),
        (LabelOperator::GreaterThan, json!(5), false),
        (LabelOperator::GreaterThanOrEqual, json!(5), true),
    ];
    for (i, (operator, value, offered)) in cases.into_iter().enumerate() {
        let id = format!("j{i}");
        job_with(
            &client,
            &id,
            vec![selector("skill", operator.clone(), value.clone())],
        )
        .await;
        let got = offers(&client, "w").await;
        assert_eq!(got.len(), usize::from(offered), "{operator:?} {value}");
        for offer in got {
            client
                .decline_job_offer("w", &offer.offer_id, None)
                .await
                .expect("declined");
        }
    }

    let mut expiring = selector("language", LabelOperator::Equal, json!("de"));
    expiring.expires_after_seconds = Some(30.0);
    job_with(&client, "expiring", vec![expiring]).await;
    assert_eq!(offers(&client, "w").await, vec![]);
    let shown = client.get_job("expiring").await.expect("job").body;
    let shown = &shown.requested_worker_selectors.expect("selectors")[0];
    assert_eq!(shown.status, Some(RouterWorkerSelectorStatus::Active));
    assert_eq!(
        shown.expires_at,
        Some(support::start_time() + SignedDuration::from_secs(30))
    );
    clock.advance(SignedDuration::from_secs(30));
    let offered = offers(&client, "w").await;
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].job_id, "expiring");
    let shown = client.get_job("expiring").await.expect("job").body;
    let status = shown.requested_worker_selectors.expect("selectors")[0]
        .status
        .clone();
    assert_eq!(status, Some(RouterWorkerSelectorStatus::Expired));
}

#[tokio::test]
async fn classification_picks_the_queue_priority_and_worker_selectors_and_reclassify_follows_the_policy()
 {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let french = RouterQueueCreateOrUpdate {
        distribution_policy_id: Some("policy-1".to_owned()),
        labels: Some(RouterQueueCreateOrUpdateLabels {
            additional_properties: labels(json!({"language": "fr"})),
        }),
        ..RouterQueueCreateOrUpdate::default()
    };
    client
        .upsert_queue("queue-fr", &french, None, None)
        .await
        .expect("queue");
    let classification = |language: &str| ClassificationPolicyCreateOrUpdate {
        fallback_queue_id: Some("queue-1".to_owned()),
        prioritization_rule: Some(RouterRuleCreateOrUpdate::StaticRouterRuleCreateOrUpdate(
            Box::new(StaticRouterRuleCreateOrUpdate {
                value: Some(json!(7)),
            }),
        )),
        queue_selector_attachments: Some(vec![
            QueueSelectorAttachment::StaticQueueSelectorAttachment(Box::new(
                StaticQueueSelectorAttachment {
                    queue_selector: RouterQueueSelector {
                        key: "language".to_owned(),
                        label_operator: LabelOperator::Equal,
                        value: Some(json!(language)),
                    },
                },
            )),
        ]),
        worker_selector_attachments: Some(vec![
            WorkerSelectorAttachment::PassThroughWorkerSelectorAttachment(Box::new(
                PassThroughWorkerSelectorAttachment {
                    expires_after_seconds: None,
                    key: "skill".to_owned(),
                    label_operator: LabelOperator::GreaterThanOrEqual,
                },
            )),
        ]),
        name: None,
    };
    client
        .upsert_classification_policy("by-language", &classification("fr"), None, None)
        .await
        .expect("policy");
    let job = RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        classification_policy_id: Some("by-language".to_owned()),
        labels: Some(RouterJobCreateOrUpdateLabels {
            additional_properties: labels(json!({"skill": 3})),
        }),
        ..RouterJobCreateOrUpdate::default()
    };
    let classified = client
        .upsert_job("j", &job, None, None)
        .await
        .expect("job")
        .body;
    assert_eq!(classified.status, Some(RouterJobStatus::Queued));
    assert_eq!(classified.queue_id.as_deref(), Some("queue-fr"));
    assert_eq!(classified.priority, Some(7));
    let attached = classified.attached_worker_selectors.expect("attached");
    assert_eq!(attached.len(), 1);
    assert_eq!(
        (attached[0].key.as_str(), attached[0].value.clone()),
        ("skill", Some(json!(3)))
    );

    client
        .upsert_classification_policy("by-language", &classification("de"), None, None)
        .await
        .expect("policy changed");
    client
        .reclassify_job("j", None)
        .await
        .expect("reclassified");
    let reclassified = client.get_job("j").await.expect("job").body;
    assert_eq!(reclassified.queue_id.as_deref(), Some("queue-1"));
    assert_eq!(reclassified.status, Some(RouterJobStatus::Queued));
    assert_ne!(
        reclassified.etag, classified.etag,
        "a reclassified job is a new version"
    );
    let (status, code) = refusal(
        client
            .upsert_job("j", &job, Some(&classified.etag), None)
            .await,
    );
    assert_eq!((status, code.as_str()), (412, "PreconditionFailed"));
}

#[tokio::test]
async fn rules_that_need_an_outside_evaluator_are_stored_and_refused_where_they_would_run() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let expression = ClassificationPolicyCreateOrUpdate {
        prioritization_rule: Some(
            RouterRuleCreateOrUpdate::ExpressionRouterRuleCreateOrUpdate(Box::new(
                ExpressionRouterRuleCreateOrUpdate {
                    expression: Some("If(job.vip, 10, 1)".to_owned()),
                    language: None,
                },
            )),
        ),
        fallback_queue_id: Some("queue-1".to_owned()),
        ..ClassificationPolicyCreateOrUpdate::default()
    };
    client
        .upsert_classification_policy("powerfx", &expression, None, None)
        .await
        .expect("stored");
    let job = RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        classification_policy_id: Some("powerfx".to_owned()),
        ..RouterJobCreateOrUpdate::default()
    };
    let error = client
        .upsert_job("j", &job, None, None)
        .await
        .expect_err("refused");
    let job_router_client::Error::Http(http) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(http.status, 422);
    assert_eq!(http.error_code.as_deref(), Some("NotEvaluatedByEmulator"));
    assert_eq!(
        http.body.as_ref().map(|b| b.error.message.as_str()),
        Some(
            "The classification policy's prioritizationRule is a PowerFx expression rule; \
             the Job Router emulator stores such rules but does not evaluate them. Use a \
             static or directMap rule."
        )
    );
    assert_eq!(
        refusal(client.get_job("j").await),
        (404, "NotFound".to_owned())
    );
}
