//! Checks: small functions from (case, answer) to findings. They decide
//! nothing about running or reporting.

mod azure;
pub mod examples;

use serde_json::Value;

use crate::cases::{Case, Expect, Wanted, Why};
use crate::report::{Finding, Source};
use crate::rules::Rules;
use crate::run::{Answer, Failure};
use crate::schema::Schemas;
use crate::spec::{Operation, Response, Spec, StatusKey, is_json, join};

/// Everything the checks read besides the answer.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub schemas: &'a Schemas,
    /// Which sources' rules apply, and how much.
    pub rules: Rules,
    pub max_body: usize,
}

/// The findings for one case's answer (or for its failure to get one), as
/// the rules have them.
pub fn check(
    context: &Context<'_>,
    case: &Case,
    outcome: &Result<Answer, Failure>,
) -> Vec<Finding> {
    every_finding(context, case, outcome)
        .into_iter()
        .filter_map(|finding| context.rules.apply(finding))
        .collect()
}

fn every_finding(
    context: &Context<'_>,
    case: &Case,
    outcome: &Result<Answer, Failure>,
) -> Vec<Finding> {
    let operation = &context.spec.operations[case.operation];
    let answer = match outcome {
        Ok(answer) => answer,
        Err(failure) => {
            return vec![no_answer(
                context,
                case,
                operation,
                "transport",
                "an HTTP answer".to_owned(),
                failure.to_string(),
            )];
        }
    };
    let declares_redirect = case.method_declared
        && operation
            .responses
            .iter()
            .any(|r| r.status != StatusKey::Default && r.status.matches(answer.status));
    if (300..400).contains(&answer.status) && !declares_redirect {
        let seen = match answer.header("location") {
            Some(location) => format!("{} to `{location}`", answer.status),
            None => format!("{} without a Location", answer.status),
        };
        return vec![no_answer(
            context,
            case,
            operation,
            "redirect",
            "an answer, not a redirect (redirects are not followed: give the URL that \
             answers as the endpoint)"
                .to_owned(),
            seen,
        )];
    }
    let mut findings = Vec::new();
    let wanted_came = expectation(context, case, operation, answer, &mut findings);
    if !case.method_declared {
        // The operation's responses, and the guidelines, are about the
        // methods the path declares.
        return findings;
    }
    let status_told = findings
        .iter()
        .any(|f| f.check == "status" && f.source == Source::Spec);
    let body = declared_answer(context, operation, answer, status_told, &mut findings);
    if let Expect::Documented {
        example,
        trust_body: true,
    } = &case.expect
        && wanted_came
        && let (Some(expected), Some(seen)) = (
            example.response.as_ref().and_then(|r| r.body.as_ref()),
            &body,
        )
        && !same_json(&expected.value, seen)
    {
        findings.push(Finding {
            diff: Some(json_diff(&expected.value, seen)),
            ..Finding::spec(
                "body-example",
                "the documented body (JSON equality)".to_owned(),
                "a different body".to_owned(),
                expected.basis.clone(),
            )
        });
    }
    if operation.is_azure() {
        findings.extend(azure::headers(answer));
        if let Expect::Answer {
            azure_code: Some((code, rule)),
            ..
        } = &case.expect
            && wanted_came
        {
            findings.extend(azure::expected_code(code, rule, answer));
        }
    }
    findings
}

/// A finding for a case that got no answer to judge (a transport failure,
/// a redirect): for a declared method, the spec's declared responses say
/// one should come; for another, the rule that made the case.
fn no_answer(
    context: &Context<'_>,
    case: &Case,
    operation: &Operation,
    check: &'static str,
    expected: String,
    seen: String,
) -> Finding {
    match &case.expect {
        Expect::Answer {
            why: Why::Rule(rule),
            ..
        } if !case.method_declared => Finding::rule(rule, check, expected, seen),
        _ => Finding::spec(
            check,
            expected,
            seen,
            context.spec.basis(&join(&operation.pointer, "responses")),
        ),
    }
}

