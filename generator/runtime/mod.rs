//! The runtime every generated crate shares: for the client, endpoint and
//! URL handling, sending requests, decoding responses and the one error
//! type; for the server side, matching and decoding requests (`server`).
//!
//! Copied verbatim from the generator's `runtime/` sources by
//! `cargo xtask codegen`, so this crate can be vendored on its own.

mod error;
mod path;
mod pipeline;
mod response;
pub mod server;

pub use error::{Error, HttpError};
pub use path::path_segment;
pub use pipeline::{Pipeline, json_body};
pub use response::Response;
