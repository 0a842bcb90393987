//! Exception policies firing: waitTime and queueLength triggers with the
//! cancel, reclassify and manualReclassify actions, under a manual clock.

mod support;

use jiff::SignedDuration;
use job_router_client::Client;
use job_router_client::models::*;
use serde_json::json;
use support::{client, job, policy_and_queue, start};

fn rule(id: &str, trigger: ExceptionTrigger, action: ExceptionAction) -> ExceptionRule {
    ExceptionRule {
        id: id.to_owned(),
        trigger,
        actions: vec![action],
    }
}

fn wait_time(seconds: f64) -> ExceptionTrigger {
    ExceptionTrigger::WaitTimeExceptionTrigger(Box::new(WaitTimeExceptionTrigger {
        threshold_seconds: seconds,
    }))
}

/// `queue-1` (no workers) under exception policy `e` with `rules`.
async fn guarded_queue(client: &Client, rules: Vec<ExceptionRule>) {
    policy_and_queue(client).await;
    let policy = ExceptionPolicyCreateOrUpdate {
        exception_rules: Some(rules),
        name: None,
    };
    client
        .upsert_exception_policy("e", &policy, None, None)
        .await
        .expect("exception policy");
    let queue = RouterQueueCreateOrUpdate {
        exception_policy_id: Some("e".to_owned()),
        ..RouterQueueCreateOrUpdate::default()
    };
    client
        .upsert_queue("queue-1", &queue, None, None)
        .await
        .expect("queue under the policy");
}

async fn status(client: &Client, id: &str) -> Option<RouterJobStatus> {
    client.get_job(id).await.expect("job").body.status
}

#[tokio::test]
async fn a_wait_time_trigger_cancels_the_job_at_its_threshold() {
    let (server, clock) = start().await;
    let client = client(&server);
    let cancel = ExceptionAction::CancelExceptionAction(Box::new(CancelExceptionAction {
        id: None,
        disposition_code: Some("Abandoned".to_owned()),
        note: Some("waited too long".to_owned()),
    }));
    guarded_queue(&client, vec![rule("slow", wait_time(60.0), cancel)]).await;
    job(&client, "j").await;
    clock.advance(SignedDuration::from_secs(59));
    assert_eq!(status(&client, "j").await, Some(RouterJobStatus::Queued));
    clock.advance(SignedDuration::from_secs(1));
    let cancelled = client.get_job("j").await.expect("job").body;
    assert_eq!(cancelled.status, Some(RouterJobStatus::Cancelled));
    assert_eq!(cancelled.disposition_code.as_deref(), Some("Abandoned"));
    assert_eq!(
        cancelled.notes.expect("notes")[0].message,
        "waited too long"
    );
}

#[tokio::test]
async fn a_queue_length_trigger_moves_the_jobs_beyond_it_by_manual_reclassify() {
    let (server, _clock) = start().await;
    let client = client(&server);
    let manual = ExceptionAction::ManualReclassifyExceptionAction(Box::new(
        ManualReclassifyExceptionAction {
            id: None,
            priority: Some(5),
            queue_id: Some("overflow".to_owned()),
            worker_selectors: None,
        },
    ));
    let trigger =
        ExceptionTrigger::QueueLengthExceptionTrigger(Box::new(QueueLengthExceptionTrigger {
            threshold: 1,
        }));
    guarded_queue(&client, vec![rule("full", trigger, manual)]).await;
    let overflow = RouterQueueCreateOrUpdate {
        distribution_policy_id: Some("policy-1".to_owned()),
        ..RouterQueueCreateOrUpdate::default()
    };
    client
        .upsert_queue("overflow", &overflow, None, None)
        .await
        .expect("overflow queue");
    job(&client, "first").await;
    job(&client, "second").await;
    let first = client.get_job("first").await.expect("job").body;
    assert_eq!(first.queue_id.as_deref(), Some("queue-1"));
    let second = client.get_job("second").await.expect("job").body;
    assert_eq!(
        (second.queue_id.as_deref(), second.priority, second.status),
        (Some("overflow"), Some(5), Some(RouterJobStatus::Queued))
    );
    let stats = client.get_queue_statistics("queue-1").await.expect("stats");
    assert_eq!(stats.length, 1);
}

#[tokio::test]
async fn a_reclassify_action_upserts_labels_and_classifies_again() {
    let (server, clock) = start().await;
    let client = client(&server);
    let reclassify =
        ExceptionAction::ReclassifyExceptionAction(Box::new(ReclassifyExceptionAction {
            id: None,
            classification_policy_id: Some("escalate".to_owned()),
            labels_to_upsert: Some(ReclassifyExceptionActionLabelsToUpsert {
                additional_properties: [("escalated".to_owned(), json!(true))].into(),
            }),
        }));
    guarded_queue(&client, vec![rule("slow", wait_time(30.0), reclassify)]).await;
    let vip = RouterQueueCreateOrUpdate {
        distribution_policy_id: Some("policy-1".to_owned()),
        labels: Some(RouterQueueCreateOrUpdateLabels {
            additional_properties: [("tier".to_owned(), json!("vip"))].into(),
        }),
        ..RouterQueueCreateOrUpdate::default()
    };
    client
        .upsert_queue("vip", &vip, None, None)
        .await
        .expect("vip queue");
    let escalate = ClassificationPolicyCreateOrUpdate {
        queue_selector_attachments: Some(vec![
            QueueSelectorAttachment::ConditionalQueueSelectorAttachment(Box::new(
                ConditionalQueueSelectorAttachment {
                    condition: RouterRule::StaticRouterRule(Box::new(StaticRouterRule {
                        value: Some(json!(true)),
                    })),
                    queue_selectors: vec![RouterQueueSelector {
                        key: "tier".to_owned(),
                        label_operator: LabelOperator::Equal,
                        value: Some(json!("vip")),
                    }],
                },
            )),
        ]),
        ..ClassificationPolicyCreateOrUpdate::default()
    };
    client
        .upsert_classification_policy("escalate", &escalate, None, None)
        .await
        .expect("classification policy");
    let created = job(&client, "j").await;
    clock.advance(SignedDuration::from_secs(30));
    let moved = client.get_job("j").await.expect("job").body;
    assert_ne!(moved.etag, created.etag, "a moved job is a new version");
    assert_eq!(moved.queue_id.as_deref(), Some("vip"));
    assert_eq!(moved.classification_policy_id.as_deref(), Some("escalate"));
    assert_eq!(
        moved.labels.expect("labels").additional_properties["escalated"],
        json!(true)
    );
    assert_eq!(moved.status, Some(RouterJobStatus::Queued));
}
