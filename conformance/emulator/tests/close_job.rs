//! The reference endpoint over real sockets on 127.0.0.1, driven by the
//! generated client and by raw requests.

use std::sync::Arc;
use std::time::Duration;

use close_job_client::models::CloseJobOptions;
use close_job_client::{Client, ClientOptions, Credential, Error};
use jiff::{SignedDuration, Timestamp};
use job_router_emulator::{
    AccessKey, AssignmentFixture, Config, Dialect, Event, Fixtures, JobFixture, JobStatus,
    ManualClock, ReferenceServer, content_hash, string_to_sign,
};

const JOB: &str = "8780b28c-7079-4de1-9143-4d369289e958";
const ASSIGNMENT: &str = "1d5896f3-8b54-40be-82d3-910323f5e2af";
const VERSION: &str = "2023-11-01";

fn start_time() -> Timestamp {
    "2026-11-29T10:00:00Z".parse().expect("timestamp")
}

async fn start(config: Config) -> ReferenceServer {
    ReferenceServer::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("the endpoint starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

fn client(server: &ReferenceServer) -> Client {
    let options = ClientOptions {
        http_client: Some(http()),
        ..ClientOptions::default()
    };
    Client::new(&server.url(), Credential::None, options).expect("endpoint")
}

fn close_url(server: &ReferenceServer, job: &str, assignment: &str) -> String {
    format!(
        "{}/routing/jobs/{job}/assignments/{assignment}:close",
        server.url()
    )
}

/// [`close_url`] with the api-version the endpoint requires.
fn versioned_close_url(server: &ReferenceServer, job: &str, assignment: &str) -> String {
    format!(
        "{}?api-version={VERSION}",
        close_url(server, job, assignment)
    )
}

/// A config with a manual clock the test can move.
fn manual(fixtures: Fixtures) -> (Config, ManualClock) {
    let clock = ManualClock::new(start_time());
    let config = Config {
        fixtures,
        clock: Arc::new(clock.clone()),
        ..Config::default()
    };
    (config, clock)
}

/// An error response as a user sees it: status, x-ms-error-code, body.
struct Seen {
    status: u16,
    error_code_header: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    allow: Option<String>,
    body: serde_json::Value,
}

async fn send(request: reqwest::RequestBuilder) -> Seen {
    let response = request
        .header("x-ms-client-request-id", "test-client-id")
        .send()
        .await
        .expect("the endpoint answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII header").to_owned())
    };
    let error_code_header = header("x-ms-error-code");
    let request_id = header("x-ms-request-id");
    let client_request_id = header("x-ms-client-request-id");
    let allow = header("allow");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    let body = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    Seen {
        status,
        error_code_header,
        request_id,
        client_request_id,
        allow,
        body,
    }
}

/// Whether `id` is a random UUID as the endpoint writes it: lowercase,
/// hyphenated, version 4.
fn is_uuid_v4(id: &str) -> bool {
    uuid::Uuid::parse_str(id)
        .is_ok_and(|uuid| uuid.get_version_num() == 4 && uuid.hyphenated().to_string() == id)
}

/// Checks an error in the documented format and returns its code.
fn documented_error(seen: &Seen, status: u16) -> String {
    assert_eq!(seen.status, status, "body: {}", seen.body);
    let code = seen.body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {}", seen.body));
    assert!(seen.body["error"]["message"].is_string(), "{}", seen.body);
    assert_eq!(
        seen.error_code_header.as_deref(),
        Some(code),
        "x-ms-error-code"
    );
    assert!(
        seen.request_id.as_deref().is_some_and(is_uuid_v4),
        "x-ms-request-id {:?}",
        seen.request_id
    );
    assert_eq!(seen.client_request_id.as_deref(), Some("test-client-id"));
    code.to_owned()
}

