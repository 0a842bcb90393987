//! Developer commands, run as `cargo xtask <command>`.

mod adversarial;
mod codegen;
mod corpus;
mod serve;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Developer commands for this repository")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crate from the OpenAPI spec (by default
    /// spec/close-job.yaml into generated/).
    Codegen(codegen::Args),
    /// Run the Job Router emulator (the whole 2023-11-01 API) until Ctrl-C.
    Serve(serve::Args),
    /// Replay the spec's documented examples and probes against an
    /// endpoint (by default the built-in Job Router emulator) and report.
    /// Exit: 0 passed, 1 failed, 2 usage or spec error, 3 unreachable.
    Conformance(Box<conformance::cli::Args>),
    /// Generate every OpenAPI/Swagger document of the shared corpus
    /// (../shared/specs) into one workspace under target/corpus and build
    /// it with clippy. Exit: 0 all generated and built, 1 otherwise.
    Corpus(corpus::Args),
    /// Write the adversarial corpus (hostile names and text, cycles,
    /// diamonds, deep nesting, huge documents) and check it like `corpus`:
    /// no panic, no hang, every refusal names its place, and every crate
    /// generated builds with clippy. Exit: 0 all held, 1 otherwise.
    Adversarial(adversarial::Args),
    /// Generate one spec as a corpus member (run by `corpus` in a child
    /// process, so a hang or crash is that spec's result).
    #[command(hide = true)]
    CorpusMember(corpus::member::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Corpus(args) => corpus::run(&args),
        Command::Adversarial(args) => adversarial::run(&args),
        Command::CorpusMember(args) => return corpus::member::run(&args),
        Command::Conformance(args) => return conformance::cli::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
