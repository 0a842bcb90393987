//! The Azure profile: what Azure's REST API guidelines add to the spec for
//! specs that follow them (an `api-version` query parameter and an
//! `x-ms-error-code` header on errors).

use serde_json::Value;

use super::{Context, finding};
use crate::report::{Finding, Severity};
use crate::run::Answer;
use crate::spec::{Operation, Spec};

/// On every error, `x-ms-error-code` present and equal to `error.code`;
/// on every answer, `x-ms-request-id`.
pub fn headers(context: &Context<'_>, operation: &Operation, answer: &Answer) -> Vec<Finding> {
    let mut findings = Vec::new();
    if answer.status >= 400 {
        let declared = operation
            .response_for(answer.status)
            .and_then(|r| {
                r.headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("x-ms-error-code"))
            })
            .map(|h| context.spec.basis(&h.pointer));
        let body_code = error_code(&answer.body);
        match (answer.header("x-ms-error-code"), &body_code) {
            (None, _) => findings.push(finding(
                "x-ms-error-code",
                "an `x-ms-error-code` header on every error".to_owned(),
                match &body_code {
                    Some(code) => format!("no such header (the body says `{code}`)"),
                    None => "no such header".to_owned(),
                },
                declared,
            )),
            (Some(header), Some(code)) if header != code => findings.push(finding(
                "x-ms-error-code",
                "`x-ms-error-code` equal to the body's `error.code`".to_owned(),
                format!("header `{header}`, body `{code}`"),
                declared,
            )),
            (Some(header), None) => findings.push(finding(
                "x-ms-error-code",
                "`x-ms-error-code` equal to the body's `error.code`".to_owned(),
                format!("header `{header}` and no `error.code` in the body"),
                declared,
            )),
            _ => {}
        }
    }
    if answer.header("x-ms-request-id").is_none() {
        findings.push(finding(
            "x-ms-request-id",
            "an `x-ms-request-id` header (Azure REST API guidelines)".to_owned(),
            "no such header".to_owned(),
            None,
        ));
    }
    findings
}

/// A warning when a refusal's code is not the one the guidelines name
/// (`MissingApiVersionParameter`, `UnsupportedApiVersionValue`).
pub fn expected_code(
    operation: &Operation,
    spec: &Spec,
    wanted: &Option<&'static str>,
    answer: &Answer,
) -> Option<Finding> {
    let wanted = (*wanted)?;
    let seen = answer
        .header("x-ms-error-code")
        .map(str::to_owned)
        .or_else(|| error_code(&answer.body));
    if seen.as_deref() == Some(wanted) {
        return None;
    }
    let api_version = operation.params.iter().find(|p| p.name == "api-version")?;
    Some(Finding {
        severity: Severity::Warning,
        ..finding(
            "error-code",
            format!("error code `{wanted}` (Azure REST API guidelines)"),
            seen.map_or_else(|| "no error code".to_owned(), |c| format!("`{c}`")),
            Some(spec.basis(&api_version.pointer)),
        )
    })
}

/// `error.code` from an Azure error body.
fn error_code(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.pointer("/error/code")?.as_str().map(str::to_owned)
}
