//! What the emulator keeps per job and per worker beyond the typed
//! resource: assignments with their capacity, offers, declines, idleness.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use jiff::Timestamp;
use job_router_client::models::{RouterJob, RouterWorker};

/// A job: the resource as clients see it, plus what the router tracks.
#[derive(Debug, Clone)]
pub struct JobRecord {
    /// Status, queue, priority, selectors, notes... (assignments are
    /// rendered from `assignments`).
    pub job: RouterJob,
    pub assignments: Vec<AssignmentRecord>,
    pub last_modified: Timestamp,
    /// Its place among the queued jobs, while queued.
    pub waiting: Option<WaitKey>,
    /// When it was first enqueued, in the order of all enqueues: kept
    /// when it is queued again (unassigned, reprioritized).
    pub sequence: u64,
    /// Offers outstanding: (worker id, offer id).
    pub offers: Vec<(String, String)>,
    /// Exception rules that have fired, by policy and rule id.
    pub fired: BTreeSet<(String, String)>,
    pub unassignments: i32,
}

/// Queue order: higher priority first, then first enqueued.
pub type WaitKey = (i64, u64);

/// An assignment of the job to a worker, and the capacity it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentRecord {
    pub id: String,
    pub worker_id: String,
    pub capacity_cost: u32,
    pub channel_id: Option<String>,
    pub assigned_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// When the worker's capacity was (or will be) released.
    pub released_at: Option<Timestamp>,
    /// Whether the release has happened yet (a future `closeAt` waits).
    pub released: bool,
}

/// A worker: the resource as clients see it, plus what it holds.
#[derive(Debug, Clone)]
pub struct WorkerRecord {
    /// Capacity, channels, queues, labels, state (offers and assigned
    /// jobs are rendered from `offers` and `held`).
    pub worker: RouterWorker,
    pub offers: Vec<Offer>,
    /// Assignments whose capacity is not released yet.
    pub held: Vec<Held>,
    /// What became of the latest [`MAX_ENDED_OFFERS`] offers no longer
    /// outstanding, oldest first, so a late accept is told why (an older
    /// one is not found).
    pub ended_offers: IndexMap<String, OfferEnd>,
    /// Jobs this worker declined, and when they may be offered again
    /// (`None`: never).
    pub declined: HashMap<String, Option<Timestamp>>,
    /// Since when it has been available (registration or its last
    /// assignment), for longestIdle.
    pub idle_since: Timestamp,
    pub last_modified: Timestamp,
}

/// Ended offers a worker remembers.
pub const MAX_ENDED_OFFERS: usize = 1_000;

/// An outstanding offer of a job to a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub id: String,
    pub job_id: String,
    pub capacity_cost: u32,
    pub channel_id: Option<String>,
    pub offered_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

/// Capacity held by an assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub job_id: String,
    pub assignment_id: String,
    pub capacity_cost: u32,
    pub channel_id: Option<String>,
    pub assigned_at: Timestamp,
}

/// How an offer stopped being outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferEnd {
    Accepted,
    Declined,
    Expired,
    /// Withdrawn: the job was accepted elsewhere, cancelled, reclassified,
    /// or the worker stopped taking offers.
    Revoked,
}

impl JobRecord {
    /// A job just created at `now`: not queued, offered or assigned yet.
    pub fn new(job: RouterJob, now: Timestamp) -> Self {
        JobRecord {
            job,
            assignments: Vec::new(),
            last_modified: now,
            waiting: None,
            sequence: 0,
            offers: Vec::new(),
            fired: BTreeSet::new(),
            unassignments: 0,
        }
    }

    /// Its ETag and Last-Modified, as preconditions check them.
    pub fn version(&self) -> (&str, Timestamp) {
        (&self.job.etag, self.last_modified)
    }
}

impl WorkerRecord {
    /// A worker just registered at `now`: no offers, assignments or
    /// declines, idle since `now`.
    pub fn new(worker: RouterWorker, now: Timestamp) -> Self {
        WorkerRecord {
            worker,
            offers: Vec::new(),
            held: Vec::new(),
            ended_offers: IndexMap::new(),
            declined: HashMap::new(),
            idle_since: now,
            last_modified: now,
        }
    }

    /// Its ETag and Last-Modified, as preconditions check them.
    pub fn version(&self) -> (&str, Timestamp) {
        (&self.worker.etag, self.last_modified)
    }

    /// Remembers how `offer_id` ended, forgetting the oldest past
    /// [`MAX_ENDED_OFFERS`].
    pub fn remember_end(&mut self, offer_id: &str, end: OfferEnd) {
        if self.ended_offers.len() == MAX_ENDED_OFFERS {
            self.ended_offers.shift_remove_index(0);
        }
        self.ended_offers.insert(offer_id.to_owned(), end);
    }

    /// Capacity in use: assignments not released and offers outstanding.
    pub fn used_capacity(&self) -> u32 {
        let held: u32 = self.held.iter().map(|h| h.capacity_cost).sum();
        let offered: u32 = self.offers.iter().map(|o| o.capacity_cost).sum();
        held.saturating_add(offered)
    }

    /// Jobs of `channel` held or offered.
    pub fn jobs_in_channel(&self, channel: &str) -> usize {
        let held = self
            .held
            .iter()
            .filter(|h| h.channel_id.as_deref() == Some(channel));
        let offered = self
            .offers
            .iter()
            .filter(|o| o.channel_id.as_deref() == Some(channel));
        held.count() + offered.count()
    }

    /// The worker's total capacity (0 when unset).
    pub fn capacity(&self) -> u32 {
        self.worker
            .capacity
            .and_then(|c| u32::try_from(c).ok())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_remembers_the_latest_ended_offers_only() {
        let mut worker = WorkerRecord::new(super::super::blank_worker(), Timestamp::UNIX_EPOCH);
        for n in 0..=MAX_ENDED_OFFERS {
            worker.remember_end(&format!("offer-{n}"), OfferEnd::Declined);
        }
        assert_eq!(worker.ended_offers.len(), MAX_ENDED_OFFERS);
        assert_eq!(worker.ended_offers.get("offer-0"), None);
        assert_eq!(
            worker.ended_offers.get("offer-1"),
            Some(&OfferEnd::Declined)
        );
        let last = format!("offer-{MAX_ENDED_OFFERS}");
        assert_eq!(worker.ended_offers.get(&last), Some(&OfferEnd::Declined));
    }
}
