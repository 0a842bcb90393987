//! Jobs: created or updated by merge-patch upsert (queued in their queue,
//! or classified first), shown with their assignments, listed with the
//! spec's filters, deleted.

use jiff::Timestamp;
use job_router_client::models::{
    JobMatchingMode, ListJobsStatus, RouterJob, RouterJobAssignment, RouterJobAssignments,
    RouterJobStatus,
};
use serde_json::Value;

use super::records::{JobRecord, OfferEnd};
use super::refusal::Refusal;
use super::store::{Preconditions, patched};
use super::{State, blank_job, selectors};

/// The filters of List Jobs.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub status: Option<ListJobsStatus>,
    pub queue_id: Option<String>,
    pub channel_id: Option<String>,
    pub classification_policy_id: Option<String>,
    pub scheduled_before: Option<Timestamp>,
    pub scheduled_after: Option<Timestamp>,
}

/// Statuses a job does not leave by itself.
pub fn is_final(status: Option<&RouterJobStatus>) -> bool {
    matches!(
        status,
        Some(RouterJobStatus::Completed | RouterJobStatus::Closed | RouterJobStatus::Cancelled)
    )
}

impl State {
    /// Creates or updates (answering whether it created) a job. A new job is classified by its
    /// classification policy, or queued in its queue; suspended and
    /// scheduled jobs wait. An update of a queued job's priority or queue
    /// moves it in the queue order.
    pub fn upsert_job(
        &mut self,
        id: &str,
        patch: &Value,
        preconditions: &Preconditions,
        now: Timestamp,
    ) -> Result<bool, Refusal> {
        let (etag, created) = self.open_upsert(id, "jobId", preconditions, |state| {
            state.jobs.get(id).map(JobRecord::version)
        })?;
        let current = self.jobs.get(id);
        let stored = current.map_or(Value::Null, |j| {
            serde_json::to_value(&j.job).unwrap_or(Value::Null)
        });
        let keep = |field: &str| stored[field].clone();
        let fixed = [
            ("id", Value::from(id)),
            ("etag", Value::from(etag)),
            ("assignments", Value::Null),
            ("status", keep("status")),
            ("enqueuedAt", keep("enqueuedAt")),
            ("attachedWorkerSelectors", keep("attachedWorkerSelectors")),
            ("scheduledAt", keep("scheduledAt")),
        ];
        let (mut job, json_bytes): (RouterJob, _) =
            patched(current.map(|j| &j.job), patch, &fixed)?;
        self.budget.check("jobId", id, json_bytes)?;
        job.requested_worker_selectors = job
            .requested_worker_selectors
            .map(|s| s.into_iter().map(|s| selectors::started(s, now)).collect());
        let before = current.map(|j| j.job.clone());
        self.check_job(&job, created)?;
        let classified = match (&before, &job.classification_policy_id) {
            (None, Some(policy)) => match self.classification_policies.get(policy) {
                Some(policy) => Some(self.classify(&job, &policy.resource, now)?),
                None => None,
            },
            _ => None,
        };
        let queue = classified.as_ref().map_or(&job.queue_id, |c| &c.queue_id);
        if let Some(queue) = queue {
            self.check_scoring(queue)?;
        }
        let record = self
            .jobs
            .entry(id.to_owned())
            .or_insert_with(|| JobRecord::new(blank_job(), now));
        record.job = job;
        record.last_modified = now;
        self.budget.set("jobId", id, json_bytes);
        match before {
            None => self.start_job(id, classified, now),
            Some(before) => self.job_changed(id, &before, now),
        }
        Ok(created)
    }

