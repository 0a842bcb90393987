//! Validates JSON values against the spec's schemas with the `jsonschema`
//! crate.
//!
//! OpenAPI 3.0 schemas are an extended subset of JSON Schema draft 4 (its
//! `exclusiveMinimum` is a boolean, siblings of `$ref` are ignored), so the
//! validator runs in draft 4 mode, with formats (`date-time`...) asserted.
//! The one keyword that changes meaning is `nullable`, which draft 4 does
//! not know: it is rewritten to allow `null` before compiling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use generator::document::Pointer;
use jsonschema::{Draft, Validator};
use serde_json::{Value, json};

/// At most this many problems are reported for one value.
const MAX_ERRORS: usize = 8;

/// The spec's document as JSON Schema, with validators compiled on first use.
pub struct Schemas {
    root: Value,
    compiled: Mutex<HashMap<String, Arc<Validator>>>,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas").finish_non_exhaustive()
    }
}

impl Schemas {
    pub fn new(document: &Value) -> Self {
        let mut root = document.clone();
        allow_null_where_nullable(&mut root);
        check_subtypes(&mut root);
        Self {
            root,
            compiled: Mutex::new(HashMap::new()),
        }
    }

    /// The problems with `value` against the schema at `pointer` (empty
    /// when it is valid), each as `<path in the value>: <what is wrong>`.
    /// `Err` when the schema itself cannot be compiled.
    pub fn problems(&self, pointer: &str, value: &Value) -> Result<Vec<String>, String> {
        let validator = self.validator(pointer)?;
        Ok(validator
            .iter_errors(value)
            .take(MAX_ERRORS)
            .map(|error| {
                let at = error.instance_path().as_str();
                let at = if at.is_empty() { "/" } else { at };
                format!("{at}: {error}")
            })
            .collect())
    }

    /// `value` (an object) with each top-level property the schema at
    /// `pointer` refuses left out, when what is left fits: how a documented
    /// body that breaks its schema in a few properties still gives one that
    /// does not. None when the object itself is refused (a property
    /// missing, say) or nothing fits.
    pub fn fitting(&self, pointer: &str, value: &Value) -> Option<Value> {
        let validator = self.validator(pointer).ok()?;
        let mut object = value.as_object()?.clone();
        for error in validator.iter_errors(value) {
            let path = error.instance_path().as_str().to_owned();
            let name = path.strip_prefix('/')?.split('/').next()?;
            // A JSON pointer segment: `~1` is `/`, `~0` is `~`.
            object.remove(&name.replace("~1", "/").replace("~0", "~"));
        }
        let fitted = Value::Object(object);
        validator.is_valid(&fitted).then_some(fitted)
    }

    fn validator(&self, pointer: &str) -> Result<Arc<Validator>, String> {
        let compiled = || self.compiled.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(validator) = compiled().get(pointer) {
            return Ok(validator.clone());
        }
        // The document itself is the root resource, so every `#/...` inside
        // the schema resolves; the schema is reached by a `$ref` at the top.
        let mut schema = self.root.clone();
        if let Value::Object(map) = &mut schema {
            let reference = Pointer::from_escaped(pointer).to_fragment();
            map.insert("$ref".to_owned(), json!(reference));
        }
        let validator = jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| format!("the schema at {pointer} cannot be used: {e}"))?;
        let validator = Arc::new(validator);
        compiled().insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }
}

/// Rewrites every `nullable: true` schema so that draft 4 accepts `null`:
/// `type` gains `"null"` and an `enum` gains `null`; a schema without
/// `type` (a composition) becomes `anyOf: [itself, {type: null}]`.
fn allow_null_where_nullable(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                allow_null_where_nullable(child);
            }
            if map.remove("nullable") != Some(Value::Bool(true)) {
                return;
            }
            if let Some(Value::Array(values)) = map.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            match map.get_mut("type") {
                Some(Value::String(ty)) => {
                    let ty = std::mem::take(ty);
                    map.insert("type".to_owned(), json!([ty, "null"]));
                }
                Some(_) => {}
                None => {
                    let itself = Value::Object(std::mem::take(map));
                    map.insert("anyOf".to_owned(), json!([itself, {"type": "null"}]));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(allow_null_where_nullable),
        _ => {}
    }
}

