//! Runs workflows: each step's request sent through the tester's
//! [`Target`], its answer judged by the same checks as a case plus the
//! step's success criteria, then `onSuccess` / `onFailure` (`end`, `goto`,
//! `retry`) decide what runs next. Every loop is bounded: a step retries at
//! most [`MAX_ATTEMPTS`](super::plan::MAX_ATTEMPTS) times, a workflow runs
//! at most [`MAX_STEP_RUNS`] steps, workflows call each other at most
//! [`MAX_DEPTH`] deep.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::criteria;
use super::document::{Criterion, FailureAction, SuccessAction, Workflow};
use super::expression::{self, Components, Exchange, Scope};
use super::plan::{self, Plan, Target};
use super::request;
use crate::cases::{Case, Expect};
use crate::check::{self, Context};
use crate::curl::curl;
use crate::report::{CaseKind, CaseResult, Finding, Severity, WorkflowResult};
use crate::rules::Rules;
use crate::run::{self, Answer, Failure};
use crate::spec::join;

/// The most step runs (retries and `goto`s included) one workflow makes.
pub const MAX_STEP_RUNS: usize = 1000;
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
enum Next {
    Continue,
    Step(usize),
    Workflow(usize),
    End,
}

/// One step's run.
struct StepRun {
    result: CaseResult,
    outputs: Option<Map<String, Value>>,
    failed: bool,
    next: Next,
}

