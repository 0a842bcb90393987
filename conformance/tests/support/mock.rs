//! A mock that answers only what a document declares: it knows nothing of
//! Job Router, nothing of Azure's guidelines and assumes no REST semantics.
//! A request to a path the document does not have is 404, to a method the
//! path does not declare 405 (with `Allow`); a request the document makes
//! invalid (a required parameter missing, a value or body its schema
//! refuses) gets the declared error response for 400; any other gets the
//! documented answer of the example it replays, or else the first declared
//! success. Bodies are the documented ones when their schema accepts them,
//! else the smallest value the schema accepts; headers only the required
//! ones. An endpoint like this does exactly what the document says, so the
//! tester with `--rules spec` must find nothing wrong with it.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use conformance::schema::Schemas;
use conformance::spec::{Example, Location, Operation, Spec, StatusKey, is_json, join};
use serde_json::{Map, Value, json};

/// The largest request body the mock reads.
const MAX_BODY: usize = 4 * 1024 * 1024;

struct Mock {
    spec: Spec,
    schemas: Schemas,
}

/// A router that answers as `spec` declares.
pub fn router(spec: Spec) -> axum::Router {
    let schemas = Schemas::new(&spec.document);
    axum::Router::new()
        .fallback(answer)
        .with_state(Arc::new(Mock { spec, schemas }))
}

async fn answer(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let on_path: Vec<(&Operation, Vec<(String, String)>)> = mock
        .spec
        .operations
        .iter()
        .filter_map(|op| Some((op, path_values(&op.path, parts.uri.path())?)))
        .collect();
    let Some((_, _)) = on_path.first() else {
        return plain(StatusCode::NOT_FOUND);
    };
    let Some((operation, path)) = on_path.iter().find(|(op, _)| op.method == method) else {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED);
        if let Ok(allow) = HeaderValue::from_str(&on_path[0].0.path_methods.join(", ")) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        return response;
    };
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return mock.error(operation);
    };
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut values = path.clone();
    for param in &operation.params {
        let given = match param.location {
            Location::Path => continue,
            Location::Query => query
                .iter()
                .find(|(n, _)| n == &param.name)
                .map(|(_, v)| v.clone()),
            Location::Header => parts
                .headers
                .get(&param.name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            // No cookie parameter in the documents the mock serves.
            Location::Cookie => None,
        };
        match given {
            Some(value) => values.push((param.name.clone(), value)),
            None if param.required => return mock.error(operation),
            None => {}
        }
    }
    for (name, value) in &values {
        let schema = operation
            .params
            .iter()
            .find(|p| &p.name == name)
            .and_then(|p| p.schema.as_ref());
        if let Some(schema) = schema
            && !mock.accepts_text(schema, value)
        {
            return mock.error(operation);
        }
    }
    let body = match (&operation.body, body.is_empty()) {
        (Some(declared), true) if declared.required => return mock.error(operation),
        (Some(declared), false) => {
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                return mock.error(operation);
            };
            let valid = declared
                .schema
                .as_ref()
                .is_none_or(|schema| mock.accepts(schema, &value));
            if !is_json(content_type) || !valid {
                return mock.error(operation);
            }
            Some(value)
        }
        _ => None,
    };
    let replayed = operation
        .examples
        .iter()
        .find(|example| replays(example, &values, body.as_ref()));
    mock.success(operation, replayed)
}

impl Mock {
    fn accepts(&self, schema: &str, value: &Value) -> bool {
        self.schemas
            .problems(schema, value)
            .is_ok_and(|p| p.is_empty())
    }

    /// A parameter is text: a string schema takes it as it is, others as JSON.
    fn accepts_text(&self, schema: &str, text: &str) -> bool {
        self.accepts(schema, &Value::String(text.to_owned()))
            || serde_json::from_str::<Value>(text).is_ok_and(|v| self.accepts(schema, &v))
    }

    /// The declared error response for a 400.
    fn error(&self, operation: &Operation) -> Response {
        match operation.response_for(400) {
            Some(response) => self.respond(400, response, None),
            None => plain(StatusCode::BAD_REQUEST),
        }
    }

    /// The example's documented answer, or the first declared success.
    fn success(&self, operation: &Operation, example: Option<&Example>) -> Response {
        let documented = example.and_then(|e| e.response.as_ref()).and_then(|r| {
            let StatusKey::Code(code) = r.status else {
                return None;
            };
            Some((code, operation.response_for(code)?, r.body.as_ref()))
        });
        if let Some((code, response, body)) = documented {
            return self.respond(code, response, body.map(|b| &b.value));
        }
        let first = operation.success_responses().find_map(|r| match r.status {
            StatusKey::Code(code) => Some((code, r)),
            _ => None,
        });
        match first {
            Some((code, response)) => self.respond(code, response, None),
            None => plain(StatusCode::OK),
        }
    }

