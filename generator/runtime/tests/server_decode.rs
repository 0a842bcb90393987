//! The server side's plumbing (`server.rs`) driven directly, so that the
//! runtime's own tests pin it: the generated crates carry copies, and a
//! change here reaches them only at the next `cargo xtask codegen`.

use openapi_runtime::server::{
    HttpRequest, Rejection, Reply, ServiceError, Shape, cookie, empty, failure, header, json_body,
    match_path, parse, parse_all, query, query_list, raw_body, required, success, text_body,
};
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue};
use serde_json::json;

const CLOSE: &str = "/routing/jobs/{jobId}/assignments/{assignmentId}:close";

fn request<'a>(query: Option<&'a str>, headers: &'a HeaderMap, body: &'a [u8]) -> HttpRequest<'a> {
    HttpRequest {
        method: "POST",
        path: "/",
        query,
        headers,
        body,
    }
}

fn with_header(name: reqwest::header::HeaderName, values: &[&'static str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for value in values {
        headers.append(name.clone(), HeaderValue::from_static(value));
    }
    headers
}

fn values(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|item| item.to_string()).collect())
}

#[test]
fn a_path_matches_its_template_segment_by_segment_and_decodes_the_values() {
    let path = "/routing/jobs/j%201/assignments/a:b:close";
    assert_eq!(match_path(CLOSE, path), values(&["j 1", "a:b"]));
    // `%3A` and `%2F` are parts of a value, never the literal or a separator.
    let path = "/routing/jobs/a%2Fb/assignments/x%3Aclose:close";
    assert_eq!(match_path(CLOSE, path), values(&["a/b", "x:close"]));
    // The last parameter runs up to the segment's final literal.
    let path = "/routing/jobs/j/assignments/a:close:close";
    assert_eq!(match_path(CLOSE, path), values(&["j", "a:close"]));
    assert_eq!(
        match_path(CLOSE, "/routing/jobs/j/assignments/x%3Aclose"),
        None
    );
    // A value that is not UTF-8 once decoded.
    assert_eq!(
        match_path(CLOSE, "/routing/jobs/%FF/assignments/a:close"),
        None
    );
}

#[test]
fn a_path_that_differs_anywhere_does_not_match() {
    for path in [
        "/routing/jobs/j/assignments/a",
        "/routing/jobs/j/assignments/a:closed",
        "/routing/jobs/j/assignments/:close",
        "/routing/jobs//assignments/a:close",
        "/routing/jobs/j/extra/assignments/a:close",
        "/routing/job/j/assignments/a:close",
        "/routing/jobs/j/assignments/a:close/",
    ] {
        assert_eq!(match_path(CLOSE, path), None, "{path}");
    }
}

#[test]
fn two_parameters_in_a_segment_split_at_the_first_literal_between_them() {
    assert_eq!(match_path("/r/{a}-{b}", "/r/1-2-3"), values(&["1", "2-3"]));
    assert_eq!(
        match_path("/r/{a}-{b}.txt", "/r/1-2.txt"),
        values(&["1", "2"])
    );
    assert_eq!(match_path("/r/{a}-{b}", "/r/-2"), None);
    assert_eq!(match_path("/r/v{a}", "/r/v"), None);
    assert_eq!(match_path("/r/v{a}", "/r/w1"), None);
}

#[test]
fn a_query_parameter_is_decoded_and_refused_when_repeated() {
    let headers = HeaderMap::new();
    let sent = request(Some("api-version=2023-11-01&note=a%20b+c"), &headers, b"");
    assert_eq!(query(&sent, "note"), Ok(Some("a b c".to_owned())));
    assert_eq!(
        query(&sent, "api-version"),
        Ok(Some("2023-11-01".to_owned()))
    );
    assert_eq!(query(&sent, "absent"), Ok(None));
    assert_eq!(query(&request(None, &headers, b""), "note"), Ok(None));
    let twice = query(&request(Some("note=a&x=1&note=b"), &headers, b""), "note");
    let refusal = Rejection::InvalidParameter {
        name: "note",
        location: "query",
        reason: "given more than once".to_owned(),
    };
    assert_eq!(twice, Err(refusal.clone()));
    assert_eq!(
        refusal.to_string(),
        "the query parameter `note` is invalid: given more than once"
    );
}

