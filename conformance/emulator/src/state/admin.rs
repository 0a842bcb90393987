//! Distribution policies, queues, classification policies and exception
//! policies: upsert (merge-patch, preconditions, references checked),
//! get, list, delete.

use jiff::Timestamp;
use job_router_client::models::{
    ClassificationPolicy, DistributionMode, DistributionPolicy, ExceptionPolicy, RouterQueue,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::State;
use super::refusal::Refusal;
use super::store::{Preconditions, Store, Stored, patched};

/// An administration resource kind (`'static`: `State::open_upsert` reads
/// its version through any borrow of the state).
pub trait Admin: Serialize + DeserializeOwned + Clone + 'static {
    /// How messages name it (`Queue`).
    const WHAT: &'static str;
    /// The path parameter naming it (`queueId`).
    const TARGET: &'static str;
    fn store(state: &State) -> &Store<Self>;
    fn store_mut(state: &mut State) -> &mut Store<Self>;
    fn etag(&self) -> &str;
    /// Refuses what the service would refuse (a missing reference, a bad
    /// setting).
    fn check(&self, state: &State) -> Result<(), Refusal>;
}

impl State {
    /// Creates or updates `id` with `patch` merged in; answers the stored
    /// resource and whether it was created.
    pub fn upsert_admin<T: Admin>(
        &mut self,
        id: &str,
        patch: &Value,
        preconditions: &Preconditions,
        now: Timestamp,
    ) -> Result<(Stored<T>, bool), Refusal> {
        let (etag, created) = self.open_upsert(id, T::TARGET, preconditions, |state| {
            let stored = T::store(state).get(id)?;
            Some((stored.resource.etag(), stored.last_modified))
        })?;
        let current = T::store(self).get(id);
        let (resource, json_bytes): (T, _) = patched(
            current.map(|s| &s.resource),
            patch,
            &[("id", Value::from(id)), ("etag", Value::from(etag))],
        )?;
        resource.check(self)?;
        self.budget.check(T::TARGET, id, json_bytes)?;
        let stored = Stored {
            resource,
            last_modified: now,
        };
        T::store_mut(self).insert(id.to_owned(), stored.clone());
        self.budget.set(T::TARGET, id, json_bytes);
        Ok((stored, created))
    }

    pub fn get_admin<T: Admin>(&self, id: &str) -> Result<Stored<T>, Refusal> {
        T::store(self)
            .get(id)
            .cloned()
            .ok_or_else(|| Refusal::not_found(T::WHAT, id, T::TARGET))
    }

    pub fn list_admin<T: Admin>(&self) -> Vec<T> {
        T::store(self)
            .values()
            .map(|s| s.resource.clone())
            .collect()
    }

    /// Deletes `id`; deleting what does not exist succeeds (Azure
    /// guidelines: DELETE is idempotent). A resource still referenced is
    /// refused with 409.
    pub fn delete_admin<T: Admin>(&mut self, id: &str) -> Result<(), Refusal> {
        if let Some(user) = self.referrer(T::TARGET, id) {
            return Err(Refusal::conflict(
                "ResourceInUse",
                format!("{} `{id}` is still used by {user}.", T::WHAT),
            )
            .at(T::TARGET));
        }
        T::store_mut(self).shift_remove(id);
        self.budget.release(T::TARGET, id);
        Ok(())
    }

    /// What still refers to the resource `target` = `id`, if anything.
    fn referrer(&self, target: &str, id: &str) -> Option<String> {
        let queue_using = |pick: fn(&RouterQueue) -> Option<&String>| {
            self.queues
                .values()
                .find(|q| pick(&q.resource).map(String::as_str) == Some(id))
                .map(|q| format!("queue `{}`", q.resource.id))
        };
        match target {
            "distributionPolicyId" => queue_using(|q| q.distribution_policy_id.as_ref()),
            "exceptionPolicyId" => queue_using(|q| q.exception_policy_id.as_ref()),
            "queueId" => self
                .jobs
                .values()
                .find(|j| j.waiting.is_some() && j.job.queue_id.as_deref() == Some(id))
                .map(|j| format!("queued job `{}`", j.job.id)),
            _ => None,
        }
    }
}

