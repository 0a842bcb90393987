//! `cargo xtask serve`: the reference endpoint on a local port until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use conformance::reference::{AccessKey, Config, Dialect, Fixtures, ReferenceServer, SystemClock};

#[derive(clap::Args)]
pub struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Require requests signed with this access key (base64, as the Azure
    /// portal shows it); also read from JOBROUTER_ACCESS_KEY.
    #[arg(
        long,
        value_name = "BASE64",
        env = "JOBROUTER_ACCESS_KEY",
        hide_env_values = true
    )]
    access_key: Option<String>,
    /// Start from these jobs and workers (JSON or YAML) instead of the
    /// documented example's job.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// How errors are written: `spec` (documented ErrorResponse with
    /// x-ms-error-code) or `service` (as the live service was recorded).
    #[arg(long, default_value = "spec")]
    dialect: Dialect,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let fixtures = match &args.fixtures {
        Some(path) => Fixtures::load(path)?,
        None => Fixtures::default(),
    };
    let access_key = args
        .access_key
        .as_deref()
        .map(AccessKey::from_base64)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--access-key: {e}"))?;
    let config = Config {
        fixtures,
        access_key,
        dialect: args.dialect,
        clock: Arc::new(SystemClock),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = ReferenceServer::start(args.addr, config)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        // Listen for Ctrl-C before saying so: a signal that arrives between
        // the two would otherwise end the process without stopping cleanly.
        let interrupted = interrupt().context("cannot wait for Ctrl-C")?;
        println!(
            "reference Job Router endpoint listening on {}",
            server.url()
        );
        println!("press Ctrl-C to stop");
        interrupted.await;
        server.shutdown().await.context("shutting down")?;
        println!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// A future that completes on Ctrl-C (SIGINT), listening from the moment
/// it is made.
#[cfg(unix)]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        signal.recv().await;
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
