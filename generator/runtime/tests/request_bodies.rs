//! What `Request` takes (bodies, headers, cookies), and path parameters
//! as the one segment `path_segment` makes of each.

use openapi_runtime::{Error as RuntimeError, Request, path_segment};

fn request() -> Request {
    let url = reqwest::Url::parse("http://127.0.0.1/").expect("url");
    Request::new(reqwest::Method::GET, url)
}

/// What a `Request` method returned, with the error as the user sees it.
fn shown(result: Result<(), RuntimeError<()>>) -> Result<(), String> {
    result.map_err(|e| e.to_string())
}

/// A JSON body declared as a string or a list is generated as `&str` or
/// `&[T]`, which the runtime's `Request::json` must take unsized.
#[test]
fn the_runtime_sends_unsized_json_bodies() {
    let url = reqwest::Url::parse("http://127.0.0.1/").expect("url");
    let mut request = Request::new(reqwest::Method::PUT, url);
    let text: &str = "a string body";
    request
        .json::<(), _>(text, "application/json; charset=utf-8")
        .map_err(|e: RuntimeError<()>| e.to_string())
        .expect("a &str serialises");
    let items: &[u32] = &[1, 2];
    request
        .json::<(), _>(items, "application/json")
        .map_err(|e: RuntimeError<()>| e.to_string())
        .expect("a slice serialises");
}

#[test]
fn headers_are_set_and_authorization_is_kept_out_of_debug() {
    let mut request = request();
    assert_eq!(shown(request.header("x-ms-note", "visible")), Ok(()));
    assert_eq!(
        shown(request.header("Authorization", "Bearer s3cret")),
        Ok(())
    );
    let debug = format!("{request:?}");
    assert!(debug.contains(r#""x-ms-note": "visible""#), "{debug}");
    assert!(debug.contains(r#""authorization": Sensitive"#), "{debug}");
    assert!(!debug.contains("s3cret"), "{debug}");
}

#[test]
fn a_header_or_cookie_that_cannot_be_sent_is_refused_naming_it() {
    let mut request = request();
    assert_eq!(
        shown(request.header("bad name", "v")),
        Err("invalid argument `bad name`: not a valid header name".to_owned())
    );
    assert_eq!(
        shown(request.header("x-note", "a\nb")),
        Err("invalid argument `x-note`: not a valid header value".to_owned())
    );
    assert_eq!(
        shown(request.cookie("a\nb", "v")),
        Err("invalid argument `a\nb`: not a valid cookie name".to_owned())
    );
}

#[test]
fn cookies_are_encoded_and_joined_into_one_header() {
    let mut request = request();
    assert_eq!(shown(request.cookie("session", "a b;c%")), Ok(()));
    assert_eq!(shown(request.cookie("theme", "dark")), Ok(()));
    let debug = format!("{request:?}");
    assert!(
        debug.contains(r#""cookie": "session=a%20b%3Bc%25; theme=dark""#),
        "{debug}"
    );
}

#[test]
fn a_path_parameter_is_one_encoded_segment_and_never_empty_or_a_dot_segment() {
    let segment = |value| path_segment::<()>("jobId", value).map_err(|e| e.to_string());
    assert_eq!(
        segment("a/b c?%#~._-"),
        Ok("a%2Fb%20c%3F%25%23~._-".to_owned())
    );
    assert_eq!(segment("..."), Ok("...".to_owned()));
    assert_eq!(
        segment(""),
        Err("invalid argument `jobId`: a path parameter must not be empty".to_owned())
    );
    for dots in [".", ".."] {
        assert_eq!(
            segment(dots),
            Err("invalid argument `jobId`: a path parameter cannot be `.` or `..`".to_owned())
        );
    }
}
