//! The emulator's own storage limit ([`Limits::stored_bytes`]), so that no
//! sequence of requests makes it grow without bound: every resource
//! created through the API is charged its JSON size plus a fixed overhead,
//! notes added by the lifecycle operations are charged to their job, and a
//! change that would pass the limit is refused with 507 before anything
//! changes. Deleting a resource gives its charge back. Fixtures are not
//! charged: they come from a local file, not a client. The live service's
//! quotas are not published; this limit is the emulator's.

use std::collections::HashMap;

use super::refusal::Refusal;
use crate::host::serve::Limits;

/// What each resource costs besides its JSON: its id in the maps, its
/// record and bookkeeping, so that many tiny resources count too.
pub const RESOURCE_OVERHEAD: usize = 1024;

/// What a note costs besides its text (its time and the list entry).
const NOTE_OVERHEAD: usize = 64;

/// Each resource's charge, by the path parameter naming its kind
/// (`jobId`) and its id.
#[derive(Debug, Clone)]
pub struct Budget {
    charges: HashMap<(&'static str, String), usize>,
    total: usize,
    limit: usize,
}

impl Default for Budget {
    /// Nothing charged, [`Limits::DEFAULT`]'s limit.
    fn default() -> Self {
        Self::new(Limits::DEFAULT.stored_bytes)
    }
}

impl Budget {
    /// Nothing charged yet; at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            charges: HashMap::new(),
            total: 0,
            limit,
        }
    }

    /// Refuses (507) when `kind` `id` holding `json_bytes` of JSON would
    /// pass the limit; its current charge, if any, is replaced.
    pub fn check(&self, kind: &'static str, id: &str, json_bytes: usize) -> Result<(), Refusal> {
        let current = self.charge_of(kind, id);
        self.refuse_past_limit(self.total - current + charge(json_bytes))
    }

    /// Charges `kind` `id` for `json_bytes` of JSON, in place of what it
    /// was charged before.
    pub fn set(&mut self, kind: &'static str, id: &str, json_bytes: usize) {
        let new = charge(json_bytes);
        let old = self.charges.insert((kind, id.to_owned()), new).unwrap_or(0);
        self.total = self.total - old + new;
    }

    /// Refuses (507) when a note of `message` added to `kind` `id` would
    /// pass the limit.
    pub fn check_note(&self, message: Option<&str>) -> Result<(), Refusal> {
        self.refuse_past_limit(self.total.saturating_add(note_charge(message)))
    }

    /// Charges `kind` `id` for a note of `message` (nothing without one).
    pub fn add_note(&mut self, kind: &'static str, id: &str, message: Option<&str>) {
        let added = note_charge(message);
        *self.charges.entry((kind, id.to_owned())).or_insert(0) += added;
        self.total += added;
    }

    /// Gives back what `kind` `id` was charged.
    pub fn release(&mut self, kind: &'static str, id: &str) {
        if let Some(charge) = self.charges.remove(&(kind, id.to_owned())) {
            self.total -= charge;
        }
    }

    fn charge_of(&self, kind: &'static str, id: &str) -> usize {
        self.charges
            .get(&(kind, id.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    fn refuse_past_limit(&self, total: usize) -> Result<(), Refusal> {
        if total <= self.limit {
            return Ok(());
        }
        Err(Refusal::new(
            507,
            "EmulatorStorageFull",
            format!(
                "The emulator stores at most {} bytes of resources (each counted as its \
                 JSON plus {RESOURCE_OVERHEAD} bytes) and this change would pass that; \
                 delete resources to make room.",
                self.limit
            ),
        ))
    }
}

fn charge(json_bytes: usize) -> usize {
    json_bytes.saturating_add(RESOURCE_OVERHEAD)
}

fn note_charge(message: Option<&str>) -> usize {
    message.map_or(0, |m| m.len().saturating_add(NOTE_OVERHEAD))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_is_replaced_not_added_and_given_back_on_release() {
        let mut budget = Budget::new(1 << 20);
        budget.set("jobId", "a", 100);
        budget.set("jobId", "a", 300);
        budget.set("queueId", "a", 10);
        assert_eq!(budget.total, 300 + 10 + 2 * RESOURCE_OVERHEAD);
        budget.add_note("jobId", "a", Some("done"));
        assert_eq!(budget.total, 300 + 10 + 2 * RESOURCE_OVERHEAD + 4 + 64);
        budget.release("jobId", "a");
        assert_eq!(budget.total, 10 + RESOURCE_OVERHEAD);
        budget.release("jobId", "a");
        assert_eq!(budget.total, 10 + RESOURCE_OVERHEAD);
    }

    #[test]
    fn the_limit_is_inclusive_and_a_replacement_counts_only_its_difference() {
        let limit = 1 << 20;
        let mut budget = Budget::new(limit);
        let fill = limit - RESOURCE_OVERHEAD;
        assert_eq!(budget.check("jobId", "a", fill), Ok(()));
        budget.set("jobId", "a", fill);
        assert_eq!(budget.total, limit);
        // The same resource rewritten at its size fits; one byte more does not.
        assert_eq!(budget.check("jobId", "a", fill), Ok(()));
        let refused = budget
            .check("jobId", "a", fill + 1)
            .expect_err("past the limit");
        assert_eq!((refused.status, refused.code), (507, "EmulatorStorageFull"));
        assert_eq!(budget.check("jobId", "b", 0).expect_err("full").status, 507);
        assert_eq!(budget.check_note(None), Ok(()));
        assert_eq!(budget.check_note(Some("")).expect_err("full").status, 507);
    }
}
