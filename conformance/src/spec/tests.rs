//! The tester and the generator read one document alike: the same
//! parameters after merging and `$ref`s, the same response keys.

use generator::model::ParamLocation;

use super::{Location, Spec, StatusKey};

/// Path-level parameters (one by a percent-encoded `$ref`) overridden by
/// the operation's own, and a response reached through a chain of `$ref`s.
const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    parameters:
      - {$ref: '#/components/parameters/a%20b'}
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, schema: {type: string}}
    get:
      operationId: get
      parameters:
        - {name: q, in: query, required: true, schema: {type: integer}}
      responses:
        '200': {$ref: '#/components/responses/Ok'}
        4XX: {description: bad}
components:
  parameters:
    a b: {name: x-trace, in: header, schema: {type: string}}
  responses:
    Ok: {$ref: '#/components/responses/Real'}
    Real: {description: ok}
";

#[test]
fn the_tester_and_the_generator_merge_parameters_and_follow_refs_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, SPEC).expect("write spec");

    let spec = Spec::load(&path, "spec.yaml").expect("the tester reads it");
    let [operation] = spec.operations.as_slice() else {
        panic!("{:?}", spec.operations);
    };
    let tested: Vec<_> = operation
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required, p.pointer.as_str()))
        .collect();
    assert_eq!(
        tested,
        [
            (
                "x-trace",
                Location::Header,
                false,
                "/components/parameters/a b"
            ),
            (
                "id",
                Location::Path,
                true,
                "/paths/~1things~1{id}/parameters/1"
            ),
            (
                "q",
                Location::Query,
                true,
                "/paths/~1things~1{id}/get/parameters/0"
            ),
        ]
    );
    let statuses: Vec<_> = operation
        .responses
        .iter()
        .map(|r| (r.status, r.pointer.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            (StatusKey::Code(200), "/components/responses/Real"),
            (
                StatusKey::Range(4),
                "/paths/~1things~1{id}/get/responses/4XX"
            ),
        ]
    );

    let source = generator::load::load(&path).expect("loads");
    let api = generator::lower::lower(&source).expect("the generator lowers it");
    let lowered: Vec<_> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location, p.required))
        .collect();
    // Ordered as arguments: path first, then required, then optional.
    assert_eq!(
        lowered,
        [
            ("id", ParamLocation::Path, true),
            ("q", ParamLocation::Query, true),
            ("x-trace", ParamLocation::Header, false),
        ]
    );
}

/// The server's base path starts the tester's request paths as it starts
/// the client's; a schema in another file is read through the same loader.
#[test]
fn the_tester_and_the_generator_share_the_base_path_and_other_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://{host}/v2', variables: {host: {default: ''}}}]
paths:
  /things/{id}:
    get:
      operationId: get
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: 'common/thing.yaml'}}}
";
    std::fs::write(&path, spec).expect("write spec");
    std::fs::create_dir(dir.path().join("common")).expect("folder");
    std::fs::write(
        dir.path().join("common/thing.yaml"),
        "{type: object, properties: {id: {type: string}}}",
    )
    .expect("write the other file");

    let tested = Spec::load(&path, "spec.yaml").expect("the tester reads it");
    assert_eq!(tested.operations[0].path, "/v2/things/{id}");
    let (schema, pointer) = tested
        .resolve("/paths/~1things~1{id}/get/responses/200/content/application~1json/schema")
        .expect("the copied schema");
    assert_eq!(pointer, "/components/schemas/thing");
    assert_eq!(schema["properties"]["id"]["type"], "string");

    let source = generator::load::load(&path).expect("loads");
    let api = generator::lower::lower(&source).expect("the generator lowers it");
    assert_eq!(api.operations[0].path_template, "/v2/things/{id}");
}