/// OpenAPI's (and Swagger's) `discriminator`, which JSON Schema ignores:
/// a value of a base schema whose discriminator property names one of its
/// subtypes (a schema with `allOf` the base; named by its
/// `x-ms-discriminator-value`, else its name) must also be a value of that
/// subtype. The base moves to `<name>.base` (the subtypes' `allOf` point
/// there), and the base's name becomes: the base, and for each subtype,
/// "the property is not its value, or the value is a subtype value".
fn check_subtypes(root: &mut Value) {
    for (prefix, at) in [
        ("#/definitions/", "/definitions"),
        ("#/components/schemas/", "/components/schemas"),
    ] {
        let Some(Value::Object(map)) = root.pointer_mut(at) else {
            continue;
        };
        let bases: Vec<(String, String)> = map
            .iter()
            .filter_map(|(name, schema)| {
                let found = schema.get("discriminator")?;
                let property = found
                    .as_str()
                    .or_else(|| found.get("propertyName")?.as_str())?;
                Some((name.clone(), property.to_owned()))
            })
            .collect();
        for (base, property) in bases {
            let reference = json!(format!("{prefix}{base}"));
            let moved = format!("{base}.base");
            let mut clauses = vec![json!({"$ref": format!("{prefix}{moved}")})];
            for (name, schema) in map.iter_mut() {
                let Some(Value::Array(parts)) = schema.get_mut("allOf") else {
                    continue;
                };
                let Some(part) = parts.iter_mut().find(|p| p.get("$ref") == Some(&reference))
                else {
                    continue;
                };
                part["$ref"] = json!(format!("{prefix}{moved}"));
                let value = schema
                    .get("x-ms-discriminator-value")
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                clauses.push(json!({"anyOf": [
                    {"properties": {&property: {"not": {"enum": [value]}}}},
                    {"$ref": format!("{prefix}{name}")},
                ]}));
            }
            if clauses.len() == 1 || map.contains_key(&moved) {
                continue;
            }
            if let Some(original) = map.insert(base.clone(), json!({"allOf": clauses})) {
                map.insert(moved, original);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "nullable": true},
                        "at": {"type": "string", "format": "date-time"},
                        "kind": {"type": "string", "enum": ["a", "b"], "nullable": true},
                        "child": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Thing"}]},
                        "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}
                    }
                }
            }}
        })
    }

    fn problems(value: Value) -> Vec<String> {
        let schemas = Schemas::new(&document());
        match schemas.problems("/components/schemas/Thing", &value) {
            Ok(problems) => problems,
            Err(e) => vec![format!("compile: {e}")],
        }
    }

    /// Swagger's polymorphism: `Rule` is told apart by `kind`.
    fn polymorphic() -> Schemas {
        Schemas::new(&json!({
            "swagger": "2.0",
            "definitions": {
                "Rule": {
                    "type": "object",
                    "discriminator": "kind",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string", "enum": ["static", "other"]}}
                },
                "StaticRule": {
                    "x-ms-discriminator-value": "static",
                    "allOf": [{"$ref": "#/definitions/Rule"}],
                    "required": ["value"],
                    "properties": {"value": {"type": "string"}}
                },
                "Holder": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "rule": {"$ref": "#/definitions/Rule"}}
                }
            }
        }))
    }

    #[test]
    fn a_discriminated_value_is_checked_against_the_subtype_it_names() {
        let schemas = polymorphic();
        let count = |value: Value| {
            schemas
                .problems("/definitions/Rule", &value)
                .expect("compiles")
                .len()
        };
        assert_eq!(count(json!({"kind": "static", "value": "x"})), 0);
        assert_eq!(count(json!({"kind": "other"})), 0);
        assert_eq!(count(json!({"kind": "static", "value": 5})), 1);
        let found = schemas
            .problems("/definitions/Rule", &json!({"kind": "static-rule"}))
            .expect("compiles");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("/kind: "), "{found:?}");
    }

    #[test]
    fn fitting_leaves_out_the_refused_properties() {
        let schemas = polymorphic();
        let holder = "/definitions/Holder";
        let body = json!({"name": "n", "rule": {"kind": "static", "value": 5}});
        assert_eq!(schemas.fitting(holder, &body), Some(json!({"name": "n"})));
        assert_eq!(
            schemas.fitting(holder, &json!({"name": "n"})),
            Some(json!({"name": "n"}))
        );
        assert_eq!(
            schemas.fitting(holder, &json!(["not", "an", "object"])),
            None
        );
    }

    #[test]
    fn nullable_allows_null_in_types_enums_and_compositions() {
        assert_eq!(
            problems(json!({"name": null, "kind": null, "child": null})),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(json!({"name": "x", "child": {"name": "y", "kind": "b"}})),
            Vec::<String>::new()
        );
    }

    #[test]
    fn problems_name_the_place_in_the_value() {
        let found = problems(json!({"child": {"name": 5}, "kind": "c"}));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("/: ") && p.contains("\"name\"")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.starts_with("/child: ")), "{found:?}");
        assert!(found.iter().any(|p| p.starts_with("/kind: ")), "{found:?}");
    }

    #[test]
    fn formats_are_asserted_and_draft4_exclusive_minimum_is_a_boolean() {
        let found = problems(json!({"name": "x", "at": "yesterday", "count": 0}));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("/at: ") || found[1].starts_with("/at: "),
            "{found:?}"
        );
        assert_eq!(
            problems(json!({"name": "x", "at": "2023-11-01T00:00:00Z", "count": 1})),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_schema_that_cannot_compile_is_an_error_not_a_panic() {
        let schemas = Schemas::new(&json!({"components": {"schemas": {"Bad": {"type": 12}}}}));
        let error = schemas
            .problems("/components/schemas/Bad", &json!(1))
            .expect_err("cannot compile");
        assert!(
            error.starts_with("the schema at /components/schemas/Bad cannot be used: "),
            "{error}"
        );
    }
}
