//! The report for people: one line per case, details for failures, a summary.

use std::fmt::Write as _;
use std::io::IsTerminal as _;

use anstyle::{AnsiColor, Style};

use super::{CaseResult, Finding, Report, Source};

/// Whether to colour the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Never,
    Always,
}

impl Colour {
    /// Colour only for a person watching a terminal, and never against their
    /// wish (<https://no-color.org>: a non-empty `NO_COLOR` turns it off).
    pub fn for_stdout() -> Colour {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if std::io::stdout().is_terminal() && !no_color {
            Colour::Always
        } else {
            Colour::Never
        }
    }

    /// `text` in `style` when colouring, as is otherwise.
    fn paint(self, style: Style, text: &str) -> String {
        match self {
            Colour::Always => format!("{style}{text}{style:#}"),
            Colour::Never => text.to_owned(),
        }
    }
}

/// `1 case`, `2 cases`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn human(report: &Report, colour: Colour) -> String {
    let report = &super::escape::report(report);
    let mut out = format!("conformance: {} against {}", report.spec, report.endpoint);
    if report.embedded {
        out.push_str(" (built-in reference endpoint)");
    }
    let _ = writeln!(out, "\nseed: {}", report.seed);
    let _ = writeln!(out, "rules: {}", report.rules.describe());
    if let Some(partition) = report.partition {
        let _ = writeln!(out, "partition: {partition}");
    }
    for notice in &report.notices {
        let _ = writeln!(out, "note: {notice}");
    }
    out.push('\n');

    for case in &report.cases {
        case_lines(&mut out, case, colour);
    }
    for workflow in &report.workflows {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        let _ = write!(out, "workflow {} ({})", workflow.id, workflow.file);
        if workflow.summary != workflow.id {
            let _ = write!(out, ": {}", workflow.summary);
        }
        out.push('\n');
        for step in &workflow.steps {
            case_lines(&mut out, step, colour);
        }
    }

    let skipped = match report.skipped() {
        0 => String::new(),
        n => format!(", {n} not run"),
    };
    let summary = format!(
        "{}: {} passed, {} failed{skipped}, {} in {:.2} s",
        count(report.all().count(), "case"),
        report.passed(),
        report.failed(),
        count(report.warnings(), "warning"),
        report.duration.as_secs_f64(),
    );
    let _ = writeln!(out, "\n{}", colour.paint(Style::new().bold(), &summary));
    out
}

/// A case's line (label, name, status) and its details, indented.
fn case_lines(out: &mut String, case: &CaseResult, colour: Colour) {
    let (label, style) = match (&case.skipped, case.passed(), case.findings.is_empty()) {
        (Some(_), _, _) => ("SKIP", AnsiColor::BrightBlack),
        (None, false, _) => ("FAIL", AnsiColor::Red),
        (None, true, false) => ("WARN", AnsiColor::Yellow),
        (None, true, true) => ("PASS", AnsiColor::Green),
    };
    let label = colour.paint(Style::new().fg_color(Some(style.into())), label);
    let _ = write!(out, "{label}  {}", case.name);
    if let Some(status) = case.status {
        let _ = write!(out, "  [{status}]");
    }
    if let Some(why) = &case.skipped {
        let _ = write!(out, "  ({why})");
    }
    out.push('\n');
    for line in details(case).lines() {
        let _ = writeln!(out, "  {line}");
    }
}

