//! Non-body parameters: their type keywords moved into a `schema`, `collectionFormat` as a style, path-level ones merged.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{ConversionError, Converter, Object, array, error, object, required_str};
use crate::document::Pointer;

/// The schema keywords a non-body parameter, a header or an `items` object
/// spells out beside its own fields; OpenAPI 3 moves them into `schema`.
const PRIMITIVE_KEYWORDS: [&str; 15] = [
    "type",
    "format",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Extensions that describe a parameter's or header's value rather than the
/// parameter itself: they move into its `schema`, where OpenAPI 3 readers
/// (our lowering included) look for them.
pub(super) const SCHEMA_EXTENSIONS: [&str; 2] = ["x-nullable", "x-ms-enum"];

/// A parameter after following its `$ref`, if it had one.
pub(super) struct Resolved<'a> {
    /// The (escaped) name under `#/parameters` it refers to.
    pub(super) shared: Option<&'a str>,
    pub(super) definition: &'a Object,
}

impl<'a> Resolved<'a> {
    pub(super) fn location(&self) -> &'a str {
        self.definition
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// What an operation's parameter overrides on the path level: the same
    /// `in` and `name`; there is only ever one body, whatever its name.
    pub(super) fn key(&self) -> (&'a str, &'a str) {
        let name = match self.location() {
            "body" => "",
            _ => self
                .definition
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(""),
        };
        (self.location(), name)
    }
}

/// The schema Swagger spells out inline on a non-body parameter, a header or
/// an `items` object: its type keywords, `items` converted the same way,
/// `type: file` as a binary string, and the [`SCHEMA_EXTENSIONS`]
/// (`x-nullable` as `nullable`).
pub(super) fn primitive_schema(
    definition: &Object,
    at: &Pointer,
) -> Result<Object, ConversionError> {
    let mut schema = Object::new();
    for key in PRIMITIVE_KEYWORDS {
        if let Some(value) = definition.get(key) {
            schema.insert(key.into(), value.clone());
        }
    }
    if definition.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    if let Some(items) = definition.get("items") {
        let at = at.join("items");
        let items = object(items, &at)?;
        match items.get("collectionFormat").and_then(Value::as_str) {
            None | Some("csv") => {}
            Some(format) => {
                let message = format!(
                    "collectionFormat `{format}` inside an array has no OpenAPI 3.0 equivalent"
                );
                return Err(error(&at.join("collectionFormat"), message));
            }
        }
        schema.insert("items".into(), Value::Object(primitive_schema(items, &at)?));
    }
    if definition.get("x-nullable") == Some(&Value::Bool(true)) {
        schema.insert("nullable".into(), true.into());
    }
    if let Some(enum_info) = definition.get("x-ms-enum") {
        schema.insert("x-ms-enum".into(), enum_info.clone());
    }
    Ok(schema)
}

/// How an array parameter or header is serialized, from Swagger's
/// `collectionFormat` (default `csv`). `tsv`, and delimiters other than
/// commas outside query strings and forms, have no OpenAPI 3.0 spelling.
pub(super) fn style(
    definition: &Object,
    location: &str,
    at: &Pointer,
) -> Result<Option<(&'static str, bool)>, ConversionError> {
    if definition.get("type").and_then(Value::as_str) != Some("array") {
        return Ok(None);
    }
    let format = definition
        .get("collectionFormat")
        .and_then(Value::as_str)
        .unwrap_or("csv");
    let style = match (location, format) {
        ("query" | "formData", "csv") => ("form", false),
        ("query" | "formData", "multi") => ("form", true),
        ("query" | "formData", "ssv") => ("spaceDelimited", false),
        ("query" | "formData", "pipes") => ("pipeDelimited", false),
        ("path" | "header", "csv") => ("simple", false),
        _ => {
            let message = format!(
                "collectionFormat `{format}` has no OpenAPI 3.0 equivalent for a {location} value"
            );
            return Err(error(&at.join("collectionFormat"), message));
        }
    };
    Ok(Some(style))
}

