//! Small documents lowered whole, and what the model says of them: the
//! behaviours of the lowering passes that no snapshot shows exactly
//! (each group found unpinned by cargo-mutants).

mod aliases;
mod bodies;
mod enums;
mod headers;
mod long_running;
mod merging;
mod nesting;
mod operation;
mod pageable;
mod path;
mod refs;
mod responses;
mod schemas;
mod unions;

use crate::Error;
use crate::model::{Api, TypeShape, Warning};

/// Lowers the OpenAPI 3.0 document `yaml`.
fn lowered(yaml: &str) -> Result<Api, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, yaml).expect("write spec");
    super::lower(&crate::load::load(&path)?)
}

/// A document with no paths and the given `components/schemas` entries
/// (YAML lines indented for the map).
fn with_schemas(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

/// The names of the types generated as newtype structs, in order.
fn newtypes(api: &Api) -> Vec<String> {
    api.types
        .iter()
        .filter(|def| matches!(def.shape, TypeShape::Newtype(_)))
        .map(|def| def.name.to_string())
        .collect()
}

/// The warning for component `name`, a schema of keywords of several kinds
/// generated as `serde_json::Value`.
fn mixed_fallback(name: &str) -> Warning {
    Warning {
        pointer: format!("/components/schemas/{name}"),
        message: "unsupported: a schema mixing keywords of several types or compositions; generated as serde_json::Value".to_owned(),
    }
}
