//! Arazzo workflows run against the built-in emulator: a whole job
//! lifecycle, and the ways a step fails (a criterion not met, a failure
//! that jumps to cleanup, bounded retries), inputs refused, determinism.

mod support;

use std::path::Path;

use conformance::report::{Report, Source};
use conformance::workflow::Workflows;
use support::arazzo::{self, READ_JOB, conformance, document, lifecycle, run, workflows};

#[tokio::test]
async fn a_job_goes_from_creation_to_closed_through_every_step() {
    let report = run(&workflows(&lifecycle(), "lifecycle.arazzo.yaml"), 7).await;
    let failures: Vec<String> = report
        .workflows
        .iter()
        .flat_map(|w| &w.steps)
        .flat_map(|s| {
            s.findings
                .iter()
                .map(move |f| format!("{}: {} / {}", s.name, f.expected, f.seen))
        })
        .collect();
    assert_eq!(failures, Vec::<String>::new());
    let names = [
        "createPolicy",
        "createQueue",
        "createWorker",
        "createJob",
        "readOffer",
        "accept",
        "complete",
        "close",
        "readBack",
    ]
    .map(|step| format!("workflow/lifecycle/{step}"));
    let expected: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "pass")).collect();
    assert_eq!(arazzo::steps(&report), expected);
    let run_id = conformance::workflow::run_id(7);
    let close = &report.workflows[0].steps[7];
    assert_eq!(close.status, Some(200));
    let line = close.request_line.as_deref().unwrap_or("");
    assert!(
        line.starts_with(&format!("POST /routing/jobs/job-{run_id}/assignments/"))
            && line.ends_with(":close?api-version=2023-11-01"),
        "{line}"
    );
    assert_eq!(report.failed(), 0);
}

#[tokio::test]
async fn an_unmet_criterion_is_a_finding_naming_the_step_the_condition_and_its_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(dir.path(), READ_JOB);
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let step = &report.workflows[0].steps[0];
    assert_eq!(step.name, "workflow/w/readJob");
    assert_eq!(step.status, Some(404));
    let criteria: Vec<_> = step
        .findings
        .iter()
        .filter(|f| f.check == "success-criteria")
        .map(|f| {
            (
                f.source,
                f.expected.as_str(),
                f.seen.as_str(),
                f.basis.as_ref().map(|b| b.to_string()),
            )
        })
        .collect();
    assert_eq!(
        criteria,
        [
            (
                Source::Workflow,
                "$statusCode == 200",
                "`$statusCode` is 404",
                Some("w.arazzo.yaml:19:13 (/workflows/0/steps/0/successCriteria/0)".to_owned())
            ),
            (
                Source::Workflow,
                "$response.body#/error/code == 'Completed' || $statusCode == 200",
                "`$response.body#/error/code` is \"NotFound\", `$statusCode` is 404",
                Some("w.arazzo.yaml:20:13 (/workflows/0/steps/0/successCriteria/1)".to_owned())
            )
        ]
    );
    assert!(
        step.curl
            .as_deref()
            .is_some_and(|c| c.starts_with("curl -i -X GET"))
    );
    assert_eq!(report.failed(), 1);
}

#[tokio::test]
async fn a_failed_step_jumps_to_cleanup_and_skips_the_rest() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps = format!(
        "{READ_JOB}        onFailure:
          - {{name: cleanUp, type: goto, stepId: cleanup}}
      - stepId: never
        operationId: JobRouterOperations_GetJob
        parameters: [{{name: jobId, in: path, value: x}}]
      - stepId: cleanup
        operationId: JobRouterOperations_DeleteJob
        parameters: [{{name: jobId, in: path, value: 'nope-{{$inputs.runId}}'}}]
        successCriteria: [{{condition: $statusCode == 204}}]
"
    );
    let path = document(dir.path(), &steps);
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    assert_eq!(
        arazzo::steps(&report),
        [
            ("workflow/w/readJob", "fail"),
            ("workflow/w/never", "skip"),
            ("workflow/w/cleanup", "pass")
        ]
    );
    assert_eq!(
        report.workflows[0].steps[1].skipped.as_deref(),
        Some("not run: no step sent the workflow to it")
    );
}

