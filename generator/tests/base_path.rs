//! The path of the server URL (Azure's `x-ms-parameterized-host`
//! `{endpoint}/contentsafety`, an OpenAPI 3 `servers` URL) starts every
//! request path and every path the server side matches. The generated
//! notes client sends it over 127.0.0.1 (`specs/notes_behaviour.rs`, run
//! by `xtask/tests/standalone_crates.rs`).

use generator::Config;

fn generated(name: &str, text: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join(name);
    std::fs::write(&spec, text).expect("write");
    let config = Config {
        spec_label: name.to_owned(),
        crate_name: "safety_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    let files = generator::generate(&spec, &config).unwrap_or_else(|e| panic!("{e}"));
    let file = |path: &str| {
        files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.to_owned())
            .unwrap_or_else(|| panic!("no {path}"))
    };
    (file("src/client.rs"), file("src/server.rs"))
}

#[test]
fn a_parameterized_host_with_a_path_starts_every_request_path() {
    let spec = r##"{
  "swagger": "2.0",
  "info": {"title": "Content Safety", "version": "2024-09-01"},
  "x-ms-parameterized-host": {
    "hostTemplate": "{endpoint}/contentsafety",
    "useSchemePrefix": false,
    "parameters": [{"name": "endpoint", "in": "path", "required": true, "type": "string", "x-ms-skip-url-encoding": true}]
  },
  "paths": {
    "/image:analyze": {"post": {
      "operationId": "ImageAnalyze",
      "parameters": [{"name": "api-version", "in": "query", "required": true, "type": "string"}],
      "responses": {"200": {"description": "ok"}}
    }},
    "/text/blocklists/{name}": {"get": {
      "operationId": "GetTextBlocklist",
      "parameters": [
        {"name": "name", "in": "path", "required": true, "type": "string"},
        {"name": "api-version", "in": "query", "required": true, "type": "string"}
      ],
      "responses": {"200": {"description": "ok"}}
    }}
  }
}"##;
    let (client, server) = generated("safety.json", spec);
    assert!(
        client.contains(r#"let path = String::from("/contentsafety/image:analyze");"#),
        "{client}"
    );
    assert!(
        client.contains(
            r#""/contentsafety/text/blocklists/",
            &runtime::path_segment("name", name)?,"#
        ),
        "{client}"
    );
    assert!(
        server.contains(r#"rt::match_path("/contentsafety/image:analyze", request.path)"#),
        "{server}"
    );
}
