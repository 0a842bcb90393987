//! A whole run: check the spec's examples, build the cases, send each one
//! (starting the embedded endpoint's state afresh before each), check the
//! answers, and gather the report.

use std::time::Instant;

use crate::cases::{self, Case, Inputs, Trust};
use crate::check::examples::check_examples;
use crate::check::{self, Context};
use crate::curl::{curl, redacted_url};
use crate::report::{CaseResult, Finding, Report};
use crate::rules::Rules;
use crate::run::{Failure, Target, TargetOptions};
use crate::schema::Schemas;
use crate::seeds::Seeds;
use crate::spec::{Operation, Spec};
use crate::workflow::Workflows;
use job_router_emulator::{self as reference, ReferenceServer};
use serde_json::Value;

/// What to run beyond the spec and the target.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub inputs: Inputs,
    /// `--only`: case names, or prefixes of them ending at a `/`.
    pub only: Vec<String>,
    /// Which sources' rules apply, and how much (`--rules`, `--no-azure`).
    pub rules: Rules,
    /// `--partition K/N`: run only this part of the selected cases.
    pub partition: Option<Partition>,
    pub notices: Vec<String>,
    /// `--fixtures`: the built-in endpoint's state per operation.
    pub seeds: Seeds,
}

/// Part `part` of `of` (1-based), as cargo-nextest's `--partition count:K/N`:
/// the selected cases, in run order, dealt out one by one, so every part
/// keeps the run order and the parts together are exactly the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub part: usize,
    pub of: usize,
}

impl Partition {
    /// `K/N` (or nextest's `count:K/N`), with 1 <= K <= N.
    pub fn parse(text: &str) -> Result<Partition, String> {
        let numbers = text.strip_prefix("count:").unwrap_or(text);
        let parsed = numbers
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((part, of)) if part >= 1 && part <= of => Ok(Partition { part, of }),
            _ => Err(format!(
                "`{text}`: give K/N with 1 <= K <= N (e.g. 1/2 and 2/2 on two machines)"
            )),
        }
    }

    /// Whether the case at `index` (0-based, among the selected ones) is
    /// in this part.
    pub fn takes(self, index: usize) -> bool {
        index % self.of == self.part - 1
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.part, self.of)
    }
}

/// How a run went.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    /// No request got through to the endpoint at all.
    pub unreachable: bool,
}

/// The endpoint under test.
pub struct Endpoint<'a> {
    pub target: &'a Target,
    /// Starts the endpoint's state afresh for a case of the operation
    /// (an operationId) given (the embedded endpoint only).
    pub reset: Option<&'a (dyn Fn(&str) + Sync)>,
    pub embedded: bool,
}

/// Why nothing was run.
#[derive(Debug, thiserror::Error)]
#[error("no case matches --only {pattern}; the cases are:\n  {}", names.join("\n  "))]
pub struct NoSuchCase {
    pub pattern: String,
    pub names: Vec<String>,
}

/// Every case name of the spec under the settings' rules, in run order
/// (only the partition's, with `--partition`).
pub fn case_names(spec: &Spec, settings: &Settings) -> Vec<String> {
    let schemas = Schemas::new(&spec.document);
    let (checks, cases) = plan(spec, &schemas, settings);
    let names = checks
        .into_iter()
        .map(|c| c.name)
        .chain(cases.into_iter().map(|c| c.name));
    match settings.partition {
        Some(partition) => names
            .enumerate()
            .filter(|(index, _)| partition.takes(*index))
            .map(|(_, name)| name)
            .collect(),
        None => names.collect(),
    }
}

/// The spec's example checks (already results) and the cases to send, in
/// run order.
pub fn plan(spec: &Spec, schemas: &Schemas, settings: &Settings) -> (Vec<CaseResult>, Vec<Case>) {
    let checks = check_examples(spec, schemas);
    let trust = Trust {
        untrusted_responses: checks
            .iter()
            .filter(|c| !c.response_body_valid)
            .map(|c| (c.operation, c.example.clone()))
            .collect(),
        probe_bodies: spec
            .operations
            .iter()
            .enumerate()
            .filter_map(|(index, op)| Some((index, probe_body(op, schemas)?)))
            .collect(),
    };
    let cases = cases::cases(spec, &settings.inputs, settings.rules, &trust);
    (checks.into_iter().map(|c| c.result).collect(), cases)
}