#[tokio::test]
async fn documented_example_succeeds_then_a_second_close_is_a_conflict() {
    let (config, _clock) = manual(Fixtures::default());
    let server = start(config).await;
    let options = CloseJobOptions {
        disposition_code: Some("JobCompleted.".to_owned()),
        note: Some("Closing job".to_owned()),
        ..CloseJobOptions::default()
    };
    let client = client(&server);
    client
        .close_job(JOB, ASSIGNMENT, Some(&options))
        .await
        .expect("the documented example succeeds");

    let error = client
        .close_job(JOB, ASSIGNMENT, Some(&options))
        .await
        .expect_err("closing twice is an error");
    let Error::Http(http) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(http.status, 409);
    assert_eq!(http.error_code.as_deref(), Some("JobAlreadyClosed"));
    assert_eq!(
        http.body.as_ref().map(|b| b.error.code.as_str()),
        Some("JobAlreadyClosed")
    );

    let snapshot = server.handle().snapshot();
    let job = &snapshot.jobs[0];
    assert_eq!(job.status, JobStatus::Closed);
    assert_eq!(job.disposition_code.as_deref(), Some("JobCompleted."));
    assert_eq!(job.notes.len(), 1);
    assert_eq!(job.notes[0].message, "Closing job");
    assert_eq!(job.notes[0].added_at, start_time());
    assert_eq!(snapshot.workers[0].used_capacity, 0);
    assert_eq!(
        snapshot.events,
        [Event::JobClosed {
            job_id: JOB.to_owned(),
            assignment_id: ASSIGNMENT.to_owned(),
            worker_id: "worker-1".to_owned(),
            disposition_code: "JobCompleted.".to_owned(),
            at: start_time(),
        }]
    );
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn documented_wire_request_answers_200_with_an_empty_object() {
    let server = start(Config::default()).await;
    let close = || {
        send(
            http()
                .post(versioned_close_url(&server, JOB, ASSIGNMENT))
                .header("content-type", "application/json")
                .body(r#"{"dispositionCode": "JobCompleted.", "note": "Closing job"}"#),
        )
    };
    let seen = close().await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.body, serde_json::json!({}));
    assert_eq!(seen.error_code_header, None);
    let id = seen.request_id.expect("x-ms-request-id");
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(seen.client_request_id.as_deref(), Some("test-client-id"));
    // Each answer has its own id (the second close is refused).
    let again = close().await;
    assert_eq!(documented_error(&again, 409), "JobAlreadyClosed");
    assert_ne!(again.request_id, Some(id));
}

#[tokio::test]
async fn without_disposition_code_the_service_records_closed() {
    let server = start(Config::default()).await;
    client(&server)
        .close_job(JOB, ASSIGNMENT, None)
        .await
        .expect("closes");
    let job = &server.handle().snapshot().jobs[0];
    assert_eq!(job.disposition_code.as_deref(), Some("Closed"));
    assert!(job.notes.is_empty());
}

#[tokio::test]
async fn every_error_path_has_its_status_code_and_header() {
    let mut fixtures = Fixtures::completed_jobs(1);
    fixtures.jobs.push(JobFixture {
        id: "assigned-job".to_owned(),
        status: JobStatus::Assigned,
        assignments: vec![AssignmentFixture {
            id: "a".to_owned(),
            worker_id: "worker-1".to_owned(),
            capacity_cost: 1,
        }],
    });
    let server = start(Config {
        fixtures,
        ..Config::default()
    })
    .await;
    let url = close_url(&server, "job-0", "assignment-0");
    let with_version = format!("{url}?api-version={VERSION}");
    let json = |body: &'static str| {
        http()
            .post(&with_version)
            .header("content-type", "application/json")
            .body(body)
    };
    let big = format!(r#"{{"note": "{}"}}"#, "x".repeat(1024 * 1024));
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "unknown job",
            http().post(versioned_close_url(&server, "nope", "assignment-0")),
            404,
            "NotFound",
        ),
        (
            "unknown assignment",
            http().post(versioned_close_url(&server, "job-0", "nope")),
            404,
            "NotFound",
        ),
        (
            "job not completed",
            http().post(versioned_close_url(&server, "assigned-job", "a")),
            409,
            "JobNotCompleted",
        ),
        (
            "unknown route",
            http().post(format!(
                "{}/routing/jobs/job-0/nothing?api-version={VERSION}",
                server.url()
            )),
            404,
            "NotFound",
        ),
        (
            "missing api-version",
            http().post(&url),
            400,
            "MissingApiVersionParameter",
        ),
        (
            "unsupported api-version",
            http().post(format!("{url}?api-version=1999-01-01")),
            400,
            "UnsupportedApiVersionValue",
        ),
        (
            "malformed JSON",
            json("{\"note\": "),
            400,
            "InvalidRequestBody",
        ),
        (
            "non-object body",
            json("[\"note\"]"),
            400,
            "InvalidRequestBody",
        ),
        (
            "field of the wrong type",
            json(r#"{"dispositionCode": 7}"#),
            400,
            "InvalidRequestBody",
        ),
        (
            "closeAt not RFC 3339",
            json(r#"{"closeAt": "next Tuesday"}"#),
            400,
            "InvalidRequestBody",
        ),
        (
            "body over 1 MiB",
            http()
                .post(&with_version)
                .header("content-type", "application/json")
                .body(big),
            413,
            "RequestBodyTooLarge",
        ),
        (
            "non-JSON content type",
            http()
                .post(&with_version)
                .header("content-type", "text/plain")
                .body("note"),
            415,
            "UnsupportedMediaType",
        ),
    ];
    for (name, request, status, code) in cases {
        let seen = send(request).await;
        assert_eq!(
            documented_error(&seen, status),
            code,
            "{name}: {}",
            seen.body
        );
    }
    let seen = send(http().get(&with_version)).await;
    assert_eq!(documented_error(&seen, 405), "MethodNotAllowed");
    assert_eq!(seen.allow.as_deref(), Some("POST"));

    let seen = send(json(r#"{"closeAt": "next Tuesday"}"#)).await;
    assert_eq!(seen.body["error"]["target"], "closeAt");
    // None of these changed anything.
    let snapshot = server.handle().snapshot();
    assert!(snapshot.jobs.iter().all(|j| j.status != JobStatus::Closed));
    assert!(snapshot.events.is_empty());
}

#[tokio::test]
async fn a_future_close_at_releases_capacity_only_at_its_time() {
    let (config, clock) = manual(Fixtures::completed_jobs(1));
    let server = start(config).await;
    let close_at = start_time() + SignedDuration::from_hours(1);
    let options = CloseJobOptions {
        close_at: Some(close_at),
        ..CloseJobOptions::default()
    };
    client(&server)
        .close_job("job-0", "assignment-0", Some(&options))
        .await
        .expect("closes");

    let snapshot = server.handle().snapshot();
    assert_eq!(snapshot.jobs[0].status, JobStatus::Closed);
    assert_eq!(
        snapshot.workers[0].used_capacity, 1,
        "released before closeAt"
    );
    assert!(snapshot.events.is_empty());

    clock.advance(SignedDuration::from_mins(59));
    assert_eq!(server.handle().snapshot().workers[0].used_capacity, 1);

    clock.advance(SignedDuration::from_mins(2));
    let snapshot = server.handle().snapshot();
    assert_eq!(snapshot.workers[0].used_capacity, 0);
    let [Event::JobClosed { at, .. }] = snapshot.events.as_slice() else {
        panic!("one JobClosed event: {:?}", snapshot.events);
    };
    assert_eq!(*at, close_at, "released at closeAt, not when observed");
}

#[tokio::test]
async fn a_past_close_at_means_now_as_the_dotnet_sdk_sends_it() {
    let (config, _clock) = manual(Fixtures::completed_jobs(1));
    let server = start(config).await;
    let seen = send(
        http()
            .post(versioned_close_url(&server, "job-0", "assignment-0"))
            .header("content-type", "application/json")
            .body(r#"{"closeAt": "0001-01-01T00:00:00.0000000Z"}"#),
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let snapshot = server.handle().snapshot();
    assert_eq!(snapshot.workers[0].used_capacity, 0);
    assert_eq!(snapshot.events.len(), 1);
}

#[tokio::test]
async fn service_dialect_answers_as_the_live_service_was_recorded() {
    let server = start(Config {
        dialect: Dialect::Service,
        ..Config::default()
    })
    .await;
    let seen = send(http().post(versioned_close_url(&server, "unknown", ASSIGNMENT))).await;
    assert_eq!(seen.status, 404);
    assert_eq!(seen.error_code_header, None);
    assert_eq!(seen.request_id, None);
    assert_eq!(seen.client_request_id, None);
    assert_eq!(
        seen.body,
        serde_json::json!({"communicationError": {
            "code": "NotFound",
            "message": "Job `unknown` does not exist.",
            "target": "jobId"
        }})
    );

    // The generated client still surfaces the code and the message.
    let error = client(&server)
        .close_job("unknown", ASSIGNMENT, None)
        .await
        .expect_err("404");
    assert_eq!(
        error.to_string(),
        "service answered HTTP 404 NotFound: Job `unknown` does not exist."
    );
}

/// Signs a close request the way the Azure SDKs do.
fn signed(
    key: &AccessKey,
    url: &str,
    host: &str,
    date: &str,
    body: &'static str,
) -> reqwest::RequestBuilder {
    let parsed = reqwest::Url::parse(url).expect("URL");
    let path_and_query = format!("{}?{}", parsed.path(), parsed.query().unwrap_or(""));
    let hash = content_hash(body.as_bytes());
    let signature = key.sign(&string_to_sign("POST", &path_and_query, date, host, &hash));
    http()
        .post(url)
        .header("content-type", "application/json")
        .header("x-ms-date", date)
        .header("x-ms-content-sha256", hash)
        .header(
            "authorization",
            format!(
                "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
            ),
        )
        .body(body)
}

#[tokio::test]
async fn hmac_is_accepted_when_right_and_401_for_each_way_it_is_wrong() {
    let key = AccessKey::from_base64("c2VjcmV0LWFjY2Vzcy1rZXk=").expect("key");
    let other_key = AccessKey::from_base64("b3RoZXIta2V5").expect("key");
    let (mut config, _clock) = manual(Fixtures::completed_jobs(1));
    config.access_key = Some(key.clone());
    let server = start(config).await;
    let url = versioned_close_url(&server, "job-0", "assignment-0");
    let host = server.address().to_string();
    let now = "Sun, 29 Nov 2026 10:00:00 GMT";
    let stale = "Sun, 29 Nov 2026 09:44:59 GMT";
    let body = r#"{"note": "signed"}"#;

    let wrong: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "unsigned",
            http()
                .post(&url)
                .header("content-type", "application/json")
                .body(body),
        ),
        ("wrong key", signed(&other_key, &url, &host, now, body)),
        ("stale date", signed(&key, &url, &host, stale, body)),
        (
            "other host",
            signed(&key, &url, "contoso.communication.azure.com", now, body),
        ),
        ("body changed after signing", {
            let request = signed(&key, &url, &host, now, body);
            request.body(r#"{"note": "tampered"}"#)
        }),
        (
            "bearer scheme",
            http().post(&url).header("authorization", "Bearer token"),
        ),
    ];
    for (name, request) in wrong {
        let seen = send(request).await;
        assert_eq!(documented_error(&seen, 401), "Unauthorized", "{name}");
        let message = seen.body["error"]["message"].as_str().expect("message");
        assert!(
            !message.contains("c2VjcmV0"),
            "{name}: the key leaked: {message}"
        );
    }
    assert!(server.handle().snapshot().events.is_empty());

    let seen = send(signed(&key, &url, &host, now, body)).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
}

#[tokio::test]
async fn concurrent_closes_of_one_assignment_give_exactly_one_success() {
    let server = start(Config::default()).await;
    let client = client(&server);
    let calls = (0..64).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.close_job(JOB, ASSIGNMENT, None).await })
    });
    let mut successes = 0;
    let mut conflicts = 0;
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => successes += 1,
            Err(error) if error.status() == Some(409) => conflicts += 1,
            Err(error) => panic!("unexpected {error}"),
        }
    }
    assert_eq!((successes, conflicts), (1, 63));
    assert_eq!(server.handle().snapshot().events.len(), 1);
}

