//! `$ref`s to other files, as Azure publishes its specs: followed relative
//! to the file that writes them, each file read once, loops across files
//! closed, and everything outside the spec root, every URL and every
//! missing file or pointer refused with the file, line and pointer at fault.

use std::path::{Path, PathBuf};

use generator::{Config, Error};
use serde_json::{Value, json};

/// A folder holding `files` (relative path, text).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn load(spec: &Path, root: Option<&Path>) -> Result<generator::load::Source, Error> {
    generator::load::load_within(spec, root)
}

fn models(spec: &Path, root: Option<&Path>) -> String {
    let config = Config {
        spec_label: "spec".to_owned(),
        crate_name: "cross_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: root.map(Path::to_path_buf),
    };
    let files = generator::generate(spec, &config).unwrap_or_else(|e| panic!("{e}"));
    files
        .iter()
        .find(|(path, _)| *path == "src/models.rs")
        .map(|(_, text)| text.to_owned())
        .expect("models.rs")
}

fn refused(spec: &Path, root: Option<&Path>) -> String {
    match load(spec, root) {
        Ok(_) => panic!("{} was not refused", spec.display()),
        Err(error) => error.to_string(),
    }
}

/// Every `$ref` in `value`, in document order.
fn references(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(members) => {
                if let Some(Value::String(reference)) = members.get("$ref") {
                    found.push(reference.clone());
                }
                pending.extend(members.values().rev());
            }
            Value::Array(items) => pending.extend(items.iter().rev()),
            _ => {}
        }
    }
    found
}

const SWAGGER_API: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "Mail", "version": "2025-01-01"},
  "paths": {"/mails/{id}": {"get": {
    "operationId": "Mail_Get",
    "parameters": [
      {"$ref": "../../common/types.json#/parameters/ApiVersion"},
      {"name": "id", "in": "path", "required": true, "type": "string"}
    ],
    "responses": {
      "200": {"description": "ok", "schema": {"$ref": "#/definitions/Mail"}},
      "default": {"$ref": "../../common/types.json#/responses/Failure"}
    }
  }}},
  "definitions": {
    "Mail": {"type": "object", "properties": {
      "from": {"$ref": "./../../common/types.json#/definitions/Address"},
      "error": {"$ref": "../../common/types.json#/definitions/ErrorDetail"}
    }},
    "Error": {"$ref": "../../common/types.json#/definitions/Error"}
  }
}"##;

const SWAGGER_TYPES: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "Common types", "version": "1"},
  "paths": {},
  "parameters": {"ApiVersion": {"name": "api-version", "in": "query", "required": true, "type": "string"}},
  "responses": {"Failure": {"description": "failed", "schema": {"$ref": "#/definitions/Error"}}},
  "definitions": {
    "Address": {"type": "object", "properties": {"email": {"type": "string"}}},
    "Error": {"type": "object", "description": "An error.", "properties": {"error": {"$ref": "#/definitions/ErrorDetail"}}},
    "ErrorDetail": {"type": "object", "properties": {
      "code": {"type": "string"},
      "details": {"type": "array", "items": {"$ref": "#/definitions/ErrorDetail"}}
    }}
  }
}"##;

