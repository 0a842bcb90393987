//! Converts Swagger 2.0 documents (the form Azure publishes) into OpenAPI 3.0.3, so the loader can read them.

use serde_json::{Map, Value};

use crate::document::Pointer;
use paths::media_types;

mod bodies;
mod parameters;
mod paths;
mod refs;
mod responses;
mod schemas;
mod servers;
#[cfg(test)]
mod tests;

type Object = Map<String, Value>;

/// Converts a Swagger 2.0 document into the OpenAPI 3.0.3 document that means the same.
/// `Err` names the JSON pointer (RFC 6901, e.g. `/paths/~1a/post/parameters/0`) of the first thing it cannot convert and why.
pub fn to_openapi3(swagger: &Value) -> Result<Value, ConversionError> {
    let root = object(swagger, &Pointer::root())?;
    match root.get("swagger") {
        Some(Value::String(version)) if version == "2.0" => {}
        other => {
            return Err(error(
                &Pointer::root().join("swagger"),
                format!("expected \"2.0\", found {}", describe(other)),
            ));
        }
    }
    Converter::new(root)?.document()
}

/// Why a Swagger document could not be converted, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("at {pointer}: {message}")]
pub struct ConversionError {
    pub pointer: String,
    pub message: String,
}

/// The document being converted, with the document-wide defaults every
/// operation falls back on.
struct Converter<'a> {
    root: &'a Object,
    /// The document's `consumes`, or JSON.
    consumes: Vec<String>,
    /// The document's `produces`, or JSON.
    produces: Vec<String>,
}

impl<'a> Converter<'a> {
    fn new(root: &'a Object) -> Result<Self, ConversionError> {
        // References are looked up in these sections (`shared`); checking
        // their shape once here lets a bad section be reported as such
        // rather than as a reference that names nothing.
        for section in [
            "definitions",
            "parameters",
            "responses",
            "securityDefinitions",
        ] {
            field_object(root, section, &Pointer::root())?;
        }
        Ok(Self {
            root,
            consumes: media_types(root.get("consumes"), &[]),
            produces: media_types(root.get("produces"), &[]),
        })
    }

    fn document(&self) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        out.insert("openapi".into(), "3.0.3".into());
        for key in ["info", "tags", "externalDocs", "security"] {
            if let Some(value) = self.root.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        self.copy_extensions(self.root, &mut out);
        // Their meaning moves into `paths` and `servers`.
        out.remove("x-ms-paths");
        out.remove("x-ms-parameterized-host");
        out.insert("servers".into(), self.servers()?);
        out.insert("paths".into(), Value::Object(self.paths()?));
        let components = self.components()?;
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Ok(Value::Object(out))
    }
}

fn object<'v>(value: &'v Value, at: &Pointer) -> Result<&'v Object, ConversionError> {
    value
        .as_object()
        .ok_or_else(|| error(at, format!("expected an object, found {value}")))
}

fn array<'v>(value: &'v Value, at: &Pointer) -> Result<&'v Vec<Value>, ConversionError> {
    value
        .as_array()
        .ok_or_else(|| error(at, format!("expected an array, found {value}")))
}

/// `parent[key]` if present, which must then be an object.
fn field_object<'v>(
    parent: &'v Object,
    key: &str,
    at: &Pointer,
) -> Result<Option<&'v Object>, ConversionError> {
    parent
        .get(key)
        .map(|value| object(value, &at.join(key)))
        .transpose()
}

fn required_str<'v>(
    parent: &'v Object,
    key: &str,
    at: &Pointer,
) -> Result<&'v str, ConversionError> {
    match parent.get(key) {
        Some(Value::String(text)) => Ok(text),
        other => Err(error(
            &at.join(key),
            format!("expected a string, found {}", describe(other)),
        )),
    }
}

fn describe(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

fn error(at: &Pointer, message: impl Into<String>) -> ConversionError {
    ConversionError {
        pointer: at.to_string(),
        message: message.into(),
    }
}
