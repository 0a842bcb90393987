//! Distribution policies, queues, classification and exception policies
//! over 127.0.0.1: merge-patch upserts, versions, paging, deletes, and the
//! references the service refuses.

mod support;

use job_router_client::models::*;
use support::{VERSION, client, http, policy, refusal, start};

#[tokio::test]
async fn an_upsert_creates_with_201_then_merges_with_200_and_null_removes_a_field() {
    let (server, clock) = start().await;
    let url = format!(
        "{}/routing/distributionPolicies/p?api-version={VERSION}",
        server.url()
    );
    let patch = |body: &'static str| {
        http()
            .patch(&url)
            .header("content-type", "application/merge-patch+json")
            .body(body)
            .send()
    };
    let created = patch(
        r#"{"name": "first", "offerExpiresAfterSeconds": 30, "mode": {"kind": "roundRobin"}}"#,
    )
    .await
    .expect("answer");
    assert_eq!(created.status(), 201);
    let etag = created.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(
        created.headers()["last-modified"],
        "Sun, 29 Nov 2026 10:00:00 GMT"
    );
    let body: serde_json::Value = created.json().await.expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"id": "p", "etag": etag, "name": "first", "offerExpiresAfterSeconds": 30.0, "mode": {"kind": "roundRobin"}})
    );

    clock.advance(jiff::SignedDuration::from_secs(5));
    let updated = patch(r#"{"name": null, "offerExpiresAfterSeconds": 45}"#)
        .await
        .expect("answer");
    assert_eq!(updated.status(), 200);
    let new_etag = updated.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(
        updated.headers()["last-modified"],
        "Sun, 29 Nov 2026 10:00:05 GMT"
    );
    let body: serde_json::Value = updated.json().await.expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"id": "p", "etag": new_etag, "offerExpiresAfterSeconds": 45.0, "mode": {"kind": "roundRobin"}})
    );

    let read = client(&server)
        .get_distribution_policy("p")
        .await
        .expect("read back");
    assert_eq!(read.etag.as_deref(), Some(new_etag.as_str()));
    assert_eq!(read.body.name, None);
    assert_eq!(read.body.offer_expires_after_seconds, Some(45.0));
}

