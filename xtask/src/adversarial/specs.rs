//! The adversarial corpus, made by code so it is deterministic and small in
//! the repository: each function returns specs named by what they attack.
//! Large documents exist only in the directory they are written to.

use serde_json::{Map, Value, json};

/// One hostile document: its file name (the extension says YAML or JSON)
/// and its bytes (not always UTF-8).
pub struct Spec {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every spec of the corpus.
pub fn all() -> Vec<Spec> {
    let mut specs = Vec::new();
    specs.extend(hostile_names());
    specs.extend(hostile_text());
    specs.extend(cycles());
    specs.extend(diamonds_and_chains());
    specs.extend(deep_nesting());
    specs.extend(odd_documents());
    specs.extend(huge_documents());
    specs
}

/// Text every generated file must carry safely: line breaks, quotes,
/// backslashes, comment ends, attributes, code fences, control characters.
const HOSTILE_TEXT: &str = "line one\nline two \"quoted\" 'single' \\back\\slash\\ */ /* #[doc = \"x\"] #![deny(warnings)] \
    ```rust\nfn main() { panic!() }\n``` <b>html</b> [link](javascript:x) \u{7}\u{1b}[31m \r\n\t\
    ${x} {{y}} @CRATE_NAME@ \u{202e}reversed \u{2028}sep [dependencies]\nevil = \"1\"\n\\";

// ----- building blocks -----

fn yaml(name: &str, document: &Value) -> Spec {
    // serde_yaml writes any `Value` (every key is a string); JSON is YAML
    // too, should it ever not.
    let text = serde_yaml::to_string(document).unwrap_or_else(|_| document.to_string());
    Spec {
        name: format!("{name}.yaml"),
        bytes: text.into_bytes(),
    }
}

fn json(name: &str, document: &Value) -> Spec {
    Spec {
        name: format!("{name}.json"),
        bytes: document.to_string().into_bytes(),
    }
}

fn raw(name: &str, text: impl Into<Vec<u8>>) -> Spec {
    Spec {
        name: name.to_owned(),
        bytes: text.into(),
    }
}

fn openapi3(title: &str, paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

fn swagger2(title: &str, paths: Value, definitions: Value) -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": title, "version": "1.0.0"},
        "host": "example.com",
        "basePath": "/",
        "schemes": ["https"],
        "produces": ["application/json"],
        "consumes": ["application/json"],
        "paths": paths,
        "definitions": definitions,
    })
}

/// A JSON pointer segment (RFC 6901).
fn escaped(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", escaped(name))})
}

fn definition_ref(name: &str) -> Value {
    json!({"$ref": format!("#/definitions/{}", escaped(name))})
}

fn ok_json(schema: Value) -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

/// A GET operation returning `schema`.
fn get(operation_id: &str, schema: Value) -> Value {
    json!({"get": {"operationId": operation_id, "responses": ok_json(schema)}})
}

/// Paths `/op0`, `/op1`, ... with one GET per operation id.
fn operations(ids: &[&str]) -> Value {
    let paths: Map<String, Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("/op{i}"), get(id, json!({"type": "string"}))))
        .collect();
    Value::Object(paths)
}

/// One operation returning the first schema, so the rest are reached too.
fn returning(name: &str) -> Value {
    json!({"/root": get("getRoot", schema_ref(name))})
}

/// An object schema with one string property per name.
fn object_with(names: &[&str]) -> Value {
    let properties: Map<String, Value> = names
        .iter()
        .map(|name| ((*name).to_owned(), json!({"type": "string"})))
        .collect();
    json!({"type": "object", "properties": properties})
}

fn schemas(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(entries.into_iter().collect())
}

// ----- hostile names -----

const DIGIT_NAMES: &[&str] = &["123abc", "9", "0", "1-2-3", "42_answer", "007"];
const KEYWORD_NAMES: &[&str] = &[
    "self", "Self", "crate", "super", "type", "fn", "async", "await", "dyn", "match", "mod",
    "r#type", "try", "gen", "union", "static", "new", "default", "decode", "dispatch", "client",
    "Client", "Call", "Service", "Error", "Result", "Ok", "Err", "None", "Some", "Box", "Vec",
    "String", "Option", "Default", "Send", "serde", "std", "core",
];
const UNICODE_NAMES: &[&str] = &[
    "日本語",
    "café",
    "naïve_ß",
    "🚀launch",
    "launch🚀",
    "Ωmega",
    "İstanbul",
    "\u{200b}zero_width",
    "ǅungla",
    "ⅷ",
    "٣",
];
const PUNCTUATION_NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "-",
    "..",
    "a b c",
    "a::b",
    "<T>",
    "r#",
    "\"quoted\"",
    "back\\slash",
    "new\nline",
    "end*/",
    "/*start",
    "#[attr]",
    "}{",
    "a/b~c",
    "$ref",
];
const COLLIDING_NAMES: &[&str] = &[
    "getItem",
    "get_item",
    "GetItem",
    "get-item",
    "GET_ITEM",
    "get item",
    "getItem_",
    "get__item",
];

