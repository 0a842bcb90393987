//! Cases built from the repository's specs.

mod probes;

use std::path::Path;

use super::{Case, Expect, Inputs, Request, Trust, Wanted, cases};
use crate::report::CaseKind;
use crate::rules::{Rules, Source};
use crate::spec::Spec;

fn spec() -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/close-job.yaml");
    match Spec::load(&path, "spec/close-job.yaml") {
        Ok(spec) => spec,
        Err(e) => panic!("{e}"),
    }
}

fn built(seed: u64, params: &[(&str, &str)]) -> Vec<Case> {
    let inputs = Inputs {
        params: params
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        seed,
    };
    cases(&spec(), &inputs, Rules::default(), &Trust::default())
}

fn request<'a>(cases: &'a [Case], name: &str) -> &'a Request {
    let case = cases.iter().find(|c| c.name.ends_with(name));
    match case.map(|c| &c.request) {
        Some(Ok(request)) => request,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn the_documented_example_is_replayed_byte_for_byte() {
    let cases = built(1, &[]);
    let example = request(&cases, "/example/Closes a completed job");
    assert_eq!(example.method, "POST");
    assert_eq!(
        example.path,
        "/routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close"
    );
    assert_eq!(
        example.query,
        [("api-version".to_owned(), "2023-11-01".to_owned())]
    );
    let body = example
        .body
        .as_ref()
        .map(|b| (b.content_type.as_str(), b.bytes.as_slice()));
    assert_eq!(
        body,
        Some((
            "application/json",
            &br#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#[..]
        ))
    );
}

#[test]
fn probes_break_exactly_one_thing() {
    let cases = built(1, &[]);
    assert!(
        request(&cases, "/probe/missing-query/api-version")
            .query
            .is_empty()
    );
    let malformed = request(&cases, "/probe/malformed-json");
    assert_eq!(
        malformed.body.as_ref().map(|b| b.bytes.as_slice()),
        Some(&br#"{"dispositionCode":"JobCompleted.","note":"Closing job""#[..])
    );
    let wrong = request(&cases, "/probe/wrong-type/closeAt");
    assert_eq!(
        wrong
            .body
            .as_ref()
            .map(|b| String::from_utf8_lossy(&b.bytes).into_owned()),
        Some(
            r#"{"closeAt":12345,"dispositionCode":"JobCompleted.","note":"Closing job"}"#
                .to_owned()
        )
    );
    assert_eq!(request(&cases, "/probe/optional-body-omitted").body, None);
    assert_eq!(
        request(&cases, "/probe/undeclared-method/DELETE").method,
        "DELETE"
    );
}

#[test]
fn unknown_ids_follow_the_seed() {
    let path = |cases: &[Case]| request(cases, "/probe/unknown-id/jobId").path.clone();
    assert_eq!(path(&built(7, &[])), path(&built(7, &[])));
    assert_ne!(path(&built(7, &[])), path(&built(8, &[])));
    let id = uuid::Uuid::parse_str(
        path(&built(7, &[]))
            .trim_start_matches("/routing/jobs/")
            .split('/')
            .next()
            .unwrap_or_default(),
    );
    assert_eq!(id.map(|id| id.get_version_num()), Ok(4));
}

#[test]
fn overrides_reach_every_case_but_the_probe_of_that_parameter() {
    let cases = built(1, &[("jobId", "a b/c")]);
    let example = request(&cases, "/example/Closes a completed job");
    assert!(
        example
            .path
            .starts_with("/routing/jobs/a%20b%2Fc/assignments/"),
        "{}",
        example.path
    );
    assert!(
        !request(&cases, "/probe/unknown-id/jobId")
            .path
            .contains("a%20b")
    );
    assert!(
        request(&cases, "/probe/unknown-id/assignmentId")
            .path
            .contains("a%20b%2Fc")
    );
}

#[test]
fn cookie_parameters_go_in_the_cookie_header() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/specs/shapes.yaml");
    let spec = match Spec::load(&path, "shapes.yaml") {
        Ok(spec) => spec,
        Err(e) => panic!("{e}"),
    };
    let inputs = Inputs {
        params: vec![
            ("petId".into(), "p1".into()),
            ("session".into(), "s1".into()),
        ],
        seed: 1,
    };
    let cases = cases(&spec, &inputs, Rules::default(), &Trust::default());
    let request = request(&cases, "Pets_Get/probe/undeclared-method/PUT");
    assert_eq!(request.path, "/pets/p1");
    assert!(
        request
            .headers
            .contains(&("Cookie".to_owned(), "session=s1".to_owned())),
        "{:?}",
        request.headers
    );
}

#[test]
fn a_value_nobody_gives_is_an_error_naming_the_parameter() {
    let cases = built(1, &[("jobId", "")]);
    let example = cases.iter().find(|c| c.kind == CaseKind::Example);
    let error = example.map(|c| c.request.clone());
    assert_eq!(
        error,
        Some(Err(
            "path parameter `jobId`: a path parameter must not be empty".to_owned()
        ))
    );
}

fn job_router(rules: Rules) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/jobrouter/communicationservicejobrouter.json");
    let spec = match Spec::load(&path, "jobrouter.json") {
        Ok(spec) => spec,
        Err(e) => panic!("{e}"),
    };
    cases(&spec, &Inputs::default(), rules, &Trust::default())
}

