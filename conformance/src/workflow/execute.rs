//! Runs workflows: in order, each after those it depends on; within one,
//! step after step (`step` runs each) as their actions send it, until the
//! last step, an `end`, or a failure nothing handles; then the workflow's
//! outputs, and the steps never reached reported as not run. Every loop is
//! bounded: a step retries at most
//! [`MAX_ATTEMPTS`](super::plan::MAX_ATTEMPTS) times, the workflows of a
//! document run at most [`MAX_STEP_RUNS`] steps in all (so loops inside
//! workflows that call each other cannot multiply), a run waits at most [`MAX_RUN_WAIT`]
//! seconds between retries, workflows call each other at most
//! [`MAX_DEPTH`] deep.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::document::Workflow;
use super::expression::{self, Components, Scope};
use super::inputs;
use super::plan::Plan;
use crate::report::{CaseKind, CaseResult, Finding, WorkflowResult};
use crate::rules::Rules;
use crate::run;
use crate::spec::join;

/// The most step runs (retries and `goto`s included) the workflows of one
/// document make in all.
pub const MAX_STEP_RUNS: u64 = 1000;
/// The longest a whole run waits between retries, in all (seconds): a
/// `goto` loop over a retrying step cannot wait for ever.
pub const MAX_RUN_WAIT: f64 = 900.0;
/// How deep workflows may call workflows (steps with a `workflowId`).
pub const MAX_DEPTH: usize = 8;

/// What a run of workflows needs besides the plan.
pub struct Runner<'a> {
    pub plan: &'a Plan,
    pub target: &'a run::Target,
    pub rules: Rules,
    /// `--input`, for the workflows run at the top.
    pub inputs: &'a [(String, Value)],
    pub run_id: &'a str,
}

/// Where a step sends the workflow.
pub(super) enum Next {
    Continue,
    Step(usize),
    Workflow(usize),
    End,
}

/// One step's run.
pub(super) struct StepRun {
    pub(super) result: CaseResult,
    pub(super) outputs: Option<Map<String, Value>>,
    pub(super) failed: bool,
    pub(super) next: Next,
    /// How many times the step was sent (its retries included).
    pub(super) attempts: u64,
}

/// What the runs so far left for later ones to read.
pub(super) struct State {
    /// `$workflows.<id>`: `{"inputs": ..., "outputs": ...}`.
    pub(super) workflows: BTreeMap<String, Map<String, Value>>,
    results: Vec<WorkflowResult>,
    pub(super) sources: BTreeMap<String, String>,
    pub(super) components: Components,
    /// `$outputs` while a workflow runs: its outputs come at its end.
    no_outputs: Map<String, Value>,
    /// Seconds waited between retries so far, against [`MAX_RUN_WAIT`].
    pub(super) waited: f64,
    /// Step runs so far, against [`MAX_STEP_RUNS`].
    runs: u64,
}

impl State {
    /// What expressions see outside any exchange.
    pub(super) fn scope<'a>(
        &'a self,
        inputs: &'a Map<String, Value>,
        steps: &'a BTreeMap<String, Map<String, Value>>,
    ) -> Scope<'a> {
        Scope {
            inputs,
            outputs: &self.no_outputs,
            steps,
            workflows: &self.workflows,
            sources: &self.sources,
            components: &self.components,
            exchange: None,
        }
    }
}