fn long_names() -> Vec<String> {
    vec![
        "a".repeat(2000),
        format!("{}B", "A".repeat(2000)),
        "x_".repeat(500),
    ]
}

fn hostile_names() -> Vec<Spec> {
    let long = long_names();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let groups: [(&str, &[&str]); 6] = [
        ("digits", DIGIT_NAMES),
        ("keywords", KEYWORD_NAMES),
        ("unicode", UNICODE_NAMES),
        ("punctuation", PUNCTUATION_NAMES),
        ("colliding", COLLIDING_NAMES),
        ("long", &long),
    ];
    let mut specs = Vec::new();
    for (group, names) in groups {
        specs.push(yaml(
            &format!("names-operation-ids-{group}"),
            &openapi3("operation ids", operations(names), json!({})),
        ));
        // Every schema reached from one root, whose properties use the
        // same names.
        let mut entries = vec![(
            "Root".to_owned(),
            json!({"type": "object", "properties": names.iter().map(|name| ((*name).to_owned(), schema_ref(name))).collect::<Map<_, _>>()}),
        )];
        entries.extend(
            names
                .iter()
                .map(|name| ((*name).to_owned(), object_with(&["value"]))),
        );
        specs.push(yaml(
            &format!("names-schemas-{group}"),
            &openapi3("schema names", returning("Root"), schemas(entries)),
        ));
        specs.push(yaml(
            &format!("names-properties-{group}"),
            &openapi3(
                "property names",
                returning("Thing"),
                json!({"Thing": {"type": "object", "required": names, "properties": object_with(names)["properties"]}}),
            ),
        ));
        specs.push(json(
            &format!("names-enums-{group}"),
            &openapi3(
                "enum values",
                returning("Choice"),
                json!({"Choice": {"type": "string", "enum": names}}),
            ),
        ));
        specs.push(yaml(
            &format!("names-parameters-{group}"),
            &openapi3("parameter names", parameters(names), json!({})),
        ));
        specs.push(json(
            &format!("swagger-names-{group}"),
            &swagger_names(names),
        ));
    }
    specs.push(yaml(
        "names-operation-ids-duplicate",
        &openapi3(
            "duplicates",
            operations(&["same", "same", "Same"]),
            json!({}),
        ),
    ));
    specs.push(yaml(
        "names-operation-ids-missing",
        &openapi3(
            "no operation ids",
            json!({
                "/": {"get": {"responses": ok_json(json!({"type": "string"}))}},
                "/a-b": {"get": {"responses": ok_json(json!({"type": "string"}))}},
                "/a_b": {"get": {"responses": ok_json(json!({"type": "string"}))}},
                "/日本": {"post": {"responses": ok_json(json!({"type": "string"}))}},
                "/{id}": {"delete": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"204": {"description": "gone"}}}},
            }),
            json!({}),
        ),
    ));
    specs.push(yaml(
        "names-derived-collisions",
        &openapi3(
            "names the generator derives",
            json!({"/a": {"post": {"operationId": "create", "requestBody": {"content": {"application/json": {"schema": schema_ref("CreateInput")}}}, "responses": {"200": {"description": "ok", "headers": {"etag": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": schema_ref("CreateResponse")}}}, "201": {"description": "made", "content": {"application/json": {"schema": schema_ref("CreateSuccess")}}}}}}}),
            json!({
                "CreateInput": object_with(&["a"]),
                "CreateResponse": object_with(&["b"]),
                "CreateSuccess": object_with(&["c"]),
                "CreateParams": object_with(&["d"]),
                "Create": object_with(&["e"]),
            }),
        ),
    ));
    specs.push(yaml(
        "names-enums-other-types",
        &openapi3(
            "enums of other types",
            returning("Holder"),
            json!({
                "Holder": {"type": "object", "properties": {
                    "ints": {"type": "integer", "enum": [1, 2, -3, 9_223_372_036_854_775_807_i64]},
                    "mixed": {"enum": [1, "1", true, null]},
                    "nullable": {"type": "string", "nullable": true, "enum": ["a", null]},
                    "bools": {"type": "boolean", "enum": [true, false]},
                    "floats": {"type": "number", "enum": [1.5, -0.0, 1e300]},
                    "empty": {"type": "string", "enum": []},
                    "duplicates": {"type": "string", "enum": ["a", "a", "A"]},
                    "objects": {"type": "object", "enum": [{"a": 1}]},
                }},
            }),
        ),
    ));
    specs
}

/// Operations whose parameters use `names`: in the path, the query, a
/// header and a cookie, next to a body.
fn parameters(names: &[&str]) -> Value {
    let path_names: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !name.is_empty() && !name.contains(['/', '{', '}', '?', '#']))
        .collect();
    let template: String = path_names
        .iter()
        .map(|name| format!("/{{{name}}}"))
        .collect();
    let param = |name: &str, place: &str| json!({"name": name, "in": place, "required": place == "path", "schema": {"type": "string"}});
    let path_params: Vec<Value> = path_names.iter().map(|name| param(name, "path")).collect();
    let mut mixed = Vec::new();
    for place in ["query", "header", "cookie"] {
        mixed.extend(names.iter().map(|name| param(name, place)));
    }
    json!({
        format!("/p{template}"): {"get": {"operationId": "inPath", "parameters": path_params, "responses": ok_json(json!({"type": "string"}))}},
        "/q": {"post": {
            "operationId": "everywhere",
            "parameters": mixed,
            "requestBody": {"required": true, "content": {"application/json": {"schema": object_with(names)}}},
            "responses": ok_json(json!({"type": "string"})),
        }},
        "/body": {"put": {
            "operationId": "bodyNamed",
            "parameters": [param("body", "query"), param("options", "query"), param("params", "query"), param("client", "query"), param("request", "query")],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "string"}}}},
            "responses": ok_json(json!({"type": "string"})),
        }},
    })
}

/// A Swagger 2.0 document with `names` as operation ids, definitions,
/// properties and parameters.
fn swagger_names(names: &[&str]) -> Value {
    let paths: Map<String, Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                format!("/op{i}"),
                json!({"post": {
                    "operationId": name,
                    "parameters": [
                        {"name": name, "in": "query", "type": "string"},
                        {"name": "body", "in": "body", "schema": definition_ref(name)},
                    ],
                    "responses": {"200": {"description": "ok", "schema": definition_ref(name)}},
                }}),
            )
        })
        .collect();
    let definitions: Map<String, Value> = names
        .iter()
        .map(|name| ((*name).to_owned(), object_with(names)))
        .collect();
    swagger2(
        "swagger names",
        Value::Object(paths),
        Value::Object(definitions),
    )
}

