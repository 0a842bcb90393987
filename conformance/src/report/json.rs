//! The report as a stable JSON document (schema: `conformance/report.schema.json`).

use std::time::Duration;

use serde::Serialize;

use super::{Basis, CaseResult, Report};

/// Bumped whenever the document changes in a way a reader could notice.
const SCHEMA_VERSION: u32 = 3;

pub fn json(report: &Report) -> String {
    let report = super::escape::report(report);
    match serde_json::to_string_pretty(&Document::from(&report)) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Plain strings and numbers always serialize; should that ever change,
        // say so in JSON rather than take the run down.
        Err(e) => format!(
            "{{\"error\": {}}}\n",
            serde_json::Value::String(e.to_string())
        ),
    }
}

/// Milliseconds, whole: precise enough for a report and a plain integer for every reader.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

// The document's shape. Structs rather than `json!` so that keys keep the
// declared order whatever serde_json features the build enables.

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    spec: &'a str,
    endpoint: &'a str,
    embedded: bool,
    seed: u64,
    notices: &'a [String],
    rules: RuleLevels,
    partition: Option<PartitionDoc>,
    summary: Summary,
    cases: Vec<Case<'a>>,
    workflows: Vec<WorkflowDoc<'a>>,
}

#[derive(Serialize)]
struct WorkflowDoc<'a> {
    id: &'a str,
    file: &'a str,
    summary: &'a str,
    outcome: &'static str,
    duration_ms: u64,
    steps: Vec<Case<'a>>,
}

#[derive(Serialize)]
struct RuleLevels {
    spec: &'static str,
    azure: &'static str,
    inferred: &'static str,
    workflow: &'static str,
}

#[derive(Serialize)]
struct PartitionDoc {
    part: usize,
    of: usize,
}

#[derive(Serialize)]
struct Summary {
    cases: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    warnings: usize,
    duration_ms: u64,
}

#[derive(Serialize)]
struct Case<'a> {
    name: &'a str,
    kind: &'static str,
    summary: &'a str,
    request: Option<&'a str>,
    status: Option<u16>,
    outcome: &'static str,
    duration_ms: u64,
    curl: Option<&'a str>,
    skipped: Option<&'a str>,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    severity: &'static str,
    source: &'static str,
    check: &'static str,
    expected: &'a str,
    seen: &'a str,
    spec: Option<Spec<'a>>,
    rule: Option<RuleDoc>,
    diff: Option<&'a str>,
}

#[derive(Serialize)]
struct RuleDoc {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Spec<'a> {
    pointer: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

impl<'a> From<&'a Report> for Document<'a> {
    fn from(report: &'a Report) -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            spec: &report.spec,
            endpoint: &report.endpoint,
            embedded: report.embedded,
            seed: report.seed,
            notices: &report.notices,
            rules: RuleLevels {
                spec: report.rules.spec.as_str(),
                azure: report.rules.azure.as_str(),
                inferred: report.rules.inferred.as_str(),
                workflow: report.rules.workflow.as_str(),
            },
            partition: report.partition.map(|p| PartitionDoc {
                part: p.part,
                of: p.of,
            }),
            summary: Summary {
                cases: report.all().count(),
                passed: report.passed(),
                failed: report.failed(),
                skipped: report.skipped(),
                warnings: report.warnings(),
                duration_ms: millis(report.duration),
            },
            cases: report.cases.iter().map(Case::from).collect(),
            workflows: report
                .workflows
                .iter()
                .map(|w| WorkflowDoc {
                    id: &w.id,
                    file: &w.file,
                    summary: &w.summary,
                    outcome: if w.steps.iter().any(CaseResult::failed) {
                        "fail"
                    } else {
                        "pass"
                    },
                    duration_ms: millis(w.duration),
                    steps: w.steps.iter().map(Case::from).collect(),
                })
                .collect(),
        }
    }
}

impl<'a> From<&'a CaseResult> for Case<'a> {
    fn from(case: &'a CaseResult) -> Self {
        Case {
            name: &case.name,
            kind: case.kind.as_str(),
            summary: &case.summary,
            request: case.request_line.as_deref(),
            status: case.status,
            outcome: match (&case.skipped, case.passed()) {
                (Some(_), _) => "skip",
                (None, true) => "pass",
                (None, false) => "fail",
            },
            duration_ms: millis(case.duration),
            curl: case.curl.as_deref(),
            skipped: case.skipped.as_deref(),
            findings: case.findings.iter().map(Finding::from).collect(),
        }
    }
}

impl<'a> From<&'a super::Finding> for Finding<'a> {
    fn from(finding: &'a super::Finding) -> Self {
        Finding {
            severity: finding.severity.as_str(),
            source: finding.source.as_str(),
            check: finding.check,
            expected: &finding.expected,
            seen: &finding.seen,
            spec: finding.basis.as_ref().map(Spec::from),
            rule: finding.rule.map(|rule| RuleDoc {
                name: rule.name,
                url: rule.url,
            }),
            diff: finding.diff.as_deref(),
        }
    }
}

