//! An Arazzo 1.0.x document as the runner reads it: a serde model of the
//! objects it runs, loaded with the same care as a spec (a size cap, YAML
//! nesting limits, errors naming the file, line and JSON pointer).
//!
//! Our own model rather than `roas-arazzo`'s: that crate reads a
//! criterion's `type` only as a flat string plus `version`, not the
//! Criterion Expression Type Object (`type: {type: jsonpath, version: ...}`)
//! that Arazzo 1.0.1 defines, and we need the JSON pointer of every object
//! for findings anyway. `x-` extensions are accepted and ignored; any other
//! field Arazzo does not define is refused, so a misspelt
//! `sucessCriteria` cannot silently turn a check off.

mod fields;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::report::Basis;
use crate::spec::{Locations, join};

/// The largest Arazzo file read (bytes): far above any real workflow.
pub const MAX_FILE: u64 = 4 * 1024 * 1024;

/// A loaded Arazzo document.
#[derive(Debug)]
pub struct Arazzo {
    /// The file as the user named it.
    pub file: String,
    pub path: PathBuf,
    pub document: Document,
    pub locations: Locations,
}

/// Why an Arazzo document cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Read(#[from] generator::Error),
    #[error("{file}: {size} bytes; Arazzo files are read up to {MAX_FILE} bytes")]
    TooLarge { file: String, size: u64 },
    /// The document breaks Arazzo 1.0.x, or asks for what the runner
    /// cannot do, at `basis`.
    #[error("{basis}: {message}")]
    Invalid { basis: Basis, message: String },
}

impl Arazzo {
    /// Reads the file at `path` (`.json` as JSON, anything else as YAML);
    /// `file` is how reports name it.
    pub fn load(path: &Path, file: &str) -> Result<Arazzo, DocumentError> {
        let size = std::fs::metadata(path)
            .map_err(|source| generator::Error::Read {
                path: path.to_owned(),
                source,
            })?
            .len();
        if size > MAX_FILE {
            return Err(DocumentError::TooLarge {
                file: file.to_owned(),
                size,
            });
        }
        let (text, value) = generator::load::read_value(path)?;
        let locations = Locations::parse(&text);
        let place = |pointer: &str| Basis {
            pointer: generator::document::pointer::display(pointer).to_owned(),
            file: file.to_owned(),
            position: locations.get(pointer),
        };
        let version = value.get("arazzo").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("1.0.") {
            return Err(DocumentError::Invalid {
                basis: place("/arazzo"),
                message: format!("`arazzo: {version}`: this runner reads Arazzo 1.0.x documents"),
            });
        }
        let document: Document = serde_path_to_error::deserialize(&value).map_err(|e| {
            let pointer = pointer_of(e.path());
            DocumentError::Invalid {
                basis: place(&pointer),
                message: e.into_inner().to_string(),
            }
        })?;
        if let Some((pointer, field)) = document.unknown_field() {
            return Err(DocumentError::Invalid {
                basis: place(&pointer),
                message: format!(
                    "`{field}` is not an Arazzo 1.0 field (extensions start with `x-`)"
                ),
            });
        }
        Ok(Arazzo {
            file: file.to_owned(),
            path: path.to_owned(),
            document,
            locations,
        })
    }

    /// The place `pointer` names in this file.
    pub fn basis(&self, pointer: &str) -> Basis {
        Basis {
            pointer: generator::document::pointer::display(pointer).to_owned(),
            file: self.file.clone(),
            position: self.locations.get(pointer),
        }
    }

    /// An error at `pointer` in this file.
    pub fn invalid(&self, pointer: &str, message: impl Into<String>) -> DocumentError {
        DocumentError::Invalid {
            basis: self.basis(pointer),
            message: message.into(),
        }
    }
}

/// `workflows[0].steps[2]` as `/workflows/0/steps/2`.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |pointer, segment| match segment {
            Segment::Seq { index } => join(&pointer, index),
            Segment::Map { key } => join(&pointer, key),
            Segment::Enum { variant } => join(&pointer, variant),
            Segment::Unknown => pointer,
        })
}

/// Fields of an object Arazzo does not define; only `x-` ones are allowed.
type Extra = BTreeMap<String, Value>;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub arazzo: String,
    pub info: Info,
    pub source_descriptions: Vec<SourceDescription>,
    pub workflows: Vec<Workflow>,
    #[serde(default)]
    pub components: Components,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
