//! What the administration resources refuse: a distribution policy the
//! service could not run, and a delete of what is still in use.

mod support;

use job_router_client::models::*;
use support::{VERSION, client, http, job, policy_and_queue, refusal_said, start};

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

/// Queues, classification and exception policies keep versions as
/// distribution policies do: the current ETag matches, an old one is 412.
#[tokio::test]
async fn every_administration_resource_honours_if_match_on_its_own_etag() {
    let (server, _clock) = start().await;
    policy_and_queue(&client(&server)).await;
    let resources = [
        ("queues/q", r#"{"distributionPolicyId": "policy-1"}"#),
        ("classificationPolicies/c", r#"{"name": "c"}"#),
        ("exceptionPolicies/e", r#"{"name": "e"}"#),
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
