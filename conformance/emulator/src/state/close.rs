//! Completing and closing a job, as the documentation describes: closing
//! releases the worker's capacity now or at `closeAt`.

use std::collections::VecDeque;

use jiff::Timestamp;
use job_router_client::models::{RouterJobNote, RouterJobStatus};
use serde::Serialize;

use super::State;
use super::refusal::Refusal;

/// What the service would notify (Event Grid `RouterJobClosed`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Event {
    JobClosed {
        job_id: String,
        assignment_id: String,
        worker_id: String,
        disposition_code: String,
        at: Timestamp,
    },
}

/// A close request, already decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Close {
    pub job_id: String,
    pub assignment_id: String,
    pub close_at: Option<Timestamp>,
    pub disposition_code: Option<String>,
    pub note: Option<String>,
}

/// The disposition the live service records when none is given.
const DEFAULT_DISPOSITION: &str = "Closed";

impl State {
    /// The index of `assignment_id` on job `job_id`, or why there is none.
    fn assignment_index(&self, job_id: &str, assignment_id: &str) -> Result<usize, Refusal> {
        let job = self
            .jobs
            .get(job_id)
            .ok_or_else(|| Refusal::not_found("Job", job_id, "jobId"))?;
        job.assignments
            .iter()
            .position(|a| a.id == assignment_id)
            .ok_or_else(|| {
                Refusal::new(
                    404,
                    "NotFound",
                    format!("Assignment `{assignment_id}` does not exist on job `{job_id}`."),
                )
                .at("assignmentId")
            })
    }

    /// Completes an assigned job; its worker keeps the capacity until the
    /// job is closed.
    pub fn complete(
        &mut self,
        job_id: &str,
        assignment_id: &str,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<(), Refusal> {
        let index = self.assignment_index(job_id, assignment_id)?;
        self.budget.check_note(note.as_deref())?;
        let etag = self.next_etag();
        let record = self
            .jobs
            .get_mut(job_id)
            .ok_or_else(|| Refusal::not_found("Job", job_id, "jobId"))?;
        let status = record.job.status.clone();
        if status != Some(RouterJobStatus::Assigned) {
            return Err(Refusal::conflict(
                "JobNotAssigned",
                format!(
                    "Job `{job_id}` is {}; only an assigned job can be completed.",
                    status.as_ref().map_or("created", |s| s.as_str())
                ),
            )
            .at("jobId"));
        }
        record.job.status = Some(RouterJobStatus::Completed);
        record.assignments[index].completed_at = Some(now);
        self.budget.add_note("jobId", job_id, note.as_deref());
        add_note(&mut record.job.notes, note, now);
        record.job.etag = etag;
        record.last_modified = now;
        Ok(())
    }

    /// Closes a completed job at `now`: the job is closed at once, its
    /// disposition and note recorded; the worker's capacity is released,
    /// with a `JobClosed` event, at `closeAt` if that is in the future,
    /// now otherwise.
    pub fn close(&mut self, close: Close, now: Timestamp) -> Result<(), Refusal> {
        let index = self.assignment_index(&close.job_id, &close.assignment_id)?;
        self.budget.check_note(close.note.as_deref())?;
        let etag = self.next_etag();
        let job_id = close.job_id;
        let record = self
            .jobs
            .get_mut(&job_id)
            .ok_or_else(|| Refusal::not_found("Job", &job_id, "jobId"))?;
        match &record.job.status {
            Some(RouterJobStatus::Completed) => {}
            Some(RouterJobStatus::Closed) => {
                return Err(Refusal::conflict(
                    "JobAlreadyClosed",
                    format!("Job `{job_id}` is already closed."),
                )
                .at("jobId"));
            }
            status => {
                let status = status.as_ref().map_or("created", |s| s.as_str());
                return Err(Refusal::conflict(
                    "JobNotCompleted",
                    format!("Job `{job_id}` is {status}; only a completed job can be closed."),
                )
                .at("jobId"));
            }
        }
        record.job.status = Some(RouterJobStatus::Closed);
        record.job.disposition_code = Some(
            close
                .disposition_code
                .unwrap_or_else(|| DEFAULT_DISPOSITION.to_owned()),
        );
        self.budget
            .add_note("jobId", &job_id, close.note.as_deref());
        add_note(&mut record.job.notes, close.note, now);
        record.job.etag = etag;
        record.last_modified = now;
        let release_at = close.close_at.filter(|at| *at > now).unwrap_or(now);
        let assignment = &mut record.assignments[index];
        assignment.closed_at = Some(now);
        assignment.released_at = Some(release_at);
        self.schedule_release(release_at, job_id, close.assignment_id);
        self.release_due(now);
        Ok(())
    }

    /// Releases every capacity whose time has come, in time order.
    pub fn release_due(&mut self, now: Timestamp) {
        while let Some(first) = self.releases.first() {
            if first.0 > now {
                break;
            }
            let Some((at, job_id, assignment_id)) = self.releases.pop_first() else {
                break;
            };
            let Some(job) = self.jobs.get_mut(&job_id) else {
                continue;
            };
            let Some(assignment) = job.assignments.iter_mut().find(|a| a.id == assignment_id)
            else {
                continue;
            };
            assignment.released = true;
            if let Some(worker) = self.workers.get_mut(&assignment.worker_id) {
                worker
                    .held
                    .retain(|h| h.assignment_id != assignment_id || h.job_id != job_id);
            }
            notify(
                &mut self.events,
                Event::JobClosed {
                    job_id: job_id.clone(),
                    assignment_id,
                    worker_id: assignment.worker_id.clone(),
                    disposition_code: job.job.disposition_code.clone().unwrap_or_default(),
                    at,
                },
            );
        }
    }

    /// Releases the capacity of `assignment_id` of `job_id` at `at`.
    pub fn schedule_release(&mut self, at: Timestamp, job_id: String, assignment_id: String) {
        self.releases.insert((at, job_id, assignment_id));
    }
}

/// Keeps `event` for [`super::Snapshot`], the oldest dropped past
/// [`super::MAX_EVENTS`].
fn notify(events: &mut VecDeque<Event>, event: Event) {
    if events.len() == super::MAX_EVENTS {
        events.pop_front();
    }
    events.push_back(event);
}

/// Appends a note `{message, addedAt: now}` when there is one.
pub fn add_note(notes: &mut Option<Vec<RouterJobNote>>, message: Option<String>, now: Timestamp) {
    if let Some(message) = message {
        notes.get_or_insert_with(Vec::new).push(RouterJobNote {
            added_at: Some(now),
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_max_events_the_oldest_event_is_dropped() {
        let mut events = VecDeque::new();
        let event = |n: usize| Event::JobClosed {
            job_id: format!("job-{n}"),
            assignment_id: String::new(),
            worker_id: String::new(),
            disposition_code: String::new(),
            at: Timestamp::UNIX_EPOCH,
        };
        for n in 0..=super::super::MAX_EVENTS {
            notify(&mut events, event(n));
        }
        assert_eq!(events.len(), super::super::MAX_EVENTS);
        assert_eq!(events.front(), Some(&event(1)));
        assert_eq!(events.back(), Some(&event(super::super::MAX_EVENTS)));
    }
}
