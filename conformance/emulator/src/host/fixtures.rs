//! The emulator's starting state, from YAML or JSON: Close Job's shorthand
//! (workers with a capacity, jobs with a status and assignments) and any
//! resource as its upsert body would give it (`distributionPolicies`,
//! `queues`, `classificationPolicies`, `exceptionPolicies`, `routerWorkers`,
//! `routerJobs`), applied in that order through the same upserts the API
//! runs, so they are checked and matched alike.

use std::path::Path;

use job_router_client::models::RouterJobStatus;
use serde::{Deserialize, Serialize};

/// Resources to start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixtures {
    #[serde(default)]
    pub workers: Vec<WorkerFixture>,
    #[serde(default)]
    pub jobs: Vec<JobFixture>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution_policies: Vec<Seed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<Seed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classification_policies: Vec<Seed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exception_policies: Vec<Seed>,
    /// Workers as Upsert Worker bodies (the shorthand `workers` cannot say
    /// queues, channels or labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub router_workers: Vec<Seed>,
    /// Jobs as Upsert Job bodies: queued (or classified) and matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub router_jobs: Vec<Seed>,
    /// Ids for offers that matching made of the seeded jobs (offer ids are
    /// the service's, so a documented one can only be given this way).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<OfferFixture>,
}

/// The id the offer of `job_id` to `worker_id` gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfferFixture {
    pub id: String,
    pub worker_id: String,
    pub job_id: String,
}

/// A resource's id and its upsert body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seed {
    pub id: String,
    #[serde(flatten)]
    pub body: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkerFixture {
    pub id: String,
    /// Total capacity; the capacity of assignments of jobs not closed is in use.
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobFixture {
    pub id: String,
    pub status: JobStatus,
    #[serde(default)]
    pub assignments: Vec<AssignmentFixture>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignmentFixture {
    pub id: String,
    pub worker_id: String,
    #[serde(default = "one")]
    pub capacity_cost: u32,
}

fn one() -> u32 {
    1
}

/// A job's status, with the service's wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobStatus {
    PendingClassification,
    Queued,
    Assigned,
    Completed,
    Closed,
    Cancelled,
    ClassificationFailed,
    Created,
    PendingSchedule,
    Scheduled,
    ScheduleFailed,
    WaitingForActivation,
}

/// Why fixtures could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FixturesError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {message}")]
    Inconsistent { path: String, message: String },
}

const DEFAULT: &str = include_str!("../../fixtures/default.yaml");

impl Default for Fixtures {
    /// The documented example's job, completed under its assignment.
    fn default() -> Self {
        // Embedded at build time and loaded by the tests: not user input.
        Self::parse("fixtures/default.yaml", DEFAULT, false)
            .expect("the embedded fixtures/default.yaml is valid")
    }
}

impl Fixtures {
    /// Nothing: the state a new Job Router resource starts from.
    pub fn empty() -> Self {
        Self {
            workers: Vec::new(),
            jobs: Vec::new(),
            distribution_policies: Vec::new(),
            queues: Vec::new(),
            classification_policies: Vec::new(),
            exception_policies: Vec::new(),
            router_workers: Vec::new(),
            router_jobs: Vec::new(),
            offers: Vec::new(),
        }
    }

    /// `count` completed jobs, `job-{i}` under assignment `assignment-{i}`,
    /// on one worker `worker-1` with room for all: state for load tests.
    pub fn completed_jobs(count: usize) -> Self {
        Self {
            workers: vec![WorkerFixture {
                id: "worker-1".to_owned(),
                capacity: u32::try_from(count).unwrap_or(u32::MAX),
            }],
            jobs: (0..count)
                .map(|i| JobFixture {
                    id: format!("job-{i}"),
                    status: JobStatus::Completed,
                    assignments: vec![AssignmentFixture {
                        id: format!("assignment-{i}"),
                        worker_id: "worker-1".to_owned(),
                        capacity_cost: 1,
                    }],
                })
                .collect(),
            ..Self::empty()
        }
    }

    /// These fixtures and then `more`, each list in order: a seed in
    /// `more` upserts over one of the same id here.
    pub fn and(&self, more: &Fixtures) -> Fixtures {
        let join = |a: &[Seed], b: &[Seed]| [a, b].concat();
        Fixtures {
            workers: [&self.workers[..], &more.workers].concat(),
            jobs: [&self.jobs[..], &more.jobs].concat(),
            distribution_policies: join(&self.distribution_policies, &more.distribution_policies),
            queues: join(&self.queues, &more.queues),
            classification_policies: join(
                &self.classification_policies,
                &more.classification_policies,
            ),
            exception_policies: join(&self.exception_policies, &more.exception_policies),
            router_workers: join(&self.router_workers, &more.router_workers),
            router_jobs: join(&self.router_jobs, &more.router_jobs),
            offers: [&self.offers[..], &more.offers].concat(),
        }
    }

