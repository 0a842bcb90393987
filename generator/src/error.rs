//! Errors that name the place in the spec where generation stopped.

use std::path::PathBuf;

/// Why a spec could not be turned into a crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not well-formed YAML or JSON.
    #[error("{}{}: not valid {format}: {message}", path.display(), line_suffix(*line, *column))]
    Syntax {
        path: PathBuf,
        format: &'static str,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// The document is neither OpenAPI 3.0 nor Swagger 2.0 (OpenAPI 3.1,
    /// Swagger 1.x, or no version at all).
    #[error("{}: {found}; this generator reads OpenAPI 3.0.x and Swagger 2.0", path.display())]
    UnsupportedVersion { path: PathBuf, found: String },
    /// The document is OpenAPI 3.0 in name but not in shape.
    #[error("{}{} at {pointer}: not a valid OpenAPI 3.0 document: {message}", path.display(), line_suffix(*line, *column))]
    Invalid {
        path: PathBuf,
        pointer: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// A `$ref` points to nothing in the document.
    #[error("{}{} at {pointer}: dangling $ref `{reference}`: {reason}", path.display(), line_suffix(*line, None))]
    DanglingRef {
        path: PathBuf,
        pointer: String,
        line: Option<usize>,
        reference: String,
        reason: String,
    },
    /// A `$ref` to another file that is not followed: a URL, a file
    /// outside the spec root, missing or unreadable, or nothing at its
    /// pointer there.
    #[error("{}{} at {pointer}: `$ref: {reference}`: {reason}", path.display(), line_suffix(*line, None))]
    ExternalRef {
        path: PathBuf,
        pointer: String,
        line: Option<usize>,
        reference: String,
        reason: String,
    },
    /// The spec itself is not inside the root given for its references.
    #[error("{}: not inside the spec root {}", path.display(), root.display())]
    OutsideSpecRoot { path: PathBuf, root: PathBuf },
    /// A shape the generator does not turn into code yet.
    #[error("{} at {pointer}: unsupported: {what}", path.display())]
    Unsupported {
        path: PathBuf,
        pointer: String,
        what: String,
    },
    /// The crate name is not one Cargo accepts.
    #[error(
        "`{name}` is not a valid crate name: use ASCII letters, digits, `_` and `-`, starting with a letter or `_`"
    )]
    InvalidCrateName { name: String },
    /// Emitted code did not parse: a bug in the generator, reported rather
    /// than written.
    #[error("internal error: generated `{file}` is not valid Rust: {message}")]
    InvalidOutput { file: String, message: String },
    /// Writing the generated crate failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn line_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}
