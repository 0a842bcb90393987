//! Hostile documents through the real `generate`: names that are not Rust,
//! loops, deep nesting and shapes that cost too much. Each either gives a
//! crate (whose code is checked here for what would not compile) or is
//! refused with its place; none panics. `xtask/tests/codegen_cli.rs`
//! compiles the crates of the same kinds of documents.

use generator::{Config, CrateFiles, Error};

/// Generates from `text` written to a file named `name`.
fn generate(name: &str, text: &str) -> Result<CrateFiles, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join(name);
    std::fs::write(&spec, text).expect("write spec");
    let config = Config {
        spec_label: name.to_owned(),
        crate_name: "hostile_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    generator::generate(&spec, &config)
}

/// Why generating from `text` was refused.
fn refused(name: &str, text: &str) -> String {
    match generate(name, text) {
        Ok(_) => panic!("{name} was not refused"),
        Err(error) => error.to_string(),
    }
}

fn file<'a>(files: &'a CrateFiles, path: &str) -> &'a str {
    files
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("no {path}"))
}

fn openapi(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:{paths}\ncomponents:\n  schemas:{schemas}\n"
    )
}

fn get(id: &str) -> String {
    format!("\n    get:\n      operationId: {id}\n      responses: {{'200': {{description: ok}}}}")
}

#[test]
fn operation_ids_that_are_not_rust_names_become_identifiers() {
    let paths: String = ["123abc", "'9'", "self", "Self", "new", "endpoint"]
        .iter()
        .enumerate()
        .map(|(i, id)| format!("\n  /p{i}:{}", get(id)))
        .collect();
    let files = generate("ids.yaml", &openapi(&paths, " {}")).expect("generates");
    let client = file(&files, "src/client.rs");
    for method in [
        "fn _123abc(",
        "fn _9(",
        "fn self_(",
        "fn self_2(",
        "fn new_2(",
        "fn endpoint_2(",
    ] {
        assert!(client.contains(method), "{method} in {client}");
    }
    let server = file(&files, "src/server.rs");
    for name in [
        "T123abcInput",
        "fn decode_123abc(",
        "T9(",
        "SelfType(",
        "Self2Input",
    ] {
        assert!(server.contains(name), "{name} in {server}");
    }
}

#[test]
fn a_pageable_operation_s_helpers_do_not_collide_with_other_methods() {
    let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
      "paths": {
        "/a": {"get": {"operationId": "list_pages", "responses": {"200": {"description": "ok"}}}},
        "/b": {"get": {"operationId": "list", "x-ms-pageable": {"nextLinkName": "nextLink"},
          "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"value": {"type": "array", "items": {"type": "string"}},
            "nextLink": {"type": "string"}}}}}}}}}
      }}"#;
    let files = generate("pages.json", spec).expect("generates");
    let client = file(&files, "src/client.rs");
    assert!(client.contains("fn list_pages("), "{client}");
    assert!(client.contains("fn list_2("), "{client}");
    assert!(client.contains("fn list_2_pages("), "{client}");
}

#[test]
fn a_document_without_operations_matches_its_empty_call_by_value() {
    let files = generate("empty.yaml", &openapi(" {}", " {}")).expect("generates");
    let server = file(&files, "src/server.rs");
    assert!(server.contains("match *self {}"), "{server}");
    assert!(
        server.contains("pub fn decode(_request: &HttpRequest<'_>)"),
        "{server}"
    );
}

#[test]
fn text_from_the_spec_is_escaped_where_it_is_written() {
    let spec = "openapi: 3.0.3\ninfo:\n  title: \"a\\nname = \\\"x\\\"\\r\\u202e\"\n  version: '1'\n  description: \"b\\rc\"\npaths: {}\n";
    let files = generate("text.yaml", spec).expect("generates");
    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains("description = \"Typed async client for a name = \\\"x\\\" \u{202e}\"\n"),
        "{manifest}"
    );
    let lib = file(&files, "src/lib.rs");
    assert!(lib.contains("//! name = \"x\"\\u{d}\\u{202e}\n"), "{lib}");
    assert!(lib.contains("//! b\\u{d}c\n"), "{lib}");
}