/// The `parameters` of a path item or operation, each with its pointer.
pub(super) fn parameter_list<'v>(
    parent: &'v Object,
    at: &Pointer,
) -> Result<Vec<(Pointer, &'v Value)>, ConversionError> {
    let Some(parameters) = parent.get("parameters") else {
        return Ok(Vec::new());
    };
    let at = at.join("parameters");
    Ok(array(parameters, &at)?
        .iter()
        .enumerate()
        .map(|(index, parameter)| (at.join(index), parameter))
        .collect())
}

impl<'a> Converter<'a> {
    /// Splits an operation's Swagger parameters into OpenAPI parameters and
    /// a request body (from its one body parameter or its form fields).
    pub(super) fn operation_parameters(
        &self,
        operation: &'a Object,
        inherited: &[(Pointer, &'a Value)],
        consumes: &[String],
        at: &Pointer,
    ) -> Result<(Vec<Value>, Option<Value>), ConversionError> {
        let mut resolved = Vec::new();
        for (at, parameter) in parameter_list(operation, at)? {
            resolved.push((self.resolve_parameter(parameter, &at)?, at));
        }
        let own: HashSet<(&str, &str)> = resolved
            .iter()
            .map(|(parameter, _)| parameter.key())
            .collect();
        for (at, parameter) in inherited {
            let parameter = self.resolve_parameter(parameter, at)?;
            if !own.contains(&parameter.key()) {
                resolved.push((parameter, at.clone()));
            }
        }
        let mut parameters = Vec::new();
        let mut body = None;
        let mut form = Vec::new();
        for (parameter, at) in &resolved {
            let second_body = match parameter.location() {
                "body" => body.is_some() || !form.is_empty(),
                "formData" => body.is_some(),
                _ => false,
            };
            if second_body {
                let message = "a second request body: Swagger allows one body parameter, and no form fields beside it";
                return Err(error(at, message));
            }
            match parameter.location() {
                "body" => body = Some(self.body_or_ref(parameter, consumes, at)?),
                "formData" => form.push((at, parameter.definition)),
                "path" | "query" | "header" => {
                    parameters.push(self.plain_parameter(parameter, at)?)
                }
                other => {
                    return Err(error(
                        &at.join("in"),
                        format!("unknown parameter location `{other}`"),
                    ));
                }
            }
        }
        if !form.is_empty() {
            body = Some(self.form_body(&form, consumes)?);
        }
        Ok((parameters, body))
    }

    /// A path, query or header parameter, or a reference to a shared one.
    pub(super) fn plain_parameter(
        &self,
        parameter: &Resolved<'a>,
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        match parameter.shared {
            Some(name) => Ok(json!({ "$ref": format!("#/components/parameters/{name}") })),
            None => self.parameter(parameter.definition, at),
        }
    }

    /// A path, query or header parameter: Swagger's inline type keywords
    /// move into `schema`, `collectionFormat` becomes `style`/`explode`,
    /// and `x-ms-skip-url-encoding` on a query parameter is also said the
    /// OpenAPI way (`allowReserved`).
    pub(super) fn parameter(
        &self,
        definition: &'a Object,
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue"] {
            if let Some(value) = definition.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        self.copy_extensions(definition, &mut out);
        out.insert(
            "schema".into(),
            Value::Object(primitive_schema(definition, at)?),
        );
        let location = required_str(definition, "in", at)?;
        if let Some((style, explode)) = style(definition, location, at)? {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        if location == "query"
            && definition.get("x-ms-skip-url-encoding") == Some(&Value::Bool(true))
        {
            out.insert("allowReserved".into(), true.into());
        }
        Ok(Value::Object(out))
    }

    /// Follows a parameter's `$ref` into `#/parameters`: whether it is a
    /// body, a form field or neither decides what it becomes.
    pub(super) fn resolve_parameter(
        &self,
        parameter: &'a Value,
        at: &Pointer,
    ) -> Result<Resolved<'a>, ConversionError> {
        let definition = object(parameter, at)?;
        let Some(reference) = definition.get("$ref") else {
            return Ok(Resolved {
                shared: None,
                definition,
            });
        };
        let at = at.join("$ref");
        let reference = reference
            .as_str()
            .ok_or_else(|| error(&at, "expected a string"))?;
        let Some(name) = reference.strip_prefix("#/parameters/") else {
            return Err(error(
                &at,
                format!("`{reference}` is not a parameter of this document"),
            ));
        };
        match self.shared("parameters", name) {
            Some(definition) => Ok(Resolved {
                shared: Some(name),
                definition,
            }),
            None => Err(error(&at, format!("`{reference}` names no parameter"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::ConversionError;

    use crate::swagger::tests::{at, conversion_error, convert, operation, swagger};

    #[test]
    fn collection_formats_become_styles() {
        let tags = json!({
            "name": "tags",
            "in": "query",
            "type": "array",
            "items": { "type": "string", "enum": ["a", "b"] },
            "collectionFormat": "csv",
            "x-ms-client-name": "labels",
        });
        let ids = json!({ "name": "id", "in": "query", "type": "array", "items": { "type": "integer" }, "collectionFormat": "multi" });
        let path = json!({ "name": "keys", "in": "path", "required": true, "type": "array", "items": { "type": "string" } });
        let document = swagger(
            json!({ "/things/{keys}": { "get": operation(json!([tags, ids, path])) } }),
            json!({}),
        );
        assert_eq!(
            at(
                &convert(&document),
                "/paths/~1things~1{keys}/get/parameters"
            ),
            &json!([
                {
                    "name": "tags",
                    "in": "query",
                    "x-ms-client-name": "labels",
                    "schema": { "type": "array", "items": { "type": "string", "enum": ["a", "b"] } },
                    "style": "form",
                    "explode": false,
                },
                {
                    "name": "id",
                    "in": "query",
                    "schema": { "type": "array", "items": { "type": "integer" } },
                    "style": "form",
                    "explode": true,
                },
                {
                    "name": "keys",
                    "in": "path",
                    "required": true,
                    "schema": { "type": "array", "items": { "type": "string" } },
                    "style": "simple",
                    "explode": false,
                },
            ])
        );

        let tabs = json!({ "name": "t", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "tsv" });
        let document = swagger(
            json!({ "/a": { "get": operation(json!([{ "name": "ok", "in": "query", "type": "string" }, tabs])) } }),
            json!({}),
        );
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/paths/~1a/get/parameters/1/collectionFormat".into(),
                message: "collectionFormat `tsv` has no OpenAPI 3.0 equivalent for a query value"
                    .into(),
            }
        );
    }

    #[test]
    fn parameter_extensions_describing_the_value_move_into_the_schema() {
        let status = json!({
            "name": "status",
            "in": "query",
            "type": "string",
            "enum": ["on", "off"],
            "x-ms-enum": { "name": "Status", "modelAsString": true },
            "x-nullable": true,
            "x-ms-skip-url-encoding": true,
        });
        let document = swagger(
            json!({ "/a": { "get": operation(json!([status])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1a/get/parameters/0"),
            &json!({
                "name": "status",
                "in": "query",
                "x-ms-skip-url-encoding": true,
                "allowReserved": true,
                "schema": {
                    "type": "string",
                    "enum": ["on", "off"],
                    "x-ms-enum": { "name": "Status", "modelAsString": true },
                    "nullable": true,
                },
            })
        );
    }

    #[test]
    fn type_file_becomes_binary_string() {
        let response = json!({ "description": "The bytes.", "schema": { "type": "file" } });
        let document = swagger(
            json!({ "/blob": { "get": { "produces": ["application/octet-stream"], "responses": { "200": response } } } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1blob/get/responses/200"),
            &json!({
                "description": "The bytes.",
                "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } },
            })
        );
    }
}
