//! `oneOf`/`anyOf` become unions however `openapiv3` reads them: as their
//! own kind, or as `Any` when other keywords stand beside them.

use super::{lowered, with_schemas};
use crate::model::{IntegerType, TypeRef, TypeShape};

#[test]
fn one_of_and_any_of_are_unions_also_beside_other_keywords() {
    let alternatives = "[{type: string}, {type: integer}]";
    let spec = with_schemas(&format!(
        "    AnyOf: {{anyOf: {alternatives}}}
    OneOf: {{oneOf: {alternatives}}}
    AnyOfBeside: {{anyOf: {alternatives}, minLength: 1}}
    OneOfBeside: {{oneOf: {alternatives}, minLength: 1}}
"
    ));
    let api = lowered(&spec).expect("lowers");
    let variants: Vec<(String, Vec<TypeRef>)> = api
        .types
        .iter()
        .map(|def| match &def.shape {
            TypeShape::Union(union) => (
                def.name.to_string(),
                union.variants.iter().map(|v| v.ty.clone()).collect(),
            ),
            other => panic!("{} is {other:?}", def.name),
        })
        .collect();
    let both = || vec![TypeRef::String, TypeRef::Integer(IntegerType::I64)];
    assert_eq!(
        variants,
        [
            ("AnyOf".to_owned(), both()),
            ("OneOf".to_owned(), both()),
            ("AnyOfBeside".to_owned(), both()),
            ("OneOfBeside".to_owned(), both()),
        ]
    );
    assert_eq!(api.warnings, []);
}

#[test]
fn a_base_s_mapping_names_its_extensions_by_reference_or_by_name() {
    let spec = with_schemas(
        "    Pet:
      type: object
      properties: {kind: {type: string}}
      discriminator:
        propertyName: kind
        mapping: {feline: '#/components/schemas/Cat', canine: Dog}
    Cat: {allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {purrs: {type: boolean}}}]}
    Dog: {allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {barks: {type: boolean}}}]}
    Bird: {allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {sings: {type: boolean}}}]}
",
    );
    let api = lowered(&spec).expect("lowers");
    let TypeShape::Union(pet) = &api.types[0].shape else {
        panic!("{:?}", api.types[0].shape)
    };
    assert_eq!(pet.tag.as_deref(), Some("kind"));
    let tags: Vec<(String, Option<&str>)> = pet
        .variants
        .iter()
        .map(|v| (v.name.to_string(), v.tag_value.as_deref()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat".to_owned(), Some("feline")),
            ("Dog".to_owned(), Some("canine")),
            ("Bird".to_owned(), Some("Bird")),
        ]
    );
}

#[test]
fn a_variant_of_a_reference_takes_its_type_s_name() {
    let spec = with_schemas(
        "    Pet: {type: object, properties: {a: {type: string}}}
    pet: {type: object, properties: {b: {type: string}}}
    Either: {oneOf: [{$ref: '#/components/schemas/pet'}, {$ref: '#/components/schemas/Pet'}]}
",
    );
    let api = lowered(&spec).expect("lowers");
    let types: Vec<String> = api.types.iter().map(|def| def.name.to_string()).collect();
    let TypeShape::Union(either) = &api.types[2].shape else {
        panic!("{:?}", api.types[2].shape)
    };
    let variants: Vec<String> = either.variants.iter().map(|v| v.name.to_string()).collect();
    assert_eq!(types, ["Pet", "Pet2", "Either"]);
    // `Either::Pet2(Pet2)`, `Either::Pet(Pet)`.
    assert_eq!(variants, ["Pet2", "Pet"]);
}
