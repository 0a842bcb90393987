//! How a workflow's control flow runs and is reported: loops bounded,
//! expressions that point nowhere, `dependsOn`, steps that run another
//! workflow, `$components`, and the reports a run of workflows gives.

mod support;

use std::sync::{Arc, Mutex};

use conformance::report::{self, Colour};
use conformance::run::{Auth, Target};
use conformance::workflow::Workflows;
use support::arazzo::{READ_JOB, document, run, steps, workflows};

#[tokio::test]
async fn a_goto_loop_is_stopped_and_reported_as_a_finding() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(
        dir.path(),
        &format!(
            "{READ_JOB}        onFailure:\n          - {{name: again, type: goto, stepId: readJob}}\n"
        ),
    );
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let step = &report.workflows[0].steps[0];
    let last = step
        .findings
        .last()
        .map(|f| (f.check, f.expected.as_str(), f.seen.as_str()));
    assert_eq!(
        last,
        Some((
            "workflow-loop",
            "workflows that end within 1000 step runs in all",
            "step `readJob` was about to run again"
        ))
    );
    assert_eq!(report.failed(), 1);
}

#[tokio::test]
async fn an_expression_that_points_nowhere_is_a_finding_at_its_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps_text = "      - stepId: readJob
        operationId: JobRouterOperations_GetJob
        parameters: [{name: jobId, in: path, value: $steps.nope.outputs.id}]
      - stepId: after
        operationId: JobRouterOperations_GetJob
        parameters: [{name: jobId, in: path, value: x}]
";
    let path = document(dir.path(), steps_text);
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let step = &report.workflows[0].steps[0];
    let finding = &step.findings[0];
    assert_eq!(
        (
            finding.check,
            finding.seen.as_str(),
            finding.basis.as_ref().map(|b| b.pointer.as_str())
        ),
        (
            "request",
            "`$steps.nope.outputs.id`: no step `nope` has run",
            Some("/workflows/0/steps/0/parameters/0/value")
        )
    );
    assert_eq!(step.request_line, None);
    assert_eq!(
        steps(&report),
        [("workflow/w/readJob", "fail"), ("workflow/w/after", "skip")]
    );
    let path = document(
        dir.path(),
        "      - stepId: readJob\n        operationId: JobRouterOperations_GetJob\n",
    );
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let finding = &report.workflows[0].steps[0].findings[0];
    assert_eq!(
        (
            finding.check,
            finding.seen.as_str(),
            finding.basis.as_ref().map(|b| b.pointer.as_str())
        ),
        (
            "request",
            "operation `JobRouterOperations_GetJob` needs the path parameter `jobId`, which the step does not give and the spec gives no default for",
            Some("/workflows/0/steps/0/parameters")
        )
    );
}

/// Three workflows: `setup` makes a policy, `main` depends on it, makes a
/// queue with it and runs `reader` as a step, ending through a success
/// action of `components`.
const COMPOSED: &str = "arazzo: 1.0.1
info: {title: composed, version: '1'}
sourceDescriptions:
  - {name: router, url: ../../../spec/jobrouter/communicationservicejobrouter.json}
components:
  parameters:
    apiVersion: {name: api-version, in: query, value: '2023-11-01'}
  successActions:
    finish: {name: finish, type: end}
