//! `in: body` and `in: formData` parameters → an OpenAPI 3 `requestBody` per media type.

use serde_json::{Value, json};

use super::parameters::{Resolved, primitive_schema, style};
use super::schemas::nullable;
use super::{ConversionError, Converter, Object, error, required_str};
use crate::document::Pointer;

/// What a body is sent or received as when neither the operation nor the
/// document says.
pub(super) const DEFAULT_MEDIA_TYPE: &str = "application/json";
const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

impl<'a> Converter<'a> {
    /// A body parameter's request body, or a reference to the shared one.
    /// Shared request bodies are written with the document's `consumes`; an
    /// operation that consumes other media types gets its own copy, so
    /// that its content types stay right.
    pub(super) fn body_or_ref(
        &self,
        parameter: &Resolved<'a>,
        consumes: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        match parameter.shared {
            Some(name) if consumes == self.consumes.as_slice() => {
                Ok(json!({ "$ref": format!("#/components/requestBodies/{name}") }))
            }
            _ => self.request_body(parameter.definition, consumes, at),
        }
    }

    /// A body parameter as a request body: a `content` entry per media type
    /// consumed, all with the parameter's schema. The parameter's name is
    /// kept as `x-ms-requestBody-name`, AutoRest's name for it, which the
    /// generator uses for the argument.
    pub(super) fn request_body(
        &self,
        definition: &'a Object,
        consumes: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let Some(schema) = definition.get("schema") else {
            return Err(error(at, "a body parameter without `schema`"));
        };
        let mut schema = self.schema(schema, &at.join("schema"))?;
        if definition.get("x-nullable") == Some(&Value::Bool(true)) {
            schema = nullable(schema);
        }
        let content: Object = consumes
            .iter()
            .map(|media| (media.clone(), json!({ "schema": schema })))
            .collect();
        let mut out = Object::new();
        if let Some(description) = definition.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if let Some(required) = definition.get("required") {
            out.insert("required".into(), required.clone());
        }
        if let Some(name) = definition.get("name") {
            out.insert("x-ms-requestBody-name".into(), name.clone());
        }
        self.copy_extensions(definition, &mut out);
        Ok(Value::Object(out))
    }

    /// Form fields as one request body: an object schema with a property
    /// per field, sent as the form media types the operation consumes or,
    /// if it names none, multipart when a file is uploaded and URL-encoded
    /// otherwise. Array `collectionFormat`s become `encoding` for
    /// URL-encoded forms only, the one place OpenAPI reads them.
    pub(super) fn form_body(
        &self,
        fields: &[(&Pointer, &'a Object)],
        consumes: &[String],
    ) -> Result<Value, ConversionError> {
        let mut properties = Object::new();
        let mut required = Vec::new();
        let mut encoding = Object::new();
        let mut uploads_file = false;
        for (at, field) in fields {
            let name = required_str(field, "name", at)?;
            let mut property = primitive_schema(field, at)?;
            if let Some(description) = field.get("description") {
                property.insert("description".into(), description.clone());
            }
            self.copy_extensions(field, &mut property);
            properties.insert(name.to_owned(), Value::Object(property));
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(name);
            }
            if let Some((style, explode)) = style(field, "formData", at)? {
                encoding.insert(
                    name.to_owned(),
                    json!({ "style": style, "explode": explode }),
                );
            }
            uploads_file |= field.get("type").and_then(Value::as_str) == Some("file");
        }
        let mut schema = Object::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), required.clone().into());
        }
        let schema = Value::Object(schema);
        let listed: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|media| [URLENCODED, MULTIPART].contains(media))
            .collect();
        let media_types = match (listed.is_empty(), uploads_file) {
            (false, _) => listed,
            (true, true) => vec![MULTIPART],
            (true, false) => vec![URLENCODED],
        };
        let content: Object = media_types
            .into_iter()
            .map(|media| {
                let mut entry = Object::new();
                entry.insert("schema".into(), schema.clone());
                if media == URLENCODED && !encoding.is_empty() {
                    entry.insert("encoding".into(), Value::Object(encoding.clone()));
                }
                (media.to_owned(), Value::Object(entry))
            })
            .collect();
        let mut out = Object::new();
        out.insert("content".into(), Value::Object(content));
        if !required.is_empty() {
            out.insert("required".into(), true.into());
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::tests::{at, convert, operation, swagger};

    #[test]
    fn body_parameter_becomes_request_body_named_by_extension() {
        let body = json!({
            "name": "resource",
            "in": "body",
            "description": "The thing.",
            "required": true,
            "x-ms-client-flatten": true,
            "schema": { "$ref": "#/definitions/Thing" },
        });
        let mut patch = operation(json!([body]));
        patch["consumes"] = json!(["application/merge-patch+json"]);
        let document = swagger(
            json!({ "/things": { "post": operation(json!([body])), "patch": patch } }),
            json!({ "consumes": ["application/json", "text/json"], "definitions": { "Thing": { "type": "object" } } }),
        );
        let converted = convert(&document);
        let schema = json!({ "schema": { "$ref": "#/components/schemas/Thing" } });
        assert_eq!(
            at(&converted, "/paths/~1things/post"),
            &json!({
                "requestBody": {
                    "description": "The thing.",
                    "content": { "application/json": schema, "text/json": schema },
                    "required": true,
                    "x-ms-requestBody-name": "resource",
                    "x-ms-client-flatten": true,
                },
                "responses": { "204": { "description": "Done." } },
            })
        );
        assert_eq!(
            at(&converted, "/paths/~1things/patch/requestBody/content"),
            &json!({ "application/merge-patch+json": schema })
        );
    }

    #[test]
    fn form_data_becomes_a_form_request_body() {
        let file = json!({ "name": "file", "in": "formData", "type": "file", "required": true, "description": "The upload." });
        let title = json!({ "name": "title", "in": "formData", "type": "string" });
        let document = swagger(
            json!({ "/uploads": { "post": operation(json!([file, title])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1uploads/post/requestBody"),
            &json!({
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": { "type": "string", "format": "binary", "description": "The upload." },
                                "title": { "type": "string" },
                            },
                            "required": ["file"],
                        },
                    },
                },
                "required": true,
            })
        );

        let tags = json!({ "name": "tags", "in": "formData", "type": "array", "items": { "type": "string" } });
        let document = swagger(
            json!({ "/tags": { "post": operation(json!([tags])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1tags/post/requestBody"),
            &json!({
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": { "type": "object", "properties": { "tags": { "type": "array", "items": { "type": "string" } } } },
                        "encoding": { "tags": { "style": "form", "explode": false } },
                    },
                },
            })
        );
    }
}
