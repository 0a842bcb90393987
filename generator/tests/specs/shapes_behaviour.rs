//! Runs inside the crate generated from `shapes.yaml` (copied there by
//! `xtask/tests/shapes_crate.rs`): the generated types read and write the
//! JSON their schemas describe.

use reqwest::header::HeaderMap;
use serde_json::json;
use shapes_client::client::AdoptError;
use shapes_client::models::{
    Loose, LooseStatus, Pet, PetKind, Problem, Resource, Shape, Size, State, Tagged, Toy,
};
use shapes_client::runtime::ErrorBody;
use shapes_client::runtime::server::{HttpRequest, Rejection, success};
use shapes_client::server::{Call, decode};

#[test]
fn an_extensible_enum_keeps_values_it_does_not_know() {
    let known: PetKind = serde_json::from_value(json!("guinea-pig")).expect("known value");
    assert_eq!(known, PetKind::GuineaPig);
    let unknown: PetKind = serde_json::from_value(json!("hamster")).expect("unknown value");
    assert_eq!(unknown, PetKind::Other("hamster".to_owned()));
    assert_eq!(
        serde_json::to_value(&unknown).expect("serialise"),
        json!("hamster")
    );
    assert_eq!(unknown.to_string(), "hamster");
    assert_eq!("cat".parse::<PetKind>(), Ok(PetKind::Cat));
}

#[test]
fn a_closed_enum_refuses_values_it_does_not_know() {
    assert_eq!(
        serde_json::from_value::<Size>(json!("2XL")).expect("known"),
        Size::T2xl
    );
    assert!(serde_json::from_value::<Size>(json!("huge")).is_err());
    assert_eq!(
        "huge".parse::<Size>(),
        Err("unknown value `huge`".to_owned())
    );
    assert_eq!(Size::Other.as_str(), "other");
}

#[test]
fn azure_polymorphism_reads_and_writes_the_discriminator() {
    let wire = json!({"kind": "rope", "length": 3, "price": 1.5});
    let toy: Toy = serde_json::from_value(wire.clone()).expect("a rope");
    let Toy::Rope(rope) = &toy else {
        panic!("not a rope: {toy:?}")
    };
    assert_eq!((rope.length, rope.price), (3, Some(1.5)));
    assert_eq!(serde_json::to_value(&toy).expect("serialise"), wire);
    assert!(serde_json::from_value::<Toy>(json!({"kind": "kite"})).is_err());
}

#[test]
fn a_discriminator_mapping_picks_the_variant() {
    let shape: Shape =
        serde_json::from_value(json!({"shapeType": "square", "side": 2.0})).expect("a square");
    assert!(
        matches!(&shape, Shape::Square(square) if square.side == 2.0),
        "{shape:?}"
    );
    assert_eq!(
        serde_json::to_value(&shape).expect("serialise"),
        json!({"shapeType": "square", "side": 2.0})
    );
}

#[test]
fn an_untagged_union_takes_the_alternative_that_fits() {
    let detached: State = serde_json::from_value(json!("Detached")).expect("detached");
    assert!(matches!(detached, State::Detached(_)), "{detached:?}");
    let attached: State = serde_json::from_value(json!({"Attached": "disk-1"})).expect("attached");
    let State::Attached(inner) = &attached else {
        panic!("not attached: {attached:?}")
    };
    assert_eq!(inner.attached, "disk-1");
}

#[test]
fn all_of_parts_are_merged_with_their_required_fields() {
    let tagged: Tagged =
        serde_json::from_value(json!({"name": "n", "tags": ["a"], "colour": "red"}))
            .expect("tagged");
    assert_eq!(tagged.tags, ["a"]);
    assert!(
        serde_json::from_value::<Tagged>(json!({"name": "n"})).is_err(),
        "tags is required"
    );
}

