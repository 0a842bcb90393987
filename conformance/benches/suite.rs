//! The whole default conformance suite as `cargo xtask conformance` runs it
//! (minus process start), and the tester's per-request cost beside a bare
//! reqwest call sending the same bytes, so the aim "the whole suite in well
//! under one second" and the overhead of checking can be read off one run.
//!
//! `cargo bench -p conformance --bench suite`; figures go in BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use conformance::cases::{Case, Inputs, Request};
use conformance::check::{self, Context};
use conformance::rules::Rules;
use conformance::run::{Auth, Target, TargetOptions};
use conformance::schema::Schemas;
use conformance::spec::Spec;
use conformance::suite::{self, Settings};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use job_router_emulator::{Config, ReferenceServer};
use tokio::runtime::Runtime;

/// As the command line names it, and where it is.
const SPEC_LABEL: &str = "spec/close-job.yaml";
/// `cargo xtask conformance`'s default `--seed`.
const SEED: u64 = 20231101;
/// The documented example, replayed.
const EXAMPLE: &str = "JobRouterOperations_CloseJob/example/Closes a completed job";

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(SPEC_LABEL)
}

/// The command line's defaults: Azure profile on, default seed, no `--only`.
fn settings() -> Settings {
    Settings {
        inputs: Inputs {
            params: Vec::new(),
            seed: SEED,
        },
        only: Vec::new(),
        rules: Rules::default(),
        partition: None,
        notices: Vec::new(),
        seeds: Default::default(),
    }
}

/// The command line's defaults: no credential, 10 s, 1 MiB.
fn options() -> TargetOptions {
    TargetOptions {
        auth: Auth::None,
        headers: Vec::new(),
        timeout: Duration::from_secs(10),
        max_body: 1024 * 1024,
        insecure: false,
    }
}

/// The runtime `cargo xtask conformance` uses.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("builds a current-thread tokio runtime")
}

/// Load the spec, start the embedded endpoint, run every case, stop it.
async fn default_suite(path: &Path, settings: &Settings) -> suite::Outcome {
    let spec = Spec::load(path, SPEC_LABEL).expect("loads spec/close-job.yaml");
    suite::run_embedded(&spec, settings, None, options())
        .await
        .expect("runs the suite against the embedded endpoint")
}

fn whole_suite(c: &mut Criterion) {
    let runtime = runtime();
    let path = spec_path();
    let settings = settings();

    // A broken run (cases failing fast) must not pass for a fast one.
    let outcome = runtime.block_on(default_suite(&path, &settings));
    let report = &outcome.report;
    assert!(
        !outcome.unreachable,
        "the embedded endpoint was unreachable"
    );
    assert_eq!(
        report.failed(),
        0,
        "{} of {} cases failed",
        report.failed(),
        report.cases.len()
    );

    let mut group = c.benchmark_group("default_suite");
    // Milliseconds per iteration: flat sampling keeps the run short.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("with_endpoint_start", |b| {
        b.to_async(&runtime)
            .iter(|| default_suite(&path, &settings))
    });
    group.finish();
}

/// The documented example's case, built as the suite builds it.
fn example_case(spec: &Spec, schemas: &Schemas, settings: &Settings) -> Case {
    let (_, cases) = suite::plan(spec, schemas, settings);
    cases
        .into_iter()
        .find(|case| case.name == EXAMPLE)
        .expect("the spec has the documented example case")
}

fn per_request(c: &mut Criterion) {
    let runtime = runtime();
    let spec = Spec::load(&spec_path(), SPEC_LABEL).expect("loads spec/close-job.yaml");
    let schemas = Schemas::new(&spec.document);
    let settings = settings();
    let case = example_case(&spec, &schemas, &settings);
    let request: &Request = case
        .request
        .as_ref()
        .expect("the documented example's request can be built");
    let body = request
        .body
        .as_ref()
        .map(|b| b.bytes.clone())
        .unwrap_or_default();

    let server = runtime
        .block_on(ReferenceServer::start(
            "127.0.0.1:0".parse().expect("parses a socket address"),
            Config::default(),
        ))
        .expect("starts the reference endpoint");
    let handle = server.handle().clone();
    let url = url::Url::parse(&server.url()).expect("the endpoint's URL parses");
    let target = Target::new(url, options()).expect("sets up the tester's HTTP client");
    let context = Context {
        spec: &spec,
        schemas: &schemas,
        rules: settings.rules,
        max_body: target.max_body(),
    };

    // One send through the tester, outside timing: it must pass, and what
    // it sent (URL and headers, the body is the case's) is what the bare
    // client sends.
    handle.reset();
    let (sent, outcome) = runtime.block_on(target.send(request));
    let findings = check::check(&context, &case, &outcome);
    assert!(
        findings.is_empty(),
        "the documented example does not pass: {findings:?}"
    );
    // The same client settings as the tester's, so only the work differs.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .user_agent(concat!("conformance/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("builds a reqwest client");
    let bare_close = || {
        let mut builder = bare.post(sent.url.clone());
        for (name, value) in &sent.headers {
            builder = builder.header(name, value);
        }
        let body = body.clone();
        async move {
            let response = builder.body(body).send().await?;
            let status = response.status();
            Ok::<_, reqwest::Error>((status, response.bytes().await?))
        }
    };
    handle.reset();
    let (status, _) = runtime
        .block_on(bare_close())
        .expect("the bare client gets an answer");
    assert_eq!(status, reqwest::StatusCode::OK, "the bare close failed");

    // Both reset the endpoint first, so every close finds the job open.
    let mut group = c.benchmark_group("per_request");
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| {
            handle.reset();
            let close = bare_close();
            async move { close.await.expect("the bare client gets an answer") }
        })
    });
    group.bench_function("tester", |b| {
        b.to_async(&runtime).iter(|| async {
            handle.reset();
            let (_, outcome) = target.send(request).await;
            check::check(&context, &case, &outcome)
        })
    });
    group.finish();

    // The run is over; a failure to stop cleanly changes no figure.
    let _ = runtime.block_on(server.shutdown());
}

criterion_group!(benches, whole_suite, per_request);
criterion_main!(benches);
