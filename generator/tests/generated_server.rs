//! The generated server side (`generated/src/server.rs`): raw requests are
//! matched to the operation and decoded into its typed input, or refused
//! with a reason that names the parameter or the place in the body.

use close_job_client::runtime::server::{HttpRequest, Rejection};
use close_job_client::server::{Call, CloseJobInput, decode};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

const PATH: &str = "/routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close";

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

fn request<'a>(
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    headers: &'a HeaderMap,
    body: &'a [u8],
) -> HttpRequest<'a> {
    HttpRequest {
        method,
        path,
        query,
        headers,
        body,
    }
}

#[test]
fn documented_example_decodes_into_the_typed_input() {
    let headers = json_headers();
    let body = br#"{"dispositionCode": "JobCompleted.", "note": "Closing job"}"#;
    let call = decode(&request(
        "POST",
        PATH,
        Some("api-version=2023-11-01"),
        &headers,
        body,
    ))
    .expect("decodes");
    assert_eq!(call.operation_id(), "JobRouterOperations_CloseJob");
    let Call::CloseJob(input) = call;
    let CloseJobInput {
        job_id,
        assignment_id,
        api_version,
        options,
    } = *input;
    assert_eq!(job_id, "8780b28c-7079-4de1-9143-4d369289e958");
    assert_eq!(assignment_id, "1d5896f3-8b54-40be-82d3-910323f5e2af");
    assert_eq!(api_version, "2023-11-01");
    let options = options.expect("body");
    assert_eq!(options.disposition_code.as_deref(), Some("JobCompleted."));
    assert_eq!(options.note.as_deref(), Some("Closing job"));
    assert_eq!(options.close_at, None);
}

#[test]
fn encoded_ids_are_decoded_and_a_colon_in_an_id_is_kept() {
    let headers = HeaderMap::new();
    let path = "/routing/jobs/a%2Fb%3Fc%23d%25e%20f/assignments/x:y:close";
    let Call::CloseJob(input) =
        decode(&request("POST", path, Some("api-version=v"), &headers, b"")).expect("decodes");
    assert_eq!(input.job_id, "a/b?c#d%e f");
    assert_eq!(input.assignment_id, "x:y");
    assert_eq!(input.options, None);
}

/// Method, path, query, body and the expected rejection.
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [u8],
    Rejection,
);