#[test]
fn swagger_definitions_parameters_and_responses_of_another_file_are_copied_in_once() {
    let dir = folder(&[
        ("api/v1/mail.json", SWAGGER_API),
        ("common/types.json", SWAGGER_TYPES),
    ]);
    let spec = dir.path().join("api/v1/mail.json");
    let source = load(&spec, Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let schemas = &source.value["components"]["schemas"];
    let names: Vec<&String> = schemas.as_object().expect("schemas").keys().collect();
    // `Error` was an alias of the other file's `Error`: it is that schema now.
    assert_eq!(names, ["Address", "Error", "ErrorDetail", "Mail"]);
    assert_eq!(schemas["Error"]["description"], json!("An error."));
    assert_eq!(
        schemas["ErrorDetail"]["properties"]["details"]["items"],
        json!({"$ref": "#/components/schemas/ErrorDetail"})
    );
    assert_eq!(
        source.value["components"]["parameters"]["ApiVersion"]["name"],
        json!("api-version")
    );
    assert_eq!(
        source.value["components"]["responses"]["Failure"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error"})
    );
    assert!(
        references(&source.value)
            .iter()
            .all(|r| r.starts_with("#/")),
        "{:?}",
        references(&source.value)
    );

    let models = models(&spec, Some(dir.path()));
    for wanted in [
        "pub struct Address",
        "pub struct Error",
        "pub struct ErrorDetail",
        "pub struct Mail",
        "pub details: Option<Vec<ErrorDetail>>",
    ] {
        assert!(models.contains(wanted), "{wanted} in:\n{models}");
    }
}

#[test]
fn openapi_files_schemas_parameters_responses_and_examples_are_followed() {
    let api = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      parameters:
        - $ref: 'shared/common.yaml#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: 'shared/pet.yaml'}}
              examples:
                rex: {$ref: 'shared/common.yaml#/components/examples/Rex'}
        '404': {$ref: 'shared/common.yaml#/components/responses/NotFound'}
components:
  schemas:
    Pet: {type: object, properties: {mine: {type: boolean}}}
"##;
    let pet = r##"
type: object
properties:
  name: {type: string}
  owner: {$ref: 'common.yaml#/components/schemas/Owner'}
example: {$ref: "data, not a reference"}
"##;
    let common = r##"
openapi: 3.0.3
info: {title: common, version: "1"}
paths: {}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  responses:
    NotFound:
      description: none
      content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}
  examples:
    Rex: {value: {name: Rex, $ref: 'data too'}}
  schemas:
    Owner: {type: object, properties: {pets: {type: array, items: {$ref: 'pet.yaml'}}}}
"##;
    let dir = folder(&[
        ("api.yaml", api),
        ("shared/pet.yaml", pet),
        ("shared/common.yaml", common),
    ]);
    let spec = dir.path().join("api.yaml");
    let source = load(&spec, None).unwrap_or_else(|e| panic!("{e}"));
    let components = &source.value["components"];
    // A whole file is named by its stem; the spec's own `Pet` keeps its name.
    let schemas: Vec<&String> = components["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .collect();
    assert_eq!(schemas, ["Owner", "Pet", "pet"]);
    assert_eq!(
        components["schemas"]["Owner"]["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    assert_eq!(
        components["schemas"]["pet"]["example"],
        json!({"$ref": "data, not a reference"})
    );
    assert_eq!(components["parameters"]["Limit"]["name"], json!("limit"));
    assert_eq!(
        components["examples"]["Rex"],
        json!({"value": {"name": "Rex", "$ref": "data too"}})
    );
    assert_eq!(
        source.value["paths"]["/pets"]["get"]["responses"]["404"],
        json!({"$ref": "#/components/responses/NotFound"})
    );
    let models = models(&spec, None);
    assert!(models.contains("pub struct Pet2"), "{models}");
    assert!(models.contains("pub owner: Option<Owner>"), "{models}");
}

#[test]
fn loops_across_files_close_on_the_copies() {
    // The spec's Node points into a.json, whose Link points into b.json,
    // whose Back points into a.json again and into the spec itself.
    let spec_text = r##"{
  "swagger": "2.0", "info": {"title": "t", "version": "1"},
  "paths": {"/n": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Node"}}}}}},
  "definitions": {"Node": {"type": "object", "properties": {"link": {"$ref": "a.json#/definitions/Link"}}}}
}"##;
    let a = r##"{"definitions": {"Link": {"type": "object", "properties": {"back": {"$ref": "b.json#/definitions/Back"}}}}}"##;
    let b = r##"{"definitions": {"Back": {"type": "object", "properties": {
        "link": {"$ref": "a.json#/definitions/Link"},
        "node": {"$ref": "spec.json#/definitions/Node"}
    }}}}"##;
    let dir = folder(&[("spec.json", spec_text), ("a.json", a), ("b.json", b)]);
    let spec = dir.path().join("spec.json");
    let source = load(&spec, None).unwrap_or_else(|e| panic!("{e}"));
    let back = &source.value["components"]["schemas"]["Back"]["properties"];
    assert_eq!(back["link"], json!({"$ref": "#/components/schemas/Link"}));
    assert_eq!(back["node"], json!({"$ref": "#/components/schemas/Node"}));
    let models = models(&spec, None);
    assert!(models.contains("pub struct Back"), "{models}");
    assert!(models.contains("pub struct Link"), "{models}");

    // A loop of bare references across files is the loop lowering knows.
    let alias = r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "definitions": {"A": {"$ref": "x.json#/definitions/X"}}}"##;
    let x = r##"{"definitions": {"X": {"$ref": "y.json#/definitions/Y"}}}"##;
    let y = r##"{"definitions": {"Y": {"$ref": "x.json#/definitions/X"}}}"##;
    let dir = folder(&[("alias.json", alias), ("x.json", x), ("y.json", y)]);
    let source = load(&dir.path().join("alias.json"), None).unwrap_or_else(|e| panic!("{e}"));
    let schemas = &source.value["components"]["schemas"];
    assert_eq!(schemas["A"], json!({"$ref": "#/components/schemas/Y"}));
    assert_eq!(schemas["Y"], json!({"$ref": "#/components/schemas/A"}));
}

