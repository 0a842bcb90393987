//! Label selectors: a worker selector (or queue selector) holds for a set
//! of labels when the label's value compares as the operator says.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use job_router_client::models::{LabelOperator, RouterWorkerSelector, RouterWorkerSelectorStatus};
use serde_json::Value;

/// Labels as the resources carry them, plus the implicit `Id`.
pub type Labels = BTreeMap<String, Value>;

/// Whether `labels[key] <operator> value`. Numbers compare as numbers,
/// strings and booleans only for (in)equality; a missing label, or values
/// of different kinds, never satisfy a selector.
pub fn holds(labels: &Labels, key: &str, operator: &LabelOperator, value: Option<&Value>) -> bool {
    let (Some(actual), Some(expected)) = (labels.get(key), value) else {
        return false;
    };
    if let (Some(a), Some(e)) = (actual.as_f64(), expected.as_f64()) {
        return match operator {
            LabelOperator::Equal => a == e,
            LabelOperator::NotEqual => a != e,
            LabelOperator::LessThan => a < e,
            LabelOperator::LessThanOrEqual => a <= e,
            LabelOperator::GreaterThan => a > e,
            LabelOperator::GreaterThanOrEqual => a >= e,
            LabelOperator::Other(_) => false,
        };
    }
    let comparable = matches!(
        (actual, expected),
        (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_))
    );
    match operator {
        LabelOperator::Equal => comparable && actual == expected,
        LabelOperator::NotEqual => comparable && actual != expected,
        _ => false,
    }
}

/// Whether a worker selector still applies at `now`.
pub fn active(selector: &RouterWorkerSelector, now: Timestamp) -> bool {
    selector.expires_at.is_none_or(|at| at > now)
}

/// A selector as stored: its expiry fixed from `expiresAfterSeconds` at
/// `now`, its status active.
pub fn started(mut selector: RouterWorkerSelector, now: Timestamp) -> RouterWorkerSelector {
    if selector.expires_at.is_none()
        && let Some(seconds) = selector.expires_after_seconds
    {
        selector.expires_at = SignedDuration::try_from_secs_f64(seconds)
            .ok()
            .and_then(|d| now.checked_add(d).ok());
    }
    selector.status = Some(RouterWorkerSelectorStatus::Active);
    selector
}

/// A selector as shown at `now`: expired once its time has passed.
pub fn shown(mut selector: RouterWorkerSelector, now: Timestamp) -> RouterWorkerSelector {
    selector.status = Some(if active(&selector, now) {
        RouterWorkerSelectorStatus::Active
    } else {
        RouterWorkerSelectorStatus::Expired
    });
    selector
}

/// `labels` with the implicit `Id` label.
pub fn with_id(labels: impl IntoIterator<Item = (String, Value)>, id: &str) -> Labels {
    let mut labels: Labels = labels.into_iter().collect();
    labels
        .entry("Id".to_owned())
        .or_insert_with(|| Value::from(id));
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(actual: Value, operator: LabelOperator, expected: Value) -> bool {
        let labels: Labels = [("k".to_owned(), actual)].into();
        holds(&labels, "k", &operator, Some(&expected))
    }

    #[test]
    fn numbers_compare_as_numbers_under_every_operator() {
        use LabelOperator::*;
        let table = [
            (Equal, [false, true, false]),
            (NotEqual, [true, false, true]),
            (LessThan, [true, false, false]),
            (LessThanOrEqual, [true, true, false]),
            (GreaterThan, [false, false, true]),
            (GreaterThanOrEqual, [false, true, true]),
        ];
        for (operator, expected) in table {
            // 4 against 5, 5 against 5 (an integer and a float), 6 against 5.
            let seen = [
                check(json!(4), operator.clone(), json!(5)),
                check(json!(5), operator.clone(), json!(5.0)),
                check(json!(6), operator.clone(), json!(5)),
            ];
            assert_eq!(seen, expected, "{operator:?}");
        }
        assert!(!check(json!(5), Other("between".to_owned()), json!(5)));
    }

    #[test]
    fn strings_and_booleans_compare_only_for_equality_and_only_with_their_own_kind() {
        use LabelOperator::*;
        assert!(check(json!("fr"), Equal, json!("fr")));
        assert!(!check(json!("fr"), Equal, json!("de")));
        assert!(check(json!("fr"), NotEqual, json!("de")));
        assert!(!check(json!("fr"), NotEqual, json!("fr")));
        assert!(check(json!(true), Equal, json!(true)));
        assert!(check(json!(true), NotEqual, json!(false)));
        assert!(!check(json!("b"), GreaterThan, json!("a")));
        assert!(!check(json!("b"), LessThan, json!("c")));
        // Values of different kinds never satisfy a selector, not even `notEqual`.
        assert!(!check(json!("5"), Equal, json!(5)));
        assert!(!check(json!("5"), NotEqual, json!(5)));
        assert!(!check(json!(true), NotEqual, json!("true")));
        assert!(!check(json!(null), NotEqual, json!(null)));
    }

    #[test]
    fn a_missing_label_or_value_never_holds() {
        let labels: Labels = [("k".to_owned(), json!(1))].into();
        assert!(!holds(
            &labels,
            "other",
            &LabelOperator::NotEqual,
            Some(&json!(2))
        ));
        assert!(!holds(&labels, "k", &LabelOperator::NotEqual, None));
    }

    #[test]
    fn a_selector_expires_after_its_seconds_and_shows_it() {
        let now: Timestamp = "2026-11-29T10:00:00Z".parse().expect("time");
        let selector: RouterWorkerSelector = serde_json::from_value(
            json!({"key": "k", "labelOperator": "equal", "value": 1, "expiresAfterSeconds": 30}),
        )
        .expect("selector");
        let started = started(selector, now);
        let at = now + SignedDuration::from_secs(30);
        assert_eq!(started.expires_at, Some(at));
        assert_eq!(started.status, Some(RouterWorkerSelectorStatus::Active));
        assert!(active(&started, at - SignedDuration::from_millis(1)));
        assert!(!active(&started, at), "expired at its time");
        assert_eq!(
            shown(started.clone(), at).status,
            Some(RouterWorkerSelectorStatus::Expired)
        );
        assert_eq!(
            shown(started, now).status,
            Some(RouterWorkerSelectorStatus::Active)
        );
    }

    #[test]
    fn the_implicit_id_label_does_not_override_an_id_label_given() {
        let plain = with_id([("skill".to_owned(), json!(1))], "w");
        assert_eq!(plain["Id"], json!("w"));
        let given = with_id([("Id".to_owned(), json!("own"))], "w");
        assert_eq!(given["Id"], json!("own"));
    }
}
