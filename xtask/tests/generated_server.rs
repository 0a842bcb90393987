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

/// Arbitrary requests, near and far from real ones.
mod arbitrary {
    use proptest::prelude::*;
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

    /// A raw request's parts: method, path, query, headers, body.
    pub type Parts = (String, String, Option<String>, HeaderMap, Vec<u8>);

    fn method() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
                .prop_map(str::to_owned),
            "\\PC{0,8}",
        ]
    }

    /// A segment: plain, percent-encoded (valid or not), or anything.
    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9:._~-]{0,12}",
            "(%[0-9a-fA-F]{2}|%[^0-9a-fA-F]|[a-z:])*",
            "\\PC{0,12}",
            Just(":close".to_owned()),
        ]
    }

    fn path() -> impl Strategy<Value = String> {
        let routed = (
            prop::sample::select(vec![
                "routing/jobs",
                "routing/workers",
                "routing/queues",
                "routing/classificationPolicies",
                "routing/distributionPolicies",
                "routing/exceptionPolicies",
            ]),
            prop::collection::vec(segment(), 0..5),
            prop::sample::select(vec!["", ":close", ":cancel", ":complete", ":accept"]),
        )
            .prop_map(|(root, segments, action)| {
                let mut path = format!("/{root}");
                for segment in segments {
                    path.push('/');
                    path.push_str(&segment);
                }
                path.push_str(action);
                path
            });
        prop_oneof![routed, "\\PC{0,64}", ".{0,64}"]
    }

    fn query() -> impl Strategy<Value = Option<String>> {
        let pair = (
            prop::sample::select(vec!["api-version", "maxpagesize", "x", ""]),
            "[a-zA-Z0-9%=&,;+ -]{0,16}",
        )
            .prop_map(|(key, value)| format!("{key}={value}"));
        prop::option::of(prop_oneof![
            prop::collection::vec(pair, 0..5).prop_map(|pairs| pairs.join("&")),
            "\\PC{0,48}",
        ])
    }

    fn headers() -> impl Strategy<Value = HeaderMap> {
        let name = prop_oneof![
            prop::sample::select(vec!["content-type", "cookie", "etag", "if-match"])
                .prop_map(str::to_owned),
            "[a-z-]{1,12}",
        ];
        let value = prop_oneof![
            prop::sample::select(vec![
                "application/json",
                "application/merge-patch+json",
                "text/plain",
                "",
            ])
            .prop_map(|v| v.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..24),
        ];
        prop::collection::vec((name, value), 0..4).prop_map(|pairs| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_bytes(&value),
                ) {
                    headers.append(name, value);
                }
            }
            headers
        })
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            r#"\{("[a-zA-Z]{0,12}": ?("[^"]{0,8}"|[0-9.e+-]{1,8}|null|true|\[\]|\{\}),?){0,4}\}"#
                .prop_map(String::into_bytes),
            "\\PC{0,32}".prop_map(String::into_bytes),
        ]
    }

    pub fn request() -> impl Strategy<Value = Parts> {
        (method(), path(), query(), headers(), body())
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 2000,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// Whatever arrives, `decode` returns a call or a rejection that can be
    /// written: it never panics.
    #[test]
    fn decode_never_panics_on_arbitrary_requests(parts in arbitrary::request()) {
        let (method, path, query, headers, body) = &parts;
        let close_job = request(method, path, query.as_deref(), headers, body);
        if let Err(rejection) = decode(&close_job) {
            let _ = rejection.to_string();
        }
        let job_router = job_router_client::runtime::server::HttpRequest {
            method,
            path,
            query: query.as_deref(),
            headers,
            body,
        };
        if let Err(rejection) = job_router_client::server::decode(&job_router) {
            let _ = rejection.to_string();
        }
    }
}
