//! The document's own rules, read the same way by the generator's
//! lowering (over `openapiv3` types) and by the conformance tester (over
//! JSON): pointers, `$ref`s, the methods a path item holds, parameter
//! merging and response keys.

pub mod params;
pub mod pointer;
pub mod refs;
pub mod servers;
pub mod status;

pub use params::Location;
pub use pointer::Pointer;
pub use refs::{Ref, RefError, RefProblem, Resolved};
pub use status::StatusKey;

/// The operations a path item may hold, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