workflows:
  - workflowId: setup
    inputs:
      type: object
      properties:
        runId: {type: string}
        missing: {type: boolean, default: false}
    steps:
      - stepId: policy
        operationId: JobRouterAdministrationOperations_UpsertDistributionPolicy
        parameters:
          - reference: $components.parameters.apiVersion
          - {name: distributionPolicyId, in: path, value: 'p-{$inputs.runId}'}
        requestBody:
          contentType: application/merge-patch+json
          payload: {offerExpiresAfterSeconds: 60, mode: {kind: longestIdle}}
        successCriteria:
          - condition: $statusCode == 201 && !$inputs.missing
        outputs:
          id: $response.body#/id
    outputs:
      policyId: $steps.policy.outputs.id
  - workflowId: main
    dependsOn: [setup]
    parameters:
      - reference: $components.parameters.apiVersion
    steps:
      - stepId: queue
        operationId: JobRouterAdministrationOperations_UpsertQueue
        parameters:
          - {name: queueId, in: path, value: q-1}
        requestBody:
          contentType: application/merge-patch+json
          payload: {distributionPolicyId: $workflows.setup.outputs.policyId}
        successCriteria: [{condition: $statusCode == 201}]
        outputs:
          id: $response.body#/id
      - stepId: read
        workflowId: reader
        parameters:
          - {name: queueId, value: $steps.queue.outputs.id}
        onSuccess:
          - reference: $components.successActions.finish
      - stepId: never
        operationId: JobRouterAdministrationOperations_GetQueue
        parameters: [{name: queueId, in: path, value: q-1}]
    outputs:
      policy: $steps.read.outputs.policy
  - workflowId: reader
    inputs:
      type: object
      properties: {queueId: {type: string}}
      required: [queueId]
    steps:
      - stepId: get
        operationId: JobRouterAdministrationOperations_GetQueue
        parameters:
          - reference: $components.parameters.apiVersion
          - {name: queueId, in: path, value: $inputs.queueId}
        successCriteria:
          - context: $response.body
            condition: $[?@ == 'q-1']
            type: jsonpath
        outputs:
          policy: $response.body#/distributionPolicyId
    outputs:
      policy: $steps.get.outputs.policy
";

fn composed(dir: &std::path::Path) -> Workflows {
    let workflows_dir = dir.join("a/b/c");
    std::fs::create_dir_all(&workflows_dir).unwrap_or_else(|e| panic!("{e}"));
    // The source is written relative to the Arazzo file: three folders up
    // from `tests/workflows/` is the repository; here a link stands in.
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    std::os::unix::fs::symlink(spec, dir.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let path = workflows_dir.join("composed.arazzo.yaml");
    std::fs::write(&path, COMPOSED).unwrap_or_else(|e| panic!("{e}"));
    let mut workflows = workflows(&path, "composed.arazzo.yaml");
    workflows.only = vec!["main".to_owned()];
    workflows
}

#[tokio::test]
async fn depends_on_workflow_steps_and_components_run_in_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let report = run(&composed(dir.path()), 3).await;
    let order: Vec<&str> = report.workflows.iter().map(|w| w.id.as_str()).collect();
    // `reader` runs inside `main`'s step, so it finishes first.
    assert_eq!(order, ["setup", "reader", "main"]);
    assert_eq!(
        steps(&report),
        [
            ("workflow/setup/policy", "pass"),
            ("workflow/reader/get", "pass"),
            ("workflow/main/queue", "pass"),
            ("workflow/main/read", "pass"),
            ("workflow/main/never", "skip"),
        ]
    );
    let never = &report.workflows[2].steps[2];
    assert_eq!(
        never.skipped.as_deref(),
        Some("not run: step `read` ended the workflow")
    );
}

#[tokio::test]
async fn a_workflow_whose_dependency_failed_is_not_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut workflows = composed(dir.path());
    workflows.inputs = vec![("missing".to_owned(), serde_json::json!(true))];
    let report = run(&workflows, 3).await;
    assert_eq!(
        steps(&report),
        [
            ("workflow/setup/policy", "fail"),
            ("workflow/main/queue", "skip"),
            ("workflow/main/read", "skip"),
            ("workflow/main/never", "skip"),
        ]
    );
    assert_eq!(
        report.workflows[1].steps[0].skipped.as_deref(),
        Some("not run: workflow `setup`, which this one depends on, failed")
    );
    assert_eq!(
        (report.passed(), report.failed(), report.skipped()),
        (0, 1, 3)
    );
}

