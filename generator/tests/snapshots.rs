//! Regression snapshots of the code generated for real specs: the Close Job
//! spec and a spec from another vendor, proving the generator is not
//! Job Router-specific. Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use generator::Config;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every generated file but the runtime (copied verbatim, not generated
/// from the spec), each under a `=== path ===` line.
fn generated_text(spec: &str, crate_name: &str) -> String {
    let config = Config {
        spec_label: spec.to_owned(),
        crate_name: crate_name.to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(&repo_root().join(spec), &config)
        .unwrap_or_else(|e| panic!("generating from {spec} failed: {e}"));
    files
        .iter()
        .filter(|(path, _)| !path.starts_with("src/runtime/"))
        .map(|(path, contents)| format!("=== {path} ===\n{contents}\n"))
        .collect()
}

#[test]
fn close_job_spec() {
    insta::assert_snapshot!(generated_text("spec/close-job.yaml", "close_job_client"));
}

/// A plain API with an `apiKey` and a bearer scheme: no Azure profile
/// (no connection string, no `azure` feature or dependency), the key wired
/// where its scheme says.
#[test]
fn plain_spec_with_security_schemes() {
    insta::assert_snapshot!(generated_text(
        "generator/tests/specs/notes.yaml",
        "notes_client"
    ));
}

/// What `cargo xtask codegen` prints about each crate's profile.
#[test]
fn the_profile_is_detected_and_said_with_its_reason() {
    let profile = |spec: &str, choice: generator::ProfileChoice| {
        let config = Config {
            spec_label: spec.to_owned(),
            crate_name: "any_client".to_owned(),
            standalone: false,
            profile: choice,
            spec_root: None,
        };
        let files =
            generator::generate(&repo_root().join(spec), &config).unwrap_or_else(|e| panic!("{e}"));
        let manifest = files
            .iter()
            .find(|(path, _)| *path == "Cargo.toml")
            .map(|(_, text)| text.to_owned())
            .unwrap_or_default();
        (files.profile().to_owned(), manifest.contains("hmac"))
    };
    assert_eq!(
        profile("spec/close-job.yaml", generator::ProfileChoice::Auto),
        (
            "profile: azure (api-version query parameter at \
             #/paths/~1routing~1jobs~1{jobId}~1assignments~1{assignmentId}:close/post/parameters/2)"
                .to_owned(),
            true
        )
    );
    assert_eq!(
        profile(
            "generator/tests/specs/notes.yaml",
            generator::ProfileChoice::Auto
        ),
        (
            "profile: plain (no api-version query parameter, x-ms-* extension or {endpoint} host)"
                .to_owned(),
            false
        )
    );
    assert_eq!(
        profile("spec/close-job.yaml", generator::ProfileChoice::Plain),
        ("profile: plain (asked for)".to_owned(), false)
    );
}

/// Oxide's keeper API, a public document kept in `../shared` (not in this
/// repository): `cargo test -- --include-ignored` runs it, as CI does.
#[test]
#[ignore = "needs ../shared/specs beside the clone"]
fn oxide_keeper_spec() {
    insta::assert_snapshot!(generated_text(
        "../shared/specs/oxide/keeper.json",
        "keeper_client"
    ));
}

/// The crate generated from `tests/specs/shapes.yaml` (one of each
/// supported shape and documented fallback): `(models.rs, client.rs,
/// server.rs)`.
fn shapes_crate() -> (String, String, String) {
    let config = Config {
        spec_label: "generator/tests/specs/shapes.yaml".to_owned(),
        crate_name: "shapes_client".to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(
        &repo_root().join("generator/tests/specs/shapes.yaml"),
        &config,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let file = |wanted: &str| {
        files
            .iter()
            .find(|(path, _)| *path == wanted)
            .map(|(_, text)| text.to_owned())
            .unwrap_or_else(|| panic!("no {wanted}"))
    };
    (
        file("src/models.rs"),
        file("src/client.rs"),
        file("src/server.rs"),
    )
}

/// The top-level items of `source` whose first line (after docs and
/// attributes) contains one of `names`, with their docs, attributes and
/// impl blocks, separated by blank lines.
fn items(source: &str, names: &[&str]) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    let mut start = 0;
    for (index, line) in lines.iter().enumerate() {
        let top_level = !line.starts_with(' ')
            && !line.starts_with("///")
            && !line.starts_with("#[")
            && !line.is_empty();
        if !top_level {
            continue;
        }
        let end = (index + 1..lines.len())
            .find(|&i| lines[i] == "}" || (lines[i].ends_with(';') && !lines[i].starts_with(' ')))
            .map_or(lines.len(), |i| i + 1);
        let wanted = names.iter().any(|name| {
            line.contains(&format!(" {name} "))
                || line.contains(&format!(" {name}<"))
                || line.contains(&format!(" {name}("))
                || line.ends_with(&format!(" {name}"))
                || line.contains(&format!("for {name} "))
        });
        if wanted && index >= start {
            let first = (0..index)
                .rev()
                .take_while(|&i| lines[i].starts_with("///") || lines[i].starts_with("#["))
                .last()
                .unwrap_or(index);
            found.push(lines[first..end.max(index + 1)].join("\n"));
            start = end;
        }
    }
    found.join("\n\n")
}

#[test]
fn shape_object_with_every_kind_of_property() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(
        &models,
        &["Pet", "PetOwner", "PetLabels", "PetExtra"]
    ));
}

