//! Small documents lowered whole, and what the model says of them: the
//! behaviours of the lowering passes that no snapshot shows exactly
//! (each group found unpinned by cargo-mutants).

mod refs;

use crate::Error;
use crate::model::Api;

/// Lowers the OpenAPI 3.0 document `yaml`.
fn lowered(yaml: &str) -> Result<Api, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, yaml).expect("write spec");
    super::lower(&crate::load::load(&path)?)
}