#[test]
fn query_lists_are_read_exploded_or_comma_separated() {
    let headers = HeaderMap::new();
    let request = HttpRequest {
        method: "POST",
        path: "/notes",
        query: Some("tags=a&tags=b%2Cc&ids=1,2,3"),
        headers: &headers,
        body: b"hello",
    };
    let Ok(Call::PostNotes(input)) = decode(&request) else {
        panic!("not decoded as post_notes")
    };
    assert_eq!(input.tags, Some(vec!["a".to_owned(), "b,c".to_owned()]));
    assert_eq!(input.ids, Some(vec![1, 2, 3]));
    assert_eq!(input.body, "hello");
    let bad = HttpRequest {
        query: Some("ids=1,x"),
        ..request
    };
    assert!(
        decode(&bad).is_err(),
        "a list item of the wrong type is refused"
    );
}

#[test]
fn dates_and_timestamps_are_typed() {
    let pet = |born: &str| {
        serde_json::from_value::<Pet>(json!({
            "id": "p", "name": "Rex", "kind": "dog", "born": born, "seen": "2023-11-01T10:00:00Z"
        }))
    };
    let rex = pet("2020-02-29").expect("a leap day");
    assert_eq!(
        rex.born.map(|d| d.to_string()).as_deref(),
        Some("2020-02-29")
    );
    assert_eq!(rex.seen.map(|t| t.as_second()), Some(1_698_832_800));
    assert!(pet("2021-02-29").is_err(), "not a date");
}

#[test]
fn a_cookie_parameter_is_read_from_the_cookie_header() {
    let mut headers = HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        "theme=dark; session=a%20b%3Bc".parse().expect("header"),
    );
    let request = HttpRequest {
        method: "GET",
        path: "/pets/1f0e7c5e-0000-4000-8000-000000000000",
        query: None,
        headers: &headers,
        body: b"",
    };
    let Ok(Call::Get(input)) = decode(&request) else {
        panic!("not decoded as get")
    };
    assert_eq!(input.session.as_deref(), Some("a b;c"));
}

#[test]
fn header_parameters_are_read_as_their_types_and_refused_by_name() {
    let header = |name: &'static str, value: &'static str| {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/merge-patch+json".parse().expect("header"),
        );
        headers.insert(name, value.parse().expect("header"));
        headers
    };
    let decoded = |headers: &HeaderMap| {
        decode(&HttpRequest {
            method: "PATCH",
            path: "/pets/1f0e7c5e-0000-4000-8000-000000000000",
            query: None,
            headers,
            body:
                br#"{"id": "1f0e7c5e-0000-4000-8000-000000000000", "name": "Rex", "kind": "dog"}"#,
        })
    };
    let since = header("if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT");
    let input = match decoded(&since) {
        Ok(Call::Update(input)) => input,
        other => panic!("not decoded as update: {other:?}"),
    };
    assert_eq!(
        input.if_unmodified_since.map(|t| t.to_string()).as_deref(),
        Some("1994-11-06T08:49:37Z")
    );
    let Ok(Call::Update(input)) = decoded(&header("x-attempt", "3")) else {
        panic!("not decoded as update")
    };
    assert_eq!((input.x_attempt, input.x_dry_run), (Some(3), None));
    for (name, value) in [
        ("if-unmodified-since", "1994-11-06T08:49:37Z"),
        ("x-attempt", "three"),
        ("x-dry-run", "yes"),
    ] {
        let Err(Rejection::InvalidParameter {
            name: refused,
            location,
            ..
        }) = decoded(&header(name, value))
        else {
            panic!("{name}: {value} is not refused as an invalid parameter")
        };
        assert_eq!(
            (refused.to_ascii_lowercase().as_str(), location),
            (name, "header")
        );
    }
}

#[test]
fn error_bodies_are_read_as_the_type_their_status_declares() {
    let pet = json!({"id": "1f0e7c5e-0000-4000-8000-000000000000", "name": "Rex", "kind": "dog"});
    let problem = json!({"code": "NotFound"});
    let read = |status, body: &serde_json::Value| {
        AdoptError::from_response(status, body.to_string().as_bytes())
    };
    let Some(AdoptError::Status409(taken)) = read(409, &pet) else {
        panic!("409 not read as the pet")
    };
    assert_eq!(taken.name, "Rex");
    let Some(AdoptError::Status404(missing)) = read(404, &problem) else {
        panic!("404 not read as a problem")
    };
    assert_eq!(missing.code, "NotFound");
    let Some(AdoptError::Default(other)) = read(500, &problem) else {
        panic!("an undeclared status not read as the default body")
    };
    assert_eq!(other.code, "NotFound");
    assert_eq!(
        read(409, &problem),
        None,
        "a body that is not the status's type is kept raw"
    );
    // The server side writes the body a variant holds, without a tag.
    let answer = serde_json::to_value(AdoptError::Status404(Box::new(Problem {
        code: "NotFound".into(),
        message: None,
    })))
    .expect("serializes");
    assert_eq!(answer, json!({"code": "NotFound"}));
}

