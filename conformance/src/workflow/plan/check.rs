//! The checks a document passes before any request: ids unique, targets
//! found, references resolved, criteria compiled, retries within the caps,
//! inputs schemas compiled. Each failure names its pointer.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::criteria;
use super::super::document::{
    Criterion, FailureAction, Parameter, Reusable, Step, SuccessAction, Workflow,
};
use super::super::sources;
use super::{MAX_ATTEMPTS, MAX_WAIT, Plan, Target};
use crate::spec::join;

impl Plan {
    pub(super) fn check(&mut self) -> Result<(), (String, String)> {
        let workflows = &self.arazzo.document.workflows;
        let mut ids = BTreeSet::new();
        for (index, workflow) in workflows.iter().enumerate() {
            let at = join("/workflows", index);
            if !ids.insert(workflow.workflow_id.as_str()) {
                return Err((
                    join(&at, "workflowId"),
                    format!("a second workflow `{}`", workflow.workflow_id),
                ));
            }
        }
        let mut targets = Vec::new();
        let mut inputs = Vec::new();
        for (index, workflow) in workflows.iter().enumerate() {
            let at = join("/workflows", index);
            for (n, dependency) in workflow.depends_on.iter().enumerate() {
                if !ids.contains(dependency.as_str()) {
                    return Err((
                        join(&join(&at, "dependsOn"), n),
                        format!("no workflow `{dependency}`"),
                    ));
                }
            }
            self.no_cycle(index, &mut Vec::new()).map_err(|cycle| {
                (
                    join(&at, "dependsOn"),
                    format!("workflows depend on each other: {cycle}"),
                )
            })?;
            inputs.push(self.inputs_schema(workflow, &at)?);
            self.parameters(&workflow.parameters, true, &join(&at, "parameters"))?;
            self.actions(
                workflow,
                &workflow.success_actions,
                &workflow.failure_actions,
                &at,
                ("successActions", "failureActions"),
            )?;
            let mut step_ids = BTreeSet::new();
            let mut step_targets = Vec::new();
            for (n, step) in workflow.steps.iter().enumerate() {
                let step_at = join(&join(&at, "steps"), n);
                if !step_ids.insert(step.step_id.as_str()) {
                    return Err((
                        join(&step_at, "stepId"),
                        format!("a second step `{}`", step.step_id),
                    ));
                }
                step_targets.push(self.step(workflow, step, &step_at)?);
            }
            targets.push(step_targets);
        }
        self.targets = targets;
        self.inputs = inputs;
        Ok(())
    }

    fn no_cycle(&self, index: usize, path: &mut Vec<usize>) -> Result<(), String> {
        if path.contains(&index) {
            path.push(index);
            let names: Vec<&str> = path
                .iter()
                .map(|i| self.workflows()[*i].workflow_id.as_str())
                .collect();
            return Err(names.join(" → "));
        }
        path.push(index);
        for dependency in &self.workflows()[index].depends_on {
            if let Some(dependency) = self.workflow_index(dependency) {
                self.no_cycle(dependency, path)?;
            }
        }
        path.pop();
        Ok(())
    }