#[test]
fn one_file_under_two_spellings_is_read_and_copied_once() {
    let spec_text = r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
      "definitions": {"Both": {"type": "object", "properties": {
        "a": {"$ref": "c/e.json#/definitions/E"},
        "b": {"$ref": "./c/../c/e.json#/definitions/E"},
        "c": {"$ref": "c/e.json#/definitions/E"}
      }}}}"##;
    let dir = folder(&[
        ("s.json", spec_text),
        ("c/e.json", r#"{"definitions": {"E": {"type": "string"}}}"#),
    ]);
    let source = load(&dir.path().join("s.json"), None).unwrap_or_else(|e| panic!("{e}"));
    let schemas: Vec<&String> = source.value["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .collect();
    assert_eq!(schemas, ["Both", "E"]);
}

/// The refusal of a spec whose `A` is `c.json`'s `B`, with `c.json`
/// written as `c`, and where `c.json` was.
fn refused_through_c(c: &str) -> (String, PathBuf) {
    let spec_text = r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
      "definitions": {"A": {"$ref": "c.json#/definitions/B"}}}"##;
    let dir = folder(&[("s.json", spec_text), ("c.json", c)]);
    (
        refused(&dir.path().join("s.json"), None),
        dir.path().join("c.json"),
    )
}

#[test]
fn a_missing_file_is_refused_naming_the_referring_file_line_and_pointer() {
    let text = "{\n  \"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},\n  \"definitions\": {\n    \"A\": {\"$ref\": \"gone.json#/definitions/A\"}\n  }\n}";
    let dir = folder(&[("s.json", text)]);
    let spec = dir.path().join("s.json");
    let message = refused(&spec, None);
    let gone = dir.path().join("gone.json");
    assert_eq!(
        message,
        format!(
            "{}:4 at /definitions/A: `$ref: gone.json#/definitions/A`: cannot read {}: No such file or directory (os error 2)",
            spec.display(),
            gone.display()
        )
    );
}

#[test]
fn a_pointer_missing_in_the_other_file_is_refused_where_it_is_written() {
    // The bad reference is in the other file, so that file is named.
    let (message, c) = refused_through_c(
        "{\"definitions\": {\n  \"B\": {\"type\": \"object\", \"properties\": {\n    \"x\": {\"$ref\": \"#/definitions/Nope\"}}}}}",
    );
    assert_eq!(
        message,
        format!(
            "{}:3 at /definitions/B/properties/x: `$ref: #/definitions/Nope`: nothing at /definitions/Nope in {}",
            c.display(),
            c.display()
        )
    );
}

#[test]
fn a_file_that_does_not_parse_is_named_with_its_own_line() {
    let (message, c) = refused_through_c("{\n  \"definitions\": [\n}");
    assert!(
        message.starts_with(&format!("{}:3:1: not valid JSON", c.display())),
        "{message}"
    );
}

fn escaping(reference: &str) -> String {
    format!(
        r##"{{"swagger": "2.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
      "definitions": {{"A": {{"$ref": "{reference}"}}}}}}"##
    )
}