#[test]
fn keywords_of_other_types_do_not_change_the_type() {
    let loose: Loose = serde_json::from_value(json!({
        "payload": "{}",
        "emails": ["a@example.com"],
        "pulls": [{"name": "#1"}],
        "status": "completed",
    }))
    .expect("reads");
    assert_eq!(loose.payload.as_deref(), Some("{}"));
    assert_eq!(loose.emails, Some(vec!["a@example.com".to_owned()]));
    assert_eq!(loose.pulls.map(|p| p.len()), Some(1));
    assert_eq!(loose.status, Some(LooseStatus::Completed));
}

#[test]
fn client_flatten_lifts_nested_fields_and_keeps_the_json_nested() {
    let wire = json!({
        "id": "r1",
        "properties": {"state": "ready", "storage": {"sizeGb": 8}},
        "details": {"createdBy": "ana", "note": "first"},
        "label": {"name": "blue"},
        "parent": {"id": "r0", "details": {"createdBy": "bo"}},
    });
    let resource: Resource = serde_json::from_value(wire.clone()).expect("a resource");
    assert_eq!(resource.state.as_deref(), Some("ready"));
    assert_eq!(resource.size_gb, Some(8), "flattened two levels deep");
    assert_eq!(resource.created_by, "ana");
    assert_eq!(resource.remark.as_deref(), Some("first"));
    // Kept nested: `label`'s `name` would clash with the resource's.
    assert_eq!(
        resource.label.as_ref().and_then(|l| l.name.as_deref()),
        Some("blue")
    );
    assert_eq!(
        resource.parent.as_ref().map(|p| p.created_by.as_str()),
        Some("bo")
    );
    assert_eq!(serde_json::to_value(&resource).expect("serialise"), wire);

    // A Rust value writes the nested JSON; an optional object none of
    // whose fields is set is left out.
    let changed = Resource {
        state: None,
        size_gb: Some(16),
        remark: None,
        label: None,
        parent: None,
        ..resource
    };
    assert_eq!(
        serde_json::to_value(&changed).expect("serialise"),
        json!({"id": "r1", "properties": {"storage": {"sizeGb": 16}}, "details": {"createdBy": "ana"}})
    );
    let bare = json!({"id": "r2", "details": {"createdBy": "cy"}});
    let resource: Resource = serde_json::from_value(bare.clone()).expect("no properties");
    assert_eq!((resource.state.as_deref(), resource.size_gb), (None, None));
    assert_eq!(serde_json::to_value(&resource).expect("serialise"), bare);
    // A required object's required field stays required.
    for missing in [json!({"id": "r3"}), json!({"id": "r3", "details": {}})] {
        let error = serde_json::from_value::<Resource>(missing).expect_err("refused");
        assert!(error.to_string().starts_with("missing field"), "{error}");
    }
}

#[test]
fn the_server_side_reads_and_answers_a_flattened_body_as_nested_json() {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().expect("header"));
    let body = json!({"id": "r1", "properties": {"storage": {"sizeGb": 8}}, "details": {"createdBy": "ana"}});
    let text = body.to_string();
    let request = HttpRequest {
        method: "PUT",
        path: "/resources/r1",
        query: None,
        headers: &headers,
        body: text.as_bytes(),
    };
    let input = match decode(&request) {
        Ok(Call::Put(input)) => input,
        other => panic!("not decoded as put: {other:?}"),
    };
    assert_eq!(
        (input.body.size_gb, input.body.created_by.as_str()),
        (Some(8), "ana")
    );
    // `dispatch` answers a body with this function.
    assert_eq!(success(200, &input.body).body, Some(body));
}
