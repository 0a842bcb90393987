//! Classification: a classification policy picks a job's queue, priority
//! and worker selectors. Static, directMap, passThrough, conditional (on
//! a static condition), ruleEngine (static or directMap) and weighted
//! allocations are evaluated; PowerFx expressions, Azure Functions and
//! webhooks are refused where they would have to run.

use jiff::Timestamp;
use job_router_client::models::{
    ClassificationPolicy, QueueSelectorAttachment, RouterJob, RouterQueueSelector, RouterRule,
    RouterWorkerSelector, WorkerSelectorAttachment,
};
use serde_json::Value;

use super::State;
use super::refusal::Refusal;
use super::selectors::{self, Labels};

/// What classification decided; `queue_id` `None` is classificationFailed.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub queue_id: Option<String>,
    pub priority: Option<i32>,
    pub attached: Vec<RouterWorkerSelector>,
}

/// The value of a rule the emulator can evaluate on `labels`.
fn evaluate(rule: &RouterRule, labels: &Labels, place: &str) -> Result<Value, Refusal> {
    match rule {
        RouterRule::StaticRouterRule(rule) => Ok(rule.value.clone().unwrap_or(Value::Null)),
        RouterRule::DirectMapRouterRule(_) => Ok(Value::Object(
            labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        )),
        RouterRule::ExpressionRouterRule(_) => {
            Err(Refusal::not_evaluated("PowerFx expression", place))
        }
        RouterRule::FunctionRouterRule(_) => Err(Refusal::not_evaluated("Azure Function", place)),
        RouterRule::WebhookRouterRule(_) => Err(Refusal::not_evaluated("webhook", place)),
    }
}

/// Selectors a rule's value stands for: a list of selectors, or (from
/// directMap) labels each to be equal.
fn selectors_from<T: serde::de::DeserializeOwned>(value: Value) -> Vec<T> {
    if let Value::Object(labels) = &value
        && !labels.contains_key("key")
    {
        return labels
            .iter()
            .filter_map(|(key, v)| {
                serde_json::from_value(serde_json::json!({
                    "key": key, "labelOperator": "equal", "value": v
                }))
                .ok()
            })
            .collect();
    }
    serde_json::from_value(value).unwrap_or_default()
}

/// A deterministic draw in [0, 1) for `job_id`: weighted allocations pick
/// the same way for the same job every time.
fn draw(job_id: &str) -> f64 {
    let hash = job_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % 10_000) as f64 / 10_000.0
}

/// The allocation a weighted list picks for `job_id`.
fn pick<'a, T>(allocations: &'a [(f64, T)], job_id: &str) -> Option<&'a T> {
    let target = draw(job_id);
    let mut sum = 0.0;
    allocations.iter().find_map(|(weight, item)| {
        sum += weight;
        (target < sum).then_some(item)
    })
}

fn truthy(value: &Value) -> bool {
    matches!(value, Value::Bool(true))
}

