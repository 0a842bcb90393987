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
                    skipped: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One documented example with two parameters: `count` breaks its own
    /// schema, `label` fits its own (and would break `count`'s).
    const SPEC: &str = r#"openapi: 3.0.3
info: {title: Items, version: '1'}
paths:
  /items/{count}:
    get:
      operationId: list
      parameters:
        - name: count
          in: path
          required: true
          schema: {type: integer, minimum: 1}
          example: 0
        - name: label
          in: query
          schema: {type: string}
          example: x
      responses:
        '204': {description: Listed.}
"#;

    #[test]
    fn each_example_parameter_is_checked_against_its_own_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("items.yaml");
        std::fs::write(&path, SPEC).expect("write spec");
        let spec = Spec::load(&path, "items.yaml").expect("loads");
        let schemas = Schemas::new(&spec.document);
        let checks = check_examples(&spec, &schemas);
        let findings: Vec<(&str, &str)> = checks
            .iter()
            .flat_map(|check| &check.result.findings)
            .map(|finding| (finding.expected.as_str(), finding.seen.as_str()))
            .collect();
        assert_eq!(findings.len(), 1, "{findings:?}");
        let (expected, seen) = findings[0];
        assert!(
            expected.starts_with("a parameter `count` that its schema"),
            "{expected}"
        );
        assert!(seen.starts_with("`0`; "), "{seen}");
    }
}
