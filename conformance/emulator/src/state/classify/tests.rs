//! Classification rules on their own: which queue, priority and worker
//! selectors a policy gives a job.

use jiff::Timestamp;
use job_router_client::models::{ClassificationPolicy, RouterJob, RouterQueue};
use serde_json::{Value, json};

use super::{Classified, draw, pick};
use crate::host::fixtures::Fixtures;
use crate::state::State;
use crate::state::store::Preconditions;

/// A state with distribution policy `p` and a queue per `(id, labels)`.
fn state_with_queues(queues: &[(&str, Value)]) -> State {
    let now = Timestamp::UNIX_EPOCH;
    let mut state = State::new(&Fixtures::empty(), now).expect("state");
    let any = Preconditions::default();
    state
        .upsert_admin::<job_router_client::models::DistributionPolicy>(
            "p",
            &json!({"mode": {"kind": "longestIdle"}}),
            &any,
            now,
        )
        .expect("policy");
    for (id, labels) in queues {
        state
            .upsert_admin::<RouterQueue>(
                id,
                &json!({"distributionPolicyId": "p", "labels": labels}),
                &any,
                now,
            )
            .expect("queue");
    }
    state
}

fn job(id: &str, labels: Value) -> RouterJob {
    serde_json::from_value(json!({"id": id, "etag": "\"1\"", "labels": labels})).expect("job")
}

fn classify(state: &State, job: &RouterJob, mut policy: Value) -> Classified {
    policy["id"] = json!("c");
    policy["etag"] = json!("\"1\"");
    let policy: ClassificationPolicy = serde_json::from_value(policy).expect("policy");
    state
        .classify(job, &policy, Timestamp::UNIX_EPOCH)
        .expect("classified")
}

fn attached(classified: &Classified) -> Vec<(String, Option<Value>)> {
    classified
        .attached
        .iter()
        .map(|s| (s.key.clone(), s.value.clone()))
        .collect()
}

/// FNV-1a (64 bit) of the job id, modulo 10,000: the published vectors
/// for "" and "a" (0xcbf29ce484222325, 0xaf63dc4c8601ec8c).
#[test]
fn a_jobs_draw_is_its_ids_fnv_1a_hash_in_ten_thousandths() {
    assert_eq!(draw(""), 0.6037);
    assert_eq!(draw("a"), 0.1996);
    assert_eq!(draw("job-7"), 0.0028);
}

#[test]
fn a_weighted_list_picks_the_allocation_whose_share_holds_the_draw() {
    let allocations = [(0.2, "first"), (0.5, "second"), (0.3, "third")];
    // "a" draws 0.1996, "job-2" 0.5395, "" 0.6037, "job-6" 0.8239.
    assert_eq!(pick(&allocations, "a"), Some(&"first"));
    assert_eq!(pick(&allocations, "job-2"), Some(&"second"));
    assert_eq!(pick(&allocations, ""), Some(&"second"));
    assert_eq!(pick(&allocations, "job-6"), Some(&"third"));
    // A share ends before its upper bound: a draw equal to it is the next's.
    assert_eq!(
        pick(&[(0.1996, "first"), (0.9, "second")], "a"),
        Some(&"second")
    );
    // Weights that do not reach the draw pick nothing.
    assert_eq!(pick(&[(0.5, "half")], "job-6"), None);
}

#[test]
fn weighted_allocations_route_each_job_by_its_draw_for_queues_and_workers() {
    let state = state_with_queues(&[
        ("low", json!({"tier": "low"})),
        ("high", json!({"tier": "high"})),
    ]);
    let policy = json!({
        "queueSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [
            {"weight": 0.5, "queueSelectors": [{"key": "tier", "labelOperator": "equal", "value": "low"}]},
            {"weight": 0.5, "queueSelectors": [{"key": "tier", "labelOperator": "equal", "value": "high"}]}
        ]}],
        "workerSelectorAttachments": [{"kind": "weightedAllocation", "allocations": [
            {"weight": 0.5, "workerSelectors": [{"key": "skill", "labelOperator": "equal", "value": 1}]},
            {"weight": 0.5, "workerSelectors": [{"key": "skill", "labelOperator": "equal", "value": 2}]}
        ]}]
    });
    let a = classify(&state, &job("a", json!({})), policy.clone());
    assert_eq!(a.queue_id.as_deref(), Some("low"));
    assert_eq!(attached(&a), [("skill".to_owned(), Some(json!(1)))]);
    let job_6 = classify(&state, &job("job-6", json!({})), policy);
    assert_eq!(job_6.queue_id.as_deref(), Some("high"));
    assert_eq!(attached(&job_6), [("skill".to_owned(), Some(json!(2)))]);
}

