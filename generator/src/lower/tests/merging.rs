//! `allOf` parts merged into one object: how deep a chain of schemas, each
//! extending the one below, may go.

use super::{lowered, with_schemas};
use crate::Error;
use crate::model::TypeShape;

/// `S{top}` extends `S{top-1}` … extends `S0`, each adding a property,
/// written top first so that each is merged through all those below.
fn extending_chain(top: usize) -> String {
    let schemas: String = (1..=top)
        .rev()
        .map(|i| {
            format!(
                "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}, {{properties: {{p{i}: {{type: string}}}}}}]}}\n",
                i - 1
            )
        })
        .collect();
    with_schemas(&format!(
        "{schemas}    S0: {{type: object, properties: {{p0: {{type: string}}}}}}\n"
    ))
}

#[test]
fn a_chain_256_deep_is_merged_and_one_257_deep_refused() {
    let api = lowered(&extending_chain(256)).expect("lowers");
    let TypeShape::Struct(top) = &api.types[0].shape else {
        panic!("{:?}", api.types[0].shape)
    };
    assert_eq!(top.fields.len(), 257);
    match lowered(&extending_chain(257)) {
        Err(Error::Unsupported { pointer, what, .. }) => {
            assert_eq!(pointer, "/components/schemas/S0");
            assert_eq!(
                what,
                "`allOf` parts nested more than 256 deep (each part extending another)"
            );
        }
        other => panic!("not refused: {other:?}"),
    }
}