pub struct Info {
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
pub struct SourceDescription {
    pub name: String,
    pub url: String,
    /// `openapi` or `arazzo`; `openapi` when left out.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workflow {
    pub workflow_id: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// A JSON Schema of the inputs object.
    #[serde(default)]
    pub inputs: Option<Value>,
    #[serde(default)]
    pub depends_on: Vec<String>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub success_actions: Vec<Reusable<SuccessAction>>,
    #[serde(default)]
    pub failure_actions: Vec<Reusable<FailureAction>>,
    #[serde(default)]
    pub outputs: BTreeMap<String, String>,
    /// Parameters every operation step of the workflow sends (a step's own
    /// parameter of the same name and place wins).
    #[serde(default)]
    pub parameters: Vec<Reusable<Parameter>>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub step_id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub operation_id: Option<String>,
    #[serde(default)]
    pub operation_path: Option<String>,
    #[serde(default)]
    pub workflow_id: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Reusable<Parameter>>,
    #[serde(default)]
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub success_criteria: Vec<Criterion>,
    #[serde(default)]
    pub on_success: Vec<Reusable<SuccessAction>>,
    #[serde(default)]
    pub on_failure: Vec<Reusable<FailureAction>>,
    #[serde(default)]
    pub outputs: BTreeMap<String, String>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`; none for a workflow step's inputs.
    #[serde(rename = "in", default)]
    pub location: Option<String>,
    /// A constant, a runtime expression, or a string embedding `{$...}`.
    pub value: Value,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestBody {
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub payload: Option<Value>,
    #[serde(default)]
    pub replacements: Vec<Replacement>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
pub struct Replacement {
    /// A JSON pointer into the payload.
    pub target: String,
    pub value: Value,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Criterion {
    #[serde(default)]
    pub context: Option<String>,
    pub condition: String,
    #[serde(rename = "type", default)]
    pub kind: Option<CriterionType>,
    #[serde(flatten)]
    extra: Extra,
}

/// `simple`, `regex`, `jsonpath`, `xpath`, or the Criterion Expression
/// Type Object naming a version.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CriterionType {
    Name(String),
    Versioned {
        #[serde(rename = "type")]
        kind: String,
        version: String,
    },
}

impl CriterionType {
    pub fn name(&self) -> &str {
        match self {
            CriterionType::Name(name) | CriterionType::Versioned { kind: name, .. } => name,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuccessAction {
    pub name: String,
    /// `end` or `goto`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub workflow_id: Option<String>,
    #[serde(default)]
    pub step_id: Option<String>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureAction {
    pub name: String,
    /// `end`, `goto` or `retry`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub workflow_id: Option<String>,
    #[serde(default)]
    pub step_id: Option<String>,
    /// Seconds, fractions allowed.
    #[serde(default)]
    pub retry_after: Option<f64>,
    #[serde(default)]
    pub retry_limit: Option<u64>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    #[serde(default)]
    pub inputs: BTreeMap<String, Value>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(default)]
    pub success_actions: BTreeMap<String, SuccessAction>,
    #[serde(default)]
    pub failure_actions: BTreeMap<String, FailureAction>,
    #[serde(flatten)]
    extra: Extra,
}

/// An object given in place, or a Reusable Object naming one in
/// `components` (`reference: $components.parameters.x`, with an optional
/// `value` that overrides a parameter's).
#[derive(Debug, Clone)]
pub enum Reusable<T> {
    Item(T),
    Reference {
        reference: String,
        value: Option<Value>,
    },
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Reusable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut value = Value::deserialize(deserializer)?;
        let Some(object) = value.as_object_mut() else {
            return serde_json::from_value(value)
                .map(Reusable::Item)
                .map_err(D::Error::custom);
        };
        match object.remove("reference") {
            Some(Value::String(reference)) => {
                let given = object.remove("value");
                if let Some(field) = object.keys().next() {
                    return Err(D::Error::custom(format!(
                        "a Reusable Object holds only `reference` and `value`, not `{field}`"
                    )));
                }
                Ok(Reusable::Reference {
                    reference,
                    value: given,
                })
            }
            Some(_) => Err(D::Error::custom("`reference` must be a runtime expression")),
            None => serde_json::from_value(value)
                .map(Reusable::Item)
                .map_err(D::Error::custom),
        }
    }
}