/// The case's own expectation of the status (and its source); whether the
/// wanted status came.
fn expectation(
    context: &Context<'_>,
    case: &Case,
    operation: &Operation,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> bool {
    let (wanted, why, reason) = match &case.expect {
        Expect::Step => return true,
        Expect::Documented { example, .. } => match &example.response {
            Some(documented) => {
                if documented.status.matches(answer.status)
                    || upsert_status(context, operation, &documented.status, answer.status)
                {
                    return true;
                }
                findings.push(Finding::spec(
                    "status",
                    format!("{} (documented)", documented.status),
                    answer.status.to_string(),
                    documented.basis.clone(),
                ));
                return false;
            }
            None => (
                Wanted::Success,
                Why::Spec(context.spec.basis(&join(&operation.pointer, "responses"))),
                "the documented request is valid".to_owned(),
            ),
        },
        Expect::Answer {
            wanted,
            why,
            reason,
            ..
        } => (*wanted, why.clone(), reason.clone()),
    };
    if wanted.accepts(operation, answer.status) {
        return true;
    }
    let expected = format!("{}: {reason}", wanted.describe(operation));
    let seen = status_with_code(answer);
    findings.push(match why {
        Why::Spec(basis) => Finding::spec("status", expected, seen, basis),
        Why::Rule(rule) => Finding::rule(rule, "status", expected, seen),
    });
    false
}

/// Whether Azure's guidelines take `status` where an example of an upsert
/// documents the other of 200 and 201: whether the request creates or
/// replaces depends on the state it meets, not on the example
/// ([`crate::rules::UPSERT_CREATES`]); the operation must declare `status`.
fn upsert_status(
    context: &Context<'_>,
    operation: &Operation,
    documented: &StatusKey,
    status: u16,
) -> bool {
    let pair = [StatusKey::Code(200), StatusKey::Code(201)];
    context.rules.is_on(Source::Azure)
        && operation.is_azure()
        && matches!(operation.method.as_str(), "PUT" | "PATCH")
        && pair.contains(documented)
        && pair.contains(&StatusKey::Code(status))
        && operation
            .responses
            .iter()
            .any(|r| r.status == StatusKey::Code(status))
}

/// What the document says of any answer to a method it declares: a
/// declared status, the body its schema (error or success, whatever the
/// status), the declared headers. Returns the body when it is JSON.
fn declared_answer(
    context: &Context<'_>,
    operation: &Operation,
    answer: &Answer,
    status_told: bool,
    findings: &mut Vec<Finding>,
) -> Option<Value> {
    let Some(response) = operation.response_for(answer.status) else {
        if !status_told {
            let declared: Vec<String> = operation
                .responses
                .iter()
                .map(|r| r.status.to_string())
                .collect();
            findings.push(Finding::spec(
                "status",
                format!("a status the spec declares ({})", declared.join(", ")),
                status_with_code(answer),
                context.spec.basis(&join(&operation.pointer, "responses")),
            ));
        }
        return None;
    };
    // `default` is the error response: a success or redirect it happens to
    // cover is judged by the case's expectation, not against the error body.
    if response.status == StatusKey::Default && answer.status < 400 {
        return None;
    }
    let body = body_against_schema(context, response, answer, findings);
    declared_headers(context, response, answer, findings);
    body
}

/// The body parsed and validated against the schema declared for the
/// answer's status; returns it when it is JSON.
fn body_against_schema(
    context: &Context<'_>,
    response: &Response,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) -> Option<Value> {
    let schema = response.schema.as_ref()?;
    let basis = context.spec.basis(schema);
    if answer.truncated {
        findings.push(Finding::spec(
            "body-size",
            format!(
                "a body the declared schema can be checked against, within --max-body ({} bytes)",
                context.max_body
            ),
            format!("a longer body, cut at {} bytes", answer.body.len()),
            basis,
        ));
        return None;
    }
    let content_type = answer.header("content-type").unwrap_or("");
    if !is_json(content_type) {
        findings.push(Finding::spec(
            "content-type",
            "Content-Type: application/json".to_owned(),
            if content_type.is_empty() {
                "no Content-Type".to_owned()
            } else {
                format!("Content-Type: {content_type}")
            },
            context.spec.basis(schema.trim_end_matches("/schema")),
        ));
    }
    let value = match serde_json::from_slice::<Value>(&answer.body) {
        Ok(value) => value,
        Err(e) => {
            findings.push(Finding::spec(
                "body-json",
                "a JSON body".to_owned(),
                format!("{} ({e})", excerpt(&answer.body)),
                basis,
            ));
            return None;
        }
    };
    match context.schemas.problems(schema, &value) {
        Ok(problems) if problems.is_empty() => {}
        Ok(problems) => findings.push(Finding::spec(
            "body-schema",
            "a body the declared schema accepts".to_owned(),
            format!("{}; {}", excerpt(&answer.body), problems.join("; ")),
            basis,
        )),
        Err(message) => findings.push(
            Finding::spec("body-schema", "a usable schema".to_owned(), message, basis).warning(),
        ),
    }
    Some(value)
}

/// Required declared headers present; present ones valid for their schema.
fn declared_headers(
    context: &Context<'_>,
    response: &Response,
    answer: &Answer,
    findings: &mut Vec<Finding>,
) {
    for header in &response.headers {
        let basis = context.spec.basis(&header.pointer);
        match answer.header(&header.name) {
            None if header.required => findings.push(Finding::spec(
                "header",
                format!("header `{}` (required)", header.name),
                "no such header".to_owned(),
                basis,
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
                    findings.push(Finding::spec(
                        "header",
                        format!("header `{}` as its schema says", header.name),
                        format!("`{}: {value}`", header.name),
                        basis,
                    ));
                }
            }
        }
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

/// JSON equality where numbers are compared by value, as JSON has them:
/// `300` and `300.0` are one number (RFC 8259 §6).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
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

#[cfg(test)]
mod tests {
    use super::same_json;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_and_everything_else_exactly() {
        assert!(same_json(
            &json!({"a": [300, {"b": 0}]}),
            &json!({"a": [300.0, {"b": 0.0}]})
        ));
        assert!(!same_json(&json!({"a": 300}), &json!({"a": 300.5})));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
        assert!(!same_json(&json!("300"), &json!(300)));
    }
}