impl Runner<'_> {
    /// Runs `order` (workflow indexes, dependencies first); a workflow
    /// whose dependency failed is reported with every step not run.
    pub async fn run(&self, order: &[usize]) -> Result<Vec<WorkflowResult>, String> {
        let document = &self.plan.arazzo.document;
        let mut state = State {
            workflows: BTreeMap::new(),
            results: Vec::new(),
            sources: super::sources::urls(&self.plan.sources),
            components: Components {
                inputs: document.components.inputs.clone().into_iter().collect(),
                parameters: document
                    .components
                    .parameters
                    .iter()
                    .map(|(name, p)| (name.clone(), p.value.clone()))
                    .collect(),
            },
            no_outputs: Map::new(),
            waited: 0.0,
            runs: 0,
        };
        let mut failed: Vec<&str> = Vec::new();
        for &index in order {
            let workflow = &self.plan.workflows()[index];
            let inputs = inputs::inputs(self.plan, index, self.inputs, self.run_id)?;
            if let Some(dependency) = workflow
                .depends_on
                .iter()
                .find(|d| failed.contains(&d.as_str()))
            {
                state.results.push(not_run(
                    workflow,
                    &self.plan.arazzo.file,
                    &format!("workflow `{dependency}`, which this one depends on, failed"),
                ));
                failed.push(&workflow.workflow_id);
                continue;
            }
            if !Box::pin(self.workflow(index, inputs, 0, &mut state)).await {
                failed.push(&workflow.workflow_id);
            }
        }
        Ok(state.results)
    }

    /// Runs one workflow; whether it passed. Its result goes into `state`.
    async fn workflow(
        &self,
        index: usize,
        inputs: Map<String, Value>,
        depth: usize,
        state: &mut State,
    ) -> bool {
        let started = Instant::now();
        let workflow = &self.plan.workflows()[index];
        let at = join("/workflows", index);
        let mut records: Vec<Option<CaseResult>> = vec![None; workflow.steps.len()];
        let mut steps: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        let (mut step, mut last) = (0, None);
        let mut stopped = "no step sent the workflow to it".to_owned();
        while step < workflow.steps.len() {
            let step_at = join(&join(&at, "steps"), step);
            let id = &workflow.steps[step].step_id;
            if state.runs >= MAX_STEP_RUNS {
                let finding = Finding::workflow(
                    "workflow-loop",
                    format!("workflows that end within {MAX_STEP_RUNS} step runs in all"),
                    format!("step `{id}` was about to run again"),
                    self.plan.arazzo.basis(&step_at),
                );
                records[step] = Some(bare(workflow, id, vec![finding]));
                stopped = format!("the run was stopped after {MAX_STEP_RUNS} step runs");
                break;
            }
            let run = self.step(index, step, &inputs, &steps, depth, state).await;
            state.runs += run.attempts;
            if let Some(outputs) = run.outputs {
                steps.insert(
                    id.clone(),
                    Map::from_iter([("outputs".to_owned(), Value::Object(outputs))]),
                );
            }
            records[step] = Some(run.result);
            last = Some(step);
            step = match run.next {
                Next::Continue => step + 1,
                Next::Step(next) => next,
                Next::Workflow(next) => {
                    stopped = format!(
                        "step `{id}` went to workflow `{}`",
                        self.plan.workflows()[next].workflow_id
                    );
                    if let Err(why) = self.enter(next, &[], depth, state).await
                        && let Some(record) = &mut records[step]
                    {
                        record.findings.extend(self.rules.apply(Finding::workflow(
                            "workflow",
                            format!(
                                "workflow `{}` to succeed",
                                self.plan.workflows()[next].workflow_id
                            ),
                            why,
                            self.plan.arazzo.basis(&step_at),
                        )));
                    }
                    break;
                }
                Next::End => {
                    stopped = if run.failed {
                        format!("step `{id}` failed and ended the workflow")
                    } else {
                        format!("step `{id}` ended the workflow")
                    };
                    break;
                }
            };
        }
        // A step that failed and was run again (a `goto` back to it) is
        // judged by its last run.
        let mut failed = records.iter().flatten().any(CaseResult::failed);
        let scope = state.scope(&inputs, &steps);
        let mut outputs = Map::new();
        for (name, written) in workflow.outputs.iter().filter(|_| !failed) {
            match expression::value(&Value::String(written.clone()), &scope) {
                Ok(value) => {
                    outputs.insert(name.clone(), value);
                }
                // Told on the last step run, the one the workflow ended at.
                Err(e) => {
                    let finding = self.rules.apply(Finding::workflow(
                        "outputs",
                        format!("workflow output `{name}` to have a value"),
                        e.to_string(),
                        self.plan.arazzo.basis(&join(&join(&at, "outputs"), name)),
                    ));
                    if let Some(record) = last.and_then(|at| records[at].as_mut()) {
                        record.findings.extend(finding);
                    }
                }
            }
        }
        failed |= records.iter().flatten().any(CaseResult::failed);
        state.workflows.insert(
            workflow.workflow_id.clone(),
            Map::from_iter([
                ("inputs".to_owned(), Value::Object(inputs.clone())),
                ("outputs".to_owned(), Value::Object(outputs)),
            ]),
        );
        let steps = records
            .into_iter()
            .zip(&workflow.steps)
            .map(|(record, step)| {
                record.unwrap_or_else(|| CaseResult {
                    skipped: Some(format!("not run: {stopped}")),
                    ..bare(workflow, &step.step_id, Vec::new())
                })
            })
            .collect();
        state.results.push(WorkflowResult {
            id: workflow.workflow_id.clone(),
            file: self.plan.arazzo.file.clone(),
            summary: workflow
                .summary
                .clone()
                .unwrap_or_else(|| workflow.workflow_id.clone()),
            steps,
            duration: started.elapsed(),
        });
        !failed
    }

    /// Runs workflow `child` from a step of a workflow `depth` deep, with
    /// `given` inputs; `Err` says why it did not succeed.
    pub(super) async fn enter(
        &self,
        child: usize,
        given: &[(String, Value)],
        depth: usize,
        state: &mut State,
    ) -> Result<(), String> {
        let id = &self.plan.workflows()[child].workflow_id;
        if depth + 1 >= MAX_DEPTH {
            return Err(format!(
                "workflows call each other more than {MAX_DEPTH} deep"
            ));
        }
        let inputs = inputs::inputs(self.plan, child, given, self.run_id)?;
        match Box::pin(self.workflow(child, inputs, depth + 1, state)).await {
            true => Ok(()),
            false => Err(format!("workflow `{id}` failed (see its steps)")),
        }
    }
}

