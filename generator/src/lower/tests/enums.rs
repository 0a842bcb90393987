//! Which schemas are string enums (`string_enum`), however loosely written,
//! and what an enum is called.

use super::{lowered, mixed_fallback, with_schemas};
use crate::model::{Api, IntegerType, TypeRef, TypeShape};

/// The wire values of type `index`, which must be an enum.
fn values(api: &Api, index: usize) -> Vec<&str> {
    let TypeShape::Enum(en) = &api.types[index].shape else {
        panic!("{:?}", api.types[index].shape)
    };
    en.variants.iter().map(|v| v.wire_name.as_str()).collect()
}

#[test]
fn a_string_enum_with_a_stray_keyword_is_an_enum() {
    let spec = with_schemas("    Mode: {type: string, enum: [on, off], minItems: 1}\n");
    let api = lowered(&spec).expect("lowers");
    assert_eq!(values(&api, 0), ["on", "off"]);
    assert_eq!(api.warnings, []);
}

#[test]
fn an_enum_not_typed_string_is_one_only_untyped_of_strings_and_alone() {
    let spec = with_schemas(
        "    Nullable: {enum: [on, null]}
    Mixed: {enum: [on, 1]}
    Bounded: {enum: [on, off], minLength: 1}
    Counted: {type: integer, enum: ['1', '2'], minItems: 1}
",
    );
    let api = lowered(&spec).expect("lowers");
    assert_eq!(values(&api, 0), ["on"]);
    let shapes: Vec<&TypeShape> = api.types[1..].iter().map(|def| &def.shape).collect();
    assert_eq!(
        shapes,
        [
            &TypeShape::Alias(TypeRef::Json),
            &TypeShape::Alias(TypeRef::Json),
            &TypeShape::Alias(TypeRef::Integer(IntegerType::I64)),
        ]
    );
    assert_eq!(
        api.warnings,
        [mixed_fallback("Mixed"), mixed_fallback("Bounded")]
    );
}

#[test]
fn a_parameter_enum_keeps_its_operation_name_over_x_ms_enum() {
    let status = "{type: string, enum: [open, closed], x-ms-enum: {name: JobStatus}}";
    let api = lowered(&format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /jobs:
    get:
      operationId: Jobs_List
      parameters:
        - {{name: status, in: query, schema: {status}}}
      responses:
        '200':
          description: ok
          content:
            application/json: {{schema: {{type: object, properties: {{state: {status}}}}}}}
"
    ))
    .expect("lowers");
    let names: Vec<String> = api.types.iter().map(|def| def.name.to_string()).collect();
    assert_eq!(names, ["ListStatus", "ListResponse", "JobStatus"]);
}
