//! An operation's arguments in their order (path parameters as the path
//! names them, then required, then optional) and its path split into
//! literals and parameters (`Lowerer::parameters`, `path_parts`).

use super::lowered;
use crate::model::{Operation, PathPart};

/// The one operation at `path`, with the `parameters` given (a YAML flow
/// list).
fn operation(path: &str, parameters: &str) -> Operation {
    let spec = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  {path}:
    get:
      parameters: {parameters}
      responses: {{'200': {{description: ok}}}}
"
    );
    lowered(&spec).expect("lowers").operations.remove(0)
}

fn names(op: &Operation) -> Vec<String> {
    op.params.iter().map(|p| p.name.to_string()).collect()
}

#[test]
fn path_parameters_come_first_in_path_order_then_required_then_optional() {
    let op = operation(
        "/a/{y}{x}/b",
        "[{name: o, in: query, schema: {type: string}},
          {name: q, in: query, required: true, schema: {type: string}},
          {name: x, in: path, required: true, schema: {type: string}},
          {name: h, in: header, required: true, schema: {type: string}},
          {name: y, in: path, required: true, schema: {type: string}}]",
    );
    assert_eq!(names(&op), ["y", "x", "q", "h", "o"]);
    // Two parameters side by side have no empty literal between them.
    assert_eq!(
        op.path,
        [
            PathPart::Literal("/a/".to_owned()),
            PathPart::Param(0),
            PathPart::Param(1),
            PathPart::Literal("/b".to_owned()),
        ]
    );
}
