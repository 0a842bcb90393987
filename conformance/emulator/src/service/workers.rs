//! Workers and their offers.

use job_router_client::models::*;
use job_router_client::server::*;

use serde_json::Value;

use super::{Answer, Exchange, Versioned};
use crate::state::store::{Preconditions, page};
use crate::state::workers::WorkerFilter;

impl Exchange<'_> {
    pub(super) fn workers_page(&self, input: ListWorkersInput) -> Answer<PagedRouterWorker> {
        let filter = WorkerFilter {
            state: input.state,
            channel_id: input.channel_id,
            queue_id: input.queue_id,
            has_capacity: input.has_capacity,
        };
        self.run(&input.api_version, |state, _| {
            let start = self.continuation()?;
            let (value, next) = page(&state.list_workers(&filter), start, input.maxpagesize);
            let next_link = self.next_link("/routing/workers", next);
            Ok(PagedRouterWorker { value, next_link })
        })
    }

    pub(super) fn worker(&self, api_version: &str, id: &str) -> Answer<Versioned<RouterWorker>> {
        self.run(api_version, |state, now| {
            let worker = state.render_worker(id)?;
            let modified = state.workers.get(id).map_or(now, |w| w.last_modified);
            Ok(Versioned::new(worker.etag.clone(), worker, false, modified))
        })
    }

    pub(super) fn remove_worker(&self, api_version: &str, id: &str) -> Answer<()> {
        self.run(api_version, |state, _| state.delete_worker(id))
    }

    pub(super) fn put_worker(
        &self,
        api_version: &str,
        id: &str,
        patch: &Value,
        preconditions: Preconditions,
    ) -> Answer<Versioned<RouterWorker>> {
        self.run(api_version, |state, now| {
            let created = state.upsert_worker(id, patch, &preconditions, now)?;
            // Matching may have offered it a job already: answer as of after.
            state.advance(now);
            let worker = state.render_worker(id)?;
            Ok(Versioned::new(worker.etag.clone(), worker, created, now))
        })
    }

    pub(super) fn accept(
        &self,
        api_version: &str,
        worker_id: &str,
        offer_id: &str,
    ) -> Answer<AcceptJobOfferResult> {
        self.run(api_version, |state, now| {
            state.accept(worker_id, offer_id, now)
        })
    }

    pub(super) fn decline(&self, input: DeclineJobOfferInput) -> Answer<DeclineJobOfferResult> {
        let retry = input.options.and_then(|o| o.retry_offer_at);
        self.run(&input.api_version, |state, _| {
            state.decline(&input.worker_id, &input.offer_id, retry)
        })?;
        Ok(DeclineJobOfferResult::default())
    }
}
