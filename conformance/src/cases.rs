//! Cases derived from the spec: each documented example replayed, and the
//! probes whose answer the spec implies (bad input must be refused, an
//! optional body may be left out...). Cases are plain values; nothing here
//! sends anything.

use openapi_runtime::path_segment;
use serde_json::{Value, json};

use crate::report::{Basis, CaseKind};
use crate::rules::{self, Rule, Rules, Source};
use crate::spec::{Example, Location, Operation, Spec, is_json, join};

/// The api-version the Azure profile expects to be refused.
pub const UNSUPPORTED_API_VERSION: &str = "1900-01-01";

/// One request to send and what the spec says should come back.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub kind: CaseKind,
    pub summary: String,
    /// Index into [`Spec::operations`].
    pub operation: usize,
    /// The request, or why it cannot be built (a value the example lacks).
    pub request: Result<Request, String>,
    pub expect: Expect,
    /// Whether an endpoint that behaves changes state when answering (so
    /// it runs after the cases that must not).
    pub changes_state: bool,
    /// Whether the path declares the method sent: the operation's declared
    /// responses judge the answer only then.
    pub method_declared: bool,
}

/// A request, path and query already filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// `/routing/jobs/8780b28c.../assignments/...:close`, each segment
    /// percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the answer must be.
#[derive(Debug, Clone)]
pub enum Expect {
    /// The documented answer of an example (or, when it documents none, a
    /// declared success). `trust_body` is false when the documented body
    /// does not match its own schema, so it is not held against the endpoint.
    Documented {
        example: Box<Example>,
        trust_body: bool,
    },
    /// A status of the `wanted` kind, because `why` says so; `reason`
    /// says it in words. `azure_code` is the error code Azure's guidelines
    /// name for the refusal, checked (as a warning) when one comes.
    Answer {
        wanted: Wanted,
        why: Why,
        reason: String,
        azure_code: Option<(&'static str, &'static Rule)>,
    },
}

/// The kind of status an expectation wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// One the operation declares as a success.
    Success,
    /// A 4xx.
    Refusal,
    /// Exactly this one.
    Code(u16),
    /// A declared success or a 4xx: anything but a failure of the server.
    SuccessOrRefusal,
    /// 405, or 404.
    NotAllowed,
}

impl Wanted {
    /// Whether `status` is wanted, given the operation's declared responses.
    pub fn accepts(self, operation: &Operation, status: u16) -> bool {
        let success = || {
            operation
                .success_responses()
                .any(|r| r.status.matches(status))
        };
        let refusal = (400..500).contains(&status);
        match self {
            Wanted::Success => success(),
            Wanted::Refusal => refusal,
            Wanted::Code(code) => status == code,
            Wanted::SuccessOrRefusal => refusal || success(),
            Wanted::NotAllowed => matches!(status, 404 | 405),
        }
    }

