//! `paths` and Azure's `x-ms-paths` → OpenAPI 3 path items and operations.

use std::collections::BTreeMap;

use serde_json::Value;

use super::bodies::DEFAULT_MEDIA_TYPE;
use super::parameters::parameter_list;
use super::{ConversionError, Converter, Object, error, field_object, object};
use crate::document::Pointer;

/// The operations a Swagger 2.0 path item may hold.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The media types an operation consumes or produces: its own list if it has
/// one (Swagger's lists replace the document's, they do not add to it), else
/// `inherited`, else JSON.
pub(super) fn media_types(own: Option<&Value>, inherited: &[String]) -> Vec<String> {
    let list: Vec<String> = match own.and_then(Value::as_array) {
        Some(values) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => inherited.to_vec(),
    };
    if list.is_empty() {
        vec![DEFAULT_MEDIA_TYPE.to_owned()]
    } else {
        list
    }
}

impl<'a> Converter<'a> {
    /// `paths` and Azure's `x-ms-paths` as one map. An `x-ms-paths` key
    /// carries a query string only to be a distinct JSON key
    /// (`/jobs/{id}?_overload=x`); it is dropped, and two operations that
    /// then share a path and method are an error.
    pub(super) fn paths(&self) -> Result<Object, ConversionError> {
        let mut sources: BTreeMap<&str, Vec<(Pointer, &'a Value)>> = BTreeMap::new();
        for section in ["paths", "x-ms-paths"] {
            let Some(paths) = field_object(self.root, section, &Pointer::root())? else {
                continue;
            };
            let at = Pointer::root().join(section);
            for (path, item) in paths {
                let plain = path
                    .split_once('?')
                    .map_or(path.as_str(), |(plain, _)| plain);
                sources
                    .entry(plain)
                    .or_default()
                    .push((at.join(path), item));
            }
        }
        let mut out = Object::new();
        for (path, items) in sources {
            out.insert(
                path.to_owned(),
                Value::Object(self.merged_path_item(path, &items)?),
            );
        }
        Ok(out)
    }

    /// The item for `path` from one source or several. When several share
    /// a path, each one's path-level parameters move into its own
    /// operations, so that they do not apply to the others'.
    fn merged_path_item(
        &self,
        path: &str,
        items: &[(Pointer, &'a Value)],
    ) -> Result<Object, ConversionError> {
        if let [(at, item)] = items {
            return self.path_item(item, at, true);
        }
        let mut merged = Object::new();
        for (at, item) in items {
            for (key, value) in self.path_item(item, at, false)? {
                if !merged.contains_key(&key) {
                    merged.insert(key, value);
                } else if METHODS.contains(&key.as_str()) {
                    return Err(error(
                        &at.join(&key),
                        format!(
                            "`{} {path}` is already defined; dropping the query string of `x-ms-paths` keys would make two operations one",
                            key.to_uppercase()
                        ),
                    ));
                }
            }
        }
        Ok(merged)
    }

    /// A path item. Body and form parameters cannot be shared on an OpenAPI
    /// 3 path item, so they always move into its operations; the others
    /// stay shared when `share_parameters` allows.
    fn path_item(
        &self,
        item: &'a Value,
        at: &Pointer,
        share_parameters: bool,
    ) -> Result<Object, ConversionError> {
        let item = object(item, at)?;
        let mut shared = Vec::new();
        let mut inherited = Vec::new();
        for (at, parameter) in parameter_list(item, at)? {
            let resolved = self.resolve_parameter(parameter, &at)?;
            if share_parameters && !matches!(resolved.location(), "body" | "formData") {
                shared.push(self.plain_parameter(&resolved, &at)?);
            } else {
                inherited.push((at, parameter));
            }
        }
        let mut out = Object::new();
        if !shared.is_empty() {
            out.insert("parameters".into(), shared.into());
        }
        for (method, operation) in item
            .iter()
            .filter(|(key, _)| METHODS.contains(&key.as_str()))
        {
            out.insert(
                method.clone(),
                self.operation(operation, &inherited, &at.join(method))?,
            );
        }
        if let Some(reference) = item.get("$ref") {
            out.insert("$ref".into(), reference.clone());
        }
        self.copy_extensions(item, &mut out);
        Ok(out)
    }

    /// An operation, with `inherited` path-level parameters it does not
    /// redefine. Per-operation `schemes` have no OpenAPI 3 counterpart
    /// short of per-operation servers, and are dropped.
    pub(super) fn operation(
        &self,
        operation: &'a Value,
        inherited: &[(Pointer, &'a Value)],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let operation = object(operation, at)?;
        let consumes = media_types(operation.get("consumes"), &self.consumes);
        let produces = media_types(operation.get("produces"), &self.produces);
        let mut out = Object::new();
        for key in [
            "tags",
            "summary",
            "description",
            "externalDocs",
            "operationId",
            "deprecated",
            "security",
        ] {
            if let Some(value) = operation.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        let (parameters, request_body) =
            self.operation_parameters(operation, inherited, &consumes, at)?;
        if !parameters.is_empty() {
            out.insert("parameters".into(), parameters.into());
        }
        if let Some(request_body) = request_body {
            out.insert("requestBody".into(), request_body);
        }
        if let Some(responses) = operation.get("responses") {
            out.insert(
                "responses".into(),
                self.responses(responses, &produces, &at.join("responses"))?,
            );
        }
        self.copy_extensions(operation, &mut out);
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::swagger::ConversionError;

    use crate::swagger::tests::{at, conversion_error, convert, operation, swagger};

    #[test]
    fn x_ms_paths_merge_into_paths_without_their_query_strings() {
        let id = json!({ "name": "id", "in": "path", "required": true, "type": "string" });
        let mode = json!({ "name": "mode", "in": "query", "required": true, "type": "string", "enum": ["copy"] });
        let document = swagger(
            json!({ "/jobs/{id}": { "parameters": [id], "get": operation(json!([])) } }),
            json!({ "x-ms-paths": { "/jobs/{id}?mode=copy": { "parameters": [mode], "put": operation(json!([id])) } } }),
        );
        let id =
            json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } });
        let mode = json!({ "name": "mode", "in": "query", "required": true, "schema": { "type": "string", "enum": ["copy"] } });
        let converted = convert(&document);
        // Sharing one path item, each source's path-level parameters apply
        // to its own operations only.
        assert_eq!(
            at(&converted, "/paths"),
            &json!({
                "/jobs/{id}": {
                    "get": { "parameters": [id], "responses": { "204": { "description": "Done." } } },
                    "put": { "parameters": [id, mode], "responses": { "204": { "description": "Done." } } },
                },
            })
        );
        assert_eq!(converted.get("x-ms-paths"), None);

        let document = swagger(
            json!({ "/jobs": { "get": operation(json!([])) } }),
            json!({ "x-ms-paths": { "/jobs?_overload=listAll": { "get": operation(json!([])) } } }),
        );
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/x-ms-paths/~1jobs?_overload=listAll/get".into(),
                message: "`GET /jobs` is already defined; dropping the query string of `x-ms-paths` keys would make two operations one".into(),
            }
        );
    }
}