#[tokio::test]
async fn retries_are_resent_bounded_and_told() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let steps = format!(
        "{READ_JOB}        onFailure:
          - {{name: again, type: retry, retryAfter: 0.01, retryLimit: 2}}
      - stepId: after
        operationId: JobRouterOperations_GetJob
        parameters: [{{name: jobId, in: path, value: x}}]
"
    );
    let path = document(dir.path(), &steps);
    let report = run(&workflows(&path, "w.arazzo.yaml"), 1).await;
    let step = &report.workflows[0].steps[0];
    assert_eq!(
        step.findings[0].seen,
        "`$statusCode` is 404 (after 3 attempts)"
    );
    assert_eq!(
        report.workflows[0].steps[1].skipped.as_deref(),
        Some("not run: step `readJob` failed and ended the workflow")
    );
}

#[test]
fn retries_past_the_wait_cap_and_unknown_targets_are_refused_naming_the_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            format!(
                "{READ_JOB}        onFailure:\n          - {{name: r, type: retry, retryAfter: 1e300, retryLimit: 2}}\n"
            ),
            "w.arazzo.yaml:22:36 (/workflows/0/steps/0/onFailure/0/retryAfter): retryAfter × retryLimit passes the 300 s one step may wait in all",
        ),
        (
            format!(
                "{READ_JOB}        onFailure:\n          - {{name: r, type: retry, retryLimit: 100000}}\n"
            ),
            "w.arazzo.yaml:22:36 (/workflows/0/steps/0/onFailure/0/retryLimit): `retryLimit: 100000`: at most 99 retries of one step",
        ),
        (
            READ_JOB.replace("JobRouterOperations_GetJob", "NoSuchOperation"),
            "w.arazzo.yaml:16:9 (/workflows/0/steps/0/operationId): no source description has an operation `NoSuchOperation`",
        ),
        (
            format!(
                "{READ_JOB}        onSuccess:\n          - {{name: g, type: goto, stepId: nowhere}}\n"
            ),
            "w.arazzo.yaml:22:35 (/workflows/0/steps/0/onSuccess/0/stepId): no step `nowhere` in workflow `w`",
        ),
        (
            READ_JOB.replace("successCriteria", "sucessCriteria"),
            "w.arazzo.yaml:15:9 (/workflows/0/steps/0): `sucessCriteria` is not an Arazzo 1.0 field (extensions start with `x-`)",
        ),
    ];
    for (steps, expected) in cases {
        let path = document(dir.path(), &steps);
        let error = Workflows::load(&path, "w.arazzo.yaml")
            .err()
            .map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some(expected), "{steps}");
    }
}

#[test]
fn an_input_no_workflow_declares_or_its_schema_refuses_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(dir.path(), READ_JOB);
    let mut given = workflows(&path, "w.arazzo.yaml");
    given.inputs = vec![("nope".to_owned(), serde_json::json!(1))];
    assert_eq!(
        given.check(1),
        Err(
            "--input nope: no workflow to run declares an input `nope` (in `inputs.properties`)"
                .to_owned()
        )
    );
    given.inputs = vec![("size".to_owned(), serde_json::json!("big"))];
    assert_eq!(
        given.check(1),
        Err("w.arazzo.yaml: the inputs of workflow `w` break its schema: /size: \"big\" is not of type \"integer\"".to_owned())
    );
}

/// The JSON report with what changes between runs taken out: durations,
/// the port, and the ids the emulator itself makes up (offers,
/// assignments: random UUIDs).
fn normalized(report: &Report) -> serde_json::Value {
    let mut value: serde_json::Value =
        serde_json::from_str(&conformance::report::json(report)).unwrap_or_default();
    fn walk(value: &mut serde_json::Value, port: &str) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if key == "duration_ms" {
                        *item = serde_json::Value::Null;
                    } else {
                        walk(item, port);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, port)),
            serde_json::Value::String(text) => {
                let uuid = regex::Regex::new(
                    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                )
                .unwrap_or_else(|e| panic!("{e}"));
                *text = uuid
                    .replace_all(&text.replace(port, "PORT"), "UUID")
                    .into_owned();
            }
            _ => {}
        }
    }
    let port = value["endpoint"].as_str().unwrap_or("").to_owned();
    walk(&mut value, &port);
    value
}

#[tokio::test]
async fn the_same_seed_gives_the_same_requests_and_report() {
    let given = workflows(&lifecycle(), "lifecycle.arazzo.yaml");
    let (first, second, other) = (
        run(&given, 11).await,
        run(&given, 11).await,
        run(&given, 12).await,
    );
    assert_eq!(normalized(&first), normalized(&second));
    let first_line = |r: &Report| r.workflows[0].steps[0].request_line.clone();
    assert_eq!(first_line(&first), first_line(&second));
    assert_ne!(first_line(&first), first_line(&other));
}

