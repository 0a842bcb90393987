//! `cargo xtask codegen` as a user runs it: the real binary, on the real
//! spec, on other specs, and on bad input.

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

/// Every file under `dir` with its contents, to show nothing was touched.
fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let contents = std::fs::read(&path).expect("read file");
                files.push((path, contents));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn committed_generated_crate_is_fresh() {
    let output = xtask(&["codegen", "--check"]);
    assert!(
        output.status.success(),
        "generated/ is stale; run `cargo xtask codegen`:\n{}",
        text(&output.stderr)
    );
    assert_eq!(
        text(&output.stdout),
        "generated is up to date with spec/close-job.yaml\n\
         generated/jobrouter is up to date with spec/jobrouter/communicationservicejobrouter.json\n"
    );
}

#[test]
fn check_reports_a_stale_crate_with_a_diff_and_writes_nothing() {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_str().expect("UTF-8 temp path");
    let spec = "spec/close-job.yaml";
    let first = xtask(&["codegen", "--spec", spec, "--out", out_arg]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("created "),
        "{}",
        text(&first.stdout)
    );

    let models = out.path().join("src/models.rs");
    let fresh = std::fs::read_to_string(&models).expect("models.rs");
    let edited = fresh.replace("pub note: Option<String>,", "pub note: Option<u32>,");
    std::fs::write(&models, &edited).expect("edit models.rs");
    std::fs::write(out.path().join("src/leftover.rs"), "// stale\n").expect("stale file");

    let check = xtask(&["codegen", "--check", "--spec", spec, "--out", out_arg]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = text(&check.stderr);
    assert!(stderr.contains("is stale"), "{stderr}");
    assert!(stderr.contains("/src/models.rs"), "{stderr}");
    assert!(stderr.contains("-    pub note: Option<u32>,"), "{stderr}");
    assert!(
        stderr.contains("+    pub note: Option<String>,"),
        "{stderr}"
    );
    assert!(
        stderr.contains("removed ") && stderr.contains("src/leftover.rs"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&models).expect("models.rs"), edited);

    let regenerate = xtask(&["codegen", "--spec", spec, "--out", out_arg]);
    assert!(regenerate.status.success(), "{}", text(&regenerate.stderr));
    let stdout = text(&regenerate.stdout);
    assert!(
        stdout.contains("updated ") && stdout.contains("src/models.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("removed ") && stdout.contains("src/leftover.rs"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&models).expect("models.rs"), fresh);
    assert!(!out.path().join("src/leftover.rs").exists());

    let again = xtask(&["codegen", "--spec", spec, "--out", out_arg]);
    assert!(
        text(&again.stdout).contains("nothing to change"),
        "{}",
        text(&again.stdout)
    );
}

/// A spec from another vendor (Oxide's keeper, kept in `../shared`)
/// becomes a crate that builds on its own and is clippy-clean.
#[test]
#[ignore = "needs ../shared/specs beside the clone"]
fn other_spec_becomes_a_standalone_crate_that_builds() {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_str().expect("UTF-8 temp path");
    let spec = "../shared/specs/oxide/keeper.json";
    let output = xtask(&["codegen", "--spec", spec, "--out", out_arg]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"keeper_client\""), "{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");

    // Same dependency versions as this workspace, so the build reuses them.
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        out.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    let target = repo_root().join("target/standalone-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let build = Command::new(cargo)
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run cargo clippy");
    assert!(
        build.status.success(),
        "the generated crate does not build cleanly:\n{}",
        text(&build.stderr)
    );
}

/// Runs codegen on `contents` written to a file named `name`, into a copy
/// of the committed crate, and returns stderr after checking the run
/// failed cleanly and left the crate untouched.
fn rejected(name: &str, contents: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join(name);
    std::fs::write(&spec, contents).expect("write spec");
    let out = dir.path().join("crate");
    let setup = xtask(&["codegen", "--out", out.to_str().expect("UTF-8")]);
    assert!(setup.status.success(), "{}", text(&setup.stderr));
    let before = snapshot_dir(&out);

    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(spec.to_str().expect("UTF-8")),
        "names the file: {stderr}"
    );
    assert_eq!(snapshot_dir(&out), before, "the output was touched");
    stderr
}

#[test]
fn not_yaml_names_file_and_line() {
    let stderr = rejected(
        "broken.yaml",
        b"openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n",
    );
    assert!(stderr.contains("broken.yaml:3:"), "{stderr}");
    assert!(stderr.contains("not valid YAML"), "{stderr}");
}

#[test]
fn not_json_names_file_line_and_column() {
    let stderr = rejected("broken.json", b"{\n  \"openapi\": \"3.0.3\",\n  oops\n}\n");
    assert!(
        stderr.contains("broken.json:3:3: not valid JSON"),
        "{stderr}"
    );
}

#[test]
fn binary_file_is_refused() {
    let stderr = rejected("image.yaml", &[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe]);
    assert!(
        stderr.contains("image.yaml:1:1: not valid UTF-8: byte 0 (0x89) is not UTF-8"),
        "{stderr}"
    );
}

#[test]
fn other_swagger_versions_are_named_as_such() {
    let stderr = rejected(
        "swagger.json",
        br#"{"swagger": "1.2", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    assert!(
        stderr.contains("found Swagger 1.2 (`swagger` field), which is not supported yet; this generator reads OpenAPI 3.0.x and Swagger 2.0"),
        "{stderr}"
    );
}

#[test]
fn a_swagger_2_document_that_cannot_be_converted_names_the_place() {
    let stderr = rejected(
        "swagger.json",
        br#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "parameters": [{"name": "a", "in": "body", "schema": {}}, {"name": "b", "in": "body", "schema": {}}],
            "responses": {"200": {"description": "ok"}}}}}}"#,
    );
    assert!(
        stderr.contains("at /paths/~1a/post/parameters/1: not a valid OpenAPI 3.0 document: cannot convert this Swagger 2.0 document:"),
        "{stderr}"
    );
}

