//! Checks the spec's own examples against the spec, before any request:
//! a broken example is a finding about the spec, not about the endpoint.

use std::time::Instant;

use serde_json::Value;

use crate::report::{CaseKind, CaseResult, Finding};
use crate::schema::Schemas;
use crate::spec::{DocumentedResponse, ExampleValue, Spec};

/// One example's check.
#[derive(Debug, Clone)]
pub struct ExampleCheck {
    pub operation: usize,
    pub example: String,
    pub result: CaseResult,
    /// Whether its documented response body matches the response schema
    /// (only then is an endpoint held to equal it).
    pub response_body_valid: bool,
}

/// Every example of every operation, checked.
pub fn check_examples(spec: &Spec, schemas: &Schemas) -> Vec<ExampleCheck> {
    let mut checks = Vec::new();
    for (index, operation) in spec.operations.iter().enumerate() {
        for example in &operation.examples {
            let started = Instant::now();
            let mut findings = example.problems.clone();
            for (name, value) in &example.params {
                let schema = operation
                    .params
                    .iter()
                    .find(|p| &p.name == name)
                    .and_then(|p| p.schema.as_ref());
                findings.extend(against(
                    schemas,
                    schema,
                    value,
                    &format!("parameter `{name}`"),
                ));
            }
            if let Some(body) = &example.body {
                let schema = operation.body.as_ref().and_then(|b| b.schema.as_ref());
                findings.extend(against(schemas, schema, body, "request body"));
            }
            let mut response_body_valid = true;
            if let Some(response) = &example.response {
                let declared = operation
                    .responses
                    .iter()
                    .find(|r| r.status == response.status);
                match (declared, &response.body) {
                    (None, _) => findings.push(problem(
                        "a status the operation declares".to_owned(),
                        "a response documented for an undeclared status".to_owned(),
                        response,
                    )),
                    (Some(declared), Some(body)) => {
                        let found =
                            against(schemas, declared.schema.as_ref(), body, "response body");
                        response_body_valid = found.is_empty();
                        findings.extend(found);
                    }
                    (Some(_), None) => {}
                }
            }
            checks.push(ExampleCheck {
                operation: index,
                example: example.name.clone(),
                result: CaseResult {
                    name: format!(
                        "{}/{}/{}",
                        operation.id,
                        CaseKind::SpecExample.as_str(),
                        example.name
                    ),
                    kind: CaseKind::SpecExample,
                    summary: format!(
                        "the documented example `{}` agrees with the spec",
                        example.name
                    ),
                    request_line: None,
                    status: None,
                    findings,
                    curl: None,
                    duration: started.elapsed(),
                },
                response_body_valid,
            });
        }
    }
    checks
}

/// Findings for `value` against the schema at `schema` (none without one).
fn against(
    schemas: &Schemas,
    schema: Option<&String>,
    value: &ExampleValue,
    what: &str,
) -> Vec<Finding> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    match schemas.problems(schema, &value.value) {
        Ok(problems) if problems.is_empty() => Vec::new(),
        Ok(problems) => vec![Finding::spec(
            "spec-example",
            format!("a {what} that its schema ({schema}) accepts"),
            format!("{}; {}", compact(&value.value), problems.join("; ")),
            value.basis.clone(),
        )],
        Err(message) => vec![
            Finding::spec(
                "spec-example",
                "a usable schema".to_owned(),
                message,
                value.basis.clone(),
            )
            .warning(),
        ],
    }
}

fn problem(expected: String, seen: String, response: &DocumentedResponse) -> Finding {
    Finding::spec("spec-example", expected, seen, response.basis.clone())
}

/// A value on one line, cut at 120 characters.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("`{}…`", &text[..at]),
        None => format!("`{text}`"),
    }
}