// ----- hostile text -----

fn hostile_text() -> Vec<Spec> {
    let t = HOSTILE_TEXT;
    let everywhere = json!({
        "openapi": "3.0.3",
        "info": {
            "title": t, "version": t, "description": t,
            "contact": {"name": t, "url": t, "email": t},
            "license": {"name": t, "url": t},
            "termsOfService": t,
        },
        "servers": [{"url": "https://example.com/{v}", "description": t, "variables": {"v": {"default": t, "description": t}}}],
        "tags": [{"name": t, "description": t}],
        "externalDocs": {"url": t, "description": t},
        "paths": {"/things/{id}": {
            "summary": t, "description": t,
            "post": {
                "operationId": "postThing", "summary": t, "description": t, "tags": [t],
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "description": t, "example": t, "schema": {"type": "string", "default": t, "pattern": t}},
                    {"name": "q", "in": "query", "description": t, "schema": {"type": "string", "default": t, "enum": [t, "plain"]}},
                ],
                "requestBody": {"description": t, "content": {"application/json": {"schema": schema_ref("Thing"), "example": {"name": t}}}},
                "responses": {
                    "200": {"description": t, "headers": {"x-note": {"description": t, "schema": {"type": "string"}}}, "content": {"application/json": {"schema": schema_ref("Thing"), "examples": {"one": {"summary": t, "value": {"name": t}}}}}},
                    "default": {"description": t, "content": {"application/json": {"schema": schema_ref("Problem")}}},
                },
            },
        }},
        "components": {"schemas": {
            "Thing": {"title": t, "description": t, "type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "description": t, "default": t, "example": t, "format": t, "pattern": t},
                "count": {"type": "integer", "description": t, "default": 3, "minimum": 0},
                "tags": {"type": "array", "description": t, "items": {"type": "string", "description": t}, "default": [t]},
                "meta": {"type": "object", "description": t, "additionalProperties": {"type": "string"}, "default": {"k": t}},
                "kind": {"type": "string", "enum": ["a", "b"], "description": t, "default": "a"},
            }},
            "Problem": {"description": t, "type": "object", "properties": {"message": {"type": "string", "description": t}}},
            "Alias": {"description": t, "type": "string"},
        }},
    });
    let title_only = |title: &str, version: &str| json!({"openapi": "3.0.3", "info": {"title": title, "version": version}, "paths": {"/a": get("getA", json!({"type": "string"}))}});
    let swagger = json!({
        "swagger": "2.0",
        "info": {"title": t, "version": t, "description": t},
        "host": "evil\"host\\\n.example.com",
        "basePath": "/a b\"/\\",
        "schemes": ["https"],
        "x-ms-parameterized-host": {"hostTemplate": "{endpoint}\"\n", "useSchemePrefix": false, "parameters": [{"name": "endpoint", "in": "path", "required": true, "type": "string", "description": t, "x-ms-skip-url-encoding": true}]},
        "paths": {"/things": {"get": {"operationId": "getThings", "description": t, "produces": ["application/json"],
            "parameters": [{"name": "q", "in": "query", "type": "string", "description": t, "default": t}],
            "responses": {"200": {"description": t, "schema": definition_ref("Thing")}}}}},
        "definitions": {"Thing": {"description": t, "type": "object", "properties": {"name": {"type": "string", "description": t, "default": t}}}},
    });
    let mut control = String::from(
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"nul\\u0000 esc\\u001b bell\\u0007 del\\u007f ls\\u2028 ps\\u2029 bom\\ufeff\", \"version\": \"\\u0000\"},",
    );
    control.push_str(
        "\"paths\": {\"/a\": {\"get\": {\"operationId\": \"getA\", \"description\": \"\\u0000\\u0001\\r\\u000b\\u000c*/\", \"responses\": {\"200\": {\"description\": \"\\u0000\"}}}}}}",
    );
    vec![
        yaml("text-everywhere", &everywhere),
        json("text-everywhere", &everywhere),
        yaml(
            "text-cargo-toml-injection",
            &title_only(
                "x\"\ndescription = \"injected\"\n[dependencies]\nevil = { path = \"/\" }\n#",
                "1.0\"\n[lib]\npath = \"/etc/passwd\"",
            ),
        ),
        yaml("text-empty-title", &title_only("", "")),
        yaml(
            "text-long-title",
            &title_only(&"long title ".repeat(10_000), &"9".repeat(1000)),
        ),
        json("swagger-text-everywhere", &swagger),
        raw("text-control-characters.json", control),
        raw(
            "text-lone-surrogate.json",
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"\\ud800\", \"version\": \"1\"}, \"paths\": {}}",
        ),
        raw(
            "text-bom-crlf.yaml",
            "\u{feff}openapi: 3.0.3\r\ninfo:\r\n  title: \"bom\\r\\n\"\r\n  version: '1'\r\npaths:\r\n  /a:\r\n    get:\r\n      operationId: getA\r\n      responses:\r\n        '200':\r\n          description: ok\r\n",
        ),
        raw(
            "text-invalid-utf8.yaml",
            b"openapi: 3.0.3\ninfo:\n  title: \"\xff\xfe bad\"\n  version: '1'\npaths: {}\n"
                .to_vec(),
        ),
    ]
}