#[tokio::test]
async fn every_report_shows_each_workflow_as_a_suite_of_its_steps() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(
        dir.path(),
        &format!(
            "{READ_JOB}      - stepId: after\n        operationId: JobRouterOperations_GetJob\n        parameters: [{{name: jobId, in: path, value: x}}]\n"
        ),
    );
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let stable = support::stable(&report);
    let port = report.endpoint.trim_end_matches('/').to_owned();
    let human = report::human(&stable, Colour::Never).replace(&port, "http://127.0.0.1:[port]");
    insta::assert_snapshot!("a_failed_workflow_in_the_human_report", human);

    let junit = report::junit(&stable);
    assert!(
        !junit.contains(r#"<testsuite name="w.arazzo.yaml""#),
        "{junit}"
    );
    assert!(
        junit.contains(
            r#"<testsuite name="workflow/w" tests="2" skipped="1" errors="0" failures="1""#
        ),
        "{junit}"
    );
    assert!(
        junit.contains(r#"<testcase name="workflow/w/readJob" classname="workflow/w""#),
        "{junit}"
    );
    assert!(
        junit.contains(
            r#"<skipped message="not run: step `readJob` failed and ended the workflow"/>"#
        ),
        "{junit}"
    );

    let json: serde_json::Value = serde_json::from_str(&report::json(&stable)).unwrap_or_default();
    assert_eq!(json["workflows"][0]["outcome"], "fail");
    assert_eq!(json["workflows"][0]["steps"][1]["outcome"], "skip");
    assert_eq!(json["summary"]["skipped"], 1);
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../report.schema.json")).unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

#[tokio::test]
async fn a_retry_that_runs_out_falls_through_to_cleanup() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps_text = format!(
        "{READ_JOB}        onFailure:
          - {{name: wait, type: retry, retryAfter: 0.01, retryLimit: 2}}
          - {{name: cleanUp, type: goto, stepId: cleanup}}
      - stepId: never
        operationId: JobRouterOperations_GetJob
        parameters: [{{name: jobId, in: path, value: x}}]
      - stepId: cleanup
        operationId: JobRouterOperations_DeleteJob
        parameters: [{{name: jobId, in: path, value: gone}}]
"
    );
    let path = document(dir.path(), &steps_text);
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    assert_eq!(
        steps(&report),
        [
            ("workflow/w/readJob", "fail"),
            ("workflow/w/never", "skip"),
            ("workflow/w/cleanup", "pass")
        ]
    );
    assert_eq!(
        report.workflows[0].steps[0].findings[0].seen,
        "`$statusCode` is 404 (after 3 attempts)"
    );
}

/// A server that refuses twice, then answers, recording each request's
/// `Authorization` header.
async fn third_time_lucky() -> (std::net::SocketAddr, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let router = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let record = record.clone();
        async move {
            let mut seen = record.lock().unwrap_or_else(|e| e.into_inner());
            let auth = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none");
            seen.push(auth.to_owned());
            let status = if seen.len() < 3 { 503 } else { 200 };
            (
                axum::http::StatusCode::from_u16(status).unwrap_or_default(),
                [
                    ("content-type", "application/json"),
                    ("x-ms-request-id", "r"),
                ],
                r#"{"etag": "e", "id": "j", "status": "closed"}"#,
            )
        }
    });
    (support::serve(router).await, seen)
}

#[tokio::test]
async fn a_retried_step_is_sent_and_signed_again_each_time() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps_text = "      - stepId: readJob
        operationId: JobRouterOperations_GetJob
        parameters: [{name: jobId, in: path, value: j}]
        successCriteria: [{condition: $statusCode == 200}]
        onFailure: [{name: again, type: retry, retryAfter: 0, retryLimit: 5}]
";
    let path = document(dir.path(), steps_text);
    let given = workflows(&path, "w.arazzo.yaml");
    let (address, seen) = third_time_lucky().await;
    let key = openapi_runtime::AccessKey::from_base64::<()>("c2VjcmV0")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut options = support::options(std::time::Duration::from_secs(5));
    options.auth = Auth::AccessKey(key);
    let url = url::Url::parse(&format!("http://{address}")).unwrap_or_else(|e| panic!("{e}"));
    let target = Target::new(url, options).unwrap_or_else(|e| panic!("{e}"));
    let results = given
        .run(&target, conformance::report::Rules::default(), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let step = &results[0].steps[0];
    let findings: Vec<String> = step
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.check, f.seen))
        .collect();
    assert_eq!(findings, Vec::<String>::new());
    assert_eq!((step.status, step.passed()), (Some(200), true));
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|auth| auth.starts_with("HMAC-SHA256 SignedHeaders=")),
        "{seen:?}"
    );
}

