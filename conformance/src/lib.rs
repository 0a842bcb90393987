//! Conformance: replays a spec's documented examples, and the probes its
//! rules imply, against any endpoint, and reports how it behaves.
//!
//! The pipeline reads top to bottom: [`spec`] loads what the document says,
//! [`check::examples`] checks the spec's own examples, [`cases`] derives the
//! requests and what must come back, [`run`] sends them, [`check`] turns
//! each answer into findings, and [`report`] renders them; [`suite`] drives
//! it and [`cli`] is the command line. [`rules`] says where each
//! expectation comes from (the document, Azure's guidelines, or REST
//! semantics the tester assumes) and which of them apply. When no endpoint is
//! given, the suite starts the Job Router emulator (`job_router_emulator`)
//! and tests it, seeded as [`seeds`] says.

pub mod cases;
pub mod check;
pub mod cli;
pub mod curl;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod seeds;
pub mod spec;
pub mod suite;
pub mod workflow;
