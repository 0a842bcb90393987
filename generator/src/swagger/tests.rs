//! Helpers the conversion tests share, and tests of whole documents.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{ConversionError, to_openapi3};

pub(super) fn convert(document: &Value) -> Value {
    match to_openapi3(document) {
        Ok(converted) => converted,
        Err(e) => panic!("conversion failed: {e}"),
    }
}

pub(super) fn conversion_error(document: &Value) -> ConversionError {
    match to_openapi3(document) {
        Ok(converted) => panic!("expected an error, converted to {converted:#}"),
        Err(e) => e,
    }
}

/// A minimal Swagger document with `paths`, plus `extra`'s top-level fields.
pub(super) fn swagger(paths: Value, extra: Value) -> Value {
    let mut document = json!({
        "swagger": "2.0",
        "info": { "title": "Test", "version": "1" },
        "paths": paths,
    });
    if let (Some(document), Value::Object(extra)) = (document.as_object_mut(), extra) {
        document.extend(extra);
    }
    document
}

/// An operation with the given parameters and a bodiless 204.
pub(super) fn operation(parameters: Value) -> Value {
    json!({ "parameters": parameters, "responses": { "204": { "description": "Done." } } })
}

pub(super) fn at<'v>(document: &'v Value, pointer: &str) -> &'v Value {
    match document.pointer(pointer) {
        Some(value) => value,
        None => panic!("nothing at {pointer} in {document:#}"),
    }
}

#[test]
fn unconvertible_documents_are_errors_that_say_where() {
    let openapi = json!({ "openapi": "3.0.3", "info": {}, "paths": {} });
    assert_eq!(
        conversion_error(&openapi),
        ConversionError {
            pointer: "/swagger".into(),
            message: "expected \"2.0\", found nothing".into()
        }
    );
    let bodies = json!([
        { "name": "a", "in": "body", "schema": {} },
        { "name": "b", "in": "formData", "type": "string" },
    ]);
    let document = swagger(json!({ "/a": { "post": operation(bodies) } }), json!({}));
    assert_eq!(
        conversion_error(&document),
        ConversionError {
            pointer: "/paths/~1a/post/parameters/1".into(),
            message: "a second request body: Swagger allows one body parameter, and no form fields beside it".into(),
        }
    );
    let document = swagger(
        json!({ "/a": { "get": operation(json!([{ "$ref": "#/parameters/Missing" }])) } }),
        json!({}),
    );
    assert_eq!(
        conversion_error(&document),
        ConversionError {
            pointer: "/paths/~1a/get/parameters/0/$ref".into(),
            message: "`#/parameters/Missing` names no parameter".into(),
        }
    );
}

/// Microsoft's published Job Router document, as this repository keeps it.
const JOB_ROUTER: &str = include_str!("../../../spec/jobrouter/communicationservicejobrouter.json");

/// The same document converted by swagger2openapi 7.0.8, a public
/// document kept in `../shared` beside the clone (never copied here).
fn job_router_reference() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/specs/azure-jobrouter-2023-11-01/openapi3.json"
    );
    match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn parse(text: &str) -> Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => panic!("not JSON: {e}"),
    }
}

/// Every (path, method, operationId) in an OpenAPI document.
fn operations(document: &Value) -> BTreeSet<(String, String, String)> {
    let paths = at(document, "/paths").as_object().into_iter().flatten();
    paths
        .flat_map(|(path, item)| {
            let operations = item.as_object().into_iter().flatten();
            operations.filter_map(move |(method, operation)| {
                let id = operation.get("operationId")?.as_str()?;
                Some((path.clone(), method.clone(), id.to_owned()))
            })
        })
        .collect()
}

fn schema_names(document: &Value) -> BTreeSet<String> {
    at(document, "/components/schemas")
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| name.clone())
        .collect()
}

/// Every local `$ref` in `value`, outside `x-ms-examples`.
fn local_refs(value: &Value, refs: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                match (key.as_str(), member) {
                    ("x-ms-examples", _) => {}
                    ("$ref", Value::String(reference)) if reference.starts_with('#') => {
                        refs.insert(reference.clone());
                    }
                    _ => local_refs(member, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| local_refs(item, refs)),
        _ => {}
    }
}

#[test]
#[ignore = "needs ../shared/specs beside the clone"]
fn job_router_converts_like_swagger2openapi() {
    let swagger = parse(JOB_ROUTER);
    let converted = convert(&swagger);
    let reference = parse(&job_router_reference());
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(converted.clone()) {
        panic!("not an OpenAPI 3.0 document: {e}");
    }
    assert_eq!(operations(&converted), operations(&reference));
    assert_eq!(operations(&converted).len(), 33);
    assert_eq!(schema_names(&converted), schema_names(&reference));

    let mut refs = BTreeSet::new();
    local_refs(&converted, &mut refs);
    let dangling: Vec<&String> = refs
        .iter()
        .filter(|r| converted.pointer(&r[1..]).is_none())
        .collect();
    assert_eq!(dangling, Vec::<&String>::new());

    // swagger2openapi invents `"none"` for the endpoint's default; we
    // leave it empty (see `server_variable`).
    assert_eq!(
        at(&converted, "/servers"),
        &json!([{
            "url": "{endpoint}",
            "variables": { "endpoint": { "default": "", "description": "Uri of your Communication resource" } },
        }])
    );
    // swagger2openapi drops the body's name and the examples; both are
    // kept, for the generator and the conformance tester.
    let upsert = "/paths/~1routing~1jobs~1{jobId}/patch";
    assert_eq!(
        at(
            &converted,
            &format!("{upsert}/requestBody/x-ms-requestBody-name")
        ),
        &json!("resource")
    );
    assert_eq!(
        at(&converted, &format!("{upsert}/requestBody/content")),
        at(&reference, &format!("{upsert}/requestBody/content"))
    );
    assert_eq!(
        at(&converted, &format!("{upsert}/x-ms-examples")),
        at(
            &swagger,
            "/paths/~1routing~1jobs~1{jobId}/patch/x-ms-examples"
        )
    );
    assert_eq!(
        at(&converted, "/components/parameters"),
        at(&reference, "/components/parameters")
    );
}
