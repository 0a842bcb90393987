//! The shipped workflow (`spec/jobrouter/close-job.arazzo.yaml`) run by the
//! `conformance` binary, as CI runs it, against the emulator on 127.0.0.1
//! and against small variations of it that each break one thing a close
//! must do. Each break must fail the step that can see it, with the exact
//! criterion as the finding's expectation, and the cleanup must still run.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use job_router_emulator::{Config, Limits};
use serde_json::{Value, json};

const WORKFLOW: &str = "spec/jobrouter/close-job.arazzo.yaml";
/// How long one run of the binary may take (the offer wait alone is
/// bounded at twenty retries half a second apart).
const DEADLINE: Duration = Duration::from_secs(90);
/// The steps, in the document's order (the order the report lists them).
const STEPS: [&str; 18] = [
    "createPolicy",
    "createQueue",
    "createWorker",
    "createJob",
    "waitForOffer",
    "acceptOffer",
    "completeJob",
    "closeJob",
    "readClosedJob",
    "checkCapacity",
    "closeAgain",
    "cleanupCloseJob",
    "cleanupCancelJob",
    "cleanupStopOffers",
    "cleanupDeleteJob",
    "cleanupDeleteWorker",
    "cleanupDeleteQueue",
    "cleanupDeletePolicy",
];

#[path = "support/binary.rs"]
mod binary;

use binary::conformance_within;

/// The emulator, with `fault` between it and the client, listening on
/// 127.0.0.1 for as long as the value lives.
struct Endpoint {
    address: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Endpoint {
    fn start<F, Fut>(fault: F) -> Self
    where
        F: Fn(Request, Next) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let (router, _handle) = job_router_emulator::router(Config::default());
        let app = router.layer(middleware::from_fn(fault));
        let address = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1");
            let address = listener.local_addr().expect("address");
            tokio::spawn(job_router_emulator::host::serve::serve(
                listener,
                app,
                Limits::default(),
                std::future::pending(),
            ));
            address
        });
        Self {
            address,
            _runtime: runtime,
        }
    }

    fn unbroken() -> Self {
        Self::start(|request: Request, next: Next| next.run(request))
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// What one run of the binary gave: its exit code and its JSON report.
struct Run {
    code: Option<i32>,
    report: Value,
    stderr: String,
}

/// Runs the binary with `args` from the repository root; kills it and
/// fails the test when it overruns [`DEADLINE`].
fn conformance(args: &[&str]) -> Run {
    let output = conformance_within(args, DEADLINE);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the report is JSON ({e}):\n{stdout}\n{stderr}"));
    Run {
        code: output.status.code(),
        report,
        stderr,
    }
}

/// The shipped workflow against `endpoint`, as a JSON report.
fn run_workflow(endpoint: &Endpoint) -> Run {
    let url = endpoint.url();
    conformance(&[
        "--endpoint",
        &url,
        "--workflow",
        WORKFLOW,
        "--format",
        "json",
    ])
}

/// The step cases of the workflow `closeJob`, in the order they ran.
fn cases(report: &Value) -> &Vec<Value> {
    report["workflows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["id"] == "closeJob"))
        .and_then(|w| w["steps"].as_array())
        .unwrap_or_else(|| panic!("no workflow closeJob in {report:#}"))
}

/// The case of step `step` of the workflow.
fn step<'a>(run: &'a Run, step: &str) -> &'a Value {
    let name = format!("workflow/closeJob/{step}");
    cases(&run.report)
        .iter()
        .find(|c| c["name"] == name.as_str())
        .unwrap_or_else(|| panic!("no case {name} in {:#}", run.report))
}

/// The run failed (exit 1) at `failed`, with a finding of `check` whose
/// expectation is exactly `expected`.
fn assert_caught(run: &Run, failed: &str, check: &str, expected: &str) {
    assert_eq!(run.code, Some(1), "{:#}\n{}", run.report, run.stderr);
    let case = step(run, failed);
    assert_eq!(case["outcome"], "fail", "{case:#}");
    assert_eq!(case["kind"], "step", "{case:#}");
    let findings = case["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["check"] == check && f["expected"] == expected && f["severity"] == "error"),
        "{failed}: no {check} finding expecting `{expected}` in {findings:#?}"
    );
}

/// Each of `steps` ran and passed.
fn assert_passed(run: &Run, steps: &[&str]) {
    for name in steps {
        let case = step(run, name);
        assert_eq!(case["outcome"], "pass", "{case:#}");
    }
}

