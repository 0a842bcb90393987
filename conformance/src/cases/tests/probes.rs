//! The probes of a small spec made to reach every branch of the probe
//! builder: each JSON type broken, a described `$ref` (`allOf: [$ref]`), a
//! body that is not an object, a parent and a child id of an upsert.

use crate::cases::{Case, Expect, Inputs, Trust, Wanted, Why, cases};
use crate::rules::Rules;
use crate::spec::Spec;

/// A shelf of books: `PUT` a book (Azure conventions, with a required
/// header and a second required query parameter), `GET` a shelf (its id
/// its only parameter), `POST` a list of tags.
const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /shelves/{shelfId}/books/{bookId}:
    put:
      operationId: Books_Put
      parameters:
        - {name: shelfId, in: path, required: true, schema: {type: string}}
        - {name: bookId, in: path, required: true, schema: {type: string}}
        - {name: api-version, in: query, required: true, schema: {type: string, default: '2024-01-01'}}
        - {name: format, in: query, required: true, schema: {type: string, default: long}}
        - {name: expand, in: query, schema: {type: string}}
        - {name: x-tag, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Book'}
      responses:
        '200': {description: ok}
        default:
          description: error
          headers:
            x-ms-error-code: {schema: {type: string}}
  /shelves/{shelfId}:
    get:
      operationId: Shelves_Get
      parameters:
        - {name: shelfId, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
  /tags:
    post:
      operationId: Tags_Add
      requestBody:
        content:
          application/json:
            schema: {type: array, items: {type: string}}
      responses:
        '204': {description: added}
components:
  schemas:
    Book:
      allOf: [{$ref: '#/components/schemas/Named'}]
      properties:
        author:
          description: Who wrote it.
          allOf: [{$ref: '#/components/schemas/Author'}]
        extra: {type: object}
        nickname:
          type: string
          allOf: [{$ref: '#/components/schemas/Short'}]
        pages: {type: integer}
        printedAt: {type: string, format: date-time}
        signed: {type: boolean}
        tags: {type: array, items: {type: string}}
    Named:
      type: object
      properties:
        title: {type: string}
    Author:
      type: object
      properties:
        name: {type: string}
    Short: {type: string, maxLength: 10}
";

/// Values for what the spec requires and documents no value for.
const GIVEN: [(&str, &str); 3] = [("shelfId", "s1"), ("bookId", "b1"), ("x-tag", "t1")];

fn shelf(params: &[(&str, &str)], rules: Rules, trust: &Trust) -> Vec<Case> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shelf.yaml");
    std::fs::write(&path, SPEC).expect("write spec");
    let spec = Spec::load(&path, "shelf.yaml").expect("the spec loads");
    let inputs = Inputs {
        params: params
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        seed: 1,
    };
    cases(&spec, &inputs, rules, trust)
}

fn find<'a>(cases: &'a [Case], name: &str) -> &'a Case {
    match cases.iter().find(|c| c.name == name) {
        Some(case) => case,
        None => panic!("no case {name}"),
    }
}

/// The body a case sends, as text.
fn body(case: &Case) -> String {
    match &case.request {
        Ok(request) => request
            .body
            .as_ref()
            .map(|b| String::from_utf8_lossy(&b.bytes).into_owned())
            .unwrap_or_default(),
        Err(why) => panic!("{}: {why}", case.name),
    }
}

/// What a case wants, where that is written (a pointer or a rule's
/// address), and the Azure error code it names.
fn wanted(case: &Case) -> (Wanted, String, Option<&'static str>) {
    match &case.expect {
        Expect::Answer {
            wanted,
            why,
            azure_code,
            ..
        } => {
            let why = match why {
                Why::Spec(basis) => basis.pointer.clone(),
                Why::Rule(rule) => rule.url.to_owned(),
            };
            (*wanted, why, azure_code.map(|(code, _)| code))
        }
        Expect::Documented { .. } | Expect::Step => panic!("{}: not a probe", case.name),
    }
}

