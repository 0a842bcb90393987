//! The generated `Service` trait, each operation handed to the module
//! that answers it.

use job_router_client::models::*;
use job_router_client::runtime::server::ServiceError;
use job_router_client::server::*;

use super::Exchange;
use crate::state::store::Preconditions;

/// What the generated trait answers: the error as the spec declares it.
type Served<T> = Result<T, ServiceError<ErrorResponse>>;

fn preconditions(if_match: Option<String>, if_unmodified_since: Option<String>) -> Preconditions {
    Preconditions {
        if_match,
        if_unmodified_since,
    }
}

impl Service for Exchange<'_> {
    async fn list_classification_policies(
        &self,
        input: ListClassificationPoliciesInput,
    ) -> Served<PagedClassificationPolicy> {
        let (value, next_link) = self.list_resources(
            &input.api_version,
            "/routing/classificationPolicies",
            input.maxpagesize,
        )?;
        Ok(PagedClassificationPolicy { value, next_link })
    }

    async fn get_classification_policy(
        &self,
        input: GetClassificationPolicyInput,
    ) -> Served<ClassificationPolicy> {
        Ok(self.describe(self.get_resource(&input.api_version, &input.classification_policy_id)?))
    }

    async fn delete_classification_policy(
        &self,
        input: DeleteClassificationPolicyInput,
    ) -> Served<()> {
        Ok(self.delete_resource::<ClassificationPolicy>(
            &input.api_version,
            &input.classification_policy_id,
        )?)
    }

    async fn upsert_classification_policy(
        &self,
        input: UpsertClassificationPolicyInput,
    ) -> Served<ClassificationPolicy> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(self.describe(self.upsert_resource(
            &input.api_version,
            &input.classification_policy_id,
            &patch,
            preconditions,
        )?))
    }

    async fn list_distribution_policies(
        &self,
        input: ListDistributionPoliciesInput,
    ) -> Served<PagedDistributionPolicy> {
        let (value, next_link) = self.list_resources(
            &input.api_version,
            "/routing/distributionPolicies",
            input.maxpagesize,
        )?;
        Ok(PagedDistributionPolicy { value, next_link })
    }

    async fn get_distribution_policy(
        &self,
        input: GetDistributionPolicyInput,
    ) -> Served<DistributionPolicy> {
        Ok(self.describe(self.get_resource(&input.api_version, &input.distribution_policy_id)?))
    }

    async fn delete_distribution_policy(&self, input: DeleteDistributionPolicyInput) -> Served<()> {
        Ok(self.delete_resource::<DistributionPolicy>(
            &input.api_version,
            &input.distribution_policy_id,
        )?)
    }

    async fn upsert_distribution_policy(
        &self,
        input: UpsertDistributionPolicyInput,
    ) -> Served<DistributionPolicy> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(self.describe(self.upsert_resource(
            &input.api_version,
            &input.distribution_policy_id,
            &patch,
            preconditions,
        )?))
    }

    async fn list_exception_policies(
        &self,
        input: ListExceptionPoliciesInput,
    ) -> Served<PagedExceptionPolicy> {
        let (value, next_link) = self.list_resources(
            &input.api_version,
            "/routing/exceptionPolicies",
            input.maxpagesize,
        )?;
        Ok(PagedExceptionPolicy { value, next_link })
    }

    async fn get_exception_policy(
        &self,
        input: GetExceptionPolicyInput,
    ) -> Served<ExceptionPolicy> {
        Ok(self.describe(self.get_resource(&input.api_version, &input.exception_policy_id)?))
    }

    async fn delete_exception_policy(&self, input: DeleteExceptionPolicyInput) -> Served<()> {
        Ok(self
            .delete_resource::<ExceptionPolicy>(&input.api_version, &input.exception_policy_id)?)
    }

    async fn upsert_exception_policy(
        &self,
        input: UpsertExceptionPolicyInput,
    ) -> Served<ExceptionPolicy> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(self.describe(self.upsert_resource(
            &input.api_version,
            &input.exception_policy_id,
            &patch,
            preconditions,
        )?))
    }

    async fn list_queues(&self, input: ListQueuesInput) -> Served<PagedRouterQueue> {
        let (value, next_link) =
            self.list_resources(&input.api_version, "/routing/queues", input.maxpagesize)?;
        Ok(PagedRouterQueue { value, next_link })
    }

    async fn get_queue(&self, input: GetQueueInput) -> Served<RouterQueue> {
        Ok(self.describe(self.get_resource(&input.api_version, &input.queue_id)?))
    }

    async fn delete_queue(&self, input: DeleteQueueInput) -> Served<()> {
        Ok(self.delete_resource::<RouterQueue>(&input.api_version, &input.queue_id)?)
    }

    async fn upsert_queue(&self, input: UpsertQueueInput) -> Served<RouterQueue> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(self.describe(self.upsert_resource(
            &input.api_version,
            &input.queue_id,
            &patch,
            preconditions,
        )?))
    }

    async fn get_queue_statistics(
        &self,
        input: GetQueueStatisticsInput,
    ) -> Served<RouterQueueStatistics> {
        Ok(self.queue_statistics(&input.api_version, &input.queue_id)?)
    }

    async fn list_jobs(&self, input: ListJobsInput) -> Served<PagedRouterJob> {
        Ok(self.jobs_page(input)?)
    }

    async fn get_job(&self, input: GetJobInput) -> Served<RouterJob> {
        Ok(self.describe(self.job(&input.api_version, &input.job_id)?))
    }

    async fn delete_job(&self, input: DeleteJobInput) -> Served<()> {
        Ok(self.remove_job(&input.api_version, &input.job_id)?)
    }

    async fn upsert_job(&self, input: UpsertJobInput) -> Served<RouterJob> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(
            self.describe(self.put_job(
                &input.api_version,
                &input.job_id,
                &patch,
                preconditions,
            )?),
        )
    }

    async fn close_job(&self, input: CloseJobInput) -> Served<CloseJobResult> {
        Ok(self.close(input)?)
    }

    async fn complete_job(&self, input: CompleteJobInput) -> Served<CompleteJobResult> {
        Ok(self.complete(input)?)
    }

    async fn unassign_job(&self, input: UnassignJobInput) -> Served<UnassignJobResult> {
        Ok(self.unassign(input)?)
    }

    async fn get_in_queue_position(
        &self,
        input: GetInQueuePositionInput,
    ) -> Served<RouterJobPositionDetails> {
        Ok(self.position(&input.api_version, &input.job_id)?)
    }

    async fn cancel_job(&self, input: CancelJobInput) -> Served<CancelJobResult> {
        Ok(self.cancel(input)?)
    }

    async fn reclassify_job(&self, input: ReclassifyJobInput) -> Served<ReclassifyJobResult> {
        Ok(self.reclassify(&input.api_version, &input.job_id)?)
    }

    async fn list_workers(&self, input: ListWorkersInput) -> Served<PagedRouterWorker> {
        Ok(self.workers_page(input)?)
    }

    async fn get_worker(&self, input: GetWorkerInput) -> Served<RouterWorker> {
        Ok(self.describe(self.worker(&input.api_version, &input.worker_id)?))
    }

    async fn delete_worker(&self, input: DeleteWorkerInput) -> Served<()> {
        Ok(self.remove_worker(&input.api_version, &input.worker_id)?)
    }

    async fn upsert_worker(&self, input: UpsertWorkerInput) -> Served<RouterWorker> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let patch = self.patch();
        Ok(self.describe(self.put_worker(
            &input.api_version,
            &input.worker_id,
            &patch,
            preconditions,
        )?))
    }

    async fn accept_job_offer(&self, input: AcceptJobOfferInput) -> Served<AcceptJobOfferResult> {
        Ok(self.accept(&input.api_version, &input.worker_id, &input.offer_id)?)
    }

    async fn decline_job_offer(
        &self,
        input: DeclineJobOfferInput,
    ) -> Served<DeclineJobOfferResult> {
        Ok(self.decline(input)?)
    }
}
