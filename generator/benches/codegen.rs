//! load → lower → emit → format, timed on real specs.
//!
//! `cargo bench -p generator --bench codegen`; figures go in BENCHMARKS.md.
//! Growth with document size is measured by the `growth` bench.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use generator::Config;

fn spec(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

fn config(label: &str) -> Config {
    Config {
        spec_label: label.to_owned(),
        crate_name: "bench_client".to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    }
}

fn pipeline(c: &mut Criterion) {
    for (name, relative) in [
        ("close-job.yaml", "spec/close-job.yaml"),
        ("keeper.json", "../shared/specs/oxide/keeper.json"),
        (
            "jobrouter-swagger2.json (157 KB)",
            "spec/jobrouter/communicationservicejobrouter.json",
        ),
        (
            "jobrouter-openapi3.json (220 KB)",
            "../shared/specs/azure-jobrouter-2023-11-01/openapi3.json",
        ),
        (
            "github.json (3.7 MB)",
            "../shared/specs-next/github/api.github.com.json",
        ),
    ] {
        let path = spec(relative);
        // Public documents from `../shared` stay there: without it, their
        // benches are skipped, not failed.
        if !path.is_file() {
            eprintln!("skipped generate/{name}: {relative} is not beside the clone");
            continue;
        }
        let config = config(relative);
        c.bench_function(&format!("generate/{name}"), |b| {
            b.iter(|| generator::generate(&path, &config).expect("generates"))
        });
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