/// What the runs so far left for later ones to read.
struct State {
    /// `$workflows.<id>`: `{"inputs": ..., "outputs": ...}`.
    workflows: BTreeMap<String, Map<String, Value>>,
    results: Vec<WorkflowResult>,
    sources: BTreeMap<String, String>,
    components: Components,
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
        };
        let mut failed: Vec<&str> = Vec::new();
        for &index in order {
            let workflow = &self.plan.workflows()[index];
            let inputs = plan::inputs(self.plan, index, self.inputs, self.run_id)?;
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
        let (mut failed, mut runs, mut step) = (false, 0, 0);
        let mut stopped = "no step sent the workflow to it".to_owned();
        while step < workflow.steps.len() {
            runs += 1;
            let step_at = join(&join(&at, "steps"), step);
            let id = &workflow.steps[step].step_id;
            if runs > MAX_STEP_RUNS {
                let finding = Finding::workflow(
                    "workflow-loop",
                    format!("a workflow that ends within {MAX_STEP_RUNS} step runs"),
                    format!("step `{id}` was about to run again"),
                    self.plan.arazzo.basis(&step_at),
                );
                records[step] = Some(bare(workflow, id, vec![finding]));
                failed = true;
                stopped = format!("the workflow was stopped after {MAX_STEP_RUNS} step runs");
                break;
            }
            let run = self.step(index, step, &inputs, &steps, depth, state).await;
            if let Some(outputs) = run.outputs {
                steps.insert(
                    id.clone(),
                    Map::from_iter([("outputs".to_owned(), Value::Object(outputs))]),
                );
            }
            records[step] = Some(run.result);
            failed |= run.failed;
            step = match run.next {
                Next::Continue => step + 1,
                Next::Step(next) => next,
                Next::Workflow(next) => {
                    stopped = format!(
                        "step `{id}` went to workflow `{}`",
                        self.plan.workflows()[next].workflow_id
                    );
                    let inputs =
                        plan::inputs(self.plan, next, &[], self.run_id).unwrap_or_default();
                    if depth + 1 < MAX_DEPTH {
                        failed |= !Box::pin(self.workflow(next, inputs, depth + 1, state)).await;
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
        let scope = Scope {
            inputs: &inputs,
            outputs: &Map::new(),
            steps: &steps,
            workflows: &state.workflows,
            sources: &state.sources,
            components: &state.components,
            exchange: None,
        };
        let mut outputs = Map::new();
        if !failed {
            for (name, written) in &workflow.outputs {
                match expression::value(&Value::String(written.clone()), &scope) {
                    Ok(value) => {
                        outputs.insert(name.clone(), value);
                    }
                    Err(e) => {
                        failed = true;
                        let finding = Finding::workflow(
                            "outputs",
                            format!("workflow output `{name}` to have a value"),
                            e.to_string(),
                            self.plan.arazzo.basis(&join(&join(&at, "outputs"), name)),
                        );
                        if let Some(last) = records.iter_mut().rev().flatten().next() {
                            last.findings.push(finding);
                        }
                    }
                }
            }
        }
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

    /// Runs step `at` of workflow `index`, retrying as its failure actions
    /// say; only the last attempt is reported.
    async fn step(
        &self,
        index: usize,
        at: usize,
        inputs: &Map<String, Value>,
        steps: &BTreeMap<String, Map<String, Value>>,
        depth: usize,
        state: &mut State,
    ) -> StepRun {
        let workflow = &self.plan.workflows()[index];
        let step = &workflow.steps[at];
        let pointer = join(&join(&join("/workflows", index), "steps"), at);
        if let Target::Workflow(child) = self.plan.targets[index][at] {
            return self
                .call(workflow, step, &pointer, child, inputs, steps, depth, state)
                .await;
        }
        let mut attempts = 0u64;
        loop {
            attempts += 1;
            let started = Instant::now();
            let scope = Scope {
                inputs,
                outputs: &Map::new(),
                steps,
                workflows: &state.workflows,
                sources: &state.sources,
                components: &state.components,
                exchange: None,
            };
            let (mut result, exchange) = self.attempt(index, at, &pointer, &scope).await;
            let scope = Scope {
                exchange: exchange.as_ref(),
                ..scope
            };
            let mut failed = result.failed();
            let mut outputs = Map::new();
            if !failed {
                for (name, written) in &step.outputs {
                    match expression::value(&Value::String(written.clone()), &scope) {
                        Ok(value) => {
                            outputs.insert(name.clone(), value);
                        }
                        Err(e) => result.findings.extend(
                            self.rules.apply(Finding::workflow(
                                "outputs",
                                format!("step output `{name}` to have a value"),
                                e.to_string(),
                                self.plan
                                    .arazzo
                                    .basis(&join(&join(&pointer, "outputs"), name)),
                            )),
                        ),
                    }
                }
                failed = result.failed();
            }
            result.duration = started.elapsed();
            if !failed {
                let next = self.on_success(workflow, step, &scope);
                return StepRun {
                    result,
                    outputs: Some(outputs),
                    failed,
                    next,
                };
            }
            let action = self.on_failure(workflow, step, &scope);
            if let Some(action) = action.filter(|a| a.kind == "retry")
                && attempts <= action.retry_limit.unwrap_or(1)
            {
                let after = action.retry_after.unwrap_or(0.0);
                tokio::time::sleep(Duration::from_secs_f64(after)).await;
                continue;
            }
            if attempts > 1 {
                for finding in result
                    .findings
                    .iter_mut()
                    .filter(|f| f.severity == Severity::Error)
                {
                    finding
                        .seen
                        .push_str(&format!(" (after {attempts} attempts)"));
                }
            }
            let next = match action {
                Some(action) if action.kind == "goto" => {
                    self.goto(workflow, &action.step_id, &action.workflow_id)
                }
                _ => Next::End,
            };
            return StepRun {
                result,
                outputs: None,
                failed,
                next,
            };
        }
    }

    /// One attempt of an operation step: build, send, check, criteria.
    async fn attempt(
        &self,
        index: usize,
        at: usize,
        pointer: &str,
        scope: &Scope<'_>,
    ) -> (CaseResult, Option<Exchange>) {
        let workflow = &self.plan.workflows()[index];
        let step = &workflow.steps[at];
        let Target::Operation(target) = self.plan.targets[index][at] else {
            return (bare(workflow, &step.step_id, Vec::new()), None);
        };
        let source = &self.plan.sources[target.source];
        let operation = &source.spec.operations[target.operation];
        let built = match request::build(
            self.plan,
            workflow,
            step,
            pointer,
            (&source.spec, operation),
            scope,
        ) {
            Ok(built) => built,
            Err((place, why)) => {
                let finding = Finding::workflow(
                    "request",
                    format!(
                        "a request for operation `{}` built from the step",
                        operation.id
                    ),
                    why,
                    self.plan.arazzo.basis(&place),
                );
                return (
                    bare(
                        workflow,
                        &step.step_id,
                        self.rules.apply(finding).into_iter().collect(),
                    ),
                    None,
                );
            }
        };
        let case = Case {
            name: case_name(workflow, &step.step_id),
            kind: CaseKind::Step,
            summary: summary(workflow, &step.step_id, step.description.as_deref()),
            operation: target.operation,
            request: Ok(built.request.clone()),
            expect: Expect::Step,
            changes_state: true,
            method_declared: true,
        };
        let (sent, outcome) = self.target.send(&built.request).await;
        let context = Context {
            spec: &source.spec,
            schemas: &source.schemas,
            rules: self.rules,
            max_body: self.target.max_body(),
        };
        let mut findings = check::check(&context, &case, &outcome);
        let exchange = exchange(&built, &sent, &outcome);
        let scope = Scope {
            exchange: Some(&exchange),
            ..*scope
        };
        for (n, criterion) in step.success_criteria.iter().enumerate() {
            let place = join(&join(pointer, "successCriteria"), n);
            if let Some(finding) = self.unmet(criterion, &place, &scope) {
                findings.extend(self.rules.apply(finding));
            }
        }
        let url = &sent.url;
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let result = CaseResult {
            request_line: Some(format!("{} {}{query}", built.request.method, url.path())),
            status: outcome.as_ref().ok().map(|a| a.status),
            curl: Some(curl(&built.request, &sent)),
            findings,
            ..bare(workflow, &step.step_id, Vec::new())
        };
        (result, Some(exchange))
    }

    /// A step that runs another workflow: its parameters are that
    /// workflow's inputs; it passes when the workflow does.
    #[allow(clippy::too_many_arguments)]
    async fn call(
        &self,
        workflow: &Workflow,
        step: &super::document::Step,
        pointer: &str,
        child: usize,
        inputs: &Map<String, Value>,
        steps: &BTreeMap<String, Map<String, Value>>,
        depth: usize,
        state: &mut State,
    ) -> StepRun {
        let started = Instant::now();
        let child_id = self.plan.workflows()[child].workflow_id.clone();
        let scope = Scope {
            inputs,
            outputs: &Map::new(),
            steps,
            workflows: &state.workflows,
            sources: &state.sources,
            components: &state.components,
            exchange: None,
        };
        let mut given = Vec::new();
        let mut problem = None;
        for (n, parameter) in step.parameters.iter().enumerate() {
            let Some(parameter) = self.plan.parameter(parameter) else {
                continue;
            };
            match expression::value(&parameter.value, &scope) {
                Ok(value) => given.push((parameter.name.clone(), value)),
                Err(e) => {
                    problem = Some((
                        join(&join(&join(pointer, "parameters"), n), "value"),
                        e.to_string(),
                    ))
                }
            }
        }
        let child_inputs = match problem {
            Some(problem) => Err(problem),
            None => plan::inputs(self.plan, child, &given, self.run_id)
                .map_err(|e| (join(pointer, "parameters"), e)),
        };
        let outcome = match child_inputs {
            Err(problem) => Err(problem),
            Ok(_) if depth + 1 >= MAX_DEPTH => Err((
                join(pointer, "workflowId"),
                format!("workflows call each other more than {MAX_DEPTH} deep"),
            )),
            Ok(child_inputs) => {
                match Box::pin(self.workflow(child, child_inputs, depth + 1, state)).await {
                    true => Ok(()),
                    false => Err((
                        join(pointer, "workflowId"),
                        format!("workflow `{child_id}` failed (see its steps)"),
                    )),
                }
            }
        };
        let mut findings = Vec::new();
        if let Err((place, why)) = outcome {
            findings.extend(self.rules.apply(Finding::workflow(
                "workflow",
                format!("workflow `{child_id}` to succeed"),
                why,
                self.plan.arazzo.basis(&place),
            )));
        }
        let mut result = bare(workflow, &step.step_id, findings);
        result.duration = started.elapsed();
        let failed = result.failed();
        let outputs = state
            .workflows
            .get(&child_id)
            .and_then(|w| w.get("outputs"))
            .and_then(Value::as_object)
            .cloned();
        let scope = Scope {
            inputs,
            outputs: &Map::new(),
            steps,
            workflows: &state.workflows,
            sources: &state.sources,
            components: &state.components,
            exchange: None,
        };
        let next = if failed {
            match self.on_failure(workflow, step, &scope) {
                Some(action) if action.kind == "goto" => {
                    self.goto(workflow, &action.step_id, &action.workflow_id)
                }
                _ => Next::End,
            }
        } else {
            self.on_success(workflow, step, &scope)
        };
        StepRun {
            result,
            outputs: if failed { None } else { outputs },
            failed,
            next,
        }
    }

    /// A finding when `criterion` is not met (or cannot be evaluated).
    fn unmet(&self, criterion: &Criterion, place: &str, scope: &Scope<'_>) -> Option<Finding> {
        let seen = match criteria::evaluate(criterion, scope) {
            Ok(verdict) if verdict.met => return None,
            Ok(verdict) => verdict.seen,
            Err(why) => why,
        };
        Some(Finding::workflow(
            "success-criteria",
            criterion.condition.clone(),
            seen,
            self.plan.arazzo.basis(place),
        ))
    }

    /// The first success action (the step's own, else the workflow's)
    /// whose criteria hold, as where to go.
    fn on_success(
        &self,
        workflow: &Workflow,
        step: &super::document::Step,
        scope: &Scope<'_>,
    ) -> Next {
        let own = if step.on_success.is_empty() {
            &workflow.success_actions
        } else {
            &step.on_success
        };
        let action = own
            .iter()
            .filter_map(|a| self.plan.success_action(a))
            .find(|a| holds(&a.criteria, scope));
        match action {
            Some(SuccessAction {
                kind,
                step_id,
                workflow_id,
                ..
            }) if kind == "goto" => self.goto(workflow, step_id, workflow_id),
            Some(_) => Next::End,
            None => Next::Continue,
        }
    }

    fn on_failure<'p>(
        &'p self,
        workflow: &'p Workflow,
        step: &'p super::document::Step,
        scope: &Scope<'_>,
    ) -> Option<&'p FailureAction> {
        let own = if step.on_failure.is_empty() {
            &workflow.failure_actions
        } else {
            &step.on_failure
        };
        own.iter()
            .filter_map(|a| self.plan.failure_action(a))
            .find(|a| holds(&a.criteria, scope))
    }

    fn goto(&self, workflow: &Workflow, step: &Option<String>, target: &Option<String>) -> Next {
        if let Some(step) = step
            && let Some(at) = workflow.steps.iter().position(|s| &s.step_id == step)
        {
            return Next::Step(at);
        }
        match target
            .as_deref()
            .and_then(|id| self.plan.workflow_index(id))
        {
            Some(index) => Next::Workflow(index),
            None => Next::End,
        }
    }
}

/// Whether every criterion holds (one that cannot be evaluated does not).
fn holds(criteria: &[Criterion], scope: &Scope<'_>) -> bool {
    criteria
        .iter()
        .all(|c| criteria::evaluate(c, scope).is_ok_and(|v| v.met))
}

/// `workflow/<workflowId>/<stepId>`: the case name of a step.
pub fn case_name(workflow: &Workflow, step: &str) -> String {
    format!("workflow/{}/{step}", workflow.workflow_id)
}

fn summary(workflow: &Workflow, step: &str, description: Option<&str>) -> String {
    description
        .map(|d| d.lines().next().unwrap_or("").trim().to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("step `{step}` of workflow `{}`", workflow.workflow_id))
}

/// A step's result with nothing sent yet.
fn bare(workflow: &Workflow, step: &str, findings: Vec<Finding>) -> CaseResult {
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

/// What expressions read of an exchange.
fn exchange(
    built: &request::Built,
    sent: &run::Sent,
    outcome: &Result<Answer, Failure>,
) -> Exchange {
    let answer = outcome.as_ref().ok();
    Exchange {
        url: sent.url.to_string(),
        method: built.request.method.clone(),
        request_headers: sent.headers.clone(),
        path: built.path.clone(),
        query: built.request.query.clone(),
        request_body: built.body.clone(),
        status: answer.map(|a| a.status),
        response_headers: answer.map(|a| a.headers.clone()).unwrap_or_default(),
        response_body: answer.filter(|a| !a.body.is_empty()).map(|a| {
            serde_json::from_slice(&a.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&a.body).into_owned()))
        }),
    }
}
