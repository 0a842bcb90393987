//! `cargo xtask adversarial`: write the adversarial corpus (`specs`) and
//! the hand-written hostile specs of `xtask/tests/adversarial/`, check them
//! with the corpus machinery, and hold the result to the hostile-input
//! rule: no panic, no hang, every refusal names its file and a place (line
//! or JSON pointer), and every crate generated (exit 0) builds.

mod specs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::corpus::{self, Outcome};

/// Where the corpus and its crates go, relative to the repository root.
const DEFAULT_OUT: &str = "target/adversarial";
/// The hand-written hostile specs, relative to the repository root.
const HAND_WRITTEN: &str = "xtask/tests/adversarial";
/// The file that marks a specs directory as written by this command, so
/// only such a directory is emptied.
const MARKER: &str = "WRITTEN-BY-XTASK-ADVERSARIAL";

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the specs (`specs/`) and the workspace of generated
    /// crates (`crates/`) [default: target/adversarial under the repository
    /// root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only generate; skip `cargo clippy` on the generated workspace.
    #[arg(long)]
    no_build: bool,
    /// Seconds one spec may take to generate before it counts as a hang.
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    timeout: u64,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace::repo_root();
    let out = args.out.clone().unwrap_or_else(|| root.join(DEFAULT_OUT));
    let specs_dir = out.join("specs");
    let count = write_specs(&specs_dir, &root.join(HAND_WRITTEN))?;
    println!(
        "adversarial: {count} specs written to {}",
        corpus::label(&specs_dir, &root)
    );
    let report = corpus::check(&corpus::Options {
        specs_label: corpus::label(&specs_dir, &root),
        specs_dir,
        out: out.join("crates"),
        build: !args.no_build,
        timeout: Duration::from_secs(args.timeout),
        spec_root: None,
    })?;

    let mut violations = Vec::new();
    let mut refused = 0;
    for spec in &report.specs {
        let file = &spec.relative;
        match &spec.outcome {
            Outcome::Generated { .. } => {
                if let Some(error) = report.build_error(spec) {
                    violations.push(format!(
                        "{file}: generated (exit 0) but crate `{}` does not build:\n{error}",
                        spec.crate_name
                    ));
                }
            }
            Outcome::Refused(message) => {
                refused += 1;
                if !names_its_place(message, file) {
                    violations.push(format!(
                        "{file}: the refusal names no line or JSON pointer in the file: {message}"
                    ));
                }
            }
            Outcome::Panicked(message) => violations.push(format!("{file}: panic: {message}")),
            Outcome::TimedOut(limit) => violations.push(format!(
                "{file}: hang: no result within {} s",
                limit.as_secs_f64()
            )),
            Outcome::Crashed(message) => violations.push(format!("{file}: crash: {message}")),
        }
    }
    if let corpus::Build::Failed {
        other: Some(other), ..
    } = &report.build
    {
        violations.push(format!("the build failed outside any crate:\n{other}"));
    }

    println!(
        "adversarial: {} specs, {refused} refused, {} violations of the hostile-input rule",
        report.specs.len(),
        violations.len()
    );
    for violation in &violations {
        println!("VIOLATION {violation}");
    }
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Whether a refusal of `file` names it followed by a line (`file:12`) or
/// names a JSON pointer (`at /paths/...`).
fn names_its_place(message: &str, file: &str) -> bool {
    let Some(at) = message.find(file) else {
        return false;
    };
    let rest = &message[at + file.len()..];
    let line = rest
        .strip_prefix(':')
        .is_some_and(|after| after.starts_with(|c: char| c.is_ascii_digit()));
    line || rest.contains(" at /")
}

/// Writes every generated spec and copies every hand-written one into
/// `dir` (emptied first when an earlier run wrote it), and returns how many
/// there are.
fn write_specs(dir: &Path, hand_written: &Path) -> anyhow::Result<usize> {
    if dir.exists() {
        if !dir.join(MARKER).is_file() {
            bail!(
                "{}: exists and was not written by `cargo xtask adversarial`; refusing to empty it",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("{}: cannot remove", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("{}: cannot write", path.display()))
    };
    write(
        MARKER,
        b"Written by `cargo xtask adversarial`; emptied on every run.\n",
    )?;
    let mut count = 0;
    for spec in specs::all() {
        write(&spec.name, &spec.bytes)?;
        count += 1;
    }
    let entries = std::fs::read_dir(hand_written)
        .with_context(|| format!("{}: cannot read directory", hand_written.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("{}: cannot read directory", hand_written.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if path.is_file() {
            let bytes =
                std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            write(&format!("hand-{name}"), &bytes)?;
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_file_and_a_line_or_pointer() {
        let file = "cycle.yaml";
        assert!(names_its_place(
            "specs/cycle.yaml:12:3: not valid YAML",
            file
        ));
        assert!(names_its_place(
            "specs/cycle.yaml at /components/schemas/A: unsupported: a cycle",
            file
        ));
        assert!(!names_its_place(
            "internal error: generated `src/lib.rs` is not valid Rust",
            file
        ));
        assert!(!names_its_place(
            "specs/cycle.yaml: cannot read: bad UTF-8",
            file
        ));
        assert!(!names_its_place("other.yaml:3: not valid YAML", file));
    }
}
