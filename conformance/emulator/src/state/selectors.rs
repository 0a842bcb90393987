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
