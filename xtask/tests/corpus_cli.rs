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

/// The repository's own Close Job spec as a corpus member
/// (`azure/close-job.yaml`), so these tests need nothing beside the clone.
fn copy_close_job(specs: &Path) {
    let to = specs.join("azure/close-job.yaml");
    std::fs::create_dir_all(to.parent().expect("parent")).expect("create dir");
    std::fs::copy(repo_root().join("spec/close-job.yaml"), &to).expect("copy close-job.yaml");
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
    copy_close_job(&specs);
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
    write(&specs.join("azure/examples/sample.json"), DANGLING);

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

    let member_dir = out.join("azure_close_job");
    let ok_prefix = format!("ok   azure/close-job.yaml → {} (", utf8(&member_dir));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[1].starts_with("FAIL broken/dangling.json")
            && lines[1].contains("dangling $ref `#/components/schemas/Missing`"),
        "{stdout}"
    );
    assert!(
        lines[0].starts_with(&ok_prefix) && lines[0].ends_with(" files, 0 fallback warnings)"),
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
        manifest.contains(
            "\n[workspace]\nresolver = \"3\"\nmembers = [\n    \"azure_close_job\",\n]\n"
        ),
        "{manifest}"
    );
    let member = std::fs::read_to_string(member_dir.join("Cargo.toml")).expect("member");
    assert!(member.contains("name = \"azure_close_job\""), "{member}");
    assert!(
        !member.contains("[workspace]"),
        "a member, not standalone: {member}"
    );
    assert!(member_dir.join("src/lib.rs").is_file());
    assert!(!out.join("broken_dangling").exists());

    // Once the spec is gone from the corpus, its crate goes from the output.
    std::fs::remove_file(specs.join("azure/close-job.yaml")).expect("remove the spec");
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
        stdout.contains(&format!("removed stale {}", utf8(&member_dir))),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("corpus: 0 of 1 specs generated; build skipped\n"),
        "{stdout}"
    );
    assert!(!member_dir.exists());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("members = []"), "{manifest}");
}

#[test]
fn generated_workspace_builds_with_clippy() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_close_job(dir.path());
    // A fixed output and (inside the command) target directory, so repeated
    // runs rebuild only what changed.
    let out = repo_root().join("target/corpus-test");
    let output = xtask(&["corpus", "--specs", utf8(dir.path()), "--out", utf8(&out)]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("ok   azure/close-job.yaml → target/corpus-test/azure_close_job ("),
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
    copy_close_job(&specs);
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
    assert!(!out.join("azure_close_job").exists());
}
