//! Jobs: upsert, get, list, delete, and the lifecycle operations.

use job_router_client::models::*;
use job_router_client::server::*;

use serde_json::Value;

use super::{Answer, Exchange, Versioned};
use crate::state::Close;
use crate::state::jobs::JobFilter;
use crate::state::store::{Preconditions, page};

impl Exchange<'_> {
    pub(super) fn jobs_page(&self, input: ListJobsInput) -> Answer<PagedRouterJob> {
        let filter = JobFilter {
            status: input.status,
            queue_id: input.queue_id,
            channel_id: input.channel_id,
            classification_policy_id: input.classification_policy_id,
            scheduled_before: input.scheduled_before,
            scheduled_after: input.scheduled_after,
        };
        self.run(&input.api_version, |state, now| {
            let start = self.continuation()?;
            let (value, next) = page(&state.list_jobs(&filter, now), start, input.maxpagesize);
            let next_link = self.next_link("/routing/jobs", next);
            Ok(PagedRouterJob { value, next_link })
        })
    }

    pub(super) fn job(&self, api_version: &str, id: &str) -> Answer<Versioned<RouterJob>> {
        self.run(api_version, |state, now| {
            let job = state.render_job(id, now)?;
            let modified = state.jobs.get(id).map_or(now, |j| j.last_modified);
            Ok(Versioned::new(job.etag.clone(), job, false, modified))
        })
    }

    pub(super) fn remove_job(&self, api_version: &str, id: &str) -> Answer<()> {
        self.run(api_version, |state, _| state.delete_job(id))
    }

    pub(super) fn put_job(
        &self,
        api_version: &str,
        id: &str,
        patch: &Value,
        preconditions: Preconditions,
    ) -> Answer<Versioned<RouterJob>> {
        self.run(api_version, |state, now| {
            let created = state.upsert_job(id, patch, &preconditions, now)?;
            // Matching may have offered the job already: answer as of after.
            state.advance(now);
            let job = state.render_job(id, now)?;
            Ok(Versioned::new(job.etag.clone(), job, created, now))
        })
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

    pub(super) fn unassign(&self, input: UnassignJobInput) -> Answer<UnassignJobResult> {
        let suspend = input.options.and_then(|o| o.suspend_matching) == Some(true);
        let count = self.run(&input.api_version, |state, now| {
            state.unassign(&input.job_id, &input.assignment_id, suspend, now)
        })?;
        Ok(UnassignJobResult {
            job_id: input.job_id,
            unassignment_count: count,
        })
    }

    pub(super) fn position(&self, api_version: &str, id: &str) -> Answer<RouterJobPositionDetails> {
        self.run(api_version, |state, _| state.position(id))
    }

    pub(super) fn cancel(&self, input: CancelJobInput) -> Answer<CancelJobResult> {
        let options = input.options.unwrap_or_default();
        self.run(&input.api_version, |state, now| {
            state.cancel(&input.job_id, options.disposition_code, options.note, now)
        })?;
        Ok(CancelJobResult::default())
    }

    pub(super) fn reclassify(&self, api_version: &str, id: &str) -> Answer<ReclassifyJobResult> {
        self.run(api_version, |state, now| state.reclassify(id, now))?;
        Ok(ReclassifyJobResult::default())
    }

    pub(super) fn queue_statistics(
        &self,
        api_version: &str,
        id: &str,
    ) -> Answer<RouterQueueStatistics> {
        self.run(api_version, |state, now| state.statistics(id, now))
    }
}
