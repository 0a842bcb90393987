//! The cases of one operation: the values a request starts from, the
//! documented examples replayed, the expectations, and the request built
//! from values.

use openapi_runtime::path_segment;
use serde_json::Value;

use super::{Body, Case, Expect, Inputs, Request, Trust, Wanted, Why};
use crate::report::CaseKind;
use crate::rules::{self, Rules, Source};
use crate::spec::{Example, Location, Operation, Spec};

/// Builds the cases of one operation.
pub(super) struct Builder<'a> {
    pub(super) spec: &'a Spec,
    pub(super) operation: &'a Operation,
    pub(super) index: usize,
    pub(super) inputs: &'a Inputs,
    pub(super) rules: Rules,
    pub(super) trust: &'a Trust,
}

/// Parameter values by name, and the body, as JSON.
#[derive(Debug, Clone, Default)]
pub(super) struct Values {
    pub(super) params: Vec<(String, Value)>,
    pub(super) body: Option<Value>,
    /// Parameters a probe leaves out on purpose.
    pub(super) omitted: Vec<String>,
    /// Why there is no body to send (no documented one fits its schema).
    /// A probe that sends a body of its own clears it.
    pub(super) unusable_body: Option<String>,
}

impl Values {
    pub(super) fn set(&mut self, name: &str, value: Value) {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_owned(), value));
    }

    pub(super) fn omit(&mut self, name: &str) {
        self.params.retain(|(n, _)| n != name);
        self.omitted.push(name.to_owned());
    }

    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl Builder<'_> {
    pub(super) fn name(&self, kind: CaseKind, rest: &str) -> String {
        format!("{}/{}/{rest}", self.operation.id, kind.as_str())
    }

    pub(super) fn case(
        &self,
        kind: CaseKind,
        rest: &str,
        summary: String,
        request: Result<Request, String>,
        expect: Expect,
    ) -> Case {
        Case {
            name: self.name(kind, rest),
            kind,
            summary,
            operation: self.index,
            request,
            changes_state: matches!(
                expect,
                Expect::Answer {
                    wanted: Wanted::Success | Wanted::SuccessOrRefusal,
                    ..
                }
            ),
            method_declared: true,
            expect,
        }
    }

    /// An answer of the `wanted` kind, because the spec says so at `pointer`.
    pub(super) fn by_spec(&self, wanted: Wanted, pointer: &str, reason: String) -> Expect {
        Expect::Answer {
            wanted,
            why: Why::Spec(self.spec.basis(pointer)),
            reason,
            azure_code: None,
        }
    }

    /// A 4xx, because the request breaks the spec at `pointer`.
    pub(super) fn refused_by_spec(&self, pointer: &str) -> Expect {
        self.by_spec(
            Wanted::Refusal,
            pointer,
            "the request breaks the spec here".to_owned(),
        )
    }

    /// What an unknown id in `param` must get: it differs by method where
    /// the rules say so (a DELETE of nothing, an upsert that creates).
    pub(super) fn unknown_id(&self, param: &str, last: bool) -> Expect {
        let azure = self.operation.is_azure() && self.rules.is_on(Source::Azure);
        let (wanted, rule, reason) = match self.operation.method.as_str() {
            "DELETE" if azure => (
                Wanted::Code(204),
                &rules::DELETE_MISSING,
                "deleting what is not there still succeeds (204 No Content)".to_owned(),
            ),
            "DELETE" => (
                Wanted::SuccessOrRefusal,
                &rules::DELETE_IDEMPOTENT,
                "deleting what is not there may succeed or be refused".to_owned(),
            ),
            "PUT" | "PATCH" if last && azure => (
                Wanted::Success,
                &rules::UPSERT_CREATES,
                format!("the request creates the resource `{param}` names"),
            ),
            "PUT" | "PATCH" if last => (
                Wanted::SuccessOrRefusal,
                &rules::UPSERT_MAY_CREATE,
                format!("the request may create the resource `{param}` names"),
            ),
            _ => (
                Wanted::Refusal,
                &rules::UNKNOWN_ID,
                format!("no resource has this `{param}` (404 Not Found)"),
            ),
        };
        Expect::Answer {
            wanted,
            why: Why::Rule(rule),
            reason,
            azure_code: None,
        }
    }

    pub(super) fn replay(&self, example: &Example, trust_body: bool) -> Case {
        let mut values = Values {
            params: example
                .params
                .iter()
                .map(|(name, v)| (name.clone(), v.value.clone()))
                .collect(),
            body: example.body.as_ref().map(|b| b.value.clone()),
            ..Values::default()
        };
        self.apply_overrides(&mut values);
        let mut case = self.case(
            CaseKind::Example,
            &example.name,
            format!("the documented example `{}`, replayed", example.name),
            self.request(&self.operation.method, &values, BodyBytes::Json),
            Expect::Documented {
                example: Box::new(example.clone()),
                trust_body,
            },
        );
        case.changes_state = true;
        case
    }

    pub(super) fn apply_overrides(&self, values: &mut Values) {
        for (name, value) in &self.inputs.params {
            if self.operation.params.iter().any(|p| &p.name == name) {
                values.set(name, Value::String(value.clone()));
            }
        }
    }

    /// The values probes start from: the first example's parameters, else
    /// each parameter's schema default; the first documented body, or the
    /// one [`Trust::probe_bodies`] gives where that breaks its schema;
    /// overrides on top.
    pub(super) fn base_values(&self) -> Values {
        let examples = &self.operation.examples;
        let mut values = match examples.first() {
            Some(example) => Values {
                params: example
                    .params
                    .iter()
                    .map(|(n, v)| (n.clone(), v.value.clone()))
                    .collect(),
                ..Values::default()
            },
            None => Values::default(),
        };
        match self.trust.probe_bodies.get(&self.index) {
            Some(Ok(body)) => values.body = Some(body.clone()),
            Some(Err(why)) => values.unusable_body = Some(why.clone()),
            None => {
                values.body = examples
                    .iter()
                    .find_map(|e| e.body.as_ref())
                    .map(|b| b.value.clone())
            }
        }
        for param in &self.operation.params {
            let default = param
                .schema
                .as_ref()
                .and_then(|s| self.spec.resolve(s).ok())
                .and_then(|(schema, _)| schema.get("default").cloned());
            if let (None, Some(default)) = (values.get(&param.name), default) {
                values.set(&param.name, default);
            }
        }
        self.apply_overrides(&mut values);
        values
    }

    /// Fills the path and query from `values`; a required value missing is
    /// an error naming the parameter and how to give it.
    pub(super) fn request(
        &self,
        method: &str,
        values: &Values,
        bytes: BodyBytes,
    ) -> Result<Request, String> {
        if let Some(why) = &values.unusable_body {
            return Err(why.clone());
        }
        let operation = self.operation;
        let path = fill_path(&operation.path, |name| values.get(name))?;
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let mut cookies = Vec::new();
        for param in &operation.params {
            let Some(value) = values.get(&param.name) else {
                let omitted = values.omitted.contains(&param.name);
                if param.required && !omitted && param.location != Location::Path {
                    return Err(missing(&param.name, param.location.as_str()));
                }
                continue;
            };
            match param.location {
                Location::Query => query.push((param.name.clone(), wire_text(value))),
                Location::Header => headers.push((param.name.clone(), wire_text(value))),
                Location::Cookie => cookies.push(format!("{}={}", param.name, wire_text(value))),
                // Already in the path.
                Location::Path => {}
            }
        }
        if !cookies.is_empty() {
            headers.push(("Cookie".to_owned(), cookies.join("; ")));
        }
        let body = values.body.as_ref().map(|value| {
            let mut text = value.to_string();
            if bytes == BodyBytes::CutShort {
                text.pop();
            }
            Body {
                content_type: operation
                    .body
                    .as_ref()
                    .map_or_else(|| "application/json".to_owned(), |b| b.media_type.clone()),
                bytes: text.into_bytes(),
            }
        });
        Ok(Request {
            method: method.to_owned(),
            path,
            query,
            headers,
            body,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyBytes {
    Json,
    /// The JSON text without its last character.
    CutShort,
}

/// `template` with each `{name}` replaced by its value, percent-encoded as
/// one path segment; a value missing is an error saying how to give it.
pub(crate) fn fill_path<'v>(
    template: &str,
    value_of: impl Fn(&str) -> Option<&'v Value>,
) -> Result<String, String> {
    let mut path = String::new();
    for (index, piece) in template.split('{').enumerate() {
        if index == 0 {
            path.push_str(piece);
            continue;
        }
        let Some((name, rest)) = piece.split_once('}') else {
            return Err(format!("the path `{template}` has an unclosed `{{`"));
        };
        let value = value_of(name).ok_or_else(|| missing(name, "path"))?;
        let segment = path_segment::<()>("path", &wire_text(value)).map_err(|e| match e {
            openapi_runtime::Error::InvalidArgument { reason, .. } => {
                format!("path parameter `{name}`: {reason}")
            }
            other => format!("path parameter `{name}`: {other}"),
        })?;
        path.push_str(&segment);
        path.push_str(rest);
    }
    Ok(path)
}

fn missing(name: &str, location: &str) -> String {
    format!(
        "no value for the required {location} parameter `{name}`: the spec documents none; give one with --param {name}=VALUE"
    )
}

/// A parameter value as sent: strings as they are, arrays comma-joined
/// (OpenAPI's `form` style without `explode`), anything else as JSON.
pub(crate) fn wire_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(wire_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}
