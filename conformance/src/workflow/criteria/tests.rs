//! The criteria language against the Arazzo 1.0.1 examples and the
//! conditions a workflow can get wrong.

use std::collections::BTreeMap;

use serde_json::{Map, json};

use super::super::document::{Criterion, CriterionType};
use super::super::expression::{Components, Exchange, Scope};
use super::*;

fn criterion(condition: &str, kind: Option<&str>, context: Option<&str>) -> Criterion {
    serde_json::from_value(json!({
        "condition": condition,
        "type": kind,
        "context": context,
    }))
    .map(|mut c: Criterion| {
        if kind.is_none() {
            c.kind = None;
        }
        c
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(criterion: &Criterion) -> Result<Verdict, String> {
    let exchange = Exchange {
        status: Some(200),
        response_headers: vec![("Content-Length".to_owned(), "42".to_owned())],
        response_body: Some(json!({
            "status": "Closed",
            "pets": [{"name": "Rex"}],
            "owner": {"pets": ["Rex"]},
            "count": 3,
            "note": "it''s",
            "done": true,
        })),
        ..Exchange::default()
    };
    let inputs = Map::new();
    let steps = BTreeMap::new();
    let sources = BTreeMap::new();
    let components = Components::default();
    let scope = Scope {
        inputs: &inputs,
        outputs: &inputs,
        steps: &steps,
        workflows: &steps,
        sources: &sources,
        components: &components,
        exchange: Some(&exchange),
    };
    evaluate(criterion, &scope)
}

fn simple(condition: &str) -> Result<Verdict, String> {
    run(&criterion(condition, None, None))
}

/// Arazzo 1.0.1's examples. Its JSONPath one runs by RFC 9535: the
/// filter selects the root's children that have `pets` (here `owner`).
#[test]
fn the_spec_examples_hold() {
    assert_eq!(
        simple("$statusCode == 200"),
        Ok(Verdict {
            met: true,
            seen: "`$statusCode` is 200".to_owned()
        })
    );
    assert_eq!(
        run(&criterion("^200$", Some("regex"), Some("$statusCode"))),
        Ok(Verdict {
            met: true,
            seen: "`$statusCode` is 200".to_owned()
        })
    );
    assert_eq!(
        run(&criterion(
            "$[?count(@.pets) > 0]",
            Some("jsonpath"),
            Some("$response.body")
        )),
        Ok(Verdict {
            met: true,
            seen: "the query selects 1 node of `$response.body`".to_owned()
        })
    );
}

#[test]
fn operators_literals_and_loose_comparisons() {
    let met = |condition: &str| simple(condition).map(|v| v.met);
    for condition in [
        "$response.body#/status == 'closed'",
        "$response.body#/status != 'completed'",
        "$response.header.Content-Length > 40",
        "$response.header.Content-Length == 42",
        "$response.body#/count >= 3 && $response.body#/count < 4.5",
        "$statusCode == 404 || $statusCode == 200",
        "!($statusCode == 404)",
        "$response.body#/done",
        "$response.body#/done == true",
        "'it''s' == 'IT''S'",
        "1e2 == 100",
        "-1 < 0",
        "$response.body.pets[0].name == 'rex'",
    ] {
        assert_eq!(met(condition), Ok(true), "{condition}");
    }
    for condition in [
        "$statusCode == '201'",
        "$statusCode < 200",
        "null == false",
        "$response.body#/pets == 'Rex'",
        "true && false",
    ] {
        assert_eq!(met(condition), Ok(false), "{condition}");
    }
}

#[test]
fn a_failing_condition_says_what_each_expression_was() {
    assert_eq!(
        simple("$statusCode == 200 && $response.body#/status == 'completed'"),
        Ok(Verdict {
            met: false,
            seen: "`$statusCode` is 200, `$response.body#/status` is \"Closed\"".to_owned()
        })
    );
    assert_eq!(
        simple("1 == 2"),
        Ok(Verdict {
            met: false,
            seen: "`1 == 2` is false".to_owned()
        })
    );
}

#[test]
fn conditions_that_cannot_be_read_are_refused_with_why() {
    let refused = |condition: &str, kind: Option<&str>, context: Option<&str>| {
        check(&criterion(condition, kind, context)).err()
    };
    assert_eq!(
        refused("$statusCode == ", None, None).as_deref(),
        Some("the condition ends where a value should be")
    );
    assert_eq!(
        refused("'open", None, None).as_deref(),
        Some("a string opened at character 1 is not closed")
    );
    assert_eq!(
        refused("200 = 200", None, None).as_deref(),
        Some("`=` at character 5 is not a literal, operator or runtime expression")
    );
    assert_eq!(
        refused(
            &format!("{}true{}", "(".repeat(100), ")".repeat(100)),
            None,
            None
        )
        .as_deref(),
        Some("`(` and `!` nested more than 64 deep")
    );
    assert_eq!(
        refused(&"!".repeat(5000), None, None).as_deref(),
        Some("a condition of more than 4096 characters")
    );
    assert_eq!(
        refused("x", Some("regex"), None).as_deref(),
        Some("a `regex` condition needs a `context`")
    );
    assert_eq!(
        refused("//a", Some("xpath"), Some("$response.body")).as_deref(),
        Some("`xpath` conditions are not supported (JSON only)")
    );
    // A pattern whose compiled form passes the size limit.
    let huge = refused("(\\w{1000}){1000}", Some("regex"), Some("$statusCode"));
    assert!(
        huge.as_deref()
            .is_some_and(|m| m.starts_with("not a regex this runner takes: ")),
        "{huge:?}"
    );
    assert_eq!(
        refused("$..[?@..x]", Some("jsonpath"), Some("$response.body")).as_deref(),
        Some(
            "a JSONPath with more than one descendant segment (`..`): its work would grow with the square of the body"
        )
    );
    let bad_path = refused("$[?", Some("jsonpath"), Some("$response.body"));
    assert!(
        bad_path
            .as_deref()
            .is_some_and(|m| m.starts_with("not an RFC 9535 JSONPath: ")),
        "{bad_path:?}"
    );
}

#[test]
fn the_expression_type_object_names_its_type() {
    let versioned: Criterion = serde_json::from_value(json!({
        "context": "$response.body",
        "condition": "$.pets[0]",
        "type": {"type": "jsonpath", "version": "draft-goessner-dispatch-jsonpath-00"}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        versioned.kind,
        Some(CriterionType::Versioned { .. })
    ));
    assert_eq!(run(&versioned).map(|v| v.met), Ok(true));
}

#[test]
fn an_expression_that_resolves_to_nothing_is_an_error() {
    assert_eq!(
        simple("$response.body#/nope == 1"),
        Err("`$response.body#/nope`: nothing at `/nope` in {\"count\":3,\"done\":true,\"note\":\"it''s\",\"owner\":{\"pets\":[\"Rex\"]},\"pets\":[{\"name\":\"Rex\"}],\"status\":\"Closed\"}".to_owned())
    );
    assert_eq!(
        simple("$response.body#/count"),
        Err("the condition is 3, not true or false".to_owned())
    );
}

#[test]
fn the_limits_are_inclusive_and_a_query_that_selects_nothing_is_not_met() {
    // 4,096 characters is the limit: exactly that many is read.
    let longest = format!("$statusCode == '{}'", "x".repeat(4096 - 17));
    assert_eq!(longest.chars().count(), 4096);
    assert_eq!(check(&criterion(&longest, None, None)), Ok(()));
    // One descendant segment is allowed.
    let one_descent = criterion("$..name", Some("jsonpath"), Some("$response.body"));
    assert_eq!(check(&one_descent), Ok(()));
    assert_eq!(
        run(&one_descent),
        Ok(Verdict {
            met: true,
            seen: "the query selects 1 node of `$response.body`".to_owned()
        })
    );
    // A query that selects no node is not met.
    let none = criterion("$.missing", Some("jsonpath"), Some("$response.body"));
    assert_eq!(
        run(&none),
        Ok(Verdict {
            met: false,
            seen: "the query selects 0 nodes of `$response.body`".to_owned()
        })
    );
}
