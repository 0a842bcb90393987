//! Everything the emulator holds, behind one lock: every operation checks
//! all it needs, then applies, so invariants hold under concurrency (a
//! worker never exceeds its capacity, an offer is accepted at most once).
//!
//! Time moves only through the injected clock. Nothing runs between
//! requests: each operation first brings the state up to the clock's now
//! (releases due at `closeAt`, expired offers and selectors, exception
//! triggers, matching), and matching runs again after every change. No
//! client can observe the state between two requests, so this lazy
//! evaluation answers exactly as a scheduler would, and under a
//! `ManualClock` it is deterministic.

pub mod admin;
mod budget;
mod classify;
mod close;
mod exceptions;
pub mod jobs;
mod lifecycle;
mod matching;
mod offers;
pub mod records;
pub mod refusal;
mod selectors;
mod snapshot;
pub mod store;
pub mod workers;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use indexmap::IndexMap;
use jiff::Timestamp;
use job_router_client::models::{
    ClassificationPolicy, DistributionPolicy, ExceptionPolicy, RouterJob, RouterQueue,
    RouterWorker, RouterWorkerState,
};

pub use budget::RESOURCE_OVERHEAD;
pub use close::{Close, Event};
pub use snapshot::{Assignment, Job, Note, Snapshot, Worker};

use crate::host::fixtures::Fixtures;
use budget::Budget;
use records::{AssignmentRecord, Held, JobRecord, WaitKey, WorkerRecord};
use store::Store;

/// Jobs, workers, policies and queues.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub distribution_policies: Store<DistributionPolicy>,
    pub queues: Store<RouterQueue>,
    pub classification_policies: Store<ClassificationPolicy>,
    pub exception_policies: Store<ExceptionPolicy>,
    pub workers: IndexMap<String, WorkerRecord>,
    pub jobs: IndexMap<String, JobRecord>,
    /// Queued jobs in the order they are offered.
    pub waiting: BTreeMap<WaitKey, String>,
    /// The latest [`MAX_EVENTS`] events, oldest first.
    pub events: VecDeque<Event>,
    /// Releases waiting for their time: (when, job id, assignment id).
    releases: BTreeSet<(Timestamp, String, String)>,
    /// Scheduled jobs waiting for their time: (scheduleAt, job id).
    pub schedule: BTreeSet<(Timestamp, String)>,
    /// The last worker each roundRobin distribution policy offered to.
    pub round_robin: HashMap<String, String>,
    /// Source of ETags and of the queue order.
    versions: u64,
    /// What the resources created through the API are charged.
    budget: Budget,
    /// How many offer and assignment ids it has made.
    ids: u64,
}

/// Events kept: the live service hands them to Event Grid and forgets
/// them; the emulator keeps the latest for tests to read.
pub const MAX_EVENTS: usize = 100_000;

impl State {
    /// The state the fixtures describe, at `now`, or the first seed its
    /// upsert refuses.
    pub fn new(fixtures: &Fixtures, now: Timestamp) -> Result<Self, String> {
        let mut state = State::default();
        for worker in &fixtures.workers {
            let etag = state.next_etag();
            let seeded = RouterWorker {
                id: worker.id.clone(),
                etag,
                capacity: Some(i32::try_from(worker.capacity).unwrap_or(i32::MAX)),
                state: Some(RouterWorkerState::Inactive),
                available_for_offers: Some(false),
                ..blank_worker()
            };
            let record = WorkerRecord::new(seeded, now);
            state.workers.insert(worker.id.clone(), record);
        }
        for job in &fixtures.jobs {
            state.seed_job(job, now);
        }
        state.seed(fixtures, now)?;
        Ok(state)
    }

    /// The same state, refusing changes that would store more than
    /// `bytes` (see [`budget`]).
    pub fn with_storage_limit(mut self, bytes: usize) -> Self {
        self.budget = Budget::new(bytes);
        self
    }

