//! Matching: each queued job, highest priority first then oldest, is
//! offered to the workers its distribution policy ranks first among those
//! that can take it, up to `maxConcurrentOffers` at once and only when
//! `minConcurrentOffers` can be reached.

use jiff::{SignedDuration, Timestamp};
use job_router_client::models::{DistributionMode, RouterRule};

use super::State;
use super::admin::offer_bounds;
use super::records::{JobRecord, Offer, WorkerRecord};
use super::refusal::Refusal;
use super::selectors::{self, Labels};

/// How a distribution policy orders the workers that can take a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ranking {
    /// Lowest load ratio first, then the longest available.
    LongestIdle,
    /// The worker after the one last offered to, in registration order.
    RoundRobin,
    /// Most of the job's worker selectors satisfied first (the default
    /// scoring when no scoring rule is given; a static rule scores all
    /// alike), then the longest available.
    BestWorker,
}

impl State {
    /// Refuses a job bound for `queue_id` when the queue's bestWorker
    /// policy scores with a rule only an outside evaluator could run:
    /// matching would have to run it.
    pub fn check_scoring(&self, queue_id: &str) -> Result<(), Refusal> {
        let mode = self
            .queues
            .get(queue_id)
            .and_then(|q| q.resource.distribution_policy_id.as_ref())
            .and_then(|p| self.distribution_policies.get(p))
            .and_then(|p| p.resource.mode.as_ref());
        let Some(DistributionMode::BestWorkerMode(mode)) = mode else {
            return Ok(());
        };
        let place = "distribution policy's bestWorker scoringRule";
        match &mode.scoring_rule {
            Some(RouterRule::ExpressionRouterRule(_)) => {
                Err(Refusal::not_evaluated("PowerFx expression", place))
            }
            Some(RouterRule::FunctionRouterRule(_)) => {
                Err(Refusal::not_evaluated("Azure Function", place))
            }
            Some(RouterRule::WebhookRouterRule(_)) => Err(Refusal::not_evaluated("webhook", place)),
            _ => Ok(()),
        }
    }

    /// Offers every queued job it can, in queue order.
    pub fn match_jobs(&mut self, now: Timestamp) {
        let waiting: Vec<String> = self.waiting.values().cloned().collect();
        for job_id in waiting {
            self.match_job(&job_id, now);
        }
    }

    fn match_job(&mut self, job_id: &str, now: Timestamp) {
        let Some(job) = self.jobs.get(job_id) else {
            return;
        };
        let Some(queue) = job.job.queue_id.as_ref().and_then(|q| self.queues.get(q)) else {
            return;
        };
        let Some(policy_id) = queue.resource.distribution_policy_id.clone() else {
            return;
        };
        let Some(policy) = self.distribution_policies.get(&policy_id) else {
            return;
        };
        let Some(mode) = &policy.resource.mode else {
            return;
        };
        let (min, max) = offer_bounds(mode);
        let (ranking, bypass) = match mode {
            DistributionMode::LongestIdleMode(m) => (Ranking::LongestIdle, m.bypass_selectors),
            DistributionMode::RoundRobinMode(m) => (Ranking::RoundRobin, m.bypass_selectors),
            DistributionMode::BestWorkerMode(m) => (Ranking::BestWorker, m.bypass_selectors),
        };
        let outstanding = job.offers.len();
        let room = usize::try_from(max)
            .unwrap_or(1)
            .saturating_sub(outstanding);
        if room == 0 {
            return;
        }
        let expires_after = policy
            .resource
            .offer_expires_after_seconds
            .and_then(|s| SignedDuration::try_from_secs_f64(s).ok());
        let bypass = bypass.unwrap_or(false);
        let mut candidates: Vec<(usize, &WorkerRecord)> = self
            .workers
            .values()
            .enumerate()
            .filter(|(_, w)| can_take(w, job, bypass, now))
            .collect();
        let needed = usize::try_from(min)
            .unwrap_or(1)
            .saturating_sub(outstanding);
        if candidates.is_empty() || candidates.len() < needed {
            return;
        }
        match ranking {
            Ranking::LongestIdle => candidates.sort_by(|(_, a), (_, b)| {
                load_ratio(a)
                    .total_cmp(&load_ratio(b))
                    .then(a.idle_since.cmp(&b.idle_since))
            }),
            Ranking::BestWorker => candidates.sort_by(|(_, a), (_, b)| {
                score(b, job, now)
                    .cmp(&score(a, job, now))
                    .then(a.idle_since.cmp(&b.idle_since))
            }),
            Ranking::RoundRobin => {
                let last = self
                    .round_robin
                    .get(&policy_id)
                    .and_then(|id| self.workers.get_index_of(id));
                if let Some(last) = last {
                    candidates.sort_by_key(|(index, _)| (*index <= last, *index));
                }
            }
        }
        let chosen: Vec<String> = candidates
            .iter()
            .take(room)
            .map(|(_, w)| w.worker.id.clone())
            .collect();
        let channel = job.job.channel_id.clone();
        for worker_id in chosen {
            self.offer(job_id, &worker_id, channel.clone(), expires_after, now);
            if ranking == Ranking::RoundRobin {
                self.round_robin.insert(policy_id.clone(), worker_id);
            }
        }
    }

