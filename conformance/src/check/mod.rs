//! Checks: small functions from (case, answer) to findings. They decide
//! nothing about running or reporting.

mod azure;
pub mod examples;

use serde_json::Value;

use crate::cases::{Case, Expect};
use crate::report::{Basis, Finding, Severity};
use crate::run::{Answer, Failure};
use crate::schema::Schemas;
use crate::spec::{Operation, Spec, is_json, join};

/// Everything the checks read besides the answer.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub schemas: &'a Schemas,
    /// Whether the Azure profile is on (`--no-azure` turns it off).
    pub azure: bool,
    pub max_body: usize,
}

/// The findings for one case's answer (or for its failure to get one).
pub fn check(
    context: &Context<'_>,
    case: &Case,
    outcome: &Result<Answer, Failure>,
) -> Vec<Finding> {
    let answer = match outcome {
        Ok(answer) => answer,
        Err(failure) => {
            return vec![finding(
                "transport",
                "an HTTP answer".to_owned(),
                failure.to_string(),
                None,
            )];
        }
    };
    let operation = &context.spec.operations[case.operation];
    if (300..400).contains(&answer.status) {
        let seen = match answer.header("location") {
            Some(location) => format!("{} to `{location}`", answer.status),
            None => format!("{} without a Location", answer.status),
        };
        return vec![finding(
            "redirect",
            "an answer, not a redirect (redirects are not followed: give the URL that \
             answers as the endpoint)"
                .to_owned(),
            seen,
            None,
        )];
    }
    let mut findings = Vec::new();
    match &case.expect {
        Expect::Documented {
            example,
            trust_body,
        } => documented(
            context,
            operation,
            example,
            *trust_body,
            answer,
            &mut findings,
        ),
        Expect::Success { why } => success(context, operation, why, answer, &mut findings),
        Expect::Rejected { why, azure_code } => {
            let ok = rejected(context, operation, why, answer, &mut findings);
            if ok && context.azure && operation.is_azure() {
                findings.extend(azure::expected_code(
                    operation,
                    context.spec,
                    azure_code,
                    answer,
                ));
            }
            ok
        }
        Expect::MethodNotAllowed { why } => {
            let ok = matches!(answer.status, 404 | 405);
            if !ok {
                findings.push(finding(
                    "status",
                    "405 (or 404): the method is not declared for this path".to_owned(),
                    answer.status.to_string(),
                    Some(why.clone()),
                ));
            }
            ok
        }
    };
    if context.azure && operation.is_azure() {
        findings.extend(azure::headers(context, operation, answer));
    }
    findings
}