/// Each property is broken in every way its schema allows, through a
/// described `$ref` and the `allOf` parts, and refused by the keyword it
/// breaks; only an object schema gets the non-object probe.
#[test]
fn every_json_type_is_broken_with_a_value_of_another() {
    let cases = shelf(&GIVEN, Rules::default(), &Trust::default());
    let book = "/components/schemas/Book/properties";
    let probes: Vec<(String, String, String, String)> = cases
        .iter()
        .filter(|c| {
            c.name.starts_with("Books_Put/probe/wrong-type/")
                || c.name.starts_with("Books_Put/probe/not-")
        })
        .map(|c| (c.name.clone(), c.summary.clone(), body(c), wanted(c).1))
        .collect();
    let expected = [
        (
            "wrong-type/author",
            "body field `author` as \"not an object\", not \"object\"",
            r#"{"author":"not an object"}"#,
            "/components/schemas/Author/type".to_owned(),
        ),
        (
            "wrong-type/extra",
            "body field `extra` as \"not an object\", not \"object\"",
            r#"{"extra":"not an object"}"#,
            format!("{book}/extra/type"),
        ),
        (
            "wrong-type/nickname",
            "body field `nickname` as 12345, not \"string\"",
            r#"{"nickname":12345}"#,
            format!("{book}/nickname/type"),
        ),
        (
            "wrong-type/pages",
            "body field `pages` as \"not a number\", not \"integer\"",
            r#"{"pages":"not a number"}"#,
            format!("{book}/pages/type"),
        ),
        (
            "wrong-type/printedAt",
            "body field `printedAt` as 12345, not \"string\"",
            r#"{"printedAt":12345}"#,
            format!("{book}/printedAt/type"),
        ),
        (
            "not-date-time/printedAt",
            "body field `printedAt` as \"not a date-time\"",
            r#"{"printedAt":"not a date-time"}"#,
            format!("{book}/printedAt/format"),
        ),
        (
            "wrong-type/signed",
            "body field `signed` as \"not a boolean\", not \"boolean\"",
            r#"{"signed":"not a boolean"}"#,
            format!("{book}/signed/type"),
        ),
        (
            "wrong-type/tags",
            "body field `tags` as {\"not\":\"an array\"}, not \"array\"",
            r#"{"tags":{"not":"an array"}}"#,
            format!("{book}/tags/type"),
        ),
        (
            "wrong-type/title",
            "body field `title` as 12345, not \"string\"",
            r#"{"title":12345}"#,
            "/components/schemas/Named/properties/title/type".to_owned(),
        ),
    ]
    .map(|(name, summary, body, pointer)| {
        (
            format!("Books_Put/probe/{name}"),
            summary.to_owned(),
            body.to_owned(),
            pointer,
        )
    });
    assert_eq!(probes, expected);
    let non_object = find(&cases, "Books_Put/probe/non-object-body");
    assert_eq!(body(non_object), r#"["not","an","object"]"#);
    let tags: Vec<&str> = cases
        .iter()
        .filter(|c| c.name.starts_with("Tags_Add/"))
        .map(|c| c.name.as_str())
        .collect();
    // No non-object probe: the body is an array.
    assert_eq!(
        tags,
        [
            "Tags_Add/probe/malformed-json",
            "Tags_Add/probe/undeclared-method/GET",
            "Tags_Add/probe/undeclared-method/PUT",
            "Tags_Add/probe/undeclared-method/PATCH",
            "Tags_Add/probe/undeclared-method/DELETE",
            "Tags_Add/probe/undeclared-method/HEAD",
            "Tags_Add/probe/optional-body-omitted",
        ]
    );
}

/// An unknown parent must be refused whatever the method; an unknown
/// child of a PUT is created (Azure) or may be (RFC 9110).
#[test]
fn an_upsert_may_create_the_child_but_not_its_parent() {
    let rule = |rules: Rules, name: &str| {
        let cases = shelf(&GIVEN, rules, &Trust::default());
        let (wanted, why, _) = wanted(find(&cases, name));
        (wanted, why)
    };
    let rfc = |section: &str| format!("https://www.rfc-editor.org/rfc/rfc9110#section-{section}");
    let parent = "Books_Put/probe/unknown-id/shelfId";
    let child = "Books_Put/probe/unknown-id/bookId";
    assert_eq!(
        rule(Rules::default(), parent),
        (Wanted::Refusal, rfc("15.5.5"))
    );
    assert_eq!(
        rule(Rules::default().without_azure(), parent),
        (Wanted::Refusal, rfc("15.5.5"))
    );
    assert_eq!(
        rule(Rules::default(), child),
        (
            Wanted::Success,
            "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#rest-put-patch-status-codes".to_owned()
        )
    );
    assert_eq!(
        rule(Rules::default().without_azure(), child),
        (Wanted::SuccessOrRefusal, rfc("9.3.4"))
    );
}

/// `MissingApiVersionParameter` is the code for `api-version` left out,
/// not for any required query parameter; the unsupported version goes in
/// `api-version`, not in another query parameter.
#[test]
fn only_a_missing_api_version_names_the_azure_code() {
    let cases = shelf(&GIVEN, Rules::default(), &Trust::default());
    let spec = |name: &str| {
        format!("/paths/~1shelves~1{{shelfId}}~1books~1{{bookId}}/put/parameters/{name}/required")
    };
    assert_eq!(
        wanted(find(&cases, "Books_Put/probe/missing-query/api-version")),
        (
            Wanted::Refusal,
            spec("2"),
            Some("MissingApiVersionParameter")
        )
    );
    assert_eq!(
        wanted(find(&cases, "Books_Put/probe/missing-query/format")),
        (Wanted::Refusal, spec("3"), None)
    );
    let unsupported = find(&cases, "Books_Put/azure/unsupported-api-version");
    assert_eq!(
        unsupported.request.as_ref().map(|r| r.query.clone()),
        Ok(vec![
            ("api-version".to_owned(), "1900-01-01".to_owned()),
            ("format".to_owned(), "long".to_owned())
        ])
    );
}

/// A required header nobody gives makes every request of the operation
/// an error that says how to give it; an optional one left out is not
/// sent, and a parameter's schema default is sent.
#[test]
fn a_required_header_nobody_gives_is_named_and_defaults_are_sent() {
    let cases = shelf(&GIVEN[..2], Rules::default(), &Trust::default());
    assert_eq!(
        find(&cases, "Books_Put/probe/wrong-type/pages").request,
        Err("no value for the required header parameter `x-tag`: the spec documents none; give one with --param x-tag=VALUE".to_owned())
    );
    let cases = shelf(&GIVEN, Rules::default(), &Trust::default());
    let request = find(&cases, "Books_Put/probe/wrong-type/pages")
        .request
        .clone()
        .expect("built");
    assert_eq!(
        (request.path.as_str(), request.query, request.headers),
        (
            "/shelves/s1/books/b1",
            vec![
                ("api-version".to_owned(), "2024-01-01".to_owned()),
                ("format".to_owned(), "long".to_owned())
            ],
            vec![("x-tag".to_owned(), "t1".to_owned())]
        )
    );
}

/// Where no documented body fits its schema, the requests that need one
/// cannot be built (and say why), but a probe that sends its own body is
/// sent.
#[test]
fn probes_with_their_own_body_run_when_no_documented_body_fits() {
    let index = find(
        &shelf(&GIVEN, Rules::default(), &Trust::default()),
        "Books_Put/probe/malformed-json",
    )
    .operation;
    let trust = Trust {
        probe_bodies: [(index, Err("no documented body fits".to_owned()))].into(),
        ..Trust::default()
    };
    let cases = shelf(&GIVEN, Rules::default(), &trust);
    assert_eq!(
        find(&cases, "Books_Put/probe/missing-query/format").request,
        Err("no documented body fits".to_owned())
    );
    assert_eq!(
        body(find(&cases, "Books_Put/probe/wrong-type/pages")),
        r#"{"pages":"not a number"}"#
    );
}

/// `--param` reaches an operation whose only parameter it names.
#[test]
fn an_override_reaches_an_operation_with_only_that_parameter() {
    let cases = shelf(&GIVEN, Rules::default(), &Trust::default());
    let put = find(&cases, "Shelves_Get/probe/undeclared-method/PUT");
    assert_eq!(
        put.request.as_ref().map(|r| r.path.as_str()),
        Ok("/shelves/s1")
    );
}