impl<'a> From<&'a Basis> for Spec<'a> {
    fn from(basis: &'a Basis) -> Self {
        Spec {
            pointer: &basis.pointer,
            file: &basis.file,
            line: basis.position.map(|(line, _)| line),
            column: basis.position.map(|(_, column)| column),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::report::human::tests::sample;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const SCHEMA: &str = include_str!("../../report.schema.json");

    #[test]
    fn document_has_the_documented_fields_in_order() -> TestResult {
        let text = json(&sample());
        assert!(text.ends_with("}\n"));
        let doc: Value = serde_json::from_str(&text)?;

        assert_eq!(doc["schema_version"], 3);
        assert_eq!(doc["spec"], "spec/close-job.yaml");
        assert_eq!(doc["endpoint"], "http://127.0.0.1:8080");
        assert_eq!(doc["embedded"], true);
        assert_eq!(doc["seed"], 42);
        assert_eq!(
            doc["notices"],
            json!(["TLS certificates are not verified (--insecure)"])
        );
        assert_eq!(
            doc["rules"],
            json!({"spec": "error", "azure": "error", "inferred": "error", "workflow": "error"})
        );
        assert_eq!(doc["partition"], Value::Null);
        assert_eq!(
            doc["summary"],
            json!({"cases": 4, "passed": 3, "failed": 1, "skipped": 0, "warnings": 1, "duration_ms": 123})
        );

        let cases = doc["cases"].as_array().ok_or("cases is not an array")?;
        assert_eq!(cases.len(), 4);
        assert_eq!(cases[0]["outcome"], "pass");
        assert_eq!(cases[0]["kind"], "example");
        assert_eq!(cases[0]["request"], "POST /routing/jobs/job-1:close");
        assert_eq!(cases[0]["status"], 200);
        assert_eq!(cases[0]["duration_ms"], 7);
        assert_eq!(cases[0]["curl"], Value::Null);
        assert_eq!(cases[0]["findings"], json!([]));
        assert_eq!(
            cases[1]["findings"],
            json!([{
                "severity": "error",
                "source": "spec",
                "check": "status",
                "expected": "404 <Not Found> & an error",
                "seen": "500",
                "spec": {
                    "pointer": "/paths/~1jobs/post/responses/404",
                    "file": "spec/close-job.yaml",
                    "line": 64,
                    "column": 15
                },
                "rule": null,
                "diff": "-status: 404\n+status: 500"
            }])
        );
        assert_eq!(cases[1]["outcome"], "fail");
        assert_eq!(
            cases[1]["curl"],
            "curl -X POST 'http://127.0.0.1:8080/routing/jobs/x:close'"
        );
        assert_eq!(cases[2]["outcome"], "pass");
        assert_eq!(cases[2]["findings"][0]["severity"], "warning");
        assert_eq!(cases[2]["findings"][0]["spec"], Value::Null);
        assert_eq!(cases[2]["findings"][0]["source"], "azure");
        assert_eq!(
            cases[2]["findings"][0]["rule"]["url"],
            "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#rest-error-code-header"
        );
        assert_eq!(cases[3]["kind"], "spec-example");
        assert_eq!(cases[3]["request"], Value::Null);
        assert_eq!(cases[3]["status"], Value::Null);

        // Keys come out in the documented order, not alphabetically.
        let keys = [
            "\"schema_version\"",
            "\"spec\"",
            "\"endpoint\"",
            "\"embedded\"",
            "\"seed\"",
        ];
        let at: Vec<_> = keys.iter().filter_map(|k| text.find(k)).collect();
        assert!(at.len() == keys.len() && at.is_sorted(), "{text}");
        Ok(())
    }

    #[test]
    fn document_validates_against_the_published_schema() -> TestResult {
        let schema: Value = serde_json::from_str(SCHEMA)?;
        let validator = jsonschema::validator_for(&schema)?;
        let doc: Value = serde_json::from_str(&json(&sample()))?;
        let errors: Vec<_> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        Ok(())
    }

    #[test]
    fn schema_rejects_what_the_document_never_holds() -> TestResult {
        let validator = jsonschema::validator_for(&serde_json::from_str(SCHEMA)?)?;
        let doc: Value = serde_json::from_str(&json(&sample()))?;

        let mut extra = doc.clone();
        extra["cases"][0]["surprise"] = json!(true);
        assert!(!validator.is_valid(&extra));

        let mut bad_kind = doc.clone();
        bad_kind["cases"][0]["kind"] = json!("fuzz");
        assert!(!validator.is_valid(&bad_kind));

        let mut no_source = doc.clone();
        no_source["cases"][1]["findings"][0]
            .as_object_mut()
            .ok_or("finding is not an object")?
            .remove("source");
        assert!(!validator.is_valid(&no_source));

        // A spec finding names its place; any other names its rule.
        let mut spec_without_place = doc.clone();
        spec_without_place["cases"][1]["findings"][0]["spec"] = Value::Null;
        assert!(!validator.is_valid(&spec_without_place));
        let mut azure_without_rule = doc.clone();
        azure_without_rule["cases"][2]["findings"][0]["rule"] = Value::Null;
        assert!(!validator.is_valid(&azure_without_rule));

        let mut missing = doc;
        missing["summary"]
            .as_object_mut()
            .ok_or("summary is not an object")?
            .remove("duration_ms");
        assert!(!validator.is_valid(&missing));
        Ok(())
    }
}
