//! Offers: accepted at most once (→ an assignment), declined (with
//! `retryOfferAt`), expired at their time, revoked when the job goes
//! elsewhere.

use jiff::Timestamp;
use job_router_client::models::{AcceptJobOfferResult, RouterJobStatus};

use super::State;
use super::records::{AssignmentRecord, Held, Offer, OfferEnd};
use super::refusal::Refusal;
use crate::host::fixtures::OfferFixture;

impl State {
    /// The outstanding offer `offer_id` of `worker_id`, or why there is none.
    fn outstanding(&self, worker_id: &str, offer_id: &str) -> Result<Offer, Refusal> {
        let worker = self
            .workers
            .get(worker_id)
            .ok_or_else(|| Refusal::not_found("Worker", worker_id, "workerId"))?;
        if let Some(offer) = worker.offers.iter().find(|o| o.id == offer_id) {
            return Ok(offer.clone());
        }
        let (code, why) = match worker.ended_offers.get(offer_id) {
            None => return Err(Refusal::not_found("Offer", offer_id, "offerId")),
            Some(OfferEnd::Accepted) => ("OfferAlreadyAccepted", "was already accepted"),
            Some(OfferEnd::Declined) => ("OfferDeclined", "was declined"),
            Some(OfferEnd::Expired) => ("OfferExpired", "has expired"),
            Some(OfferEnd::Revoked) => ("OfferRevoked", "was revoked"),
        };
        Err(Refusal::conflict(code, format!("Offer `{offer_id}` {why}.")).at("offerId"))
    }

    /// Ends one outstanding offer.
    pub fn end_offer(&mut self, worker_id: &str, offer_id: &str, end: OfferEnd) {
        let mut job_id = None;
        if let Some(worker) = self.workers.get_mut(worker_id)
            && let Some(index) = worker.offers.iter().position(|o| o.id == offer_id)
        {
            job_id = Some(worker.offers.remove(index).job_id);
            worker.remember_end(offer_id, end);
        }
        if let Some(job) = job_id.and_then(|id| self.jobs.get_mut(&id)) {
            job.offers.retain(|(_, offer)| offer != offer_id);
        }
    }

    /// Ends every outstanding offer of `job_id`.
    pub fn revoke_offers(&mut self, job_id: &str, end: OfferEnd) {
        let offers = self
            .jobs
            .get(job_id)
            .map(|j| j.offers.clone())
            .unwrap_or_default();
        for (worker, offer) in offers {
            self.end_offer(&worker, &offer, end);
        }
    }

    /// Accepts an offer: the job is assigned to the worker, whose offer
    /// becomes an assignment holding the same capacity; the job's other
    /// offers are revoked.
    pub fn accept(
        &mut self,
        worker_id: &str,
        offer_id: &str,
        now: Timestamp,
    ) -> Result<AcceptJobOfferResult, Refusal> {
        let offer = self.outstanding(worker_id, offer_id)?;
        let assignment_id = self.next_id();
        self.end_offer(worker_id, offer_id, OfferEnd::Accepted);
        self.revoke_offers(&offer.job_id, OfferEnd::Revoked);
        self.dequeue(&offer.job_id);
        let etag = self.next_etag();
        if let Some(worker) = self.workers.get_mut(worker_id) {
            worker.held.push(Held {
                job_id: offer.job_id.clone(),
                assignment_id: assignment_id.clone(),
                capacity_cost: offer.capacity_cost,
                channel_id: offer.channel_id.clone(),
                assigned_at: now,
            });
            worker.idle_since = now;
        }
        if let Some(job) = self.jobs.get_mut(&offer.job_id) {
            job.job.status = Some(RouterJobStatus::Assigned);
            job.job.etag = etag;
            job.last_modified = now;
            job.assignments.push(AssignmentRecord {
                id: assignment_id.clone(),
                worker_id: worker_id.to_owned(),
                capacity_cost: offer.capacity_cost,
                channel_id: offer.channel_id,
                assigned_at: now,
                completed_at: None,
                closed_at: None,
                released_at: None,
                released: false,
            });
        }
        Ok(AcceptJobOfferResult {
            assignment_id,
            job_id: offer.job_id,
            worker_id: worker_id.to_owned(),
        })
    }

    /// Declines an offer: the job is not offered to this worker again
    /// before `retry_offer_at` (never, without one).
    pub fn decline(
        &mut self,
        worker_id: &str,
        offer_id: &str,
        retry_offer_at: Option<Timestamp>,
    ) -> Result<(), Refusal> {
        let offer = self.outstanding(worker_id, offer_id)?;
        self.end_offer(worker_id, offer_id, OfferEnd::Declined);
        if let Some(worker) = self.workers.get_mut(worker_id) {
            worker.declined.insert(offer.job_id, retry_offer_at);
        }
        Ok(())
    }

    /// Gives the outstanding offer of a seeded job to a worker the id the
    /// fixture says.
    pub fn pin_offer(&mut self, pin: &OfferFixture) -> Result<(), String> {
        let worker = self.workers.get_mut(&pin.worker_id);
        let Some(offer) = worker.and_then(|w| w.offers.iter_mut().find(|o| o.job_id == pin.job_id))
        else {
            return Err(format!(
                "offer `{}`: job `{}` has no outstanding offer to worker `{}` once the \
                 seeded resources are matched",
                pin.id, pin.job_id, pin.worker_id
            ));
        };
        let old = std::mem::replace(&mut offer.id, pin.id.clone());
        if let Some(job) = self.jobs.get_mut(&pin.job_id) {
            for (worker, id) in &mut job.offers {
                if *worker == pin.worker_id && *id == old {
                    id.clone_from(&pin.id);
                }
            }
        }
        Ok(())
    }

    /// Ends the offers whose time has come.
    pub fn expire_offers(&mut self, now: Timestamp) {
        let expired: Vec<(String, String)> = self
            .workers
            .values()
            .flat_map(|w| {
                w.offers
                    .iter()
                    .filter(|o| o.expires_at.is_some_and(|at| at <= now))
                    .map(|o| (w.worker.id.clone(), o.id.clone()))
            })
            .collect();
        for (worker, offer) in expired {
            self.end_offer(&worker, &offer, OfferEnd::Expired);
        }
    }
}
