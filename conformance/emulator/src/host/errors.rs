//! Every error the endpoint gives, as an `Azure.Core.Foundations.ErrorResponse`
//! with a meaningful status, in the dialect the endpoint speaks.

use job_router_client::models::{ErrorResponse, FoundationsError};
use job_router_client::runtime::server::{self as rt, Rejection, Reply, ServiceError};

/// The API versions this endpoint serves.
pub const SUPPORTED_API_VERSIONS: &[&str] = &["2023-11-01"];

/// How errors are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// As the spec documents: `{"error": {...}}` with `x-ms-error-code`
    /// equal to `error.code`.
    #[default]
    Spec,
    /// As the live service has been recorded answering:
    /// `{"communicationError": {code, message, target}}`, no
    /// `x-ms-error-code`, no `x-ms-request-id`, the client request id not
    /// echoed.
    Service,
}

impl std::str::FromStr for Dialect {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "spec" => Ok(Dialect::Spec),
            "service" => Ok(Dialect::Service),
            other => Err(format!(
                "unknown dialect `{other}`: expected `spec` or `service`"
            )),
        }
    }
}

/// An error answer: the status and the documented body.
pub fn error(
    status: u16,
    code: &str,
    message: impl Into<String>,
    target: Option<&str>,
) -> ServiceError<ErrorResponse> {
    ServiceError {
        status,
        body: ErrorResponse {
            error: FoundationsError {
                code: code.to_owned(),
                message: message.into(),
                target: target.map(str::to_owned),
                details: None,
                innererror: None,
            },
        },
    }
}

/// The reply to a request that reaches no operation.
pub fn rejection_reply(rejection: &Rejection) -> Reply {
    let message = rejection.to_string();
    let refusal = match rejection {
        Rejection::NotFound => error(404, "NotFound", message, None),
        Rejection::MethodNotAllowed { .. } => error(405, "MethodNotAllowed", message, None),
        Rejection::MissingParameter {
            name: "api-version",
            ..
        } => error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
            Some("api-version"),
        ),
        Rejection::MissingParameter { name, .. } => {
            error(400, "MissingRequiredParameter", message, Some(name))
        }
        Rejection::InvalidParameter { name, .. } => {
            error(400, "InvalidParameter", message, Some(name))
        }
        Rejection::UnsupportedMediaType { .. } => error(415, "UnsupportedMediaType", message, None),
        Rejection::MissingBody => error(400, "MissingRequestBody", message, None),
        Rejection::InvalidBody { path, .. } => {
            let target = (path != ".").then_some(path.as_str());
            error(400, "InvalidRequestBody", message, target)
        }
    };
    rt::failure(&refusal)
}

/// The error body as the live service writes it.
pub fn service_dialect_body(body: &serde_json::Value) -> serde_json::Value {
    let error = &body["error"];
    let mut inner = serde_json::Map::new();
    for field in ["code", "message", "target"] {
        if let Some(value) = error.get(field) {
            inner.insert(field.to_owned(), value.clone());
        }
    }
    serde_json::json!({ "communicationError": inner })
}
