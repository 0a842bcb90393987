//! Schemas, `definitions` and the other shared sections → `components`; `x-nullable`; security definitions.

use serde_json::{Value, json};

use super::{ConversionError, Converter, Object, array, describe, error, field_object, object};
use crate::document::Pointer;

/// `schema` marked nullable. A `$ref` ignores its siblings in OpenAPI 3.0,
/// so a nullable reference becomes `allOf: [{$ref}]` with `nullable` (and
/// whatever else stood beside the `$ref`) on the wrapper.
pub(super) fn nullable(schema: Value) -> Value {
    let Value::Object(mut schema) = schema else {
        return schema;
    };
    if let Some(reference) = schema.remove("$ref") {
        schema.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    schema.insert("nullable".into(), true.into());
    Value::Object(schema)
}

/// An OAuth2 definition's `flow` as OpenAPI 3 `flows`, each flow with the
/// URLs it uses and its `scopes` (required in OpenAPI 3).
fn oauth2_flows(scheme: &Object, at: &Pointer) -> Result<Value, ConversionError> {
    let (name, urls): (&str, &[&str]) = match scheme.get("flow").and_then(Value::as_str) {
        Some("implicit") => ("implicit", &["authorizationUrl"]),
        Some("password") => ("password", &["tokenUrl"]),
        Some("application") => ("clientCredentials", &["tokenUrl"]),
        Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        _ => {
            return Err(error(
                &at.join("flow"),
                format!("unknown OAuth2 flow {}", describe(scheme.get("flow"))),
            ));
        }
    };
    let mut flow = Object::new();
    for key in urls {
        if let Some(url) = scheme.get(*key) {
            flow.insert((*key).into(), url.clone());
        }
    }
    flow.insert(
        "scopes".into(),
        scheme.get("scopes").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(json!({ name: flow }))
}

impl<'a> Converter<'a> {
    /// A schema: mostly the same words in both versions. The differences
    /// are `type: file` (a binary string), `discriminator` (a property
    /// name in Swagger, an object in OpenAPI 3), `x-nullable` (`nullable`)
    /// and references, rewritten wherever a schema can hold one.
    pub(super) fn schema(&self, schema: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let schema = object(schema, at)?;
        let mut out = Object::new();
        for (key, value) in schema {
            let at = at.join(key);
            let converted = match (key.as_str(), value) {
                ("$ref", Value::String(reference)) => self.rewrite_ref(reference).into(),
                ("properties", _) => {
                    let mut properties = Object::new();
                    for (name, property) in object(value, &at)? {
                        properties.insert(name.clone(), self.schema(property, &at.join(name))?);
                    }
                    Value::Object(properties)
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                    self.schema(value, &at)?
                }
                ("allOf" | "anyOf" | "oneOf", _) => {
                    let parts = array(value, &at)?.iter().enumerate();
                    parts
                        .map(|(index, part)| self.schema(part, &at.join(index)))
                        .collect::<Result<_, _>>()?
                }
                ("discriminator", Value::String(property)) => json!({ "propertyName": property }),
                ("x-nullable", _) => continue,
                _ if key.starts_with("x-") => self.extension(key, value),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            out.insert("type".into(), "string".into());
            out.insert("format".into(), "binary".into());
        }
        let out = Value::Object(out);
        Ok(if schema.get("x-nullable") == Some(&Value::Bool(true)) {
            nullable(out)
        } else {
            out
        })
    }

    /// `definitions`, `parameters`, `responses` and `securityDefinitions`
    /// under `components`. Shared body parameters become request bodies;
    /// shared form fields have no OpenAPI 3 home and are copied into the
    /// operations that use them instead.
    pub(super) fn components(&self) -> Result<Object, ConversionError> {
        let root = Pointer::root();
        let mut schemas = Object::new();
        for (name, schema) in field_object(self.root, "definitions", &root)?
            .into_iter()
            .flatten()
        {
            schemas.insert(
                name.clone(),
                self.schema(schema, &root.join("definitions").join(name))?,
            );
        }
        let mut parameters = Object::new();
        let mut request_bodies = Object::new();
        for (name, parameter) in field_object(self.root, "parameters", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("parameters").join(name);
            let definition = object(parameter, &at)?;
            match definition.get("in").and_then(Value::as_str) {
                Some("body") => {
                    request_bodies.insert(
                        name.clone(),
                        self.request_body(definition, &self.consumes, &at)?,
                    );
                }
                Some("formData") => {}
                _ => {
                    parameters.insert(name.clone(), self.parameter(definition, &at)?);
                }
            }
        }
        let mut responses = Object::new();
        for (name, response) in field_object(self.root, "responses", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("responses").join(name);
            responses.insert(
                name.clone(),
                self.response(object(response, &at)?, &self.produces, &at)?,
            );
        }
        let mut security_schemes = Object::new();
        for (name, scheme) in field_object(self.root, "securityDefinitions", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("securityDefinitions").join(name);
            security_schemes.insert(name.clone(), self.security_scheme(scheme, &at)?);
        }
        let mut out = Object::new();
        for (key, map) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", request_bodies),
            ("responses", responses),
            ("securitySchemes", security_schemes),
        ] {
            if !map.is_empty() {
                out.insert(key.into(), Value::Object(map));
            }
        }
        Ok(out)
    }

    /// A security definition: `basic` is an HTTP scheme in OpenAPI 3, and
    /// an OAuth2 definition's single `flow` becomes its entry in `flows`.
    fn security_scheme(&self, scheme: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let scheme = object(scheme, at)?;
        let mut out = match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => json!({ "type": "http", "scheme": "basic" }),
            Some("apiKey") => {
                json!({ "type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in") })
            }
            Some("oauth2") => json!({ "type": "oauth2", "flows": oauth2_flows(scheme, at)? }),
            _ => {
                let message = format!(
                    "unknown security scheme type {}",
                    describe(scheme.get("type"))
                );
                return Err(error(&at.join("type"), message));
            }
        };
        if let Some(out) = out.as_object_mut() {
            if let Some(description) = scheme.get("description") {
                out.insert("description".into(), description.clone());
            }
            self.copy_extensions(scheme, out);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::tests::{at, convert, swagger};

    #[test]
    fn x_nullable_becomes_nullable_and_wraps_references() {
        let document = swagger(
            json!({}),
            json!({ "definitions": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "x-nullable": true },
                        "owner": { "$ref": "#/definitions/Owner", "x-nullable": true, "description": "Who owns it." },
                        "size": { "type": "integer", "x-nullable": false },
                    },
                },
                "Owner": { "type": "object" },
            } }),
        );
        assert_eq!(
            at(&convert(&document), "/components/schemas/Thing/properties"),
            &json!({
                "name": { "type": "string", "nullable": true },
                "owner": {
                    "allOf": [{ "$ref": "#/components/schemas/Owner" }],
                    "nullable": true,
                    "description": "Who owns it.",
                },
                "size": { "type": "integer" },
            })
        );
    }

    #[test]
    fn discriminator_becomes_an_object_and_subtypes_keep_their_values() {
        let document = swagger(
            json!({}),
            json!({ "definitions": {
                "Rule": { "type": "object", "properties": { "kind": { "type": "string" } }, "discriminator": "kind", "required": ["kind"] },
                "StaticRule": { "allOf": [{ "$ref": "#/definitions/Rule" }], "x-ms-discriminator-value": "static" },
            } }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/components/schemas/Rule/discriminator"),
            &json!({ "propertyName": "kind" })
        );
        assert_eq!(
            at(&converted, "/components/schemas/StaticRule"),
            &json!({ "allOf": [{ "$ref": "#/components/schemas/Rule" }], "x-ms-discriminator-value": "static" })
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let document = swagger(
            json!({}),
            json!({
                "securityDefinitions": {
                    "basic": { "type": "basic" },
                    "key": { "type": "apiKey", "name": "Ocp-Apim-Subscription-Key", "in": "header", "description": "The key." },
                    "aad": {
                        "type": "oauth2",
                        "flow": "accessCode",
                        "authorizationUrl": "https://login.example.com/authorize",
                        "tokenUrl": "https://login.example.com/token",
                        "scopes": { "user_impersonation": "Act as the user." },
                    },
                },
                "security": [{ "aad": ["user_impersonation"] }],
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/components/securitySchemes"),
            &json!({
                "basic": { "type": "http", "scheme": "basic" },
                "key": { "type": "apiKey", "name": "Ocp-Apim-Subscription-Key", "in": "header", "description": "The key." },
                "aad": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://login.example.com/authorize",
                            "tokenUrl": "https://login.example.com/token",
                            "scopes": { "user_impersonation": "Act as the user." },
                        },
                    },
                },
            })
        );
        assert_eq!(
            at(&converted, "/security"),
            &json!([{ "aad": ["user_impersonation"] }])
        );
    }
}
