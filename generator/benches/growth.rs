//! How generation time and peak memory grow with the size of the document.
//!
//! `cargo bench -p generator --bench growth`; figures go in BENCHMARKS.md.
//!
//! The documents are the whole Job Router API (OpenAPI 3.0) replicated N
//! times: copy k renames every schema `X` to `X_k` (and every `$ref` in the
//! copy with it), prefixes every path with `/k` and suffixes every
//! operationId with `_k`, so the copies share nothing but the document's
//! info, servers and component parameters. Each document is written to the
//! temp directory, pretty-printed like the original, and removed afterwards.
//!
//! Time: the median of 7 runs after one warm-up run, taken in 7 rounds
//! that each run every size in turn, so that this shared machine's drift in
//! speed touches every size alike. `generate` is timed as wall-clock time
//! and as the time the thread spent on a core (from
//! `/proc/thread-self/schedstat`, which leaves out time spent waiting for
//! a core, and moves in scheduler ticks of a few ms); the load / lower / emit split times those steps on their own
//! (emit includes formatting; "format est." re-parses and re-prints the
//! generated Rust files with syn and prettyplease, to estimate that share).
//! Growth is summarised as the exponent k of the least-squares fit
//! `figure ∝ size^k` over all N: 1 is linear.
//!
//! Peak memory: the workspace forbids `unsafe_code`, so no counting
//! `#[global_allocator]` can be defined here. Instead each document is
//! generated once in a fresh child process (this binary again), which
//! reports its peak resident set (`VmHWM` in `/proc/self/status`) minus its
//! resident set just before the run. That is the heap's peak plus the
//! allocator's fragmentation, at page granularity; Linux only.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use generator::Config;
use serde_json::{Map, Value};

/// Set in the child process to the document whose peak memory it reports.
const CHILD_SPEC: &str = "GENERATOR_GROWTH_SPEC";
/// Set in the child process to `load` or `generate`: what to run.
const CHILD_STEP: &str = "GENERATOR_GROWTH_STEP";

const COPIES: &[usize] = &[1, 2, 4, 8, 16, 32];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMA_REF: &str = "#/components/schemas/";

fn main() {
    if let Ok(spec) = std::env::var(CHILD_SPEC) {
        let step = std::env::var(CHILD_STEP).unwrap_or_else(|_| "generate".to_owned());
        child(Path::new(&spec), &step);
        return;
    }
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/azure-jobrouter-2023-11-01/openapi3.json");
    let Ok(text) = std::fs::read_to_string(&original) else {
        eprintln!(
            "skipped: the growth bench replicates {}, which is not beside the clone",
            original.display()
        );
        return;
    };
    let base: Value = serde_json::from_str(&text).expect("openapi3.json is JSON");
    let config = config();

    let mut cases: Vec<Case> = COPIES
        .iter()
        .map(|&copies| Case::new(&base, copies, &config))
        .collect();
    // Rounds over all sizes rather than all runs of one size after another,
    // so that this shared machine's drift in speed touches every size alike.
    for round in 1..=ROUNDS {
        for case in &mut cases {
            case.sample(&config);
        }
        eprintln!("round {round}/{ROUNDS}");
    }
    let rows: Vec<Row> = cases.iter().map(Case::row).collect();
    print_tables(&rows);
}

/// Timed runs of each step, per size.
const ROUNDS: usize = 7;

fn config() -> Config {
    Config {
        spec_label: "growth.json".to_owned(),
        crate_name: "bench_client".to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    }
}

/// One synthetic document, written out, and its samples so far.
struct Case {
    copies: usize,
    file: TempSpec,
    bytes: usize,
    operations: usize,
    schemas: usize,
    output_bytes: usize,
    /// The generated Rust files (the runtime's left out), to estimate
    /// formatting's share.
    rust_files: Vec<String>,
    wall: Vec<Duration>,
    cpu: Vec<Option<Duration>>,
    load: Vec<Duration>,
    lower: Vec<Duration>,
    emit: Vec<Duration>,
    format: Vec<Duration>,
}

impl Case {
    /// Writes the document with `copies` copies and generates it once,
    /// untimed.
    fn new(base: &Value, copies: usize, config: &Config) -> Self {
        let document = replicate(base, copies);
        let file = TempSpec::write(copies, &document);
        let bytes = std::fs::metadata(&file.path)
            .expect("temp spec written")
            .len() as usize;
        let output = generator::generate(&file.path, config).expect("generates (warm-up)");
        let output_bytes = output.iter().map(|(_, text)| text.len()).sum();
        let rust_files = output
            .iter()
            .filter(|(name, _)| name.ends_with(".rs") && !name.starts_with("src/runtime/"))
            .map(|(_, text)| text.to_owned())
            .collect();
        Self {
            copies,
            bytes,
            operations: count_operations(&document),
            schemas: count_schemas(&document),
            file,
            output_bytes,
            rust_files,
            wall: Vec::new(),
            cpu: Vec::new(),
            load: Vec::new(),
            lower: Vec::new(),
            emit: Vec::new(),
            format: Vec::new(),
        }
    }

