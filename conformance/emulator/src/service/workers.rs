//! Workers and their offers.

use job_router_client::models::*;
use job_router_client::server::*;

use super::{Answer, Exchange, pending};
use crate::state::store::Preconditions;

impl Exchange<'_> {
    pub(super) fn workers_page(&self, _input: ListWorkersInput) -> Answer<PagedRouterWorker> {
        pending()
    }

    pub(super) fn worker(&self, _api_version: &str, _id: &str) -> Answer<RouterWorker> {
        pending()
    }

    pub(super) fn remove_worker(&self, _api_version: &str, _id: &str) -> Answer<()> {
        pending()
    }

    pub(super) fn put_worker(
        &self,
        _api_version: &str,
        _id: &str,
        _preconditions: Preconditions,
    ) -> Answer<RouterWorker> {
        pending()
    }

    pub(super) fn accept(
        &self,
        _api_version: &str,
        _worker_id: &str,
        _offer_id: &str,
    ) -> Answer<AcceptJobOfferResult> {
        pending()
    }

    pub(super) fn decline(&self, _input: DeclineJobOfferInput) -> Answer<DeclineJobOfferResult> {
        pending()
    }
}
