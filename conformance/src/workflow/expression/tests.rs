//! Every kind of runtime expression, what resolves to nothing, and values
//! with expressions inside.

use serde_json::json;

use super::*;

struct World {
    inputs: Map<String, Value>,
    outputs: Map<String, Value>,
    steps: BTreeMap<String, Map<String, Value>>,
    workflows: BTreeMap<String, Map<String, Value>>,
    sources: BTreeMap<String, String>,
    components: Components,
    exchange: Exchange,
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn world() -> World {
    World {
        inputs: object(json!({"runId": "r1", "customer": {"name": "Ada"}})),
        outputs: object(json!({"done": true})),
        steps: BTreeMap::from([(
            "createJob".to_owned(),
            object(json!({"outputs": {"jobId": "job-1", "a.b": 7}})),
        )]),
        workflows: BTreeMap::from([(
            "setup".to_owned(),
            object(json!({"inputs": {"size": 2}, "outputs": {"queue": "q-1"}})),
        )]),
        sources: BTreeMap::from([(
            "router".to_owned(),
            "./communicationservicejobrouter.json".to_owned(),
        )]),
        components: Components {
            inputs: object(json!({"apiVersion": {"type": "string"}})),
            parameters: object(json!({"apiVersion": "2023-11-01"})),
        },
        exchange: Exchange {
            url: "http://127.0.0.1:1/routing/jobs/job-1?api-version=2023-11-01".to_owned(),
            method: "PATCH".to_owned(),
            request_headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            path: vec![("jobId".to_owned(), json!("job-1"))],
            query: vec![("api-version".to_owned(), "2023-11-01".to_owned())],
            request_body: Some(json!({"priority": 1})),
            status: Some(201),
            response_headers: vec![("ETag".to_owned(), "\"v1\"".to_owned())],
            response_body: Some(json!({"id": "job-1", "tags": ["a", "b"], "a/b": {"~": 1}})),
        },
    }
}

fn eval(expression: &str) -> Result<Value, Unresolved> {
    let w = world();
    let scope = Scope {
        inputs: &w.inputs,
        outputs: &w.outputs,
        steps: &w.steps,
        workflows: &w.workflows,
        sources: &w.sources,
        components: &w.components,
        exchange: Some(&w.exchange),
    };
    evaluate(expression, &scope)
}

#[test]
fn every_kind_of_expression_has_its_value() {
    let cases = [
        (
            "$url",
            json!("http://127.0.0.1:1/routing/jobs/job-1?api-version=2023-11-01"),
        ),
        ("$method", json!("PATCH")),
        ("$statusCode", json!(201)),
        ("$request.header.content-type", json!("application/json")),
        ("$request.path.jobId", json!("job-1")),
        ("$request.query.api-version", json!("2023-11-01")),
        ("$request.body#/priority", json!(1)),
        ("$request.body", json!({"priority": 1})),
        ("$response.header.etag", json!("\"v1\"")),
        ("$response.body#/id", json!("job-1")),
        ("$response.body#/tags/1", json!("b")),
        ("$response.body#/a~1b/~0", json!(1)),
        ("$response.body.tags[0]", json!("a")),
        ("$inputs.runId", json!("r1")),
        ("$inputs.customer.name", json!("Ada")),
        ("$inputs.customer#/name", json!("Ada")),
        ("$outputs.done", json!(true)),
        ("$steps.createJob.outputs.jobId", json!("job-1")),
        ("$steps.createJob.outputs.a.b", json!(7)),
        ("$workflows.setup.outputs.queue", json!("q-1")),
        ("$workflows.setup.inputs.size", json!(2)),
        (
            "$sourceDescriptions.router.url",
            json!("./communicationservicejobrouter.json"),
        ),
        ("$components.parameters.apiVersion", json!("2023-11-01")),
        ("$components.inputs.apiVersion", json!({"type": "string"})),
    ];
    for (expression, expected) in cases {
        assert_eq!(eval(expression), Ok(expected), "{expression}");
    }
}

#[test]
fn what_resolves_to_nothing_says_why() {
    let cases = [
        (
            "$inputs.nope",
            "no input `nope` (there are: customer, runId)",
        ),
        ("$steps.later.outputs.id", "no step `later` has run"),
        (
            "$steps.createJob.outputs.id",
            "no output of step `createJob` `id` (there are: a.b, jobId)",
        ),
        (
            "$steps.createJob.id",
            "give `$steps.createJob.outputs.NAME`",
        ),
        (
            "$response.body#/missing",
            "nothing at `/missing` in {\"a/b\":{\"~\":1},\"id\":\"job-1\",\"tags\":[\"a\",\"b\"]}",
        ),
        (
            "$response.header.x-ms-request-id",
            "no header `x-ms-request-id`",
        ),
        ("$statusCode.x", "`$statusCode` takes nothing after it"),
        ("$resposne.body", "not a runtime expression Arazzo defines"),
        (
            "$sourceDescriptions.other.url",
            "no source description is named `other`",
        ),
    ];
    for (expression, why) in cases {
        assert_eq!(
            eval(expression),
            Err(Unresolved {
                expression: expression.to_owned(),
                why: why.to_owned()
            }),
            "{expression}"
        );
    }
}

#[test]
fn values_templates_and_constants() {
    let w = world();
    let scope = Scope {
        inputs: &w.inputs,
        outputs: &w.outputs,
        steps: &w.steps,
        workflows: &w.workflows,
        sources: &w.sources,
        components: &w.components,
        exchange: None,
    };
    let written = json!({
        "id": "$steps.createJob.outputs.jobId",
        "label": "job-{$inputs.runId}-{$steps.createJob.outputs.a.b}",
        "price": "$0.99",
        "list": [1, "$inputs.runId"],
    });
    assert_eq!(
        value(&written, &scope),
        Ok(json!({"id": "job-1", "label": "job-r1-7", "price": "$0.99", "list": [1, "r1"]}))
    );
    assert_eq!(
        evaluate("$statusCode", &scope).map_err(|e| e.to_string()),
        Err(
            "`$statusCode`: only a step's own outputs and criteria can read its request and answer"
                .to_owned()
        )
    );
    assert_eq!(
        template("a {$inputs.runId", &scope).map_err(|e| e.why),
        Err("a `{$` without its closing `}`".to_owned())
    );
}