#[test]
fn openapi_3_1_is_named_as_such() {
    let stderr = rejected(
        "v31.yaml",
        b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert!(
        stderr.contains("found OpenAPI 3.1.0, which is not supported yet"),
        "{stderr}"
    );
}

#[test]
fn missing_openapi_field_is_named() {
    let stderr = rejected("plain.yaml", b"name: not a spec\n");
    assert!(stderr.contains("found no `openapi` field at /"), "{stderr}");
}

#[test]
fn wrong_shape_names_the_json_pointer_and_line() {
    let stderr = rejected(
        "shape.yaml",
        b"openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x:\n    get:\n      responses: 42\n",
    );
    assert!(stderr.contains("at /paths/~1x/get/responses"), "{stderr}");
    assert!(stderr.contains("shape.yaml:6:3 at "), "{stderr}");
}

#[test]
fn dangling_ref_names_pointer_line_and_target() {
    let spec = "openapi: 3.0.3
info:
  title: t
  version: '1'
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
";
    let stderr = rejected("dangling.yaml", spec.as_bytes());
    assert!(
        stderr.contains(
            "dangling.yaml:14 at /paths/~1things/get/responses/200/content/application~1json/schema: dangling $ref `#/components/schemas/Missing`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_reference_to_a_url_is_refused_with_its_line_and_pointer() {
    let spec = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "components": {"schemas": {"Pet": {"$ref": "https://example.com/other.json#/components/schemas/Pet"}}}
}"#;
    let stderr = rejected("external.json", spec.as_bytes());
    assert!(
        stderr.contains("external.json:5 at /components/schemas/Pet: `$ref: https://example.com/other.json#/components/schemas/Pet`: it is a URL: references are read from local files only, never fetched"),
        "{stderr}"
    );
}

#[test]
fn all_of_parts_that_include_themselves_are_refused_not_a_stack_overflow() {
    let spec = r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "components": {"schemas": {
    "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]},
    "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]}
  }}
}"##;
    let stderr = rejected("loop.json", spec.as_bytes());
    assert!(
        stderr.contains("unsupported: `allOf` parts that include themselves"),
        "{stderr}"
    );
}

#[test]
fn a_fallback_is_a_warning_naming_the_pointer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("not.json");
    std::fs::write(
        &spec,
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"not": {"type": "integer"}}}}}}}"#,
    )
    .expect("write spec");
    let out = dir.path().join("crate");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("at /components/schemas/Pet/properties/name: unsupported: `not`; generated as serde_json::Value"),
        "{stderr}"
    );
    let models = std::fs::read_to_string(out.join("src/models.rs")).expect("models written");
    assert!(
        models.contains("pub name: Option<serde_json::Value>,"),
        "{models}"
    );
}

