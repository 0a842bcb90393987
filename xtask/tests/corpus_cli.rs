//! `cargo xtask corpus` as a user runs it: the real binary on small corpora.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(path, contents).expect("write file");
}

fn copy_keeper(specs: &Path) {
    let to = specs.join("oxide/keeper.json");
    std::fs::create_dir_all(to.parent().expect("parent")).expect("create dir");
    std::fs::copy(repo_root().join("../shared/specs/oxide/keeper.json"), &to)
        .expect("copy keeper.json");
}

/// A spec the generator refuses, and always will: its `$ref` points nowhere.
const DANGLING: &str = r##"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}}"##;

#[test]
fn generates_what_it_can_names_what_it_cannot_and_skips_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = dir.path().join("specs");
    let out = dir.path().join("out");
    copy_keeper(&specs);
    write(&specs.join("broken/dangling.json"), DANGLING);
    // Not OpenAPI documents: skipped without a line.
    write(
        &specs.join("settings.json"),
        r#"{"name": "openapi", "info": {"openapi": "3.0.3"}}"#,
    );
    write(
        &specs.join("notes.yaml"),
        "title: notes\nitems:\n  - openapi\n",
    );
    write(&specs.join("README.md"), "openapi: 3.0.3\n");
    // Samples under examples/ are never specs, whatever they hold.
    write(&specs.join("oxide/examples/sample.json"), DANGLING);

    let output = xtask(&[
        "corpus",
        "--specs",
        utf8(&specs),
        "--out",
        utf8(&out),
        "--no-build",
    ]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let keeper_dir = out.join("oxide_keeper");
    let ok_prefix = format!("ok   oxide/keeper.json → {} (", utf8(&keeper_dir));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("FAIL broken/dangling.json")
            && lines[0].contains("dangling $ref `#/components/schemas/Missing`"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&ok_prefix) && lines[1].ends_with(" files, 0 fallback warnings)"),
        "{stdout}"
    );
    assert_eq!(lines[2], "corpus: 1 of 2 specs generated; build skipped");
    for skipped in ["settings.json", "notes.yaml", "README.md", "sample.json"] {
        assert!(
            !stdout.contains(skipped),
            "{skipped} was not skipped: {stdout}"
        );
    }

    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest
            .contains("\n[workspace]\nresolver = \"3\"\nmembers = [\n    \"oxide_keeper\",\n]\n"),
        "{manifest}"
    );
    let member = std::fs::read_to_string(keeper_dir.join("Cargo.toml")).expect("member");
    assert!(member.contains("name = \"oxide_keeper\""), "{member}");
    assert!(
        !member.contains("[workspace]"),
        "a member, not standalone: {member}"
    );
    assert!(keeper_dir.join("src/lib.rs").is_file());
    assert!(!out.join("broken_dangling").exists());

    // Once keeper is gone from the corpus, its crate goes from the output.
    std::fs::remove_file(specs.join("oxide/keeper.json")).expect("remove keeper");
    let again = xtask(&[
        "corpus",
        "--specs",
        utf8(&specs),
        "--out",
        utf8(&out),
        "--no-build",
    ]);
    let stdout = text(&again.stdout);
    assert_eq!(again.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("removed stale {}", utf8(&keeper_dir))),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("corpus: 0 of 1 specs generated; build skipped\n"),
        "{stdout}"
    );
    assert!(!keeper_dir.exists());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("members = []"), "{manifest}");
}

#[test]
fn generated_workspace_builds_with_clippy() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_keeper(dir.path());
    // A fixed output and (inside the command) target directory, so repeated
    // runs rebuild only what changed.
    let out = repo_root().join("target/corpus-test");
    let output = xtask(&["corpus", "--specs", utf8(dir.path()), "--out", utf8(&out)]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("ok   oxide/keeper.json → target/corpus-test/oxide_keeper ("),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("corpus: 1 of 1 specs generated; build passed\n"),
        "{stdout}{stderr}"
    );
}

#[test]
fn unreadable_specs_directory_is_named() {
    let output = xtask(&["corpus", "--specs", "no/such/corpus", "--no-build"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no/such/corpus: cannot read directory"),
        "{stderr}"
    );
}

#[test]
fn refuses_an_output_directory_it_did_not_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = dir.path().join("specs");
    copy_keeper(&specs);
    let out = dir.path().join("precious");
    write(&out.join("mine/Cargo.toml"), "[package]\nname = \"mine\"\n");

    let output = xtask(&[
        "corpus",
        "--specs",
        utf8(&specs),
        "--out",
        utf8(&out),
        "--no-build",
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not written by `cargo xtask corpus`"),
        "{stderr}"
    );
    assert!(out.join("mine/Cargo.toml").is_file());
    assert!(!out.join("oxide_keeper").exists());
}