    fn check_job(&self, job: &RouterJob, created: bool) -> Result<(), Refusal> {
        if created && job.channel_id.is_none() {
            return Err(Refusal::invalid("A job needs a channelId.", "channelId"));
        }
        match (&job.queue_id, &job.classification_policy_id) {
            (None, None) if created => {
                return Err(Refusal::invalid(
                    "A job needs a queueId or a classificationPolicyId.",
                    "queueId",
                ));
            }
            (Some(queue), _) if !self.queues.contains_key(queue) => {
                return Err(Refusal::not_found("Queue", queue, "queueId"));
            }
            (_, Some(policy)) if !self.classification_policies.contains_key(policy) => {
                return Err(Refusal::not_found(
                    "Classification policy",
                    policy,
                    "classificationPolicyId",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// A new job's first status: classified, suspended, scheduled or queued.
    fn start_job(
        &mut self,
        id: &str,
        classified: Option<super::classify::Classified>,
        now: Timestamp,
    ) {
        if let Some(classified) = classified {
            self.apply_classification(id, classified, now);
            return;
        }
        let mode = self.jobs.get(id).and_then(|j| j.job.matching_mode.clone());
        let Some(record) = self.jobs.get_mut(id) else {
            return;
        };
        match mode {
            Some(JobMatchingMode::SuspendMode(_)) => {
                record.job.status = Some(RouterJobStatus::WaitingForActivation);
            }
            Some(JobMatchingMode::ScheduleAndSuspendMode(mode)) => {
                record.job.scheduled_at = Some(mode.schedule_at);
                record.job.status = Some(RouterJobStatus::Scheduled);
                self.schedule.insert((mode.schedule_at, id.to_owned()));
            }
            Some(JobMatchingMode::QueueAndMatchMode(_)) | None => self.enqueue(id, now),
        }
    }

    /// Applies an update: a suspended job switched to queueAndMatch is
    /// queued; a queued job moved to another queue or priority is placed
    /// again (its offers revoked when the queue changed).
    fn job_changed(&mut self, id: &str, before: &RouterJob, now: Timestamp) {
        let Some(record) = self.jobs.get(id) else {
            return;
        };
        let job = &record.job;
        let waiting = record.waiting.is_some();
        let resume = job.status == Some(RouterJobStatus::WaitingForActivation)
            && matches!(
                job.matching_mode,
                Some(JobMatchingMode::QueueAndMatchMode(_))
            );
        let moved = job.queue_id != before.queue_id;
        let reprioritized = job.priority != before.priority;
        if resume || (waiting && (moved || reprioritized)) {
            if moved {
                self.revoke_offers(id, OfferEnd::Revoked);
            }
            self.dequeue(id);
            self.enqueue(id, now);
        }
    }

    /// Queues the job in its queue's order (keeping its first place in
    /// time when it was queued before).
    pub fn enqueue(&mut self, id: &str, now: Timestamp) {
        let sequence = self.next_sequence();
        let Some(record) = self.jobs.get_mut(id) else {
            return;
        };
        if record.sequence == 0 {
            record.sequence = sequence;
        }
        if record.job.enqueued_at.is_none() {
            record.job.enqueued_at = Some(now);
        }
        record.job.status = Some(RouterJobStatus::Queued);
        let key = (
            -i64::from(record.job.priority.unwrap_or(1)),
            record.sequence,
        );
        record.waiting = Some(key);
        self.waiting.insert(key, id.to_owned());
    }

    /// Gives job `id` a new ETag and Last-Modified: the service changed it
    /// on its own (classified it again, activated it), and a client's
    /// `If-Match` on the old version must fail as after any change.
    pub fn touch_job(&mut self, id: &str, now: Timestamp) {
        let etag = self.next_etag();
        if let Some(record) = self.jobs.get_mut(id) {
            record.job.etag = etag;
            record.last_modified = now;
        }
    }

    /// Takes the job out of the queue order.
    pub fn dequeue(&mut self, id: &str) {
        if let Some(key) = self.jobs.get_mut(id).and_then(|j| j.waiting.take()) {
            self.waiting.remove(&key);
        }
    }

    /// The job as clients see it: its assignments and selector statuses.
    pub fn render_job(&self, id: &str, now: Timestamp) -> Result<RouterJob, Refusal> {
        let record = self
            .jobs
            .get(id)
            .ok_or_else(|| Refusal::not_found("Job", id, "jobId"))?;
        Ok(render(record, now))
    }

    /// The jobs the filter selects, in creation order.
    pub fn list_jobs(&self, filter: &JobFilter, now: Timestamp) -> Vec<RouterJob> {
        self.jobs
            .values()
            .filter(|j| {
                let status = j.job.status.as_ref();
                let status_ok = match &filter.status {
                    None | Some(ListJobsStatus::All) => true,
                    Some(ListJobsStatus::Active) => !is_final(status),
                    Some(wanted) => status.map(|s| s.as_str()) == Some(wanted.as_str()),
                };
                let same = |wanted: &Option<String>, actual: &Option<String>| {
                    wanted.is_none() || wanted == actual
                };
                let scheduled = j.job.scheduled_at;
                let before_ok = filter
                    .scheduled_before
                    .is_none_or(|b| scheduled.is_some_and(|s| s <= b));
                let after_ok = filter
                    .scheduled_after
                    .is_none_or(|a| scheduled.is_some_and(|s| s >= a));
                status_ok
                    && same(&filter.queue_id, &j.job.queue_id)
                    && same(&filter.channel_id, &j.job.channel_id)
                    && same(
                        &filter.classification_policy_id,
                        &j.job.classification_policy_id,
                    )
                    && before_ok
                    && after_ok
            })
            .map(|j| render(j, now))
            .collect()
    }

    /// Deletes a job that holds no capacity; a missing one is already
    /// deleted (204).
    pub fn delete_job(&mut self, id: &str) -> Result<(), Refusal> {
        let Some(record) = self.jobs.get(id) else {
            return Ok(());
        };
        if record.assignments.iter().any(|a| !a.released) {
            return Err(Refusal::conflict(
                "JobHasActiveAssignment",
                format!("Job `{id}` still holds a worker's capacity; close or cancel it first."),
            )
            .at("jobId"));
        }
        self.revoke_offers(id, OfferEnd::Revoked);
        self.dequeue(id);
        self.jobs.shift_remove(id);
        self.budget.release("jobId", id);
        // Declines of a deleted job are moot; dropping them keeps create,
        // decline, delete cycles from growing the workers.
        for worker in self.workers.values_mut() {
            worker.declined.remove(id);
        }
        Ok(())
    }
}

/// A job record as the API shows it at `now`.
fn render(record: &JobRecord, now: Timestamp) -> RouterJob {
    let mut job = record.job.clone();
    if !record.assignments.is_empty() {
        job.assignments = Some(RouterJobAssignments {
            additional_properties: record
                .assignments
                .iter()
                .map(|a| {
                    let assignment = RouterJobAssignment {
                        assigned_at: a.assigned_at,
                        assignment_id: a.id.clone(),
                        closed_at: a.closed_at,
                        completed_at: a.completed_at,
                        worker_id: Some(a.worker_id.clone()),
                    };
                    (a.id.clone(), assignment)
                })
                .collect(),
        });
    }
    let show = |s: Vec<_>| s.into_iter().map(|s| selectors::shown(s, now)).collect();
    job.requested_worker_selectors = job.requested_worker_selectors.map(show);
    job.attached_worker_selectors = job.attached_worker_selectors.map(show);
    job
}