#[tokio::test]
async fn if_match_and_if_unmodified_since_refuse_a_stale_update_with_412() {
    let (server, clock) = start().await;
    let client = client(&server);
    let created = client
        .upsert_distribution_policy("p", &policy(30.0), None, None)
        .await
        .expect("created");
    let etag = created.etag.expect("ETag");
    client
        .upsert_distribution_policy("p", &policy(40.0), Some(&etag), None)
        .await
        .expect("the current ETag matches");
    let (status, code) = refusal(
        client
            .upsert_distribution_policy("p", &policy(50.0), Some(&etag), None)
            .await,
    );
    assert_eq!((status, code.as_str()), (412, "PreconditionFailed"));

    clock.advance(jiff::SignedDuration::from_secs(60));
    client
        .upsert_distribution_policy("p", &policy(60.0), None, None)
        .await
        .expect("unconditional update");
    let (status, code) = refusal(
        client
            .upsert_distribution_policy(
                "p",
                &policy(70.0),
                None,
                Some("2026-11-29T10:00:30Z".parse().expect("timestamp")),
            )
            .await,
    );
    assert_eq!((status, code.as_str()), (412, "PreconditionFailed"));
    client
        .upsert_distribution_policy(
            "p",
            &policy(80.0),
            None,
            Some("2026-11-29T10:01:00Z".parse().expect("timestamp")),
        )
        .await
        .expect("not modified since");
    let read = client.get_distribution_policy("p").await.expect("read");
    assert_eq!(read.body.offer_expires_after_seconds, Some(80.0));

    // The generated decoder reads the header as an HTTP-date, and refuses
    // anything else with a 400 naming it; nothing is stored.
    let refused = http()
        .patch(format!(
            "{}/routing/distributionPolicies/p?api-version={VERSION}",
            server.url()
        ))
        .header("content-type", "application/merge-patch+json")
        .header("if-unmodified-since", "2026-11-29T10:01:00Z")
        .body(r#"{"offerExpiresAfterSeconds": 90}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 400);
    let body: serde_json::Value = refused.json().await.expect("error body");
    assert_eq!(body["error"]["code"], "InvalidParameter", "{body}");
    assert_eq!(body["error"]["target"], "If-Unmodified-Since", "{body}");
    let read = client.get_distribution_policy("p").await.expect("read");
    assert_eq!(read.body.offer_expires_after_seconds, Some(80.0));
}

#[tokio::test]
async fn a_queue_naming_a_missing_distribution_policy_is_refused_and_not_stored() {
    let (server, _clock) = start().await;
    let client = client(&server);
    let queue = RouterQueueCreateOrUpdate {
        distribution_policy_id: Some("missing".to_owned()),
        ..RouterQueueCreateOrUpdate::default()
    };
    let error = client
        .upsert_queue("q", &queue, None, None)
        .await
        .expect_err("refused");
    let job_router_client::Error::Http(http) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(http.status, 404);
    assert_eq!(http.error_code.as_deref(), Some("NotFound"));
    let body = http.body.as_ref().expect("ErrorResponse");
    assert_eq!(
        body.error.message,
        "Distribution policy `missing` does not exist."
    );
    assert_eq!(body.error.target.as_deref(), Some("distributionPolicyId"));
    assert_eq!(
        refusal(client.get_queue("q").await),
        (404, "NotFound".to_owned())
    );

    let (status, code) = refusal(
        client
            .upsert_queue("q", &RouterQueueCreateOrUpdate::default(), None, None)
            .await,
    );
    assert_eq!((status, code.as_str()), (400, "InvalidRequest"));
}

#[tokio::test]
async fn lists_page_with_maxpagesize_and_next_link() {
    let (server, _clock) = start().await;
    let client = client(&server);
    for i in 0..5 {
        client
            .upsert_distribution_policy(&format!("p{i}"), &policy(30.0), None, None)
            .await
            .expect("policy");
    }
    let first = client
        .list_distribution_policies(Some(2))
        .await
        .expect("first page");
    let ids: Vec<&str> = first.value.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p0", "p1"]);
    assert_eq!(
        first.next_link.as_deref(),
        Some(
            "/routing/distributionPolicies?api-version=2023-11-01&maxpagesize=2&continuationToken=2"
        )
    );
    let mut pages = client.list_distribution_policies_pages(Some(2));
    let mut all = Vec::new();
    while let Some(policy) = pages.next().await {
        all.push(policy.expect("page").id);
    }
    assert_eq!(all, ["p0", "p1", "p2", "p3", "p4"]);
    let last = client
        .list_distribution_policies(Some(5))
        .await
        .expect("one page");
    assert_eq!(last.value.len(), 5);
    assert_eq!(last.next_link, None);
}

#[tokio::test]
async fn deletes_answer_204_even_when_missing_and_refuse_what_is_in_use() {
    let (server, _clock) = start().await;
    let client = client(&server);
    support::policy_and_queue(&client).await;
    let (status, code) = refusal(client.delete_distribution_policy("policy-1").await);
    assert_eq!((status, code.as_str()), (409, "ResourceInUse"));
    client.delete_queue("queue-1").await.expect("queue deleted");
    client
        .delete_distribution_policy("policy-1")
        .await
        .expect("policy deleted");
    assert_eq!(
        refusal(client.get_distribution_policy("policy-1").await),
        (404, "NotFound".to_owned())
    );
    let missing = http()
        .delete(format!(
            "{}/routing/queues/never?api-version={VERSION}",
            server.url()
        ))
        .send()
        .await
        .expect("answer");
    assert_eq!(missing.status(), 204);
}

#[tokio::test]
async fn classification_and_exception_policies_round_trip() {
    let (server, _clock) = start().await;
    let client = client(&server);
    support::policy_and_queue(&client).await;
    let classification = ClassificationPolicyCreateOrUpdate {
        fallback_queue_id: Some("queue-1".to_owned()),
        name: Some("by language".to_owned()),
        ..ClassificationPolicyCreateOrUpdate::default()
    };
    client
        .upsert_classification_policy("c", &classification, None, None)
        .await
        .expect("classification policy");
    let read = client.get_classification_policy("c").await.expect("read");
    assert_eq!(read.body.fallback_queue_id.as_deref(), Some("queue-1"));
    let missing = ClassificationPolicyCreateOrUpdate {
        fallback_queue_id: Some("nowhere".to_owned()),
        ..ClassificationPolicyCreateOrUpdate::default()
    };
    assert_eq!(
        refusal(
            client
                .upsert_classification_policy("d", &missing, None, None)
                .await
        ),
        (404, "NotFound".to_owned())
    );
    let exception = ExceptionPolicyCreateOrUpdate {
        exception_rules: Some(vec![ExceptionRule {
            id: "too-long".to_owned(),
            trigger: ExceptionTrigger::WaitTimeExceptionTrigger(Box::new(
                WaitTimeExceptionTrigger {
                    threshold_seconds: 60.0,
                },
            )),
            actions: vec![ExceptionAction::CancelExceptionAction(Box::default())],
        }]),
        name: None,
    };
    client
        .upsert_exception_policy("e", &exception, None, None)
        .await
        .expect("exception policy");
    let listed = client.list_exception_policies(None).await.expect("list");
    assert_eq!(listed.value.len(), 1);
    assert_eq!(listed.value[0].exception_rules, exception.exception_rules);
    let (status, code) = refusal(
        client
            .upsert_queue(
                "bad id",
                &RouterQueueCreateOrUpdate {
                    distribution_policy_id: Some("policy-1".to_owned()),
                    ..RouterQueueCreateOrUpdate::default()
                },
                None,
                None,
            )
            .await,
    );
    assert_eq!((status, code.as_str()), (400, "InvalidRequest"));
}

#[tokio::test]
async fn every_operation_refuses_in_the_same_shape_and_in_the_service_dialect() {
    let (server, _clock) = start().await;
    let url = format!("{}/routing/queues/q?api-version={VERSION}", server.url());
    let refused = http()
        .patch(&url)
        .header("content-type", "application/merge-patch+json")
        .header("if-match", "\"nope\"")
        .header("x-ms-client-request-id", "client-1")
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 412);
    let header = |name: &str| {
        refused
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII").to_owned())
    };
    assert_eq!(
        header("x-ms-error-code").as_deref(),
        Some("PreconditionFailed")
    );
    assert_eq!(
        header("x-ms-client-request-id").as_deref(),
        Some("client-1")
    );
    assert_eq!(header("x-ms-request-id").map(|id| id.len()), Some(36));
    assert_eq!(header("etag"), None);
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"error": {
            "code": "PreconditionFailed",
            "message": "If-Match is `\"nope\"` but the resource does not exist."
        }})
    );

    let config = job_router_emulator::Config {
        dialect: job_router_emulator::Dialect::Service,
        fixtures: job_router_emulator::Fixtures::empty(),
        ..job_router_emulator::Config::default()
    };
    let service = job_router_emulator::ReferenceServer::start(
        "127.0.0.1:0".parse().expect("address"),
        config,
    )
    .await
    .expect("starts");
    let missing = http()
        .get(format!(
            "{}/routing/workers/ghost?api-version={VERSION}",
            service.url()
        ))
        .send()
        .await
        .expect("answer");
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers().get("x-ms-error-code"), None);
    let body: serde_json::Value = missing.json().await.expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"communicationError": {
            "code": "NotFound",
            "message": "Worker `ghost` does not exist.",
            "target": "workerId"
        }})
    );
}