/// Every cleanup step.
const CLEANUP: [&str; 7] = [
    "cleanupCloseJob",
    "cleanupCancelJob",
    "cleanupStopOffers",
    "cleanupDeleteJob",
    "cleanupDeleteWorker",
    "cleanupDeleteQueue",
    "cleanupDeletePolicy",
];

/// The job was read back closed: the cleanup skips releasing it and
/// deletes what the run created.
fn assert_after_close_cleanup(run: &Run) {
    for name in &CLEANUP[..2] {
        assert_eq!(step(run, name)["outcome"], "skip");
    }
    assert_passed(run, &CLEANUP[2..]);
}

fn is_close(request: &Request) -> bool {
    request.method() == Method::POST && request.uri().path().ends_with(":close")
}

/// `GET /routing/workers/{id}` (one worker, not the list).
fn is_worker_read(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && path
            .strip_prefix("/routing/workers/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The `{}` a close answers, with the headers the emulator sends, given by
/// the middleware instead of the emulator.
fn empty_ok() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::HeaderName::from_static("x-ms-request-id"),
                "5f0c4c2e-0d7e-4b8e-9a53-2f6d1c9e7a10",
            ),
        ],
        "{}",
    )
        .into_response()
}

/// The request with `field` taken out of its JSON object body (any other
/// body goes on as it came).
async fn without_field(request: Request, field: &str) -> Request {
    let (mut parts, body) = request.into_parts();
    let mut bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    if let Ok(Value::Object(mut map)) = serde_json::from_slice(&bytes) {
        map.remove(field);
        bytes = Bytes::from(Value::Object(map).to_string());
        parts
            .headers
            .insert(header::CONTENT_LENGTH, bytes.len().into());
    }
    Request::from_parts(parts, Body::from(bytes))
}

/// The answer with its JSON body changed by `change`.
async fn rewritten(response: Response, change: impl FnOnce(&mut Value)) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    change(&mut json);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}

#[test]
fn the_emulator_passes_every_step_that_runs_and_exits_0() {
    let run = run_workflow(&Endpoint::unbroken());
    assert_eq!(run.code, Some(0), "{:#}\n{}", run.report, run.stderr);
    let names: Vec<&str> = cases(&run.report)
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<String> = STEPS
        .iter()
        .map(|s| format!("workflow/closeJob/{s}"))
        .collect();
    assert_eq!(names, expected);
    assert_passed(&run, &STEPS[..11]);
    assert_after_close_cleanup(&run);
    for case in cases(&run.report) {
        assert_eq!(case["findings"], json!([]), "{case:#}");
    }
}

#[test]
fn a_close_that_answers_200_but_leaves_the_job_completed_is_caught() {
    // The first close is answered here and never reaches the emulator;
    // later ones (the cleanup's) do, so the job can still be deleted.
    let closes = Arc::new(AtomicUsize::new(0));
    let endpoint = Endpoint::start(move |request: Request, next: Next| {
        let first = is_close(&request) && closes.fetch_add(1, Ordering::SeqCst) == 0;
        async move {
            if first {
                empty_ok()
            } else {
                next.run(request).await
            }
        }
    });
    let run = run_workflow(&endpoint);
    assert_passed(&run, &["closeJob"]);
    assert_caught(
        &run,
        "readClosedJob",
        "success-criteria",
        "$response.body#/status == 'closed'",
    );
    assert_passed(&run, &CLEANUP);
}

#[test]
fn a_close_that_drops_the_note_is_caught() {
    let endpoint = Endpoint::start(|request: Request, next: Next| async move {
        let request = if is_close(&request) {
            without_field(request, "note").await
        } else {
            request
        };
        next.run(request).await
    });
    let run = run_workflow(&endpoint);
    assert_caught(
        &run,
        "readClosedJob",
        "success-criteria",
        "$response.body#/notes/0/message == 'Closing job'",
    );
    assert_passed(&run, &CLEANUP);
}

#[test]
fn a_close_that_drops_the_disposition_is_caught() {
    let endpoint = Endpoint::start(|request: Request, next: Next| async move {
        let request = if is_close(&request) {
            without_field(request, "dispositionCode").await
        } else {
            request
        };
        next.run(request).await
    });
    let run = run_workflow(&endpoint);
    assert_caught(
        &run,
        "readClosedJob",
        "success-criteria",
        "$response.body#/dispositionCode == 'JobCompleted.'",
    );
    assert_passed(&run, &CLEANUP);
}

