//! Long-running operations (Azure's `x-ms-long-running-operation`): after
//! the first answer, the status monitor it names (`Operation-Location`,
//! `Azure-AsyncOperation`, else `Location`) is polled through the same
//! pipeline (authentication, retries, timeouts) until the operation ends,
//! waiting what `Retry-After` asks, else the poller's interval.

use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::OperationFailure;
use super::response::error_fields;
use super::{Error, ErrorBody, Pipeline, Request, Response};

/// How long a poller waits between polls when the service does not say
/// (`Retry-After`); `Poller::with_interval` sets another.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);

/// Where the final result is read once the operation succeeds, as
/// `x-ms-long-running-operation-options.final-state-via` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalState {
    /// The status monitor's (`Azure-AsyncOperation`) last body.
    AzureAsyncOperation,
    /// A GET of the first answer's `Location`.
    Location,
    /// The status monitor's `resourceLocation`, or its last body.
    OperationLocation,
    /// A GET of the request's own URL (a PUT or PATCH of a resource).
    OriginalUri,
}

/// Where a long-running operation is, as the service last said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LroStatus {
    /// Not ended; the service's own word for it (`Running`, `NotStarted`).
    InProgress(String),
    Succeeded,
    Failed,
    Canceled,
}

impl LroStatus {
    /// The status a monitor's `status` field names (case-insensitive).
    fn from_monitor(status: &str) -> Self {
        match status.to_ascii_lowercase().as_str() {
            "succeeded" => LroStatus::Succeeded,
            "failed" => LroStatus::Failed,
            "canceled" | "cancelled" => LroStatus::Canceled,
            _ => LroStatus::InProgress(status.to_owned()),
        }
    }

    pub fn is_terminal(&self) -> bool {
        !matches!(self, LroStatus::InProgress(_))
    }
}

/// A started long-running operation: `wait().await` for its result, or
/// `poll().await` step by step and read `status()`.
#[derive(Debug)]
pub struct Poller<T, E> {
    pipeline: Pipeline,
    operation: &'static str,
    original: Url,
    /// The status monitor (`Operation-Location`, `Azure-AsyncOperation`).
    monitor: Option<Url>,
    /// The first answer's `Location`.
    location: Option<Url>,
    final_state: FinalState,
    status: LroStatus,
    /// The body last read: the monitor's, or the result's.
    last_body: Vec<u8>,
    /// Whether `last_body` is the operation's result already.
    has_result: bool,
    interval: Duration,
    /// What the last answer's `Retry-After` asked for.
    asked: Option<Duration>,
    result: PhantomData<fn() -> (T, E)>,
}

impl<T: DeserializeOwned, E: ErrorBody> Poller<T, E> {
    /// A poller from the first answer to the operation's request to
    /// `original`. A 2xx answer that names no monitor and no `Location` is
    /// the result itself.
    pub fn start(
        pipeline: Pipeline,
        operation: &'static str,
        original: Url,
        first: Response,
        final_state: FinalState,
    ) -> Result<Self, Error<E>> {
        if !(200..300).contains(&first.status()) {
            return Err(first.into_error());
        }
        let monitor = first
            .header("operation-location")
            .or_else(|| first.header("azure-asyncoperation"))
            .map(|link| same_origin(&pipeline, "Operation-Location", &link))
            .transpose()?;
        let location = first
            .header("location")
            .map(|link| same_origin(&pipeline, "Location", &link))
            .transpose()?;
        let done = monitor.is_none() && (location.is_none() || first.status() != 202);
        let asked = pipeline.asked_wait(&first);
        Ok(Self {
            pipeline,
            operation,
            original,
            monitor,
            location,
            final_state,
            status: match done {
                true => LroStatus::Succeeded,
                false => LroStatus::InProgress(String::new()),
            },
            last_body: first.into_body(),
            has_result: done,
            interval: DEFAULT_POLL_INTERVAL,
            asked,
            result: PhantomData,
        })
    }

    /// This poller, waiting `interval` between polls when the service does
    /// not say how long (`Retry-After` wins).
    pub fn with_interval(self, interval: Duration) -> Self {
        Self { interval, ..self }
    }

    /// The status as last read.
    pub fn status(&self) -> &LroStatus {
        &self.status
    }

