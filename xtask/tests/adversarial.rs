//! The adversarial corpus through the real binary (`cargo xtask
//! adversarial`): every hostile spec generates a crate that builds with
//! clippy, or is refused naming its file and a place; no spec panics,
//! crashes or hangs (each is stopped after 20 s). One clippy run builds
//! every generated crate, in the target directory `cargo xtask corpus`
//! uses, so the dependencies build once.

use std::path::Path;
use std::process::Command;

#[test]
fn hostile_specs_never_panic_hang_or_generate_code_that_does_not_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["adversarial", "--timeout", "20"])
        .current_dir(&root)
        .output()
        .expect("run xtask adversarial");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let violations: Vec<&str> = stdout
        .split("\nVIOLATION ")
        .skip(1)
        .map(str::trim_end)
        .collect();
    assert!(
        output.status.success() && violations.is_empty(),
        "{} violations of the hostile-input rule (full output: `cargo xtask adversarial`, \
         specs in target/adversarial/specs):\n\n{}\n\nstderr tail:\n{}",
        violations.len(),
        violations.join("\n\n"),
        tail(&String::from_utf8_lossy(&output.stderr), 40),
    );
    assert!(
        stdout.contains("adversarial: ") && stdout.contains(" 0 violations"),
        "{stdout}"
    );
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
