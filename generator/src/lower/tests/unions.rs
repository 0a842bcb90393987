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