/// The body probes of `operation` start from, when its first documented
/// body breaks the schema: the first documented body that fits as it is,
/// or once the properties the schema refuses are left out; else `{}` if
/// that fits; else none (`Err`, and the probes that would send it say so).
fn probe_body(operation: &Operation, schemas: &Schemas) -> Option<Result<Value, String>> {
    let schema = operation.body.as_ref()?.schema.as_ref()?;
    let mut bodies = operation.examples.iter().filter_map(|e| e.body.as_ref());
    let fits = |value: &Value| schemas.problems(schema, value).is_ok_and(|p| p.is_empty());
    if fits(&bodies.clone().next()?.value) {
        return None;
    }
    let empty = Value::Object(serde_json::Map::new());
    Some(
        bodies
            .find_map(|body| match fits(&body.value) {
                true => Some(body.value.clone()),
                false => schemas.fitting(schema, &body.value),
            })
            .or_else(|| fits(&empty).then_some(empty))
            .ok_or_else(|| {
                "every documented request body of this operation breaks its schema (see its \
                 spec-example cases), with or without the properties it refuses, and `{}` \
                 does too"
                    .to_owned()
            }),
    )
}

fn selected(settings: &Settings, name: &str) -> bool {
    settings.only.is_empty() || settings.only.iter().any(|only| names_case(only, name))
}

