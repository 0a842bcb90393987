//! Operations lowered to methods: the names their arguments and response
//! fields take, unique among themselves and beside the generated code's;
//! which parameters the client holds.

use super::lowered;
use crate::model::{Api, ParamLocation, TypeId, TypeRef};

/// A document with the `paths` given (YAML indented for the map).
fn with_paths(paths: &str) -> Api {
    lowered(&format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}"
    ))
    .expect("lowers")
}

/// A document whose only operation is `get` at `path`, written as
/// `operation` (YAML indented for the method's map).
fn with_get(path: &str, operation: &str) -> Api {
    with_paths(&format!("  {path}:\n    get:\n{operation}"))
}

#[test]
fn arguments_and_header_fields_take_names_of_their_own() {
    let api = with_get(
        "/a",
        "      operationId: get
      parameters:
        - {name: url, in: query, required: true, schema: {type: string}}
        - {name: request, in: header, schema: {type: string}}
        - {name: URL, in: header, schema: {type: string}}
      responses:
        '200': {description: ok, headers: {body: {schema: {type: string}}}}
",
    );
    let op = &api.operations[0];
    let params: Vec<String> = op.params.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(params, ["url_2", "request_2", "url_3"]);
    let headers: Vec<String> = op
        .responses
        .headers
        .iter()
        .map(|h| h.name.to_string())
        .collect();
    assert_eq!(headers, ["body_2"]);
}

#[test]
fn the_client_holds_only_scalar_query_and_header_parameters() {
    let api = with_get(
        "/a/{id}",
        "      operationId: get
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, x-ms-parameter-location: client}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}, x-ms-parameter-location: client}
        - {name: region, in: query, schema: {type: string}, x-ms-parameter-location: client}
      responses: {'200': {description: ok}}
",
    );
    let held: Vec<String> = api
        .client_params
        .iter()
        .map(|p| p.name.to_string())
        .collect();
    assert_eq!(held, ["region"]);
    let op = &api.operations[0];
    assert_eq!(op.client_params, [(0, false)]);
    let params: Vec<String> = op.params.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(params, ["id", "tags"]);
}

#[test]
fn a_client_parameter_is_one_field_per_name_and_place() {
    let client = |name: &str, place: &str, required: bool| {
        format!(
            "{{name: {name}, in: {place}, required: {required}, schema: {{type: string}}, x-ms-parameter-location: client}}"
        )
    };
    let api = with_paths(&format!(
        "  /a:
    get:
      parameters: [{}]
      responses: {{'200': {{description: ok}}}}
  /b:
    get:
      parameters: [{}, {}]
      responses: {{'200': {{description: ok}}}}
",
        client("region", "query", false),
        client("region", "query", true),
        client("region", "header", false),
    ));
    let held: Vec<(String, ParamLocation)> = api
        .client_params
        .iter()
        .map(|p| (p.name.to_string(), p.location))
        .collect();
    assert_eq!(
        held,
        [
            ("region".to_owned(), ParamLocation::Query),
            ("region_2".to_owned(), ParamLocation::Header)
        ]
    );
    assert_eq!(api.operations[0].client_params, [(0, false)]);
    assert_eq!(api.operations[1].client_params, [(0, true), (1, false)]);
}

#[test]
fn a_parameter_of_a_named_scalar_or_enum_keeps_its_type() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: id, in: query, schema: {$ref: '#/components/schemas/Id'}}
        - {name: state, in: query, schema: {$ref: '#/components/schemas/State'}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Id: {type: string}
    State: {type: string, enum: [on, off]}
";
    let api = lowered(spec).expect("lowers");
    assert_eq!(api.types[0].name, "Id");
    let types: Vec<&TypeRef> = api.operations[0].params.iter().map(|p| &p.ty).collect();
    assert_eq!(
        types,
        [&TypeRef::Named(TypeId(0)), &TypeRef::Named(TypeId(1))]
    );
    assert_eq!(api.warnings, []);
}

#[test]
fn the_api_version_sent_is_its_parameter_s_default_else_the_document_s_version() {
    let version = |schema: &str| {
        with_get(
            "/a",
            &format!(
                "      parameters: [{{name: api-version, in: query, required: true, schema: {schema}}}]
      responses: {{'200': {{description: ok}}}}
"
            ),
        )
        .default_api_version
    };
    assert_eq!(
        version("{type: string, default: '2024-05-01'}"),
        Some("2024-05-01".to_owned())
    );
    assert_eq!(version("{type: string}"), Some("1".to_owned()));
}

#[test]
fn a_method_s_doc_is_its_summary_then_its_description_when_it_says_more() {
    let doc = |texts: &str| {
        with_get(
            "/a",
            &format!("{texts}      responses: {{'200': {{description: ok}}}}\n"),
        )
        .operations[0]
            .doc
            .clone()
    };
    assert_eq!(
        doc("      summary: Gets it.\n      description: Gets it by id.\n"),
        Some("Gets it.\n\nGets it by id.".to_owned())
    );
    assert_eq!(
        doc("      summary: Gets it.\n      description: ' Gets it. '\n"),
        Some("Gets it.".to_owned())
    );
    assert_eq!(
        doc("      description: Gets it.\n"),
        Some("Gets it.".to_owned())
    );
}

#[test]
fn a_pager_s_or_poller_s_helpers_keep_their_names_from_other_operations() {
    let api = with_paths(
        "  /pages:
    get:
      operationId: list
      x-ms-pageable: {nextLinkName: next}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {value: {type: array, items: {type: string}}, next: {type: string}}
  /close:
    post:
      operationId: close
      x-ms-long-running-operation: true
      responses: {'200': {description: ok}}
  /others:
    get: {operationId: list_request, responses: {'200': {description: ok}}}
    put: {operationId: close_request, responses: {'200': {description: ok}}}
    post: {operationId: begin_close, responses: {'200': {description: ok}}}
",
    );
    let methods: Vec<String> = api
        .operations
        .iter()
        .map(|op| op.method_name.to_string())
        .collect();
    assert_eq!(
        methods,
        [
            "list",
            "close",
            "list_request_2",
            "close_request_2",
            "begin_close_2"
        ]
    );
}
