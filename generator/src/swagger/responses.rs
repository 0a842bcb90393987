//! Responses: a `content` entry per produced media type, headers with a `schema`, examples.

use serde_json::{Value, json};

use super::parameters::{primitive_schema, style};
use super::{ConversionError, Converter, Object, error, field_object, object};
use crate::document::Pointer;

impl<'a> Converter<'a> {
    /// An operation's responses, keyed by status code.
    pub(super) fn responses(
        &self,
        responses: &'a Value,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        for (code, response) in object(responses, at)? {
            let converted = if code.starts_with("x-") {
                self.extension(code, response)
            } else {
                self.response_or_ref(response, produces, &at.join(code))?
            };
            out.insert(code.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    /// A response or a reference to a shared one; like shared request
    /// bodies, a shared response is copied in when the operation produces
    /// other media types than the document.
    fn response_or_ref(
        &self,
        response: &'a Value,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let response = object(response, at)?;
        let Some(reference) = response.get("$ref") else {
            return self.response(response, produces, at);
        };
        let reference = reference
            .as_str()
            .ok_or_else(|| error(&at.join("$ref"), "expected a string"))?;
        let shared = reference
            .strip_prefix("#/responses/")
            .and_then(|name| self.shared("responses", name));
        match shared {
            Some(shared) if produces != self.produces.as_slice() => {
                self.response(shared, produces, at)
            }
            _ => Ok(json!({ "$ref": self.rewrite_ref(reference) })),
        }
    }

    /// A response: its schema under each media type produced, its
    /// `examples` (keyed by media type) as those media types' `example`,
    /// and its headers. A response without schema or examples has no
    /// content.
    pub(super) fn response(
        &self,
        response: &'a Object,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        let description = response
            .get("description")
            .cloned()
            .unwrap_or_else(|| "".into());
        out.insert("description".into(), description);
        let schema = response
            .get("schema")
            .map(|schema| self.schema(schema, &at.join("schema")))
            .transpose()?;
        let examples = field_object(response, "examples", at)?;
        let mut media_types: Vec<&str> = match schema {
            Some(_) => produces.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        let unlisted: Vec<&str> = examples
            .into_iter()
            .flatten()
            .map(|(media, _)| media.as_str())
            .filter(|media| !media_types.contains(media))
            .collect();
        media_types.extend(unlisted);
        let content: Object = media_types
            .into_iter()
            .map(|media| {
                let mut entry = Object::new();
                if let Some(schema) = &schema {
                    entry.insert("schema".into(), schema.clone());
                }
                if let Some(example) = examples.and_then(|examples| examples.get(media)) {
                    entry.insert("example".into(), example.clone());
                }
                (media.to_owned(), Value::Object(entry))
            })
            .collect();
        if let Some(headers) = field_object(response, "headers", at)? {
            let at = at.join("headers");
            let mut converted = Object::new();
            for (name, header) in headers {
                converted.insert(name.clone(), self.header(header, &at.join(name))?);
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        self.copy_extensions(response, &mut out);
        Ok(Value::Object(out))
    }

    /// A response header: its type keywords move into `schema`.
    pub(super) fn header(&self, header: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let header = object(header, at)?;
        let mut out = Object::new();
        if let Some(description) = header.get("description") {
            out.insert("description".into(), description.clone());
        }
        self.copy_extensions(header, &mut out);
        out.insert(
            "schema".into(),
            Value::Object(primitive_schema(header, at)?),
        );
        if let Some((style, explode)) = style(header, "header", at)? {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::tests::{at, convert, swagger};

    #[test]
    fn responses_get_content_per_media_type_headers_and_examples() {
        let get = json!({
            "produces": ["application/json", "text/plain"],
            "responses": {
                "200": {
                    "description": "Found.",
                    "schema": { "type": "string" },
                    "headers": { "ETag": { "type": "string", "description": "The version." } },
                    "examples": { "application/json": "\"v1\"" },
                },
                "304": { "description": "Not modified." },
                "x-ms-note": true,
            },
        });
        let document = swagger(json!({ "/a": { "get": get } }), json!({}));
        assert_eq!(
            at(&convert(&document), "/paths/~1a/get/responses"),
            &json!({
                "200": {
                    "description": "Found.",
                    "headers": { "ETag": { "description": "The version.", "schema": { "type": "string" } } },
                    "content": {
                        "application/json": { "schema": { "type": "string" }, "example": "\"v1\"" },
                        "text/plain": { "schema": { "type": "string" } },
                    },
                },
                "304": { "description": "Not modified." },
                "x-ms-note": true,
            })
        );
    }
}
