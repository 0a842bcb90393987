//! The generated Job Router server side over 127.0.0.1: a `Service` that
//! answers an upsert with 201, an `ETag` and a `Last-Modified`, hosted the
//! way any server would host it (`decode`, `dispatch`, write the `Reply`),
//! called by the generated client and by a raw merge patch.

use std::future::{Future, ready};
use std::sync::{Arc, Mutex};

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use job_router_client::models::{self, ErrorResponse, RouterJobCreateOrUpdate};
use job_router_client::runtime::server::{HttpRequest, MergePatch, ServiceError};
use job_router_client::server::*;
use job_router_client::{Client, ClientOptions, Credential};
use serde_json::json;

const ETAG: &str = "\"0x8DC6\"";

/// The instant every upsert reports as its `Last-Modified`.
fn modified() -> jiff::Timestamp {
    "2026-12-01T13:05:33Z".parse().expect("instant")
}

/// Records each upsert's body and answers it as newly created.
#[derive(Default)]
struct Jobs {
    received: Mutex<Vec<MergePatch<RouterJobCreateOrUpdate>>>,
}

fn not_served() -> ServiceError<ErrorResponse> {
    let body = json!({ "error": { "code": "NotServed", "message": "Not in this test." } });
    ServiceError {
        status: 501,
        body: serde_json::from_value(body).expect("error body"),
    }
}

/// The operations this test does not call, each answering 501.
macro_rules! not_served {
    ($($name:ident($input:ident) -> $ok:ty;)*) => {
        $(
            fn $name(
                &self,
                _: $input,
            ) -> impl Future<Output = Result<$ok, ServiceError<ErrorResponse>>> + Send {
                ready(Err(not_served()))
            }
        )*
    };
}

impl Service for Jobs {
    fn upsert_job(
        &self,
        input: UpsertJobInput,
    ) -> impl Future<Output = Result<UpsertJobOutput, ServiceError<ErrorResponse>>> + Send {
        self.received.lock().expect("log").push(input.resource);
        let job = json!({ "id": input.job_id, "etag": ETAG, "priority": 5 });
        ready(Ok(UpsertJobOutput {
            body: UpsertJobSuccess::Status201(Box::new(serde_json::from_value(job).expect("job"))),
            etag: Some(ETAG.to_owned()),
            last_modified: Some(modified()),
        }))
    }

    not_served! {
        list_classification_policies(ListClassificationPoliciesInput) -> models::PagedClassificationPolicy;
        get_classification_policy(GetClassificationPolicyInput) -> GetClassificationPolicyOutput;
        delete_classification_policy(DeleteClassificationPolicyInput) -> ();
        upsert_classification_policy(UpsertClassificationPolicyInput) -> UpsertClassificationPolicyOutput;
        list_distribution_policies(ListDistributionPoliciesInput) -> models::PagedDistributionPolicy;
        get_distribution_policy(GetDistributionPolicyInput) -> GetDistributionPolicyOutput;
        delete_distribution_policy(DeleteDistributionPolicyInput) -> ();
        upsert_distribution_policy(UpsertDistributionPolicyInput) -> UpsertDistributionPolicyOutput;
        list_exception_policies(ListExceptionPoliciesInput) -> models::PagedExceptionPolicy;
        get_exception_policy(GetExceptionPolicyInput) -> GetExceptionPolicyOutput;
        delete_exception_policy(DeleteExceptionPolicyInput) -> ();
        upsert_exception_policy(UpsertExceptionPolicyInput) -> UpsertExceptionPolicyOutput;
        list_jobs(ListJobsInput) -> models::PagedRouterJob;
        get_job(GetJobInput) -> GetJobOutput;
        delete_job(DeleteJobInput) -> ();
        close_job(CloseJobInput) -> models::CloseJobResult;
        complete_job(CompleteJobInput) -> models::CompleteJobResult;
        unassign_job(UnassignJobInput) -> models::UnassignJobResult;
        get_in_queue_position(GetInQueuePositionInput) -> models::RouterJobPositionDetails;
        cancel_job(CancelJobInput) -> models::CancelJobResult;
        reclassify_job(ReclassifyJobInput) -> models::ReclassifyJobResult;
        list_queues(ListQueuesInput) -> models::PagedRouterQueue;
        get_queue(GetQueueInput) -> GetQueueOutput;
        delete_queue(DeleteQueueInput) -> ();
        upsert_queue(UpsertQueueInput) -> UpsertQueueOutput;
        get_queue_statistics(GetQueueStatisticsInput) -> models::RouterQueueStatistics;
        list_workers(ListWorkersInput) -> models::PagedRouterWorker;
        get_worker(GetWorkerInput) -> GetWorkerOutput;
        delete_worker(DeleteWorkerInput) -> ();
        upsert_worker(UpsertWorkerInput) -> UpsertWorkerOutput;
        accept_job_offer(AcceptJobOfferInput) -> models::AcceptJobOfferResult;
        decline_job_offer(DeclineJobOfferInput) -> models::DeclineJobOfferResult;
    }
}

