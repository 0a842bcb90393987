//! The server side's replies carry the declared headers of successes only,
//! and a merge-patch body keeps the JSON as received beside the model.

use openapi_runtime::server::{
    HttpRequest, MergePatch, Rejection, ServiceError, Shape, empty, failure, merge_patch_body,
    success,
};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::json;

#[test]
fn a_success_sends_the_headers_set_and_an_error_none() {
    let reply = success(201, &json!({ "id": "a" }))
        .with_header("ETag", Some("\"1\"".to_owned()))
        .with_header("x-unset", None)
        .with_header(
            "Last-Modified",
            Some("Tue, 01 Dec 2026 13:05:33 GMT".to_owned()),
        );
    assert_eq!(reply.status, 201);
    assert_eq!(
        reply.headers,
        [
            ("ETag", "\"1\"".to_owned()),
            ("Last-Modified", "Tue, 01 Dec 2026 13:05:33 GMT".to_owned())
        ]
    );
    assert_eq!(empty(204).headers, []);
    let error = ServiceError {
        status: 412,
        body: json!({ "error": "stale" }),
    };
    let reply = failure(&error).with_header("ETag", Some("\"1\"".to_owned()));
    assert_eq!((reply.status, reply.is_error), (412, true));
    assert_eq!(reply.headers, []);
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Job {
    priority: Option<i32>,
    labels: Option<serde_json::Map<String, serde_json::Value>>,
}

fn patch(content_type: &'static str, body: &[u8]) -> Result<Option<MergePatch<Job>>, Rejection> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let request = HttpRequest {
        method: "PATCH",
        path: "/jobs/a",
        query: None,
        headers: &headers,
        body,
    };
    merge_patch_body(&request, false, Shape::Object)
}

#[test]
fn a_merge_patch_keeps_its_nulls_nested_too() {
    let body = br#"{"priority": null, "labels": {"team": null, "tier": 2}}"#;
    let patch = patch("application/merge-patch+json", body)
        .expect("decodes")
        .expect("a body");
    assert_eq!(
        patch.document,
        json!({ "priority": null, "labels": { "team": null, "tier": 2 } })
    );
    assert_eq!(patch.value.priority, None);
    assert_eq!(
        patch.value.labels.expect("labels")["team"],
        serde_json::Value::Null
    );
}

#[test]
fn a_merge_patch_is_refused_as_a_json_body_is() {
    assert_eq!(patch("application/merge-patch+json", b""), Ok(None));
    assert_eq!(
        patch("text/plain", b"{}"),
        Err(Rejection::UnsupportedMediaType {
            content_type: "text/plain".to_owned()
        })
    );
    assert_eq!(
        patch("application/merge-patch+json", br#"{"priority": "high"}"#),
        Err(Rejection::InvalidBody {
            path: "priority".to_owned(),
            reason: "invalid type: string \"high\", expected i32 at line 1 column 19".to_owned()
        })
    );
}
