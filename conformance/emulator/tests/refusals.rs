//! What the emulator refuses, and what it lets through: a distribution
//! policy the service could not run, a job it could not route, a delete
//! of what is still in use, a stale ETag.

mod support;

use job_router_client::models::*;
use serde_json::json;
use support::{VERSION, client, http, job, policy_and_queue, refusal_said, start, start_with};

/// Each body is refused with 400 and its reason and nothing is stored; the
/// edges the rules allow are stored.
#[tokio::test]
async fn a_distribution_policy_needs_offers_that_last_a_mode_and_sound_offer_bounds() {
    let (server, _clock) = start().await;
    let upsert = |id: &str, body: &'static str| {
        http()
            .patch(format!(
                "{}/routing/distributionPolicies/{id}?api-version={VERSION}",
                server.url()
            ))
            .header("content-type", "application/merge-patch+json")
            .body(body)
            .send()
    };
    let seconds = "offerExpiresAfterSeconds must be a positive number of seconds.";
    let no_mode = "A distribution policy needs a mode.";
    let bounds = |min: i32, max: i32| {
        format!(
            "minConcurrentOffers ({min}) must be at least 1 and at most maxConcurrentOffers ({max})."
        )
    };
    let refused = [
        (
            r#"{"offerExpiresAfterSeconds": 0, "mode": {"kind": "roundRobin"}}"#,
            seconds.to_owned(),
        ),
        (
            r#"{"offerExpiresAfterSeconds": -5, "mode": {"kind": "roundRobin"}}"#,
            seconds.to_owned(),
        ),
        (r#"{"offerExpiresAfterSeconds": 30}"#, no_mode.to_owned()),
        (
            r#"{"mode": {"kind": "longestIdle", "minConcurrentOffers": 0, "maxConcurrentOffers": 5}}"#,
            bounds(0, 5),
        ),
        (
            r#"{"mode": {"kind": "bestWorker", "minConcurrentOffers": 2, "maxConcurrentOffers": 1}}"#,
            bounds(2, 1),
        ),
    ];
    for (body, message) in refused {
        let answer = upsert("refused", body).await.expect("answer");
        assert_eq!(answer.status(), 400, "{body}");
        assert_eq!(
            answer.headers()["x-ms-error-code"],
            "InvalidRequest",
            "{body}"
        );
        let error: serde_json::Value = answer.json().await.expect("JSON");
        assert_eq!(error["error"]["message"], message.as_str(), "{body}");
    }
    assert_eq!(
        refusal_said(client(&server).get_distribution_policy("refused").await).0,
        404
    );

    let allowed = [
        r#"{"offerExpiresAfterSeconds": 0.001, "mode": {"kind": "roundRobin"}}"#,
        r#"{"mode": {"kind": "roundRobin", "minConcurrentOffers": 1, "maxConcurrentOffers": 1}}"#,
        r#"{"mode": {"kind": "longestIdle", "minConcurrentOffers": 2, "maxConcurrentOffers": 3}}"#,
    ];
    for (n, body) in allowed.into_iter().enumerate() {
        let answer = upsert(&format!("allowed-{n}"), body).await.expect("answer");
        assert_eq!(answer.status(), 201, "{body}");
    }
}

#[tokio::test]
async fn a_policy_or_queue_still_in_use_is_not_deleted_and_one_no_longer_used_is() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    client
        .upsert_exception_policy("e", &ExceptionPolicyCreateOrUpdate::default(), None, None)
        .await
        .expect("exception policy");
    let guarded = RouterQueueCreateOrUpdate {
        distribution_policy_id: Some("policy-1".to_owned()),
        exception_policy_id: Some("e".to_owned()),
        ..RouterQueueCreateOrUpdate::default()
    };
    client
        .upsert_queue("guarded", &guarded, None, None)
        .await
        .expect("queue with an exception policy");
    assert_eq!(
        refusal_said(client.delete_exception_policy("e").await),
        (
            409,
            "ResourceInUse".to_owned(),
            "Exception policy `e` is still used by queue `guarded`.".to_owned()
        )
    );

    // A job waits in queue-1; the empty queue `guarded` can go.
    job(&client, "j").await;
    client
        .delete_queue("guarded")
        .await
        .expect("a queue no job waits in is deleted");
    client
        .delete_exception_policy("e")
        .await
        .expect("no queue uses it any more");
    assert_eq!(
        refusal_said(client.delete_queue("queue-1").await),
        (
            409,
            "ResourceInUse".to_owned(),
            "Queue `queue-1` is still used by queued job `j`.".to_owned()
        )
    );
    client.cancel_job("j", None).await.expect("cancelled");
    client
        .delete_queue("queue-1")
        .await
        .expect("no job waits in it any more");
}

