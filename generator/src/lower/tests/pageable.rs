//! Azure's `x-ms-pageable`: a pager when the success body has the item
//! list and a string next link, else a warning (`Lowerer::pageable`).

use super::lowered;
use crate::ident::RustIdent;
use crate::model::{Pageable, TypeRef, Warning};

fn ident(name: &str) -> RustIdent {
    RustIdent::new(name).expect("an identifier")
}

#[test]
fn a_pager_needs_the_list_and_a_string_next_link_and_knows_which_are_always_there() {
    let page = |path: &str, schema: &str| {
        format!(
            "  {path}:
    get:
      x-ms-pageable: {{nextLinkName: next}}
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}
"
        )
    };
    let spec = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
{}{}{}components:
  schemas:
    Page:
      type: object
      required: [value]
      properties: {{value: {{type: array, items: {{type: string}}}}, next: {{type: string}}}}
    Nullable:
      type: object
      required: [value, next]
      properties: {{value: {{type: array, nullable: true, items: {{type: string}}}}, next: {{type: string}}}}
    Counted:
      type: object
      properties: {{value: {{type: array, items: {{type: string}}}}, next: {{type: integer}}}}
",
        page("/pages", "Page"),
        page("/nullable", "Nullable"),
        page("/counted", "Counted"),
    );
    let api = lowered(&spec).expect("lowers");
    assert_eq!(
        api.operations[0].pageable,
        Some(Pageable {
            items_field: ident("value"),
            items_required: true,
            next_link_field: ident("next"),
            next_link_required: false,
            item: TypeRef::String,
        })
    );
    // Items that may be null are not always there.
    assert_eq!(
        api.operations[1].pageable,
        Some(Pageable {
            items_field: ident("value"),
            items_required: false,
            next_link_field: ident("next"),
            next_link_required: true,
            item: TypeRef::String,
        })
    );
    assert_eq!(api.operations[2].pageable, None);
    assert_eq!(
        api.warnings,
        [Warning {
            pointer: "/paths/~1counted/get/x-ms-pageable".to_owned(),
            message: "unsupported: `x-ms-pageable` over a body without the list `value` and the string `next`; no pager generated".to_owned(),
        }]
    );
}
