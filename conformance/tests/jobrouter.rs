//! The whole Job Router spec against the built-in emulator, seeded with
//! the fixtures shipped beside the spec: every probe passes, and the
//! published examples pass as far as they can (the others are listed in
//! the README with the reason each cannot).

mod support;

use std::path::Path;
use std::time::Duration;

use conformance::report::CaseKind;
use conformance::seeds::Seeds;
use conformance::suite::{self, Settings};
use support::{options, settings, spec_at};

const SPEC: &str = "spec/jobrouter/communicationservicejobrouter.json";
/// The published examples that pass.
const PASSING: usize = 20;
const FIXTURES: &str = "spec/jobrouter/communicationservicejobrouter.fixtures.yaml";

#[tokio::test]
async fn every_probe_passes_and_the_examples_that_can_pass_do() {
    let spec = spec_at(SPEC);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(FIXTURES);
    let settings = Settings {
        seeds: Seeds::load(&fixtures, &spec).expect("the shipped fixtures load"),
        ..settings()
    };
    let outcome = suite::run_embedded(&spec, &settings, None, options(Duration::from_secs(10)))
        .await
        .expect("the emulator starts");
    let report = outcome.report;
    let failed_probes: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| matches!(c.kind, CaseKind::Probe | CaseKind::Azure))
        .filter(|c| !c.passed())
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failed_probes, Vec::<&str>::new());
    let examples = |passed: bool| {
        report
            .cases
            .iter()
            .filter(|c| c.kind == CaseKind::Example && c.passed() == passed)
            .count()
    };
    // Of the 45 published examples, as the README lists them.
    assert_eq!((examples(true), examples(false)), (PASSING, 45 - PASSING));
}
