//! The tester against the Job Router emulator (everything passes) and
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
use conformance::cases::Inputs;
use conformance::report::{self, Report, Rules, Source};
use conformance::suite::Settings;
use job_router_emulator::{self as reference, Config, Dialect, Handle};
use support::{
    EXAMPLE, example_only, failures, human, options, raw_server, run_against, run_spec, serve,
    settings, spec_at, stable, without_port,
};

/// The Job Router emulator with `breakage` applied to every answer.
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
    insta::assert_snapshot!(
        "reference_json",
        without_port(&report::json(&stable), address)
    );
    insta::assert_snapshot!(
        "reference_junit",
        without_port(&report::junit(&stable), address)
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
async fn an_error_without_azure_headers_breaks_no_rule_of_the_spec() {
    // The spec declares `x-ms-error-code` with `required: false`, and no
    // `x-ms-request-id` at all: only the guidelines ask for them.
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let mut response = next.run(request).await;
            response.headers_mut().remove("x-ms-error-code");
            response.headers_mut().remove("x-ms-request-id");
            response
        },
    )
    .await;
    let only_spec = Settings {
        rules: Rules::parse("spec").expect("rules"),
        ..settings()
    };
    let report = run_against(address, Some(handle), &only_spec, Duration::from_secs(10))
        .await
        .report;
    assert_eq!(failures(&report), Vec::<String>::new());
    assert!(report.cases.iter().all(|c| c.findings.is_empty()));
}

#[tokio::test]
async fn a_get_that_closes_the_job_is_caught() {
    // GET is served as if it were POST: it closes the job.
    let (address, handle) = broken(
        Config::default(),
        |mut request: Request, next: Next| async move {
            if request.method() == axum::http::Method::GET {
                *request.method_mut() = axum::http::Method::POST;
            }
            next.run(request).await
        },
    )
    .await;
    let report = run_against(
        address,
        Some(handle.clone()),
        &settings(),
        Duration::from_secs(10),
    )
    .await
    .report;
    let get = "JobRouterOperations_CloseJob/probe/undeclared-method/GET";
    assert_eq!(failures(&report), [format!("{get}: status")]);
    let case = report
        .cases
        .iter()
        .find(|c| c.name == get)
        .expect("the GET case");
    assert_eq!(case.status, Some(200));
    assert_eq!(case.findings[0].source, Source::Inferred);
    assert_eq!(
        case.findings[0].rule.map(|r| r.url),
        Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6")
    );
    insta::assert_snapshot!(human(&report, address));

    // The document says nothing of GET, so its rules alone find nothing.
    let only_spec = Settings {
        rules: Rules::parse("spec").expect("rules"),
        ..settings()
    };
    let report = run_against(address, Some(handle), &only_spec, Duration::from_secs(10))
        .await
        .report;
    assert_eq!(failures(&report), Vec::<String>::new());
}

