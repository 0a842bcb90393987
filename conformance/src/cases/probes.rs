//! Probes: requests that break the spec in one way each (a required value
//! left out, an unknown id, a body field of the wrong type, a method the
//! path does not declare), with the answer the spec or a rule implies.

use serde_json::{Value, json};

use super::builder::{BodyBytes, Builder, Values};
use super::ids::Ids;
use super::{Case, Expect, UNSUPPORTED_API_VERSION, Wanted, Why};
use crate::report::CaseKind;
use crate::rules;
use crate::spec::{Location, is_json, join};

impl Builder<'_> {
    pub(super) fn probes(&self, ids: &mut Ids, first_on_path: bool) -> Vec<Case> {
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
        values.unusable_body = None;
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

    /// Probes of the JSON request body: each property broken each way
    /// [`FIELD_PROBES`] lists, malformed JSON, a non-object, and the body
    /// left out when it is optional.
    fn body_probes(&self, base: &Values) -> Vec<Case> {
        let Some(body) = &self.operation.body else {
            return Vec::new();
        };
        let mut probes = Vec::new();
        if !body.required {
            probes.push(BodyProbe {
                name: "optional-body-omitted".to_owned(),
                summary: "the optional request body left out".to_owned(),
                body: None,
                bytes: BodyBytes::Json,
                expect: self.by_spec(
                    Wanted::Success,
                    &body.pointer,
                    "the spec makes the request body optional".to_owned(),
                ),
            });
        }
        if let Some(schema) = body.schema.as_ref().filter(|_| is_json(&body.media_type)) {
            let object = match &base.body {
                Some(Value::Object(map)) => map.clone(),
                _ => serde_json::Map::new(),
            };
            probes.extend(self.field_probes(schema, &object));
            probes.push(BodyProbe {
                name: "malformed-json".to_owned(),
                summary: "a body that is not JSON (cut short)".to_owned(),
                body: Some(Value::Object(object)),
                bytes: BodyBytes::CutShort,
                expect: self.refused_by_spec(schema),
            });
            if self.is_object_schema(schema) {
                probes.push(BodyProbe {
                    name: "non-object-body".to_owned(),
                    summary: "a JSON array where the body is an object".to_owned(),
                    body: Some(json!(["not", "an", "object"])),
                    bytes: BodyBytes::Json,
                    expect: self.refused_by_spec(schema),
                });
            }
        }
        probes
            .into_iter()
            .map(|probe| {
                let values = Values {
                    body: probe.body,
                    unusable_body: None,
                    ..base.clone()
                };
                self.case(
                    CaseKind::Probe,
                    &probe.name,
                    probe.summary,
                    self.request(&self.operation.method, &values, probe.bytes),
                    probe.expect,
                )
            })
            .collect()
    }

    /// `object` with one property of `schema` broken, for each property
    /// and each way in [`FIELD_PROBES`] that applies to it.
    fn field_probes(
        &self,
        schema: &str,
        object: &serde_json::Map<String, Value>,
    ) -> Vec<BodyProbe> {
        let mut probes = Vec::new();
        for (property, pointer, schema) in self.properties(schema) {
            for field in FIELD_PROBES {
                let Some((wrong, shown)) = (field.wrong)(&schema) else {
                    continue;
                };
                let mut object = object.clone();
                object.insert(property.clone(), wrong);
                probes.push(BodyProbe {
                    name: format!("{}/{property}", field.name),
                    summary: format!("body field `{property}` as {shown}"),
                    body: Some(Value::Object(object)),
                    bytes: BodyBytes::Json,
                    expect: self.refused_by_spec(&join(&pointer, field.keyword)),
                });
            }
        }
        probes
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
}

/// A request body that breaks the spec in one way.
struct BodyProbe {
    name: String,
    summary: String,
    body: Option<Value>,
    bytes: BodyBytes,
    expect: Expect,
}

/// One way to break a body field: the case name's prefix, the schema
/// keyword that refuses it, and the wrong value with how the summary shows
/// it, when the field's schema says enough to break it this way.
struct FieldProbe {
    name: &'static str,
    keyword: &'static str,
    wrong: fn(&Value) -> Option<(Value, String)>,
}

/// Every field probe, in the order the cases run.
const FIELD_PROBES: [FieldProbe; 2] = [
    FieldProbe {
        name: "wrong-type",
        keyword: "type",
        wrong: |schema| {
            let wrong = wrong_type(schema)?;
            let declared = schema.get("type").unwrap_or(&Value::Null);
            let shown = format!("{wrong}, not {declared}");
            Some((wrong, shown))
        },
    },
    FieldProbe {
        name: "not-date-time",
        keyword: "format",
        wrong: |schema| {
            (schema.get("format").and_then(Value::as_str) == Some("date-time"))
                .then(|| (json!("not a date-time"), "\"not a date-time\"".to_owned()))
        },
    },
];

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
