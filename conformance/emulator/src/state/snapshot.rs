//! The state as a plain value to inspect in tests: jobs with their
//! assignments and notes, workers with the capacity in use, events.

use jiff::Timestamp;
use serde::Serialize;

use super::{Event, State};
use crate::host::fixtures::JobStatus;

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
    /// Held by assignments not released and by outstanding offers.
    pub used_capacity: u32,
}

/// Everything the endpoint holds, as a value to inspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub jobs: Vec<Job>,
    pub workers: Vec<Worker>,
    pub events: Vec<Event>,
}

impl State {
    /// The state as of `now`.
    pub fn snapshot(&mut self, now: Timestamp) -> Snapshot {
        self.advance(now);
        let jobs = self
            .jobs
            .values()
            .map(|record| Job {
                id: record.job.id.clone(),
                status: JobStatus::from_router(record.job.status.as_ref()),
                assignments: record
                    .assignments
                    .iter()
                    .map(|a| Assignment {
                        id: a.id.clone(),
                        worker_id: a.worker_id.clone(),
                        capacity_cost: a.capacity_cost,
                        released_at: a.released_at,
                        released: a.released,
                    })
                    .collect(),
                notes: record
                    .job
                    .notes
                    .iter()
                    .flatten()
                    .map(|n| Note {
                        message: n.message.clone(),
                        added_at: n.added_at.unwrap_or(record.last_modified),
                    })
                    .collect(),
                disposition_code: record.job.disposition_code.clone(),
            })
            .collect();
        let workers = self
            .workers
            .values()
            .map(|w| Worker {
                id: w.worker.id.clone(),
                capacity: w.capacity(),
                used_capacity: w.used_capacity(),
            })
            .collect();
        Snapshot {
            jobs,
            workers,
            events: self.events.iter().cloned().collect(),
        }
    }
}