#[test]
fn missing_spec_file_is_named() {
    let output = xtask(&[
        "codegen",
        "--spec",
        "no/such/spec.yaml",
        "--out",
        "target/never",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("no/such/spec.yaml: cannot read"),
        "{stderr}"
    );
    assert!(!repo_root().join("target/never").exists());
}

/// Generates `contents` as a standalone crate and builds it with clippy
/// `-D warnings`; returns codegen's stderr (the warnings).
fn generated_crate_builds(name: &str, contents: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join(name);
    std::fs::write(&spec, contents).expect("write spec");
    let out = dir.path().join("crate");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
        "--crate-name",
        "hostile_client",
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    std::fs::copy(repo_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let build = Command::new(cargo)
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/standalone-check"),
        )
        .output()
        .expect("run cargo clippy");
    assert!(
        build.status.success(),
        "exit 0, but the crate from {name} does not build cleanly:\n{}",
        text(&build.stderr)
    );
    stderr
}

/// Names that are not Rust, `$ref`s that loop (in Swagger 2.0 too) and a
/// chain of list aliases longer than rustc follows: exit 0, and the crate
/// compiles.
#[test]
fn hostile_names_and_reference_loops_give_a_crate_that_compiles() {
    let operations: String = ["123abc", "9", "self", "Self", "new", "type"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                r##""/p{i}": {{"get": {{"operationId": "{id}", "parameters": [{{"name": "self", "in": "query", "type": "string"}}],
                   "responses": {{"200": {{"description": "ok", "schema": {{"$ref": "#/definitions/A"}}}}}}}}}},"##
            )
        })
        .collect();
    let chain: String = (0..300)
        .map(|i| {
            format!(
                r##""L{i}": {{"type": "array", "items": {{"$ref": "#/definitions/L{}"}}}},"##,
                i + 1
            )
        })
        .collect();
    let spec = format!(
        r##"{{"swagger": "2.0", "info": {{"title": "t\nname = \"x\"", "version": "1"}},
  "paths": {{{operations} "/end": {{"get": {{"responses": {{"200": {{"description": "ok"}}}}}}}}}},
  "definitions": {{{chain} "L300": {{"type": "string"}},
    "A": {{"$ref": "#/definitions/A"}},
    "B": {{"type": "array", "items": {{"$ref": "#/definitions/B"}}}},
    "C": {{"$ref": "#/definitions/D"}}, "D": {{"$ref": "#/definitions/C"}},
    "E": {{"type": "object", "required": ["e"], "properties": {{"e": {{"$ref": "#/definitions/E"}}, "self": {{"type": "string"}}}}}},
    "F": {{"allOf": [{{"$ref": "#/definitions/G"}}]}}, "G": {{"allOf": [{{"$ref": "#/definitions/F"}}]}},
    "Self": {{"type": "string", "enum": ["Self", "self", "9", "名前"]}}
  }}}}"##
    );
    let stderr = generated_crate_builds("hostile.json", &spec);
    assert!(
        stderr
            .contains("at /components/schemas/A: unsupported: a `$ref` that leads back to itself"),
        "{stderr}"
    );
}

/// A document with no operations still gives a crate that compiles.
#[test]
fn a_document_without_operations_gives_a_crate_that_compiles() {
    generated_crate_builds(
        "empty.yaml",
        "openapi: 3.0.3\ninfo: {title: \"t\\r\\u202e\", version: '1', description: \"a\\rb\"}\npaths: {}\n",
    );
}

/// Flow collections nested far deeper than any document: refused with the
/// place, before the YAML parser spends time on them.
#[test]
fn deeply_nested_yaml_is_refused_with_its_line() {
    let depth = 100_000;
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let stderr = rejected("deep.yaml", spec.as_bytes());
    assert!(
        stderr.contains(
            "deep.yaml:4:137: not valid YAML: flow collections (`[`, `{`) nested more than 128 deep"
        ),
        "{stderr}"
    );
}

#[test]
fn the_profile_is_said_and_can_be_forced() {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_str().expect("UTF-8 temp path");
    let detected = xtask(&["codegen", "--spec", "spec/close-job.yaml", "--out", out_arg]);
    assert!(detected.status.success(), "{}", text(&detected.stderr));
    assert!(
        text(&detected.stderr).contains(
            "spec/close-job.yaml: profile: azure (api-version query parameter at \
             #/paths/~1routing~1jobs~1{jobId}~1assignments~1{assignmentId}:close/post/parameters/2)\n"
        ),
        "{}",
        text(&detected.stderr)
    );
    let forced = xtask(&[
        "codegen",
        "--spec",
        "spec/close-job.yaml",
        "--out",
        out_arg,
        "--profile",
        "plain",
    ]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(
        text(&forced.stderr).contains("spec/close-job.yaml: profile: plain (asked for)\n"),
        "{}",
        text(&forced.stderr)
    );
    let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).expect("Cargo.toml");
    assert!(!manifest.contains("hmac"), "{manifest}");
    let client = std::fs::read_to_string(out.path().join("src/client.rs")).expect("client.rs");
    assert!(!client.contains("from_connection_string"), "{client}");
    let unknown = xtask(&["codegen", "--profile", "azur"]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("unknown profile `azur`: expected azure, plain or auto"),
        "{}",
        text(&unknown.stderr)
    );
}
