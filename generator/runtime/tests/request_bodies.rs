//! What `Request` takes as a body.

use openapi_runtime::{Error as RuntimeError, Request};

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