impl State {
    /// Classifies `job` under `policy` at `now`.
    pub fn classify(
        &self,
        job: &RouterJob,
        policy: &ClassificationPolicy,
        now: Timestamp,
    ) -> Result<Classified, Refusal> {
        let labels: Labels = job
            .labels
            .iter()
            .flat_map(|l| l.additional_properties.clone())
            .collect();
        let priority = match &policy.prioritization_rule {
            None => job.priority,
            Some(rule) => {
                let value = evaluate(rule, &labels, "classification policy's prioritizationRule")?;
                value
                    .as_i64()
                    .and_then(|p| i32::try_from(p).ok())
                    .or(job.priority)
            }
        };
        let mut queue_selectors: Vec<RouterQueueSelector> = Vec::new();
        for attachment in policy.queue_selector_attachments.iter().flatten() {
            let place = "classification policy's queue selector attachment";
            match attachment {
                QueueSelectorAttachment::StaticQueueSelectorAttachment(a) => {
                    queue_selectors.push(a.queue_selector.clone());
                }
                QueueSelectorAttachment::PassThroughQueueSelectorAttachment(a) => {
                    if let Some(value) = labels.get(&a.key) {
                        queue_selectors.push(RouterQueueSelector {
                            key: a.key.clone(),
                            label_operator: a.label_operator.clone(),
                            value: Some(value.clone()),
                        });
                    }
                }
                QueueSelectorAttachment::ConditionalQueueSelectorAttachment(a) => {
                    if truthy(&evaluate(&a.condition, &labels, place)?) {
                        queue_selectors.extend(a.queue_selectors.iter().cloned());
                    }
                }
                QueueSelectorAttachment::RuleEngineQueueSelectorAttachment(a) => {
                    queue_selectors.extend(selectors_from(evaluate(&a.rule, &labels, place)?));
                }
                QueueSelectorAttachment::WeightedAllocationQueueSelectorAttachment(a) => {
                    let weighted: Vec<_> = a
                        .allocations
                        .iter()
                        .map(|x| (x.weight, &x.queue_selectors))
                        .collect();
                    if let Some(chosen) = pick(&weighted, &job.id) {
                        queue_selectors.extend(chosen.iter().cloned());
                    }
                }
            }
        }
        let mut attached: Vec<RouterWorkerSelector> = Vec::new();
        for attachment in policy.worker_selector_attachments.iter().flatten() {
            let place = "classification policy's worker selector attachment";
            match attachment {
                WorkerSelectorAttachment::StaticWorkerSelectorAttachment(a) => {
                    attached.push(a.worker_selector.clone());
                }
                WorkerSelectorAttachment::PassThroughWorkerSelectorAttachment(a) => {
                    if let Some(value) = labels.get(&a.key) {
                        attached.push(RouterWorkerSelector {
                            expedite: None,
                            expires_after_seconds: a.expires_after_seconds,
                            expires_at: None,
                            key: a.key.clone(),
                            label_operator: a.label_operator.clone(),
                            status: None,
                            value: Some(value.clone()),
                        });
                    }
                }
                WorkerSelectorAttachment::ConditionalWorkerSelectorAttachment(a) => {
                    if truthy(&evaluate(&a.condition, &labels, place)?) {
                        attached.extend(a.worker_selectors.iter().cloned());
                    }
                }
                WorkerSelectorAttachment::RuleEngineWorkerSelectorAttachment(a) => {
                    attached.extend(selectors_from(evaluate(&a.rule, &labels, place)?));
                }
                WorkerSelectorAttachment::WeightedAllocationWorkerSelectorAttachment(a) => {
                    let weighted: Vec<_> = a
                        .allocations
                        .iter()
                        .map(|x| (x.weight, &x.worker_selectors))
                        .collect();
                    if let Some(chosen) = pick(&weighted, &job.id) {
                        attached.extend(chosen.iter().cloned());
                    }
                }
            }
        }
        let queue_id = match &job.queue_id {
            Some(queue) if queue_selectors.is_empty() => Some(queue.clone()),
            _ => self
                .select_queue(&queue_selectors)
                .or_else(|| policy.fallback_queue_id.clone()),
        };
        Ok(Classified {
            queue_id,
            priority,
            attached: attached
                .into_iter()
                .map(|s| selectors::started(s, now))
                .collect(),
        })
    }

    /// The first queue (in creation order) whose labels, with its `Id`,
    /// satisfy every selector; none when there are no selectors.
    fn select_queue(&self, queue_selectors: &[RouterQueueSelector]) -> Option<String> {
        if queue_selectors.is_empty() {
            return None;
        }
        self.queues
            .values()
            .find(|q| {
                let labels = selectors::with_id(
                    q.resource
                        .labels
                        .iter()
                        .flat_map(|l| l.additional_properties.clone()),
                    &q.resource.id,
                );
                queue_selectors
                    .iter()
                    .all(|s| selectors::holds(&labels, &s.key, &s.label_operator, s.value.as_ref()))
            })
            .map(|q| q.resource.id.clone())
    }
}

#[cfg(test)]
mod tests;
