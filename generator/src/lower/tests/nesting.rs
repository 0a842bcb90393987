//! How deep types nest in one another (`cycles::nesting_depth`), which
//! sets the generated crate's `recursion_limit`: rustc's drop-check
//! follows types inside `Vec`s too.

use super::{lowered, with_schemas};

#[test]
fn types_in_lists_nest_and_types_that_hold_each_other_count_once() {
    let list =
        |name: &str| format!("{{type: array, items: {{$ref: '#/components/schemas/{name}'}}}}");
    let spec = with_schemas(&format!(
        "    Top: {{type: object, properties: {{l: {}}}}}
    L0: {{type: object, properties: {{peer: {}}}}}
    L1: {{type: object, properties: {{peer: {}, leaf: {{type: array, items: {}}}}}}}
    Leaf: {{type: object, properties: {{a: {{type: string}}}}}}
",
        list("L0"),
        list("L1"),
        list("L0"),
        list("Leaf"),
    ));
    let api = lowered(&spec).expect("lowers");
    // Top, then L0 and L1 as one, then Leaf.
    assert_eq!(api.type_nesting, 3);
}