// ----- cycles -----

fn cycles() -> Vec<Spec> {
    let alias = |to: &str| schema_ref(to);
    let ring: Vec<(String, Value)> = (0..50)
        .map(|i| (format!("R{i}"), alias(&format!("R{}", (i + 1) % 50))))
        .collect();
    let parameter_ref = |name: &str| json!({"$ref": format!("#/components/parameters/{name}")});
    let response_ref = |name: &str| json!({"$ref": format!("#/components/responses/{name}")});
    let body_ref = |name: &str| json!({"$ref": format!("#/components/requestBodies/{name}")});
    let mut specs = vec![
        yaml(
            "cycle-alias-self",
            &openapi3("cycle", returning("A"), json!({"A": alias("A")})),
        ),
        yaml(
            "cycle-alias-pair",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": alias("B"), "B": alias("A")}),
            ),
        ),
        yaml(
            "cycle-alias-ring-50",
            &openapi3("cycle", returning("R0"), schemas(ring)),
        ),
        yaml(
            "cycle-allof-self",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"allOf": [alias("A")]}}),
            ),
        ),
        yaml(
            "cycle-allof-pair",
            &openapi3(
                "cycle",
                returning("A"),
                json!({
                    "A": {"allOf": [alias("B"), object_with(&["a"])]},
                    "B": {"allOf": [alias("A"), object_with(&["b"])]},
                }),
            ),
        ),
        yaml(
            "cycle-array-self",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"type": "array", "items": alias("A")}}),
            ),
        ),
        yaml(
            "cycle-array-pair",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"type": "array", "items": alias("B")}, "B": {"type": "array", "items": alias("A")}}),
            ),
        ),
        yaml(
            "cycle-map-self",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"type": "object", "additionalProperties": alias("A")}}),
            ),
        ),
        yaml(
            "cycle-map-array-pair",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"type": "object", "additionalProperties": alias("B")}, "B": {"type": "array", "items": alias("A")}}),
            ),
        ),
        yaml(
            "cycle-oneof-self",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"oneOf": [alias("A"), {"type": "string"}]}, "B": {"anyOf": [alias("B")]}}),
            ),
        ),
        yaml(
            "cycle-nullable-self",
            &openapi3(
                "cycle",
                returning("A"),
                json!({"A": {"nullable": true, "allOf": [alias("A")]}}),
            ),
        ),
        // Recursion through properties is legitimate and must build.
        yaml(
            "cycle-through-properties",
            &openapi3(
                "recursion",
                returning("Node"),
                json!({
                    "Node": {"type": "object", "required": ["self"], "properties": {
                        "self": alias("Node"),
                        "children": {"type": "array", "items": alias("Node")},
                        "byName": {"type": "object", "additionalProperties": alias("Node")},
                        "other": alias("Other"),
                        "either": {"oneOf": [alias("Node"), alias("Other")]},
                    }},
                    "Other": {"type": "object", "properties": {"back": alias("Node"), "list": alias("NodeList")}},
                    "NodeList": {"type": "array", "items": alias("Node")},
                }),
            ),
        ),
        yaml(
            "cycle-parameter-ref",
            &json!({
                "openapi": "3.0.3", "info": {"title": "cycle", "version": "1"},
                "paths": {"/a": {"get": {"operationId": "getA", "parameters": [parameter_ref("P")], "responses": ok_json(json!({"type": "string"}))}}},
                "components": {"parameters": {"P": parameter_ref("Q"), "Q": parameter_ref("P")}},
            }),
        ),
        yaml(
            "cycle-response-ref",
            &json!({
                "openapi": "3.0.3", "info": {"title": "cycle", "version": "1"},
                "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": response_ref("R")}}}},
                "components": {"responses": {"R": response_ref("R")}},
            }),
        ),
        yaml(
            "cycle-request-body-ref",
            &json!({
                "openapi": "3.0.3", "info": {"title": "cycle", "version": "1"},
                "paths": {"/a": {"post": {"operationId": "postA", "requestBody": body_ref("B"), "responses": ok_json(json!({"type": "string"}))}}},
                "components": {"requestBodies": {"B": body_ref("C"), "C": body_ref("B")}},
            }),
        ),
    ];
    let swagger_root = |name: &str| json!({"/root": {"get": {"operationId": "getRoot", "responses": {"200": {"description": "ok", "schema": definition_ref(name)}}}}});
    specs.push(json(
        "swagger-cycle-alias",
        &swagger2(
            "cycle",
            swagger_root("A"),
            json!({"A": definition_ref("B"), "B": definition_ref("A"), "C": definition_ref("C")}),
        ),
    ));
    specs.push(json(
        "swagger-cycle-array-allof",
        &swagger2(
            "cycle",
            swagger_root("A"),
            json!({"A": {"type": "array", "items": definition_ref("A")}, "B": {"allOf": [definition_ref("B")]}}),
        ),
    ));
    specs
}

