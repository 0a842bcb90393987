//! Job Router's Close Job, served through the `Service` trait generated
//! from the spec: a spec change that alters the operation breaks this impl.

use std::sync::{Arc, Mutex, MutexGuard};

use close_job_client::models::{CloseJobResult, ErrorResponse};
use close_job_client::runtime::server::ServiceError;
use close_job_client::server::{CloseJobInput, Service};

use super::clock::Clock;
use super::errors::unsupported_api_version;
use super::state::{Close, Snapshot, State};

/// The state, the clock, and the operations over them.
#[derive(Debug)]
pub struct JobRouter {
    state: Mutex<State>,
    pub(super) clock: Arc<dyn Clock>,
}

impl JobRouter {
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

impl Service for JobRouter {
    async fn close_job(
        &self,
        input: CloseJobInput,
    ) -> Result<CloseJobResult, ServiceError<ErrorResponse>> {
        if let Some(refusal) = unsupported_api_version(&input.api_version) {
            return Err(refusal);
        }
        let options = input.options.unwrap_or_default();
        let close = Close {
            job_id: input.job_id,
            assignment_id: input.assignment_id,
            close_at: options.close_at,
            disposition_code: options.disposition_code,
            note: options.note,
        };
        let now = self.clock.now();
        self.lock().close(close, now)?;
        Ok(CloseJobResult::default())
    }
}
