//! The command line: `cargo xtask conformance` and the `conformance` binary.
//!
//! Exit codes: 0 every case passed, 1 a case failed, 2 usage or spec error,
//! 3 the endpoint could not be reached.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use url::Url;

use crate::cases::Inputs;
use crate::report::{self, Colour, Report};
use crate::rules::Rules;
use crate::run::{Auth, Target, TargetOptions};
use crate::seeds::Seeds;
use crate::spec::Spec;
use crate::suite::{self, Endpoint, Outcome, Partition, Settings};
use crate::workflow::Workflows;
use job_router_emulator as reference;

pub const PASSED: u8 = 0;
pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;
pub const UNREACHABLE: u8 = 3;

/// The spec tested when neither `--spec` nor `--workflow` is given,
/// relative to the repository.
const DEFAULT_SPEC: &str = "spec/close-job.yaml";
/// The workflow run with the default spec, when the repository has it.
const DEFAULT_WORKFLOW: &str = "spec/jobrouter/close-job.arazzo.yaml";
/// The seed unless `--seed` says otherwise.
const DEFAULT_SEED: u64 = 20231101;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The OpenAPI 3.0 (or Swagger 2.0) document whose examples and rules
    /// are tested. Without it and without --workflow: spec/close-job.yaml
    /// and the shipped workflow spec/jobrouter/close-job.arazzo.yaml.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// An Arazzo 1.0.x file whose workflows run after the cases (alone,
    /// without --spec). Repeatable.
    #[arg(long = "workflow", value_name = "FILE")]
    pub workflows: Vec<PathBuf>,
    /// Run only this workflow (and the workflows it depends on).
    #[arg(long, value_name = "ID")]
    pub workflow_id: Option<String>,
    /// Give the workflows' input NAME this VALUE (JSON if it parses as
    /// JSON, else a string); `runId` defaults to an id derived from --seed.
    /// Repeatable.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = input)]
    pub inputs: Vec<(String, serde_json::Value)>,
    /// The endpoint to test; without one, the built-in Job Router emulator
    /// is started on 127.0.0.1 and tested.
    #[arg(long, value_name = "URL", env = "CONFORMANCE_ENDPOINT")]
    pub endpoint: Option<String>,
    /// The built-in endpoint's state (YAML or JSON): `shared` (the
    /// emulator's fixtures every case starts from) and `operations` (by
    /// operationId, what that operation's cases add); the endpoint is reset
    /// to it before every case. Without it, the emulator's default state.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["endpoint", "connection_string"])]
    pub fixtures: Option<PathBuf>,
    /// Use VALUE wherever parameter NAME is sent (e.g. the id of a
    /// completed job on a real resource). Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = name_value('='))]
    pub params: Vec<(String, String)>,
    /// Send this header with every request. Repeatable.
    #[arg(long = "header", value_name = "NAME:VALUE", value_parser = header)]
    pub headers: Vec<(String, String)>,
    /// A Communication Services connection string (`endpoint=...;accesskey=...`):
    /// requests are HMAC-signed, and its endpoint is tested unless --endpoint is given.
    #[arg(
        long,
        value_name = "TEXT",
        env = "CONFORMANCE_CONNECTION_STRING",
        hide_env_values = true
    )]
    pub connection_string: Option<String>,
    /// Sign requests with this access key (base64).
    #[arg(
        long,
        value_name = "BASE64",
        env = "CONFORMANCE_ACCESS_KEY",
        hide_env_values = true,
        conflicts_with = "connection_string"
    )]
    pub access_key: Option<String>,
    /// Send `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "TOKEN", env = "CONFORMANCE_TOKEN", hide_env_values = true,
          conflicts_with_all = ["connection_string", "access_key"])]
    pub token: Option<String>,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Read at most this many bytes of each answer's body.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Run only this case, or the cases under this prefix
    /// (`JobRouterOperations_CloseJob/probe`); `workflow/<id>` runs that
    /// workflow whole. Repeatable.
    #[arg(long, value_name = "CASE")]
    pub only: Vec<String>,
    /// Print the case names and stop.
    #[arg(long)]
    pub list: bool,
    /// Seed for generated values (unknown ids, the workflows' run id);
    /// 20231101 unless given. The same seed gives the same requests.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The sources whose rules apply: `spec` (the document), `azure` (Azure's
    /// REST API guidelines, on operations that follow them), `inferred` (REST
    /// semantics the tester assumes); `SOURCE=warning` reports a source's
    /// findings without failing. `--rules spec` runs only the document's rules.
    #[arg(long, value_name = "LIST", default_value = "spec,azure,inferred", value_parser = Rules::parse)]
    pub rules: Rules,
    /// Leave out the Azure REST API guideline checks (as leaving `azure`
    /// out of --rules).
    #[arg(long)]
    pub no_azure: bool,
    /// Run part K of N of the selected cases (dealt out in run order, as
    /// cargo-nextest's `--partition count:K/N`); each part is a whole report.
    #[arg(long, value_name = "K/N", value_parser = Partition::parse)]
    pub partition: Option<Partition>,
    /// Accept any TLS certificate.
    #[arg(long)]
    pub insecure: bool,
    /// The report printed (or written to --output).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a report in FORMAT to FILE (e.g. junit=target/conformance.xml). Repeatable.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = report_file)]
    pub reports: Vec<(Format, PathBuf)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
}