#[test]
fn a_close_that_never_releases_the_capacity_is_caught() {
    // Once a close has succeeded, the worker is shown still holding a
    // job at full load, as an endpoint that forgot the release would.
    let closed = Arc::new(AtomicUsize::new(0));
    let reads = Arc::new(AtomicUsize::new(0));
    let counted = reads.clone();
    let endpoint = Endpoint::start(move |request: Request, next: Next| {
        let (closed, reads) = (closed.clone(), counted.clone());
        let close = is_close(&request);
        let worker_read = is_worker_read(&request);
        async move {
            let response = next.run(request).await;
            if close && response.status() == StatusCode::OK {
                closed.fetch_add(1, Ordering::SeqCst);
            }
            if !(worker_read && closed.load(Ordering::SeqCst) > 0) {
                return response;
            }
            reads.fetch_add(1, Ordering::SeqCst);
            rewritten(response, |worker| {
                worker["loadRatio"] = json!(1.0);
                worker["assignedJobs"] = json!([{
                    "assignmentId": "kept",
                    "jobId": "kept",
                    "capacityCost": 1,
                    "assignedAt": "2023-11-01T00:00:00Z"
                }]);
            })
            .await
        }
    });
    let run = run_workflow(&endpoint);
    assert_passed(&run, &["readClosedJob"]);
    assert_caught(
        &run,
        "checkCapacity",
        "success-criteria",
        "$response.body#/loadRatio == 0",
    );
    // The first read and six retries (`retryLimit: 6`), then no more.
    assert_eq!(reads.load(Ordering::SeqCst), 7);
    assert_after_close_cleanup(&run);
}

#[test]
fn a_second_close_that_is_accepted_is_caught() {
    let closes = Arc::new(AtomicUsize::new(0));
    let endpoint = Endpoint::start(move |request: Request, next: Next| {
        let second = is_close(&request) && closes.fetch_add(1, Ordering::SeqCst) == 1;
        async move {
            if second {
                empty_ok()
            } else {
                next.run(request).await
            }
        }
    });
    let run = run_workflow(&endpoint);
    assert_passed(&run, &["closeJob", "readClosedJob", "checkCapacity"]);
    assert_caught(&run, "closeAgain", "success-criteria", "$statusCode >= 400");
    assert_after_close_cleanup(&run);
}

#[test]
fn an_offer_that_never_appears_is_waited_for_boundedly_and_the_cleanup_runs() {
    let reads = Arc::new(AtomicUsize::new(0));
    let counted = reads.clone();
    let endpoint = Endpoint::start(move |request: Request, next: Next| {
        let worker_read = is_worker_read(&request);
        if worker_read {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        async move {
            let response = next.run(request).await;
            if !worker_read {
                return response;
            }
            rewritten(response, |worker| worker["offers"] = json!([])).await
        }
    });
    let run = run_workflow(&endpoint);
    assert_caught(
        &run,
        "waitForOffer",
        "success-criteria",
        "$response.body#/offers/0/jobId == $steps.createJob.outputs.jobId",
    );
    // The first read and twenty retries (`retryLimit: 20`), then no more.
    assert_eq!(reads.load(Ordering::SeqCst), 21);
    // The job was never accepted: the cleanup starts by cancelling it.
    assert_passed(&run, &CLEANUP[1..]);
    for skipped in [
        "acceptOffer",
        "closeJob",
        "checkCapacity",
        "cleanupCloseJob",
    ] {
        let name = format!("workflow/closeJob/{skipped}");
        let ran = cases(&run.report)
            .iter()
            .any(|c| c["name"] == name.as_str() && c["outcome"] != "skip");
        assert!(!ran, "{name} ran: {:#}", run.report);
    }
}

/// The report with what differs between identical runs taken out: every
/// `duration_ms`, and what names the endpoint's port (`endpoint`, `curl`).
fn comparable(mut report: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("duration_ms");
                map.remove("curl");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut report);
    if let Value::Object(map) = &mut report {
        map.remove("endpoint");
    }
    report
}

#[test]
fn the_same_seed_gives_the_same_requests_and_report() {
    let run = |seed: &str| {
        let run = conformance(&["--workflow", WORKFLOW, "--format", "json", "--seed", seed]);
        assert_eq!(run.code, Some(0), "{:#}\n{}", run.report, run.stderr);
        comparable(run.report)
    };
    let first = run("7");
    assert_eq!(run("7"), first);
    let other = run("8");
    assert_ne!(other, first);
    // What differs is the run id in the requests, not the steps taken.
    let requests = |report: &Value| -> Vec<String> {
        cases(report)
            .iter()
            .map(|c| c["request"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let create = &requests(&first)[0];
    assert!(
        create.starts_with("PATCH /routing/distributionPolicies/"),
        "{create}"
    );
    assert_ne!(requests(&other), requests(&first));
    assert_eq!(cases(&other).len(), cases(&first).len());
}
