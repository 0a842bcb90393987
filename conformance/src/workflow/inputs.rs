//! A workflow's inputs: given, defaulted, the run id filled in, checked
//! against its schema.

use serde_json::{Map, Value};

use super::plan::Plan;

/// A workflow's inputs: `given` (by name, only those its schema declares),
/// the schema's top-level `default`s, and `runId` (when the schema
/// declares it and none was given); then checked against the schema.
pub fn inputs(
    plan: &Plan,
    workflow: usize,
    given: &[(String, Value)],
    run_id: &str,
) -> Result<Map<String, Value>, String> {
    let mut values = Map::new();
    let Some((schema, validator)) = &plan.inputs[workflow] else {
        return Ok(values);
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, value) in given {
        values.insert(name.clone(), value.clone());
    }
    for (name, property) in properties.into_iter().flatten() {
        if values.contains_key(name) {
            continue;
        }
        if name == RUN_ID {
            values.insert(name.clone(), Value::String(run_id.to_owned()));
        } else if let Some(default) = property.get("default") {
            values.insert(name.clone(), default.clone());
        }
    }
    let instance = Value::Object(values);
    let problems: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the inputs of workflow `{}` break its schema: {}",
            plan.workflows()[workflow].workflow_id,
            problems.join("; ")
        ));
    }
    match instance {
        Value::Object(values) => Ok(values),
        _ => Ok(Map::new()),
    }
}

/// The input the runner fills with the run id when a workflow declares it
/// (`inputs.properties.runId`) and `--input runId=...` does not give it.
pub const RUN_ID: &str = "runId";

/// Whether any of `workflows` declares input `name` (for `--input`).
pub fn declares_input(plan: &Plan, workflows: &[usize], name: &str) -> bool {
    workflows.iter().any(|&w| {
        plan.inputs[w]
            .as_ref()
            .and_then(|(schema, _)| schema.get("properties")?.get(name))
            .is_some()
    })
}
