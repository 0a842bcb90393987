//! What the endpoint tests share: the spec, the settings, servers on
//! 127.0.0.1 (axum routers and raw TCP), running the suite against them,
//! and reading the report.

#![allow(dead_code)] // Each test file uses its own part of this module.

pub mod arazzo;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use conformance::cases::Inputs;
use conformance::report::{self, Colour, Report, Rules};
use conformance::run::{Auth, Target, TargetOptions};
use conformance::spec::Spec;
use conformance::suite::{self, Endpoint, Outcome, Settings};
use job_router_emulator::Handle;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const EXAMPLE: &str = "JobRouterOperations_CloseJob/example/Closes a completed job";

pub fn spec() -> Spec {
    spec_at("spec/close-job.yaml")
}

/// A spec of the repository, named as the command line would name it.
pub fn spec_at(label: &str) -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(label);
    Spec::load(&path, label).expect("the spec loads")
}

pub fn settings() -> Settings {
    Settings {
        inputs: Inputs {
            params: Vec::new(),
            seed: 20231101,
        },
        rules: Rules::default(),
        ..Settings::default()
    }
}

/// The settings for the documented example alone.
pub fn example_only() -> Settings {
    Settings {
        only: vec![EXAMPLE.to_owned()],
        ..settings()
    }
}

pub fn options(timeout: Duration) -> TargetOptions {
    TargetOptions {
        auth: Auth::None,
        headers: Vec::new(),
        timeout,
        max_body: 1024 * 1024,
        insecure: false,
    }
}

/// Serves `router` on 127.0.0.1 until the test ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// Runs the suite against `address`, resetting the reference state through
/// `handle` before each case when given.
pub async fn run_against(
    address: SocketAddr,
    handle: Option<Handle>,
    settings: &Settings,
    timeout: Duration,
) -> Outcome {
    run_with(address, handle, settings, options(timeout)).await
}

/// [`run_against`] with every option given.
pub async fn run_with(
    address: SocketAddr,
    handle: Option<Handle>,
    settings: &Settings,
    options: TargetOptions,
) -> Outcome {
    run_spec(&spec(), address, handle, settings, options).await
}

/// [`run_with`] for any spec.
pub async fn run_spec(
    spec: &Spec,
    address: SocketAddr,
    handle: Option<Handle>,
    settings: &Settings,
    options: TargetOptions,
) -> Outcome {
    let url = url::Url::parse(&format!("http://{address}")).expect("url");
    let target = Target::new(url, options).expect("target");
    let reset = move |_operation: &str| {
        if let Some(handle) = &handle {
            handle.reset();
        }
    };
    let endpoint = Endpoint {
        target: &target,
        reset: Some(&reset),
        embedded: false,
    };
    // Generous: a hang becomes a failure instead of a stuck test.
    tokio::time::timeout(
        Duration::from_secs(60),
        suite::run(spec, settings, &endpoint),
    )
    .await
    .expect("the run ends")
    .expect("cases match")
}

/// The report with what changes between runs taken out: the timings.
pub fn stable(report: &Report) -> Report {
    let mut report = report.clone();
    report.duration = Duration::ZERO;
    for case in &mut report.cases {
        case.duration = Duration::ZERO;
    }
    for workflow in &mut report.workflows {
        workflow.duration = Duration::ZERO;
        for step in &mut workflow.steps {
            step.duration = Duration::ZERO;
        }
    }
    report
}

/// The human report without what changes between runs: the port and the
/// timings.
pub fn human(report: &Report, address: SocketAddr) -> String {
    without_port(&report::human(&stable(report), Colour::Never), address)
}

/// `text` with the endpoint's `host:port` written `host:[port]`: replaced
/// whole, so digits elsewhere (a seeded UUID) that happen to spell the
/// port are left alone.
pub fn without_port(text: &str, address: SocketAddr) -> String {
    text.replace(&address.to_string(), &format!("{}:[port]", address.ip()))
}

/// The checks that failed, as `case name: check`.
pub fn failures(report: &Report) -> Vec<String> {
    report
        .cases
        .iter()
        .flat_map(|case| {
            case.findings
                .iter()
                .filter(|f| f.severity == report::Severity::Error)
                .map(move |f| format!("{}: {}", case.name, f.check))
        })
        .collect()
}

/// A TCP server on 127.0.0.1 that hands every connection to `answer`.
pub async fn tcp_server<F, Fut>(answer: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket));
        }
    });
    address
}

/// A TCP server on 127.0.0.1 that answers every connection with `bytes`
/// (after reading what arrives) and closes it.
pub async fn raw_server(bytes: &'static [u8]) -> SocketAddr {
    tcp_server(move |mut socket| async move {
        let mut buffer = [0u8; 4096];
        let _ = socket.read(&mut buffer).await;
        let _ = socket.write_all(bytes).await;
    })
    .await
}