    /// `status` with the response's required headers and its body: the
    /// documented one when the schema accepts it, else the smallest value
    /// the schema accepts.
    fn respond(
        &self,
        status: u16,
        response: &conformance::spec::Response,
        documented: Option<&Value>,
    ) -> Response {
        let body = response.schema.as_ref().map(|schema| {
            documented
                .filter(|value| self.accepts(schema, value))
                .cloned()
                .unwrap_or_else(|| self.smallest(schema, 0))
        });
        let mut builder = Response::builder().status(status);
        for declared in response.headers.iter().filter(|h| h.required) {
            let value = declared
                .schema
                .as_ref()
                .map(|s| self.smallest(s, 0))
                .unwrap_or(json!("x"));
            let text = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            builder = builder.header(declared.name.as_str(), text);
        }
        let built = match body {
            Some(value) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(value.to_string())),
            None => builder.body(Body::empty()),
        };
        built.unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR))
    }

    /// The smallest value the schema at `pointer` accepts: required
    /// properties only, empty arrays, the first enum value, the lowest
    /// number, a string of the format asked.
    fn smallest(&self, pointer: &str, depth: usize) -> Value {
        let Ok((schema, at)) = self.spec.resolve(pointer) else {
            return Value::Null;
        };
        if depth > 24 {
            return Value::Null;
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return first.clone();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for index in 0..parts.len() {
                if let Value::Object(part) =
                    self.smallest(&join(&join(&at, "allOf"), index), depth + 1)
                {
                    merged.extend(part);
                }
            }
            if let Value::Object(own) = self.object(schema, &at, depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if schema.get(key).and_then(Value::as_array).is_some() {
                return self.smallest(&join(&join(&at, key), 0), depth + 1);
            }
        }
        let kind = schema.get("type").and_then(Value::as_str);
        let minimum = schema.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
        match kind {
            Some("string") => Value::String(string_of(schema)),
            Some("integer") => json!(minimum.ceil() as i64),
            Some("number") => json!(minimum),
            Some("boolean") => json!(false),
            Some("array") => {
                let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let item = self.smallest(&join(&at, "items"), depth + 1);
                Value::Array((0..count).map(|_| item.clone()).collect())
            }
            _ => self.object(schema, &at, depth),
        }
    }

    /// An object with the schema's required properties.
    fn object(&self, schema: &Value, at: &str, depth: usize) -> Value {
        let mut object = Map::new();
        let required = schema.get("required").and_then(Value::as_array);
        for name in required.into_iter().flatten().filter_map(Value::as_str) {
            let property = join(&join(at, "properties"), name);
            let value = if self.spec.document.pointer(&property).is_some() {
                self.smallest(&property, depth + 1)
            } else {
                json!("x")
            };
            object.insert(name.to_owned(), value);
        }
        Value::Object(object)
    }
}

/// A string its schema's format and length accept.
fn string_of(schema: &Value) -> String {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2023-11-01T00:00:00Z",
        Some("date") => "2023-11-01",
        Some("uri" | "url") => "https://example.com/",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("duration") => "PT1S",
        Some("byte") => "eA==",
        _ => "x",
    };
    let minimum = schema
        .get("minLength")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    if text.len() >= minimum {
        text.to_owned()
    } else {
        "x".repeat(minimum)
    }
}

/// The path parameters, when `path` (as sent, percent-encoded) is the
/// template `template`: `/jobs/{jobId}/assignments/{assignmentId}:close`.
fn path_values(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (wanted, given): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    if wanted.len() != given.len() {
        return None;
    }
    let mut values = Vec::new();
    for (wanted, given) in wanted.into_iter().zip(given) {
        match wanted.split_once('{').and_then(|(before, rest)| {
            let (name, after) = rest.split_once('}')?;
            Some((before, name, after))
        }) {
            None if wanted == given => {}
            None => return None,
            Some((before, name, after)) => {
                let raw = given.strip_prefix(before)?.strip_suffix(after)?;
                let value = percent_encoding::percent_decode_str(raw)
                    .decode_utf8()
                    .ok()?
                    .into_owned();
                if value.is_empty() {
                    return None;
                }
                values.push((name.to_owned(), value));
            }
        }
    }
    Some(values)
}

/// Whether the request is the example's: the same parameter values (as
/// text) and the same body.
fn replays(example: &Example, values: &[(String, String)], body: Option<&Value>) -> bool {
    let same_params = example.params.iter().all(|(name, documented)| {
        values
            .iter()
            .any(|(n, v)| n == name && *v == as_text(&documented.value))
    });
    same_params && example.body.as_ref().map(|b| &b.value) == body
}

/// A value as a parameter sends it.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn plain(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
