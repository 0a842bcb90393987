//! The conformance tester's own binary; `cargo xtask conformance` runs the same.

use std::process::ExitCode;

use clap::Parser;

/// Replays a spec's documented examples and probes against an endpoint
/// and reports how it behaves. Exit: 0 passed, 1 failed, 2 usage or spec
/// error, 3 endpoint unreachable.
#[derive(Parser)]
#[command(name = "conformance", version)]
struct Cli {
    #[command(flatten)]
    args: conformance::cli::Args,
}

fn main() -> ExitCode {
    conformance::cli::run(&Cli::parse().args)
}
