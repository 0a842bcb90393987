//! Request bodies the scenarios and the lifecycles bench both send.

use job_router_client::models::*;

/// A queue distributed by `policy_id`.
pub fn queue(policy_id: &str) -> RouterQueueCreateOrUpdate {
    RouterQueueCreateOrUpdate {
        distribution_policy_id: Some(policy_id.to_owned()),
        ..RouterQueueCreateOrUpdate::default()
    }
}

/// An active worker on `queue` with `capacity`, voice jobs costing 1.
pub fn voice_worker(queue: &str, capacity: i32) -> RouterWorkerCreateOrUpdate {
    RouterWorkerCreateOrUpdate {
        capacity: Some(capacity),
        queues: Some(vec![queue.to_owned()]),
        channels: Some(vec![RouterChannel {
            channel_id: "voice".to_owned(),
            capacity_cost_per_job: 1,
            max_number_of_jobs: None,
        }]),
        available_for_offers: Some(true),
        ..RouterWorkerCreateOrUpdate::default()
    }
}

/// A voice job in `queue`.
pub fn voice_job(queue: &str) -> RouterJobCreateOrUpdate {
    RouterJobCreateOrUpdate {
        channel_id: Some("voice".to_owned()),
        queue_id: Some(queue.to_owned()),
        ..RouterJobCreateOrUpdate::default()
    }
}
