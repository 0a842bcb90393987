//! What a run found, and its renderings: one line per case for people
//! (`human`), a stable JSON document (`json`) and JUnit XML (`junit`) for CI.
//!
//! Renderers only read these values; they never decide what passed, and
//! they show them only through [`escape::report`], which makes text from
//! outside safe for a terminal, a JSON reader and an XML parser.

pub mod escape;
mod human;
mod json;
mod junit;

use std::time::Duration;

pub use crate::rules::{Rule, Rules, Source};
pub use crate::suite::Partition;
pub use human::{Colour, human};
pub use json::json;
pub use junit::junit;

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The spec as the user named it.
    pub spec: String,
    /// The endpoint the cases were sent to (`http://127.0.0.1:PORT` for the
    /// built-in reference endpoint).
    pub endpoint: String,
    /// Whether `endpoint` is the built-in reference endpoint.
    pub embedded: bool,
    /// The seed every generated value came from (`--seed`).
    pub seed: u64,
    /// Things the user should know about the run itself (`--insecure`).
    pub notices: Vec<String>,
    /// The sources whose rules applied, and how much (`--rules`).
    pub rules: Rules,
    /// The part of the run's cases this report holds (`--partition`).
    pub partition: Option<Partition>,
    /// In run order.
    pub cases: Vec<CaseResult>,
    /// The Arazzo workflows run, in run order.
    pub workflows: Vec<WorkflowResult>,
    pub duration: Duration,
}

impl Report {
    /// The cases and every workflow's steps.
    pub fn all(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases
            .iter()
            .chain(self.workflows.iter().flat_map(|w| &w.steps))
    }

    pub fn passed(&self) -> usize {
        self.all().filter(|c| c.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.all().filter(|c| c.failed()).count()
    }

    /// Workflow steps not run (a step before them failed or ended the workflow).
    pub fn skipped(&self) -> usize {
        self.all().filter(|c| c.skipped.is_some()).count()
    }

    pub fn warnings(&self) -> usize {
        self.all()
            .flat_map(|c| &c.findings)
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// One run of an Arazzo workflow: a suite whose cases are its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowResult {
    /// `workflowId`.
    pub id: String,
    /// The Arazzo file as the user named it.
    pub file: String,
    /// The workflow's `summary`, or its id.
    pub summary: String,
    /// One per step, in the document's order; a step run more than once
    /// (through `goto`) is reported as its last run.
    pub steps: Vec<CaseResult>,
    pub duration: Duration,
}

/// What one case did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// Stable and readable: `JobRouterOperations_CloseJob/example/Closes a completed job`.
    pub name: String,
    pub kind: CaseKind,
    /// What the case is about, in one sentence.
    pub summary: String,
    /// `POST /routing/...`, or `None` for checks of the spec itself.
    pub request_line: Option<String>,
    /// The status the endpoint answered, if it answered.
    pub status: Option<u16>,
    pub findings: Vec<Finding>,
    /// A command that reproduces the request, secrets redacted.
    pub curl: Option<String>,
    pub duration: Duration,
    /// Why a workflow step was not run (none for a case that ran).
    pub skipped: Option<String>,
}

impl CaseResult {
    /// A case passes when it ran and has no error findings (warnings do
    /// not fail).
    pub fn passed(&self) -> bool {
        self.skipped.is_none() && !self.failed()
    }

    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Where a case comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// A documented example checked against the spec itself.
    SpecExample,
    /// A documented example replayed against the endpoint.
    Example,
    /// A request the spec implies an answer to (bad input, unknown ids...).
    Probe,
    /// An Azure REST API guideline check.
    Azure,
    /// A step of an Arazzo workflow.
    Step,
}

impl CaseKind {
    /// The name used in case names and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::SpecExample => "spec-example",
            CaseKind::Example => "example",
            CaseKind::Probe => "probe",
            CaseKind::Azure => "azure",
            CaseKind::Step => "step",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing a check saw that differs from what its source says.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// Where the expectation comes from.
    pub source: Source,
    /// A stable id of the check (`status`, `body-schema`, `x-ms-error-code`...).
    pub check: &'static str,
    pub expected: String,
    pub seen: String,
    /// The part of the spec that says so (`spec` findings).
    pub basis: Option<Basis>,
    /// The guideline or REST semantics that say so (`azure` and `inferred`
    /// findings).
    pub rule: Option<&'static Rule>,
    /// A unified diff (expected → seen) where one helps.
    pub diff: Option<String>,
}

impl Finding {
    /// An error the document supports at `basis`.
    pub fn spec(check: &'static str, expected: String, seen: String, basis: Basis) -> Finding {
        Finding {
            severity: Severity::Error,
            source: Source::Spec,
            check,
            expected,
            seen,
            basis: Some(basis),
            rule: None,
            diff: None,
        }
    }

    /// An error a workflow's own criterion supports, at `basis` in the
    /// Arazzo file.
    pub fn workflow(check: &'static str, expected: String, seen: String, basis: Basis) -> Finding {
        Finding {
            source: Source::Workflow,
            ..Finding::spec(check, expected, seen, basis)
        }
    }

    /// An error a rule from outside the document supports.
    pub fn rule(
        rule: &'static Rule,
        check: &'static str,
        expected: String,
        seen: String,
    ) -> Finding {
        Finding {
            severity: Severity::Error,
            source: rule.source,
            check,
            expected,
            seen,
            basis: None,
            rule: Some(rule),
            diff: None,
        }
    }

    /// The same finding, as a warning.
    pub fn warning(self) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..self
        }
    }
}

/// A place in the spec: its JSON pointer and, where found, its position in
/// the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub pointer: String,
    pub file: String,
    /// 1-based line and column of the pointed-at node.
    pub position: Option<(usize, usize)>,
}

impl std::fmt::Display for Basis {
    /// `spec/close-job.yaml:64:15 (/paths/~1a/post/responses/200)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column} ({})", self.file, self.pointer),
            None => write!(f, "{} ({})", self.file, self.pointer),
        }
    }
}
