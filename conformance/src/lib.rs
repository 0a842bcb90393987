//! Conformance: replays a spec's documented examples, and the probes its
//! rules imply, against any endpoint, and reports how it behaves.
//!
//! The pipeline reads top to bottom: [`spec`] loads what the document says,
//! [`check::examples`] checks the spec's own examples, [`cases`] derives the
//! requests and what must come back, [`run`] sends them, [`check`] turns
//! each answer into findings, and [`report`] renders them; [`suite`] drives
//! it and [`cli`] is the command line. [`rules`] says where each
//! expectation comes from (the document, Azure's guidelines, or REST
//! semantics the tester assumes) and which of them apply. [`reference`] is the built-in
//! reference endpoint (a faithful local fake of Job Router's Close Job),
//! tested when no endpoint is given.

pub mod cases;
pub mod check;
pub mod cli;
pub mod curl;
pub mod reference;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod spec;
pub mod suite;
