//! A client written by hand the way the generator writes one: Close Job
//! (a path with two ids, `api-version`, an optional JSON body, a typed
//! error) and a pageable list. The runtime's tests drive the runtime
//! through it as a generated crate's users would, without building one.

#![allow(dead_code)] // Each test file uses its own part of this module.

use openapi_runtime::{self as runtime, ClientOptions, Credential, Error, Pipeline};

/// The models the calls send and answer, as the generator writes them.
pub mod models {
    /// Request payload for closing jobs.
    #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
    pub struct CloseJobOptions {
        #[serde(rename = "closeAt", skip_serializing_if = "Option::is_none")]
        pub close_at: Option<String>,
        #[serde(rename = "dispositionCode", skip_serializing_if = "Option::is_none")]
        pub disposition_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
    }

    /// Close Job's success body: any object.
    #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
    pub struct CloseJobResult {
        #[serde(flatten)]
        pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
    }

    /// A long-running send's status monitor and result.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct EmailSendResult {
        pub id: String,
        pub status: String,
    }

    /// Azure's error body.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct ErrorResponse {
        pub error: FoundationsError,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct FoundationsError {
        pub code: String,
        pub message: String,
    }

    /// A page of a list.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Page {
        pub value: Vec<serde_json::Value>,
        #[serde(rename = "nextLink", skip_serializing_if = "Option::is_none")]
        pub next_link: Option<String>,
    }
}

use models::{CloseJobOptions, CloseJobResult, ErrorResponse, Page};

/// What `support` needs of the client under test (the benches include
/// this module without `support`).
#[allow(unused_imports)]
pub mod subject {
    pub use super::Client;
    pub use super::models::CloseJobOptions;
    pub use openapi_runtime::{ClientOptions, Credential, RetryOptions, Sleep};
}

#[derive(Debug, Clone)]
pub struct Client {
    pipeline: Pipeline,
    api_version: String,
}

impl Client {
    pub const DEFAULT_API_VERSION: &str = "2023-11-01";

    pub fn new(
        endpoint: &str,
        credential: Credential,
        options: ClientOptions,
    ) -> Result<Self, Error> {
        Ok(Self {
            pipeline: Pipeline::new(endpoint, credential, &options)?,
            api_version: options
                .api_version
                .clone()
                .unwrap_or_else(|| Self::DEFAULT_API_VERSION.to_owned()),
        })
    }

    /// A client sending API keys as `scheme` says (what the generator
    /// emits for a document with an `apiKey` security scheme).
    pub fn with_api_key_scheme(
        endpoint: &str,
        credential: Credential,
        options: ClientOptions,
        scheme: runtime::ApiKeyScheme,
    ) -> Result<Self, Error> {
        let client = Self::new(endpoint, credential, options)?;
        Ok(Self {
            pipeline: client.pipeline.with_api_key_scheme(scheme),
            ..client
        })
    }

    #[cfg(feature = "azure")]
    pub fn from_connection_string(
        connection_string: &str,
        options: ClientOptions,
    ) -> Result<Self, Error> {
        let (endpoint, key) = runtime::parse_connection_string(connection_string)?;
        Self::new(&endpoint, Credential::AccessKey(key), options)
    }

    #[cfg(feature = "azure")]
    pub fn with_client_request_id(&self, id: &str) -> Result<Self, Error> {
        Ok(Self {
            pipeline: self.pipeline.with_client_request_id(id)?,
            api_version: self.api_version.clone(),
        })
    }

    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    pub fn endpoint(&self) -> &url::Url {
        self.pipeline.endpoint()
    }

    /// `POST /routing/jobs/{jobId}/assignments/{assignmentId}:close`
    pub async fn close_job(
        &self,
        job_id: &str,
        assignment_id: &str,
        options: Option<&CloseJobOptions>,
    ) -> Result<CloseJobResult, Error<ErrorResponse>> {
        let path = [
            "/routing/jobs/",
            &runtime::path_segment("jobId", job_id)?,
            "/assignments/",
            &runtime::path_segment("assignmentId", assignment_id)?,
            ":close",
        ]
        .concat();
        let mut url = self.pipeline.url(&path);
        url.query_pairs_mut()
            .append_pair("api-version", &self.api_version);
        let mut request = runtime::Request::new(reqwest::Method::POST, url);
        if let Some(body) = options {
            request.json(body, "application/json")?;
        }
        let response = self
            .pipeline
            .send(request, "JobRouterOperations_CloseJob")
            .await?;
        match response.status() {
            200 => response.json(),
            _ => Err(response.into_error()),
        }
    }

    /// `GET /routing/jobs`: the first page.
    pub async fn list_jobs(&self) -> Result<Page, Error<ErrorResponse>> {
        let response = self
            .pipeline
            .send(self.list_jobs_request(), "JobRouterOperations_ListJobs")
            .await?;
        match response.status() {
            200 => response.json(),
            _ => Err(response.into_error()),
        }
    }

    /// Every job of every page.
    pub fn list_jobs_pages(&self) -> runtime::Pages<Page, serde_json::Value, ErrorResponse> {
        runtime::Pages::new(
            self.pipeline.clone(),
            "JobRouterOperations_ListJobs",
            Ok(self.list_jobs_request()),
            |page: Page| (page.value, page.next_link),
        )
    }

    /// `POST /emails:send`, a long-running operation
    /// (`final-state-via: azure-async-operation`): the poller that follows
    /// it to its `EmailSendResult`.
    pub async fn begin_send(
        &self,
        message: &serde_json::Value,
    ) -> Result<runtime::Poller<models::EmailSendResult, ErrorResponse>, Error<ErrorResponse>> {
        let mut url = self.pipeline.url("/emails:send");
        url.query_pairs_mut()
            .append_pair("api-version", &self.api_version);
        let mut request = runtime::Request::new(reqwest::Method::POST, url);
        request.json(message, "application/json")?;
        let original = request.url().clone();
        let response = self.pipeline.send(request, "Email_Send").await?;
        runtime::Poller::start(
            self.pipeline.clone(),
            "Email_Send",
            original,
            response,
            runtime::FinalState::AzureAsyncOperation,
        )
    }

    /// `DELETE /routing/jobs/{jobId}`, a long-running operation
    /// (`final-state-via: location`).
    pub async fn begin_delete_job(
        &self,
        job_id: &str,
    ) -> Result<runtime::Poller<serde_json::Value, ErrorResponse>, Error<ErrorResponse>> {
        let path = ["/routing/jobs/", &runtime::path_segment("jobId", job_id)?].concat();
        let request = runtime::Request::new(reqwest::Method::DELETE, self.pipeline.url(&path));
        let original = request.url().clone();
        let response = self.pipeline.send(request, "DeleteJob").await?;
        runtime::Poller::start(
            self.pipeline.clone(),
            "DeleteJob",
            original,
            response,
            runtime::FinalState::Location,
        )
    }

    fn list_jobs_request(&self) -> runtime::Request {
        let mut url = self.pipeline.url("/routing/jobs");
        url.query_pairs_mut()
            .append_pair("api-version", &self.api_version);
        runtime::Request::new(reqwest::Method::GET, url)
    }
}