    fn inputs_schema(
        &self,
        workflow: &Workflow,
        at: &str,
    ) -> Result<Option<(Value, jsonschema::Validator)>, (String, String)> {
        let Some(schema) = &workflow.inputs else {
            return Ok(None);
        };
        let at = join(at, "inputs");
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference
                    .strip_prefix("#/components/inputs/")
                    .ok_or_else(|| {
                        (
                            at.clone(),
                            format!(
                                "`$ref: {reference}`: only `#/components/inputs/NAME` is followed"
                            ),
                        )
                    })?;
                self.arazzo
                    .document
                    .components
                    .inputs
                    .get(name)
                    .cloned()
                    .ok_or_else(|| (at.clone(), format!("no `components.inputs.{name}`")))?
            }
            None => schema.clone(),
        };
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| (at.clone(), format!("not a usable JSON Schema: {e}")))?;
        Ok(Some((schema, validator)))
    }

    fn step(&self, workflow: &Workflow, step: &Step, at: &str) -> Result<Target, (String, String)> {
        let target = match (&step.operation_id, &step.operation_path, &step.workflow_id) {
            (Some(id), None, None) => sources::by_id(&self.sources, id)
                .map(Target::Operation)
                .map_err(|e| (join(at, "operationId"), e))?,
            (None, Some(path), None) => sources::by_path(&self.sources, path)
                .map(Target::Operation)
                .map_err(|e| (join(at, "operationPath"), e))?,
            (None, None, Some(id)) => self
                .workflow_index(id)
                .map(Target::Workflow)
                .ok_or_else(|| (join(at, "workflowId"), format!("no workflow `{id}`")))?,
            _ => {
                return Err((
                    at.to_owned(),
                    "give exactly one of `operationId`, `operationPath` and `workflowId`"
                        .to_owned(),
                ));
            }
        };
        let operation_step = matches!(target, Target::Operation(_));
        self.parameters(&step.parameters, operation_step, &join(at, "parameters"))?;
        if step.request_body.is_some() && !operation_step {
            return Err((
                join(at, "requestBody"),
                "a workflow step sends no request body".to_owned(),
            ));
        }
        criteria_compile(&step.success_criteria, &join(at, "successCriteria"))?;
        self.actions(
            workflow,
            &step.on_success,
            &step.on_failure,
            at,
            ("onSuccess", "onFailure"),
        )?;
        Ok(target)
    }

    fn parameters(
        &self,
        parameters: &[Reusable<Parameter>],
        operation: bool,
        at: &str,
    ) -> Result<(), (String, String)> {
        for (n, parameter) in parameters.iter().enumerate() {
            let at = join(at, n);
            let parameter = self.parameter(parameter).ok_or_else(|| {
                (at.clone(), "the reference names no `components.parameters` entry (write `$components.parameters.NAME`)".to_owned())
            })?;
            match parameter.location.as_deref() {
                Some("path" | "query" | "header" | "cookie") | None if !operation => {}
                Some("path" | "query" | "header" | "cookie") => {}
                None => {
                    return Err((
                        at,
                        format!(
                            "parameter `{}` of an operation step needs `in`",
                            parameter.name
                        ),
                    ));
                }
                Some(other) => {
                    return Err((
                        join(&at, "in"),
                        format!("`in: {other}` is not path, query, header or cookie"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn actions(
        &self,
        workflow: &Workflow,
        success: &[Reusable<SuccessAction>],
        failure: &[Reusable<FailureAction>],
        at: &str,
        fields: (&str, &str),
    ) -> Result<(), (String, String)> {
        let unknown = |at: String, kind: &str| {
            (
                at,
                format!(
                    "the reference names no `components.{kind}` entry (write `$components.{kind}.NAME`)"
                ),
            )
        };
        for (n, action) in success.iter().enumerate() {
            let at = join(&join(at, fields.0), n);
            let action = self
                .success_action(action)
                .ok_or_else(|| unknown(at.clone(), "successActions"))?;
            if !matches!(action.kind.as_str(), "end" | "goto") {
                return Err((
                    join(&at, "type"),
                    format!(
                        "`type: {}`: a success action is `end` or `goto`",
                        action.kind
                    ),
                ));
            }
            self.goto(
                workflow,
                &action.kind,
                &action.step_id,
                &action.workflow_id,
                &at,
            )?;
            criteria_compile(&action.criteria, &join(&at, "criteria"))?;
        }
        for (n, action) in failure.iter().enumerate() {
            let at = join(&join(at, fields.1), n);
            let action = self
                .failure_action(action)
                .ok_or_else(|| unknown(at.clone(), "failureActions"))?;
            match action.kind.as_str() {
                "end" | "goto" => self.goto(
                    workflow,
                    &action.kind,
                    &action.step_id,
                    &action.workflow_id,
                    &at,
                )?,
                "retry" => retry_within_caps(action, &at)?,
                other => {
                    return Err((
                        join(&at, "type"),
                        format!("`type: {other}`: a failure action is `end`, `goto` or `retry`"),
                    ));
                }
            }
            criteria_compile(&action.criteria, &join(&at, "criteria"))?;
        }
        Ok(())
    }

    fn goto(
        &self,
        workflow: &Workflow,
        kind: &str,
        step: &Option<String>,
        target_workflow: &Option<String>,
        at: &str,
    ) -> Result<(), (String, String)> {
        match (kind, step, target_workflow) {
            ("end", None, None) => Ok(()),
            ("end", _, _) => Err((
                at.to_owned(),
                "an `end` action names no step or workflow".to_owned(),
            )),
            (_, Some(step), None) if workflow.steps.iter().any(|s| &s.step_id == step) => Ok(()),
            (_, Some(step), None) => Err((
                join(at, "stepId"),
                format!("no step `{step}` in workflow `{}`", workflow.workflow_id),
            )),
            (_, None, Some(id)) if self.workflow_index(id).is_some() => Ok(()),
            (_, None, Some(id)) => Err((join(at, "workflowId"), format!("no workflow `{id}`"))),
            _ => Err((
                at.to_owned(),
                "a `goto` names exactly one of `stepId` and `workflowId`".to_owned(),
            )),
        }
    }
}

fn criteria_compile(criteria: &[Criterion], at: &str) -> Result<(), (String, String)> {
    for (n, criterion) in criteria.iter().enumerate() {
        criteria::check(criterion).map_err(|e| (join(&join(at, n), "condition"), e))?;
    }
    Ok(())
}

/// `retryAfter` a finite number of seconds, at least 0; `retryLimit` at
/// most [`MAX_ATTEMPTS`] − 1; their product at most [`MAX_WAIT`].
fn retry_within_caps(action: &FailureAction, at: &str) -> Result<(), (String, String)> {
    if action.step_id.is_some() || action.workflow_id.is_some() {
        return Err((
            at.to_owned(),
            "a `retry` that first runs another step or workflow is not supported".to_owned(),
        ));
    }
    let after = action.retry_after.unwrap_or(0.0);
    if !after.is_finite() || after < 0.0 {
        return Err((
            join(at, "retryAfter"),
            format!("`retryAfter: {after}`: give seconds, 0 or more"),
        ));
    }
    let limit = action.retry_limit.unwrap_or(1);
    if limit >= MAX_ATTEMPTS {
        return Err((
            join(at, "retryLimit"),
            format!(
                "`retryLimit: {limit}`: at most {} retries of one step",
                MAX_ATTEMPTS - 1
            ),
        ));
    }
    // `limit` is below 100, so the product is exact enough.
    if after * limit as f64 > MAX_WAIT {
        return Err((
            join(at, "retryAfter"),
            format!("retryAfter × retryLimit passes the {MAX_WAIT} s one step may wait in all"),
        ));
    }
    Ok(())
}
