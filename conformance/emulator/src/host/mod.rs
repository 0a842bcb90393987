//! The emulator's host: HTTP, signatures, limits, errors, fixtures and the
//! clock, around the generated decoder and dispatcher.

pub mod auth;
pub mod clock;
pub mod errors;
pub mod fixtures;
pub mod http;
pub mod serve;