#[test]
fn a_list_query_parameter_is_exploded_or_comma_separated() {
    let headers = HeaderMap::new();
    let sent = request(Some("tag=a,b&other=x&tag=c"), &headers, b"");
    assert_eq!(query_list(&sent, "tag", true), values(&["a,b", "c"]));
    assert_eq!(query_list(&sent, "tag", false), values(&["a", "b", "c"]));
    assert_eq!(query_list(&sent, "absent", true), None);
    assert_eq!(
        query_list(&request(None, &headers, b""), "tag", false),
        None
    );
}

#[test]
fn a_cookie_is_found_by_its_exact_name_in_any_cookie_header() {
    let headers = with_header(COOKIE, &["xsession=1; theme=dark", "a=2;  session=k%201"]);
    let sent = request(None, &headers, b"");
    assert_eq!(cookie(&sent, "session").as_deref(), Some("k 1"));
    assert_eq!(cookie(&sent, "theme").as_deref(), Some("dark"));
    assert_eq!(cookie(&sent, "absent"), None);
}

#[test]
fn a_header_is_text_or_refused_naming_it() {
    let mut headers = with_header(CONTENT_TYPE, &["application/json"]);
    let binary = HeaderValue::from_bytes(b"caf\xc3\xa9").expect("a header value");
    headers.insert("x-note", binary);
    let sent = request(None, &headers, b"");
    assert_eq!(
        header(&sent, "content-type"),
        Ok(Some("application/json".to_owned()))
    );
    assert_eq!(header(&sent, "x-absent"), Ok(None));
    assert_eq!(
        header(&sent, "x-note"),
        Err(Rejection::InvalidParameter {
            name: "x-note",
            location: "header",
            reason: "not visible ASCII".to_owned(),
        })
    );
}

#[test]
fn required_and_parsed_parameters_name_what_is_wrong() {
    assert_eq!(required(Some(7), "id", "path"), Ok(7));
    let missing = required::<u8>(None, "id", "path");
    assert_eq!(
        missing,
        Err(Rejection::MissingParameter {
            name: "id",
            location: "path"
        })
    );
    assert_eq!(
        missing.map_err(|e| e.to_string()),
        Err("the required path parameter `id` is missing".to_owned())
    );
    assert_eq!(parse::<u32>("12".to_owned(), "top", "query"), Ok(12));
    let bad = Rejection::InvalidParameter {
        name: "top",
        location: "query",
        reason: "invalid digit found in string".to_owned(),
    };
    assert_eq!(
        parse::<u32>("x".to_owned(), "top", "query"),
        Err(bad.clone())
    );
    let items = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        parse_all::<u32>(items(&["1", "2"]), "top", "query"),
        Ok(vec![1, 2])
    );
    assert_eq!(
        parse_all::<u32>(items(&["1", "x"]), "top", "query"),
        Err(bad)
    );
}

