//! Operations lowered to methods: the names their arguments and response
//! fields take, unique among themselves and beside the generated code's.

use super::lowered;
use crate::model::Operation;

/// The one operation of a document whose only path is `/a` with `get`
/// as `operation` (YAML indented for the method's map).
fn get(operation: &str) -> Operation {
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n{operation}"
    );
    let mut api = lowered(&spec).expect("lowers");
    api.operations.remove(0)
}

#[test]
fn arguments_and_header_fields_take_names_of_their_own() {
    let op = get("      operationId: get
      parameters:
        - {name: url, in: query, required: true, schema: {type: string}}
        - {name: request, in: header, schema: {type: string}}
        - {name: URL, in: header, schema: {type: string}}
      responses:
        '200': {description: ok, headers: {body: {schema: {type: string}}}}
");
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