// ----- diamonds and long chains -----

/// `prefix0` .. `prefix{n-1}`, each made by `level(i, previous name)`.
fn chain(prefix: &str, n: usize, first: Value, level: impl Fn(usize, &str) -> Value) -> Value {
    let mut entries = vec![(format!("{prefix}0"), first)];
    for i in 1..n {
        entries.push((
            format!("{prefix}{i}"),
            level(i, &format!("{prefix}{}", i - 1)),
        ));
    }
    schemas(entries)
}

fn diamonds_and_chains() -> Vec<Spec> {
    let base = object_with(&["x"]);
    let diamond = |depth: usize, width: usize| {
        chain(
            "D",
            depth + 1,
            base.clone(),
            move |_, previous| json!({"allOf": vec![schema_ref(previous); width]}),
        )
    };
    let top = |prefix: &str, n: usize| returning(&format!("{prefix}{}", n - 1));
    vec![
        yaml(
            "diamond-allof-24",
            &openapi3("diamond", top("D", 25), diamond(24, 2)),
        ),
        yaml(
            "diamond-allof-wide-12",
            &openapi3("diamond", top("D", 13), diamond(12, 4)),
        ),
        yaml(
            "diamond-oneof-24",
            &openapi3(
                "diamond",
                top("D", 25),
                chain(
                    "D",
                    25,
                    base.clone(),
                    |_, previous| json!({"oneOf": [schema_ref(previous), schema_ref(previous)]}),
                ),
            ),
        ),
        yaml(
            "diamond-properties-24",
            &openapi3(
                "diamond",
                top("D", 25),
                chain(
                    "D",
                    25,
                    base.clone(),
                    |_, previous| json!({"type": "object", "properties": {"left": schema_ref(previous), "right": schema_ref(previous)}}),
                ),
            ),
        ),
        json(
            "swagger-diamond-allof-24",
            &swagger2(
                "diamond",
                json!({"/root": {"get": {"operationId": "getRoot", "responses": {"200": {"description": "ok", "schema": definition_ref("D24")}}}}}),
                {
                    let mut entries = vec![("D0".to_owned(), base.clone())];
                    for i in 1..25 {
                        let previous = format!("D{}", i - 1);
                        entries.push((format!("D{i}"), json!({"allOf": [definition_ref(&previous), definition_ref(&previous)]})));
                    }
                    schemas(entries)
                },
            ),
        ),
        yaml(
            "chain-allof-150",
            &openapi3(
                "allOf chain",
                top("C", 150),
                chain(
                    "C",
                    150,
                    base.clone(),
                    |i, previous| json!({"allOf": [schema_ref(previous), object_with(&[&format!("p{i}")])]}),
                ),
            ),
        ),
        yaml(
            "chain-allof-1000",
            &openapi3(
                "allOf chain",
                top("C", 1000),
                chain(
                    "C",
                    1000,
                    base.clone(),
                    |_, previous| json!({"allOf": [schema_ref(previous)]}),
                ),
            ),
        ),
        yaml(
            "chain-alias-10000",
            &openapi3(
                "alias chain",
                top("A", 10_000),
                chain("A", 10_000, json!({"type": "string"}), |_, previous| {
                    schema_ref(previous)
                }),
            ),
        ),
        yaml(
            "chain-array-alias-1000",
            &openapi3(
                "array chain",
                top("A", 1000),
                chain(
                    "A",
                    1000,
                    json!({"type": "string"}),
                    |_, previous| json!({"type": "array", "items": schema_ref(previous)}),
                ),
            ),
        ),
        // Each struct holds the next by value; 1,000 is past rustc's limits
        // yet cheap to check (10,000 takes minutes and 8 GB).
        yaml(
            "chain-property-1000",
            &openapi3(
                "property chain",
                top("S", 1000),
                chain(
                    "S",
                    1000,
                    base.clone(),
                    |_, previous| json!({"type": "object", "properties": {"next": schema_ref(previous)}}),
                ),
            ),
        ),
        json("chain-inline-objects-55", &inline_nesting(55, "object")),
        json("chain-inline-objects-100", &inline_nesting(100, "object")),
        json("chain-inline-arrays-110", &inline_nesting(110, "array")),
    ]
}

