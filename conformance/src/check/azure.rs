//! The Azure profile: what Azure's REST API guidelines add to the spec for
//! operations that follow them (an `api-version` query parameter and an
//! `x-ms-error-code` header on errors). Every finding here names its
//! guideline and no spec position: the document does not say these things.

use serde_json::Value;

use crate::report::Finding;
use crate::rules::{self, Rule};
use crate::run::Answer;

/// On every error, `x-ms-error-code` present and equal to `error.code`;
/// on every answer, `x-ms-request-id`.
pub fn headers(answer: &Answer) -> Vec<Finding> {
    let mut findings = Vec::new();
    if answer.status >= 400 {
        let body_code = error_code(&answer.body);
        match (answer.header("x-ms-error-code"), &body_code) {
            (None, _) => findings.push(Finding::rule(
                &rules::ERROR_CODE_HEADER,
                "x-ms-error-code",
                "an `x-ms-error-code` header on every error".to_owned(),
                match &body_code {
                    Some(code) => format!("no such header (the body says `{code}`)"),
                    None => "no such header".to_owned(),
                },
            )),
            (Some(header), Some(code)) if header != code => findings.push(Finding::rule(
                &rules::ERROR_CODE_MATCHES_BODY,
                "x-ms-error-code",
                "`x-ms-error-code` equal to the body's `error.code`".to_owned(),
                format!("header `{header}`, body `{code}`"),
            )),
            (Some(header), None) => findings.push(Finding::rule(
                &rules::ERROR_CODE_MATCHES_BODY,
                "x-ms-error-code",
                "`x-ms-error-code` equal to the body's `error.code`".to_owned(),
                format!("header `{header}` and no `error.code` in the body"),
            )),
            _ => {}
        }
    }
    if answer.header("x-ms-request-id").is_none() {
        findings.push(Finding::rule(
            &rules::REQUEST_ID,
            "x-ms-request-id",
            "an `x-ms-request-id` header on every answer".to_owned(),
            "no such header".to_owned(),
        ));
    }
    findings
}

/// A warning when a refusal's code is not the one `rule` names
/// (`MissingApiVersionParameter`, `UnsupportedApiVersionValue`).
pub fn expected_code(wanted: &str, rule: &'static Rule, answer: &Answer) -> Option<Finding> {
    let seen = answer
        .header("x-ms-error-code")
        .map(str::to_owned)
        .or_else(|| error_code(&answer.body));
    if seen.as_deref() == Some(wanted) {
        return None;
    }
    Some(
        Finding::rule(
            rule,
            "error-code",
            format!("error code `{wanted}`"),
            seen.map_or_else(|| "no error code".to_owned(), |c| format!("`{c}`")),
        )
        .warning(),
    )
}

/// `error.code` from an Azure error body.
fn error_code(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.pointer("/error/code")?.as_str().map(str::to_owned)
}
