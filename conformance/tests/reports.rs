//! What every report promises whatever the endpoint does: each finding
//! names its source (in JSON, in the human report, in JUnit), a `spec`
//! finding its place and any other its rule; and `--partition K/N` splits
//! one run into complete reports that together are exactly the whole.

#[path = "support/mock.rs"]
mod mock;
mod support;

use std::time::Duration;

use conformance::report::{self, Colour, Report, Source};
use conformance::suite::{Partition, Settings};
use job_router_emulator::{self as reference, Config, Dialect};
use serde_json::Value;
use support::{
    EXAMPLE, example_only, failures, human, options, raw_server, run_against, run_with, serve,
    settings, spec, stable, tcp_server,
};

const SCHEMA: &str = include_str!("../report.schema.json");

/// Reports of runs against endpoints that break things each its own way.
async fn reports() -> Vec<Report> {
    let mut reports = Vec::new();
    let timeout = Duration::from_secs(10);
    // A faithful mock of the document, under the default rules.
    let address = serve(mock::router(spec())).await;
    reports.push(
        run_against(address, None, &settings(), timeout)
            .await
            .report,
    );
    // Nothing there: 404 to everything.
    let address = serve(axum::Router::new()).await;
    reports.push(
        run_against(address, None, &settings(), timeout)
            .await
            .report,
    );
    // 200 to everything, undeclared methods included.
    let address = serve(axum::Router::new().fallback(|| async { "{}" })).await;
    reports.push(
        run_against(address, None, &settings(), timeout)
            .await
            .report,
    );
    // The live service's error dialect.
    let (router, handle) = reference::router(Config {
        dialect: Dialect::Service,
        ..Config::default()
    });
    let address = serve(router).await;
    reports.push(
        run_against(address, Some(handle), &settings(), timeout)
            .await
            .report,
    );
    // Not HTTP, a redirect, a hang.
    let address = raw_server(b"this is not HTTP\r\n\r\n").await;
    reports.push(
        run_against(address, None, &example_only(), timeout)
            .await
            .report,
    );
    let address =
        raw_server(b"HTTP/1.1 302 Found\r\nlocation: /x\r\ncontent-length: 0\r\n\r\n").await;
    reports.push(
        run_against(address, None, &settings(), timeout)
            .await
            .report,
    );
    let address = tcp_server(|socket| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let mut quick = options(Duration::from_millis(200));
    quick.max_body = 1024;
    reports.push(run_with(address, None, &example_only(), quick).await.report);
    reports
}

#[tokio::test]
async fn every_finding_in_every_report_names_its_source() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let reports = reports().await;
    let mut seen = std::collections::HashSet::new();
    for report in &reports {
        let count: usize = report.cases.iter().map(|c| c.findings.len()).sum();
        assert!(count > 0, "every endpoint here breaks something");
        for finding in report.cases.iter().flat_map(|c| &c.findings) {
            seen.insert(finding.source);
            // A spec finding names its place; any other its rule, never a
            // place in a document that does not say so.
            match finding.source {
                Source::Spec => assert!(
                    finding.basis.is_some() && finding.rule.is_none(),
                    "{finding:?}"
                ),
                _ => assert!(
                    finding.basis.is_none()
                        && finding.rule.is_some_and(|r| r.source == finding.source),
                    "{finding:?}"
                ),
            }
        }

        let json: Value = serde_json::from_str(&report::json(report)).expect("JSON report");
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let sources: Vec<&str> = json["cases"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|c| c["findings"].as_array().into_iter().flatten())
            .map(|f| f["source"].as_str().unwrap_or("none"))
            .collect();
        assert_eq!(sources.len(), count);
        assert!(
            sources
                .iter()
                .all(|s| ["spec", "azure", "inferred"].contains(s)),
            "{sources:?}"
        );

        let text = report::human(report, Colour::Never);
        let headlines = text
            .lines()
            .filter(|line| {
                ["spec", "azure", "inferred"].iter().any(|source| {
                    ["error", "warning"]
                        .iter()
                        .any(|severity| line.starts_with(&format!("  {source} {severity}[")))
                })
            })
            .count();
        assert_eq!(headlines, count, "{text}");

        let xml = report::junit(report);
        let properties = xml.matches("source\" value=\"").count();
        assert_eq!(properties, count, "{xml}");
    }
    assert_eq!(
        seen.len(),
        3,
        "the endpoints above cover every source: {seen:?}"
    );
}

#[tokio::test]
async fn partitions_are_complete_reports_that_together_are_the_whole_run() {
    let run = |partition: Option<Partition>| async move {
        let (router, handle) = reference::router(Config::default());
        let address = serve(router).await;
        let settings = Settings {
            partition,
            ..settings()
        };
        let outcome = run_against(address, Some(handle), &settings, Duration::from_secs(10)).await;
        (outcome.report, address)
    };
    let (whole, _) = run(None).await;
    let names =
        |report: &Report| -> Vec<String> { report.cases.iter().map(|c| c.name.clone()).collect() };
    let mut parts = Vec::new();
    for part in 1..=3 {
        let partition = Partition::parse(&format!("{part}/3")).expect("K/N");
        let (report, address) = run(Some(partition)).await;
        assert_eq!(report.partition, Some(partition));
        assert_eq!(failures(&report), Vec::<String>::new());
        let text = human(&report, address);
        assert!(text.contains(&format!("partition: {part}/3\n")), "{text}");
        let json: Value = serde_json::from_str(&report::json(&stable(&report))).expect("JSON");
        assert_eq!(
            json["partition"],
            serde_json::json!({"part": part, "of": 3})
        );
        assert_eq!(json["summary"]["cases"], report.cases.len());
        parts.push(names(&report));
    }
    // Dealt out in run order: every part keeps it, and together they hold
    // each case exactly once.
    let whole = names(&whole);
    for (index, name) in whole.iter().enumerate() {
        let holders: Vec<usize> = (0..3).filter(|p| parts[*p].contains(name)).collect();
        assert_eq!(holders, [index % 3], "{name}");
    }
    for part in &parts {
        let order: Vec<usize> = part
            .iter()
            .filter_map(|n| whole.iter().position(|w| w == n))
            .collect();
        assert!(order.is_sorted(), "{part:#?}");
    }
    assert_eq!(parts.iter().map(Vec::len).sum::<usize>(), whole.len());

    // `--only` first, then the partition over what is left.
    let only = Settings {
        only: vec![EXAMPLE.to_owned()],
        partition: Partition::parse("2/2").ok(),
        ..settings()
    };
    let (router, handle) = reference::router(Config::default());
    let address = serve(router).await;
    let report = run_against(address, Some(handle), &only, Duration::from_secs(10))
        .await
        .report;
    assert!(report.cases.is_empty(), "one case, dealt to part 1");
}

#[test]
fn a_partition_is_k_of_n() {
    assert_eq!(Partition::parse("2/3"), Ok(Partition { part: 2, of: 3 }));
    assert_eq!(
        Partition::parse("count:1/2"),
        Ok(Partition { part: 1, of: 2 })
    );
    for wrong in ["0/2", "3/2", "1/0", "1", "a/b", "hash:1/2"] {
        assert_eq!(
            Partition::parse(wrong),
            Err(format!(
                "`{wrong}`: give K/N with 1 <= K <= N (e.g. 1/2 and 2/2 on two machines)"
            )),
            "{wrong}"
        );
    }
}
