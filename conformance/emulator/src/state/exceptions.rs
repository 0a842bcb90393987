//! Exception policies: a queue's rules fire, once per job, when a queued
//! job has waited `thresholdSeconds` (waitTime) or stands beyond the
//! queue's `threshold` (queueLength); their actions cancel the job,
//! reclassify it, or move it by hand (manualReclassify).

use jiff::{SignedDuration, Timestamp};
use job_router_client::models::{
    ExceptionAction, ExceptionRule, ExceptionTrigger, RouterJobLabels, RouterJobStatus,
};

use super::State;
use super::records::OfferEnd;
use super::selectors;

impl State {
    /// Fires every rule whose trigger holds at `now`, in queue order.
    pub fn run_exceptions(&mut self, now: Timestamp) {
        let mut firing: Vec<(String, String, ExceptionRule)> = Vec::new();
        for (queue_id, queue) in &self.queues {
            let Some(policy_id) = &queue.resource.exception_policy_id else {
                continue;
            };
            let Some(policy) = self.exception_policies.get(policy_id) else {
                continue;
            };
            let queued = self.queued_in(queue_id);
            for rule in policy.resource.exception_rules.iter().flatten() {
                for (position, job_id) in queued.iter().enumerate() {
                    let Some(job) = self.jobs.get(job_id) else {
                        continue;
                    };
                    if job.fired.contains(&(policy_id.clone(), rule.id.clone())) {
                        continue;
                    }
                    let holds = match &rule.trigger {
                        ExceptionTrigger::QueueLengthExceptionTrigger(t) => {
                            usize::try_from(t.threshold).is_ok_and(|t| position >= t)
                        }
                        ExceptionTrigger::WaitTimeExceptionTrigger(t) => {
                            let waited = SignedDuration::try_from_secs_f64(t.threshold_seconds)
                                .ok()
                                .zip(job.job.enqueued_at)
                                .and_then(|(d, at)| at.checked_add(d).ok());
                            waited.is_some_and(|due| due <= now)
                        }
                    };
                    if holds {
                        firing.push((job_id.clone(), policy_id.clone(), rule.clone()));
                    }
                }
            }
        }
        for (job_id, policy_id, rule) in firing {
            if let Some(job) = self.jobs.get_mut(&job_id) {
                job.fired.insert((policy_id, rule.id.clone()));
            }
            for action in &rule.actions {
                self.apply_action(&job_id, action, now);
            }
        }
    }

    /// Applies one action to a job still waiting in a queue.
    fn apply_action(&mut self, job_id: &str, action: &ExceptionAction, now: Timestamp) {
        let waiting = self.jobs.get(job_id).is_some_and(|j| j.waiting.is_some());
        if !waiting {
            return;
        }
        match action {
            ExceptionAction::CancelExceptionAction(cancel) => {
                // A queued job can always be cancelled.
                let _ = self.cancel(
                    job_id,
                    cancel.disposition_code.clone(),
                    cancel.note.clone(),
                    now,
                );
            }
            ExceptionAction::ReclassifyExceptionAction(reclassify) => {
                if let Some(job) = self.jobs.get_mut(job_id) {
                    if let Some(policy) = &reclassify.classification_policy_id {
                        job.job.classification_policy_id = Some(policy.clone());
                    }
                    if let Some(upsert) = &reclassify.labels_to_upsert {
                        job.job
                            .labels
                            .get_or_insert_with(RouterJobLabels::default)
                            .additional_properties
                            .extend(upsert.additional_properties.clone());
                    }
                }
                if self.reclassify(job_id, now).is_err() {
                    self.revoke_offers(job_id, OfferEnd::Revoked);
                    self.dequeue(job_id);
                    if let Some(job) = self.jobs.get_mut(job_id) {
                        job.job.status = Some(RouterJobStatus::ClassificationFailed);
                    }
                    self.touch_job(job_id, now);
                }
            }
            ExceptionAction::ManualReclassifyExceptionAction(manual) => {
                self.revoke_offers(job_id, OfferEnd::Revoked);
                self.dequeue(job_id);
                if let Some(job) = self.jobs.get_mut(job_id) {
                    if let Some(queue) = &manual.queue_id {
                        job.job.queue_id = Some(queue.clone());
                    }
                    if let Some(priority) = manual.priority {
                        job.job.priority = Some(priority);
                    }
                    if let Some(selectors) = &manual.worker_selectors {
                        job.job.attached_worker_selectors = Some(
                            selectors
                                .iter()
                                .map(|s| selectors::started(s.clone(), now))
                                .collect(),
                        );
                    }
                }
                self.enqueue(job_id, now);
                self.touch_job(job_id, now);
            }
        }
    }
}