#[test]
fn the_command_line_lists_runs_and_refuses_as_documented() {
    let file = lifecycle();
    let file = file.to_str().unwrap_or_default();
    let listed = conformance(&["--workflow", file, "--list"]);
    assert_eq!(listed.status.code(), Some(0));
    let names = String::from_utf8_lossy(&listed.stdout);
    assert!(
        names.starts_with("workflow/lifecycle/createPolicy\nworkflow/lifecycle/createQueue\n")
            && names.ends_with("workflow/lifecycle/readBack\n")
            && !names.contains("JobRouterOperations_CloseJob"),
        "{names}"
    );

    let ran = conformance(&[
        "--workflow",
        file,
        "--workflow-id",
        "lifecycle",
        "--input",
        "runId=\"cli-1\"",
    ]);
    let human = String::from_utf8_lossy(&ran.stdout);
    assert_eq!(ran.status.code(), Some(0), "{human}");
    assert!(human.contains("\nworkflow lifecycle ("), "{human}");
    assert!(
        human.contains("PASS  workflow/lifecycle/close  [200]\n"),
        "{human}"
    );
    assert!(
        human.contains("9 cases: 9 passed, 0 failed, 0 warnings in "),
        "{human}"
    );

    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/close-job.yaml");
    let spec = spec.to_str().unwrap_or_default();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = conformance(
            &[
                &["--format", "json", "--spec", spec, "--workflow", file],
                args,
            ]
            .concat(),
        );
        serde_json::from_slice(&out.stdout).unwrap_or_default()
    };
    let counts = |report: &serde_json::Value| {
        (
            report["cases"].as_array().map_or(0, Vec::len),
            report["workflows"].as_array().map_or(0, Vec::len),
        )
    };
    // --only names whole workflows as `workflow/<id>`, cases as ever.
    assert_eq!(counts(&json(&["--only", "workflow/lifecycle"])), (0, 1));
    assert_eq!(
        counts(&json(&["--only", "JobRouterOperations_CloseJob/example"])),
        (1, 0)
    );
    // With --partition, workflows run in the first part only.
    assert_eq!(counts(&json(&["--partition", "2/2"])).1, 0);
    assert_eq!(counts(&json(&["--partition", "1/2"])).1, 1);

    let unknown = conformance(&["--workflow", file, "--input", "nope=1"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: --input nope: no workflow to run declares an input `nope` (in `inputs.properties`)\n"
    );
    let no_such = conformance(&["--workflow", file, "--workflow-id", "other"]);
    assert_eq!(no_such.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&no_such.stderr)
            .contains("error: no workflow `other` (--workflow-id, --only) in ")
    );
}

#[test]
fn a_failing_step_fails_the_run_with_exit_1_and_a_reproduce_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = document(dir.path(), READ_JOB);
    let out = conformance(&["--workflow", path.to_str().unwrap_or_default()]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(human.contains("FAIL  workflow/w/readJob  [404]\n  workflow error[success-criteria]: expected $statusCode == 200; saw `$statusCode` is 404\n"), "{human}");
    assert!(human.contains("  reproduce: curl -i -X GET "), "{human}");
}

#[test]
fn the_default_run_adds_the_shipped_workflow_when_the_repository_has_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::create_dir_all(dir.path().join("spec/jobrouter")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        repository.join("spec/close-job.yaml"),
        dir.path().join("spec/close-job.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let listed = |dir: &Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_conformance"))
            .arg("--list")
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let without = listed(dir.path());
    assert!(!without.contains("workflow/"), "{without}");
    // The shipped workflow's place, here holding the small lifecycle one.
    let text = std::fs::read_to_string(lifecycle()).unwrap_or_else(|e| panic!("{e}"));
    let source = repository.join("spec/jobrouter/communicationservicejobrouter.json");
    let text = text.replace(
        "../../../spec/jobrouter/communicationservicejobrouter.json",
        &source.display().to_string(),
    );
    std::fs::write(
        dir.path().join("spec/jobrouter/close-job.arazzo.yaml"),
        text,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let with = listed(dir.path());
    assert!(
        with.starts_with(&without) && with.ends_with("workflow/lifecycle/readBack\n"),
        "{with}"
    );
}
