"""Microsoft's Python SDK (azure-communication-jobrouter 1.0.0) against the
Job Router emulator: a job's whole life, as a user of the SDK writes it.

    python lifecycle.py http://127.0.0.1:PORT BASE64_ACCESS_KEY

The clients are built from the endpoint and an AzureKeyCredential: the SDK's
connection-string parser forces https (and signs a trailing slash into the
host), so a local http endpoint cannot be reached through it.
"""

import sys
import uuid

from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import (
    HttpResponseError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.core import MatchConditions
from azure.communication.jobrouter import (
    JobRouterAdministrationClient,
    JobRouterClient,
)
from azure.communication.jobrouter.models import (
    CloseJobOptions,
    CompleteJobOptions,
    DistributionPolicy,
    LongestIdleMode,
    RouterChannel,
    RouterJob,
    RouterQueue,
    RouterWorker,
)


def check(label, actual, expected):
    if actual != expected:
        raise AssertionError(f"{label}: expected {expected!r}, got {actual!r}")
    print(f"ok  {label}: {actual!r}")


def main(endpoint, key):
    credential = AzureKeyCredential(key)
    admin = JobRouterAdministrationClient(endpoint, credential)
    router = JobRouterClient(endpoint, credential)
    run = uuid.uuid4().hex[:8]
    policy_id, queue_id = f"policy-{run}", f"queue-{run}"
    worker_id, job_id = f"worker-{run}", f"job-{run}"

    policy = admin.upsert_distribution_policy(
        policy_id,
        DistributionPolicy(offer_expires_after_seconds=60, mode=LongestIdleMode(), name="sdk"),
    )
    check("distribution policy id", policy.id, policy_id)
    try:
        admin.upsert_distribution_policy(
            policy_id,
            DistributionPolicy(name="stale"),
            etag='"stale"',
            match_condition=MatchConditions.IfNotModified,
        )
        raise AssertionError("a stale ETag was accepted")
    except ResourceModifiedError as error:
        check("stale ETag status", error.status_code, 412)
    admin.upsert_queue(queue_id, RouterQueue(distribution_policy_id=policy_id))
    admin.upsert_queue(f"{queue_id}-b", RouterQueue(distribution_policy_id=policy_id))
    listed = [q.id for q in admin.list_queues(results_per_page=1) if q.id.startswith(queue_id)]
    check("queues listed one per page, each once", sorted(listed), [queue_id, f"{queue_id}-b"])

    router.upsert_worker(
        worker_id,
        RouterWorker(
            capacity=1,
            queues=[queue_id],
            channels=[RouterChannel(channel_id="voice", capacity_cost_per_job=1)],
            available_for_offers=True,
        ),
    )
    job = router.upsert_job(job_id, RouterJob(channel_id="voice", queue_id=queue_id))
    check("job status after create", job.status, "queued")

    offers = router.get_worker(worker_id).offers
    check("offers on the worker", [o.job_id for o in offers], [job_id])
    accepted = router.accept_job_offer(worker_id=worker_id, offer_id=offers[0].offer_id)
    check("accepted job", accepted.job_id, job_id)
    try:
        router.accept_job_offer(worker_id=worker_id, offer_id=offers[0].offer_id)
        raise AssertionError("an offer was accepted twice")
    except HttpResponseError as error:
        check("second accept status", error.status_code, 409)
        check("second accept code", error.error.code, "OfferAlreadyAccepted")
    check("job status after accept", router.get_job(job_id).status, "assigned")

    router.complete_job(job_id, accepted.assignment_id, CompleteJobOptions(note="done"))
    router.close_job(
        job_id,
        accepted.assignment_id,
        CloseJobOptions(disposition_code="Resolved", note="closing"),
    )
    closed = router.get_job(job_id)
    check("job status after close", closed.status, "closed")
    check("disposition code", closed.disposition_code, "Resolved")
    check("notes", [n.message for n in closed.notes], ["done", "closing"])
    check("worker capacity released", router.get_worker(worker_id).assigned_jobs, [])
    try:
        router.close_job(job_id, accepted.assignment_id, CloseJobOptions())
        raise AssertionError("a closed job was closed again")
    except HttpResponseError as error:
        check("second close status", error.status_code, 409)

    next_job = f"{job_id}-next"
    router.upsert_job(next_job, RouterJob(channel_id="voice", queue_id=queue_id))
    offers = router.get_worker(worker_id).offers
    check("the freed capacity takes the next job", [o.job_id for o in offers], [next_job])
    router.cancel_job(next_job)
    check("cancelled job", router.get_job(next_job).status, "cancelled")

    for finished in (job_id, next_job):
        router.delete_job(finished)
    router.delete_worker(worker_id)
    admin.delete_queue(f"{queue_id}-b")
    admin.delete_queue(queue_id)
    admin.delete_distribution_policy(policy_id)
    try:
        admin.get_queue(queue_id)
        raise AssertionError("a deleted queue is still there")
    except ResourceNotFoundError as error:
        check("deleted queue", error.status_code, 404)
    print("the SDK's lifecycle passed against", endpoint)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
