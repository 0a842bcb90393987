//! The runtime every generated crate shares: for the client, endpoint and
//! URL handling, sending requests, decoding responses and the one error
//! type; for the server side, matching and decoding requests (`server`).
//!
//! Two cargo features choose what a crate carries: `azure` (the Azure
//! profile: connection strings, access-key signing, `x-ms-client-request-id`,
//! the `azsdk` user agent, Azure error codes) and `server` (the server side).
//!
//! Copied verbatim from the generator's `runtime/` sources by
//! `cargo xtask codegen`, so this crate can be vendored on its own.

mod auth;
mod credential;
mod error;
mod options;
mod pages;
mod path;
mod pipeline;
mod poller;
mod request;
mod response;
mod retry;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "azure")]
mod sign;

#[cfg(feature = "azure")]
pub use credential::{AccessKey, parse_connection_string};
pub use credential::{
    AccessToken, ApiKey, ApiKeyScheme, Credential, KeyLocation, StaticToken, TokenCredential,
    TokenFuture,
};
pub use error::{
    Error, ErrorBody, HttpError, MAX_ERROR_BODY, MAX_RAW_BODY, OperationFailure, TimeoutScope,
};
pub use options::{
    ClientOptions, Clock, DEFAULT_MAX_RESPONSE_BODY, RetryOptions, Sleep, SystemClock, TokioSleep,
};
pub use pages::{Pages, SplitPage};
pub use path::path_segment;
pub use pipeline::Pipeline;
pub use poller::{DEFAULT_POLL_INTERVAL, FinalState, LroStatus, Poller};
pub use request::Request;
pub use response::Response;
#[cfg(feature = "azure")]
pub use sign::sign_request;
