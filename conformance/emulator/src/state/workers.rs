//! Workers: registered by merge-patch upsert, shown with their offers and
//! assigned jobs, listed with the spec's filters, deleted.

use jiff::Timestamp;
use job_router_client::models::{
    ListWorkersState, RouterJobOffer, RouterWorker, RouterWorkerAssignment, RouterWorkerState,
};
use serde_json::Value;

use super::State;
use super::matching::load_ratio;
use super::records::{OfferEnd, WorkerRecord};
use super::refusal::Refusal;
use super::store::{Preconditions, patched};

/// The filters of List Workers.
#[derive(Debug, Clone, Default)]
pub struct WorkerFilter {
    pub state: Option<ListWorkersState>,
    pub channel_id: Option<String>,
    pub queue_id: Option<String>,
    pub has_capacity: Option<bool>,
}

impl State {
    /// Creates or updates (answering whether it created) a worker. Registering (`availableForOffers`
    /// true) makes it active and resets its idle time; deregistering
    /// revokes its offers, and it drains until its assignments end.
    pub fn upsert_worker(
        &mut self,
        id: &str,
        patch: &Value,
        preconditions: &Preconditions,
        now: Timestamp,
    ) -> Result<bool, Refusal> {
        let (etag, created) = self.open_upsert(id, "workerId", preconditions, |state| {
            state.workers.get(id).map(WorkerRecord::version)
        })?;
        let current = self.workers.get(id);
        let was_available = current.is_some_and(|w| w.worker.available_for_offers == Some(true));
        let read_only = ["assignedJobs", "loadRatio", "offers", "state"].map(|k| (k, Value::Null));
        let mut fixed = vec![("id", Value::from(id)), ("etag", Value::from(etag))];
        fixed.extend(read_only);
        let (worker, json_bytes): (RouterWorker, _) =
            patched(current.map(|w| &w.worker), patch, &fixed)?;
        self.check_worker(&worker)?;
        self.budget.check("workerId", id, json_bytes)?;
        let available = worker.available_for_offers == Some(true);
        let record = self
            .workers
            .entry(id.to_owned())
            .or_insert_with(|| WorkerRecord::new(worker.clone(), now));
        record.worker = worker;
        record.last_modified = now;
        self.budget.set("workerId", id, json_bytes);
        if available && !was_available {
            record.idle_since = now;
        }
        if !available {
            let offers: Vec<String> = record.offers.iter().map(|o| o.id.clone()).collect();
            for offer in offers {
                self.end_offer(id, &offer, OfferEnd::Revoked);
            }
        }
        Ok(created)
    }

    fn check_worker(&self, worker: &RouterWorker) -> Result<(), Refusal> {
        if worker.capacity.is_some_and(|c| c < 0) {
            return Err(Refusal::invalid(
                "capacity must not be negative.",
                "capacity",
            ));
        }
        for channel in worker.channels.iter().flatten() {
            if channel.capacity_cost_per_job < 1
                || channel.max_number_of_jobs.is_some_and(|m| m < 1)
            {
                return Err(Refusal::invalid(
                    format!(
                        "Channel `{}`: capacityCostPerJob and maxNumberOfJobs must be at least 1.",
                        channel.channel_id
                    ),
                    "channels",
                ));
            }
        }
        for queue in worker.queues.iter().flatten() {
            if !self.queues.contains_key(queue) {
                return Err(Refusal::not_found("Queue", queue, "queues"));
            }
        }
        Ok(())
    }

    /// The worker as clients see it: its state, load, offers and assignments.
    pub fn render_worker(&self, id: &str) -> Result<RouterWorker, Refusal> {
        let record = self
            .workers
            .get(id)
            .ok_or_else(|| Refusal::not_found("Worker", id, "workerId"))?;
        let mut worker = record.worker.clone();
        worker.state = Some(worker_state(record));
        worker.load_ratio = Some(load_ratio(record));
        worker.offers = Some(
            record
                .offers
                .iter()
                .map(|o| RouterJobOffer {
                    capacity_cost: i32::try_from(o.capacity_cost).unwrap_or(i32::MAX),
                    expires_at: o.expires_at,
                    job_id: o.job_id.clone(),
                    offer_id: o.id.clone(),
                    offered_at: Some(o.offered_at),
                })
                .collect(),
        );
        worker.assigned_jobs = Some(
            record
                .held
                .iter()
                .map(|h| RouterWorkerAssignment {
                    assigned_at: h.assigned_at,
                    assignment_id: h.assignment_id.clone(),
                    capacity_cost: i32::try_from(h.capacity_cost).unwrap_or(i32::MAX),
                    job_id: h.job_id.clone(),
                })
                .collect(),
        );
        Ok(worker)
    }

    /// The workers the filter selects, in registration order.
    pub fn list_workers(&self, filter: &WorkerFilter) -> Vec<RouterWorker> {
        self.workers
            .values()
            .filter(|w| {
                let state = worker_state(w);
                let state_ok = match &filter.state {
                    None | Some(ListWorkersState::All) => true,
                    Some(ListWorkersState::Active) => state == RouterWorkerState::Active,
                    Some(ListWorkersState::Draining) => state == RouterWorkerState::Draining,
                    Some(ListWorkersState::Inactive) => state == RouterWorkerState::Inactive,
                    Some(ListWorkersState::Other(_)) => false,
                };
                let channels: Vec<_> = w.worker.channels.iter().flatten().collect();
                let channel = filter
                    .channel_id
                    .as_ref()
                    .map(|id| channels.iter().find(|c| &c.channel_id == id));
                let channel_ok = channel.is_none_or(|c| c.is_some());
                let queue_ok = filter
                    .queue_id
                    .as_ref()
                    .is_none_or(|q| w.worker.queues.iter().flatten().any(|x| x == q));
                let free = w.capacity().saturating_sub(w.used_capacity());
                let fits = |cost: i32| u32::try_from(cost).is_ok_and(|c| c <= free);
                let capacity_ok = filter.has_capacity != Some(true)
                    || match channel {
                        Some(Some(c)) => fits(c.capacity_cost_per_job),
                        Some(None) => false,
                        None => channels.iter().any(|c| fits(c.capacity_cost_per_job)),
                    };
                state_ok && channel_ok && queue_ok && capacity_ok
            })
            .filter_map(|w| self.render_worker(&w.worker.id).ok())
            .collect()
    }

    /// Deletes a worker; one still holding an assignment is refused (409),
    /// a missing one is already deleted (204).
    pub fn delete_worker(&mut self, id: &str) -> Result<(), Refusal> {
        let Some(record) = self.workers.get(id) else {
            return Ok(());
        };
        if let Some(held) = record.held.first() {
            return Err(Refusal::conflict(
                "WorkerHasAssignments",
                format!(
                    "Worker `{id}` still holds job `{}`; complete and close it first.",
                    held.job_id
                ),
            )
            .at("workerId"));
        }
        let offers: Vec<String> = record.offers.iter().map(|o| o.id.clone()).collect();
        for offer in offers {
            self.end_offer(id, &offer, OfferEnd::Revoked);
        }
        self.workers.shift_remove(id);
        self.budget.release("workerId", id);
        Ok(())
    }
}

/// Active while available for offers; otherwise draining while it still
/// holds assignments, then inactive.
fn worker_state(worker: &WorkerRecord) -> RouterWorkerState {
    if worker.worker.available_for_offers == Some(true) {
        RouterWorkerState::Active
    } else if worker.held.is_empty() {
        RouterWorkerState::Inactive
    } else {
        RouterWorkerState::Draining
    }
}