/// Decodes the request, lets `jobs` answer it and writes the reply with
/// its declared headers.
async fn host(jobs: Arc<Jobs>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.expect("body");
    let request = HttpRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        body: &body,
    };
    let reply = match decode(&request) {
        Ok(call) => dispatch(&*jobs, call).await,
        Err(rejection) => return (StatusCode::BAD_REQUEST, rejection.to_string()).into_response(),
    };
    let status = StatusCode::from_u16(reply.status).expect("status");
    let body = reply.body.map_or_else(String::new, |body| body.to_string());
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in reply.headers {
        headers.append(name, HeaderValue::from_str(&value).expect("header value"));
    }
    response
}

/// The service on 127.0.0.1 and its base URL.
async fn serve() -> (Arc<Jobs>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let jobs = Arc::new(Jobs::default());
    let service = jobs.clone();
    let app = axum::Router::new().fallback(move |request| host(service.clone(), request));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (jobs, base)
}

fn plain_http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_created_job_reaches_the_client_with_its_etag_and_last_modified() {
    let (jobs, base) = serve().await;
    let options = ClientOptions {
        http_client: Some(plain_http()),
        ..ClientOptions::default()
    };
    let client = Client::new(&base, Credential::None, options).expect("endpoint");
    let update = RouterJobCreateOrUpdate {
        priority: Some(5),
        ..RouterJobCreateOrUpdate::default()
    };
    let answer = client
        .upsert_job("job-1", &update, None, None)
        .await
        .expect("the 201 is a success");
    // The same body whether the service chose 200 or 201.
    assert_eq!(answer.body.id, "job-1");
    assert_eq!(answer.body.priority, Some(5));
    assert_eq!(answer.etag.as_deref(), Some(ETAG));
    assert_eq!(answer.last_modified, Some(modified()));
    let received = jobs.received.lock().expect("log");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].value, update);
    assert_eq!(received[0].document, json!({ "priority": 5 }));
}

#[tokio::test]
async fn a_merge_patch_null_reaches_the_service_and_an_absent_field_does_not() {
    let (jobs, base) = serve().await;
    let response = plain_http()
        .patch(format!("{base}/routing/jobs/job-2?api-version=2023-11-01"))
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"priority": 7, "dispositionCode": null}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 201);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().expect("text").to_owned())
    };
    assert_eq!(header("etag").as_deref(), Some(ETAG));
    assert_eq!(
        header("last-modified").as_deref(),
        Some("Tue, 01 Dec 2026 13:05:33 GMT")
    );
    let received = jobs.received.lock().expect("log");
    let patch = &received[0];
    assert_eq!(
        patch.document,
        json!({ "priority": 7, "dispositionCode": null })
    );
    assert_eq!(patch.document.get("channelId"), None);
    assert_eq!(patch.value.priority, Some(7));
    assert_eq!(patch.value.disposition_code, None);
}
