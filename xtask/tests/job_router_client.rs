//! The generated Job Router client over 127.0.0.1: `x-ms-pageable`
//! operations follow each page's `nextLink` and yield every item in order;
//! declared success headers (`ETag`, `Last-Modified`) come with the body.

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use futures_util::StreamExt;
use job_router_client::{Client, ClientOptions, Credential, Error};
use serde_json::{Value, json};

/// Two jobs from the published example of listing jobs.
fn published_jobs() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/jobrouter/examples/Jobs_GetJobsWithPageSize.json"
    );
    let text = std::fs::read_to_string(path).expect("the published example");
    let example: Value = serde_json::from_str(&text).expect("JSON");
    example["responses"]["200"]["body"]["value"]
        .as_array()
        .expect("jobs")
        .clone()
}

/// How page 2 links on: to page 3, to itself, or answers an error.
#[derive(Clone, Copy)]
enum Second {
    LinksOn,
    LinksToItself,
    Fails,
}

#[derive(Clone)]
struct Pages {
    base: String,
    jobs: Vec<Value>,
    second: Second,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn page(
    State(pages): State<Pages>,
    Query(query): Query<Vec<(String, String)>>,
) -> impl IntoResponse {
    let get = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    pages.seen.lock().expect("log").push(format!(
        "page={} api-version={}",
        get("page").unwrap_or_default(),
        get("api-version").unwrap_or_default()
    ));
    let body = match (get("page").as_deref(), pages.second) {
        // The first page links on with an absolute URL.
        (None, _) => {
            json!({"value": [pages.jobs[0]], "nextLink": format!("{}/routing/jobs?page=2&api-version=2023-11-01", pages.base)})
        }
        (Some("2"), Second::LinksOn) => {
            json!({"value": [pages.jobs[1]], "nextLink": "/routing/jobs?page=3&api-version=2023-11-01"})
        }
        (Some("2"), Second::LinksToItself) => {
            json!({"value": [pages.jobs[1]], "nextLink": "/routing/jobs?page=2&api-version=2023-11-01"})
        }
        (Some("2"), Second::Fails) => {
            return (
                StatusCode::NOT_FOUND,
                [("x-ms-error-code", "NotFound")],
                json!({"error": {"code": "NotFound", "message": "gone"}}).to_string(),
            )
                .into_response();
        }
        // The last page has no next link.
        _ => json!({"value": []}),
    };
    ([("content-type", "application/json")], body.to_string()).into_response()
}

async fn serve(second: Second) -> (Client, Arc<Mutex<Vec<String>>>, Vec<Value>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let jobs = published_jobs();
    let state = Pages {
        base: base.clone(),
        jobs: jobs.clone(),
        second,
        seen: seen.clone(),
    };
    let app = axum::Router::new()
        .route("/routing/jobs", axum::routing::get(page))
        .with_state(state);
    let client = client_of(listener, &base, app);
    (client, seen, jobs)
}

/// Serves `app` on `listener` (at `base`) and returns a client for it.
fn client_of(listener: tokio::net::TcpListener, base: &str, app: axum::Router) -> Client {
    tokio::spawn(async move { axum::serve(listener, app).await });
    let options = ClientOptions {
        http_client: Some(
            reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
        ),
        ..ClientOptions::default()
    };
    Client::new(base, Credential::None, options).expect("endpoint")
}

fn id(job: &job_router_client::models::RouterJob) -> String {
    job.id.clone()
}

#[tokio::test]
async fn every_item_of_every_page_comes_in_order() {
    let (client, seen, jobs) = serve(Second::LinksOn).await;
    let mut pages = client.list_jobs_pages(None);
    let mut ids = Vec::new();
    while let Some(job) = pages.next().await {
        ids.push(id(&job.expect("a job")));
    }
    assert_eq!(
        ids,
        [
            jobs[0]["id"].as_str().expect("id"),
            jobs[1]["id"].as_str().expect("id")
        ]
    );
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "page= api-version=2023-11-01",
            "page=2 api-version=2023-11-01",
            "page=3 api-version=2023-11-01"
        ]
    );
}