#[test]
fn a_rule_engine_attachment_takes_selectors_from_a_list_or_equal_labels_from_direct_map() {
    let state = state_with_queues(&[("fr", json!({"lang": "fr"})), ("de", json!({"lang": "de"}))]);
    let direct_map = json!({
        "queueSelectorAttachments": [{"kind": "ruleEngine", "rule": {"kind": "directMap"}}],
        "workerSelectorAttachments": [{"kind": "ruleEngine", "rule": {"kind": "directMap"}}]
    });
    let french = classify(&state, &job("j", json!({"lang": "fr"})), direct_map);
    assert_eq!(french.queue_id.as_deref(), Some("fr"));
    assert_eq!(attached(&french), [("lang".to_owned(), Some(json!("fr")))]);

    let listed = json!({
        "queueSelectorAttachments": [{"kind": "ruleEngine", "rule": {"kind": "static", "value": [
            {"key": "lang", "labelOperator": "equal", "value": "de"}
        ]}}],
        "workerSelectorAttachments": [{"kind": "ruleEngine", "rule": {"kind": "static", "value": [
            {"key": "skill", "labelOperator": "greaterThan", "value": 5}
        ]}}]
    });
    let german = classify(&state, &job("j", json!({"lang": "fr"})), listed);
    assert_eq!(german.queue_id.as_deref(), Some("de"));
    assert_eq!(attached(&german), [("skill".to_owned(), Some(json!(5)))]);
}

#[test]
fn a_conditional_attachment_applies_only_when_its_condition_is_true() {
    let state = state_with_queues(&[("vip", json!({"tier": "vip"}))]);
    let conditional = |condition: Value| {
        json!({
            "fallbackQueueId": "vip",
            "queueSelectorAttachments": [{"kind": "conditional",
                "condition": {"kind": "static", "value": condition},
                "queueSelectors": [{"key": "tier", "labelOperator": "equal", "value": "vip"}]}],
            "workerSelectorAttachments": [{"kind": "conditional",
                "condition": {"kind": "static", "value": condition},
                "workerSelectors": [{"key": "senior", "labelOperator": "equal", "value": true}]}]
        })
    };
    let met = classify(&state, &job("j", json!({})), conditional(json!(true)));
    assert_eq!(attached(&met), [("senior".to_owned(), Some(json!(true)))]);
    for unmet in [json!(false), json!("true"), json!(1), Value::Null] {
        let classified = classify(&state, &job("j", json!({})), conditional(unmet.clone()));
        assert_eq!(attached(&classified), [], "{unmet}");
        // No queue selector: the fallback queue.
        assert_eq!(classified.queue_id.as_deref(), Some("vip"), "{unmet}");
    }
}

#[test]
fn a_job_that_names_its_queue_keeps_it_unless_selectors_choose_another() {
    let state = state_with_queues(&[("fr", json!({"lang": "fr"})), ("de", json!({"lang": "de"}))]);
    let mut own: RouterJob = job("j", json!({"lang": "de"}));
    own.queue_id = Some("fr".to_owned());
    let fallback_only = json!({"fallbackQueueId": "de"});
    let kept = classify(&state, &own, fallback_only);
    assert_eq!(kept.queue_id.as_deref(), Some("fr"));
    let pass_through = json!({
        "fallbackQueueId": "fr",
        "queueSelectorAttachments": [{"kind": "passThrough", "key": "lang", "labelOperator": "equal"}]
    });
    let moved = classify(&state, &own, pass_through);
    assert_eq!(moved.queue_id.as_deref(), Some("de"));
}