/// Runs the suite as the arguments say and returns the exit code; the
/// report goes to standard output (or files), problems to standard error.
pub fn run(args: &Args) -> ExitCode {
    match run_inner(args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            // Messages quote the spec (and `--list` its names), which may
            // hold escape sequences.
            eprintln!("error: {}", report::escape::lines(&message));
            ExitCode::from(USAGE)
        }
    }
}

fn run_inner(args: &Args) -> Result<u8, String> {
    let spec = match (&args.spec, args.workflows.is_empty()) {
        (Some(given), _) => Some(given.clone()),
        (None, true) => Some(PathBuf::from(DEFAULT_SPEC)),
        (None, false) => None,
    };
    let spec = spec
        .map(|given| {
            let (path, label) = in_repository(&given, DEFAULT_SPEC);
            Spec::load(&path, &label).map_err(|e| e.to_string())
        })
        .transpose()?;
    let workflows = workflows(args)?;
    let mut settings = settings(args);
    if let (Some(run_id), false) = (&workflows.run_id, workflows.is_empty()) {
        settings.notices.push(format!(
            "workflow run id {run_id}: the ids the workflows create start with it \
             (random in part; --seed gives the same ids every run)"
        ));
    }
    if let Some(spec) = &spec {
        check_overrides(spec, &args.params)?;
        if let Some(path) = &args.fixtures {
            settings.seeds = Seeds::load(path, spec)?;
        }
    }
    workflows.check(seed(args))?;
    if args.list {
        let mut names = spec
            .as_ref()
            .map(|spec| suite::case_names(spec, &settings))
            .unwrap_or_default();
        // Workflows run in the first part only (see `suite::run_all`).
        if settings.partition.is_none_or(|p| p.part == 1) {
            names.extend(workflows.step_names()?);
        }
        let names: String = names
            .iter()
            .map(|name| report::escape::line(name) + "\n")
            .collect();
        print_out(&names)?;
        return Ok(PASSED);
    }
    let (mut spec, mut workflows) = (spec, workflows);
    select(&args.only, &mut spec, &mut workflows, &mut settings);
    let outcome = run_suite(args, spec.as_ref(), &workflows, &settings)?;
    write_reports(args, &outcome.report)?;
    if outcome.unreachable {
        eprintln!(
            "error: the endpoint {} could not be reached",
            outcome.report.endpoint
        );
        return Ok(UNREACHABLE);
    }
    Ok(if outcome.report.failed() == 0 {
        PASSED
    } else {
        FAILED
    })
}

