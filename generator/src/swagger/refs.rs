//! References: `#/definitions/...` and the other sections rewritten to their `components` place; extensions copied.

use serde_json::Value;

use super::parameters::SCHEMA_EXTENSIONS;
use super::{Converter, Object};

impl<'a> Converter<'a> {
    /// The object `#/{section}/{name}` (`name` escaped as in a pointer).
    pub(super) fn shared(&self, section: &str, name: &str) -> Option<&'a Object> {
        let name = name.replace("~1", "/").replace("~0", "~");
        self.root.get(section)?.get(&name)?.as_object()
    }

    /// A local Swagger reference as the OpenAPI 3 reference to the same
    /// thing; references into other files (Azure's example files) are left
    /// as they are.
    pub(super) fn rewrite_ref(&self, reference: &str) -> String {
        if let Some(name) = reference.strip_prefix("#/definitions/") {
            format!("#/components/schemas/{name}")
        } else if let Some(name) = reference.strip_prefix("#/responses/") {
            format!("#/components/responses/{name}")
        } else if let Some(name) = reference.strip_prefix("#/parameters/") {
            let is_body = self
                .shared("parameters", name)
                .and_then(|p| p.get("in"))
                .and_then(Value::as_str)
                == Some("body");
            let section = if is_body {
                "requestBodies"
            } else {
                "parameters"
            };
            format!("#/components/{section}/{name}")
        } else {
            reference.to_owned()
        }
    }

    /// An extension's value. Local references inside it, as `$ref`s or as
    /// plain strings (Azure's `x-ms-odata: "#/definitions/X"`), follow their
    /// targets to `components`; `x-ms-examples` stays as written, for the
    /// conformance tester to read.
    pub(super) fn extension(&self, key: &str, value: &Value) -> Value {
        match value {
            _ if key == "x-ms-examples" => value.clone(),
            Value::String(text) => self.rewrite_ref(text).into(),
            Value::Array(items) => items.iter().map(|item| self.extension(key, item)).collect(),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), self.extension(key, member)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Copies `from`'s extensions onto `into`, except the
    /// [`SCHEMA_EXTENSIONS`], which [`primitive_schema`] puts in the schema.
    pub(super) fn copy_extensions(&self, from: &Object, into: &mut Object) {
        for (key, value) in from {
            if key.starts_with("x-") && !SCHEMA_EXTENSIONS.contains(&key.as_str()) {
                into.insert(key.clone(), self.extension(key, value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::tests::{at, convert, operation, swagger};

    #[test]
    fn references_follow_their_targets_into_components() {
        let list = json!({
            "operationId": "Things_List",
            "parameters": [{ "$ref": "#/parameters/ApiVersion" }, { "$ref": "#/parameters/Filter" }],
            "responses": {
                "200": { "description": "Listed.", "schema": { "type": "array", "items": { "$ref": "#/definitions/Thing" } } },
                "default": { "$ref": "#/responses/Error" },
            },
            "x-ms-odata": "#/definitions/Thing",
            "x-ms-examples": { "List": { "$ref": "./examples/List.json" } },
        });
        let mut replace = operation(json!([{ "$ref": "#/parameters/Filter" }]));
        replace["consumes"] = json!(["application/xml"]);
        let document = swagger(
            json!({ "/things": { "get": list, "put": operation(json!([{ "$ref": "#/parameters/Filter" }])), "post": replace } }),
            json!({
                "parameters": {
                    "ApiVersion": { "name": "api-version", "in": "query", "required": true, "type": "string" },
                    "Filter": { "name": "filter", "in": "body", "schema": { "$ref": "#/definitions/Filter" } },
                },
                "responses": { "Error": { "description": "Failed.", "schema": { "$ref": "#/definitions/Error" } } },
                "definitions": {
                    "Thing": {
                        "type": "object",
                        "properties": { "tags": { "type": "object", "additionalProperties": { "$ref": "#/definitions/Tag" } } },
                        "allOf": [{ "$ref": "#/definitions/Base" }],
                    },
                    "Base": {}, "Tag": {}, "Filter": {}, "Error": {},
                },
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/paths/~1things/get"),
            &json!({
                "operationId": "Things_List",
                "parameters": [{ "$ref": "#/components/parameters/ApiVersion" }],
                "requestBody": { "$ref": "#/components/requestBodies/Filter" },
                "responses": {
                    "200": {
                        "description": "Listed.",
                        "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } } } },
                    },
                    "default": { "$ref": "#/components/responses/Error" },
                },
                "x-ms-odata": "#/components/schemas/Thing",
                "x-ms-examples": { "List": { "$ref": "./examples/List.json" } },
            })
        );
        assert_eq!(
            at(&converted, "/components/schemas/Thing"),
            &json!({
                "type": "object",
                "properties": { "tags": { "type": "object", "additionalProperties": { "$ref": "#/components/schemas/Tag" } } },
                "allOf": [{ "$ref": "#/components/schemas/Base" }],
            })
        );
        assert_eq!(
            at(&converted, "/components/requestBodies/Filter"),
            &json!({
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Filter" } } },
                "x-ms-requestBody-name": "filter",
            })
        );
        assert_eq!(
            at(&converted, "/components/responses/Error"),
            &json!({
                "description": "Failed.",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
            })
        );
        // The shared body is written for the document's JSON; an operation
        // consuming XML gets its own copy rather than a wrong content type.
        assert_eq!(
            at(&converted, "/paths/~1things/post/requestBody"),
            &json!({
                "content": { "application/xml": { "schema": { "$ref": "#/components/schemas/Filter" } } },
                "x-ms-requestBody-name": "filter",
            })
        );
        assert_eq!(converted.pointer("/components/parameters/Filter"), None);
    }
}
