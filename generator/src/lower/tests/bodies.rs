//! Which of a body's media types is generated (`body_content`): JSON when
//! offered, wherever it is listed, else the first.

use super::lowered;
use crate::model::{Api, BodyEncoding, IntegerType, TypeRef};

/// The document whose one operation, a `post` at `/a`, takes and answers
/// `content` (a YAML flow map of media types).
fn with_content(content: &str) -> Api {
    let spec = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    post:
      requestBody: {{content: {content}}}
      responses: {{'200': {{description: ok, content: {content}}}}}
"
    );
    lowered(&spec).expect("lowers")
}

#[test]
fn json_is_chosen_wherever_it_is_listed() {
    let api = with_content(
        "{text/plain: {schema: {type: string}}, application/json: {schema: {type: integer}}}",
    );
    let op = &api.operations[0];
    let body = op.body.as_ref().expect("a body");
    assert_eq!(
        (body.media_type.as_str(), body.encoding, &body.ty),
        (
            "application/json",
            BodyEncoding::Json,
            &TypeRef::Integer(IntegerType::I64)
        )
    );
    assert_eq!(
        op.responses.success_type,
        Some(TypeRef::Integer(IntegerType::I64))
    );
    assert_eq!(api.warnings, []);
}

#[test]
fn without_json_the_first_media_type_is_chosen() {
    let api = with_content("{text/plain: {schema: {type: string}}, application/octet-stream: {}}");
    let body = api.operations[0].body.as_ref().expect("a body");
    assert_eq!(
        (body.media_type.as_str(), body.encoding, &body.ty),
        ("text/plain", BodyEncoding::Text, &TypeRef::String)
    );
}

#[test]
fn a_form_body_is_sent_as_bytes_with_a_warning() {
    let api = with_content("{application/x-www-form-urlencoded: {schema: {type: object}}}");
    let body = api.operations[0].body.as_ref().expect("a body");
    assert_eq!(
        (body.encoding, &body.ty),
        (BodyEncoding::Bytes, &TypeRef::Bytes)
    );
    let warnings: Vec<(&str, &str)> = api
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded",
                "unsupported: a form body; sent as the bytes given (encode the form yourself)"
            ),
            (
                "/paths/~1a/post/responses/200/content/application~1x-www-form-urlencoded",
                "unsupported: a `application/x-www-form-urlencoded` response body; not decoded (only JSON bodies are read)"
            ),
        ]
    );
}