/// The Arazzo files to run: `--workflow`, or with neither it nor `--spec`
/// the shipped workflow when the repository has it.
fn workflows(args: &Args) -> Result<Workflows, String> {
    let mut files: Vec<(PathBuf, String)> = args
        .workflows
        .iter()
        .map(|path| (path.clone(), path.display().to_string()))
        .collect();
    if args.spec.is_none() && files.is_empty() {
        let (path, label) = in_repository(Path::new(DEFAULT_WORKFLOW), DEFAULT_WORKFLOW);
        if path.exists() {
            files.push((path, label));
        }
    }
    if files.is_empty() && (args.workflow_id.is_some() || !args.inputs.is_empty()) {
        return Err("--workflow-id and --input need a workflow: give --workflow FILE".to_owned());
    }
    let plans = files
        .iter()
        .map(|(path, label)| Workflows::load(path, label).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    Ok(Workflows {
        plans,
        only: args.workflow_id.iter().cloned().collect(),
        inputs: args.inputs.clone(),
        run_id: run_id(args),
    })
}

fn seed(args: &Args) -> u64 {
    args.seed.unwrap_or(DEFAULT_SEED)
}

/// The workflows' run id when it is not the seed's: against an endpoint of
/// the user's with no `--seed`, the seed's plus a random part, so that runs
/// sharing a live resource (two pipelines at once, a run after one that
/// died before its cleanup) never share an id. `--seed` asks for the same
/// requests every time, so it keeps the seed's alone.
fn run_id(args: &Args) -> Option<String> {
    let external = args.endpoint.is_some() || args.connection_string.is_some();
    (external && args.seed.is_none()).then(|| {
        let random = uuid::Uuid::new_v4().simple().to_string();
        format!("{}-{}", crate::workflow::run_id(DEFAULT_SEED), &random[..8])
    })
}

/// `--only`: patterns `workflow/<id>[/...]` select whole workflows, the
/// others cases; with `--only`, what no pattern names is not run.
fn select(
    only: &[String],
    spec: &mut Option<Spec>,
    workflows: &mut Workflows,
    settings: &mut Settings,
) {
    if only.is_empty() {
        return;
    }
    let (steps, cases): (Vec<&String>, Vec<&String>) =
        only.iter().partition(|p| p.starts_with("workflow/"));
    if cases.is_empty() {
        *spec = None;
    }
    if steps.is_empty() {
        workflows.plans.clear();
    }
    workflows.only.extend(
        steps
            .iter()
            .filter_map(|p| p.split('/').nth(1))
            .map(str::to_owned),
    );
    settings.only = cases.into_iter().cloned().collect();
}

/// Refuses an override that reaches no parameter: it would be silently
/// ignored.
fn check_overrides(spec: &Spec, params: &[(String, String)]) -> Result<(), String> {
    for (name, _) in params {
        let known = spec
            .operations
            .iter()
            .flat_map(|op| &op.params)
            .any(|p| &p.name == name);
        if !known {
            return Err(format!(
                "--param {name}: no operation in {} takes a parameter `{name}`",
                spec.file
            ));
        }
    }
    Ok(())
}

/// What the run does besides the spec, from the arguments; `--insecure` is
/// warned about here and noted in the report.
fn settings(args: &Args) -> Settings {
    let mut notices = Vec::new();
    if args.insecure {
        notices.push("TLS certificates are not verified (--insecure)".to_owned());
        eprintln!("warning: TLS certificates are not verified (--insecure)");
    }
    Settings {
        inputs: Inputs {
            params: args.params.clone(),
            seed: seed(args),
        },
        only: args.only.clone(),
        rules: if args.no_azure {
            args.rules.without_azure()
        } else {
            args.rules
        },
        partition: args.partition,
        notices,
        seeds: Seeds::default(),
    }
}

/// Runs the suite against `--endpoint` (or the connection string's), or
/// against the embedded Job Router emulator when none is given.
fn run_suite(
    args: &Args,
    spec: Option<&Spec>,
    workflows: &Workflows,
    settings: &Settings,
) -> Result<Outcome, String> {
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or("--timeout: give a positive number of seconds (at most a few centuries)")?;
    let (endpoint, auth, reference_key) = credentials(args)?;
    let options = TargetOptions {
        auth,
        headers: args.headers.clone(),
        timeout,
        max_body: args.max_body,
        insecure: args.insecure,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        match endpoint {
            Some(url) => {
                let target = Target::new(url, options)?;
                let endpoint = Endpoint {
                    target: &target,
                    reset: None,
                    embedded: false,
                };
                suite::run_all(spec, workflows, settings, &endpoint).await
            }
            None => {
                suite::run_embedded_all(spec, workflows, settings, reference_key, options).await
            }
        }
    })
}