#[test]
fn references_that_loop_give_types_that_compile_or_a_warned_fallback() {
    let schemas = "
    A: {$ref: '#/components/schemas/A'}
    B: {type: array, items: {$ref: '#/components/schemas/B'}}
    C: {$ref: '#/components/schemas/D'}
    D: {$ref: '#/components/schemas/C'}
    E: {type: object, properties: {e: {$ref: '#/components/schemas/E'}}, required: [e]}
    F: {allOf: [{$ref: '#/components/schemas/G'}]}
    G: {allOf: [{$ref: '#/components/schemas/F'}]}
    H: {type: array, items: {$ref: '#/components/schemas/I'}}
    I: {type: array, items: {$ref: '#/components/schemas/H'}}";
    let files = generate("loops.yaml", &openapi(" {}", schemas)).expect("generates");
    let models = file(&files, "src/models.rs");
    for line in [
        "pub type A = serde_json::Value;",
        "pub struct B(pub Vec<B>);",
        "pub type C = serde_json::Value;",
        "pub type D = serde_json::Value;",
        "pub e: Box<E>,",
        "pub type F = serde_json::Value;",
        "pub type H = Vec<I>;",
        "pub struct I(pub Vec<H>);",
    ] {
        assert!(models.contains(line), "{line} in {models}");
    }
    let warned: Vec<&str> = files
        .warnings()
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        [
            "/components/schemas/A",
            "/components/schemas/C",
            "/components/schemas/D",
            "/components/schemas/F",
            "/components/schemas/G"
        ]
    );
}

/// `S0 = $ref S1`, ..., the last a string: `count` schemas.
fn alias_chain(count: usize, link: impl Fn(usize) -> String) -> String {
    let schemas: String = (0..count)
        .map(|i| format!("\n    S{i}: {}", link(i)))
        .collect();
    openapi(" {}", &schemas)
}

#[test]
fn a_long_chain_of_aliases_names_the_final_type_directly() {
    let spec = alias_chain(10_000, |i| {
        if i == 9_999 {
            "{type: string}".to_owned()
        } else {
            format!("{{$ref: '#/components/schemas/S{}'}}", i + 1)
        }
    });
    let files = generate("chain.yaml", &spec).expect("generates");
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub type S0 = String;"), "{models}");
    assert_eq!(models.matches("= String;").count(), 10_000);
}

#[test]
fn a_long_chain_of_listed_aliases_is_cut_by_newtypes() {
    let spec = alias_chain(10_000, |i| {
        if i == 9_999 {
            "{type: string}".to_owned()
        } else {
            format!(
                "{{type: array, items: {{$ref: '#/components/schemas/S{}'}}}}",
                i + 1
            )
        }
    });
    let files = generate("lists.yaml", &spec).expect("generates");
    let models = file(&files, "src/models.rs");
    // rustc expands at most 32 aliases before it meets a struct.
    let newtypes = models.matches("#[serde(transparent)]").count();
    assert!((290..=310).contains(&newtypes), "{newtypes}");
    assert!(models.contains("pub type S9998 = Vec<S9999>;"), "{models}");
}

#[test]
fn deeply_nested_types_raise_rustc_s_recursion_limit() {
    let spec = alias_chain(301, |i| {
        if i == 300 {
            "{type: string}".to_owned()
        } else {
            format!(
                "{{type: object, properties: {{n: {{$ref: '#/components/schemas/S{}'}}}}}}",
                i + 1
            )
        }
    });
    let files = generate("nested.yaml", &spec).expect("generates");
    let lib = file(&files, "src/lib.rs");
    // 300 structs and the string alias: 128 + 4 × 301.
    assert!(lib.contains("#![recursion_limit = \"1332\"]"), "{lib}");
}

/// `S0` an object, each `S<i>` `allOf` parts from `part(i)`, written
/// from the last to the first so each merge recurses down the chain.
fn all_of_chain(count: usize, part: impl Fn(usize) -> String) -> String {
    let schemas: String = (1..=count)
        .rev()
        .map(|i| format!("\n    S{i}: {{allOf: [{}]}}", part(i)))
        .chain(std::iter::once(
            "\n    S0: {type: object, properties: {a: {type: string}}}".to_owned(),
        ))
        .collect();
    openapi(" {}", &schemas)
}

