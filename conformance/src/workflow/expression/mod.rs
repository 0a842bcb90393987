//! Arazzo runtime expressions (`$statusCode`, `$response.body#/id`,
//! `$steps.create.outputs.id`...) and strings that embed them
//! (`Bearer {$inputs.token}`), evaluated against what a run knows so far.
//!
//! A name that resolves to nothing is an error naming the expression, not
//! a null: a workflow that reads an output no step wrote has a bug, and
//! it is reported where it happens.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// What a step sent and got, for `$url`, `$method`, `$request.*`,
/// `$statusCode` and `$response.*`.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    pub url: String,
    pub method: String,
    pub request_headers: Vec<(String, String)>,
    pub path: Vec<(String, Value)>,
    pub query: Vec<(String, String)>,
    pub request_body: Option<Value>,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    /// JSON when it parses, else the text.
    pub response_body: Option<Value>,
}

/// Everything an expression can name.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub inputs: &'a Map<String, Value>,
    /// The current workflow's outputs so far (`$outputs`).
    pub outputs: &'a Map<String, Value>,
    /// The current workflow's steps that have run, by stepId: `{"outputs": {...}}`.
    pub steps: &'a BTreeMap<String, Map<String, Value>>,
    /// The workflows that have finished, by workflowId: `{"inputs": {...}, "outputs": {...}}`.
    pub workflows: &'a BTreeMap<String, Map<String, Value>>,
    /// The source descriptions' urls, by name.
    pub sources: &'a BTreeMap<String, String>,
    /// `components.inputs` and the values of `components.parameters`.
    pub components: &'a Components,
    /// The step being run, once it has sent.
    pub exchange: Option<&'a Exchange>,
}

