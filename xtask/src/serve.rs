//! `cargo xtask serve`: the Job Router emulator on a local port until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use std::time::Duration;

use job_router_emulator::{
    AccessKey, Config, Dialect, Fixtures, Limits, ReferenceServer, SystemClock,
};

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
    /// Start from these resources (JSON or YAML: Close Job's workers/jobs
    /// shorthand, or distributionPolicies, queues, classificationPolicies,
    /// exceptionPolicies, routerWorkers, routerJobs as upsert bodies)
    /// instead of the documented Close Job example's job.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// How errors are written: `spec` (documented ErrorResponse with
    /// x-ms-error-code) or `service` (as the live service was recorded).
    #[arg(long, default_value = "spec")]
    dialect: Dialect,
    /// Seconds a connection has to send a request head, from when it opens
    /// or from its previous answer (so also how long it may stay idle).
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(DEFAULT.header_timeout))]
    header_timeout: Seconds,
    /// Seconds a request body may take to arrive in full.
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(DEFAULT.body_timeout))]
    body_timeout: Seconds,
    /// Connections served at once; more wait to be accepted. Lowered to
    /// stay below the open-file limit (`ulimit -n`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT.max_connections)]
    max_connections: usize,
    /// Seconds Ctrl-C waits for requests in flight before dropping the
    /// connections left.
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(DEFAULT.shutdown_grace))]
    shutdown_grace: Seconds,
    /// Bytes of resources stored (each counted as its JSON plus 1 KiB);
    /// creating or growing one past it is refused with 507.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT.stored_bytes)]
    max_stored_bytes: usize,
}

const DEFAULT: Limits = Limits::DEFAULT;

/// A positive number of seconds on the command line, fractions allowed
/// (`0.5`).
#[derive(Debug, Clone, Copy)]
struct Seconds(Duration);

impl std::str::FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse::<f64>()
            .ok()
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .filter(|duration| !duration.is_zero())
            .map(Seconds)
            .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
    }
}

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
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
        limits: Limits {
            header_timeout: args.header_timeout.0,
            body_timeout: args.body_timeout.0,
            max_connections: args.max_connections,
            shutdown_grace: args.shutdown_grace.0,
            stored_bytes: args.max_stored_bytes,
            ..DEFAULT
        },
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = ReferenceServer::start(args.addr, config)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        // Listen for Ctrl-C before saying so: a signal that arrives between
        // the two would otherwise end the process without stopping cleanly.
        let interrupted = interrupt().context("cannot wait for Ctrl-C")?;
        announce(&format!(
            "Job Router emulator listening on {}",
            server.url()
        ));
        announce("press Ctrl-C to stop");
        interrupted.await;
        server.shutdown().await.context("shutting down")?;
        announce("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints one status line. A server goes on serving when nobody reads its
/// output any more (a closed pipe, `| head -1`): `println!` would panic.
fn announce(line: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // A closed stdout only means nobody is reading the status lines.
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
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