/// Whether `--only pattern` takes case `name`: the name itself, or a
/// prefix of it ending at a `/`.
fn names_case(pattern: &str, name: &str) -> bool {
    name.strip_prefix(pattern)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Starts the reference endpoint on 127.0.0.1 (requiring `access_key`
/// when given), runs the spec's cases against it, resetting its state to
/// the case's operation's seed before each, and stops it.
pub async fn run_embedded(
    spec: &Spec,
    settings: &Settings,
    access_key: Option<reference::AccessKey>,
    options: TargetOptions,
) -> Result<Outcome, String> {
    run_embedded_all(
        Some(spec),
        &Workflows::default(),
        settings,
        access_key,
        options,
    )
    .await
}

/// [`run_embedded`] for the cases of `spec` (when given) and then
/// `workflows`, against one emulator: the workflows meet the state the
/// cases left, and create what they need themselves.
pub async fn run_embedded_all(
    spec: Option<&Spec>,
    workflows: &Workflows,
    settings: &Settings,
    access_key: Option<reference::AccessKey>,
    options: TargetOptions,
) -> Result<Outcome, String> {
    let config = reference::Config {
        fixtures: settings.seeds.shared().clone(),
        access_key,
        ..reference::Config::default()
    };
    let server = ReferenceServer::start(([127, 0, 0, 1], 0).into(), config)
        .await
        .map_err(|e| format!("cannot start the reference endpoint on 127.0.0.1: {e}"))?;
    let url = url::Url::parse(&server.url()).map_err(|e| e.to_string())?;
    let target = Target::new(url, options)?;
    let handle = server.handle().clone();
    let seeds = &settings.seeds;
    let reset = move |operation: &str| handle.reset_to(seeds.for_operation(operation));
    let endpoint = Endpoint {
        target: &target,
        reset: Some(&reset),
        embedded: true,
    };
    let outcome = run_all(spec, workflows, settings, &endpoint).await;
    // The run is over; a failure to stop cleanly changes nothing in it.
    let _ = server.shutdown().await;
    outcome
}

/// Runs the cases of `spec` (when given), then `workflows`, against
/// `endpoint`, in one report.
pub async fn run_all(
    spec: Option<&Spec>,
    workflows: &Workflows,
    settings: &Settings,
    endpoint: &Endpoint<'_>,
) -> Result<Outcome, String> {
    let started = Instant::now();
    let mut outcome = match spec {
        Some(spec) => run(spec, settings, endpoint)
            .await
            .map_err(|e| e.to_string())?,
        None => Outcome {
            report: Report {
                spec: workflows.files().join(", "),
                endpoint: redacted_url(endpoint.target.endpoint()),
                embedded: endpoint.embedded,
                seed: settings.inputs.seed,
                notices: settings.notices.clone(),
                rules: settings.rules,
                partition: settings.partition,
                cases: Vec::new(),
                workflows: Vec::new(),
                duration: started.elapsed(),
            },
            unreachable: false,
        },
    };
    // Workflows change what they touch, so with `--partition` they run in
    // the first part only.
    if !workflows.is_empty() && settings.partition.is_none_or(|p| p.part == 1) {
        let results = workflows
            .run(endpoint.target, settings.rules, settings.inputs.seed)
            .await?;
        let sent: Vec<&CaseResult> = results
            .iter()
            .flat_map(|w| &w.steps)
            .filter(|s| s.request_line.is_some())
            .collect();
        // Without cases, unreachable means no step got an answer.
        if spec.is_none() {
            outcome.unreachable = !sent.is_empty() && sent.iter().all(|s| s.status.is_none());
        }
        outcome.report.workflows = results;
    }
    outcome.report.duration = started.elapsed();
    Ok(outcome)
}

/// Runs the spec's cases against `endpoint`.
pub async fn run(
    spec: &Spec,
    settings: &Settings,
    endpoint: &Endpoint<'_>,
) -> Result<Outcome, NoSuchCase> {
    let started = Instant::now();
    let schemas = Schemas::new(&spec.document);
    let (checks, cases) = plan(spec, &schemas, settings);
    for only in &settings.only {
        let names = || {
            checks
                .iter()
                .map(|c| &c.name)
                .chain(cases.iter().map(|c| &c.name))
        };
        if !names().any(|name| names_case(only, name)) {
            return Err(NoSuchCase {
                pattern: only.clone(),
                names: names().cloned().collect(),
            });
        }
    }
    let context = Context {
        spec,
        schemas: &schemas,
        rules: settings.rules,
        max_body: endpoint.target.max_body(),
    };
    // `--only`, then `--partition` over what is left, checks and cases as
    // one list in run order.
    let mut index = 0;
    let mut in_part = |name: &str| {
        if !selected(settings, name) {
            return false;
        }
        index += 1;
        settings.partition.is_none_or(|p| p.takes(index - 1))
    };
    let mut results: Vec<CaseResult> = checks.into_iter().filter(|c| in_part(&c.name)).collect();
    let cases: Vec<&Case> = cases.iter().filter(|c| in_part(&c.name)).collect();
    let (mut sent, mut unreachable) = (0, 0);
    for case in cases {
        if let Some(reset) = endpoint.reset {
            reset(&spec.operations[case.operation].id);
        }
        let case_started = Instant::now();
        let request = match &case.request {
            Ok(request) => request,
            Err(why) => {
                results.push(unsent(spec, settings.rules, case, why, case_started));
                continue;
            }
        };
        let (out, outcome) = endpoint.target.send(request).await;
        sent += 1;
        if matches!(outcome, Err(Failure::Unreachable(_))) {
            unreachable += 1;
        }
        let url = &out.url;
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        results.push(CaseResult {
            name: case.name.clone(),
            kind: case.kind,
            summary: case.summary.clone(),
            request_line: Some(format!("{} {}{query}", request.method, url.path())),
            status: outcome.as_ref().ok().map(|a| a.status),
            findings: check::check(&context, case, &outcome),
            curl: Some(curl(request, &out)),
            duration: case_started.elapsed(),
            skipped: None,
        });
    }
    let report = Report {
        spec: spec.file.clone(),
        endpoint: redacted_url(endpoint.target.endpoint()),
        embedded: endpoint.embedded,
        seed: settings.inputs.seed,
        notices: settings.notices.clone(),
        rules: settings.rules,
        partition: settings.partition,
        cases: results,
        workflows: Vec::new(),
        duration: started.elapsed(),
    };
    Ok(Outcome {
        report,
        unreachable: sent > 0 && unreachable == sent,
    })
}

/// A case whose request could not be built: an example is an error (a
/// documented example that cannot be replayed), a probe a warning. Either
/// is about the document, which lacks a value.
fn unsent(spec: &Spec, rules: Rules, case: &Case, why: &str, started: Instant) -> CaseResult {
    let operation = &spec.operations[case.operation];
    let finding = Finding::spec(
        "request",
        "a request built from the spec".to_owned(),
        why.to_owned(),
        spec.basis(&operation.pointer),
    );
    let finding = if case.kind == crate::report::CaseKind::Example {
        finding
    } else {
        finding.warning()
    };
    CaseResult {
        name: case.name.clone(),
        kind: case.kind,
        summary: case.summary.clone(),
        request_line: None,
        status: None,
        findings: rules.apply(finding).into_iter().collect(),
        curl: None,
        duration: started.elapsed(),
        skipped: None,
    }
}
