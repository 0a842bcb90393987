//! The generated workspace built with one `cargo clippy`, every failure put
//! on the member crate it belongs to, so one report names each crate that
//! does not compile.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use super::one_line;

/// `--keep-going`: one crate's errors do not stop the others' build;
/// `--all-features`: the server side (`server` feature) is checked too.
const CLIPPY: &[&str] = &[
    "clippy",
    "--workspace",
    "--all-targets",
    "--all-features",
    "--keep-going",
    "--quiet",
    "--message-format=json",
    "--",
    "-D",
    "warnings",
];
/// How many lines of a crate's first error its summary keeps.
const ERROR_LINES: usize = 8;

/// How the build of the generated workspace went.
pub enum Build {
    Passed,
    /// Members that did not build, each with the start of its first error,
    /// and what failed without naming a member.
    Failed {
        members: BTreeMap<String, String>,
        other: Option<String>,
    },
    Skipped,
}

/// Builds the workspace at `out` of `members`. A member whose manifest
/// Cargo cannot load stops the whole workspace from loading, so it is
/// taken out (`rewrite` writes the workspace manifest without it) and the
/// build runs again without it.
pub fn build(
    out: &Path,
    target_dir: &Path,
    members: &[String],
    rewrite: impl Fn(&[String]) -> anyhow::Result<()>,
) -> anyhow::Result<Build> {
    let mut members = members.to_vec();
    let mut failed = BTreeMap::new();
    let command = format!("cargo {}", CLIPPY.join(" "));
    loop {
        if members.is_empty() {
            return Ok(Build::Failed {
                members: failed,
                other: None,
            });
        }
        println!("build: {command}");
        let run = clippy(out, target_dir)?;
        if run.success {
            return Ok(if failed.is_empty() {
                Build::Passed
            } else {
                Build::Failed {
                    members: failed,
                    other: None,
                }
            });
        }
        let unloadable: Vec<String> = members
            .iter()
            .filter(|member| names_manifest_of(&run.stderr, member))
            .cloned()
            .collect();
        if run.by_member.is_empty() && !unloadable.is_empty() {
            let reason = first_lines(&run.stderr);
            for member in &unloadable {
                failed.insert(member.clone(), reason.clone());
            }
            members.retain(|member| !unloadable.contains(member));
            rewrite(&members)?;
            continue;
        }
        let mut other = None;
        let mut attributed = false;
        for (member, errors) in run.by_member {
            if members.contains(&member) {
                failed.insert(member, errors);
                attributed = true;
            } else {
                other.get_or_insert(format!("{member}: {errors}"));
            }
        }
        for (member, reason) in could_not_compile(&run.stderr) {
            if members.contains(&member) {
                failed.entry(member).or_insert(reason);
                attributed = true;
            }
        }
        if !attributed && other.is_none() {
            other = Some(first_lines(&run.stderr));
        }
        return Ok(Build::Failed {
            members: failed,
            other,
        });
    }
}

/// What one clippy run said.
struct Run {
    success: bool,
    /// The start of the first error of each crate with errors.
    by_member: BTreeMap<String, String>,
    stderr: String,
}

/// Runs clippy in `out`, printing every diagnostic as it comes (stdout)
/// and Cargo's own messages (stderr), and keeps each crate's first error.
fn clippy(out: &Path, target_dir: &Path) -> anyhow::Result<Run> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut child = Command::new(&cargo)
        .args(CLIPPY)
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target_dir)
        // Each generated crate is checked once: incremental state would
        // only fill the disk (hundreds of crates, a directory each).
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| anyhow::anyhow!("cannot run {}: {error}", Path::new(&cargo).display()))?;
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            eprint!("{text}");
            text
        })
    });
    let mut by_member = BTreeMap::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if message["reason"] != "compiler-message" {
                continue;
            }
            let diagnostic = &message["message"];
            let rendered = diagnostic["rendered"].as_str().unwrap_or_default();
            print!("{rendered}");
            let is_error = diagnostic["level"]
                .as_str()
                .is_some_and(|level| level.starts_with("error"));
            let summary_only = diagnostic["message"]
                .as_str()
                .is_some_and(|text| text.starts_with("aborting due to"));
            if is_error && !summary_only {
                let member = message["manifest_path"]
                    .as_str()
                    .map(Path::new)
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                by_member
                    .entry(member)
                    .or_insert_with(|| first_lines(rendered));
            }
        }
    }
    let status = child.wait()?;
    let stderr = stderr
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    Ok(Run {
        success: status.success(),
        by_member,
        stderr,
    })
}

/// Whether Cargo's `stderr` says the manifest of workspace member `member`
/// could not be loaded.
fn names_manifest_of(stderr: &str, member: &str) -> bool {
    stderr.lines().any(|line| {
        line.contains("failed to load manifest for workspace member")
            && (line.ends_with(&format!("/{member}`")) || line.ends_with(&format!("\\{member}`")))
    })
}

/// The crates Cargo says it could not compile, each with the causes it
/// gives (a signal when the compiler crashed, a process it could not
/// start), long lines (the compiler's command line) cut.
fn could_not_compile(stderr: &str) -> Vec<(String, String)> {
    const CUT: usize = 160;
    let lines: Vec<&str> = stderr.lines().collect();
    let mut crates = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.split_once("could not compile `").map(|(_, rest)| rest) else {
            continue;
        };
        let Some((name, _)) = rest.split_once('`') else {
            continue;
        };
        let mut reason = vec![line.trim().to_owned()];
        for next in lines[i + 1..]
            .iter()
            .take_while(|next| !next.starts_with("error"))
            .map(|next| next.trim())
            .filter(|next| !next.is_empty())
            .take(ERROR_LINES)
        {
            reason.push(match next.char_indices().nth(CUT) {
                // Keep the end, where a crash names its signal.
                Some(_) => {
                    let tail: String = next.chars().rev().take(CUT / 2).collect();
                    let head: String = next.chars().take(CUT / 2).collect();
                    format!("{head} … {}", tail.chars().rev().collect::<String>())
                }
                None => next.to_owned(),
            });
        }
        crates.push((name.to_owned(), reason.join("\n")));
    }
    crates
}

/// The first `ERROR_LINES` non-empty lines of `text`.
fn first_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(ERROR_LINES)
        .collect();
    if lines.is_empty() {
        one_line(text)
    } else {
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unloadable_members_are_found_by_their_directory() {
        let stderr = "error: failed to load manifest for workspace member `/x/out/a_b`\n\
                      referenced via `a_b` by workspace at `/x/out/Cargo.toml`\n";
        assert!(names_manifest_of(stderr, "a_b"));
        assert!(!names_manifest_of(stderr, "b"));
        assert!(!names_manifest_of(stderr, "out"));
    }

    #[test]
    fn crates_that_did_not_compile_are_named_with_the_cause() {
        let stderr = "error: could not compile `deep` (lib)\n\nCaused by:\n  \
                      process didn't exit successfully: `rustc --crate-name deep` (signal: 11, SIGSEGV: invalid memory reference)\n\
                      error: could not compile `other` (lib) due to 2 previous errors\n";
        let crates = could_not_compile(stderr);
        assert_eq!(crates.len(), 2);
        assert_eq!(crates[0].0, "deep");
        assert!(
            crates[0]
                .1
                .ends_with("(signal: 11, SIGSEGV: invalid memory reference)"),
            "{}",
            crates[0].1
        );
        assert!(crates[0].1.contains("\nCaused by:\n"), "{}", crates[0].1);
        assert_eq!(crates[1].0, "other");
    }
}
