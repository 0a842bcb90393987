//! Reads a spec file (YAML or JSON) into `openapiv3`, refusing anything
//! that is not OpenAPI 3.0 with an error that names the place.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::Error;

/// A parsed document with where it came from, kept for diagnostics.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    pub document: OpenAPI,
}

impl Source {
    /// The 1-based line of the first occurrence of `needle`, to point a
    /// reader at a reference the parser gave no position for.
    pub fn line_of(&self, needle: &str) -> Option<usize> {
        let offset = self.text.find(needle)?;
        Some(self.text[..offset].matches('\n').count() + 1)
    }
}

/// Loads the document at `path`: `.json` files as JSON, anything else as
/// YAML.
pub fn load(path: &Path) -> Result<Source, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let document = if is_json {
        parse_json(path, &text)?
    } else {
        parse_yaml(path, &text)?
    };
    Ok(Source {
        path: path.to_owned(),
        text,
        document,
    })
}

fn parse_json(path: &Path, text: &str) -> Result<OpenAPI, Error> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        format: "JSON",
        line: Some(e.line()),
        column: Some(e.column()),
        message: strip_position(&e.to_string()),
    })?;
    check_version(
        path,
        value.get("openapi"),
        value.get("swagger"),
        value.is_object(),
    )?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.into_inner();
        Error::Invalid {
            path: path.to_owned(),
            pointer,
            line: Some(inner.line()),
            column: Some(inner.column()),
            message: strip_position(&inner.to_string()),
        }
    })
}

fn parse_yaml(path: &Path, text: &str) -> Result<OpenAPI, Error> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        format: "YAML",
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
        message: strip_position(&e.to_string()),
    })?;
    let field = |name: &str| value.get(name).map(yaml_to_json);
    check_version(
        path,
        field("openapi").as_ref(),
        field("swagger").as_ref(),
        value.is_mapping(),
    )?;
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.into_inner();
        Error::Invalid {
            path: path.to_owned(),
            pointer,
            line: inner.location().map(|l| l.line()),
            column: inner.location().map(|l| l.column()),
            message: strip_position(&inner.to_string()),
        }
    })
}

/// A scalar YAML value as JSON, for the version check only.
fn yaml_to_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Accepts `openapi: 3.0.x`; names what was found otherwise.
fn check_version(
    path: &Path,
    openapi: Option<&serde_json::Value>,
    swagger: Option<&serde_json::Value>,
    is_object: bool,
) -> Result<(), Error> {
    let found = match (openapi, swagger) {
        (Some(serde_json::Value::String(v)), _) if v.starts_with("3.0.") || v == "3.0" => {
            return Ok(());
        }
        (Some(serde_json::Value::String(v)), _) if v.starts_with("3.1") => {
            format!("found OpenAPI {v}, which is not supported yet")
        }
        (Some(v), _) => format!("found `openapi: {v}`, an unknown OpenAPI version"),
        (None, Some(v)) => {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            format!("found Swagger {v} (`swagger` field), which is not supported yet")
        }
        (None, None) if is_object => "found no `openapi` field at /".to_owned(),
        (None, None) => "found no mapping at the top level, so no OpenAPI document".to_owned(),
    };
    Err(Error::UnsupportedVersion {
        path: path.to_owned(),
        found,
    })
}

/// A serde path (`paths./a.post`) as a JSON pointer (`/paths/~1a/post`).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = crate::pointer::Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer.join("?"),
        };
    }
    pointer.to_string()
}

/// Parser messages end in "at line L column C", which the error already
/// gives in `file:line:column` form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
