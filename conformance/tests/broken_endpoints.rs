//! The tester against the reference endpoint (everything passes) and
//! against servers on 127.0.0.1 that each break one behaviour (each must be
//! caught with a clear finding). Reports are snapshotted as users see them.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use conformance::reference::{self, Config, Dialect, Handle};
use conformance::report;
use support::{
    EXAMPLE, example_only, failures, human, raw_server, run_against, serve, settings, stable,
};

/// The reference endpoint with `breakage` applied to every answer.
async fn broken<F, Fut>(config: Config, breakage: F) -> (SocketAddr, Handle)
where
    F: Fn(Request, Next) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let (router, handle) = reference::router(config);
    let address = serve(router.layer(middleware::from_fn(breakage))).await;
    (address, handle)
}

async fn body_text(response: Response) -> (axum::http::response::Parts, String) {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.expect("body");
    (parts, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn the_reference_endpoint_passes_every_case_in_every_format() {
    let (router, handle) = reference::router(Config::default());
    let address = serve(router).await;
    let outcome = run_against(address, Some(handle), &settings(), Duration::from_secs(10)).await;
    let report = &outcome.report;
    assert_eq!(failures(report), Vec::<String>::new());
    assert_eq!(report.cases.len(), 18);
    assert!(!outcome.unreachable);
    insta::assert_snapshot!("reference_human", human(report, address));

    let stable = stable(report);
    let port = address.port().to_string();
    insta::assert_snapshot!(
        "reference_json",
        report::json(&stable).replace(&port, "[port]")
    );
    insta::assert_snapshot!(
        "reference_junit",
        report::junit(&stable).replace(&port, "[port]")
    );
}

#[tokio::test]
async fn a_wrong_success_status_is_caught() {
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let mut response = next.run(request).await;
            if response.status() == StatusCode::OK {
                *response.status_mut() = StatusCode::CREATED;
            }
            response
        },
    )
    .await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    assert_eq!(
        failures(&report),
        [
            format!("{EXAMPLE}: status"),
            "JobRouterOperations_CloseJob/probe/optional-body-omitted: status".to_owned()
        ]
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn a_wrong_body_type_is_caught_with_a_diff() {
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let response = next.run(request).await;
            if response.status() != StatusCode::OK {
                return response;
            }
            let (parts, _) = body_text(response).await;
            Response::from_parts(parts, Body::from("[]"))
        },
    )
    .await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    assert_eq!(
        failures(&report),
        [
            format!("{EXAMPLE}: body-schema"),
            format!("{EXAMPLE}: body-example"),
            "JobRouterOperations_CloseJob/probe/optional-body-omitted: body-schema".to_owned()
        ]
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn an_error_without_x_ms_error_code_is_caught() {
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let mut response = next.run(request).await;
            response.headers_mut().remove("x-ms-error-code");
            response
        },
    )
    .await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    // Every error answer to the declared method; the undeclared methods'
    // refusals are not held to the operation's guidelines.
    let failed = failures(&report);
    assert_eq!(failed.len(), 10, "{failed:#?}");
    assert!(
        failed.iter().all(|f| f.ends_with(": x-ms-error-code")),
        "{failed:#?}"
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn a_header_code_that_disagrees_with_the_body_is_caught() {
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let mut response = next.run(request).await;
            if response.headers().contains_key("x-ms-error-code") {
                response
                    .headers_mut()
                    .insert("x-ms-error-code", HeaderValue::from_static("InternalError"));
            }
            response
        },
    )
    .await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    // Every error answer to the declared method; the undeclared methods'
    // refusals are not held to the operation's guidelines.
    let failed = failures(&report);
    assert_eq!(failed.len(), 10, "{failed:#?}");
    assert!(
        failed.iter().all(|f| f.ends_with(": x-ms-error-code")),
        "{failed:#?}"
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn a_missing_route_is_caught() {
    let address = serve(axum::Router::new()).await;
    let report = run_against(address, None, &settings(), Duration::from_secs(10))
        .await
        .report;
    let failed = failures(&report);
    assert!(
        failed.contains(&format!("{EXAMPLE}: status")),
        "{failed:#?}"
    );
    assert!(
        failed.contains(
            &"JobRouterOperations_CloseJob/probe/optional-body-omitted: status".to_owned()
        ),
        "{failed:#?}"
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn an_endpoint_that_accepts_bad_input_is_caught() {
    let router = axum::Router::new().fallback(|| async {
        (
            [
                ("content-type", "application/json"),
                ("x-ms-request-id", "r"),
            ],
            "{}",
        )
    });
    let address = serve(router).await;
    let report = run_against(address, None, &settings(), Duration::from_secs(10))
        .await
        .report;
    let failed = failures(&report);
    // Every refusal probe gets a 200 (five undeclared methods among them);
    // the example and the omitted body pass.
    assert_eq!(failed.len(), 15, "{failed:#?}");
    assert!(
        failed.iter().all(|f| f.ends_with(": status")),
        "{failed:#?}"
    );
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn a_hanging_endpoint_is_a_timeout_finding_not_a_hang() {
    let router = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        "never"
    });
    let address = serve(router).await;
    let settings = example_only();
    let outcome = run_against(address, None, &settings, Duration::from_millis(300)).await;
    assert_eq!(failures(&outcome.report), [format!("{EXAMPLE}: transport")]);
    assert!(!outcome.unreachable, "a hang is not unreachable");
    insta::assert_snapshot!(human(&outcome.report, address));
}

#[tokio::test]
async fn the_live_service_error_dialect_is_caught() {
    let config = Config {
        dialect: Dialect::Service,
        ..Config::default()
    };
    let (router, handle) = reference::router(config);
    let address = serve(router).await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    let failed = failures(&report);
    let probe = "JobRouterOperations_CloseJob/probe/unknown-id/jobId";
    for check in ["body-schema", "x-ms-error-code", "x-ms-request-id"] {
        assert!(
            failed.contains(&format!("{probe}: {check}")),
            "{check}: {failed:#?}"
        );
    }
    insta::assert_snapshot!(human(&report, address));
}

#[tokio::test]
async fn garbage_resets_redirects_and_huge_bodies_are_findings() {
    // Garbage instead of HTTP, and a connection closed without an answer.
    let garbage = raw_server(b"this is not HTTP\r\n\r\n").await;
    let reset = raw_server(b"").await;
    let only = example_only();
    for address in [garbage, reset] {
        let outcome = run_against(address, None, &only, Duration::from_secs(5)).await;
        assert_eq!(failures(&outcome.report), [format!("{EXAMPLE}: transport")]);
    }

    let redirect = axum::Router::new().fallback(|| async {
        (
            StatusCode::FOUND,
            [("location", "https://example.com/elsewhere")],
            "",
        )
    });
    let address = serve(redirect).await;
    let report = run_against(address, None, &only, Duration::from_secs(5))
        .await
        .report;
    assert_eq!(failures(&report), [format!("{EXAMPLE}: redirect")]);

    let huge = axum::Router::new().fallback(|| async {
        (
            [
                ("content-type", "application/json"),
                ("x-ms-request-id", "r"),
            ],
            vec![b' '; 2 * 1024 * 1024],
        )
    });
    let address = serve(huge).await;
    let report = run_against(address, None, &only, Duration::from_secs(5))
        .await
        .report;
    assert_eq!(failures(&report), [format!("{EXAMPLE}: body-size")]);

    let html = axum::Router::new().fallback(|| async {
        (
            [("content-type", "text/html"), ("x-ms-request-id", "r")],
            "<html>{}</html>",
        )
    });
    let address = serve(html).await;
    let report = run_against(address, None, &only, Duration::from_secs(5))
        .await
        .report;
    assert_eq!(
        failures(&report),
        [
            format!("{EXAMPLE}: content-type"),
            format!("{EXAMPLE}: body-json")
        ]
    );
    insta::assert_snapshot!(human(&report, address));
}
