//! A success response's headers typed by their schema
//! (`Lowerer::header_type`), also when the schema carries keywords of
//! other types beside its `type` (which `openapiv3` reads as `Any`).

use super::lowered;
use crate::model::{FloatType, IntegerType, TypeRef};

/// The type of each header `declared` (YAML flow entries) gives a 200.
fn header_types(declared: &str) -> Vec<(String, TypeRef)> {
    let spec = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: get
      responses:
        '200': {{description: ok, headers: {{{declared}}}}}
"
    );
    let api = lowered(&spec).expect("lowers");
    let headers = &api.operations[0].responses.headers;
    headers
        .iter()
        .map(|h| (h.wire_name.clone(), h.ty.clone()))
        .collect()
}

#[test]
fn headers_are_typed_by_their_schema_also_with_stray_keywords() {
    let declared = [
        "Size: {schema: {type: integer}}",
        "Stamp: {schema: {type: string, format: date-time}}",
        "Date: {schema: {type: string, format: date-time-rfc7231}}",
        "Id: {schema: {type: string, format: uuid}}",
        "Count: {schema: {type: integer, format: int32, maxLength: 3}}",
        "Ratio: {schema: {type: number, minLength: 1}}",
        "On: {schema: {type: boolean, minItems: 1}}",
        "When: {schema: {type: string, format: date-time-rfc7231, minimum: 0}}",
        "Text: {schema: {type: string, minimum: 0}}",
        "Tags: {schema: {type: array, items: {type: string}, minimum: 1}}",
    ]
    .join(", ");
    let typed = |name: &str, ty: TypeRef| (name.to_owned(), ty);
    assert_eq!(
        header_types(&declared),
        [
            typed("Size", TypeRef::Integer(IntegerType::I64)),
            typed("Stamp", TypeRef::Timestamp),
            typed("Date", TypeRef::Timestamp),
            typed("Id", TypeRef::String),
            typed("Count", TypeRef::Integer(IntegerType::I32)),
            typed("Ratio", TypeRef::Float(FloatType::F64)),
            typed("On", TypeRef::Bool),
            typed("When", TypeRef::Timestamp),
            typed("Text", TypeRef::String),
            typed("Tags", TypeRef::String),
        ]
    );
}
