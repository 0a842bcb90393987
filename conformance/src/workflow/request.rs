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

/// Why a request cannot be built: the pointer in the Arazzo file, and why.
type Refusal = (String, String);

/// Parameter values by place, evaluated.
#[derive(Default)]
struct Values {
    path: Vec<(String, Value)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
}

impl Values {
    fn put(&mut self, location: Location, name: String, value: Value) {
        match location {
            Location::Path => self.path.push((name, value)),
            Location::Query => self.query.push((name, wire_text(&value))),
            Location::Header => self.headers.push((name, wire_text(&value))),
            Location::Cookie => self.cookies.push(format!("{name}={}", wire_text(&value))),
        }
    }
}

/// Builds the request of an operation step at `at` (its pointer).
pub fn build(
    plan: &Plan,
    workflow: &Workflow,
    step: &Step,
    at: &str,
    (spec, operation): (&Spec, &Operation),
    scope: &Scope<'_>,
) -> Result<Built, Refusal> {
    let given = given(plan, workflow, step, at);
    let mut values = Values::default();
    for (parameter, location, pointer) in &given {
        let value = expression::value(&parameter.value, scope)
            .map_err(|e| (join(pointer, "value"), e.to_string()))?;
        values.put(*location, parameter.name.clone(), value);
    }
    defaults(spec, operation, &given, &mut values).map_err(|why| (join(at, "parameters"), why))?;
    let Values {
        path,
        query,
        mut headers,
        cookies,
    } = values;
    if !cookies.is_empty() {
        headers.push(("Cookie".to_owned(), cookies.join("; ")));
    }
    let filled = fill_path(&operation.path, |name| {
        path.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    })
    .map_err(|e| (join(at, "parameters"), e))?;
    let (body, value) = match &step.request_body {
        Some(body) => {
            let (body, value) = body_of(body, operation, &join(at, "requestBody"), scope)?;
            (Some(body), value)
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

/// The parameters sent, each with its place and its pointer: the
/// workflow's, then the step's own, which replace one of the same name and
/// place.
fn given(
    plan: &Plan,
    workflow: &Workflow,
    step: &Step,
    at: &str,
) -> Vec<(Parameter, Location, String)> {
    let workflow_at = at.rsplit_once("/steps/").map_or(at, |(w, _)| w);
    let mut given: Vec<(Parameter, Location, String)> = Vec::new();
    for (list, owner) in [(&workflow.parameters, workflow_at), (&step.parameters, at)] {
        for (n, parameter) in list.iter().enumerate() {
            // The plan checked every reference and every `in`.
            let Some(parameter) = plan.parameter(parameter) else {
                continue;
            };
            let Some(location) = parameter.location.as_deref().and_then(Location::parse) else {
                continue;
            };
            given.retain(|(p, l, _)| !(p.name == parameter.name && *l == location));
            given.push((parameter, location, join(&join(owner, "parameters"), n)));
        }
    }
    given
}

/// The operation's parameters the step does not give: their schema's
/// `default` when documented; a required one without is refused.
fn defaults(
    spec: &Spec,
    operation: &Operation,
    given: &[(Parameter, Location, String)],
    values: &mut Values,
) -> Result<(), String> {
    for param in &operation.params {
        if given
            .iter()
            .any(|(p, l, _)| p.name == param.name && *l == param.location)
        {
            continue;
        }
        let default = param
            .schema
            .as_ref()
            .and_then(|s| spec.resolve(s).ok())
            .and_then(|(schema, _)| schema.get("default").cloned());
        match default {
            Some(value) => values.put(param.location, param.name.clone(), value),
            None if param.required => {
                return Err(format!(
                    "operation `{}` needs the {} parameter `{}`, which the step does not give and the spec gives no default for",
                    operation.id,
                    param.location.as_str(),
                    param.name
                ));
            }
            None => {}
        }
    }
    Ok(())
}

/// The body: the payload evaluated, the replacements applied, sent as the
/// step's `contentType` (else the operation's): a string as its text, an
/// object as a form when the type is one, anything else as JSON. Returns
/// it and its value when it is JSON.
fn body_of(
    body: &RequestBody,
    operation: &Operation,
    at: &str,
    scope: &Scope<'_>,
) -> Result<(Body, Option<Value>), Refusal> {
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
    let content_type = body
        .content_type
        .clone()
        .or_else(|| operation.body.as_ref().map(|b| b.media_type.clone()))
        .unwrap_or_else(|| "application/json".to_owned());
    let (bytes, value) = match payload {
        Value::String(text) => {
            let parsed = serde_json::from_str(&text).ok();
            (text.into_bytes(), parsed)
        }
        Value::Object(map) if content_type.contains("x-www-form-urlencoded") => {
            let form = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(map.iter().map(|(k, v)| (k, wire_text(v))))
                .finish();
            (form.into_bytes(), Some(Value::Object(map)))
        }
        other => (other.to_string().into_bytes(), Some(other)),
    };
    Ok((
        Body {
            content_type,
            bytes,
        },
        value,
    ))
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
