//! One step of a workflow: its attempts (an operation's request built,
//! sent, checked as a case and judged by the step's success criteria, or
//! another workflow run), its outputs, and where its success and failure
//! actions send the workflow next. A retry re-sends (and re-signs) the
//! request; only the last attempt is reported.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::criteria;
use super::document::{Criterion, FailureAction, SuccessAction, Workflow};
use super::execute::{MAX_RUN_WAIT, Next, Runner, State, StepRun, bare, case_name, summary};
use super::expression::{self, Exchange, Scope};
use super::plan::Target;
use super::request;
use crate::cases::{Case, Expect};
use crate::check::{self, Context};
use crate::curl::curl;
use crate::report::{CaseKind, CaseResult, Finding, Severity};
use crate::run::{self, Answer, Failure};
use crate::spec::join;

/// What a failed step does.
enum AfterFailure {
    /// Try again after this many seconds.
    Retry(f64),
    Go(Next),
}

/// One attempt's result, what it exchanged (an operation step) and what
/// the workflow it ran gave (a workflow step).
struct Attempt {
    result: CaseResult,
    exchange: Option<Exchange>,
    called: Option<Map<String, Value>>,
}

impl Runner<'_> {
    /// Runs step `at` of workflow `index`, retrying as its failure actions
    /// say.
    pub(super) async fn step(
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
        let mut attempts = 0u64;
        loop {
            attempts += 1;
            let started = Instant::now();
            let Attempt {
                mut result,
                exchange,
                called,
            } = match self.plan.targets[index][at] {
                Target::Workflow(child) => {
                    self.call(workflow, step, &pointer, child, inputs, steps, depth, state)
                        .await
                }
                Target::Operation(_) => {
                    self.attempt(index, at, &pointer, &state.scope(inputs, steps))
                        .await
                }
            };
            let scope = Scope {
                exchange: exchange.as_ref(),
                ..state.scope(inputs, steps)
            };
            let outputs = match (result.failed(), &called) {
                (true, _) => None,
                // A workflow step without outputs of its own passes on the workflow's.
                (false, Some(called)) if step.outputs.is_empty() => Some(called.clone()),
                (false, _) => Some(self.outputs(step, &pointer, &scope, &mut result)),
            };
            result.duration = started.elapsed();
            let failed = result.failed();
            if !failed {
                let next = self.on_success(workflow, step, &scope);
                return StepRun {
                    result,
                    outputs,
                    failed,
                    next,
                    attempts,
                };
            }
            let mut spent = "";
            let next = match self.on_failure(workflow, step, &scope, attempts) {
                AfterFailure::Retry(after) if state.waited + after <= MAX_RUN_WAIT => {
                    state.waited += after;
                    tokio::time::sleep(Duration::from_secs_f64(after)).await;
                    continue;
                }
                AfterFailure::Retry(_) => {
                    spent = "; retries stopped: the run's waits reached their cap";
                    match self.on_failure(workflow, step, &scope, u64::MAX) {
                        AfterFailure::Go(next) => next,
                        AfterFailure::Retry(_) => Next::End,
                    }
                }
                AfterFailure::Go(next) => next,
            };
            if attempts > 1 {
                let errors = result.findings.iter_mut();
                for finding in errors.filter(|f| f.severity == Severity::Error) {
                    finding
                        .seen
                        .push_str(&format!(" (after {attempts} attempts{spent})"));
                }
            }
            return StepRun {
                result,
                outputs: None,
                failed,
                next,
                attempts,
            };
        }
    }

    /// The step's `outputs`; one without a value is a finding on `result`.
    fn outputs(
        &self,
        step: &super::document::Step,
        pointer: &str,
        scope: &Scope<'_>,
        result: &mut CaseResult,
    ) -> Map<String, Value> {
        let mut outputs = Map::new();
        for (name, written) in &step.outputs {
            match expression::value(&Value::String(written.clone()), scope) {
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
                            .basis(&join(&join(pointer, "outputs"), name)),
                    )),
                ),
            }
        }
        outputs
    }

    /// One attempt of an operation step: build, send, check, criteria.
    async fn attempt(&self, index: usize, at: usize, pointer: &str, scope: &Scope<'_>) -> Attempt {
        let workflow = &self.plan.workflows()[index];
        let step = &workflow.steps[at];
        let unsent = |findings| Attempt {
            result: bare(workflow, &step.step_id, findings),
            exchange: None,
            called: None,
        };
        let Target::Operation(target) = self.plan.targets[index][at] else {
            return unsent(Vec::new());
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
                return unsent(self.rules.apply(finding).into_iter().collect());
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
        Attempt {
            result: CaseResult {
                request_line: Some(format!("{} {}{query}", built.request.method, url.path())),
                status: outcome.as_ref().ok().map(|a| a.status),
                curl: Some(curl(&built.request, &sent)),
                findings,
                ..bare(workflow, &step.step_id, Vec::new())
            },
            exchange: Some(exchange),
            called: None,
        }
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
    ) -> Attempt {
        let child_id = self.plan.workflows()[child].workflow_id.clone();
        let mut given = Vec::new();
        let mut outcome = Ok(());
        for (n, parameter) in step.parameters.iter().enumerate() {
            let Some(parameter) = self.plan.parameter(parameter) else {
                continue;
            };
            match expression::value(&parameter.value, &state.scope(inputs, steps)) {
                Ok(value) => given.push((parameter.name.clone(), value)),
                Err(e) => {
                    let place = join(&join(&join(pointer, "parameters"), n), "value");
                    outcome = Err((place, e.to_string()));
                }
            }
        }
        if outcome.is_ok() {
            outcome = self
                .enter(child, &given, depth, state)
                .await
                .map_err(|why| (join(pointer, "workflowId"), why));
        }
        let findings = match outcome {
            Ok(()) => Vec::new(),
            Err((place, why)) => self
                .rules
                .apply(Finding::workflow(
                    "workflow",
                    format!("workflow `{child_id}` to succeed"),
                    why,
                    self.plan.arazzo.basis(&place),
                ))
                .into_iter()
                .collect(),
        };
        Attempt {
            result: bare(workflow, &step.step_id, findings),
            exchange: None,
            called: state
                .workflows
                .get(&child_id)
                .and_then(|w| w.get("outputs"))
                .and_then(Value::as_object)
                .cloned(),
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
    /// whose criteria hold, as where to go; none: the next step.
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

    /// Of the failure actions (the step's own, else the workflow's) whose
    /// criteria hold: the first, if it is a retry with attempts left; else
    /// the first `goto` or `end` (so a retry that runs out falls through
    /// to, say, a `goto` to cleanup); none: the workflow ends.
    fn on_failure(
        &self,
        workflow: &Workflow,
        step: &super::document::Step,
        scope: &Scope<'_>,
        attempts: u64,
    ) -> AfterFailure {
        let own = if step.on_failure.is_empty() {
            &workflow.failure_actions
        } else {
            &step.on_failure
        };
        let holding: Vec<&FailureAction> = own
            .iter()
            .filter_map(|a| self.plan.failure_action(a))
            .filter(|a| holds(&a.criteria, scope))
            .collect();
        if let Some(retry) = holding.first().filter(|a| a.kind == "retry")
            && attempts <= retry.retry_limit.unwrap_or(1)
        {
            return AfterFailure::Retry(retry.retry_after.unwrap_or(0.0));
        }
        AfterFailure::Go(match holding.iter().find(|a| a.kind != "retry") {
            Some(action) if action.kind == "goto" => {
                self.goto(workflow, &action.step_id, &action.workflow_id)
            }
            _ => Next::End,
        })
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
