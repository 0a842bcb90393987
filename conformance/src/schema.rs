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
        choose_by_discriminator(&mut root);
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
        let mut problems = Vec::new();
        for error in validator.iter_errors(value) {
            describe(&error, &mut problems);
            if problems.len() >= MAX_ERRORS {
                break;
            }
        }
        problems.truncate(MAX_ERRORS);
        Ok(problems)
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

/// `error` as `<path in the value>: <what is wrong>` lines. The subtype
/// checks below write "the value is not named X, or it is an X" as an
/// `anyOf` of a `not` guard and the subtype; when only the guard fails,
/// the subtype's own problems are the ones to report, not "valid under
/// none of the anyOf".
fn describe(error: &jsonschema::ValidationError<'_>, out: &mut Vec<String>) {
    use jsonschema::error::ValidationErrorKind;
    let only_guard = |branch: &Vec<jsonschema::ValidationError<'static>>| {
        !branch.is_empty()
            && branch
                .iter()
                .all(|e| matches!(e.kind(), ValidationErrorKind::Not { .. }))
    };
    if let ValidationErrorKind::AnyOf { context } = error.kind()
        && let [first, second] = context.as_slice()
        && only_guard(first) != only_guard(second)
    {
        let subtype = if only_guard(first) { second } else { first };
        for inner in subtype {
            describe(inner, out);
        }
        return;
    }
    let at = error.instance_path().as_str();
    let at = if at.is_empty() { "/" } else { at };
    out.push(format!("{at}: {error}"));
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

/// OpenAPI 3's `oneOf`/`anyOf` with a `discriminator`: the value is the
/// option its property names (by `mapping`, else by the option's schema
/// name), not whichever options happen to fit, so options that overlap
/// (all their properties optional, say) are no longer "valid against more
/// than one". A value without the property is judged as before; options
/// that are not `$ref`s cannot be named, and leave the schema as it is.
fn choose_by_discriminator(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                choose_by_discriminator(child);
            }
            if let Some(chosen) = chosen_option(map) {
                *value = chosen;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(choose_by_discriminator),
        _ => {}
    }
}

/// The schema `map` becomes under [`choose_by_discriminator`], if it
/// chooses by a discriminator.
fn chosen_option(map: &serde_json::Map<String, Value>) -> Option<Value> {
    let property = map.get("discriminator")?.get("propertyName")?.as_str()?;
    let (keyword, options) = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|k| Some((k, map.get(k)?.as_array()?)))?;
    let mapping = map["discriminator"]
        .get("mapping")
        .and_then(Value::as_object);
    // Each option's `$ref` with the property values that name it.
    let mut named: Vec<(&str, Vec<&str>)> = Vec::new();
    for option in options {
        let reference = option.get("$ref")?.as_str()?;
        let mut names: Vec<&str> = mapping
            .into_iter()
            .flatten()
            .filter(|(_, target)| target.as_str() == Some(reference))
            .map(|(name, _)| name.as_str())
            .collect();
        if names.is_empty() {
            names.push(reference.rsplit('/').next().unwrap_or(reference));
        }
        named.push((reference, names));
    }
    let every_name: Vec<&str> = named.iter().flat_map(|(_, n)| n.iter().copied()).collect();
    let mut by_name = vec![json!({"properties": {property: {"enum": every_name}}})];
    by_name.extend(named.iter().map(|(reference, names)| {
        json!({"anyOf": [
            {"properties": {property: {"not": {"enum": names}}}},
            {"$ref": reference},
        ]})
    }));
    let mut rest = map.clone();
    rest.remove(keyword);
    // Guards are `not`s, so that `describe` reports the named option's
    // problems: "absent, or chosen by name" and "present (not absent), or
    // the options as written".
    let absent = json!({"not": {"required": [property]}});
    Some(json!({"allOf": [
        Value::Object(rest),
        {"anyOf": [absent, {"allOf": by_name}]},
        {"anyOf": [{"not": absent}, {keyword: options}]},
    ]}))
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

    /// OpenAPI 3's polymorphism: `Pet` is one of `Cat` or `Dog`, told
    /// apart by `petType` (`Cat` named by the mapping, `Dog` by its
    /// schema's name); every property optional, so a plain `oneOf` finds
    /// most values valid against both.
    fn one_of_with_mapping() -> Schemas {
        Schemas::new(&one_of_with_mapping_document())
    }

    fn one_of_with_mapping_document() -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Pet": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Cat"},
                        {"$ref": "#/components/schemas/Dog"}
                    ],
                    "discriminator": {
                        "propertyName": "petType",
                        "mapping": {"cat": "#/components/schemas/Cat"}
                    }
                },
                "Cat": {"type": "object", "properties": {
                    "petType": {"type": "string"}, "lives": {"type": "integer"}}},
                "Dog": {"type": "object", "properties": {
                    "petType": {"type": "string"}, "bark": {"type": "boolean"}}}
            }}
        })
    }

    #[test]
    fn one_of_with_a_discriminator_checks_only_the_option_the_property_names() {
        let schemas = one_of_with_mapping();
        let problems = |value: Value| {
            schemas
                .problems("/components/schemas/Pet", &value)
                .expect("compiles")
        };
        // A plain oneOf refuses these: they fit Cat and Dog alike.
        assert_eq!(
            problems(json!({"petType": "cat", "lives": 9})),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(json!({"petType": "Dog", "bark": true})),
            Vec::<String>::new()
        );
        // Named Cat, checked as a Cat only.
        let wrong = problems(json!({"petType": "cat", "lives": "nine"}));
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].starts_with("/lives: "), "{wrong:?}");
        // A name no option has.
        let unknown = problems(json!({"petType": "fish"}));
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(unknown[0].starts_with("/petType: "), "{unknown:?}");
        // Without the property, the oneOf as written: both fit, refused.
        assert_eq!(problems(json!({"lives": 9})).len(), 1);
    }

    #[test]
    fn a_discriminated_one_of_inside_a_list_is_chosen_by_name_too() {
        let mut document = one_of_with_mapping_document();
        document["components"]["schemas"]["Nested"] = json!({"allOf": [
            document["components"]["schemas"]["Pet"].clone()
        ]});
        let schemas = Schemas::new(&document);
        // The discriminated oneOf sits in an `allOf` list here.
        let nested = schemas
            .problems(
                "/components/schemas/Nested",
                &json!({"petType": "cat", "lives": 9}),
            )
            .expect("compiles");
        assert_eq!(nested, Vec::<String>::new());
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
        // The subtype's own problem, not "valid under none of the anyOf".
        let named = schemas
            .problems("/definitions/Rule", &json!({"kind": "static", "value": 5}))
            .expect("compiles");
        assert!(
            named[0].starts_with("/value: 5 is not of type"),
            "{named:?}"
        );
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
