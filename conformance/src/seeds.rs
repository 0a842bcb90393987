//! The built-in endpoint's starting state for a run (`--fixtures`): what
//! every case starts from (`shared`), and per operation what its cases add
//! (`operations`, by operationId), so examples that need one job in
//! conflicting states (assigned to complete it, queued to cancel it) each
//! find it as they assume.

use std::collections::BTreeMap;
use std::path::Path;

use job_router_emulator::Fixtures;
use serde::Deserialize;

use crate::spec::Spec;

/// A `--fixtures` file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default = "Fixtures::empty")]
    shared: Fixtures,
    #[serde(default)]
    operations: BTreeMap<String, Fixtures>,
}

/// The state each operation's cases start from.
#[derive(Debug, Clone)]
pub struct Seeds {
    shared: Fixtures,
    /// The shared fixtures and the operation's own, already joined.
    operations: BTreeMap<String, Fixtures>,
}

impl Default for Seeds {
    /// The emulator's own default state for every case.
    fn default() -> Self {
        Seeds {
            shared: Fixtures::default(),
            operations: BTreeMap::new(),
        }
    }
}

impl Seeds {
    /// Reads a `.json` or YAML file; every operation it names is one of
    /// `spec`'s, and every state it gives is one the emulator accepts.
    pub fn load(path: &Path, spec: &Spec) -> Result<Seeds, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--fixtures {shown}: cannot read: {e}"))?;
        let file: File = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_str(&text).map_err(|e| e.to_string())
        }
        .map_err(|e| format!("--fixtures {shown}: {e}"))?;
        file.shared
            .check()
            .map_err(|e| format!("--fixtures {shown}: shared: {e}"))?;
        let mut operations = BTreeMap::new();
        for (id, own) in file.operations {
            if !spec.operations.iter().any(|op| op.id == id) {
                return Err(format!(
                    "--fixtures {shown}: operations: `{id}` is no operationId of {}",
                    spec.file
                ));
            }
            let joined = file.shared.and(&own);
            joined
                .check()
                .map_err(|e| format!("--fixtures {shown}: operations: {id}: {e}"))?;
            operations.insert(id, joined);
        }
        Ok(Seeds {
            shared: file.shared,
            operations,
        })
    }

    /// What the endpoint starts with.
    pub fn shared(&self) -> &Fixtures {
        &self.shared
    }

    /// The state the cases of `operation` (an operationId) start from.
    pub fn for_operation(&self, operation: &str) -> &Fixtures {
        self.operations.get(operation).unwrap_or(&self.shared)
    }
}