/// A response schema nested `depth` times inline (no `$ref`s).
fn inline_nesting(depth: usize, kind: &str) -> Value {
    let mut schema = json!({"type": "string"});
    for i in 0..depth {
        schema = if kind == "array" {
            json!({"type": "array", "items": schema})
        } else {
            json!({"type": "object", "properties": {format!("level{i}"): schema}})
        };
    }
    openapi3(
        "inline nesting",
        json!({"/deep": get("getDeep", schema)}),
        json!({}),
    )
}

// ----- deep nesting of the document itself -----

fn deep_nesting() -> Vec<Spec> {
    const DEEP: usize = 100_000;
    let yaml_head = "openapi: 3.0.3\ninfo: {title: deep, version: '1'}\npaths: {}\nx-deep: ";
    let json_head = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"deep\", \"version\": \"1\"}, \"paths\": {}, \"x-deep\": ";
    let sequences = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    let maps = format!("{}1{}", "{a: ".repeat(DEEP), "}".repeat(DEEP));
    let json_maps = format!("{}1{}", "{\"a\": ".repeat(DEEP), "}".repeat(DEEP));
    let mut block = String::from(yaml_head.trim_end_matches("x-deep: "));
    block.push_str("x-deep:\n");
    for i in 1..1000 {
        block.push_str(&" ".repeat(i));
        block.push_str("a:\n");
    }
    block.push_str(&" ".repeat(1000));
    block.push_str("b: 1\n");
    let mut bomb = String::from(yaml_head.trim_end_matches("x-deep: "));
    bomb.push_str("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("x-a{i}: &a{i} [{refs}]\n"));
    }
    vec![
        raw(
            "nesting-yaml-flow-sequences-100000.yaml",
            format!("{yaml_head}{sequences}\n"),
        ),
        raw(
            "nesting-yaml-flow-maps-100000.yaml",
            format!("{yaml_head}{maps}\n"),
        ),
        raw(
            "nesting-json-arrays-100000.json",
            format!("{json_head}{sequences}}}"),
        ),
        raw(
            "nesting-json-objects-100000.json",
            format!("{json_head}{json_maps}}}"),
        ),
        raw("nesting-yaml-block-1000.yaml", block),
        raw("nesting-yaml-alias-bomb.yaml", bomb),
    ]
}

// ----- documents that are odd rather than big -----