/// The documented status, body (schema, then equality) and headers.
fn documented(
    context: &Context<'_>,
    operation: &Operation,
    example: &crate::spec::Example,
    trust_body: bool,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> bool {
    let Some(documented) = &example.response else {
        let why = context.spec.basis(&join(&operation.pointer, "responses"));
        return success(context, operation, &why, answer, findings);
    };
    if !documented.status.matches(answer.status) {
        findings.push(finding(
            "status",
            format!("{} (documented)", status_text(documented.status)),
            answer.status.to_string(),
            Some(documented.basis.clone()),
        ));
        return false;
    }
    let body = body_against_schema(context, operation, answer, findings);
    if let (Some(expected), Some(seen), true) = (&documented.body, &body, trust_body)
        && expected.value != *seen
    {
        findings.push(Finding {
            diff: Some(json_diff(&expected.value, seen)),
            ..finding(
                "body-example",
                "the documented body (JSON equality)".to_owned(),
                "a different body".to_owned(),
                Some(expected.basis.clone()),
            )
        });
    }
    declared_headers(context, operation, answer, findings);
    true
}

/// A declared success status and a body its schema accepts.
fn success(
    context: &Context<'_>,
    operation: &Operation,
    why: &Basis,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> bool {
    if !operation
        .success_responses()
        .any(|r| r.status.matches(answer.status))
    {
        let declared: Vec<String> = operation
            .success_responses()
            .map(|r| status_text(r.status))
            .collect();
        findings.push(finding(
            "status",
            format!(
                "a declared success ({}): the request is valid",
                declared.join(", ")
            ),
            status_with_code(answer),
            Some(why.clone()),
        ));
        return false;
    }
    body_against_schema(context, operation, answer, findings);
    declared_headers(context, operation, answer, findings);
    true
}

/// A 4xx whose body is the declared error body.
fn rejected(
    context: &Context<'_>,
    operation: &Operation,
    why: &Basis,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> bool {
    if !(400..500).contains(&answer.status) {
        findings.push(finding(
            "status",
            "a 4xx refusal: the request breaks the spec here".to_owned(),
            status_with_code(answer),
            Some(why.clone()),
        ));
        return false;
    }
    if operation
        .response_for(answer.status)
        .is_some_and(|r| r.schema.is_some())
    {
        body_against_schema(context, operation, answer, findings);
    }
    true
}

/// The body parsed and validated against the schema declared for the
/// answer's status; returns it when it is JSON.
fn body_against_schema(
    context: &Context<'_>,
    operation: &Operation,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> Option<Value> {
    let response = operation.response_for(answer.status)?;
    let schema = response.schema.as_ref()?;
    let basis = context.spec.basis(schema);
    if answer.truncated {
        findings.push(finding(
            "body-size",
            format!("a body of at most {} bytes (--max-body)", context.max_body),
            format!("a longer body, cut at {} bytes", answer.body.len()),
            Some(basis),
        ));
        return None;
    }
    let content_type = answer.header("content-type").unwrap_or("");
    if !is_json(content_type) {
        findings.push(finding(
            "content-type",
            "Content-Type: application/json".to_owned(),
            if content_type.is_empty() {
                "no Content-Type".to_owned()
            } else {
                format!("Content-Type: {content_type}")
            },
            Some(context.spec.basis(schema.trim_end_matches("/schema"))),
        ));
    }
    let value = match serde_json::from_slice::<Value>(&answer.body) {
        Ok(value) => value,
        Err(e) => {
            findings.push(finding(
                "body-json",
                "a JSON body".to_owned(),
                format!("{} ({e})", excerpt(&answer.body)),
                Some(basis),
            ));
            return None;
        }
    };
    match context.schemas.problems(schema, &value) {
        Ok(problems) if problems.is_empty() => {}
        Ok(problems) => findings.push(finding(
            "body-schema",
            "a body the declared schema accepts".to_owned(),
            format!("{}; {}", excerpt(&answer.body), problems.join("; ")),
            Some(basis),
        )),
        Err(message) => findings.push(Finding {
            severity: Severity::Warning,
            ..finding(
                "body-schema",
                "a usable schema".to_owned(),
                message,
                Some(basis),
            )
        }),
    }
    Some(value)
}

/// Required declared headers present; present ones valid for their schema.
fn declared_headers(
    context: &Context<'_>,
    operation: &Operation,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) {
    let Some(response) = operation.response_for(answer.status) else {
        return;
    };
    for header in &response.headers {
        let basis = context.spec.basis(&header.pointer);
        match answer.header(&header.name) {
            None if header.required => findings.push(finding(
                "header",
                format!("header `{}` (required)", header.name),
                "no such header".to_owned(),
                Some(basis),
            )),
            None => {}
            Some(value) => {
                let Some(schema) = &header.schema else {
                    continue;
                };
                // A header is text; a string schema takes it as is, others as JSON.
                let typed = serde_json::from_str::<Value>(value)
                    .ok()
                    .filter(|v| !v.is_string())
                    .unwrap_or_else(|| Value::String(value.to_owned()));
                let as_text = Value::String(value.to_owned());
                let problems =
                    |v: &Value| context.schemas.problems(schema, v).map(|p| !p.is_empty());
                if problems(&as_text).unwrap_or(false) && problems(&typed).unwrap_or(false) {
                    findings.push(finding(
                        "header",
                        format!("header `{}` as its schema says", header.name),
                        format!("`{}: {value}`", header.name),
                        Some(basis),
                    ));
                }
            }
        }
    }
}

/// An error finding.
fn finding(check: &'static str, expected: String, seen: String, basis: Option<Basis>) -> Finding {
    Finding {
        severity: Severity::Error,
        check,
        expected,
        seen,
        basis,
        diff: None,
    }
}

fn status_text(status: crate::spec::StatusKey) -> String {
    match status {
        crate::spec::StatusKey::Code(code) => code.to_string(),
        crate::spec::StatusKey::Range(class) => format!("{class}XX"),
        crate::spec::StatusKey::Default => "default".to_owned(),
    }
}

/// `404` or `404 (x-ms-error-code NotFound)`.
fn status_with_code(answer: &Answer) -> String {
    match answer.header("x-ms-error-code") {
        Some(code) => format!("{} ({code})", answer.status),
        None => answer.status.to_string(),
    }
}

/// The start of a body for a finding: text up to 200 characters.
fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "an empty body".to_owned();
    }
    let text = String::from_utf8_lossy(body);
    let mut cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("body `{}`", cut.replace('\n', " "))
}

/// Pretty JSON of both, as a unified diff.
fn json_diff(expected: &Value, seen: &Value) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
    let (expected, seen) = (pretty(expected), pretty(seen));
    similar::TextDiff::from_lines(&expected, &seen)
        .unified_diff()
        .header("documented", "received")
        .to_string()
}