#[test]
fn deep_nesting_and_huge_files_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let deep = format!(
        "      - stepId: s\n        operationId: JobRouterOperations_GetJob\n        requestBody: {{payload: {}{}}}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let path = document(dir.path(), &deep);
    let error = Workflows::load(&path, "w.arazzo.yaml")
        .err()
        .map(|e| e.to_string());
    assert!(
        error.as_deref().is_some_and(|e| e
            .ends_with("not valid YAML: flow collections (`[`, `{`) nested more than 128 deep")),
        "{error:?}"
    );
    let huge = dir.path().join("huge.arazzo.yaml");
    std::fs::write(&huge, " ".repeat(5 * 1024 * 1024)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Workflows::load(&huge, "huge.arazzo.yaml")
            .err()
            .map(|e| e.to_string()),
        Some(
            "huge.arazzo.yaml: 5242880 bytes; Arazzo files are read up to 4194304 bytes".to_owned()
        )
    );
    let wrong_version = dir.path().join("v.arazzo.yaml");
    std::fs::write(&wrong_version, "arazzo: 1.1.0\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Workflows::load(&wrong_version, "v.arazzo.yaml").err().map(|e| e.to_string()),
        Some("v.arazzo.yaml:1:1 (/arazzo): `arazzo: 1.1.0`: this runner reads Arazzo 1.0.x documents".to_owned())
    );
}

#[tokio::test]
async fn a_step_polled_through_a_goto_back_to_it_is_judged_by_its_last_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps_text = "      - stepId: readJob
        operationId: JobRouterOperations_GetJob
        parameters: [{name: jobId, in: path, value: j}]
        successCriteria: [{condition: $statusCode == 200}]
        onFailure: [{name: poll, type: goto, stepId: readJob}]
";
    let path = document(dir.path(), steps_text);
    let given = workflows(&path, "w.arazzo.yaml");
    let (address, seen) = third_time_lucky().await;
    let url = url::Url::parse(&format!("http://{address}")).unwrap_or_else(|e| panic!("{e}"));
    let target = Target::new(url, support::options(std::time::Duration::from_secs(5)))
        .unwrap_or_else(|e| panic!("{e}"));
    let results = given
        .run(&target, conformance::report::Rules::default(), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seen.lock().unwrap_or_else(|e| e.into_inner()).len(), 3);
    let step = &results[0].steps[0];
    assert_eq!((step.status, step.passed()), (Some(200), true));
}

#[tokio::test]
async fn advisory_criteria_are_warnings_and_the_workflow_goes_on() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(
        dir.path(),
        &format!(
            "{READ_JOB}      - stepId: after\n        operationId: JobRouterOperations_GetJob\n        parameters: [{{name: jobId, in: path, value: x}}]\n"
        ),
    );
    let settings = conformance::suite::Settings {
        rules: report::Rules::parse("spec,azure,inferred,workflow=warning")
            .unwrap_or_else(|e| panic!("{e}")),
        ..support::settings()
    };
    let report = conformance::suite::run_embedded_all(
        None,
        &workflows(&path, "w.arazzo.yaml"),
        &settings,
        None,
        support::options(std::time::Duration::from_secs(5)),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .report;
    assert_eq!(
        steps(&report),
        [("workflow/w/readJob", "pass"), ("workflow/w/after", "pass")]
    );
    let severities: Vec<&str> = report.workflows[0].steps[0]
        .findings
        .iter()
        .map(|f| f.severity.as_str())
        .collect();
    assert_eq!(severities, ["warning", "warning"]);
}