#[test]
fn raw_and_text_bodies_are_none_when_empty_and_text_must_be_utf8() {
    let headers = HeaderMap::new();
    assert_eq!(raw_body(&request(None, &headers, b"")), None);
    assert_eq!(
        raw_body(&request(None, &headers, b"a\x00")),
        Some(b"a\x00".to_vec())
    );
    assert_eq!(text_body(&request(None, &headers, b"")), Ok(None));
    assert_eq!(
        text_body(&request(None, &headers, "é".as_bytes())),
        Ok(Some("é".to_owned()))
    );
    assert_eq!(
        text_body(&request(None, &headers, b"ab\xff")),
        Err(Rejection::InvalidBody {
            path: ".".to_owned(),
            reason: "the text body is not UTF-8: invalid utf-8 sequence of 1 bytes from index 2"
                .to_owned(),
        })
    );
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
struct Close {
    count: u32,
}

fn json_of<T: serde::de::DeserializeOwned>(
    content_type: &'static str,
    body: &[u8],
    required: bool,
    shape: Shape,
) -> Result<Option<T>, Rejection> {
    let headers = with_header(CONTENT_TYPE, &[content_type]);
    json_body(&request(None, &headers, body), required, shape)
}

fn invalid(path: &str, reason: &str) -> Rejection {
    Rejection::InvalidBody {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

#[test]
fn a_json_body_is_decoded_when_its_content_type_is_json() {
    let close = Some(Close { count: 2 });
    let body = br#" {"count": 2}"#;
    for content_type in [
        "application/json",
        "Application/JSON; charset=utf-8",
        "application/merge-patch+json",
    ] {
        let decoded = json_of::<Close>(content_type, body, true, Shape::Object);
        assert_eq!(decoded, Ok(close.clone()), "{content_type}");
    }
    assert_eq!(
        json_of::<Vec<u8>>("application/json", b"[1, 2]", true, Shape::Any),
        Ok(Some(vec![1, 2]))
    );
}

#[test]
fn a_missing_body_is_refused_only_when_required() {
    let headers = HeaderMap::new();
    let sent = request(None, &headers, b"");
    assert_eq!(
        json_body::<Close>(&sent, true, Shape::Object),
        Err(Rejection::MissingBody)
    );
    assert_eq!(json_body::<Close>(&sent, false, Shape::Object), Ok(None));
}

#[test]
fn a_body_that_is_not_json_by_its_content_type_is_refused() {
    let refused = |content_type: &str| {
        Err(Rejection::UnsupportedMediaType {
            content_type: content_type.to_owned(),
        })
    };
    let body = br#"{"count": 2}"#;
    for content_type in ["text/plain", "application/jsonx", "application/json-seq"] {
        let decoded = json_of::<Close>(content_type, body, false, Shape::Object);
        assert_eq!(decoded, refused(content_type), "{content_type}");
    }
    let headers = HeaderMap::new();
    let decoded = json_body::<Close>(&request(None, &headers, body), false, Shape::Object);
    assert_eq!(decoded, refused(""));
}

#[test]
fn an_object_body_that_is_another_json_value_says_which() {
    for (body, kind) in [
        ("null", "null"),
        ("true", "a boolean"),
        ("2", "a number"),
        ("\"s\"", "a string"),
        (" [ ]", "an array"),
    ] {
        let decoded = json_of::<Close>("application/json", body.as_bytes(), true, Shape::Object);
        let reason = format!("expected a JSON object, found {kind}");
        assert_eq!(decoded, Err(invalid(".", &reason)), "{body}");
    }
    let decoded = json_of::<Close>("application/json", b"nope", true, Shape::Object);
    assert_eq!(
        decoded,
        Err(invalid(".", "expected ident at line 1 column 2"))
    );
}

#[test]
fn a_json_body_that_does_not_fit_names_the_place() {
    let decoded = json_of::<Close>(
        "application/json",
        br#"{"count": "x"}"#,
        true,
        Shape::Object,
    );
    let reason = "invalid type: string \"x\", expected u32 at line 1 column 13";
    assert_eq!(decoded, Err(invalid("count", reason)));
    let decoded = json_of::<Close>(
        "application/json",
        br#"{"count": 1} x"#,
        true,
        Shape::Object,
    );
    assert_eq!(
        decoded,
        Err(invalid(".", "trailing characters at line 1 column 14"))
    );
}

/// A value serde_json cannot turn into JSON: a map with non-string keys.
fn unserializable() -> std::collections::BTreeMap<(u8, u8), u8> {
    [((1, 2), 3)].into()
}

#[test]
fn replies_carry_the_status_the_body_and_whether_it_is_an_error() {
    let body = json!({"id": "j1"});
    assert_eq!(
        success(201, &body),
        Reply {
            status: 201,
            body: Some(body.clone()),
            is_error: false,
            headers: Vec::new(),
        }
    );
    assert_eq!(
        empty(204),
        Reply {
            status: 204,
            body: None,
            is_error: false,
            headers: Vec::new(),
        }
    );
    let error = ServiceError {
        status: 409,
        body: body.clone(),
    };
    assert_eq!(
        failure(&error),
        Reply {
            status: 409,
            body: Some(body),
            is_error: true,
            headers: Vec::new(),
        }
    );
}

#[test]
fn a_reply_whose_body_cannot_be_json_is_a_500_without_a_body() {
    let internal = Reply {
        status: 500,
        body: None,
        is_error: true,
        headers: Vec::new(),
    };
    assert_eq!(success(200, &unserializable()), internal);
    let error = ServiceError {
        status: 400,
        body: unserializable(),
    };
    assert_eq!(failure(&error), internal);
}