#[tokio::test]
async fn a_server_error_body_is_checked_against_the_declared_error_schema() {
    let (address, handle) = broken(
        Config::default(),
        |request: Request, next: Next| async move {
            let response = next.run(request).await;
            if response.status() != StatusCode::NOT_FOUND {
                return response;
            }
            let (mut parts, _) = body_text(response).await;
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            parts.headers.remove("content-length");
            Response::from_parts(parts, Body::from(r#"{"message":"boom"}"#))
        },
    )
    .await;
    let report = run_against(address, Some(handle), &settings(), Duration::from_secs(10))
        .await
        .report;
    let probe = "JobRouterOperations_CloseJob/probe/unknown-id/jobId";
    let case = report
        .cases
        .iter()
        .find(|c| c.name == probe)
        .expect("the probe");
    let sources: Vec<(Source, &str)> = case.findings.iter().map(|f| (f.source, f.check)).collect();
    assert_eq!(
        sources,
        [
            (Source::Inferred, "status"),
            (Source::Spec, "body-schema"),
            (Source::Azure, "x-ms-error-code"),
        ],
        "{:#?}",
        case.findings
    );
    insta::assert_snapshot!(human(&report, address));
}

/// `only` of the whole Job Router spec against `router`, the ids it needs
/// given (the published examples lack some), under `rules`.
async fn job_router_case(router: axum::Router, only: &str, rules: &str) -> Report {
    let address = serve(router).await;
    let settings = Settings {
        inputs: Inputs {
            params: vec![
                ("workerId".to_owned(), "w1".to_owned()),
                ("api-version".to_owned(), "2023-11-01".to_owned()),
            ],
            seed: 20231101,
        },
        only: vec![only.to_owned()],
        rules: Rules::parse(rules).expect("rules"),
        ..Settings::default()
    };
    let spec = spec_at("spec/jobrouter/communicationservicejobrouter.json");
    run_spec(
        &spec,
        address,
        None,
        &settings,
        options(Duration::from_secs(10)),
    )
    .await
    .report
}

/// A router answering every request with `status` and an Azure error body
/// (or none for a 2xx), with both Azure headers.
fn answering(status: StatusCode) -> axum::Router {
    axum::Router::new().fallback(move || async move {
        let body = if status.is_success() {
            String::new()
        } else {
            r#"{"error":{"code":"NotFound","message":"no such worker"}}"#.to_owned()
        };
        (
            status,
            [
                ("content-type", "application/json"),
                ("x-ms-request-id", "r"),
                ("x-ms-error-code", "NotFound"),
            ],
            body,
        )
    })
}

#[tokio::test]
async fn deleting_a_missing_resource_is_judged_by_the_rule_for_deletes() {
    let probe = "JobRouterOperations_DeleteWorker/probe/unknown-id/workerId";
    // Azure's guidelines: 204, even when there was nothing to delete.
    let report = job_router_case(
        answering(StatusCode::NO_CONTENT),
        probe,
        "spec,azure,inferred",
    )
    .await;
    assert_eq!(report.cases.len(), 1);
    assert_eq!(failures(&report), Vec::<String>::new());
    let report = job_router_case(
        answering(StatusCode::NOT_FOUND),
        probe,
        "spec,azure,inferred",
    )
    .await;
    assert_eq!(failures(&report), [format!("{probe}: status")]);
    let finding = &report.cases[0].findings[0];
    assert_eq!(finding.source, Source::Azure);
    assert_eq!(
        finding.rule.map(|r| r.url),
        Some(
            "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#http-delete-returns-204"
        )
    );
    assert_eq!(finding.basis, None, "no spec place says so");
    // Without the guidelines, REST semantics take either answer.
    for status in [StatusCode::NO_CONTENT, StatusCode::NOT_FOUND] {
        let report = job_router_case(answering(status), probe, "spec,inferred").await;
        assert_eq!(failures(&report), Vec::<String>::new(), "{status}");
    }
}

#[tokio::test]
async fn an_upsert_of_a_missing_resource_must_create_it_under_the_guidelines() {
    let probe = "JobRouterOperations_UpsertWorker/probe/unknown-id/workerId";
    let report = job_router_case(
        answering(StatusCode::NOT_FOUND),
        probe,
        "spec,azure,inferred",
    )
    .await;
    assert_eq!(failures(&report), [format!("{probe}: status")]);
    let finding = &report.cases[0].findings[0];
    assert_eq!(finding.source, Source::Azure);
    assert!(
        finding
            .expected
            .starts_with("a declared success (200, 201)"),
        "{}",
        finding.expected
    );
    // REST semantics alone let a PATCH of nothing be refused.
    let report = job_router_case(answering(StatusCode::NOT_FOUND), probe, "spec,inferred").await;
    assert_eq!(failures(&report), Vec::<String>::new());
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

/// An API whose one operation declares only a 200 (no `default`), so any
/// other status is one the spec does not declare.
const ONLY_200: &str = r#"
openapi: 3.0.3
info: {title: Items, version: "1"}
paths:
  /items/{id}:
    post:
      operationId: Items_Touch
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}}
      responses:
        "200":
          description: Touched.
          headers:
            x-item-version: {required: true, schema: {type: integer}}
"#;

/// Each case of [`ONLY_200`] run against `router`, with its findings as
/// `check source` in order.
async fn only_200_findings(address: SocketAddr) -> Vec<(String, Vec<String>)> {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("items.yaml");
    std::fs::write(&path, ONLY_200).expect("spec written");
    let spec = conformance::spec::Spec::load(&path, "items.yaml").expect("the spec loads");
    let settings = Settings {
        inputs: Inputs {
            params: vec![("id".to_owned(), "i1".to_owned())],
            seed: 20231101,
        },
        rules: Rules::parse("spec,inferred").expect("rules"),
        ..Settings::default()
    };
    let outcome = run_spec(
        &spec,
        address,
        None,
        &settings,
        options(Duration::from_secs(5)),
    )
    .await;
    outcome
        .report
        .cases
        .iter()
        .map(|case| {
            let findings = case
                .findings
                .iter()
                .map(|f| format!("{} {}", f.check, f.source.as_str()))
                .collect();
            (case.name.clone(), findings)
        })
        .collect()
}

/// The cases [`ONLY_200`] makes: its declared POST's probes, then each
/// method the path does not declare.
const DECLARED: [&str; 4] = [
    "Items_Touch/probe/unknown-id/id",
    "Items_Touch/probe/wrong-type/name",
    "Items_Touch/probe/malformed-json",
    "Items_Touch/probe/non-object-body",
];
const UNDECLARED: [&str; 5] = ["GET", "PUT", "PATCH", "DELETE", "HEAD"];

/// `(case, findings)` for every case: `declared(case)` for the declared
/// method's, `undeclared` for the others'.
fn expected<T: Clone>(declared: impl Fn(&str) -> T, undeclared: T) -> Vec<(String, T)> {
    let undeclared = UNDECLARED.iter().map(|method| {
        let name = format!("Items_Touch/probe/undeclared-method/{method}");
        (name, undeclared.clone())
    });
    DECLARED
        .iter()
        .map(|name| (name.to_string(), declared(name)))
        .chain(undeclared)
        .collect()
}

fn checks(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| c.to_string()).collect()
}