/// The endpoint to test (none: the embedded one), how to authenticate, and
/// the key the embedded endpoint should require.
fn credentials(args: &Args) -> Result<(Option<Url>, Auth, Option<reference::AccessKey>), String> {
    use openapi_runtime::{AccessKey, parse_connection_string};
    let mut endpoint = args.endpoint.clone();
    let mut key_text = args.access_key.clone();
    let mut auth = Auth::None;
    if let Some(text) = &args.connection_string {
        let (from_string, key) =
            parse_connection_string::<()>(text).map_err(|e| format!("--connection-string: {e}"))?;
        endpoint.get_or_insert(from_string);
        auth = Auth::AccessKey(key);
        key_text = connection_string_key(text);
    } else if let Some(key) = &args.access_key {
        auth = Auth::AccessKey(
            AccessKey::from_base64::<()>(key).map_err(|e| format!("--access-key: {e}"))?,
        );
    } else if let Some(token) = &args.token {
        auth = Auth::Bearer(token.trim().to_owned());
    }
    let endpoint = endpoint.map(|text| parse_endpoint(&text)).transpose()?;
    let reference_key = match (&endpoint, key_text) {
        (None, Some(key)) => Some(
            reference::AccessKey::from_base64(&key).map_err(|e| format!("--access-key: {e}"))?,
        ),
        _ => None,
    };
    Ok((endpoint, auth, reference_key))
}

/// The `accesskey` part of a connection string.
fn connection_string_key(text: &str) -> Option<String> {
    text.split(';')
        .filter_map(|part| part.trim().split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("accesskey"))
        .map(|(_, key)| key.trim().to_owned())
}

fn parse_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("--endpoint {text}: not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "--endpoint {text}: give an http:// or https:// URL with a host"
        ));
    }
    Ok(url)
}

/// Where to read a file, and how to name it: a `default` is read from
/// [`repository`].
fn in_repository(given: &Path, default: &str) -> (PathBuf, String) {
    let label = given.display().to_string();
    if given == Path::new(default) {
        return (repository().join(default), label);
    }
    (given.to_owned(), label)
}

/// Where the defaults are read from: the current folder when it holds the
/// default spec (a checkout, or a copy laid out like one), else the
/// repository this binary was built from. The default spec and the
/// shipped workflow always come from the same one.
fn repository() -> PathBuf {
    if Path::new(DEFAULT_SPEC).exists() {
        PathBuf::new()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
}

fn write_reports(args: &Args, report: &Report) -> Result<(), String> {
    let main = render(args.format, report, args.output.is_none());
    match &args.output {
        Some(path) => write_file(path, &main)?,
        None => print_out(&main)?,
    }
    for (format, path) in &args.reports {
        write_file(path, &render(*format, report, false))?;
    }
    Ok(())
}

/// Writes to standard output; a reader that went away (`| head`) is not
/// an error worth a panic.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

fn render(format: Format, report: &Report, to_stdout: bool) -> String {
    match format {
        Format::Human => {
            let colour = if to_stdout {
                Colour::for_stdout()
            } else {
                Colour::Never
            };
            report::human(report, colour)
        }
        Format::Json => report::json(report),
        Format::Junit => report::junit(report),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// A clap parser for `NAME<sep>VALUE`.
fn name_value(separator: char) -> impl Fn(&str) -> Result<(String, String), String> + Clone {
    move |text: &str| match text.split_once(separator) {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("expected NAME{separator}VALUE")),
    }
}

/// `NAME: VALUE`, both valid in HTTP (checked here so a bad header is a
/// usage error, not a failure in every case).
fn header(text: &str) -> Result<(String, String), String> {
    let (name, value) = name_value(':')(text)?;
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    reqwest::header::HeaderValue::from_str(&value)
        .map_err(|_| format!("the value of `{name}` is not a valid header value"))?;
    Ok((name, value))
}

/// `NAME=VALUE`, the value JSON when it parses as JSON, else a string.
fn input(text: &str) -> Result<(String, serde_json::Value), String> {
    let (name, value) = name_value('=')(text)?;
    let value = serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value));
    Ok((name, value))
}

fn report_file(text: &str) -> Result<(Format, PathBuf), String> {
    use clap::ValueEnum;
    let (format, path) = text.split_once('=').ok_or("expected FORMAT=FILE")?;
    let format = Format::from_str(format, true)
        .map_err(|_| format!("`{format}` is not human, json or junit"))?;
    Ok((format, PathBuf::from(path)))
}
