//! A `$ref` must lead to `#/components/<section>/<name>` of the section
//! the place expects (`component_of`): a reference to another section,
//! or to a look-alike outside `components`, is refused with its place even
//! when a component of the same name exists.

use super::lowered;
use crate::Error;

/// The document with a schema, a parameter and a header all named `P`,
/// the same under `x-defs`, and `more` appended (YAML at the root level).
fn spec(more: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
x-defs:
  schemas:
    P: {{type: string}}
components:
  parameters:
    P: {{name: p, in: query, schema: {{type: string}}}}
  schemas:
    P: {{type: string}}
{more}"
    )
}

/// Where and why lowering `yaml` was refused as a dangling reference.
fn dangling(yaml: &str) -> (String, Option<usize>, String, String) {
    match lowered(yaml) {
        Err(Error::DanglingRef {
            pointer,
            line,
            reference,
            reason,
            ..
        }) => (pointer, line, reference, reason),
        other => panic!("not refused as dangling: {other:?}"),
    }
}

fn expected(
    pointer: &str,
    line: usize,
    reference: &str,
    section: &str,
) -> (String, Option<usize>, String, String) {
    (
        pointer.to_owned(),
        Some(line),
        reference.to_owned(),
        format!("expected a reference to `#/components/{section}/<name>`"),
    )
}

#[test]
fn a_schema_reference_to_a_parameter_is_refused() {
    let yaml = spec(
        "    Holder: {type: object, properties: {p: {$ref: '#/components/parameters/P'}}}\npaths: {}\n",
    );
    assert_eq!(
        dangling(&yaml),
        expected(
            "/components/schemas/Holder/properties/p",
            11,
            "#/components/parameters/P",
            "schemas"
        )
    );
}

#[test]
fn a_schema_reference_outside_components_is_refused() {
    let yaml = spec(
        "    Holder: {type: object, properties: {p: {$ref: '#/x-defs/schemas/P'}}}\npaths: {}\n",
    );
    assert_eq!(
        dangling(&yaml),
        expected(
            "/components/schemas/Holder/properties/p",
            11,
            "#/x-defs/schemas/P",
            "schemas"
        )
    );
}

#[test]
fn a_parameter_reference_to_a_schema_is_refused() {
    let yaml = spec(
        "paths:
  /a:
    get:
      parameters: [{$ref: '#/components/schemas/P'}]
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        dangling(&yaml),
        expected(
            "/paths/~1a/get/parameters/0",
            14,
            "#/components/schemas/P",
            "parameters"
        )
    );
}