/// `workflow/<workflowId>/<stepId>`: the case name of a step.
pub fn case_name(workflow: &Workflow, step: &str) -> String {
    format!("workflow/{}/{step}", workflow.workflow_id)
}

pub(super) fn summary(workflow: &Workflow, step: &str, description: Option<&str>) -> String {
    description
        .map(|d| d.lines().next().unwrap_or("").trim().to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("step `{step}` of workflow `{}`", workflow.workflow_id))
}

/// A step's result with nothing sent yet.
pub(super) fn bare(workflow: &Workflow, step: &str, findings: Vec<Finding>) -> CaseResult {
    let description = workflow
        .steps
        .iter()
        .find(|s| s.step_id == step)
        .and_then(|s| s.description.as_deref());
    CaseResult {
        name: case_name(workflow, step),
        kind: CaseKind::Step,
        summary: summary(workflow, step, description),
        request_line: None,
        status: None,
        findings,
        curl: None,
        duration: Duration::ZERO,
        skipped: None,
    }
}

/// A workflow none of whose steps ran.
fn not_run(workflow: &Workflow, file: &str, why: &str) -> WorkflowResult {
    WorkflowResult {
        id: workflow.workflow_id.clone(),
        file: file.to_owned(),
        summary: workflow
            .summary
            .clone()
            .unwrap_or_else(|| workflow.workflow_id.clone()),
        steps: workflow
            .steps
            .iter()
            .map(|step| CaseResult {
                skipped: Some(format!("not run: {why}")),
                ..bare(workflow, &step.step_id, Vec::new())
            })
            .collect(),
        duration: Duration::ZERO,
    }
}