#[test]
fn all_of_diamonds_are_merged_once_per_schema() {
    // Each level names the one below twice: 2^40 merges without memory.
    let spec = all_of_chain(40, |i| {
        format!(
            "{{$ref: '#/components/schemas/S{0}'}}, {{$ref: '#/components/schemas/S{0}'}}",
            i - 1
        )
    });
    let files = generate("diamond.yaml", &spec).expect("generates");
    assert!(file(&files, "src/models.rs").contains("pub struct S40 {"));
}

fn extending_chain(count: usize) -> String {
    all_of_chain(count, |i| {
        format!(
            "{{$ref: '#/components/schemas/S{}'}}, {{properties: {{p{i}: {{type: string}}}}}}",
            i - 1
        )
    })
}

#[test]
fn a_deep_all_of_chain_is_merged_and_a_deeper_one_refused_for_its_depth() {
    let files = generate("chain.yaml", &extending_chain(200)).expect("generates");
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub p200: Option<String>,"), "{models}");

    let error = refused("deep.yaml", &extending_chain(300));
    assert!(
        error.contains("`allOf` parts nested more than 256 deep"),
        "{error}"
    );
}

#[test]
fn all_of_parts_that_include_themselves_are_named_as_such() {
    let schemas = "
    A: {allOf: [{$ref: '#/components/schemas/B'}, {type: object}]}
    B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}";
    let error = refused("loop.yaml", &openapi(" {}", schemas));
    assert!(
        error.contains(
            "at /components/schemas/A: unsupported: `allOf` parts that include themselves"
        ),
        "{error}"
    );
}

/// A minimal valid document, as YAML.
const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Writes `bytes` (which need not be UTF-8) to a file named `name` and
/// generates from it.
fn generate_bytes(name: &str, bytes: &[u8]) -> Result<CrateFiles, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join(name);
    std::fs::write(&spec, bytes).expect("write spec");
    let config = Config {
        spec_label: name.to_owned(),
        crate_name: "hostile_client".to_owned(),
        standalone: true,
        profile: generator::ProfileChoice::Auto,
        spec_root: None,
    };
    generator::generate(&spec, &config)
}

#[test]
fn a_leading_byte_order_mark_is_read_as_the_text_it_starts() {
    let yaml = format!("\u{feff}{}", MINIMAL.replace('\n', "\r\n"));
    generate("bom.yaml", &yaml).expect("a BOM before YAML is valid");
    let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
    generate("bom.json", json).expect("a BOM before JSON is valid");
}