    /// In words, with the operation's declared successes where they count:
    /// `a declared success (200, 201)`.
    pub fn describe(self, operation: &Operation) -> String {
        let successes = || {
            operation
                .success_responses()
                .map(|r| r.status.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Wanted::Success => format!("a declared success ({})", successes()),
            Wanted::Refusal => "a 4xx refusal".to_owned(),
            Wanted::Code(code) => code.to_string(),
            Wanted::SuccessOrRefusal => {
                format!("a declared success ({}) or a 4xx refusal", successes())
            }
            Wanted::NotAllowed => "405 (or 404)".to_owned(),
        }
    }
}

/// Where an expectation comes from: a place in the document, or a rule
/// from outside it.
#[derive(Debug, Clone)]
pub enum Why {
    Spec(Basis),
    Rule(&'static Rule),
}

impl Why {
    pub fn source(&self) -> Source {
        match self {
            Why::Spec(_) => Source::Spec,
            Why::Rule(rule) => rule.source,
        }
    }
}

impl Case {
    /// Whether any rule that is on has something to say about this case's
    /// answer: its own expectation's source, or the document, which judges
    /// every answer to a method it declares. An `azure` case exists for the
    /// guidelines, so it runs only with them.
    pub fn applies(&self, rules: Rules) -> bool {
        if self.kind == CaseKind::Azure {
            return rules.is_on(Source::Azure);
        }
        let own = match &self.expect {
            Expect::Documented { .. } => Source::Spec,
            Expect::Answer { why, .. } => why.source(),
        };
        rules.is_on(own) || (self.method_declared && rules.is_on(Source::Spec))
    }
}

/// What the user overrides and seeds.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--param NAME=VALUE`, applied wherever the parameter is sent.
    pub params: Vec<(String, String)>,
    /// `--seed`: where every generated value comes from.
    pub seed: u64,
}

/// Every case for the spec, in the order to run them: per operation, the
/// requests that must be refused, then the examples, then the requests
/// that must succeed and so change state.
pub fn cases(
    spec: &Spec,
    inputs: &Inputs,
    rules: Rules,
    trusted: &dyn Fn(usize, &Example) -> bool,
) -> Vec<Case> {
    let mut ids = Ids::new(inputs.seed);
    let mut probed_paths: Vec<&str> = Vec::new();
    let mut all = Vec::new();
    for (index, operation) in spec.operations.iter().enumerate() {
        let builder = Builder {
            spec,
            operation,
            index,
            inputs,
            rules,
        };
        // A path's undeclared methods are probed once, with its first operation.
        let first_on_path = !probed_paths.contains(&operation.path.as_str());
        probed_paths.push(&operation.path);
        let probes = builder.probes(&mut ids, first_on_path);
        all.extend(probes.iter().filter(|c| !c.changes_state).cloned());
        all.extend(
            operation
                .examples
                .iter()
                .map(|example| builder.replay(example, trusted(index, example))),
        );
        all.extend(probes.into_iter().filter(|c| c.changes_state));
    }
    // Built whatever the rules, so generated ids do not depend on them.
    all.retain(|case| case.applies(rules));
    all
}

/// Deterministic version-4 UUIDs from a seed (splitmix64), so a run's
/// unknown ids are the same every time unless `--seed` changes.
struct Ids(u64);

impl Ids {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

/// Builds the cases of one operation.
struct Builder<'a> {
    spec: &'a Spec,
    operation: &'a Operation,
    index: usize,
    inputs: &'a Inputs,
    rules: Rules,
}

/// Parameter values by name, and the body, as JSON.
#[derive(Debug, Clone, Default)]
struct Values {
    params: Vec<(String, Value)>,
    body: Option<Value>,
    /// Parameters a probe leaves out on purpose.
    omitted: Vec<String>,
}

impl Values {
    fn set(&mut self, name: &str, value: Value) {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_owned(), value));
    }

    fn omit(&mut self, name: &str) {
        self.params.retain(|(n, _)| n != name);
        self.omitted.push(name.to_owned());
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl Builder<'_> {
    fn name(&self, kind: CaseKind, rest: &str) -> String {
        format!("{}/{}/{rest}", self.operation.id, kind.as_str())
    }

    fn case(
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
    fn by_spec(&self, wanted: Wanted, pointer: &str, reason: String) -> Expect {
        Expect::Answer {
            wanted,
            why: Why::Spec(self.spec.basis(pointer)),
            reason,
            azure_code: None,
        }
    }

    /// A 4xx, because the request breaks the spec at `pointer`.
    fn refused_by_spec(&self, pointer: &str) -> Expect {
        self.by_spec(
            Wanted::Refusal,
            pointer,
            "the request breaks the spec here".to_owned(),
        )
    }

    /// What an unknown id in `param` must get: it differs by method where
    /// the rules say so (a DELETE of nothing, an upsert that creates).
    fn unknown_id(&self, param: &str, last: bool) -> Expect {
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

    fn replay(&self, example: &Example, trust_body: bool) -> Case {
        let mut values = Values {
            params: example
                .params
                .iter()
                .map(|(name, v)| (name.clone(), v.value.clone()))
                .collect(),
            body: example.body.as_ref().map(|b| b.value.clone()),
            omitted: Vec::new(),
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

    fn apply_overrides(&self, values: &mut Values) {
        for (name, value) in &self.inputs.params {
            if self.operation.params.iter().any(|p| &p.name == name) {
                values.set(name, Value::String(value.clone()));
            }
        }
    }

    /// The values probes start from: the first example's, else each
    /// parameter's schema default; overrides on top.
    fn base_values(&self) -> Values {
        let mut values = match self.operation.examples.first() {
            Some(example) => Values {
                params: example
                    .params
                    .iter()
                    .map(|(n, v)| (n.clone(), v.value.clone()))
                    .collect(),
                body: example.body.as_ref().map(|b| b.value.clone()),
                omitted: Vec::new(),
            },
            None => Values::default(),
        };
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

    fn probes(&self, ids: &mut Ids, first_on_path: bool) -> Vec<Case> {
        let operation = self.operation;
        let base = self.base_values();
        let mut cases = Vec::new();
        let azure = operation.is_azure();
        for param in operation.params_in(Location::Query).filter(|p| p.required) {
            let mut values = base.clone();
            values.omit(&param.name);
            let mut expect = self.by_spec(
                Wanted::Refusal,
                &join(&param.pointer, "required"),
                format!("the spec makes `{}` required", param.name),
            );
            if let Expect::Answer { azure_code, .. } = &mut expect
                && azure
                && param.name == "api-version"
            {
                *azure_code = Some(("MissingApiVersionParameter", &rules::API_VERSION_MISSING));
            }
            cases.push(self.case(
                CaseKind::Probe,
                &format!("missing-query/{}", param.name),
                format!("the required query parameter `{}` left out", param.name),
                self.request(&operation.method, &values, BodyBytes::Json),
                expect,
            ));
        }
        // The resource a path names is its last parameter; the others name
        // the resources it sits in.
        let last = operation
            .params_in(Location::Path)
            .max_by_key(|p| operation.path.find(&format!("{{{}}}", p.name)))
            .map(|p| p.name.clone());
        for param in operation.params_in(Location::Path) {
            let mut values = base.clone();
            let id = ids.next_uuid();
            values.set(&param.name, Value::String(id.clone()));
            cases.push(self.case(
                CaseKind::Probe,
                &format!("unknown-id/{}", param.name),
                format!("an unknown `{}` ({id})", param.name),
                self.request(&operation.method, &values, BodyBytes::Json),
                self.unknown_id(&param.name, last.as_deref() == Some(param.name.as_str())),
            ));
        }
        cases.extend(self.body_probes(&base));
        if first_on_path {
            cases.extend(self.undeclared_methods(&base));
        }
        if azure
            && let Some(param) = operation
                .params_in(Location::Query)
                .find(|p| p.name == "api-version")
        {
            let mut values = base.clone();
            values.set(&param.name, json!(UNSUPPORTED_API_VERSION));
            cases.push(self.case(
                CaseKind::Azure,
                "unsupported-api-version",
                format!("api-version {UNSUPPORTED_API_VERSION}, which no service supports"),
                self.request(&operation.method, &values, BodyBytes::Json),
                Expect::Answer {
                    wanted: Wanted::Refusal,
                    why: Why::Rule(&rules::API_VERSION_UNSUPPORTED),
                    reason: format!("no service supports api-version {UNSUPPORTED_API_VERSION}"),
                    azure_code: Some((
                        "UnsupportedApiVersionValue",
                        &rules::API_VERSION_UNSUPPORTED,
                    )),
                },
            ));
        }
        cases
    }

    /// Each method the path does not declare, sent without a body: GET,
    /// PUT, POST, PATCH, DELETE, and HEAD unless GET is declared (a server
    /// that serves GET may serve HEAD). OPTIONS is left out: answering it
    /// is what RFC 9110 asks of a server.
    fn undeclared_methods(&self, base: &Values) -> Vec<Case> {
        let declared = &self.operation.path_methods;
        let is_declared = |method: &str| declared.iter().any(|d| d == method);
        let mut methods: Vec<&str> = ["GET", "PUT", "POST", "PATCH", "DELETE"]
            .into_iter()
            .filter(|m| !is_declared(m))
            .collect();
        if !is_declared("GET") && !is_declared("HEAD") {
            methods.push("HEAD");
        }
        let mut values = base.clone();
        values.body = None;
        methods
            .into_iter()
            .map(|method| {
                let mut case = self.case(
                    CaseKind::Probe,
                    &format!("undeclared-method/{method}"),
                    format!(
                        "{method}, which the path does not declare ({})",
                        declared.join(", ")
                    ),
                    self.request(method, &values, BodyBytes::Json),
                    Expect::Answer {
                        wanted: Wanted::NotAllowed,
                        why: Why::Rule(&rules::UNDECLARED_METHOD),
                        reason: format!("the path declares only {}", declared.join(", ")),
                        azure_code: None,
                    },
                );
                case.method_declared = false;
                case
            })
            .collect()
    }

    /// Probes of the JSON request body: each property of the wrong type,
    /// each `date-time` not one, malformed JSON, a non-object, and the
    /// body left out when it is optional.
    fn body_probes(&self, base: &Values) -> Vec<Case> {
        let Some(body) = &self.operation.body else {
            return Vec::new();
        };
        let mut cases = Vec::new();
        let method = &self.operation.method;
        if !body.required {
            let mut values = base.clone();
            values.body = None;
            cases.push(self.case(
                CaseKind::Probe,
                "optional-body-omitted",
                "the optional request body left out".to_owned(),
                self.request(method, &values, BodyBytes::Json),
                self.by_spec(
                    Wanted::Success,
                    &body.pointer,
                    "the spec makes the request body optional".to_owned(),
                ),
            ));
        }
        let Some(schema) = body.schema.as_ref().filter(|_| is_json(&body.media_type)) else {
            return cases;
        };
        let base_object = match &base.body {
            Some(Value::Object(map)) => map.clone(),
            _ => serde_json::Map::new(),
        };
        for (property, pointer, schema) in self.properties(schema) {
            let rejected = |pointer: &str| self.refused_by_spec(pointer);
            if let Some(wrong) = wrong_type(&schema) {
                let mut object = base_object.clone();
                object.insert(property.clone(), wrong.clone());
                let values = Values {
                    body: Some(Value::Object(object)),
                    ..base.clone()
                };
                cases.push(self.case(
                    CaseKind::Probe,
                    &format!("wrong-type/{property}"),
                    format!(
                        "body field `{property}` as {wrong}, not {}",
                        schema.get("type").unwrap_or(&Value::Null)
                    ),
                    self.request(method, &values, BodyBytes::Json),
                    rejected(&join(&pointer, "type")),
                ));
            }
            if schema.get("format").and_then(Value::as_str) == Some("date-time") {
                let mut object = base_object.clone();
                object.insert(property.clone(), json!("not a date-time"));
                let values = Values {
                    body: Some(Value::Object(object)),
                    ..base.clone()
                };
                cases.push(self.case(
                    CaseKind::Probe,
                    &format!("not-date-time/{property}"),
                    format!("body field `{property}` as \"not a date-time\""),
                    self.request(method, &values, BodyBytes::Json),
                    rejected(&join(&pointer, "format")),
                ));
            }
        }
        let body_basis = || self.refused_by_spec(schema);
        let object = Values {
            body: Some(Value::Object(base_object.clone())),
            ..base.clone()
        };
        cases.push(self.case(
            CaseKind::Probe,
            "malformed-json",
            "a body that is not JSON (cut short)".to_owned(),
            self.request(method, &object, BodyBytes::CutShort),
            body_basis(),
        ));
        if self.is_object_schema(schema) {
            let values = Values {
                body: Some(json!(["not", "an", "object"])),
                ..base.clone()
            };
            cases.push(self.case(
                CaseKind::Probe,
                "non-object-body",
                "a JSON array where the body is an object".to_owned(),
                self.request(method, &values, BodyBytes::Json),
                body_basis(),
            ));
        }
        cases
    }

    /// The top-level properties of an object schema (through `$ref` and
    /// `allOf`): name, the pointer of its schema, and that schema resolved.
    fn properties(&self, schema: &str) -> Vec<(String, String, Value)> {
        let Ok((resolved, at)) = self.spec.resolve(schema) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if let Some(map) = resolved.get("properties").and_then(Value::as_object) {
            for name in map.keys() {
                let pointer = join(&join(&at, "properties"), name);
                if let Ok((property, property_at)) = self.spec.resolve(&pointer) {
                    // `allOf: [$ref]` (a described reference) is the reference.
                    let (property, property_at) =
                        match property.get("allOf").and_then(Value::as_array) {
                            Some(parts) if parts.len() == 1 && property.get("type").is_none() => {
                                self.spec
                                    .resolve(&join(&join(&property_at, "allOf"), 0))
                                    .map(|(v, p)| (v.clone(), p))
                                    .unwrap_or((property.clone(), property_at))
                            }
                            _ => (property.clone(), property_at),
                        };
                    found.push((name.clone(), property_at, property));
                }
            }
        }
        let count = resolved
            .get("allOf")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for index in 0..count {
            found.extend(self.properties(&join(&join(&at, "allOf"), index)));
        }
        found
    }

    fn is_object_schema(&self, schema: &str) -> bool {
        self.spec.resolve(schema).is_ok_and(|(s, _)| {
            s.get("type").and_then(Value::as_str) == Some("object") || s.get("properties").is_some()
        })
    }

    /// Fills the path and query from `values`; a required value missing is
    /// an error naming the parameter and how to give it.
    fn request(&self, method: &str, values: &Values, bytes: BodyBytes) -> Result<Request, String> {
        let operation = self.operation;
        let mut path = String::new();
        for (index, piece) in operation.path.split('{').enumerate() {
            if index == 0 {
                path.push_str(piece);
                continue;
            }
            let Some((name, rest)) = piece.split_once('}') else {
                return Err(format!(
                    "the path `{}` has an unclosed `{{`",
                    operation.path
                ));
            };
            let value = values.get(name).ok_or_else(|| missing(name, "path"))?;
            let segment = path_segment::<()>("path", &wire_text(value)).map_err(|e| match e {
                openapi_runtime::Error::InvalidArgument { reason, .. } => {
                    format!("path parameter `{name}`: {reason}")
                }
                other => format!("path parameter `{name}`: {other}"),
            })?;
            path.push_str(&segment);
            path.push_str(rest);
        }
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let mut cookies = Vec::new();
        for param in &operation.params {
            let Some(value) = values.get(&param.name) else {
                let omitted = values.omitted.contains(&param.name);
                if param.required && !omitted && param.location != Location::Path {
                    return Err(missing(&param.name, location_name(param.location)));
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
enum BodyBytes {
    Json,
    /// The JSON text without its last character.
    CutShort,
}

fn missing(name: &str, location: &str) -> String {
    format!(
        "no value for the required {location} parameter `{name}`: the spec documents none; give one with --param {name}=VALUE"
    )
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// A parameter value as sent: strings as they are, arrays comma-joined
/// (OpenAPI's `form` style without `explode`), anything else as JSON.
fn wire_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(wire_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A value of another JSON type than `schema` declares, if it declares one.
fn wrong_type(schema: &Value) -> Option<Value> {
    Some(match schema.get("type")?.as_str()? {
        "string" => json!(12345),
        "integer" | "number" => json!("not a number"),
        "boolean" => json!("not a boolean"),
        "array" => json!({"not": "an array"}),
        "object" => json!("not an object"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn spec() -> Spec {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/close-job.yaml");
        match Spec::load(&path, "spec/close-job.yaml") {
            Ok(spec) => spec,
            Err(e) => panic!("{e}"),
        }
    }

    fn built(seed: u64, params: &[(&str, &str)]) -> Vec<Case> {
        let inputs = Inputs {
            params: params
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            seed,
        };
        cases(&spec(), &inputs, Rules::default(), &|_, _| true)
    }

    fn request<'a>(cases: &'a [Case], name: &str) -> &'a Request {
        let case = cases.iter().find(|c| c.name.ends_with(name));
        match case.map(|c| &c.request) {
            Some(Ok(request)) => request,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn the_documented_example_is_replayed_byte_for_byte() {
        let cases = built(1, &[]);
        let example = request(&cases, "/example/Closes a completed job");
        assert_eq!(example.method, "POST");
        assert_eq!(
            example.path,
            "/routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close"
        );
        assert_eq!(
            example.query,
            [("api-version".to_owned(), "2023-11-01".to_owned())]
        );
        let body = example
            .body
            .as_ref()
            .map(|b| (b.content_type.as_str(), b.bytes.as_slice()));
        assert_eq!(
            body,
            Some((
                "application/json",
                &br#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#[..]
            ))
        );
    }

    #[test]
    fn probes_break_exactly_one_thing() {
        let cases = built(1, &[]);
        assert!(
            request(&cases, "/probe/missing-query/api-version")
                .query
                .is_empty()
        );
        let malformed = request(&cases, "/probe/malformed-json");
        assert_eq!(
            malformed.body.as_ref().map(|b| b.bytes.as_slice()),
            Some(&br#"{"dispositionCode":"JobCompleted.","note":"Closing job""#[..])
        );
        let wrong = request(&cases, "/probe/wrong-type/closeAt");
        assert_eq!(
            wrong
                .body
                .as_ref()
                .map(|b| String::from_utf8_lossy(&b.bytes).into_owned()),
            Some(
                r#"{"closeAt":12345,"dispositionCode":"JobCompleted.","note":"Closing job"}"#
                    .to_owned()
            )
        );
        assert_eq!(request(&cases, "/probe/optional-body-omitted").body, None);
        assert_eq!(
            request(&cases, "/probe/undeclared-method/DELETE").method,
            "DELETE"
        );
    }

    #[test]
    fn unknown_ids_follow_the_seed() {
        let path = |cases: &[Case]| request(cases, "/probe/unknown-id/jobId").path.clone();
        assert_eq!(path(&built(7, &[])), path(&built(7, &[])));
        assert_ne!(path(&built(7, &[])), path(&built(8, &[])));
        let id = uuid::Uuid::parse_str(
            path(&built(7, &[]))
                .trim_start_matches("/routing/jobs/")
                .split('/')
                .next()
                .unwrap_or_default(),
        );
        assert_eq!(id.map(|id| id.get_version_num()), Ok(4));
    }

    #[test]
    fn overrides_reach_every_case_but_the_probe_of_that_parameter() {
        let cases = built(1, &[("jobId", "a b/c")]);
        let example = request(&cases, "/example/Closes a completed job");
        assert!(
            example
                .path
                .starts_with("/routing/jobs/a%20b%2Fc/assignments/"),
            "{}",
            example.path
        );
        assert!(
            !request(&cases, "/probe/unknown-id/jobId")
                .path
                .contains("a%20b")
        );
        assert!(
            request(&cases, "/probe/unknown-id/assignmentId")
                .path
                .contains("a%20b%2Fc")
        );
    }

    #[test]
    fn cookie_parameters_go_in_the_cookie_header() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/specs/shapes.yaml");
        let spec = match Spec::load(&path, "shapes.yaml") {
            Ok(spec) => spec,
            Err(e) => panic!("{e}"),
        };
        let inputs = Inputs {
            params: vec![
                ("petId".into(), "p1".into()),
                ("session".into(), "s1".into()),
            ],
            seed: 1,
        };
        let cases = cases(&spec, &inputs, Rules::default(), &|_, _| true);
        let request = request(&cases, "Pets_Get/probe/undeclared-method/PUT");
        assert_eq!(request.path, "/pets/p1");
        assert!(
            request
                .headers
                .contains(&("Cookie".to_owned(), "session=s1".to_owned())),
            "{:?}",
            request.headers
        );
    }

    #[test]
    fn a_value_nobody_gives_is_an_error_naming_the_parameter() {
        let cases = built(1, &[("jobId", "")]);
        let example = cases.iter().find(|c| c.kind == CaseKind::Example);
        let error = example.map(|c| c.request.clone());
        assert_eq!(
            error,
            Some(Err(
                "path parameter `jobId`: a path parameter must not be empty".to_owned()
            ))
        );
    }

    fn job_router(rules: Rules) -> Vec<Case> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec/jobrouter/communicationservicejobrouter.json");
        let spec = match Spec::load(&path, "jobrouter.json") {
            Ok(spec) => spec,
            Err(e) => panic!("{e}"),
        };
        cases(&spec, &Inputs::default(), rules, &|_, _| true)
    }

    fn wanted(cases: &[Case], name: &str) -> (Wanted, Source) {
        match cases.iter().find(|c| c.name == name).map(|c| &c.expect) {
            Some(Expect::Answer { wanted, why, .. }) => (*wanted, why.source()),
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn every_undeclared_method_is_its_own_case_once_per_path() {
        let names: Vec<String> = built(1, &[])
            .into_iter()
            .filter(|c| !c.method_declared)
            .map(|c| c.name)
            .collect();
        let methods: Vec<&str> = names.iter().filter_map(|n| n.rsplit('/').next()).collect();
        assert_eq!(methods, ["GET", "PUT", "PATCH", "DELETE", "HEAD"]);
        // A path with GET, PATCH and DELETE: probed once, without HEAD.
        let probed: Vec<String> = job_router(Rules::default())
            .into_iter()
            .filter(|c| {
                !c.method_declared && c.name.contains("Worker/") && !c.name.contains("offers")
            })
            .map(|c| c.name)
            .collect();
        assert!(
            probed
                .contains(&"JobRouterOperations_GetWorker/probe/undeclared-method/PUT".to_owned()),
            "{probed:#?}"
        );
        assert!(
            !probed
                .iter()
                .any(|n| n.starts_with("JobRouterOperations_DeleteWorker/")),
            "{probed:#?}"
        );
        assert!(!probed.iter().any(|n| n.ends_with("/HEAD")), "{probed:#?}");
    }

    #[test]
    fn an_unknown_id_is_judged_by_the_rule_for_the_method() {
        let all = job_router(Rules::default());
        assert_eq!(
            wanted(
                &all,
                "JobRouterOperations_DeleteWorker/probe/unknown-id/workerId"
            ),
            (Wanted::Code(204), Source::Azure)
        );
        assert_eq!(
            wanted(
                &all,
                "JobRouterOperations_UpsertWorker/probe/unknown-id/workerId"
            ),
            (Wanted::Success, Source::Azure)
        );
        assert_eq!(
            wanted(
                &all,
                "JobRouterOperations_GetWorker/probe/unknown-id/workerId"
            ),
            (Wanted::Refusal, Source::Inferred)
        );
        // An unknown parent is refused, whatever the method.
        assert_eq!(
            wanted(&all, "JobRouterOperations_CloseJob/probe/unknown-id/jobId"),
            (Wanted::Refusal, Source::Inferred)
        );
        let no_azure = job_router(Rules::default().without_azure());
        assert_eq!(
            wanted(
                &no_azure,
                "JobRouterOperations_DeleteWorker/probe/unknown-id/workerId"
            ),
            (Wanted::SuccessOrRefusal, Source::Inferred)
        );
        assert_eq!(
            wanted(
                &no_azure,
                "JobRouterOperations_UpsertWorker/probe/unknown-id/workerId"
            ),
            (Wanted::SuccessOrRefusal, Source::Inferred)
        );
        assert!(
            !no_azure.iter().any(|c| c.kind == CaseKind::Azure),
            "no Azure case runs without the guidelines"
        );
    }
}
