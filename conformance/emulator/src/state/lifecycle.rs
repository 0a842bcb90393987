//! What happens to a job after it is created: classification applied,
//! cancel, unassign, reclassify, its position and its queue's statistics.

use jiff::Timestamp;
use job_router_client::models::{RouterJobPositionDetails, RouterJobStatus, RouterQueueStatistics};

use super::State;
use super::classify::Classified;
use super::close::add_note;
use super::jobs::is_final;
use super::records::OfferEnd;
use super::refusal::Refusal;

impl State {
    /// Records what classification decided and queues the job, or marks
    /// it classificationFailed when no queue was found.
    pub fn apply_classification(&mut self, id: &str, classified: Classified, now: Timestamp) {
        let Some(record) = self.jobs.get_mut(id) else {
            return;
        };
        record.job.priority = classified.priority;
        record.job.attached_worker_selectors =
            (!classified.attached.is_empty()).then_some(classified.attached);
        match classified.queue_id {
            Some(queue) => {
                record.job.queue_id = Some(queue);
                self.enqueue(id, now);
            }
            None => record.job.status = Some(RouterJobStatus::ClassificationFailed),
        }
    }

    /// Cancels a job not yet completed: its offers are revoked and the
    /// capacity of an assignment released at once.
    pub fn cancel(
        &mut self,
        id: &str,
        disposition_code: Option<String>,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<(), Refusal> {
        let record = self
            .jobs
            .get(id)
            .ok_or_else(|| Refusal::not_found("Job", id, "jobId"))?;
        if is_final(record.job.status.as_ref()) {
            return Err(Refusal::conflict(
                "JobNotCancellable",
                format!(
                    "Job `{id}` is {}; only a job not yet completed can be cancelled.",
                    record.job.status.as_ref().map_or("created", |s| s.as_str())
                ),
            )
            .at("jobId"));
        }
        self.budget.check_note(note.as_deref())?;
        self.revoke_offers(id, OfferEnd::Revoked);
        self.dequeue(id);
        self.release_assignments(id, now);
        let etag = self.next_etag();
        if let Some(record) = self.jobs.get_mut(id) {
            record.job.status = Some(RouterJobStatus::Cancelled);
            record.job.disposition_code = disposition_code;
            self.budget.add_note("jobId", id, note.as_deref());
            add_note(&mut record.job.notes, note, now);
            record.job.etag = etag;
            record.last_modified = now;
        }
        Ok(())
    }

    /// Releases, now, every assignment of `id` still holding capacity.
    fn release_assignments(&mut self, id: &str, now: Timestamp) {
        let Some(record) = self.jobs.get_mut(id) else {
            return;
        };
        for assignment in record.assignments.iter_mut().filter(|a| !a.released) {
            assignment.released = true;
            assignment.released_at = Some(now);
            if let Some(worker) = self.workers.get_mut(&assignment.worker_id) {
                worker.held.retain(|h| h.assignment_id != assignment.id);
            }
        }
    }

    /// Unassigns an assigned job: the worker's capacity is released and
    /// the job queued again in its place (or left waitingForActivation
    /// when `suspend_matching`).
    pub fn unassign(
        &mut self,
        id: &str,
        assignment_id: &str,
        suspend_matching: bool,
        now: Timestamp,
    ) -> Result<i32, Refusal> {
        let record = self
            .jobs
            .get(id)
            .ok_or_else(|| Refusal::not_found("Job", id, "jobId"))?;
        if !record.assignments.iter().any(|a| a.id == assignment_id) {
            return Err(Refusal::new(
                404,
                "NotFound",
                format!("Assignment `{assignment_id}` does not exist on job `{id}`."),
            )
            .at("assignmentId"));
        }
        if record.job.status != Some(RouterJobStatus::Assigned) {
            return Err(Refusal::conflict(
                "JobNotAssigned",
                format!("Job `{id}` is not assigned; only an assigned job can be unassigned."),
            )
            .at("jobId"));
        }
        self.release_assignments(id, now);
        let etag = self.next_etag();
        let Some(record) = self.jobs.get_mut(id) else {
            return Ok(0);
        };
        record.assignments.retain(|a| a.id != assignment_id);
        record.unassignments += 1;
        record.job.etag = etag;
        record.last_modified = now;
        let count = record.unassignments;
        if suspend_matching {
            record.job.status = Some(RouterJobStatus::WaitingForActivation);
        } else {
            self.enqueue(id, now);
        }
        Ok(count)
    }

    /// Classifies a waiting job again under its classification policy
    /// (or queues it again in its queue when it has none).
    pub fn reclassify(&mut self, id: &str, now: Timestamp) -> Result<(), Refusal> {
        let record = self
            .jobs
            .get(id)
            .ok_or_else(|| Refusal::not_found("Job", id, "jobId"))?;
        let waiting = matches!(
            record.job.status,
            Some(
                RouterJobStatus::Queued
                    | RouterJobStatus::ClassificationFailed
                    | RouterJobStatus::PendingClassification
                    | RouterJobStatus::WaitingForActivation
            )
        );
        if !waiting {
            return Err(Refusal::conflict(
                "JobNotReclassifiable",
                format!("Job `{id}` is not waiting for a worker; it cannot be reclassified."),
            )
            .at("jobId"));
        }
        let policy = record
            .job
            .classification_policy_id
            .as_ref()
            .and_then(|p| self.classification_policies.get(p));
        let classified = match policy {
            Some(policy) => Some(self.classify(&record.job, &policy.resource, now)?),
            None => None,
        };
        self.revoke_offers(id, OfferEnd::Revoked);
        self.dequeue(id);
        match classified {
            Some(classified) => self.apply_classification(id, classified, now),
            None => self.enqueue(id, now),
        }
        self.touch_job(id, now);
        Ok(())
    }

    /// Where a queued job stands in its queue.
    pub fn position(&self, id: &str) -> Result<RouterJobPositionDetails, Refusal> {
        let record = self
            .jobs
            .get(id)
            .ok_or_else(|| Refusal::not_found("Job", id, "jobId"))?;
        let queue_id = match (&record.waiting, &record.job.queue_id) {
            (Some(_), Some(queue)) => queue.clone(),
            _ => {
                return Err(Refusal::conflict(
                    "JobNotQueued",
                    format!("Job `{id}` is not queued; it has no position."),
                )
                .at("jobId"));
            }
        };
        let queued = self.queued_in(&queue_id);
        let position = queued.iter().position(|j| j == id).unwrap_or(0) + 1;
        Ok(RouterJobPositionDetails {
            estimated_wait_time_minutes: 0.0,
            job_id: id.to_owned(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            queue_id,
            queue_length: i32::try_from(queued.len()).unwrap_or(i32::MAX),
        })
    }

    /// A queue's length and how long its oldest job has waited.
    pub fn statistics(
        &self,
        queue_id: &str,
        now: Timestamp,
    ) -> Result<RouterQueueStatistics, Refusal> {
        if !self.queues.contains_key(queue_id) {
            return Err(Refusal::not_found("Queue", queue_id, "queueId"));
        }
        let queued = self.queued_in(queue_id);
        let longest = queued
            .iter()
            .filter_map(|j| self.jobs.get(j).and_then(|j| j.job.enqueued_at))
            .min()
            .map(|at| now.duration_since(at).as_secs_f64() / 60.0);
        Ok(RouterQueueStatistics {
            estimated_wait_time_minutes: None,
            length: i32::try_from(queued.len()).unwrap_or(i32::MAX),
            longest_job_wait_time_minutes: longest,
            queue_id: queue_id.to_owned(),
        })
    }

    /// The queued jobs of `queue_id`, in the order they will be offered.
    pub fn queued_in(&self, queue_id: &str) -> Vec<String> {
        self.waiting
            .values()
            .filter(|j| {
                self.jobs
                    .get(*j)
                    .is_some_and(|j| j.job.queue_id.as_deref() == Some(queue_id))
            })
            .cloned()
            .collect()
    }

    /// Scheduled jobs whose time has come wait for activation.
    pub fn activate_scheduled(&mut self, now: Timestamp) {
        while self.schedule.first().is_some_and(|(at, _)| *at <= now) {
            let Some((_, id)) = self.schedule.pop_first() else {
                break;
            };
            if let Some(record) = self.jobs.get_mut(&id)
                && record.job.status == Some(RouterJobStatus::Scheduled)
            {
                record.job.status = Some(RouterJobStatus::WaitingForActivation);
                self.touch_job(&id, now);
            }
        }
    }
}
