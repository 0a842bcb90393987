//! The Job Router state behind the endpoint, and what closing a job does
//! to it, as the documentation describes.

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use serde::Serialize;

use super::fixtures::{Fixtures, JobStatus};

/// What a job records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub status: JobStatus,
    pub assignments: Vec<Assignment>,
    pub notes: Vec<Note>,
    pub disposition_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    pub id: String,
    pub worker_id: String,
    pub capacity_cost: u32,
    /// When the worker's capacity was (or will be) released.
    pub released_at: Option<Timestamp>,
    /// Whether the release has happened yet (a future `closeAt` waits).
    pub released: bool,
}

/// A note as the service stores it: `{message, addedAt}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub message: String,
    pub added_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Worker {
    pub id: String,
    pub capacity: u32,
    pub used_capacity: u32,
}

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

/// Everything the endpoint holds, as a value to inspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub jobs: Vec<Job>,
    pub workers: Vec<Worker>,
    pub events: Vec<Event>,
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

/// Why a close is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseError {
    #[error("Job `{0}` does not exist.")]
    JobNotFound(String),
    #[error("Assignment `{assignment_id}` does not exist on job `{job_id}`.")]
    AssignmentNotFound {
        job_id: String,
        assignment_id: String,
    },
    #[error("Job `{0}` is already closed.")]
    AlreadyClosed(String),
    #[error("Job `{job_id}` is {status:?}; only a completed job can be closed.")]
    NotCompleted { job_id: String, status: JobStatus },
}

/// The disposition the live service records when none is given.
const DEFAULT_DISPOSITION: &str = "Closed";

/// Jobs, workers and events, with releases that wait for their time.
#[derive(Debug, Clone)]
pub struct State {
    jobs: HashMap<String, Job>,
    /// Job ids in fixture order, for stable snapshots.
    order: Vec<String>,
    workers: Vec<Worker>,
    events: Vec<Event>,
    /// Releases waiting for their time: (when, job id, assignment index).
    scheduled: BTreeSet<(Timestamp, String, usize)>,
}

impl State {
    pub fn new(fixtures: &Fixtures) -> Self {
        let mut workers: Vec<Worker> = fixtures
            .workers
            .iter()
            .map(|w| Worker {
                id: w.id.clone(),
                capacity: w.capacity,
                used_capacity: 0,
            })
            .collect();
        let mut jobs = HashMap::new();
        let mut order = Vec::new();
        for job in &fixtures.jobs {
            let holds_capacity = job.status != JobStatus::Closed;
            let assignments = job
                .assignments
                .iter()
                .map(|a| {
                    if holds_capacity
                        && let Some(w) = workers.iter_mut().find(|w| w.id == a.worker_id)
                    {
                        w.used_capacity += a.capacity_cost;
                    }
                    Assignment {
                        id: a.id.clone(),
                        worker_id: a.worker_id.clone(),
                        capacity_cost: a.capacity_cost,
                        released_at: None,
                        released: !holds_capacity,
                    }
                })
                .collect();
            order.push(job.id.clone());
            jobs.insert(
                job.id.clone(),
                Job {
                    id: job.id.clone(),
                    status: job.status,
                    assignments,
                    notes: Vec::new(),
                    disposition_code: None,
                },
            );
        }
        Self {
            jobs,
            order,
            workers,
            events: Vec::new(),
            scheduled: BTreeSet::new(),
        }
    }

    /// Closes a completed job at `now`: the job is closed at once, its
    /// disposition and note recorded; the worker's capacity is released,
    /// with a `JobClosed` event, at `closeAt` if that is in the future,
    /// now otherwise.
    pub fn close(&mut self, close: Close, now: Timestamp) -> Result<(), CloseError> {
        self.release_due(now);
        let job = self
            .jobs
            .get_mut(&close.job_id)
            .ok_or_else(|| CloseError::JobNotFound(close.job_id.clone()))?;
        let index = job
            .assignments
            .iter()
            .position(|a| a.id == close.assignment_id)
            .ok_or_else(|| CloseError::AssignmentNotFound {
                job_id: close.job_id.clone(),
                assignment_id: close.assignment_id.clone(),
            })?;
        match job.status {
            JobStatus::Completed => {}
            JobStatus::Closed => return Err(CloseError::AlreadyClosed(close.job_id)),
            status => {
                return Err(CloseError::NotCompleted {
                    job_id: close.job_id,
                    status,
                });
            }
        }
        job.status = JobStatus::Closed;
        job.disposition_code = Some(
            close
                .disposition_code
                .unwrap_or_else(|| DEFAULT_DISPOSITION.to_owned()),
        );
        if let Some(message) = close.note {
            job.notes.push(Note {
                message,
                added_at: now,
            });
        }
        let release_at = close.close_at.filter(|at| *at > now).unwrap_or(now);
        job.assignments[index].released_at = Some(release_at);
        self.scheduled.insert((release_at, close.job_id, index));
        self.release_due(now);
        Ok(())
    }

    /// Releases every capacity whose time has come, in time order.
    pub fn release_due(&mut self, now: Timestamp) {
        while let Some(first) = self.scheduled.first() {
            if first.0 > now {
                break;
            }
            let Some((at, job_id, index)) = self.scheduled.pop_first() else {
                break;
            };
            let Some(job) = self.jobs.get_mut(&job_id) else {
                continue;
            };
            let assignment = &mut job.assignments[index];
            assignment.released = true;
            if let Some(worker) = self
                .workers
                .iter_mut()
                .find(|w| w.id == assignment.worker_id)
            {
                worker.used_capacity = worker
                    .used_capacity
                    .saturating_sub(assignment.capacity_cost);
            }
            self.events.push(Event::JobClosed {
                job_id: job_id.clone(),
                assignment_id: assignment.id.clone(),
                worker_id: assignment.worker_id.clone(),
                disposition_code: job.disposition_code.clone().unwrap_or_default(),
                at,
            });
        }
    }

    /// The state as of `now`.
    pub fn snapshot(&mut self, now: Timestamp) -> Snapshot {
        self.release_due(now);
        Snapshot {
            jobs: self
                .order
                .iter()
                .filter_map(|id| self.jobs.get(id).cloned())
                .collect(),
            workers: self.workers.clone(),
            events: self.events.clone(),
        }
    }
}