    /// How long `wait` waits before the next poll.
    pub fn next_wait(&self) -> Duration {
        self.asked.unwrap_or(self.interval)
    }

    /// One poll of the status monitor (or of `Location` when there is
    /// none), now; a poller that has ended does not ask again.
    pub async fn poll(&mut self) -> Result<&LroStatus, Error<E>> {
        if self.status.is_terminal() {
            return Ok(&self.status);
        }
        let (url, is_monitor) = match (&self.monitor, &self.location) {
            (Some(monitor), _) => (monitor.clone(), true),
            (None, Some(location)) => (location.clone(), false),
            (None, None) => (self.original.clone(), false),
        };
        let answer = self.get(url).await?;
        self.asked = self.pipeline.asked_wait(&answer);
        let status = answer.status();
        let body = answer.into_body();
        self.status = if is_monitor {
            let said = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|value| value.get("status")?.as_str().map(str::to_owned));
            LroStatus::from_monitor(&said.unwrap_or_default())
        } else if status == 202 {
            LroStatus::InProgress(String::new())
        } else {
            // `Location` answered with the resource: that is the result.
            self.has_result = true;
            LroStatus::Succeeded
        };
        self.last_body = body;
        Ok(&self.status)
    }

    /// Polls until the operation ends, waiting between polls, and returns
    /// its result; a failed or canceled operation is
    /// [`Error::OperationFailed`] with the error the monitor gave.
    pub async fn wait(mut self) -> Result<T, Error<E>> {
        while !self.status.is_terminal() {
            self.pipeline.sleep(self.next_wait()).await;
            self.poll().await?;
        }
        match self.status {
            LroStatus::Succeeded => self.result().await,
            _ => Err(self.failure()),
        }
    }

    /// The result of a succeeded operation, from where `final_state` says.
    async fn result(self) -> Result<T, Error<E>> {
        let resource = |poller: &Self| -> Option<Url> {
            let value = serde_json::from_slice::<serde_json::Value>(&poller.last_body).ok()?;
            let link = value.get("resourceLocation")?.as_str()?;
            poller.pipeline.endpoint().join(link).ok()
        };
        let from = match self.final_state {
            _ if self.has_result => None,
            FinalState::AzureAsyncOperation => None,
            FinalState::Location => self.location.clone(),
            FinalState::OperationLocation => resource(&self),
            FinalState::OriginalUri => Some(self.original.clone()),
        };
        let body = match from {
            Some(url) => {
                let url = same_origin(&self.pipeline, "resourceLocation", url.as_str())?;
                self.get(url).await?.into_body()
            }
            None => self.last_body,
        };
        // A bodiless result (`()`) reads as JSON `null`.
        let body = if body.is_empty() {
            b"null".to_vec()
        } else {
            body
        };
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            status: 200,
            path: ".".to_owned(),
            source,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// A failed or canceled end as an error, with the monitor's error.
    fn failure(&self) -> Error<E> {
        let (error_code, message) = error_fields(&self.last_body);
        Error::OperationFailed(Box::new(OperationFailure {
            operation: self.operation,
            status: self.status.clone(),
            error_code,
            message,
            body: E::from_response(200, &self.last_body),
        }))
    }

    async fn get(&self, url: Url) -> Result<Response, Error<E>> {
        let request = Request::new(Method::GET, url);
        let answer = self.pipeline.send(request, self.operation).await?;
        match answer.status() {
            200..=299 => Ok(answer),
            _ => Err(answer.into_error()),
        }
    }
}

/// `link` resolved against the endpoint, refused when it leads to another
/// origin: the pipeline signs every request, so a monitor elsewhere would
/// receive the credential.
fn same_origin<E>(pipeline: &Pipeline, name: &'static str, link: &str) -> Result<Url, Error<E>> {
    let url = pipeline
        .endpoint()
        .join(link)
        .map_err(|e| Error::InvalidArgument {
            name,
            reason: format!("`{link}` is not a URL: {e}"),
        })?;
    if url.origin() != pipeline.endpoint().origin() {
        return Err(Error::InvalidArgument {
            name,
            reason: format!(
                "`{link}` leads to another origin than the endpoint; not followed, so the credential stays with the endpoint"
            ),
        });
    }
    Ok(url)
}
