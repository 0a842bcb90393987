//! A step's request: its parameters (the workflow's, then the step's own),
//! the operation's documented defaults for the rest, and its body with the
//! replacements applied, every runtime expression evaluated.

use serde_json::Value;

use super::document::{Parameter, RequestBody, Step, Workflow};
use super::expression::{self, Scope};
use super::plan::Plan;
use crate::cases::{Body, Request, fill_path, wire_text};
use crate::spec::{Location, Operation, Spec, join};

/// A request, and the values behind it that expressions read.
pub struct Built {
    pub request: Request,
    pub path: Vec<(String, Value)>,
    pub body: Option<Value>,
}

/// Builds the request of an operation step; `Err` names the place in the
/// Arazzo file (a pointer under `at`, the step's) and why.
pub fn build(
    plan: &Plan,
    workflow: &Workflow,
    step: &Step,
    at: &str,
    (spec, operation): (&Spec, &Operation),
    scope: &Scope<'_>,
) -> Result<Built, (String, String)> {
    let mut given: Vec<(Parameter, String)> = Vec::new();
    let lists = [
        (
            &workflow.parameters,
            at.rsplit_once("/steps/").map_or(at, |(w, _)| w),
        ),
        (&step.parameters, at),
    ];
    for (list, owner) in lists {
        for (n, parameter) in list.iter().enumerate() {
            let pointer = join(&join(owner, "parameters"), n);
            let Some(parameter) = plan.parameter(parameter) else {
                continue;
            };
            given.retain(|(p, _)| !(p.name == parameter.name && p.location == parameter.location));
            given.push((parameter, pointer));
        }
    }
    let mut path = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut cookies = Vec::new();
    for (parameter, pointer) in &given {
        let value = expression::value(&parameter.value, scope)
            .map_err(|e| (join(pointer, "value"), e.to_string()))?;
        let name = parameter.name.clone();
        match parameter.location.as_deref() {
            Some("path") => path.push((name, value)),
            Some("query") => query.push((name, wire_text(&value))),
            Some("header") => headers.push((name, wire_text(&value))),
            Some("cookie") => cookies.push(format!("{name}={}", wire_text(&value))),
            // Checked by the plan: operation steps' parameters have `in`.
            _ => {}
        }
    }
    for param in &operation.params {
        let given = given.iter().any(|(p, _)| {
            p.name == param.name && p.location.as_deref() == Some(param.location.as_str())
        });
        if given {
            continue;
        }
        let default = param
            .schema
            .as_ref()
            .and_then(|s| spec.resolve(s).ok())
            .and_then(|(schema, _)| schema.get("default").cloned());
        match (default, param.location) {
            (Some(value), Location::Path) => path.push((param.name.clone(), value)),
            (Some(value), Location::Query) => query.push((param.name.clone(), wire_text(&value))),
            (Some(value), Location::Header) => {
                headers.push((param.name.clone(), wire_text(&value)))
            }
            (None, _) if param.required => {
                return Err((
                    join(at, "parameters"),
                    format!(
                        "operation `{}` needs the {} parameter `{}`, which the step does not give and the spec gives no default for",
                        operation.id,
                        param.location.as_str(),
                        param.name
                    ),
                ));
            }
            _ => {}
        }
    }
    if !cookies.is_empty() {
        headers.push(("Cookie".to_owned(), cookies.join("; ")));
    }
    let filled = fill_path(&operation.path, |name| {
        path.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    })
    .map_err(|e| (join(at, "parameters"), e))?;
    let (body, value) = match &step.request_body {
        Some(body) => {
            let (bytes, value) = body_of(body, &join(at, "requestBody"), scope)?;
            let content_type = body
                .content_type
                .clone()
                .or_else(|| operation.body.as_ref().map(|b| b.media_type.clone()))
                .unwrap_or_else(|| "application/json".to_owned());
            let bytes = match (&value, content_type.contains("x-www-form-urlencoded")) {
                (Some(Value::Object(map)), true) => {
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(map.iter().map(|(k, v)| (k, wire_text(v))))
                        .finish()
                        .into_bytes()
                }
                _ => bytes,
            };
            (
                Some(Body {
                    content_type,
                    bytes,
                }),
                value,
            )
        }
        None => (None, None),
    };
    Ok(Built {
        request: Request {
            method: operation.method.clone(),
            path: filled,
            query,
            headers,
            body,
        },
        path,
        body: value,
    })
}

/// The payload evaluated, replacements applied: its bytes, and its value
/// when it is JSON (a string payload is sent as its text).
fn body_of(
    body: &RequestBody,
    at: &str,
    scope: &Scope<'_>,
) -> Result<(Vec<u8>, Option<Value>), (String, String)> {
    let mut payload = match &body.payload {
        Some(payload) => {
            expression::value(payload, scope).map_err(|e| (join(at, "payload"), e.to_string()))?
        }
        None => Value::Null,
    };
    for (n, replacement) in body.replacements.iter().enumerate() {
        let here = join(&join(at, "replacements"), n);
        let value = expression::value(&replacement.value, scope)
            .map_err(|e| (join(&here, "value"), e.to_string()))?;
        let slot = place(&mut payload, &replacement.target).ok_or_else(|| {
            (
                join(&here, "target"),
                format!("`{}` is no place in the payload", replacement.target),
            )
        })?;
        *slot = value;
    }
    Ok(match payload {
        Value::String(text) => {
            let parsed = serde_json::from_str(&text).ok();
            (text.into_bytes(), parsed)
        }
        other => (other.to_string().into_bytes(), Some(other)),
    })
}

/// The slot `pointer` names in `value`: an existing one, or a new member of
/// an existing object (`-` appends to an array).
fn place<'a>(value: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if value.pointer(pointer).is_some() {
        return value.pointer_mut(pointer);
    }
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = last.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent)? {
        Value::Object(map) => Some(map.entry(last).or_insert(Value::Null)),
        Value::Array(items) if last == "-" => {
            items.push(Value::Null);
            items.last_mut()
        }
        _ => None,
    }
}