fn wanted(cases: &[Case], name: &str) -> (Wanted, Source) {
    match cases.iter().find(|c| c.name == name).map(|c| &c.expect) {
        Some(Expect::Answer { wanted, why, .. }) => (*wanted, why.source()),
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn every_undeclared_method_is_its_own_case_once_per_path() {
    let names: Vec<String> = built(1, &[])
        .into_iter()
        .filter(|c| !c.method_declared)
        .map(|c| c.name)
        .collect();
    let methods: Vec<&str> = names.iter().filter_map(|n| n.rsplit('/').next()).collect();
    assert_eq!(methods, ["GET", "PUT", "PATCH", "DELETE", "HEAD"]);
    // A path with GET, PATCH and DELETE: probed once, without HEAD.
    let probed: Vec<String> = job_router(Rules::default())
        .into_iter()
        .filter(|c| !c.method_declared && c.name.contains("Worker/") && !c.name.contains("offers"))
        .map(|c| c.name)
        .collect();
    assert!(
        probed.contains(&"JobRouterOperations_GetWorker/probe/undeclared-method/PUT".to_owned()),
        "{probed:#?}"
    );
    assert!(
        !probed
            .iter()
            .any(|n| n.starts_with("JobRouterOperations_DeleteWorker/")),
        "{probed:#?}"
    );
    assert!(!probed.iter().any(|n| n.ends_with("/HEAD")), "{probed:#?}");
}

#[test]
fn an_unknown_id_is_judged_by_the_rule_for_the_method() {
    let all = job_router(Rules::default());
    assert_eq!(
        wanted(
            &all,
            "JobRouterOperations_DeleteWorker/probe/unknown-id/workerId"
        ),
        (Wanted::Code(204), Source::Azure)
    );
    assert_eq!(
        wanted(
            &all,
            "JobRouterOperations_UpsertWorker/probe/unknown-id/workerId"
        ),
        (Wanted::Success, Source::Azure)
    );
    assert_eq!(
        wanted(
            &all,
            "JobRouterOperations_GetWorker/probe/unknown-id/workerId"
        ),
        (Wanted::Refusal, Source::Inferred)
    );
    // An unknown parent is refused, whatever the method.
    assert_eq!(
        wanted(&all, "JobRouterOperations_CloseJob/probe/unknown-id/jobId"),
        (Wanted::Refusal, Source::Inferred)
    );
    let no_azure = job_router(Rules::default().without_azure());
    assert_eq!(
        wanted(
            &no_azure,
            "JobRouterOperations_DeleteWorker/probe/unknown-id/workerId"
        ),
        (Wanted::SuccessOrRefusal, Source::Inferred)
    );
    assert_eq!(
        wanted(
            &no_azure,
            "JobRouterOperations_UpsertWorker/probe/unknown-id/workerId"
        ),
        (Wanted::SuccessOrRefusal, Source::Inferred)
    );
    assert!(
        !no_azure.iter().any(|c| c.kind == CaseKind::Azure),
        "no Azure case runs without the guidelines"
    );
}