impl Admin for DistributionPolicy {
    const WHAT: &'static str = "Distribution policy";
    const TARGET: &'static str = "distributionPolicyId";
    fn store(state: &State) -> &Store<Self> {
        &state.distribution_policies
    }
    fn store_mut(state: &mut State) -> &mut Store<Self> {
        &mut state.distribution_policies
    }
    fn etag(&self) -> &str {
        &self.etag
    }
    fn check(&self, _: &State) -> Result<(), Refusal> {
        if let Some(seconds) = self.offer_expires_after_seconds
            && !(seconds > 0.0 && seconds.is_finite())
        {
            return Err(Refusal::invalid(
                "offerExpiresAfterSeconds must be a positive number of seconds.",
                "offerExpiresAfterSeconds",
            ));
        }
        let Some(mode) = &self.mode else {
            return Err(Refusal::invalid(
                "A distribution policy needs a mode.",
                "mode",
            ));
        };
        let (min, max) = offer_bounds(mode);
        if min < 1 || max < min {
            return Err(Refusal::invalid(
                format!(
                    "minConcurrentOffers ({min}) must be at least 1 and at most \
                     maxConcurrentOffers ({max})."
                ),
                "mode",
            ));
        }
        Ok(())
    }
}

/// A mode's (minConcurrentOffers, maxConcurrentOffers), both 1 by default.
pub fn offer_bounds(mode: &DistributionMode) -> (i32, i32) {
    let (min, max) = match mode {
        DistributionMode::BestWorkerMode(m) => (m.min_concurrent_offers, m.max_concurrent_offers),
        DistributionMode::LongestIdleMode(m) => (m.min_concurrent_offers, m.max_concurrent_offers),
        DistributionMode::RoundRobinMode(m) => (m.min_concurrent_offers, m.max_concurrent_offers),
    };
    (min.unwrap_or(1), max.unwrap_or(1))
}

impl Admin for RouterQueue {
    const WHAT: &'static str = "Queue";
    const TARGET: &'static str = "queueId";
    fn store(state: &State) -> &Store<Self> {
        &state.queues
    }
    fn store_mut(state: &mut State) -> &mut Store<Self> {
        &mut state.queues
    }
    fn etag(&self) -> &str {
        &self.etag
    }
    fn check(&self, state: &State) -> Result<(), Refusal> {
        let policy = self.distribution_policy_id.as_deref().ok_or_else(|| {
            Refusal::invalid(
                "A queue needs a distributionPolicyId.",
                "distributionPolicyId",
            )
        })?;
        if !state.distribution_policies.contains_key(policy) {
            return Err(Refusal::not_found(
                "Distribution policy",
                policy,
                "distributionPolicyId",
            ));
        }
        if let Some(policy) = self.exception_policy_id.as_deref()
            && !state.exception_policies.contains_key(policy)
        {
            return Err(Refusal::not_found(
                "Exception policy",
                policy,
                "exceptionPolicyId",
            ));
        }
        Ok(())
    }
}

impl Admin for ClassificationPolicy {
    const WHAT: &'static str = "Classification policy";
    const TARGET: &'static str = "classificationPolicyId";
    fn store(state: &State) -> &Store<Self> {
        &state.classification_policies
    }
    fn store_mut(state: &mut State) -> &mut Store<Self> {
        &mut state.classification_policies
    }
    fn etag(&self) -> &str {
        &self.etag
    }
    fn check(&self, state: &State) -> Result<(), Refusal> {
        if let Some(queue) = self.fallback_queue_id.as_deref()
            && !state.queues.contains_key(queue)
        {
            return Err(Refusal::not_found("Queue", queue, "fallbackQueueId"));
        }
        Ok(())
    }
}

impl Admin for ExceptionPolicy {
    const WHAT: &'static str = "Exception policy";
    const TARGET: &'static str = "exceptionPolicyId";
    fn store(state: &State) -> &Store<Self> {
        &state.exception_policies
    }
    fn store_mut(state: &mut State) -> &mut Store<Self> {
        &mut state.exception_policies
    }
    fn etag(&self) -> &str {
        &self.etag
    }
    fn check(&self, _: &State) -> Result<(), Refusal> {
        Ok(())
    }
}
