//! How many aliases an alias may nest through before it becomes a newtype
//! (`cycles::wrap_recursive_lists`): rustc expands each one.

use super::{lowered, newtypes, with_schemas};

/// `T0 = Vec<T1>`, …, `T{last-1} = Vec<T{last}>`, and `T{last}` a list of
/// `item`: `last + 1` aliases, each naming the next.
fn listed_chain(last: usize, item: &str) -> String {
    (0..=last)
        .map(|i| {
            let items = if i == last {
                item.to_owned()
            } else {
                format!("{{$ref: '#/components/schemas/T{}'}}", i + 1)
            };
            format!("    T{i}: {{type: array, items: {items}}}\n")
        })
        .collect()
}

fn list_of(name: &str) -> String {
    format!("{{type: array, items: {{$ref: '#/components/schemas/{name}'}}}}")
}

#[test]
fn an_alias_with_more_than_32_aliases_below_becomes_a_newtype_however_it_is_reached() {
    // T0 has 32 aliases below it (T1 … T32): the most rustc is left.
    let chain = listed_chain(32, "{type: string}");
    let spec = with_schemas(&format!(
        // `First` is walked down the chain; `Above` and `Beside` meet it
        // already settled.
        "    First: {}\n{chain}    Above: {}\n    Beside: {}\n",
        list_of("T0"),
        list_of("T0"),
        list_of("T1"),
    ));
    let api = lowered(&spec).expect("lowers");
    assert_eq!(newtypes(&api), ["First", "Above"]);
}

#[test]
fn the_struct_at_the_end_of_a_chain_is_not_an_alias_to_count() {
    // T0 … T32 are 33 aliases, the last a list of a struct: T0 has 32
    // aliases below it, within the limit.
    let chain = listed_chain(32, "{$ref: '#/components/schemas/S'}");
    let spec = with_schemas(&format!(
        "{chain}    S: {{type: object, properties: {{a: {{type: string}}}}}}\n"
    ));
    let api = lowered(&spec).expect("lowers");
    assert_eq!(newtypes(&api), Vec::<String>::new());
}