    /// One timed run of `generate`, of each step alone, and of the
    /// formatting estimate.
    fn sample(&mut self, config: &Config) {
        let path = &self.file.path;
        let start = Instant::now();
        let start_cpu = thread_cpu();
        let files = generator::generate(path, config).expect("generates");
        let end_cpu = thread_cpu();
        self.wall.push(start.elapsed());
        self.cpu
            .push(start_cpu.zip(end_cpu).map(|(s, e)| e.saturating_sub(s)));
        drop(files);

        let start = Instant::now();
        let source = generator::load::load(path).expect("loads");
        self.load.push(start.elapsed());
        let start = Instant::now();
        let api = generator::lower::lower(&source).expect("lowers");
        self.lower.push(start.elapsed());
        let start = Instant::now();
        let profile = generator::profile::profile(&source.value, config.profile);
        let files = generator::emit::emit(&api, &profile, config).expect("emits");
        self.emit.push(start.elapsed());
        drop((files, api, source));

        let start = Instant::now();
        for text in &self.rust_files {
            let syntax = syn::parse_file(text).expect("generated Rust parses");
            std::hint::black_box(prettyplease::unparse(&syntax));
        }
        self.format.push(start.elapsed());
    }

    fn row(&self) -> Row {
        let cpu: Option<Vec<Duration>> = self.cpu.iter().copied().collect();
        Row {
            copies: self.copies,
            bytes: self.bytes,
            operations: self.operations,
            schemas: self.schemas,
            runs: self.wall.len(),
            generate: median(self.wall.iter().copied()),
            generate_cpu: cpu.map(median),
            load: median(self.load.iter().copied()),
            lower: median(self.lower.iter().copied()),
            emit: median(self.emit.iter().copied()),
            format_estimate: median(self.format.iter().copied()),
            output_bytes: self.output_bytes,
            peak_load: peak_in_child(&self.file.path, "load"),
            peak_generate: peak_in_child(&self.file.path, "generate"),
        }
    }
}

/// One document's figures.
struct Row {
    copies: usize,
    bytes: usize,
    operations: usize,
    schemas: usize,
    runs: usize,
    generate: Duration,
    generate_cpu: Option<Duration>,
    load: Duration,
    lower: Duration,
    emit: Duration,
    format_estimate: Duration,
    output_bytes: usize,
    peak_load: Option<u64>,
    peak_generate: Option<u64>,
}

