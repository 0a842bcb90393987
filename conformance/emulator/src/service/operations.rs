//! The generated `Service` trait, each operation handed to the module
//! that answers it.

use job_router_client::models::*;
use job_router_client::runtime::server::ServiceError;
use job_router_client::server::*;

use super::Exchange;
use crate::state::store::Preconditions;

/// What the generated trait answers: the error as the spec declares it.
type Served<T> = Result<T, ServiceError<ErrorResponse>>;

fn preconditions(
    if_match: Option<String>,
    if_unmodified_since: Option<jiff::Timestamp>,
) -> Preconditions {
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
    ) -> Served<GetClassificationPolicyOutput> {
        let got = self.get_resource(&input.api_version, &input.classification_policy_id)?;
        Ok(GetClassificationPolicyOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
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
    ) -> Served<UpsertClassificationPolicyOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.upsert_resource(
            &input.api_version,
            &input.classification_policy_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertClassificationPolicyOutput {
            body: if put.created {
                UpsertClassificationPolicySuccess::Status201(body)
            } else {
                UpsertClassificationPolicySuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
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
    ) -> Served<GetDistributionPolicyOutput> {
        let got = self.get_resource(&input.api_version, &input.distribution_policy_id)?;
        Ok(GetDistributionPolicyOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
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
    ) -> Served<UpsertDistributionPolicyOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.upsert_resource(
            &input.api_version,
            &input.distribution_policy_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertDistributionPolicyOutput {
            body: if put.created {
                UpsertDistributionPolicySuccess::Status201(body)
            } else {
                UpsertDistributionPolicySuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
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
    ) -> Served<GetExceptionPolicyOutput> {
        let got = self.get_resource(&input.api_version, &input.exception_policy_id)?;
        Ok(GetExceptionPolicyOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
    }

    async fn delete_exception_policy(&self, input: DeleteExceptionPolicyInput) -> Served<()> {
        Ok(self
            .delete_resource::<ExceptionPolicy>(&input.api_version, &input.exception_policy_id)?)
    }

    async fn upsert_exception_policy(
        &self,
        input: UpsertExceptionPolicyInput,
    ) -> Served<UpsertExceptionPolicyOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.upsert_resource(
            &input.api_version,
            &input.exception_policy_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertExceptionPolicyOutput {
            body: if put.created {
                UpsertExceptionPolicySuccess::Status201(body)
            } else {
                UpsertExceptionPolicySuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
    }

    async fn list_queues(&self, input: ListQueuesInput) -> Served<PagedRouterQueue> {
        let (value, next_link) =
            self.list_resources(&input.api_version, "/routing/queues", input.maxpagesize)?;
        Ok(PagedRouterQueue { value, next_link })
    }

    async fn get_queue(&self, input: GetQueueInput) -> Served<GetQueueOutput> {
        let got = self.get_resource(&input.api_version, &input.queue_id)?;
        Ok(GetQueueOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
    }

    async fn delete_queue(&self, input: DeleteQueueInput) -> Served<()> {
        Ok(self.delete_resource::<RouterQueue>(&input.api_version, &input.queue_id)?)
    }

    async fn upsert_queue(&self, input: UpsertQueueInput) -> Served<UpsertQueueOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.upsert_resource(
            &input.api_version,
            &input.queue_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertQueueOutput {
            body: if put.created {
                UpsertQueueSuccess::Status201(body)
            } else {
                UpsertQueueSuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
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

    async fn get_job(&self, input: GetJobInput) -> Served<GetJobOutput> {
        let got = self.job(&input.api_version, &input.job_id)?;
        Ok(GetJobOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
    }

    async fn delete_job(&self, input: DeleteJobInput) -> Served<()> {
        Ok(self.remove_job(&input.api_version, &input.job_id)?)
    }

    async fn upsert_job(&self, input: UpsertJobInput) -> Served<UpsertJobOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.put_job(
            &input.api_version,
            &input.job_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertJobOutput {
            body: if put.created {
                UpsertJobSuccess::Status201(body)
            } else {
                UpsertJobSuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
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

    async fn get_worker(&self, input: GetWorkerInput) -> Served<GetWorkerOutput> {
        let got = self.worker(&input.api_version, &input.worker_id)?;
        Ok(GetWorkerOutput {
            etag: Some(got.etag),
            last_modified: Some(got.last_modified),
            body: got.body,
        })
    }

    async fn delete_worker(&self, input: DeleteWorkerInput) -> Served<()> {
        Ok(self.remove_worker(&input.api_version, &input.worker_id)?)
    }

    async fn upsert_worker(&self, input: UpsertWorkerInput) -> Served<UpsertWorkerOutput> {
        let preconditions = preconditions(input.if_match, input.if_unmodified_since);
        let put = self.put_worker(
            &input.api_version,
            &input.worker_id,
            &input.resource.document,
            preconditions,
        )?;
        let body = Box::new(put.body);
        Ok(UpsertWorkerOutput {
            body: if put.created {
                UpsertWorkerSuccess::Status201(body)
            } else {
                UpsertWorkerSuccess::Status200(body)
            },
            etag: Some(put.etag),
            last_modified: Some(put.last_modified),
        })
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
