//! Text from outside made safe to show. An endpoint controls much of what a
//! report says (headers, bodies, error codes, `Location`s), and a spec its
//! names; either could hold escape sequences that recolour, retitle or
//! clear a terminal, carriage returns and bidi overrides that make a line
//! read as something else, or characters XML 1.0 forbids even escaped.
//! Every renderer shows the report through [`report`], so each such
//! character reaches a terminal, a JSON reader or a CI's XML parser as a
//! visible `\u{1b}`, never raw.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Basis, CaseResult, Finding, Report, WorkflowResult};

/// One line of text, every unsafe character (newlines too) as `\u{..}`.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Text of several lines: as [`line`], but newlines kept.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Control characters (C0, DEL, C1: escape sequences, carriage returns,
/// NUL), the bidi controls that reorder what a line shows, and the two
/// non-characters XML 1.0 has no place for (U+FFFE, U+FFFF).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{fffe}'
                | '\u{ffff}'
        )
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let escaped = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The report with every string in it escaped: what renderers render.
/// Fields are listed in full so that a new one must be decided on here.
pub(super) fn report(report: &Report) -> Report {
    let Report {
        spec,
        endpoint,
        embedded,
        seed,
        notices,
        rules,
        partition,
        cases,
        workflows,
        duration,
    } = report;
    Report {
        spec: line(spec).into_owned(),
        endpoint: line(endpoint).into_owned(),
        embedded: *embedded,
        seed: *seed,
        notices: notices.iter().map(|n| line(n).into_owned()).collect(),
        rules: *rules,
        partition: *partition,
        cases: cases.iter().map(case).collect(),
        workflows: workflows.iter().map(workflow).collect(),
        duration: *duration,
    }
}

fn workflow(workflow: &WorkflowResult) -> WorkflowResult {
    let WorkflowResult {
        id,
        file,
        summary,
        steps,
        duration,
    } = workflow;
    WorkflowResult {
        id: line(id).into_owned(),
        file: line(file).into_owned(),
        summary: line(summary).into_owned(),
        steps: steps.iter().map(case).collect(),
        duration: *duration,
    }
}

fn case(case: &CaseResult) -> CaseResult {
    let CaseResult {
        name,
        kind,
        summary,
        request_line,
        status,
        findings,
        curl,
        duration,
        skipped,
    } = case;
    CaseResult {
        name: line(name).into_owned(),
        kind: *kind,
        summary: line(summary).into_owned(),
        request_line: request_line.as_deref().map(|r| line(r).into_owned()),
        status: *status,
        findings: findings.iter().map(finding).collect(),
        curl: curl.as_deref().map(|c| line(c).into_owned()),
        duration: *duration,
        skipped: skipped.as_deref().map(|s| line(s).into_owned()),
    }
}

fn finding(finding: &Finding) -> Finding {
    let Finding {
        severity,
        source,
        check,
        expected,
        seen,
        basis,
        rule,
        diff,
    } = finding;
    Finding {
        severity: *severity,
        source: *source,
        check,
        expected: line(expected).into_owned(),
        seen: line(seen).into_owned(),
        basis: basis.as_ref().map(|b| Basis {
            pointer: line(&b.pointer).into_owned(),
            file: line(&b.file).into_owned(),
            position: b.position,
        }),
        // Written here, not taken from outside.
        rule: *rule,
        diff: diff.as_deref().map(|d| lines(d).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::human::tests::sample;

    #[test]
    fn safe_text_is_left_alone() {
        let text = "expected 404 <Not Found> & an error; saw `é` \u{fffd} 'quoted' \\n";
        assert!(matches!(line(text), Cow::Borrowed(_)));
        assert_eq!(report(&sample()), sample());
    }

    #[test]
    fn controls_bidi_and_xml_non_characters_are_escaped() {
        assert_eq!(
            line("a\x1b[2J\u{9b}31m\0\r\nb\t\u{7f}\u{202e}c\u{fffe}\u{ffff}"),
            "a\\u{1b}[2J\\u{9b}31m\\u{0}\\u{d}\\u{a}b\\u{9}\\u{7f}\\u{202e}c\\u{fffe}\\u{ffff}"
        );
        assert_eq!(lines("-a\x1b\n+b\r\n"), "-a\\u{1b}\n+b\\u{d}\n");
    }

    #[test]
    fn every_string_of_a_report_is_escaped() {
        let mut hostile_report = sample();
        let hostile = "\x1b]0;owned\x07";
        hostile_report.spec = hostile.to_owned();
        hostile_report.endpoint = hostile.to_owned();
        hostile_report.notices = vec![hostile.to_owned()];
        let case = &mut hostile_report.cases[1];
        case.name = hostile.to_owned();
        case.summary = hostile.to_owned();
        case.request_line = Some(hostile.to_owned());
        case.curl = Some(hostile.to_owned());
        let finding = &mut case.findings[0];
        finding.expected = hostile.to_owned();
        finding.seen = hostile.to_owned();
        finding.diff = Some(format!("{hostile}\n{hostile}"));
        if let Some(basis) = &mut finding.basis {
            basis.file = hostile.to_owned();
            basis.pointer = hostile.to_owned();
        }
        // Debug shows a raw ESC as `\u{1b}` and an escaped one as `\\u{1b}`.
        let shown = format!("{:?}", report(&hostile_report));
        assert_eq!(shown.matches("u{1b}]0;owned").count(), 13, "{shown}");
        assert_eq!(
            shown.matches("\\\\u{1b}]0;owned\\\\u{7}").count(),
            13,
            "{shown}"
        );
    }
}