fn odd_documents() -> Vec<Spec> {
    let string = json!({"type": "string"});
    let path_param = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}});
    let templated = |paths: &[(&str, &[&str])]| {
        let map: Map<String, Value> = paths
            .iter()
            .enumerate()
            .map(|(i, (path, names))| {
                let params: Vec<Value> = names.iter().map(|name| path_param(name)).collect();
                (
                    (*path).to_owned(),
                    json!({"get": {"operationId": format!("op{i}"), "parameters": params, "responses": ok_json(json!({"type": "string"}))}}),
                )
            })
            .collect();
        openapi3("path templates", Value::Object(map), json!({}))
    };
    let document = |value: Value| value;
    vec![
        yaml(
            "paths-empty",
            &document(
                json!({"openapi": "3.0.3", "info": {"title": "empty", "version": "1"}, "paths": {}}),
            ),
        ),
        yaml(
            "paths-empty-with-schemas",
            &openapi3(
                "empty",
                json!({}),
                json!({"A": object_with(&["a"]), "B": {"type": "string", "enum": ["x"]}}),
            ),
        ),
        json(
            "swagger-paths-empty",
            &swagger2("empty", json!({}), json!({})),
        ),
        yaml(
            "paths-without-operations",
            &openapi3(
                "no operations",
                json!({"/a": {}, "/b/{id}": {"parameters": [path_param("id")]}}),
                json!({}),
            ),
        ),
        yaml(
            "paths-templates-adjacent",
            &templated(&[("/b/{x}{y}", &["x", "y"]), ("/c/{x}.{y}", &["x", "y"])]),
        ),
        yaml(
            "paths-templates-suffixes",
            &templated(&[
                ("/a/{id}.json", &["id"]),
                ("/a/{id}:close", &["id"]),
                ("/{id}", &["id"]),
            ]),
        ),
        yaml(
            "paths-templates-repeated",
            &templated(&[("/c/{id}/{id}", &["id"])]),
        ),
        yaml(
            "paths-templates-unclosed",
            &templated(&[("/a/{id", &["id"]), ("/b/id}", &[])]),
        ),
        yaml(
            "paths-templates-empty-name",
            &templated(&[("/a/{}", &[""])]),
        ),
        yaml(
            "paths-templates-colliding",
            &templated(&[("/a/{x}", &["x"]), ("/a/{y}", &["y"]), ("/a/b", &[])]),
        ),
        yaml(
            "paths-templates-odd-characters",
            &templated(&[
                ("/", &[]),
                ("//", &[]),
                ("/d//e", &[]),
                ("/日本/{名前}", &["名前"]),
                ("/h?x=1", &[]),
                ("/i#frag", &[]),
                ("/%7Bid%7D", &[]),
                ("no-slash", &[]),
                ("/sp ace/\"q\"/\\", &[]),
            ]),
        ),
        yaml(
            "paths-undeclared-parameter",
            &templated(&[("/a/{missing}", &[])]),
        ),
        yaml(
            "responses-odd",
            &openapi3(
                "responses",
                json!({
                    "/default-only": {"get": {"operationId": "defaultOnly", "responses": {"default": {"description": "any", "content": {"application/json": {"schema": string}}}}}},
                    "/ranges": {"get": {"operationId": "ranges", "responses": {"2XX": {"description": "ok", "content": {"application/json": {"schema": string}}}, "4XX": {"description": "no"}, "1XX": {"description": "info"}}}},
                    "/weird-status": {"get": {"operationId": "weirdStatus", "responses": {"999": {"description": "odd"}, "000": {"description": "zero"}, "200": {"description": "no content"}}}},
                    "/media": {"post": {"operationId": "media", "requestBody": {"content": {"*/*": {"schema": string}, "": {"schema": string}, "application/json; charset=utf-8": {"schema": string}, "application/vnd.x+json": {"schema": string}}}, "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": string}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}, "application/xml": {"schema": string}}}}}},
                    "/no-responses": {"get": {"operationId": "noResponses", "responses": {}}},
                }),
                json!({}),
            ),
        ),
        yaml(
            "numbers-out-of-range",
            &openapi3(
                "numbers",
                returning("N"),
                json!({"N": {"type": "object", "properties": {
                    "big": {"type": "integer", "default": 18_446_744_073_709_551_615_u64, "maximum": 1e20, "minimum": -1e20},
                    "int32": {"type": "integer", "format": "int32", "default": 30_000_000_000_i64, "enum": [4_294_967_296_i64]},
                    "fraction": {"type": "integer", "format": "int64", "default": 1.5, "multipleOf": 0},
                    "huge": {"type": "number", "default": 1e308, "maximum": -1e308, "exclusiveMinimum": true},
                    "wrongType": {"type": "integer", "default": "abc", "example": {"a": 1}},
                    "string": {"type": "string", "default": 12, "maxLength": 0, "minLength": 18_446_744_073_709_551_615_u64},
                }}}),
            ),
        ),
        raw(
            "numbers-infinite.yaml",
            "openapi: 3.0.3\ninfo: {title: numbers, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: number\n                default: .inf\n                minimum: -.inf\n                maximum: .nan\n                multipleOf: 1e400\n",
        ),
        raw(
            "numbers-beyond-f64.json",
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"n\", \"version\": \"1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"N\": {\"type\": \"number\", \"default\": 1e400, \"maximum\": 123456789012345678901234567890}}}}",
        ),
        raw(
            "numbers-negative-lengths.yaml",
            "openapi: 3.0.3\ninfo: {title: n, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: string, minLength: -1, maxLength: -5}\n",
        ),
        raw(
            "yaml-duplicate-keys.yaml",
            "openapi: 3.0.3\ninfo: {title: dup, version: '1'}\npaths: {}\npaths: {/a: {}}\n",
        ),
        raw(
            "yaml-tags-and-anchors.yaml",
            "openapi: !!str 3.0.3\ninfo: &info {title: !custom tagged, version: '1'}\nx-info: *info\npaths:\n  /a:\n    get: &op\n      operationId: getA\n      responses: {'200': {description: ok}}\n  /b:\n    get: *op\n",
        ),
        yaml(
            "refs-to-root",
            &openapi3("refs", returning("A"), json!({"A": {"$ref": "#"}})),
        ),
        yaml(
            "refs-to-paths",
            &openapi3("refs", returning("A"), json!({"A": {"$ref": "#/paths"}})),
        ),
        yaml(
            "refs-empty",
            &openapi3("refs", returning("A"), json!({"A": {"$ref": ""}})),
        ),
        yaml(
            "refs-external-file",
            &openapi3(
                "refs",
                returning("A"),
                json!({"A": {"$ref": "other.yaml#/A"}}),
            ),
        ),
        yaml(
            "refs-external-url",
            &openapi3(
                "refs",
                returning("A"),
                json!({"A": {"$ref": "https://example.com/x.json#/A"}}),
            ),
        ),
        yaml(
            "refs-escaped-names",
            &openapi3(
                "refs",
                returning("a/b~c"),
                json!({"a/b~c": {"type": "object", "properties": {"next": schema_ref("~0~1")}}, "~0~1": object_with(&["x"])}),
            ),
        ),
        yaml(
            "refs-percent-encoded",
            &openapi3(
                "refs",
                returning("A"),
                json!({"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/a%20b"}}}, "a b": object_with(&["x"])}),
            ),
        ),
        yaml(
            "refs-into-a-property",
            &openapi3(
                "refs",
                returning("A"),
                json!({"A": {"$ref": "#/components/schemas/B/properties/inner"}, "B": {"type": "object", "properties": {"inner": object_with(&["x"])}}}),
            ),
        ),
        yaml(
            "refs-to-a-non-schema",
            &openapi3("refs", returning("A"), json!({"A": {"$ref": "#/info"}})),
        ),
        yaml(
            "refs-with-siblings",
            &openapi3(
                "refs",
                returning("A"),
                json!({"A": {"$ref": "#/components/schemas/B", "type": "integer", "description": "ignored"}, "B": object_with(&["x"])}),
            ),
        ),
        yaml(
            "discriminator-hostile",
            &openapi3(
                "discriminator",
                returning("Pet"),
                json!({
                    "Pet": {"oneOf": [schema_ref("Cat"), schema_ref("Dog")], "discriminator": {"propertyName": "self", "mapping": {"self": "#/components/schemas/Cat", "": "#/components/schemas/Dog", "x": "#/components/schemas/Missing"}}},
                    "Cat": {"type": "object", "properties": {"self": {"type": "integer"}}},
                    "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
                    "Lonely": {"type": "object", "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"type": "string"}}},
                }),
            ),
        ),
    ]
}