/// Queues, classification and exception policies, workers and jobs keep
/// versions as distribution policies do: the current ETag matches, an old
/// one is 412.
#[tokio::test]
async fn every_resource_honours_if_match_on_its_own_etag() {
    let (server, _clock) = start().await;
    policy_and_queue(&client(&server)).await;
    let resources = [
        ("queues/q", r#"{"distributionPolicyId": "policy-1"}"#),
        ("classificationPolicies/c", r#"{"name": "c"}"#),
        ("exceptionPolicies/e", r#"{"name": "e"}"#),
        ("workers/w", r#"{"capacity": 1}"#),
        ("jobs/j", r#"{"channelId": "voice", "queueId": "queue-1"}"#),
    ];
    for (path, body) in resources {
        let upsert = |if_match: Option<&str>| {
            let request = http()
                .patch(format!(
                    "{}/routing/{path}?api-version={VERSION}",
                    server.url()
                ))
                .header("content-type", "application/merge-patch+json")
                .body(body);
            match if_match {
                Some(etag) => request.header("if-match", etag),
                None => request,
            }
            .send()
        };
        let created = upsert(None).await.expect("answer");
        assert_eq!(created.status(), 201, "{path}");
        let first = created.headers()["etag"].to_str().expect("ETag").to_owned();
        let updated = upsert(Some(&first)).await.expect("answer");
        assert_eq!(updated.status(), 200, "{path}: the current ETag matches");
        let stale = upsert(Some(&first)).await.expect("answer");
        assert_eq!(stale.status(), 412, "{path}: the first ETag is old now");
        assert_eq!(stale.headers()["x-ms-error-code"], "PreconditionFailed");
    }
}

/// A new job needs a channel and a way to a queue, each named one must
/// exist; an update of a job seeded without them (Close Job's shorthand)
/// is not held to what only a creation needs.
#[tokio::test]
async fn a_job_needs_a_channel_and_a_known_queue_or_classification_policy() {
    let (server, _clock) = start().await;
    let client = client(&server);
    policy_and_queue(&client).await;
    let refused = [
        (
            json!({"queueId": "queue-1"}),
            400,
            "InvalidRequest",
            "A job needs a channelId.".to_owned(),
        ),
        (
            json!({"channelId": "voice"}),
            400,
            "InvalidRequest",
            "A job needs a queueId or a classificationPolicyId.".to_owned(),
        ),
        (
            json!({"channelId": "voice", "queueId": "nope"}),
            404,
            "NotFound",
            not_found("Queue", "nope"),
        ),
        (
            json!({"channelId": "voice", "classificationPolicyId": "nope"}),
            404,
            "NotFound",
            not_found("Classification policy", "nope"),
        ),
    ];
    for (body, status, code, message) in refused {
        let job: RouterJobCreateOrUpdate = serde_json::from_value(body.clone()).expect("body");
        assert_eq!(
            refusal_said(client.upsert_job("j", &job, None, None).await),
            (status, code.to_owned(), message),
            "{body}"
        );
        assert_eq!(
            refusal_said(client.get_job("j").await).0,
            404,
            "{body}: not stored"
        );
    }

    let seeded: job_router_emulator::Fixtures = serde_yaml::from_str(
        "workers: [{id: w, capacity: 1}]\n\
         jobs: [{id: seeded, status: completed, assignments: [{id: a, workerId: w}]}]\n",
    )
    .expect("fixtures");
    let (server, _clock) = start_with(seeded).await;
    let client = support::client(&server);
    let labelled = RouterJobCreateOrUpdate {
        labels: Some(RouterJobCreateOrUpdateLabels {
            additional_properties: [("checked".to_owned(), json!(true))].into(),
        }),
        ..RouterJobCreateOrUpdate::default()
    };
    let updated = client
        .upsert_job("seeded", &labelled, None, None)
        .await
        .expect("the seeded job takes an update")
        .body;
    assert_eq!(updated.channel_id, None);
    assert_eq!(
        updated.labels.expect("labels").additional_properties["checked"],
        json!(true)
    );
}

fn not_found(what: &str, id: &str) -> String {
    format!("{what} `{id}` does not exist.")
}
