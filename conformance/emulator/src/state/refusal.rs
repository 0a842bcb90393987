//! Why an operation is refused: the status, the `x-ms-error-code` and the
//! message every operation answers with, in one shape.

use job_router_client::models::ErrorResponse;
use job_router_client::runtime::server::ServiceError;

use crate::host::errors::{SUPPORTED_API_VERSIONS, error};

/// A refused operation; nothing it would have changed is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub target: Option<&'static str>,
}

impl Refusal {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            target: None,
        }
    }

    /// The same refusal, naming the input it is about.
    pub fn at(mut self, target: &'static str) -> Self {
        self.target = Some(target);
        self
    }

    /// 404 `NotFound`: `what` `id` does not exist.
    pub fn not_found(what: &str, id: &str, target: &'static str) -> Self {
        Self::new(404, "NotFound", format!("{what} `{id}` does not exist.")).at(target)
    }

    /// 400 `InvalidRequest`, about `target`.
    pub fn invalid(message: impl Into<String>, target: &'static str) -> Self {
        Self::new(400, "InvalidRequest", message).at(target)
    }

    /// 409 `code`.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(409, code, message)
    }

    /// 422 `NotEvaluatedByEmulator`: a rule only an outside evaluator could
    /// run (PowerFx, an Azure Function, a webhook) would have to run here.
    pub fn not_evaluated(rule: &str, place: &str) -> Self {
        Self::new(
            422,
            "NotEvaluatedByEmulator",
            format!(
                "The {place} is a {rule} rule; the Job Router emulator stores such rules \
                 but does not evaluate them. Use a static or directMap rule."
            ),
        )
    }
}

impl Refusal {
    /// The Azure guidelines' answer to an `api-version` this endpoint does
    /// not serve; `None` when it serves it.
    pub fn unsupported_api_version(version: &str) -> Option<Self> {
        if SUPPORTED_API_VERSIONS.contains(&version) {
            return None;
        }
        let message = format!(
            "Unsupported api-version '{version}'. The supported api-versions are '{}'.",
            SUPPORTED_API_VERSIONS.join("', '")
        );
        Some(Self::new(400, "UnsupportedApiVersionValue", message).at("api-version"))
    }
}

impl From<Refusal> for ServiceError<ErrorResponse> {
    fn from(refusal: Refusal) -> Self {
        error(
            refusal.status,
            refusal.code,
            refusal.message,
            refusal.target,
        )
    }
}