#[test]
fn files_outside_the_root_are_refused_by_path_and_by_symlink() {
    let outside = r#"{"definitions": {"A": {"type": "string"}}}"#;
    let dir = folder(&[
        ("root/up.json", &escaping("../outside.json#/definitions/A")),
        ("root/link.json", &escaping("linked.json#/definitions/A")),
        ("root/abs.json", &escaping("/etc/hostname#/definitions/A")),
        ("outside.json", outside),
    ]);
    let root = dir.path().join("root");
    std::os::unix::fs::symlink(dir.path().join("outside.json"), root.join("linked.json"))
        .expect("symlink");
    let canonical_root = root.canonicalize().expect("canonical");
    let refusal = |spec: &str, shown: PathBuf| {
        format!(
            "{}:2 at /definitions/A: `$ref: {}`: {} is outside the spec root {} (`--spec-root` names another)",
            root.join(spec).display(),
            match spec {
                "up.json" => "../outside.json#/definitions/A",
                "link.json" => "linked.json#/definitions/A",
                _ => "/etc/hostname#/definitions/A",
            },
            shown.display(),
            canonical_root.display()
        )
    };
    for spec in ["up.json", "link.json"] {
        let shown = match spec {
            "up.json" => dir.path().join("outside.json"),
            _ => root.join("linked.json"),
        };
        assert_eq!(refused(&root.join(spec), Some(&root)), refusal(spec, shown));
    }
    // Without `--spec-root`, the spec's own folder is the root here (no
    // `.git` or `specification` above a temporary folder).
    assert_eq!(
        refused(&root.join("up.json"), None),
        refusal("up.json", dir.path().join("outside.json"))
    );
    if Path::new("/etc/hostname").exists() {
        assert_eq!(
            refused(&root.join("abs.json"), Some(&root)),
            refusal("abs.json", PathBuf::from("/etc/hostname"))
        );
    }
    // With the root one level up, the same references are read.
    for spec in ["up.json", "link.json"] {
        let source = load(&root.join(spec), Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            source.value["components"]["schemas"]["A"],
            json!({"type": "string"})
        );
    }
}

#[test]
fn a_url_is_never_fetched() {
    for reference in [
        "https://example.com/types.json#/definitions/A",
        "file:///etc/passwd#/a",
        "//example.com/types.json",
    ] {
        let dir = folder(&[("s.json", &escaping(reference))]);
        let spec = dir.path().join("s.json");
        assert_eq!(
            refused(&spec, None),
            format!(
                "{}:2 at /definitions/A: `$ref: {reference}`: it is a URL: references are read from local files only, never fetched",
                spec.display()
            )
        );
    }
}

#[test]
fn the_default_root_is_the_specification_folder_above_the_spec() {
    let dir = folder(&[
        (
            "specification/mail/stable/v1/mail.json",
            &escaping("../../../common-types/v1/types.json#/definitions/A"),
        ),
        (
            "specification/common-types/v1/types.json",
            r#"{"definitions": {"A": {"type": "string"}}}"#,
        ),
    ]);
    let spec = dir.path().join("specification/mail/stable/v1/mail.json");
    let source = load(&spec, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        source.value["components"]["schemas"]["A"],
        json!({"type": "string"})
    );
    // A `.git` above wins: the repository is the root.
    std::fs::create_dir(dir.path().join("specification/mail/.git")).expect(".git");
    assert!(refused(&spec, None).contains("is outside the spec root"));
}

#[test]
fn a_spec_outside_the_given_root_is_refused() {
    let dir = folder(&[("a/s.json", &escaping("#/definitions/B")), ("b/x", "")]);
    let spec = dir.path().join("a/s.json");
    let root = dir.path().join("b");
    // Local references need no root, so none is looked for.
    let source = load(&spec, Some(&root)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        source.value["components"]["schemas"]["A"],
        json!({"$ref": "#/components/schemas/B"})
    );
    let dir = folder(&[
        ("a/s.json", &escaping("c.json#/definitions/B")),
        ("b/x", ""),
    ]);
    let spec = dir.path().join("a/s.json");
    let root = dir.path().join("b");
    assert_eq!(
        refused(&spec, Some(&root)),
        format!(
            "{}: not inside the spec root {}",
            spec.display(),
            root.canonicalize().expect("canonical").display()
        )
    );
}

/// Microsoft's published Email and Rooms specs, read where they lie.
#[test]
#[ignore = "reads ../shared/specs-next (run with --include-ignored)"]
fn published_azure_specs_with_references_to_common_files_generate() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs-next/azure-dataplane/specification/communication/data-plane");
    let email = models(
        &folder.join("Email/stable/2025-09-01/CommunicationServicesEmail.json"),
        None,
    );
    assert!(email.contains("pub struct ErrorDetail"), "{email}");
    assert!(email.contains("pub struct ErrorAdditionalInfo"), "{email}");
    let rooms = models(
        &folder.join("Rooms/stable/2025-03-13/communicationservicesrooms.json"),
        None,
    );
    assert!(rooms.contains("pub struct CommunicationError {"), "{rooms}");
    assert!(
        rooms.contains("pub struct CommunicationErrorResponse"),
        "{rooms}"
    );
}
