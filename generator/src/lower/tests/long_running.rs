//! Azure's `x-ms-long-running-operation`: where the final result is read
//! (`final-state-via`, else by the method).

use super::lowered;
use crate::model::FinalStateVia;

/// `(method, extensions)` each at a path of its own: what each operation's
/// final state is read from.
fn final_states(operations: &[(&str, &str)]) -> Vec<Option<FinalStateVia>> {
    let paths: String = operations
        .iter()
        .enumerate()
        .map(|(i, (method, extensions))| {
            format!(
                "  /op{i}:\n    {method}:\n      {extensions}\n      responses: {{'200': {{description: ok}}}}\n"
            )
        })
        .collect();
    let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
    let api = lowered(&spec).expect("lowers");
    api.operations.iter().map(|op| op.long_running).collect()
}

#[test]
fn the_final_state_is_read_where_the_spec_says_else_by_the_method() {
    let via = |place: &str| {
        format!(
            "x-ms-long-running-operation: true\n      x-ms-long-running-operation-options: {{final-state-via: {place}}}"
        )
    };
    let plain = "x-ms-long-running-operation: true";
    let states = final_states(&[
        ("put", &via("location")),
        ("put", &via("operation-location")),
        ("put", &via("azure-async-operation")),
        ("post", &via("original-uri")),
        ("put", plain),
        ("patch", plain),
        ("delete", plain),
        ("post", plain),
        ("post", "x-ms-long-running-operation: false"),
    ]);
    assert_eq!(
        states,
        [
            Some(FinalStateVia::Location),
            Some(FinalStateVia::OperationLocation),
            Some(FinalStateVia::AzureAsyncOperation),
            Some(FinalStateVia::OriginalUri),
            Some(FinalStateVia::OriginalUri),
            Some(FinalStateVia::OriginalUri),
            Some(FinalStateVia::Location),
            Some(FinalStateVia::Location),
            None,
        ]
    );
}
