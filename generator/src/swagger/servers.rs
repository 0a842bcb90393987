//! `host`, `basePath`, `schemes` and Azure's `x-ms-parameterized-host` → OpenAPI 3 `servers`.

use serde_json::{Value, json};

use super::{ConversionError, Converter, Object, array, object, required_str};
use crate::document::Pointer;

/// A server variable's text (OpenAPI's are strings, Swagger's values are
/// whatever the parameter's type says).
fn variable_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl<'a> Converter<'a> {
    /// The server URLs. Azure's `x-ms-parameterized-host` replaces `host`
    /// (AutoRest reads it that way); either way the URL ends with
    /// `basePath`, and a server per scheme is listed when a scheme is part
    /// of the URL.
    pub(super) fn servers(&self) -> Result<Value, ConversionError> {
        let base_path = self
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        if let Some(host) = self.root.get("x-ms-parameterized-host") {
            return self.parameterized_servers(host, base_path);
        }
        if let Some(host) = self.root.get("host").and_then(Value::as_str) {
            let servers = self
                .schemes()
                .into_iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }));
            return Ok(Value::Array(servers.collect()));
        }
        let url = if base_path.is_empty() { "/" } else { base_path };
        Ok(json!([{ "url": url }]))
    }

    /// The document's `schemes`, or HTTPS (Swagger's default is "whatever
    /// served the document", which a file on disk cannot say).
    pub(super) fn schemes(&self) -> Vec<&'a str> {
        let schemes: Vec<&str> = self
            .root
            .get("schemes")
            .and_then(Value::as_array)
            .map(|schemes| schemes.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if schemes.is_empty() {
            vec!["https"]
        } else {
            schemes
        }
    }

    /// Servers from `x-ms-parameterized-host`: `hostTemplate` (after the
    /// scheme unless `useSchemePrefix: false`) with a variable per host
    /// parameter. `positionInOperation` only orders client arguments, so it
    /// has nothing to convert.
    fn parameterized_servers(
        &self,
        host: &'a Value,
        base_path: &str,
    ) -> Result<Value, ConversionError> {
        let at = Pointer::root().join("x-ms-parameterized-host");
        let host = object(host, &at)?;
        let template = required_str(host, "hostTemplate", &at)?;
        let mut variables = Object::new();
        if let Some(parameters) = host.get("parameters") {
            let at = at.join("parameters");
            for (index, parameter) in array(parameters, &at)?.iter().enumerate() {
                let at = at.join(index);
                let definition = self.resolve_parameter(parameter, &at)?.definition;
                let name = required_str(definition, "name", &at)?;
                variables.insert(name.to_owned(), self.server_variable(definition));
            }
        }
        let prefixed = host
            .get("useSchemePrefix")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let urls: Vec<String> = if prefixed {
            self.schemes()
                .into_iter()
                .map(|scheme| format!("{scheme}://{template}{base_path}"))
                .collect()
        } else {
            vec![format!("{template}{base_path}")]
        };
        let servers = urls.into_iter().map(|url| {
            let mut server = Object::new();
            server.insert("url".into(), url.into());
            if !variables.is_empty() {
                server.insert("variables".into(), Value::Object(variables.clone()));
            }
            Value::Object(server)
        });
        Ok(Value::Array(servers.collect()))
    }

    /// A host parameter as a server variable. OpenAPI requires a `default`
    /// and host parameters rarely have one: the first `enum` value stands
    /// in, and failing that `""`, which says "no usable default, the caller
    /// must give one" rather than inventing a host (AutoRest does the same;
    /// swagger2openapi writes `"none"`).
    fn server_variable(&self, definition: &'a Object) -> Value {
        let enumeration: Vec<String> = definition
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().map(variable_text).collect())
            .unwrap_or_default();
        let default = definition
            .get("default")
            .map(variable_text)
            .or_else(|| enumeration.first().cloned())
            .unwrap_or_default();
        let mut variable = Object::new();
        variable.insert("default".into(), default.into());
        if !enumeration.is_empty() {
            variable.insert("enum".into(), enumeration.into());
        }
        if let Some(description) = definition.get("description") {
            variable.insert("description".into(), description.clone());
        }
        self.copy_extensions(definition, &mut variable);
        Value::Object(variable)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::tests::{at, convert, swagger};

    #[test]
    fn parameterized_host_becomes_a_templated_server() {
        let endpoint = json!({
            "name": "endpoint",
            "in": "path",
            "required": true,
            "type": "string",
            "description": "The service endpoint.",
            "x-ms-skip-url-encoding": true,
            "x-ms-parameter-location": "client",
        });
        let document = swagger(
            json!({}),
            json!({
                "basePath": "/api/",
                "host": "ignored.example.com",
                "x-ms-parameterized-host": {
                    "hostTemplate": "{endpoint}",
                    "useSchemePrefix": false,
                    "parameters": [{ "$ref": "#/parameters/Endpoint" }],
                },
                "parameters": { "Endpoint": endpoint },
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/servers"),
            &json!([{
                "url": "{endpoint}/api",
                "variables": {
                    "endpoint": {
                        "default": "",
                        "description": "The service endpoint.",
                        "x-ms-skip-url-encoding": true,
                        "x-ms-parameter-location": "client",
                    },
                },
            }])
        );
        assert_eq!(converted.get("x-ms-parameterized-host"), None);

        let document = swagger(
            json!({}),
            json!({
                "schemes": ["https"],
                "x-ms-parameterized-host": {
                    "hostTemplate": "{region}.example.com",
                    "parameters": [{ "name": "region", "in": "path", "type": "string", "enum": ["west", "east"] }],
                },
            }),
        );
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{
                "url": "https://{region}.example.com",
                "variables": { "region": { "default": "west", "enum": ["west", "east"] } },
            }])
        );
    }

    #[test]
    fn host_and_base_path_become_servers() {
        let document = swagger(
            json!({}),
            json!({ "host": "example.com", "basePath": "/v1", "schemes": ["https", "http"] }),
        );
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "https://example.com/v1" }, { "url": "http://example.com/v1" }])
        );
        let document = swagger(json!({}), json!({ "host": "example.com" }));
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "https://example.com" }])
        );
        let document = swagger(json!({}), json!({ "basePath": "/v1" }));
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "/v1" }])
        );
        assert_eq!(
            at(&convert(&swagger(json!({}), json!({}))), "/servers"),
            &json!([{ "url": "/" }])
        );
    }
}
