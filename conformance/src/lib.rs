//! Conformance for the Close Job operation.
//!
//! Today this crate holds the [`reference`] endpoint: a faithful local fake
//! of the Job Router Close Job operation, built on the server side that
//! `cargo xtask codegen` generates from the same spec. It is the default
//! target of the conformance tester (next) and a fake that applications can
//! be integration-tested against.

pub mod reference;