// ----- huge documents -----

/// About `bytes` of operations, each with its own request and response
/// schema.
fn many_operations(bytes: usize) -> Value {
    let mut paths = Map::new();
    let mut entries = Map::new();
    let mut size = 0;
    let mut i = 0;
    while size < bytes {
        let operation = json!({
            "post": {
                "operationId": format!("operation{i}"),
                "description": format!("Operation number {i}, described at some length so the document grows like a real one."),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "filter", "in": "query", "schema": {"type": "string"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": schema_ref(&format!("Input{i}"))}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema_ref(&format!("Output{i}"))}}}, "default": {"description": "error", "content": {"application/json": {"schema": schema_ref("Problem")}}}},
            }
        });
        let input = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "description": "The name."}, "count": {"type": "integer", "format": "int32"}, "tags": {"type": "array", "items": {"type": "string"}}}});
        let output = json!({"allOf": [schema_ref(&format!("Input{i}")), {"type": "object", "properties": {"id": {"type": "string"}, "created": {"type": "string", "format": "date-time"}}}]});
        size +=
            operation.to_string().len() + input.to_string().len() + output.to_string().len() + 40;
        paths.insert(format!("/things{i}/{{id}}"), operation);
        entries.insert(format!("Input{i}"), input);
        entries.insert(format!("Output{i}"), output);
        i += 1;
    }
    entries.insert("Problem".to_owned(), object_with(&["message"]));
    openapi3("huge", Value::Object(paths), Value::Object(entries))
}

fn huge_documents() -> Vec<Spec> {
    const MEGABYTE: usize = 1 << 20;
    let long_text = "All work and no play makes a long description. ".repeat(MEGABYTE / 48);
    let text_heavy = json!({
        "openapi": "3.0.3",
        "info": {"title": "long text", "version": "1", "description": long_text},
        "paths": {"/a": {"get": {"operationId": "getA", "description": long_text, "responses": ok_json(schema_ref("A"))}}},
        "components": {"schemas": {"A": {"type": "object", "description": long_text, "properties": {"a": {"type": "string", "default": long_text}}}}},
    });
    vec![
        // One such crate is all the build can afford: it is ~90,000 lines.
        yaml("huge-operations-1mb", &many_operations(MEGABYTE)),
        json("huge-text-4mb", &text_heavy),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_documents_are_made_as_named() {
        let specs = all();
        let mut names: Vec<&str> = specs.iter().map(|spec| spec.name.as_str()).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "duplicate spec names");
        let huge = specs
            .iter()
            .find(|spec| spec.name == "huge-operations-1mb.yaml")
            .expect("huge spec");
        assert!(huge.bytes.len() >= 1 << 20, "{}", huge.bytes.len());
        let diamond = specs
            .iter()
            .find(|spec| spec.name == "diamond-allof-24.yaml")
            .expect("diamond spec");
        let text = String::from_utf8_lossy(&diamond.bytes);
        assert!(text.contains("D24:"), "{text}");
    }
}