#[test]
fn shape_all_of_merged_into_one_struct() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Named", "Tagged"]));
}

#[test]
fn shape_azure_polymorphism_with_x_ms_discriminator_value() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Toy", "Ball", "Rope"]));
}

#[test]
fn shape_one_of_with_a_discriminator_mapping() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Shape", "Circle", "Square"]));
}

#[test]
fn shape_one_of_without_a_discriminator() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["State", "StateVariant1", "StateVariant2"]));
}

#[test]
fn shape_extensible_enum() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["PetKind"]));
}

#[test]
fn shape_closed_enum_with_awkward_values() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Size"]));
}

#[test]
fn shape_keywords_of_other_types_beside_a_type() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Loose", "LooseStatus"]));
}

#[test]
fn shape_azure_client_names_and_a_named_x_ms_enum() {
    let (models, client, _) = shapes_crate();
    let client_struct = items(&client, &["Client"]);
    let client_struct: Vec<&str> = client_struct
        .lines()
        .take_while(|line| !line.starts_with("impl"))
        .collect();
    insta::assert_snapshot!(
        items(&models, &["Mail", "MailStatus", "MailSendStatus"])
            + "\n\n"
            + &client_struct.join("\n")
            + &items(&client, &["SendResponse"])
            + "\n"
            + &method(&client, "with_tenant")
            + "\n"
            + &method(&client, "with_x_ms_region")
            + "\n"
            + &method(&client, "send")
            + "\n"
            + &method(&client, "begin_send")
            + "\n"
            + &method(&client, "send_request")
    );
}

#[test]
fn shape_azure_client_flatten_and_what_stays_nested() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(
        &models,
        &[
            "Resource",
            "ResourceWire",
            "ResourceProperties",
            "ResourcePropertiesWire",
            "ResourceDetails",
            "Storage",
        ]
    ));
}

#[test]
fn shape_mutually_recursive_types() {
    let (models, _, _) = shapes_crate();
    insta::assert_snapshot!(items(&models, &["Address", "Person"]));
}

#[test]
fn operation_with_headers_enum_query_and_a_cookie() {
    let (_, client, _) = shapes_crate();
    insta::assert_snapshot!(items(&client, &["GetResponse"]) + "\n\n" + &method(&client, "get"));
}

#[test]
fn operation_with_a_merge_patch_body_and_two_statuses() {
    let (_, client, _) = shapes_crate();
    insta::assert_snapshot!(
        items(&client, &["UpdateResponse"]) + "\n\n" + &method(&client, "update")
    );
}

#[test]
fn server_side_of_a_merge_patch_upsert_with_two_statuses_and_headers() {
    let (_, _, server) = shapes_crate();
    insta::assert_snapshot!(
        items(&server, &["UpdateInput", "UpdateSuccess", "UpdateOutput"])
            + "\n\n"
            + &service_method(&server, "update")
            + "\n\n"
            + &dispatch_arm(&server, "Update")
            + "\n\n"
            + &items(&server, &["decode_update"])
    );
}

#[test]
fn operation_with_a_bytes_body_and_no_content() {
    let (_, client, _) = shapes_crate();
    insta::assert_snapshot!(method(&client, "put_photo"));
}

