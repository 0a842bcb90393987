//! Crates generated from the generator's test specs build on their own,
//! are clippy-clean, and behave: `shapes.yaml` (its types,
//! `shapes_behaviour.rs`) and `notes.yaml` (a plain-profile client over
//! 127.0.0.1, `notes_behaviour.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("the command runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

/// Generates `generator/tests/specs/<spec>.yaml` as a standalone crate,
/// adds `<spec>_behaviour.rs` as its test (with `dev_dependencies` appended
/// to its manifest), checks it with clippy and runs the test with every
/// feature on (the behaviour tests use the server side); returns the test
/// output.
fn check_standalone(spec: &str, dev_dependencies: &str) -> String {
    let out = tempfile::tempdir().expect("temp dir");
    let root = repo_root();
    let specs = root.join("generator/tests/specs");
    run(Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--spec")
        .arg(specs.join(format!("{spec}.yaml")))
        .arg("--out")
        .arg(out.path())
        .args(["--crate-name", &format!("{spec}_client")])
        .current_dir(&root));
    std::fs::copy(root.join("Cargo.lock"), out.path().join("Cargo.lock")).expect("Cargo.lock");
    if !dev_dependencies.is_empty() {
        let manifest = out.path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
        std::fs::write(
            &manifest,
            format!("{text}\n[dev-dependencies]\n{dev_dependencies}\n"),
        )
        .expect("Cargo.toml");
    }
    std::fs::create_dir(out.path().join("tests")).expect("tests dir");
    std::fs::copy(
        specs.join(format!("{spec}_behaviour.rs")),
        out.path().join("tests/behaviour.rs"),
    )
    .expect("copy the behaviour tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target/standalone-check");
    // Everything with every feature; the library alone with the defaults.
    for targets in [&["--all-targets", "--all-features"][..], &["--lib"]] {
        run(Command::new(&cargo)
            .args(["clippy", "--offline", "--quiet"])
            .args(targets)
            .args(["--", "-D", "warnings"])
            .current_dir(out.path())
            .env("CARGO_TARGET_DIR", &target));
    }
    run(Command::new(&cargo)
        .args(["test", "--offline", "--quiet", "--all-features"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target))
}

#[test]
fn the_shapes_crate_builds_cleanly_and_its_types_behave() {
    let tests = check_standalone("shapes", "");
    assert!(tests.contains("14 passed"), "{tests}");
}

#[test]
fn the_plain_notes_client_sends_its_schemes_credentials() {
    let tests = check_standalone(
        "notes",
        r#"tokio = { version = "1", features = ["macros", "rt"] }"#,
    );
    assert!(tests.contains("3 passed"), "{tests}");
}