    fn offer(
        &mut self,
        job_id: &str,
        worker_id: &str,
        channel: Option<String>,
        expires_after: Option<SignedDuration>,
        now: Timestamp,
    ) {
        let id = self.next_id();
        let Some(worker) = self.workers.get_mut(worker_id) else {
            return;
        };
        let cost = channel
            .as_deref()
            .and_then(|c| channel_cost(worker, c))
            .unwrap_or(1);
        worker.offers.push(Offer {
            id: id.clone(),
            job_id: job_id.to_owned(),
            capacity_cost: cost,
            channel_id: channel,
            offered_at: now,
            expires_at: expires_after.and_then(|d| now.checked_add(d).ok()),
        });
        if let Some(job) = self.jobs.get_mut(job_id) {
            job.offers.push((worker_id.to_owned(), id));
        }
    }
}

/// The capacity a job of `channel` costs `worker`, if it takes that channel.
fn channel_cost(worker: &WorkerRecord, channel: &str) -> Option<u32> {
    worker
        .worker
        .channels
        .iter()
        .flatten()
        .find(|c| c.channel_id == channel)
        .map(|c| u32::try_from(c.capacity_cost_per_job).unwrap_or(1))
}

/// Whether `worker` may be offered `job` now: active and available, on
/// the job's queue and channel, with the capacity and the channel's room,
/// not already offered or holding it, not declined, and satisfying every
/// active worker selector (unless the policy bypasses them).
fn can_take(worker: &WorkerRecord, job: &JobRecord, bypass: bool, now: Timestamp) -> bool {
    let w = &worker.worker;
    if w.available_for_offers != Some(true) {
        return false;
    }
    let on_queue = w
        .queues
        .iter()
        .flatten()
        .any(|q| Some(q) == job.job.queue_id.as_ref());
    let Some(channel) = job.job.channel_id.as_deref() else {
        return false;
    };
    let Some(cost) = channel_cost(worker, channel) else {
        return false;
    };
    let channel_room = w
        .channels
        .iter()
        .flatten()
        .find(|c| c.channel_id == channel)
        .and_then(|c| c.max_number_of_jobs)
        .is_none_or(|max| worker.jobs_in_channel(channel) < usize::try_from(max).unwrap_or(0));
    let already = worker.offers.iter().any(|o| o.job_id == job.job.id)
        || worker.held.iter().any(|h| h.job_id == job.job.id);
    let declined = worker
        .declined
        .get(&job.job.id)
        .is_some_and(|retry| retry.is_none_or(|at| now < at));
    on_queue
        && worker.used_capacity().saturating_add(cost) <= worker.capacity()
        && channel_room
        && !already
        && !declined
        && (bypass || selectors_hold(worker, job, now))
}

/// The worker's labels with its `Id`.
fn labels(worker: &WorkerRecord) -> Labels {
    selectors::with_id(
        worker
            .worker
            .labels
            .iter()
            .flat_map(|l| l.additional_properties.clone()),
        &worker.worker.id,
    )
}

/// The job's worker selectors active at `now`, requested and attached.
fn active_selectors(
    job: &JobRecord,
    now: Timestamp,
) -> impl Iterator<Item = &job_router_client::models::RouterWorkerSelector> {
    job.job
        .requested_worker_selectors
        .iter()
        .flatten()
        .chain(job.job.attached_worker_selectors.iter().flatten())
        .filter(move |s| selectors::active(s, now))
}

/// Whether every active selector holds for the worker.
fn selectors_hold(worker: &WorkerRecord, job: &JobRecord, now: Timestamp) -> bool {
    let labels = labels(worker);
    active_selectors(job, now)
        .all(|s| selectors::holds(&labels, &s.key, &s.label_operator, s.value.as_ref()))
}

/// bestWorker's default score: how many of the job's active selectors the
/// worker's labels satisfy.
fn score(worker: &WorkerRecord, job: &JobRecord, now: Timestamp) -> usize {
    let labels = labels(worker);
    active_selectors(job, now)
        .filter(|s| selectors::holds(&labels, &s.key, &s.label_operator, s.value.as_ref()))
        .count()
}

/// Capacity in use over total capacity (1 for a worker without capacity).
pub fn load_ratio(worker: &WorkerRecord) -> f64 {
    match worker.capacity() {
        0 => 1.0,
        capacity => f64::from(worker.used_capacity()) / f64::from(capacity),
    }
}
