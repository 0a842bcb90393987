//! The runtime every generated client shares: endpoint and URL handling,
//! sending requests, decoding responses and the one error type.
//!
//! Copied verbatim from the generator's `runtime/` sources by
//! `cargo xtask codegen`, so this crate can be vendored on its own.

mod error;
mod path;
mod pipeline;
mod response;

pub use error::{Error, HttpError};
pub use path::path_segment;
pub use pipeline::{Pipeline, json_body};
pub use response::Response;
