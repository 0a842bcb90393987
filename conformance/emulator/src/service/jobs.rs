//! Jobs: upsert, get, list, delete, and the lifecycle operations.

use job_router_client::models::*;
use job_router_client::server::*;

use super::{Answer, Exchange, pending};
use crate::state::Close;
use crate::state::store::Preconditions;

impl Exchange<'_> {
    pub(super) fn jobs_page(&self, _input: ListJobsInput) -> Answer<PagedRouterJob> {
        pending()
    }

    pub(super) fn job(&self, _api_version: &str, _id: &str) -> Answer<RouterJob> {
        pending()
    }

    pub(super) fn remove_job(&self, _api_version: &str, _id: &str) -> Answer<()> {
        pending()
    }

    pub(super) fn put_job(
        &self,
        _api_version: &str,
        _id: &str,
        _preconditions: Preconditions,
    ) -> Answer<RouterJob> {
        pending()
    }

    pub(super) fn close(&self, input: CloseJobInput) -> Answer<CloseJobResult> {
        let options = input.options.unwrap_or_default();
        let close = Close {
            job_id: input.job_id,
            assignment_id: input.assignment_id,
            close_at: options.close_at,
            disposition_code: options.disposition_code,
            note: options.note,
        };
        self.run(&input.api_version, |state, now| state.close(close, now))?;
        Ok(CloseJobResult::default())
    }

    pub(super) fn complete(&self, input: CompleteJobInput) -> Answer<CompleteJobResult> {
        let note = input.options.and_then(|o| o.note);
        self.run(&input.api_version, |state, now| {
            state.complete(&input.job_id, &input.assignment_id, note, now)
        })?;
        Ok(CompleteJobResult::default())
    }

    pub(super) fn unassign(&self, _input: UnassignJobInput) -> Answer<UnassignJobResult> {
        pending()
    }

    pub(super) fn position(
        &self,
        _api_version: &str,
        _id: &str,
    ) -> Answer<RouterJobPositionDetails> {
        pending()
    }

    pub(super) fn cancel(&self, _input: CancelJobInput) -> Answer<CancelJobResult> {
        pending()
    }

    pub(super) fn reclassify(&self, _api_version: &str, _id: &str) -> Answer<ReclassifyJobResult> {
        pending()
    }

    pub(super) fn queue_statistics(
        &self,
        _api_version: &str,
        _id: &str,
    ) -> Answer<RouterQueueStatistics> {
        pending()
    }
}