#[tokio::test]
async fn a_thousand_closes_from_concurrent_clients_lose_none() {
    let server = start(Config {
        fixtures: Fixtures::completed_jobs(1000),
        ..Config::default()
    })
    .await;
    let clients: Vec<Client> = (0..8).map(|_| client(&server)).collect();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, client)| {
            tokio::spawn(async move {
                for i in (c..1000).step_by(8) {
                    client
                        .close_job(&format!("job-{i}"), &format!("assignment-{i}"), None)
                        .await
                        .unwrap_or_else(|e| panic!("job-{i}: {e}"));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client task");
    }
    let snapshot = server.handle().snapshot();
    assert!(snapshot.jobs.iter().all(|j| j.status == JobStatus::Closed));
    assert_eq!(snapshot.events.len(), 1000);
    assert_eq!(snapshot.workers[0].used_capacity, 0);
}

#[test]
fn fixtures_load_from_yaml_and_json_and_refuse_inconsistencies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let yaml = dir.path().join("f.yaml");
    std::fs::write(
        &yaml,
        "workers: [{id: w, capacity: 2}]\njobs:\n  - id: j\n    status: assigned\n    assignments: [{id: a, workerId: w}]\n",
    )
    .expect("write");
    let loaded = Fixtures::load(&yaml).expect("YAML fixtures");
    assert_eq!(loaded.jobs[0].status, JobStatus::Assigned);
    assert_eq!(loaded.jobs[0].assignments[0].capacity_cost, 1);

    let json = dir.path().join("f.json");
    std::fs::write(&json, serde_json::to_string(&loaded).expect("JSON")).expect("write");
    assert_eq!(Fixtures::load(&json).expect("JSON fixtures"), loaded);

    let bad = dir.path().join("bad.yaml");
    let refusal = |text: &str| {
        std::fs::write(&bad, text).expect("write");
        Fixtures::load(&bad).expect_err("refused").to_string()
    };
    let error = refusal(
        "jobs:\n  - id: j\n    status: completed\n    assignments: [{id: a, workerId: ghost}]\n",
    );
    assert!(
        error.contains("bad.yaml") && error.contains("worker `ghost`"),
        "{error}"
    );

    let error = refusal("jobs:\n  - id: j\n    status: finished\n");
    assert!(
        error.contains("bad.yaml") && error.contains("finished"),
        "{error}"
    );

    let default = Fixtures::default();
    assert_eq!(default.jobs[0].id, JOB);
    assert_eq!(default.jobs[0].status, JobStatus::Completed);
    assert_eq!(default.jobs[0].assignments[0].id, ASSIGNMENT);
}

#[tokio::test]
async fn the_generated_client_signs_requests_the_endpoint_verifies() {
    let key = "c2VjcmV0LWFjY2Vzcy1rZXk=";
    let server = start(Config {
        access_key: Some(AccessKey::from_base64(key).expect("key")),
        ..Config::default()
    })
    .await;
    let options = || ClientOptions {
        http_client: Some(http()),
        ..ClientOptions::default()
    };
    let wrong = Client::new(
        &server.url(),
        Credential::access_key("b3RoZXIta2V5").expect("key"),
        options(),
    )
    .expect("client");
    let error = wrong
        .close_job(JOB, ASSIGNMENT, None)
        .await
        .expect_err("wrong key");
    assert_eq!(error.status(), Some(401));

    let connection_string = format!("endpoint={}/;accesskey={key}", server.url());
    let client = Client::from_connection_string(&connection_string, options()).expect("client");
    let note = CloseJobOptions {
        note: Some("signed by the generated client".to_owned()),
        ..CloseJobOptions::default()
    };
    client
        .close_job(JOB, ASSIGNMENT, Some(&note))
        .await
        .expect("the endpoint accepts the client's signature");
    assert_eq!(server.handle().snapshot().events.len(), 1);
}

#[tokio::test]
async fn an_encoded_colon_is_part_of_the_id_and_ids_with_colons_close_end_to_end() {
    let mut fixtures = Fixtures::completed_jobs(1);
    fixtures.jobs[0].id = "job:1".to_owned();
    fixtures.jobs[0].assignments[0].id = "a-2:close".to_owned();
    fixtures.jobs.push(JobFixture {
        id: "job-2".to_owned(),
        status: JobStatus::Completed,
        assignments: vec![AssignmentFixture {
            id: "a-2".to_owned(),
            worker_id: "worker-1".to_owned(),
            capacity_cost: 1,
        }],
    });
    fixtures.workers[0].capacity = 2;
    let server = start(Config {
        fixtures,
        ..Config::default()
    })
    .await;
    // `a-2%3Aclose` names an assignment called `a-2:close`; it must not
    // close `a-2`.
    let url = format!(
        "{}/routing/jobs/job-2/assignments/a-2%3Aclose?api-version={VERSION}",
        server.url()
    );
    let seen = send(http().post(&url)).await;
    assert_eq!(seen.status, 404, "{}", seen.body);
    let snapshot = server.handle().snapshot();
    assert!(snapshot.events.is_empty(), "{:?}", snapshot.events);

    client(&server)
        .close_job("job:1", "a-2:close", None)
        .await
        .expect("the client encodes the colons and the endpoint decodes them");
    let snapshot = server.handle().snapshot();
    assert_eq!(snapshot.events.len(), 1);
    let closed: Vec<&str> = snapshot
        .jobs
        .iter()
        .filter(|j| j.status == JobStatus::Closed)
        .map(|j| j.id.as_str())
        .collect();
    assert_eq!(closed, ["job:1"]);
}

#[tokio::test]
async fn a_repeated_api_version_is_refused_in_either_order() {
    let server = start(Config::default()).await;
    let url = close_url(&server, JOB, ASSIGNMENT);
    for query in [
        format!("api-version={VERSION}&api-version=bad"),
        format!("api-version=bad&api-version={VERSION}"),
    ] {
        let seen = send(http().post(format!("{url}?{query}"))).await;
        assert_eq!(seen.status, 400, "{query}: {}", seen.body);
        assert_eq!(documented_error(&seen, 400), "InvalidParameter", "{query}");
        assert_eq!(seen.body["error"]["target"], "api-version", "{query}");
        let message = seen.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("given more than once"), "{message}");
    }
    assert!(server.handle().snapshot().events.is_empty());
}