#[test]
fn requests_that_reach_no_operation_say_why() {
    let headers = json_headers();
    let cases: [Case; 8] = [
        (
            "POST",
            "/routing/jobs/j/assignments/a",
            Some("api-version=v"),
            b"",
            Rejection::NotFound,
        ),
        (
            "POST",
            "/routing/jobs//assignments/a:close",
            Some("api-version=v"),
            b"",
            Rejection::NotFound,
        ),
        (
            "GET",
            PATH,
            Some("api-version=v"),
            b"",
            Rejection::MethodNotAllowed {
                allow: vec!["POST"],
            },
        ),
        (
            "POST",
            PATH,
            None,
            b"",
            Rejection::MissingParameter {
                name: "api-version",
                location: "query",
            },
        ),
        (
            "POST",
            PATH,
            Some("other=1"),
            b"",
            Rejection::MissingParameter {
                name: "api-version",
                location: "query",
            },
        ),
        (
            "POST",
            PATH,
            Some("api-version=v"),
            br#"{"note": 42}"#,
            Rejection::InvalidBody {
                path: "note".to_owned(),
                reason: "invalid type: integer `42`, expected a string at line 1 column 11"
                    .to_owned(),
            },
        ),
        (
            "POST",
            PATH,
            Some("api-version=v"),
            br#"["2026-11-29T10:00:00Z", "code", "note"]"#,
            Rejection::InvalidBody {
                path: ".".to_owned(),
                reason: "expected a JSON object, found an array".to_owned(),
            },
        ),
        (
            "POST",
            PATH,
            Some("api-version=v"),
            br#"{"note": "x"} trailing"#,
            Rejection::InvalidBody {
                path: ".".to_owned(),
                reason: "trailing characters at line 1 column 15".to_owned(),
            },
        ),
    ];
    for (method, path, query, body, expected) in cases {
        let rejection = decode(&request(method, path, query, &headers, body)).expect_err(path);
        assert_eq!(
            rejection,
            expected,
            "{method} {path}?{query:?} {:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn close_at_must_be_rfc3339_and_bodies_must_be_json() {
    let headers = json_headers();
    let rejection = decode(&request(
        "POST",
        PATH,
        Some("api-version=v"),
        &headers,
        br#"{"closeAt": "tomorrow"}"#,
    ))
    .expect_err("not a timestamp");
    let Rejection::InvalidBody { path, .. } = &rejection else {
        panic!("{rejection:?}");
    };
    assert_eq!(path, "closeAt");

    let mut text = HeaderMap::new();
    text.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let rejection =
        decode(&request("POST", PATH, Some("api-version=v"), &text, b"{}")).expect_err("not JSON");
    assert_eq!(
        rejection,
        Rejection::UnsupportedMediaType {
            content_type: "text/plain".to_owned()
        }
    );
    assert_eq!(
        rejection.to_string(),
        "the body's content type `text/plain` is not JSON"
    );
}

#[test]
fn literals_match_the_raw_path_and_only_parameter_values_are_decoded() {
    let headers = HeaderMap::new();
    let decode_path =
        |path: &str| decode(&request("POST", path, Some("api-version=v"), &headers, b""));
    // An encoded `:close` is part of the id, not the operation's literal.
    for path in [
        "/routing/jobs/j/assignments/a-2%3Aclose",
        "/routing/jobs/j/assignments/a-2%3aclose",
        "/routing/jobs/j/%61ssignments/a:close",
        "/routing/jobs/j/assignments%2Fa:close",
    ] {
        assert_eq!(decode_path(path).err(), Some(Rejection::NotFound), "{path}");
    }
    let Ok(Call::CloseJob(input)) =
        decode_path("/routing/jobs/j%3Ak/assignments/a-2%3Aclose:close")
    else {
        panic!("an encoded colon inside the ids is kept");
    };
    assert_eq!(input.job_id, "j:k");
    assert_eq!(input.assignment_id, "a-2:close");
}

#[test]
fn a_single_valued_query_parameter_given_twice_is_refused_naming_it() {
    let headers = HeaderMap::new();
    for query in [
        "api-version=2023-11-01&api-version=bad",
        "api-version=bad&api-version=2023-11-01",
        "api-version=v&x=1&api-version=v",
    ] {
        let rejection =
            decode(&request("POST", PATH, Some(query), &headers, b"")).expect_err(query);
        assert_eq!(
            rejection,
            Rejection::InvalidParameter {
                name: "api-version",
                location: "query",
                reason: "given more than once".to_owned(),
            },
            "{query}"
        );
    }
}

#[test]
fn an_optional_typed_query_parameter_given_twice_is_refused_too() {
    use job_router_client::runtime::server::{HttpRequest, Rejection};
    use job_router_client::server::{Call, decode};
    let headers = HeaderMap::new();
    let once = HttpRequest {
        method: "GET",
        path: "/routing/classificationPolicies",
        query: Some("api-version=v&maxpagesize=5"),
        headers: &headers,
        body: b"",
    };
    let Ok(Call::ListClassificationPolicies(input)) = decode(&once) else {
        panic!("decodes once");
    };
    assert_eq!(input.maxpagesize, Some(5));
    let twice = HttpRequest {
        query: Some("api-version=v&maxpagesize=5&maxpagesize=6"),
        ..once
    };
    assert_eq!(
        decode(&twice).err(),
        Some(Rejection::InvalidParameter {
            name: "maxpagesize",
            location: "query",
            reason: "given more than once".to_owned(),
        })
    );
}