#[test]
fn operation_with_query_lists_a_text_body_and_a_body_per_status() {
    let (_, client, _) = shapes_crate();
    insta::assert_snapshot!(
        items(&client, &["PostNotesSuccess"]) + "\n\n" + &method(&client, "post_notes")
    );
}

#[test]
fn operation_with_an_error_body_per_status_a_304_and_a_markdown_list() {
    let (_, client, _) = shapes_crate();
    insta::assert_snapshot!(items(&client, &["AdoptError"]) + "\n\n" + &method(&client, "adopt"));
}

/// The client method `name`, with its docs.
fn method(client: &str, name: &str) -> String {
    ["    pub async fn", "    pub fn", "    fn"]
        .iter()
        .map(|start| format!("{start} {name}("))
        .find(|start| client.lines().any(|line| line.starts_with(start.as_str())))
        .map(|start| member(client, &start))
        .unwrap_or_else(|| panic!("no method {name}"))
}

/// The `Service` trait's method `name`, with its docs.
fn service_method(server: &str, name: &str) -> String {
    member(server, &format!("    fn {name}("))
}

/// The item at one indent whose first line starts with `start`, with its
/// docs, up to its closing brace (or its `;`, for a trait's method).
fn member(source: &str, start: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let Some(index) = lines.iter().position(|line| line.starts_with(start)) else {
        panic!("no item starting `{start}`")
    };
    let first = (0..index)
        .rev()
        .take_while(|&i| lines[i].starts_with("    ///"))
        .last()
        .unwrap_or(index);
    let end = (index..lines.len())
        .find(|&i| {
            lines[i] == "    }" || (lines[i].ends_with(';') && !lines[i].starts_with("     "))
        })
        .map_or(lines.len(), |i| i + 1);
    lines[first..end].join("\n")
}

/// `dispatch`'s arm for the call `variant`.
fn dispatch_arm(server: &str, variant: &str) -> String {
    let lines: Vec<&str> = server.lines().collect();
    let start = format!("        Call::{variant}(input) => {{");
    let Some(index) = lines.iter().position(|line| *line == start) else {
        panic!("no dispatch arm for {variant}")
    };
    let end = (index..lines.len())
        .find(|&i| lines[i] == "        }")
        .map_or(lines.len(), |i| i + 1);
    lines[index..end].join("\n")
}

#[test]
fn shapes_spec_fallbacks_are_named() {
    let config = Config {
        spec_label: "shapes.yaml".to_owned(),
        crate_name: "shapes_client".to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(
        &repo_root().join("generator/tests/specs/shapes.yaml"),
        &config,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = files
        .warnings()
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    insta::assert_snapshot!(warnings.join("\n"));
}

#[test]
fn runtime_files_are_copied_with_a_header() {
    let config = Config {
        spec_label: "spec/close-job.yaml".to_owned(),
        crate_name: "close_job_client".to_owned(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(&repo_root().join("spec/close-job.yaml"), &config)
        .unwrap_or_else(|e| panic!("{e}"));
    let runtime: Vec<&str> = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/runtime/"))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        runtime,
        [
            "src/runtime/auth.rs",
            "src/runtime/credential.rs",
            "src/runtime/error.rs",
            "src/runtime/mod.rs",
            "src/runtime/options.rs",
            "src/runtime/pages.rs",
            "src/runtime/path.rs",
            "src/runtime/pipeline.rs",
            "src/runtime/poller.rs",
            "src/runtime/request.rs",
            "src/runtime/response.rs",
            "src/runtime/retry.rs",
            "src/runtime/server.rs",
            "src/runtime/sign.rs"
        ]
    );
    // Every source of the runtime crate is copied, none forgotten.
    let mut sources: Vec<String> = std::fs::read_dir(repo_root().join("generator/runtime"))
        .expect("generator/runtime")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .map(|name| format!("src/runtime/{name}"))
        .collect();
    sources.sort();
    assert_eq!(runtime, sources);
    for (path, contents) in files.iter().filter(|(p, _)| p.starts_with("src/")) {
        assert!(
            contents
                .starts_with("// @generated by `cargo xtask codegen` from spec/close-job.yaml.\n"),
            "{path} lacks the generated header"
        );
    }
}