#[test]
fn invalid_utf8_is_refused_with_the_line_and_offset_of_the_first_bad_byte() {
    let mut bytes = MINIMAL.as_bytes().to_vec();
    bytes.extend_from_slice(b"x-note: caf\xe9\n");
    let error = generate_bytes("latin1.yaml", &bytes)
        .map(|_| ())
        .expect_err("invalid UTF-8 is refused")
        .to_string();
    let offset = MINIMAL.len() + "x-note: caf".len();
    assert!(error.contains("latin1.yaml:4:12:"), "{error}");
    assert!(error.contains(&format!("byte {offset}")), "{error}");
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_a_line() {
    let mut text = MINIMAL.to_owned();
    text.push_str("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("x-a{level}: &a{level} [{items}]\n"));
    }
    let error = refused("bomb.yaml", &text);
    assert!(error.contains("bomb.yaml:"), "{error}");
    let after = &error[error.find("bomb.yaml:").expect("file") + "bomb.yaml:".len()..];
    assert!(after.starts_with(|c: char| c.is_ascii_digit()), "{error}");
}

#[test]
fn references_are_decoded_as_json_pointers_in_uri_fragments() {
    let spec = openapi(
        &get("getA"),
        "\n    a/b~c: {type: object, properties: {next: {$ref: '#/components/schemas/~00~01'}, spaced: {$ref: '#/components/schemas/a%20b'}}}\n    '~0~1': {type: object, properties: {x: {type: string}}}\n    'a b': {$ref: '#/components/schemas/a~1b~0c'}",
    )
    .replace("paths:\n    get:", "paths:\n  /a:\n    get:");
    let files = generate("escaped.yaml", &spec).expect("escaped references resolve");
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub next: Option<T01>"), "{models}");
}

#[test]
fn parameters_named_by_digits_become_bindings_clippy_accepts() {
    let paths = "\n  /p/{9}:\n    get:\n      operationId: digits\n      parameters:\n        - {name: '9', in: path, required: true, schema: {type: string}}\n        - {name: '1-2-3', in: query, schema: {type: string}}\n      responses: {'200': {description: ok}}";
    let files = generate("digits.yaml", &openapi(paths, " {}")).expect("generates");
    let client = file(&files, "src/client.rs");
    assert!(client.contains("p9: &str"), "{client}");
    assert!(client.contains("p1_2_3: Option<&str>"), "{client}");
    assert!(!client.contains("_9"), "{client}");
}

#[test]
fn control_characters_do_not_reach_cargo_toml() {
    // Cargo passes the description to rustc in an environment variable,
    // which cannot hold a NUL.
    let spec = "openapi: 3.0.3\ninfo: {title: \"a\\0b\\x01c\", version: '1'}\npaths: {}\n";
    let files = generate("nul.yaml", spec).expect("generates");
    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains("description = \"Typed async client for a b c\"\n"),
        "{manifest}"
    );
}

#[test]
fn doc_comments_have_no_tabs() {
    let spec = "openapi: 3.0.3\ninfo: {title: \"t\\tx\", version: '1', description: \"a\\tb\"}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, description: \"c\\td\", properties: {x: {type: string, description: \"\\te\"}}}\n";
    let files = generate("tabs.yaml", spec).expect("generates");
    for (path, text) in files.iter() {
        for line in text.lines().filter(|l| l.trim_start().starts_with("//")) {
            assert!(!line.contains('\t'), "{path}: {line:?}");
        }
    }
}

#[test]
fn enum_values_named_like_from_str_s_items_compile() {
    let schemas = "\n    Outcome: {type: string, enum: [Ok, Err, Self]}\n    Open: {type: string, enum: [Ok, Err], x-ms-enum: {name: Open, modelAsString: true}}";
    let files = generate("results.yaml", &openapi(" {}", schemas)).expect("generates");
    let models = file(&files, "src/models.rs");
    assert!(models.contains("Outcome::Err"), "{models}");
    assert!(!models.contains("Self::Err"), "{models}");
    assert!(
        models.contains("<Self as std::str::FromStr>::Err"),
        "{models}"
    );
}

/// How many `Vec`s deep a type written in a signature may be: clippy's
/// `type_complexity` grows with the square of the nesting.
fn list_depth(line: &str) -> usize {
    line.matches("Vec<").count()
}

#[test]
fn deeply_nested_inline_arrays_are_named_every_few_levels() {
    let schema = (0..110).fold("{type: string}".to_owned(), |inner, _| {
        format!("{{type: array, items: {inner}}}")
    });
    let paths = format!(
        "\n  /deep:\n    get:\n      operationId: getDeep\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}}}"
    );
    let spec = openapi(&paths, " {}");
    // The main thread's stack, which the generator runs on (a test
    // thread's 2 MiB is not enough for 110 levels in a debug build).
    let files = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || generate("arrays.yaml", &spec).map_err(|e| e.to_string()))
        .expect("spawn")
        .join()
        .expect("no panic")
        .expect("generates");
    for (path, text) in files.iter() {
        for line in text
            .lines()
            .filter(|l| !l.trim_start().starts_with("pub type"))
        {
            assert!(list_depth(line) <= 3, "{path}: {line}");
        }
    }
    let models = file(&files, "src/models.rs");
    assert!(
        models.contains("pub type GetDeepResponseItem107 = Vec<Vec<Vec<String>>>;"),
        "{models}"
    );
}
