//! Running Arazzo workflows against the built-in emulator, for the
//! workflow tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use conformance::report::{CaseResult, Report};
use conformance::suite;
use conformance::workflow::Workflows;

use super::{options, settings};

/// The small lifecycle workflow of `tests/workflows/`.
pub fn lifecycle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workflows/lifecycle.arazzo.yaml")
}

/// Loads `path`, labelled as the command line would name it.
pub fn workflows(path: &Path, label: &str) -> Workflows {
    Workflows {
        plans: vec![Workflows::load(path, label).unwrap_or_else(|e| panic!("{e}"))],
        ..Workflows::default()
    }
}

/// Runs `workflows` against a fresh emulator with `seed`.
pub async fn run(workflows: &Workflows, seed: u64) -> Report {
    let settings = conformance::suite::Settings {
        inputs: conformance::cases::Inputs {
            params: Vec::new(),
            seed,
        },
        ..settings()
    };
    suite::run_embedded_all(
        None,
        workflows,
        &settings,
        None,
        options(Duration::from_secs(10)),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .report
}

/// Each step's name and `pass`, `fail` or `skip`.
pub fn steps(report: &Report) -> Vec<(&str, &str)> {
    report
        .workflows
        .iter()
        .flat_map(|w| &w.steps)
        .map(|s: &CaseResult| {
            let outcome = match (&s.skipped, s.passed()) {
                (Some(_), _) => "skip",
                (None, true) => "pass",
                (None, false) => "fail",
            };
            (s.name.as_str(), outcome)
        })
        .collect()
}

/// A workflow `w` of `steps` written to `dir`, calling the repository's
/// Job Router spec; it declares inputs `runId` and `size` (default 3) and
/// sends `api-version` with every step.
pub fn document(dir: &Path, steps: &str) -> PathBuf {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/jobrouter/communicationservicejobrouter.json");
    let text = format!(
        "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions:
  - {{name: router, url: '{}', type: openapi}}
workflows:
  - workflowId: w
    inputs:
      type: object
      properties:
        runId: {{type: string}}
        size: {{type: integer, default: 3}}
    parameters:
      - {{name: api-version, in: query, value: '2023-11-01'}}
    steps:
{steps}",
        spec.display()
    );
    let path = dir.join("w.arazzo.yaml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// A step reading a job that does not exist, with two criteria.
pub const READ_JOB: &str = "      - stepId: readJob
        operationId: JobRouterOperations_GetJob
        parameters: [{name: jobId, in: path, value: 'nope-{$inputs.runId}'}]
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/error/code == 'Completed' || $statusCode == 200
";

/// The `conformance` binary's output for `args`.
pub fn conformance(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}
