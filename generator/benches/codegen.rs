//! load → lower → emit → format, timed on real specs.
//!
//! `cargo bench -p generator --bench codegen`; figures go in BENCHMARKS.md.

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
    }
}

fn pipeline(c: &mut Criterion) {
    for (name, relative) in [
        ("close-job.yaml", "spec/close-job.yaml"),
        ("keeper.json", "../shared/specs/oxide/keeper.json"),
    ] {
        let path = spec(relative);
        let config = config(relative);
        c.bench_function(&format!("generate/{name}"), |b| {
            b.iter(|| generator::generate(&path, &config).expect("generates"))
        });
    }
    // The largest document in the corpus still holds shapes the generator
    // refuses (see issue 6), so only its loading is timed.
    let largest = spec("../shared/specs/azure-jobrouter-2023-11-01/openapi3.json");
    c.bench_function("load/jobrouter-openapi3.json (220 KB)", |b| {
        b.iter(|| generator::load::load(&largest).expect("loads"))
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
