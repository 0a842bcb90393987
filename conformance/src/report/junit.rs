//! The report as JUnit XML: one testcase per case.

use std::error::Error as _;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::human::{details, headline};
use super::{CaseResult, Report, Severity};

pub fn junit(report: &Report) -> String {
    let report = &super::escape::report(report);
    let mut suite = TestSuite::new(&report.spec);
    suite
        .set_time(report.duration)
        .add_property(Property::new("endpoint", &report.endpoint))
        .add_property(Property::new("seed", report.seed.to_string()))
        .add_property(Property::new("rules", report.rules.describe()))
        .add_properties(
            report
                .partition
                .map(|p| Property::new("partition", p.to_string())),
        )
        .add_test_cases(report.cases.iter().map(test_case));
    let mut junit = quick_junit::Report::new("conformance");
    junit.set_time(report.duration);
    // A run of workflows alone has no suite of cases.
    if !report.cases.is_empty() || report.workflows.is_empty() {
        junit.add_test_suite(suite);
    }
    for workflow in &report.workflows {
        let mut suite = TestSuite::new(format!("workflow/{}", workflow.id));
        suite
            .set_time(workflow.duration)
            .add_property(Property::new("file", &workflow.file))
            .add_property(Property::new("summary", &workflow.summary))
            .add_test_cases(workflow.steps.iter().map(test_case));
        junit.add_test_suite(suite);
    }
    // Writing to memory cannot fail in practice; if it ever does, the CI
    // artifact should say why rather than the run panic.
    junit.to_string().unwrap_or_else(|e| {
        let cause = e.source().map(|s| format!(": {s}")).unwrap_or_default();
        format!("{e}{cause}\n")
    })
}

/// A case as CI shows it: failures carry their first error as the message
/// and every finding as text; warnings of a passing case go to system-out.
fn test_case(case: &CaseResult) -> TestCase {
    let details = details(case);
    let first_error = case.findings.iter().find(|f| f.severity == Severity::Error);
    let status = match first_error {
        _ if case.skipped.is_some() => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(case.skipped.clone().unwrap_or_default());
            status
        }
        Some(error) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(headline(error))
                .set_type(error.check)
                .set_description(&details);
            status
        }
        None => TestCaseStatus::success(),
    };
    // Case names start with the operation id (a step's with
    // `workflow/<id>`), which groups cases in CI views.
    let operation = match case.name.strip_prefix("workflow/") {
        Some(rest) => rest
            .split_once('/')
            .map_or(case.name.as_str(), |(id, _)| &case.name[..9 + id.len()]),
        None => case
            .name
            .split_once('/')
            .map_or(case.name.as_str(), |(op, _)| op),
    };
    let mut test_case = TestCase::new(&case.name, status);
    test_case.set_classname(operation).set_time(case.duration);
    // Each finding's source, in finding order, for CI tools that read properties.
    for (index, finding) in case.findings.iter().enumerate() {
        test_case.add_property(Property::new(
            format!("finding.{}.source", index + 1),
            finding.source.as_str(),
        ));
    }
    if first_error.is_none() && !details.is_empty() {
        test_case.set_system_out(details);
    }
    test_case
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::human::tests::sample;

    #[test]
    fn one_testcase_per_case_and_one_failure() {
        let xml = junit(&sample());
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert_eq!(xml.matches("<testcase").count(), 4, "{xml}");
        assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
        assert!(xml.contains(r#"<testsuites name="conformance""#), "{xml}");
        assert!(
            xml.contains(r#"<testsuite name="spec/close-job.yaml" tests="4""#),
            "{xml}"
        );
        assert!(xml.contains(r#"<property name="endpoint" value="http://127.0.0.1:8080"/>"#));
        assert!(xml.contains(r#"<property name="seed" value="42"/>"#));
        assert!(xml.contains(
            r#"<testcase name="JobRouterOperations_CloseJob/example/Closes a completed job" classname="JobRouterOperations_CloseJob" time="0.007"/>"#
        ), "{xml}");
    }

    #[test]
    fn failure_message_is_the_first_error_escaped() {
        let xml = junit(&sample());
        assert!(xml.contains(
            r#"<failure message="spec error[status]: expected 404 &lt;Not Found&gt; &amp; an error; saw 500" type="status">"#
        ), "{xml}");
        // The text holds the human details, reproduce line included.
        assert!(xml.contains("spec error[status]: expected 404 &lt;Not Found&gt; &amp; an error; saw 500\n  spec: spec/close-job.yaml:64:15"), "{xml}");
        assert!(xml.contains("reproduce: curl -X POST"), "{xml}");
        assert!(!xml.contains("<Not Found>"), "{xml}");
    }

    #[test]
    fn warnings_pass_with_their_findings_in_system_out() {
        let xml = junit(&sample());
        assert!(xml.contains(
            "<system-out>azure warning[x-ms-error-code]: expected an x-ms-error-code header; saw none\n  rule: Azure REST API guidelines: DO return an `x-ms-error-code` response header on an error &lt;https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#rest-error-code-header&gt;\n</system-out>"
        ), "{xml}");
        assert_eq!(xml.matches("<system-out>").count(), 1, "{xml}");
    }

    #[test]
    fn every_finding_has_its_source_as_a_property() {
        let xml = junit(&sample());
        assert!(
            xml.contains(r#"<property name="rules" value="spec,azure,inferred"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="finding.1.source" value="spec"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="finding.1.source" value="azure"/>"#),
            "{xml}"
        );
        assert_eq!(xml.matches("source\" value=").count(), 2, "{xml}");
    }
}