#[tokio::test]
async fn an_undeclared_status_is_told_once_per_source() {
    let address = serve(answering_bare(StatusCode::INTERNAL_SERVER_ERROR)).await;
    let findings = only_200_findings(address).await;
    // The unknown id's rule wanted a refusal; the spec declares no 500.
    // The body probes' spec finding already says the status is wrong.
    let declared = |name: &str| match name == DECLARED[0] {
        true => checks(&["status inferred", "status spec"]),
        false => checks(&["status spec"]),
    };
    assert_eq!(findings, expected(declared, checks(&["status inferred"])));
}

#[tokio::test]
async fn no_answer_is_judged_by_the_spec_for_a_declared_method_and_by_the_rule_otherwise() {
    let garbage = raw_server(b"this is not HTTP\r\n\r\n").await;
    let findings = only_200_findings(garbage).await;
    let declared = |_: &str| checks(&["transport spec"]);
    assert_eq!(
        findings,
        expected(declared, checks(&["transport inferred"]))
    );
}

/// A router answering every request with `status` and no body.
fn answering_bare(status: StatusCode) -> axum::Router {
    axum::Router::new().fallback(move || async move { status })
}

#[tokio::test]
async fn a_declared_header_must_be_there_and_fit_its_schema() {
    for (version, told) in [(None, true), (Some("seven"), true), (Some("7"), false)] {
        let router = axum::Router::new().fallback(move || async move {
            let mut response = Response::new(Body::empty());
            if let Some(version) = version {
                let value = HeaderValue::from_static(version);
                response.headers_mut().insert("x-item-version", value);
            }
            response
        });
        let findings = only_200_findings(serve(router).await).await;
        let headers: Vec<(String, usize)> = findings
            .into_iter()
            .map(|(name, checks)| {
                let told = checks.iter().filter(|c| *c == "header spec").count();
                (name, told)
            })
            .collect();
        let declared = usize::from(told);
        assert_eq!(headers, expected(|_| declared, 0), "{version:?}");
    }
}