/// `/routing/jobs/x:cancel` is matched by `{jobId}:cancel` (the more
/// specific template), never by `{jobId}` with the id `x:cancel`: a method
/// the action does not declare is a 405 naming its methods, while the job
/// path itself still reaches the upsert.
#[tokio::test]
async fn an_action_path_is_never_taken_for_a_job_id() {
    let (server, _clock) = start().await;
    let client = client(&server);
    support::policy_and_queue(&client).await;
    let url = |path: &str| format!("{}/routing/jobs/{path}?api-version={VERSION}", server.url());
    for (method, path) in [
        (reqwest::Method::PATCH, "x:cancel"),
        (reqwest::Method::DELETE, "x:cancel"),
        (reqwest::Method::GET, "x:reclassify"),
    ] {
        let answer = http()
            .request(method.clone(), url(path))
            .header("content-type", "application/merge-patch+json")
            .body(r#"{"channelId": "voice", "queueId": "queue-1"}"#)
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status(), 405, "{method} {path}");
        assert_eq!(answer.headers()["allow"], "POST", "{method} {path}");
    }
    assert_eq!(
        refusal(client.get_job("x:cancel").await),
        (404, "NotFound".to_owned())
    );

    let created = http()
        .patch(url("x"))
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"channelId": "voice", "queueId": "queue-1"}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(created.status(), 201);
    let job: serde_json::Value = created.json().await.expect("job");
    assert_eq!(job["id"], "x");
    assert_eq!(job["queueId"], "queue-1");
}
