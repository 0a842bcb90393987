//! Turns an OpenAPI 3.0 document into a typed async Rust client crate.
//!
//! The pipeline reads top to bottom: [`load`] the document, [`lower`] it into
//! our own [`model`] (references resolved, names decided), [`emit`] the crate's
//! files as token streams, [`format`] them, and [`output`] writes what changed.
//! Nothing here knows about any particular service: everything emitted comes
//! from the document and the runtime sources kept in `runtime/`.

pub mod bundle;
pub mod document;
pub mod emit;
pub mod error;
pub mod format;
pub mod ident;
pub mod load;
pub mod lower;
pub mod model;
pub mod output;
pub mod profile;
pub mod swagger;

use std::path::{Path, PathBuf};

pub use error::Error;
pub use output::{CrateFiles, FileChange};
pub use profile::ProfileChoice;

/// What to generate besides what the document says.
#[derive(Debug, Clone)]
pub struct Config {
    /// The spec's path as it should appear in generated headers (stable
    /// across machines, so relative to the repository).
    pub spec_label: String,
    /// The Cargo package name of the generated crate.
    pub crate_name: String,
    /// Whether the crate is its own workspace (`--out` elsewhere) rather
    /// than a member of an enclosing one.
    pub standalone: bool,
    /// Azure conventions or plain HTTP; `Auto` detects them from the
    /// document (`profile`).
    pub profile: ProfileChoice,
    /// The folder `$ref`s to other files must stay inside; `None` for
    /// [`bundle::default_root`].
    pub spec_root: Option<PathBuf>,
}

/// Runs load → lower → emit → format on the spec at `spec_path`, producing
/// the crate's files in memory; nothing is written.
pub fn generate(spec_path: &Path, config: &Config) -> Result<CrateFiles, Error> {
    let source = load::load_within(spec_path, config.spec_root.as_deref())?;
    let api = lower::lower(&source)?;
    let profile = profile::profile(&source.value, config.profile);
    // The model owns all that emitting needs: the document, its text and
    // its JSON (a third of the peak on large specs) go before the code is
    // built.
    drop(source);
    emit::emit(&api, &profile, config)
}