    /// Reads fixtures from a `.json` file or a YAML one.
    pub fn load(path: &Path) -> Result<Self, FixturesError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FixturesError::Read {
            path: shown.clone(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Self::parse(&shown, &text, is_json)
    }

    fn parse(path: &str, text: &str, is_json: bool) -> Result<Self, FixturesError> {
        let parsed: Result<Self, String> = if is_json {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_str(text).map_err(|e| e.to_string())
        };
        let fixtures = parsed.map_err(|message| FixturesError::Parse {
            path: path.to_owned(),
            message,
        })?;
        fixtures
            .check()
            .map_err(|message| FixturesError::Inconsistent {
                path: path.to_owned(),
                message,
            })?;
        Ok(fixtures)
    }

    /// Ids are unique, every assignment names a known worker, and every
    /// seeded resource is one its upsert would accept.
    pub fn check(&self) -> Result<(), String> {
        self.check_shorthand()?;
        crate::state::State::new(self, jiff::Timestamp::UNIX_EPOCH).map(|_| ())
    }

    fn check_shorthand(&self) -> Result<(), String> {
        let mut workers = std::collections::HashSet::new();
        for worker in &self.workers {
            if !workers.insert(worker.id.as_str()) {
                return Err(format!("worker `{}` is declared twice", worker.id));
            }
        }
        let mut jobs = std::collections::HashSet::new();
        for job in &self.jobs {
            if !jobs.insert(job.id.as_str()) {
                return Err(format!("job `{}` is declared twice", job.id));
            }
            for assignment in &job.assignments {
                if !workers.contains(assignment.worker_id.as_str()) {
                    return Err(format!(
                        "job `{}`: assignment `{}` names worker `{}`, which is not declared",
                        job.id, assignment.id, assignment.worker_id
                    ));
                }
            }
        }
        Ok(())
    }
}

impl From<JobStatus> for RouterJobStatus {
    fn from(status: JobStatus) -> Self {
        match status {
            JobStatus::PendingClassification => RouterJobStatus::PendingClassification,
            JobStatus::Queued => RouterJobStatus::Queued,
            JobStatus::Assigned => RouterJobStatus::Assigned,
            JobStatus::Completed => RouterJobStatus::Completed,
            JobStatus::Closed => RouterJobStatus::Closed,
            JobStatus::Cancelled => RouterJobStatus::Cancelled,
            JobStatus::ClassificationFailed => RouterJobStatus::ClassificationFailed,
            JobStatus::Created => RouterJobStatus::Created,
            JobStatus::PendingSchedule => RouterJobStatus::PendingSchedule,
            JobStatus::Scheduled => RouterJobStatus::Scheduled,
            JobStatus::ScheduleFailed => RouterJobStatus::ScheduleFailed,
            JobStatus::WaitingForActivation => RouterJobStatus::WaitingForActivation,
        }
    }
}

impl JobStatus {
    /// The status a job has on the wire, as a fixture status (`Created`
    /// for none; the emulator sets no other).
    pub fn from_router(status: Option<&RouterJobStatus>) -> Self {
        match status {
            Some(RouterJobStatus::PendingClassification) => JobStatus::PendingClassification,
            Some(RouterJobStatus::Queued) => JobStatus::Queued,
            Some(RouterJobStatus::Assigned) => JobStatus::Assigned,
            Some(RouterJobStatus::Completed) => JobStatus::Completed,
            Some(RouterJobStatus::Closed) => JobStatus::Closed,
            Some(RouterJobStatus::Cancelled) => JobStatus::Cancelled,
            Some(RouterJobStatus::ClassificationFailed) => JobStatus::ClassificationFailed,
            Some(RouterJobStatus::PendingSchedule) => JobStatus::PendingSchedule,
            Some(RouterJobStatus::Scheduled) => JobStatus::Scheduled,
            Some(RouterJobStatus::ScheduleFailed) => JobStatus::ScheduleFailed,
            Some(RouterJobStatus::WaitingForActivation) => JobStatus::WaitingForActivation,
            Some(RouterJobStatus::Created | RouterJobStatus::Other(_)) | None => JobStatus::Created,
        }
    }
}
