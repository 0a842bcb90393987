//! Schemas that `openapiv3` reads as `Any` (keywords of several kinds side
//! by side): which are objects, which scalars, which fall back to
//! `serde_json::Value` with a warning.

use super::{lowered, mixed_fallback, with_schemas};
use crate::model::{FloatType, IntegerType, TypeId, TypeRef, TypeShape};

#[test]
fn required_only_alternatives_beside_properties_leave_an_object() {
    let spec = with_schemas(
        "    Either:
      type: object
      properties: {a: {type: string}, b: {type: string}}
      anyOf: [{required: [a]}, {required: [b]}]
",
    );
    let api = lowered(&spec).expect("lowers");
    let TypeShape::Struct(either) = &api.types[0].shape else {
        panic!("{:?}", api.types[0].shape)
    };
    let fields: Vec<&str> = either.fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(fields, ["a", "b"]);
}

#[test]
fn alternatives_with_stray_keywords_are_alternatives() {
    let spec = with_schemas(
        "    Mixed: {oneOf: [{type: string, minItems: 1}, {type: boolean, minLength: 1}]}\n",
    );
    let api = lowered(&spec).expect("lowers");
    let TypeShape::Union(mixed) = &api.types[0].shape else {
        panic!("{:?}", api.types[0].shape)
    };
    let types: Vec<&TypeRef> = mixed.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(types, [&TypeRef::String, &TypeRef::Bool]);
}

#[test]
fn a_typed_scalar_with_compositions_beside_it_falls_back_to_json() {
    let spec = with_schemas(
        "    Parts: {type: string, allOf: [{minLength: 1}, {maxLength: 5}]}
    Marked: {type: string, oneOf: [{}]}
    Either: {type: string, anyOf: [{}]}
",
    );
    let api = lowered(&spec).expect("lowers");
    let aliases: Vec<&TypeShape> = api.types.iter().map(|def| &def.shape).collect();
    assert_eq!(aliases, [&TypeShape::Alias(TypeRef::Json); 3]);
    assert_eq!(
        api.warnings,
        [
            mixed_fallback("Parts"),
            mixed_fallback("Marked"),
            mixed_fallback("Either")
        ]
    );
}

#[test]
fn scalars_lists_and_enums_written_loosely_keep_their_type() {
    let spec = with_schemas(
        "    Stamp: {type: string, format: date-time, minimum: 0}
    Day: {type: string, format: date, minimum: 0}
    Text: {type: string, minimum: 0}
    Small: {type: integer, format: int16, minLength: 1}
    Ratio: {type: number, format: float, minLength: 1}
    Wide: {type: number, minLength: 1}
    Flag: {type: boolean, minLength: 1}
    Typed: {type: array, items: {type: string}, minimum: 0}
    Untyped: {items: {type: string}, minItems: 1, maxItems: 3, uniqueItems: true}
    Mode: {enum: [on, off]}
",
    );
    let api = lowered(&spec).expect("lowers");
    let list = || TypeShape::Alias(TypeRef::List(Box::new(TypeRef::String)));
    let shapes: Vec<TypeShape> = api.types.iter().map(|def| def.shape.clone()).collect();
    let TypeShape::Enum(mode) = &shapes[9] else {
        panic!("{:?}", shapes[9])
    };
    let values: Vec<&str> = mode.variants.iter().map(|v| v.wire_name.as_str()).collect();
    assert_eq!(values, ["on", "off"]);
    assert_eq!(
        shapes[..9],
        [
            TypeShape::Alias(TypeRef::Timestamp),
            TypeShape::Alias(TypeRef::Date),
            TypeShape::Alias(TypeRef::String),
            TypeShape::Alias(TypeRef::Integer(IntegerType::I16)),
            TypeShape::Alias(TypeRef::Float(FloatType::F32)),
            TypeShape::Alias(TypeRef::Float(FloatType::F64)),
            TypeShape::Alias(TypeRef::Bool),
            list(),
            list(),
        ]
    );
    assert_eq!(api.warnings, []);
}

#[test]
fn only_an_array_with_items_or_items_alone_is_a_list() {
    let spec = with_schemas(
        "    Bare: {type: array}
    Loose: {type: array, minLength: 1}
    Mixed: {items: {type: string}, minLength: 1}
",
    );
    let api = lowered(&spec).expect("lowers");
    let shapes: Vec<&TypeShape> = api.types.iter().map(|def| &def.shape).collect();
    assert_eq!(
        shapes,
        [
            &TypeShape::Alias(TypeRef::List(Box::new(TypeRef::Json))),
            &TypeShape::Alias(TypeRef::Json),
            &TypeShape::Alias(TypeRef::Json),
        ]
    );
    assert_eq!(
        api.warnings,
        [mixed_fallback("Loose"), mixed_fallback("Mixed")]
    );
}

#[test]
fn all_of_parts_that_are_not_all_objects_fall_back_to_json() {
    let spec = with_schemas("    Both: {allOf: [{type: string}, {maxLength: 5}]}\n");
    let api = lowered(&spec).expect("lowers");
    assert_eq!(api.types[0].shape, TypeShape::Alias(TypeRef::Json));
    assert_eq!(api.warnings, [mixed_fallback("Both")]);
}

#[test]
fn one_all_of_reference_alone_or_beside_a_stray_keyword_is_the_reference() {
    let spec = with_schemas(
        "    Name: {type: object, properties: {a: {type: string}}}
    Bare: {allOf: [{$ref: '#/components/schemas/Name'}]}
    Described: {allOf: [{$ref: '#/components/schemas/Name'}], maxLength: 5}
",
    );
    let api = lowered(&spec).expect("lowers");
    let name = TypeShape::Alias(TypeRef::Named(TypeId(0)));
    assert_eq!(api.types[1].shape, name);
    assert_eq!(api.types[2].shape, name);
    assert_eq!(api.warnings, []);
}

#[test]
fn an_empty_schema_is_any_json_without_a_warning() {
    let spec = with_schemas("    Free: {description: anything}\n");
    let api = lowered(&spec).expect("lowers");
    assert_eq!(api.types[0].shape, TypeShape::Alias(TypeRef::Json));
    assert_eq!(api.warnings, []);
}

#[test]
fn integer_formats_name_their_width_also_beside_stray_keywords() {
    let formats = [
        ("int8", IntegerType::I8),
        ("int16", IntegerType::I16),
        ("int32", IntegerType::I32),
        ("int64", IntegerType::I64),
        ("uint8", IntegerType::U8),
        ("uint16", IntegerType::U16),
        ("uint32", IntegerType::U32),
        ("uint64", IntegerType::U64),
        ("uint", IntegerType::U64),
        ("int128", IntegerType::I64),
    ];
    let schemas: String = formats
        .iter()
        .map(|(format, _)| {
            format!(
                "    Plain_{format}: {{type: integer, format: {format}}}\n    Loose_{format}: {{type: integer, format: {format}, minLength: 1}}\n"
            )
        })
        .collect();
    let api = lowered(&with_schemas(&schemas)).expect("lowers");
    let widths: Vec<&TypeShape> = api.types.iter().map(|def| &def.shape).collect();
    let expected: Vec<TypeShape> = formats
        .iter()
        .flat_map(|(_, width)| [TypeRef::Integer(*width), TypeRef::Integer(*width)])
        .map(TypeShape::Alias)
        .collect();
    assert_eq!(widths, expected.iter().collect::<Vec<_>>());
    assert_eq!(api.warnings, []);
}
