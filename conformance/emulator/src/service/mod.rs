//! Job Router served through the `Service` trait generated from the spec:
//! a spec change that alters an operation breaks this impl. Each request
//! gets an [`Exchange`]: the shared [`Emulator`] plus what the host knows
//! of the request beyond its typed input (the raw query, for the
//! continuation token of a next page).

mod admin;
mod jobs;
mod operations;
mod workers;

use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;

use crate::host::clock::Clock;
use crate::state::refusal::Refusal;
use crate::state::{Snapshot, State};

/// An operation's answer before the generated dispatcher writes it.
type Answer<T> = Result<T, Refusal>;

/// The state, the clock, and the operations over them.
#[derive(Debug)]
pub struct Emulator {
    state: Mutex<State>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Emulator {
    pub fn new(state: State, clock: Arc<dyn Clock>) -> Self {
        Self {
            state: Mutex::new(state),
            clock,
        }
    }

    /// The state as of now.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.clock.now();
        self.lock().snapshot(now)
    }

    /// Puts `state` in place of the current state (a fresh start).
    pub fn replace(&self, state: State) {
        *self.lock() = state;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half
        // changed: each change is applied after all its checks.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A resource as an answer describes it: its version, and whether this
/// request created it.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub body: T,
    pub created: bool,
    pub etag: String,
    pub last_modified: Timestamp,
}

impl<T> Versioned<T> {
    fn new(etag: String, body: T, created: bool, last_modified: Timestamp) -> Self {
        Self {
            body,
            created,
            etag,
            last_modified,
        }
    }
}

/// One request being answered.
#[derive(Debug)]
pub struct Exchange<'a> {
    emulator: &'a Emulator,
    /// The raw query string, for the continuation token of a next page.
    query: Option<&'a str>,
}

impl<'a> Exchange<'a> {
    pub fn new(emulator: &'a Emulator, query: Option<&'a str>) -> Self {
        Self { emulator, query }
    }

    /// Runs `operation` on the state brought up to now, then brings the
    /// state up to now again (matching after the change).
    fn run<T>(
        &self,
        api_version: &str,
        operation: impl FnOnce(&mut State, Timestamp) -> Result<T, Refusal>,
    ) -> Answer<T> {
        if let Some(refusal) = Refusal::unsupported_api_version(api_version) {
            return Err(refusal);
        }
        let now = self.emulator.clock.now();
        let mut state = self.emulator.lock();
        state.advance(now);
        let answer = operation(&mut state, now);
        state.advance(now);
        answer
    }

    /// The link to the page after this one, starting at `next`: this
    /// request's query (filters, page size) with the next token.
    fn next_link(&self, path: &str, next: Option<usize>) -> Option<String> {
        let next = next?;
        let mut query: Vec<&str> = self
            .query
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("continuationToken="))
            .collect();
        let token = format!("continuationToken={next}");
        query.push(&token);
        Some(format!("{path}?{}", query.join("&")))
    }

    /// Where a list continues: the `continuationToken` of a next link.
    fn continuation(&self) -> Result<usize, Refusal> {
        let token = self
            .query
            .unwrap_or_default()
            .split('&')
            .find_map(|pair| pair.strip_prefix("continuationToken="));
        match token {
            None => Ok(0),
            Some(token) => token.parse().map_err(|_| {
                Refusal::invalid(
                    format!("continuationToken `{token}` was not issued by this endpoint."),
                    "continuationToken",
                )
            }),
        }
    }
}