fn median(samples: impl IntoIterator<Item = Duration>) -> Duration {
    let mut samples: Vec<Duration> = samples.into_iter().collect();
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Time this thread has spent on a core, where Linux tells.
fn thread_cpu() -> Option<Duration> {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = schedstat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The exponent k of the least-squares fit `y = c · x^k`.
fn growth_exponent(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if logs.len() < 2 {
        return None;
    }
    let n = logs.len() as f64;
    let mean_x = logs.iter().map(|(x, _)| x).sum::<f64>() / n;
    let mean_y = logs.iter().map(|(_, y)| y).sum::<f64>() / n;
    let covariance: f64 = logs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let variance: f64 = logs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    (variance > 0.0).then(|| covariance / variance)
}

// ---- the synthetic documents ----

/// `base` with its schemas and paths replaced by `copies` independent
/// copies of them.
fn replicate(base: &Value, copies: usize) -> Value {
    let schemas = base
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("openapi3.json has components/schemas");
    let paths = base
        .get("paths")
        .and_then(Value::as_object)
        .expect("openapi3.json has paths");
    let names: HashSet<&str> = schemas.keys().map(String::as_str).collect();

    let mut new_schemas = Map::new();
    let mut new_paths = Map::new();
    for k in 1..=copies {
        for (name, schema) in schemas {
            let mut schema = schema.clone();
            rename_refs(&mut schema, &names, k);
            new_schemas.insert(format!("{name}_{k}"), schema);
        }
        for (template, item) in paths {
            let mut item = item.clone();
            rename_refs(&mut item, &names, k);
            if let Some(item) = item.as_object_mut() {
                for method in METHODS {
                    if let Some(Value::String(id)) = item
                        .get_mut(*method)
                        .and_then(|operation| operation.get_mut("operationId"))
                    {
                        id.push_str(&format!("_{k}"));
                    }
                }
            }
            new_paths.insert(format!("/{k}{template}"), item);
        }
    }

    let mut document = base.clone();
    if let Some(slot) = document.pointer_mut("/components/schemas") {
        *slot = Value::Object(new_schemas);
    }
    if let Some(slot) = document.get_mut("paths") {
        *slot = Value::Object(new_paths);
    }
    document
}

/// Points every `$ref` to one of `names` in `value` at copy `k`'s schema.
fn rename_refs(value: &mut Value, names: &HashSet<&str>, k: usize) {
    match value {
        Value::Object(map) => {
            for (key, entry) in map.iter_mut() {
                match entry {
                    Value::String(target) if key == "$ref" => {
                        let renamed = target
                            .strip_prefix(SCHEMA_REF)
                            .filter(|name| names.contains(unescape(name).as_str()))
                            .map(|name| format!("{SCHEMA_REF}{name}_{k}"));
                        if let Some(renamed) = renamed {
                            *target = renamed;
                        }
                    }
                    _ => rename_refs(entry, names, k),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rename_refs(item, names, k);
            }
        }
        _ => {}
    }
}

/// A JSON pointer segment as the key it names.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn count_operations(document: &Value) -> usize {
    document
        .get("paths")
        .and_then(Value::as_object)
        .map_or(0, |paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
}

fn count_schemas(document: &Value) -> usize {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, Map::len)
}

/// A document written to the temp directory, removed when dropped.
struct TempSpec {
    path: PathBuf,
}

impl TempSpec {
    fn write(copies: usize, document: &Value) -> Self {
        let path = std::env::temp_dir().join(format!(
            "generator-growth-{}-{copies}.json",
            std::process::id()
        ));
        // Four-space indentation, as openapi3.json itself, so the sizes
        // compare with the real document's.
        let mut text = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
        serde::Serialize::serialize(document, &mut serializer).expect("serializes");
        std::fs::write(&path, text).expect("writes the temp spec");
        Self { path }
    }
}

impl Drop for TempSpec {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

// ---- peak memory, in a child process ----

/// Runs `step` on `spec` once in a fresh process; its growth in peak
/// resident set, in bytes, or `None` where `/proc` cannot tell.
fn peak_in_child(spec: &Path, step: &str) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .env(CHILD_SPEC, spec)
        .env(CHILD_STEP, step)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "peak measurement of {step} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

/// The child's side: prints the peak resident set's growth over the run.
fn child(spec: &Path, step: &str) {
    let config = config();
    let before = proc_status_kib("VmRSS:");
    match step {
        "load" => {
            let source = generator::load::load(spec).expect("loads");
            std::hint::black_box(&source);
        }
        _ => {
            let files = generator::generate(spec, &config).expect("generates");
            std::hint::black_box(&files);
        }
    }
    let peak = proc_status_kib("VmHWM:");
    if let (Some(before), Some(peak)) = (before, peak) {
        println!("{}", peak.saturating_sub(before) * 1024);
    }
}

/// A `kB` field of `/proc/self/status`.
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

// ---- the report ----

const MB: f64 = 1_000_000.0;

fn print_tables(rows: &[Row]) {
    println!(
        "| N | spec | operations | schemas | generate, wall (median of runs) | on-core | on-core per MB of spec | peak memory | peak per MB of spec |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        let mb = row.bytes as f64 / MB;
        let peak = row.peak_generate.map(|p| p as f64 / MB);
        println!(
            "| {} | {:.0} KB | {} | {} | {} ({} runs) | {} | {} | {} | {} |",
            row.copies,
            row.bytes as f64 / 1000.0,
            row.operations,
            row.schemas,
            millis(row.generate),
            row.runs,
            row.generate_cpu.map_or_else(|| "n/a".to_owned(), millis),
            row.generate_cpu.map_or_else(
                || "n/a".to_owned(),
                |cpu| millis_f(cpu.as_secs_f64() * 1000.0 / mb)
            ),
            peak.map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1} MB")),
            peak.map_or_else(|| "n/a".to_owned(), |p| format!("{:.1} MB", p / mb)),
        );
    }
    println!();
    println!(
        "| N | load | lower | emit (incl. format) | format est. | output | peak after load only |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.0} KB | {} |",
            row.copies,
            millis(row.load),
            millis(row.lower),
            millis(row.emit),
            millis(row.format_estimate),
            row.output_bytes as f64 / 1000.0,
            row.peak_load
                .map_or_else(|| "n/a".to_owned(), |p| format!("{:.1} MB", p as f64 / MB)),
        );
    }
    println!();
    let exponent = |figure: &dyn Fn(&Row) -> Option<f64>| {
        let points: Option<Vec<(f64, f64)>> = rows
            .iter()
            .map(|row| figure(row).map(|y| (row.bytes as f64, y)))
            .collect();
        points
            .and_then(|points| growth_exponent(&points))
            .map_or_else(|| "n/a".to_owned(), |k| format!("{k:.2}"))
    };
    println!(
        "Growth exponents (figure ∝ size^k, least squares over all N): \
         wall {}, on-core {}, load {}, lower {}, emit {}, format est. {}, \
         output {}, peak {}, peak after load {}",
        exponent(&|r| Some(r.generate.as_secs_f64())),
        exponent(&|r| r.generate_cpu.map(|d| d.as_secs_f64())),
        exponent(&|r| Some(r.load.as_secs_f64())),
        exponent(&|r| Some(r.lower.as_secs_f64())),
        exponent(&|r| Some(r.emit.as_secs_f64())),
        exponent(&|r| Some(r.format_estimate.as_secs_f64())),
        exponent(&|r| Some(r.output_bytes as f64)),
        exponent(&|r| r.peak_generate.map(|p| p as f64)),
        exponent(&|r| r.peak_load.map(|p| p as f64)),
    );
}

fn millis(duration: Duration) -> String {
    millis_f(duration.as_secs_f64() * 1000.0)
}

fn millis_f(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}