    /// Upserts each seeded resource, as the API would, in dependency order.
    fn seed(&mut self, fixtures: &Fixtures, now: Timestamp) -> Result<(), String> {
        use job_router_client::models::{
            ClassificationPolicy, DistributionPolicy, ExceptionPolicy, RouterQueue,
        };
        let any = store::Preconditions::default();
        let refused = |kind: &str, id: &str, r: refusal::Refusal| {
            format!("{kind} `{id}`: {} ({})", r.message, r.code)
        };
        let body =
            |seed: &crate::host::fixtures::Seed| serde_json::Value::Object(seed.body.clone());
        for seed in &fixtures.exception_policies {
            self.upsert_admin::<ExceptionPolicy>(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("exception policy", &seed.id, r))?;
        }
        for seed in &fixtures.distribution_policies {
            self.upsert_admin::<DistributionPolicy>(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("distribution policy", &seed.id, r))?;
        }
        for seed in &fixtures.queues {
            self.upsert_admin::<RouterQueue>(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("queue", &seed.id, r))?;
        }
        for seed in &fixtures.classification_policies {
            self.upsert_admin::<ClassificationPolicy>(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("classification policy", &seed.id, r))?;
        }
        for seed in &fixtures.router_workers {
            self.upsert_worker(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("worker", &seed.id, r))?;
        }
        for seed in &fixtures.router_jobs {
            self.upsert_job(&seed.id, &body(seed), &any, now)
                .map_err(|r| refused("job", &seed.id, r))?;
        }
        self.advance(now);
        for offer in &fixtures.offers {
            self.pin_offer(offer)?;
        }
        Ok(())
    }

    /// A fixture job with its assignments; those of a job not closed hold
    /// their worker's capacity.
    fn seed_job(&mut self, fixture: &crate::host::fixtures::JobFixture, now: Timestamp) {
        let holds_capacity = fixture.status != crate::host::fixtures::JobStatus::Closed;
        let mut assignments = Vec::new();
        for a in &fixture.assignments {
            if holds_capacity && let Some(worker) = self.workers.get_mut(&a.worker_id) {
                worker.held.push(Held {
                    job_id: fixture.id.clone(),
                    assignment_id: a.id.clone(),
                    capacity_cost: a.capacity_cost,
                    channel_id: None,
                    assigned_at: now,
                });
            }
            assignments.push(AssignmentRecord {
                id: a.id.clone(),
                worker_id: a.worker_id.clone(),
                capacity_cost: a.capacity_cost,
                channel_id: None,
                assigned_at: now,
                completed_at: None,
                closed_at: None,
                released_at: None,
                released: !holds_capacity,
            });
        }
        let etag = self.next_etag();
        let seeded = RouterJob {
            id: fixture.id.clone(),
            etag,
            status: Some(fixture.status.into()),
            ..blank_job()
        };
        let record = JobRecord {
            assignments,
            ..JobRecord::new(seeded, now)
        };
        self.jobs.insert(fixture.id.clone(), record);
    }

    /// A fresh ETag (quoted, as HTTP writes them).
    pub fn next_etag(&mut self) -> String {
        self.versions += 1;
        format!("\"{:x}\"", self.versions)
    }

    /// A fresh offer or assignment id: a version-4-shaped UUID numbered in
    /// the order this state made it, so the same requests get the same ids
    /// and a workflow run is reproducible (the live service's are random;
    /// no client may rely on either).
    pub fn next_id(&mut self) -> String {
        self.ids += 1;
        uuid::Builder::from_random_bytes(u128::from(self.ids).to_be_bytes())
            .into_uuid()
            .to_string()
    }

    /// A fresh position at the back of the queue order.
    pub fn next_sequence(&mut self) -> u64 {
        self.versions += 1;
        self.versions
    }

    /// Brings the state up to `now`: releases due, offers and selectors
    /// expired, exception triggers, then matching.
    pub fn advance(&mut self, now: Timestamp) {
        self.release_due(now);
        self.expire_offers(now);
        self.activate_scheduled(now);
        self.run_exceptions(now);
        self.match_jobs(now);
    }
}

/// A worker with nothing set but its id and etag (filled by the caller).
pub fn blank_worker() -> RouterWorker {
    RouterWorker {
        assigned_jobs: None,
        available_for_offers: None,
        capacity: None,
        channels: None,
        etag: String::new(),
        id: String::new(),
        labels: None,
        load_ratio: None,
        offers: None,
        queues: None,
        state: None,
        tags: None,
    }
}

/// A job with nothing set but its id and etag (filled by the caller).
pub fn blank_job() -> RouterJob {
    RouterJob {
        assignments: None,
        attached_worker_selectors: None,
        channel_id: None,
        channel_reference: None,
        classification_policy_id: None,
        disposition_code: None,
        enqueued_at: None,
        etag: String::new(),
        id: String::new(),
        labels: None,
        matching_mode: None,
        notes: None,
        priority: None,
        queue_id: None,
        requested_worker_selectors: None,
        scheduled_at: None,
        status: None,
        tags: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two jobs queued one after the other, with no other change between,
    /// still take two places: the queue order is keyed by this number.
    #[test]
    fn each_queue_position_is_behind_the_last_one_given() {
        let mut state = State::new(&Fixtures::empty(), Timestamp::UNIX_EPOCH).expect("state");
        let first = state.next_sequence();
        let second = state.next_sequence();
        assert!(second > first, "{first} then {second}");
    }
}