/// The components expressions can read.
#[derive(Debug, Clone, Default)]
pub struct Components {
    pub inputs: Map<String, Value>,
    pub parameters: Map<String, Value>,
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{expression}`: {why}")]
pub struct Unresolved {
    pub expression: String,
    pub why: String,
}

/// Whether `text` is meant as a runtime expression: `$` and a letter.
/// Other text starting with `$` (`$0.99`) is a constant.
pub fn is_expression(text: &str) -> bool {
    text.strip_prefix('$')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_alphabetic())
}

/// A value as written in a workflow: a runtime expression evaluated, a
/// string with `{$...}` in it filled in, objects and arrays walked, any
/// other value as it is.
pub fn value(written: &Value, scope: &Scope<'_>) -> Result<Value, Unresolved> {
    match written {
        Value::String(text) if is_expression(text) => evaluate(text, scope),
        Value::String(text) if text.contains("{$") => template(text, scope).map(Value::String),
        Value::Array(items) => items
            .iter()
            .map(|item| value(item, scope))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Value::Object(map) => map
            .iter()
            .map(|(key, item)| Ok((key.clone(), value(item, scope)?)))
            .collect::<Result<_, _>>()
            .map(Value::Object),
        other => Ok(other.clone()),
    }
}

/// `Bearer {$inputs.token}` with each `{$...}` replaced by its value as
/// text (strings as they are, anything else as JSON).
pub fn template(text: &str, scope: &Scope<'_>) -> Result<String, Unresolved> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{$") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(Unresolved {
                expression: text.to_owned(),
                why: "a `{$` without its closing `}`".to_owned(),
            });
        };
        out.push_str(&as_text(&evaluate(&after[..end], scope)?));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A value as text: strings as they are, anything else as JSON.
pub fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// One runtime expression's value.
pub fn evaluate(expression: &str, scope: &Scope<'_>) -> Result<Value, Unresolved> {
    let fail = |why: String| Unresolved {
        expression: expression.to_owned(),
        why,
    };
    let (head, rest) = match expression.find(['.', '#']) {
        Some(at) => (&expression[..at], &expression[at..]),
        None => (expression, ""),
    };
    let dotted = || rest.strip_prefix('.').unwrap_or(rest);
    match head {
        "$url" | "$method" | "$statusCode" if !rest.is_empty() => {
            Err(fail(format!("`{head}` takes nothing after it")))
        }
        "$url" => Ok(Value::String(exchange(scope, expression)?.url.clone())),
        "$method" => Ok(Value::String(exchange(scope, expression)?.method.clone())),
        "$statusCode" => exchange(scope, expression)?
            .status
            .map(Value::from)
            .ok_or_else(|| fail("no answer came".to_owned())),
        "$request" => request(exchange(scope, expression)?, dotted()).map_err(fail),
        "$response" => response(exchange(scope, expression)?, dotted()).map_err(fail),
        "$inputs" => named(scope.inputs, dotted(), "input").map_err(fail),
        "$outputs" => named(scope.outputs, dotted(), "workflow output").map_err(fail),
        "$steps" => outputs_of(scope.steps, dotted(), "step").map_err(fail),
        "$workflows" => outputs_of(scope.workflows, dotted(), "workflow").map_err(fail),
        "$sourceDescriptions" => {
            let (name, field) = dotted().split_once('.').unwrap_or((dotted(), ""));
            match (scope.sources.get(name), field) {
                (Some(url), "url") => Ok(Value::String(url.clone())),
                (Some(_), _) => Err(fail("a source description gives only its `url`".to_owned())),
                (None, _) => Err(fail(format!("no source description is named `{name}`"))),
            }
        }
        "$components" => {
            let rest = dotted();
            if let Some(name) = rest.strip_prefix("inputs.") {
                named(&scope.components.inputs, name, "components input").map_err(fail)
            } else if let Some(name) = rest.strip_prefix("parameters.") {
                named(&scope.components.parameters, name, "components parameter").map_err(fail)
            } else {
                Err(fail(
                    "only `$components.inputs.*` and `$components.parameters.*` have values"
                        .to_owned(),
                ))
            }
        }
        _ => Err(fail("not a runtime expression Arazzo defines".to_owned())),
    }
}

fn exchange<'a>(scope: &Scope<'a>, expression: &str) -> Result<&'a Exchange, Unresolved> {
    scope.exchange.ok_or_else(|| Unresolved {
        expression: expression.to_owned(),
        why: "only a step's own outputs and criteria can read its request and answer".to_owned(),
    })
}

fn request(exchange: &Exchange, rest: &str) -> Result<Value, String> {
    if let Some(name) = rest.strip_prefix("header.") {
        return header(&exchange.request_headers, name);
    }
    if let Some(name) = rest.strip_prefix("query.") {
        return exchange
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone()))
            .ok_or_else(|| format!("the request had no query parameter `{name}`"));
    }
    if let Some(name) = rest.strip_prefix("path.") {
        return exchange
            .path
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("the request had no path parameter `{name}`"));
    }
    body(exchange.request_body.as_ref(), rest, "the request")
}

fn response(exchange: &Exchange, rest: &str) -> Result<Value, String> {
    if let Some(name) = rest.strip_prefix("header.") {
        return header(&exchange.response_headers, name);
    }
    body(exchange.response_body.as_ref(), rest, "the answer")
}

fn header(headers: &[(String, String)], name: &str) -> Result<Value, String> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| Value::String(v.clone()))
        .ok_or_else(|| format!("no header `{name}`"))
}

/// `body`, `body#/a/0`, or `body.a[0]`.
fn body(body: Option<&Value>, rest: &str, whose: &str) -> Result<Value, String> {
    let Some(path) = rest.strip_prefix("body") else {
        return Err("give `header.NAME`, `query.NAME`, `path.NAME` or `body`".to_owned());
    };
    let body = body.ok_or_else(|| format!("{whose} had no body"))?;
    navigate(body, path)
}

/// The value at `path` in `value`: `#/json/pointer` (RFC 6901), or
/// `.name` and `[index]` steps; empty for the value itself.
fn navigate(value: &Value, path: &str) -> Result<Value, String> {
    if let Some(pointer) = path.strip_prefix('#') {
        return value
            .pointer(pointer)
            .cloned()
            .ok_or_else(|| format!("nothing at `{pointer}` in {}", excerpt(value)));
    }
    let mut current = value;
    let mut rest = path;
    while !rest.is_empty() {
        let (next, remaining) = if let Some(after) = rest.strip_prefix('[') {
            let end = after
                .find(']')
                .ok_or_else(|| format!("`[` without `]` in `{path}`"))?;
            let index: usize = after[..end]
                .parse()
                .map_err(|_| format!("`[{}]` is not an array index", &after[..end]))?;
            (current.get(index), &after[end + 1..])
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            (current.get(&after[..end]), &after[end..])
        } else {
            return Err(format!(
                "cannot read `{rest}` (use `#/pointer`, `.name` or `[index]`)"
            ));
        };
        current = next.ok_or_else(|| format!("nothing at `{path}` in {}", excerpt(value)))?;
        rest = remaining;
    }
    Ok(current.clone())
}

/// `name`, `name.field`, `name#/pointer`: a value of `map` and what follows.
/// A name holding dots (Arazzo allows them in output names) is tried whole
/// first.
fn named(map: &Map<String, Value>, rest: &str, what: &str) -> Result<Value, String> {
    if let Some(value) = map.get(rest) {
        return Ok(value.clone());
    }
    let end = rest.find(['.', '#', '[']).unwrap_or(rest.len());
    let (name, path) = rest.split_at(end);
    let value = map.get(name).ok_or_else(|| {
        let known: Vec<&str> = map.keys().map(String::as_str).collect();
        format!("no {what} `{name}` (there are: {})", list(&known))
    })?;
    navigate(value, path)
}

/// `<id>.outputs.<name>` of a step, or `<id>.outputs.<name>` and
/// `<id>.inputs.<name>` of a workflow: `all` holds, by id, an object of
/// those parts.
fn outputs_of(
    all: &BTreeMap<String, Map<String, Value>>,
    rest: &str,
    what: &str,
) -> Result<Value, String> {
    let (id, after) = rest.split_once('.').unwrap_or((rest, ""));
    let record = all
        .get(id)
        .ok_or_else(|| format!("no {what} `{id}` has run"))?;
    let (part, name) = after.split_once('.').unwrap_or((after, ""));
    let Some(Value::Object(values)) = record.get(part) else {
        let parts: Vec<&str> = record.keys().map(String::as_str).collect();
        return Err(format!("give `${what}s.{id}.{}.NAME`", parts.join("|")));
    };
    named(
        values,
        name,
        &format!("{} of {what} `{id}`", part.trim_end_matches('s')),
    )
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// A value for a message: its JSON, cut at 120 characters.
pub fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
