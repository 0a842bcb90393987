//! The runtime every generated crate shares: for the client, endpoint and
//! URL handling, sending requests, decoding responses and the one error
//! type; for the server side, matching and decoding requests (`server`).
//!
//! Copied verbatim from the generator's `runtime/` sources by
//! `cargo xtask codegen`, so this crate can be vendored on its own.

mod credential;
mod error;
mod options;
mod pages;
mod path;
mod pipeline;
mod request;
mod response;
mod retry;
pub mod server;
mod sign;

pub use credential::{
    AccessKey, AccessToken, Credential, StaticToken, TokenCredential, TokenFuture,
    parse_connection_string,
};
pub use error::{Error, ErrorBody, HttpError, MAX_ERROR_BODY, MAX_RAW_BODY, TimeoutScope};
pub use options::{ClientOptions, DEFAULT_MAX_RESPONSE_BODY, RetryOptions, Sleep, TokioSleep};
pub use pages::{Pages, SplitPage};
pub use path::path_segment;
pub use pipeline::Pipeline;
pub use request::Request;
pub use response::Response;
pub use sign::sign_request;
