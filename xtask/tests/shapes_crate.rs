//! The crate generated from `generator/tests/specs/shapes.yaml` builds on its
//! own, is clippy-clean, and its types behave (`shapes_behaviour.rs`).

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

#[test]
fn the_shapes_crate_builds_cleanly_and_its_types_behave() {
    let out = tempfile::tempdir().expect("temp dir");
    let root = repo_root();
    run(Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "codegen",
            "--spec",
            "generator/tests/specs/shapes.yaml",
            "--out",
        ])
        .arg(out.path())
        .args(["--crate-name", "shapes_client"])
        .current_dir(&root));
    std::fs::copy(root.join("Cargo.lock"), out.path().join("Cargo.lock")).expect("Cargo.lock");
    std::fs::create_dir(out.path().join("tests")).expect("tests dir");
    std::fs::copy(
        root.join("generator/tests/specs/shapes_behaviour.rs"),
        out.path().join("tests/behaviour.rs"),
    )
    .expect("copy the behaviour tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target/standalone-check");
    run(Command::new(&cargo)
        .args([
            "clippy",
            "--offline",
            "--quiet",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target));
    let tests = run(Command::new(&cargo)
        .args(["test", "--offline", "--quiet"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target));
    assert!(tests.contains("11 passed"), "{tests}");
}
