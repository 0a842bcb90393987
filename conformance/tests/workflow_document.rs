//! The shipped Arazzo workflow as a document: valid against the OAI's
//! Arazzo 1.0 JSON Schema (`tests/schemas/`), and consistent where the
//! schema cannot look: operations that exist in its source description,
//! goto targets that exist, a cleanup every failure reaches).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

const WORKFLOW: &str = "spec/jobrouter/close-job.arazzo.yaml";
const SCHEMA: &str = "conformance/tests/schemas/arazzo-1.0.schema.json";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> String {
    let path = repository().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shipped workflow, as JSON.
fn workflow() -> Value {
    serde_yaml::from_str(&read(WORKFLOW)).unwrap_or_else(|e| panic!("{WORKFLOW}: {e}"))
}

/// Every schema error as `instance path: message`, in the validator's order.
fn schema_errors(document: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&read(SCHEMA)).unwrap_or_else(|e| panic!("{SCHEMA}: {e}"));
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{SCHEMA} compiles: {e}"));
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn steps(document: &Value) -> &Vec<Value> {
    document["workflows"][0]["steps"]
        .as_array()
        .expect("the first workflow has steps")
}

#[test]
fn the_shipped_workflow_is_valid_arazzo() {
    let errors = schema_errors(&workflow());
    assert!(errors.is_empty(), "{WORKFLOW}:\n{}", errors.join("\n"));
}

#[test]
fn the_schema_refuses_a_broken_copy_and_names_the_place() {
    let mut retry_without_delay = workflow();
    retry_without_delay["workflows"][0]["steps"][4]["onFailure"][0] =
        json!({"name": "offerNotYet", "type": "retry", "retryLimit": 10});
    let errors = schema_errors(&retry_without_delay);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/workflows/0/steps/4/onFailure/0: ")),
        "{errors:#?}"
    );

    let mut typed_without_context = workflow();
    typed_without_context["workflows"][0]["steps"][8]["successCriteria"][1] =
        json!({"condition": "$.status", "type": "jsonpath"});
    let errors = schema_errors(&typed_without_context);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/workflows/0/steps/8/successCriteria/1: ")),
        "{errors:#?}"
    );

    let mut unknown_field = workflow();
    unknown_field["workflows"][0]["steps"][0]["retries"] = json!(3);
    let errors = schema_errors(&unknown_field);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/workflows/0/steps/0: ") && e.contains("retries")),
        "{errors:#?}"
    );
}

#[test]
fn every_operation_exists_in_the_source_description() {
    let document = workflow();
    assert_eq!(
        document["sourceDescriptions"],
        json!([{"name": "jobRouter", "url": "./communicationservicejobrouter.json", "type": "openapi"}])
    );
    let source: Value =
        serde_json::from_str(&read("spec/jobrouter/communicationservicejobrouter.json"))
            .expect("the source description is JSON");
    let known: BTreeSet<&str> = source["paths"]
        .as_object()
        .expect("paths")
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let unknown: Vec<&str> = steps(&document)
        .iter()
        .map(|step| {
            step["operationId"]
                .as_str()
                .expect("every step names an operationId")
        })
        .filter(|id| !known.contains(id))
        .collect();
    assert_eq!(unknown, Vec::<&str>::new());
}

/// Every reusable failure action a step names exists, and every goto goes
/// to a step that exists further on (so the cleanup cannot loop).
#[test]
fn every_reference_points_at_something_that_exists() {
    let document = workflow();
    let steps = steps(&document);
    let ids: Vec<&str> = steps
        .iter()
        .map(|s| s["stepId"].as_str().expect("stepId"))
        .collect();
    let actions = document["components"]["failureActions"]
        .as_object()
        .expect("components.failureActions");
    for step in steps {
        let id = step["stepId"].as_str().unwrap_or_default();
        for action in step["onFailure"].as_array().into_iter().flatten() {
            let action = match action["reference"].as_str() {
                Some(reference) => {
                    let name = reference
                        .strip_prefix("$components.failureActions.")
                        .unwrap_or_else(|| panic!("{id}: reference {reference}"));
                    actions
                        .get(name)
                        .unwrap_or_else(|| panic!("{id}: no failure action {name}"))
                }
                None => action,
            };
            if action["type"] == "goto" {
                let target = action["stepId"].as_str().expect("goto names a stepId");
                let (from, to) = (position(&ids, id), position(&ids, target));
                assert!(to > from, "{id}: goto {target} must go forward");
            }
        }
    }
}

fn position(ids: &[&str], id: &str) -> usize {
    ids.iter()
        .position(|s| *s == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// Every step before the cleanup goes to a cleanup step when it fails, and
/// the cleanup ends by deleting the four resources, each expecting 204.
#[test]
fn every_failure_leads_to_the_cleanup() {
    let document = workflow();
    let steps = steps(&document);
    let (main, cleanup): (Vec<&Value>, Vec<&Value>) = steps.iter().partition(|s| {
        !s["stepId"]
            .as_str()
            .unwrap_or_default()
            .starts_with("cleanup")
    });
    assert_eq!(main.len(), 11);
    for step in &main {
        let last = step["onFailure"]
            .as_array()
            .and_then(|a| a.last())
            .unwrap_or_else(|| panic!("{}: no onFailure", step["stepId"]));
        assert!(
            last["reference"]
                .as_str()
                .is_some_and(|r| r.starts_with("$components.failureActions.")),
            "{}: {last}",
            step["stepId"]
        );
    }
    let deletes: Vec<(&str, &str)> = cleanup
        .iter()
        .filter(|s| {
            s["stepId"]
                .as_str()
                .unwrap_or_default()
                .starts_with("cleanupDelete")
        })
        .map(|s| {
            (
                s["operationId"].as_str().unwrap_or_default(),
                s["successCriteria"][0]["condition"]
                    .as_str()
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        deletes,
        [
            ("JobRouterOperations_DeleteJob", "$statusCode == 204"),
            ("JobRouterOperations_DeleteWorker", "$statusCode == 204"),
            (
                "JobRouterAdministrationOperations_DeleteQueue",
                "$statusCode == 204"
            ),
            (
                "JobRouterAdministrationOperations_DeleteDistributionPolicy",
                "$statusCode == 204"
            ),
        ]
    );
}

/// The close sends the documented example's body, as written in the spec.
#[test]
fn the_close_sends_the_documented_example_body() {
    let spec: Value = serde_yaml::from_str(&read("spec/close-job.yaml")).expect("the spec is YAML");
    let example = &spec["paths"]["/routing/jobs/{jobId}/assignments/{assignmentId}:close"]["post"]
        ["requestBody"]["content"]["application/json"]["examples"]["Closes a completed job"]["value"];
    assert_eq!(
        example,
        &json!({"dispositionCode": "JobCompleted.", "note": "Closing job"})
    );
    let document = workflow();
    let close = steps(&document)
        .iter()
        .find(|s| s["stepId"] == "closeJob")
        .expect("a closeJob step");
    assert_eq!(&close["requestBody"]["payload"], example);
}
