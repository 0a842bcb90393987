//! What an operation answers (`Lowerer::responses`): which statuses are
//! success and which errors, and which bodies are read.

use super::lowered;
use crate::model::{Api, IntegerType, Responses, StatusPattern, TypeRef, Warning};

/// The document whose one operation, at `/a`, answers `responses` (YAML
/// indented for the map).
fn answering(responses: &str) -> Api {
    let spec = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      responses:
{responses}"
    );
    lowered(&spec).expect("lowers")
}

fn warning(pointer: &str, message: &str) -> Warning {
    Warning {
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    }
}

#[test]
fn a_2xx_range_is_success_a_404_and_a_4xx_range_errors_and_a_1xx_range_not_generated() {
    let json = |ty: &str| {
        format!("{{description: d, content: {{application/json: {{schema: {{type: {ty}}}}}}}}}")
    };
    let api = answering(&format!(
        "        '1XX': {{description: d}}\n        '2XX': {}\n        '404': {}\n        '4XX': {}\n",
        json("string"),
        json("integer"),
        json("integer"),
    ));
    assert_eq!(
        api.operations[0].responses,
        Responses {
            success: vec![StatusPattern::Range(2)],
            success_type: Some(TypeRef::String),
            by_status: Vec::new(),
            // The two error bodies are alike: one error type.
            error_type: Some(TypeRef::Integer(IntegerType::I64)),
            errors_by_status: Vec::new(),
            headers: Vec::new(),
        }
    );
    assert_eq!(
        api.warnings,
        [warning(
            "/paths/~1a/get/responses/1XX",
            "unsupported: status `1XX`; not generated (an answer with it is an error)"
        )]
    );
}

#[test]
fn a_body_that_is_not_json_is_not_read() {
    let api = answering(
        "        '200': {description: d, content: {text/plain: {schema: {type: string}}}}\n",
    );
    assert_eq!(api.operations[0].responses.success_type, None);
    assert_eq!(
        api.warnings,
        [warning(
            "/paths/~1a/get/responses/200/content/text~1plain",
            "unsupported: a `text/plain` response body; not decoded (only JSON bodies are read)"
        )]
    );
}