/// What a case found and how to reproduce it, uncoloured and unindented;
/// empty for a clean pass. Shared with JUnit so CI shows the same words;
/// `case` is already escaped.
pub(super) fn details(case: &CaseResult) -> String {
    let mut out = String::new();
    for finding in &case.findings {
        let _ = writeln!(out, "{}", headline(finding));
        if let Some(basis) = &finding.basis {
            // A workflow criterion's place is in the Arazzo file.
            let _ = match finding.source {
                Source::Workflow => writeln!(out, "  workflow: {basis}"),
                _ => writeln!(out, "  spec: {basis}"),
            };
        }
        if let Some(rule) = finding.rule {
            let _ = writeln!(out, "  rule: {} <{}>", rule.name, rule.url);
        }
        for line in finding.diff.iter().flat_map(|d| d.lines()) {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(curl) = case.curl.as_deref().filter(|_| !case.passed()) {
        let _ = writeln!(out, "reproduce: {curl}");
    }
    out
}

/// What a finding is about in one line, the same wherever it is shown:
/// `spec error[status]: expected 200 (documented); saw 201`.
pub(super) fn headline(finding: &Finding) -> String {
    format!(
        "{} {}[{}]: expected {}; saw {}",
        finding.source.as_str(),
        finding.severity.as_str(),
        finding.check,
        finding.expected,
        finding.seen
    )
}

#[cfg(test)]
pub(super) mod tests {
    use std::time::Duration;

    use super::*;
    use crate::report::{Basis, CaseKind, Severity};
    use crate::rules::{self, Rules, Source};

    fn case(name: &str, kind: CaseKind, status: Option<u16>, findings: Vec<Finding>) -> CaseResult {
        CaseResult {
            name: name.to_owned(),
            kind,
            summary: format!("{name} does what the spec says"),
            request_line: status.map(|_| "POST /routing/jobs/job-1:close".to_owned()),
            status,
            findings,
            curl: None,
            duration: Duration::from_millis(7),
            skipped: None,
        }
    }

    fn finding(severity: Severity, check: &'static str, expected: &str, seen: &str) -> Finding {
        Finding {
            severity,
            source: Source::Azure,
            check,
            expected: expected.to_owned(),
            seen: seen.to_owned(),
            basis: None,
            rule: Some(&rules::ERROR_CODE_HEADER),
            diff: None,
        }
    }

    /// One case of each shape the renderers tell apart: a pass, a failure
    /// with everything filled in, a warning-only pass and a spec-only check.
    pub(in crate::report) fn sample() -> Report {
        let pass = case(
            "JobRouterOperations_CloseJob/example/Closes a completed job",
            CaseKind::Example,
            Some(200),
            vec![],
        );
        let mut fail = case(
            "JobRouterOperations_CloseJob/probe/unknown job",
            CaseKind::Probe,
            Some(500),
            vec![Finding {
                source: Source::Spec,
                rule: None,
                basis: Some(Basis {
                    pointer: "/paths/~1jobs/post/responses/404".to_owned(),
                    file: "spec/close-job.yaml".to_owned(),
                    position: Some((64, 15)),
                }),
                diff: Some("-status: 404\n+status: 500".to_owned()),
                ..finding(
                    Severity::Error,
                    "status",
                    "404 <Not Found> & an error",
                    "500",
                )
            }],
        );
        fail.curl = Some("curl -X POST 'http://127.0.0.1:8080/routing/jobs/x:close'".to_owned());
        let warn = case(
            "JobRouterOperations_CloseJob/azure/error code header",
            CaseKind::Azure,
            Some(400),
            vec![finding(
                Severity::Warning,
                "x-ms-error-code",
                "an x-ms-error-code header",
                "none",
            )],
        );
        let spec_example = case(
            "JobRouterOperations_CloseJob/spec-example/Closes a completed job",
            CaseKind::SpecExample,
            None,
            vec![],
        );
        Report {
            spec: "spec/close-job.yaml".to_owned(),
            endpoint: "http://127.0.0.1:8080".to_owned(),
            embedded: true,
            seed: 42,
            notices: vec!["TLS certificates are not verified (--insecure)".to_owned()],
            rules: Rules::default(),
            partition: None,
            cases: vec![pass, fail, warn, spec_example],
            workflows: Vec::new(),
            duration: Duration::from_millis(123),
        }
    }

    #[test]
    fn plain_report_has_a_line_per_case_details_and_a_summary() {
        let out = human(&sample(), Colour::Never);
        assert!(!out.contains('\x1b'), "{out}");
        let expected = "\
conformance: spec/close-job.yaml against http://127.0.0.1:8080 (built-in reference endpoint)
seed: 42
rules: spec,azure,inferred
note: TLS certificates are not verified (--insecure)

PASS  JobRouterOperations_CloseJob/example/Closes a completed job  [200]
FAIL  JobRouterOperations_CloseJob/probe/unknown job  [500]
  spec error[status]: expected 404 <Not Found> & an error; saw 500
    spec: spec/close-job.yaml:64:15 (/paths/~1jobs/post/responses/404)
    -status: 404
    +status: 500
  reproduce: curl -X POST 'http://127.0.0.1:8080/routing/jobs/x:close'
WARN  JobRouterOperations_CloseJob/azure/error code header  [400]
  azure warning[x-ms-error-code]: expected an x-ms-error-code header; saw none
    rule: Azure REST API guidelines: DO return an `x-ms-error-code` response header on an error <https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#rest-error-code-header>
PASS  JobRouterOperations_CloseJob/spec-example/Closes a completed job

4 cases: 3 passed, 1 failed, 1 warning in 0.12 s
";
        assert_eq!(out, expected);
    }

    #[test]
    fn remote_endpoint_has_no_embedded_note() {
        let report = Report {
            embedded: false,
            notices: vec![],
            ..sample()
        };
        let out = human(&report, Colour::Never);
        assert!(out.starts_with(
            "conformance: spec/close-job.yaml against http://127.0.0.1:8080\nseed: 42\nrules: spec,azure,inferred\n\n"
        ));
    }

    #[test]
    fn coloured_report_styles_labels_and_summary() {
        let out = human(&sample(), Colour::Always);
        assert!(out.contains('\x1b'));
        let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
        let bold = Style::new().bold();
        assert!(out.contains(&format!(
            "{green}PASS{green:#}  JobRouterOperations_CloseJob/example/"
        )));
        assert!(out.contains(&format!(
            "{red}FAIL{red:#}  JobRouterOperations_CloseJob/probe/"
        )));
        assert!(out.contains(&format!(
            "{yellow}WARN{yellow:#}  JobRouterOperations_CloseJob/azure/"
        )));
        assert!(out.ends_with(&format!(
            "{bold}4 cases: 3 passed, 1 failed, 1 warning in 0.12 s{bold:#}\n"
        )));
    }

    #[test]
    fn a_partition_and_weaker_rules_are_said_up_front() {
        let report = Report {
            rules: Rules::parse("spec,inferred=warning").expect("rules"),
            partition: crate::suite::Partition::parse("2/3").ok(),
            notices: vec![],
            ..sample()
        };
        let out = human(&report, Colour::Never);
        assert!(
            out.contains("seed: 42\nrules: spec,inferred=warning\npartition: 2/3\n\n"),
            "{out}"
        );
    }

    #[test]
    fn passing_cases_are_not_told_how_to_reproduce() {
        let mut warn = sample().cases.swap_remove(2);
        warn.curl = Some("curl http://127.0.0.1:8080".to_owned());
        assert!(!details(&warn).contains("reproduce"));
    }
}