/// The published jobs' ids, in order.
fn ids_of(jobs: &[serde_json::Value]) -> Vec<&str> {
    jobs.iter()
        .map(|job| job["id"].as_str().expect("id"))
        .collect()
}

#[tokio::test]
async fn pages_are_a_futures_stream_too() {
    let (client, seen, jobs) = serve(Second::LinksOn).await;
    let items: Vec<_> = client.list_jobs_pages(None).into_stream().collect().await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|job| id(&job.expect("a job")))
        .collect();
    assert_eq!(ids, ids_of(&jobs));
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "page= api-version=2023-11-01",
            "page=2 api-version=2023-11-01",
            "page=3 api-version=2023-11-01"
        ]
    );
}

#[tokio::test]
async fn a_failed_page_is_one_error_and_the_end() {
    let (client, seen, jobs) = serve(Second::Fails).await;
    let mut pages = client.list_jobs_pages(None);
    let first = pages.next().await.expect("an item").expect("the first job");
    assert_eq!(id(&first), ids_of(&jobs)[0]);
    match pages.next().await {
        Some(Err(Error::Http(error))) => {
            assert_eq!(
                (error.status, error.error_code.as_deref()),
                (404, Some("NotFound"))
            );
        }
        other => panic!("expected the page's 404, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "page= api-version=2023-11-01",
            "page=2 api-version=2023-11-01"
        ],
        "the failed page is not asked for again"
    );
}

#[tokio::test]
async fn a_next_link_back_to_the_same_page_stops_instead_of_looping() {
    let (client, seen, jobs) = serve(Second::LinksToItself).await;
    let mut pages = client.list_jobs_pages(None);
    for expected in ids_of(&jobs) {
        let job = pages.next().await.expect("an item").expect("a job");
        assert_eq!(id(&job), expected);
    }
    match pages.next().await {
        Some(Err(Error::InvalidArgument {
            name: "nextLink",
            reason,
        })) => {
            assert_eq!(
                reason,
                "the next page's link `/routing/jobs?page=2&api-version=2023-11-01` \
                 is the page just read"
            );
        }
        other => panic!("expected the loop to be refused, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "page= api-version=2023-11-01",
            "page=2 api-version=2023-11-01"
        ]
    );
}

/// A client for a server answering every `GET /routing/jobs/{id}` with the
/// first published job and `last_modified` as its `Last-Modified`.
fn job_server(
    listener: tokio::net::TcpListener,
    base: &str,
    last_modified: &'static str,
) -> Client {
    let body = published_jobs().remove(0).to_string();
    let app = axum::Router::new().route(
        "/routing/jobs/{id}",
        axum::routing::get(move || async move {
            (
                [
                    ("content-type", "application/json"),
                    ("etag", "\"0x8DC5\""),
                    ("last-modified", last_modified),
                ],
                body,
            )
        }),
    );
    client_of(listener, base, app)
}

#[tokio::test]
async fn declared_success_headers_come_with_the_body() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let job = published_jobs().remove(0);
    let client = job_server(listener, &base, "Sun, 29 Nov 2026 10:00:00 GMT");
    let answer = client.get_job("any").await.expect("the job");
    assert_eq!(answer.etag.as_deref(), Some("\"0x8DC5\""));
    let sent: jiff::Timestamp = "2026-11-29T10:00:00Z".parse().expect("instant");
    assert_eq!(answer.last_modified, Some(sent));
    assert_eq!(answer.body.id, job["id"].as_str().expect("id"));
}

#[tokio::test]
async fn a_header_that_is_no_http_date_is_none_and_the_answer_stays() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let job = published_jobs().remove(0);
    // 29 November 2026 is a Sunday: the weekday contradicts the date.
    let client = job_server(listener, &base, "Fri, 29 Nov 2026 10:00:00 GMT");
    let answer = client.get_job("any").await.expect("the job");
    assert_eq!(answer.last_modified, None);
    assert_eq!(answer.etag.as_deref(), Some("\"0x8DC5\""));
    assert_eq!(answer.body.id, job["id"].as_str().expect("id"));
}
