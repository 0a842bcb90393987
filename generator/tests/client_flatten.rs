//! Azure's `x-ms-client-flatten` as Swagger 2.0 writes it: beside a `$ref`
//! (which the conversion to OpenAPI 3 keeps, though `openapiv3` drops it),
//! and beside `x-nullable` (which wraps the `$ref` in `allOf`); on a body
//! parameter it is not applied, with a warning. The shapes spec shows the
//! OpenAPI 3 form, its snapshot and its JSON round trip.

use generator::Config;

const SPEC: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "Widgets", "version": "2024-01-01"},
  "paths": {
    "/widgets/{name}": {"put": {
      "operationId": "Widgets_Put",
      "parameters": [
        {"name": "name", "in": "path", "required": true, "type": "string"},
        {"name": "widget", "in": "body", "required": true, "x-ms-client-flatten": true, "schema": {"$ref": "#/definitions/Widget"}}
      ],
      "responses": {"200": {"description": "Stored.", "schema": {"$ref": "#/definitions/Widget"}}}
    }}
  },
  "definitions": {
    "Widget": {
      "type": "object",
      "properties": {
        "id": {"type": "string", "readOnly": true},
        "properties": {"$ref": "#/definitions/WidgetProperties", "x-ms-client-flatten": true},
        "sku": {"$ref": "#/definitions/Sku", "x-nullable": true, "x-ms-client-flatten": true}
      }
    },
    "WidgetProperties": {
      "type": "object",
      "properties": {"color": {"type": "string", "x-ms-client-name": "colour"}}
    },
    "Sku": {
      "type": "object",
      "required": ["tier"],
      "properties": {"tier": {"type": "string"}}
    }
  }
}"##;

#[test]
fn a_swagger_property_beside_a_ref_is_flattened_or_kept_nested_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("widgets.json");
    std::fs::write(&spec, SPEC).expect("write");
    let config = Config {
        spec_label: "widgets.json".to_owned(),
        crate_name: "widgets_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(&spec, &config).unwrap_or_else(|e| panic!("{e}"));
    let models = files
        .iter()
        .find(|(path, _)| *path == "src/models.rs")
        .map(|(_, text)| text.to_owned())
        .expect("models.rs");
    let widget = r#"#[serde(from = "WidgetWire", into = "WidgetWire")]
pub struct Widget {
    pub id: Option<String>,
    pub colour: Option<String>,
    pub sku: Option<Sku>,
}"#;
    assert!(models.contains(widget), "{models}");
    let wire = r#"pub struct WidgetWire {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<WidgetProperties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<Sku>,
}"#;
    assert!(models.contains(wire), "{models}");
    let warnings: Vec<String> = files
        .warnings()
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "/paths/~1widgets~1{name}/put/requestBody/x-ms-client-flatten: unsupported: `x-ms-client-flatten` on a body parameter; the body stays one argument",
            "/components/schemas/Widget/properties/sku/x-ms-client-flatten: unsupported: `x-ms-client-flatten` on an optional or nullable property whose object requires `tier`; kept nested",
        ]
    );
}

#[test]
fn what_cannot_be_flattened_stays_nested_with_a_warning_naming_it() {
    let spec = r##"{
  "swagger": "2.0",
  "info": {"title": "Loops", "version": "1"},
  "paths": {},
  "definitions": {
    "A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/B", "x-ms-client-flatten": true}}},
    "B": {"type": "object", "properties": {"a": {"$ref": "#/definitions/A", "x-ms-client-flatten": true}}},
    "Holder": {
      "type": "object",
      "properties": {
        "tags": {"type": "object", "additionalProperties": {"type": "string"}, "x-ms-client-flatten": true},
        "empty": {"type": "object", "x-ms-client-flatten": true},
        "mode": {"type": "string", "enum": ["on", "off"], "x-ms-client-flatten": true},
        "pet": {"$ref": "#/definitions/Pet", "x-ms-client-flatten": true}
      }
    },
    "Pet": {"type": "object", "discriminator": "kind", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
    "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}], "x-ms-discriminator-value": "cat"}
  }
}"##;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loops.json");
    std::fs::write(&path, spec).expect("write");
    let config = Config {
        spec_label: "loops.json".to_owned(),
        crate_name: "loops_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(&path, &config).unwrap_or_else(|e| panic!("{e}"));
    let models = files
        .iter()
        .find(|(path, _)| *path == "src/models.rs")
        .map(|(_, text)| text.to_owned())
        .expect("models.rs");
    assert!(!models.contains("Wire"), "nothing is flattened:\n{models}");
    let warnings: Vec<String> = files
        .warnings()
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    let refused = |at: &str, why: &str| {
        format!(
            "/components/schemas/{at}/x-ms-client-flatten: unsupported: `x-ms-client-flatten` on {why}; kept nested"
        )
    };
    // In the order of the converted document (JSON objects are read sorted).
    assert_eq!(
        warnings,
        [
            refused(
                "A/properties/b",
                "an object that leads back to the container"
            ),
            refused(
                "B/properties/a",
                "an object that leads back to the container"
            ),
            refused(
                "Holder/properties/empty",
                "an object that keeps undeclared properties (`additionalProperties`)"
            ),
            refused("Holder/properties/mode", "a property that is not an object"),
            refused(
                "Holder/properties/pet",
                "a union, whose fields depend on the variant"
            ),
            refused(
                "Holder/properties/tags",
                "an object that keeps undeclared properties (`additionalProperties`)"
            ),
        ]
    );
}
