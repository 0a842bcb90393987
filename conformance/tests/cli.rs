//! The `conformance` binary as CI runs it: exit codes, report files,
//! overrides, the spec's own examples, and no secret in any report.

use std::path::Path;
use std::process::{Command, Output};

const EXAMPLE: &str = "JobRouterOperations_CloseJob/example/Closes a completed job";
/// A valid base64 access key, and values that must never be printed.
const ACCESS_KEY: &str = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=";
const HEADER_SECRET: &str = "hunter2-header-secret";

#[path = "support/binary.rs"]
mod binary;

use binary::{conformance_within, repository};

/// The binary, run from the repository root with a clean environment for
/// its own variables.
fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .current_dir(repository())
        .env_remove("CONFORMANCE_ENDPOINT")
        .env_remove("CONFORMANCE_CONNECTION_STRING")
        .env_remove("CONFORMANCE_ACCESS_KEY")
        .env_remove("CONFORMANCE_TOKEN")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_default_run_passes_and_writes_every_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let junit = dir.path().join("reports/conformance.xml");
    let json = dir.path().join("conformance.json");
    let output = conformance(&[
        "--report",
        &format!("junit={}", junit.display()),
        "--report",
        &format!("json={}", json.display()),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let human = stdout(&output);
    assert!(
        human.starts_with("conformance: spec/close-job.yaml against http://127.0.0.1:"),
        "{human}"
    );
    assert!(
        human.contains("(built-in Job Router emulator)\nseed: 20231101\n"),
        "{human}"
    );
    // The 18 cases of the Close Job spec, then the shipped workflow's 18
    // steps, of which the two that release a job after a failure do not
    // run when nothing failed.
    assert!(
        human.contains("\nworkflow closeJob (spec/jobrouter/close-job.arazzo.yaml): "),
        "{human}"
    );
    assert!(
        human.contains("36 cases: 34 passed, 0 failed, 2 not run, 0 warnings in "),
        "{human}"
    );
    assert!(!human.contains('\x1b'), "no colour when not on a terminal");

    let junit = read(&junit);
    assert_eq!(junit.matches("<testcase ").count(), 36, "{junit}");
    assert_eq!(junit.matches("<skipped").count(), 2, "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");

    let report: serde_json::Value = serde_json::from_str(&read(&json)).expect("JSON report");
    let schema: serde_json::Value =
        serde_json::from_str(&read(&repository().join("conformance/report.schema.json")))
            .expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let problems: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(report["summary"]["passed"], 34);
}

#[test]
fn exit_codes_tell_failure_usage_and_unreachable_apart() {
    // 1: a case fails (the job id overridden with one the endpoint lacks).
    let output = conformance(&["--param", "jobId=no-such-job", "--only", EXAMPLE]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let human = stdout(&output);
    assert!(
        human.contains(&format!("FAIL  {EXAMPLE}  [404]")),
        "{human}"
    );
    assert!(
        human.contains("/routing/jobs/no-such-job/assignments/"),
        "{human}"
    );

    // 2: usage and spec errors, each named.
    let cases: [(&[&str], &str); 9] = [
        (
            &["--spec", "no/such/spec.yaml"],
            "no/such/spec.yaml: cannot read",
        ),
        (&["--spec", "ARCHITECTURE.md"], "ARCHITECTURE.md"),
        (
            &["--only", "nothing/like/this"],
            "no case matches --only nothing/like/this",
        ),
        (&["--param", "jobId"], "expected NAME=VALUE"),
        (
            &["--param", "jobid=x"],
            "--param jobid: no operation in spec/close-job.yaml takes a parameter `jobid`",
        ),
        (
            &["--endpoint", "ftp://example.com"],
            "give an http:// or https:// URL",
        ),
        (
            &["--timeout", "0"],
            "--timeout: give a positive number of seconds",
        ),
        (
            &["--timeout", "1e300"],
            "--timeout: give a positive number of seconds",
        ),
        (
            &["--header", "bad name: x"],
            "`bad name` is not a valid header name",
        ),
    ];
    for (args, message) in cases {
        let output = conformance(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{args:?}");
    }

    // 3: nothing listens there.
    // A port bound but never listened on: refused, and kept from anyone
    // else while the test runs (a port dropped and re-bound could be taken).
    let closed = tokio::net::TcpSocket::new_v4().expect("socket");
    closed
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let address = closed.local_addr().expect("address");
    let output = conformance(&["--endpoint", &format!("http://{address}"), "--timeout", "2"]);
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("could not be reached"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_secret_reaches_any_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let human = dir.path().join("report.txt");
    let junit = dir.path().join("report.xml");
    // The embedded endpoint requires the key, so every case passing proves
    // the requests were signed; a failing case (its job overridden) makes
    // the human and JUnit reports print their reproduce lines too.
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args([
            "--format",
            "json",
            "--header",
            &format!("x-api-key: {HEADER_SECRET}"),
        ])
        .args(["--param", "assignmentId=other"])
        .args(["--report", &format!("human={}", human.display())])
        .args(["--report", &format!("junit={}", junit.display())])
        .current_dir(repository())
        .env("CONFORMANCE_ACCESS_KEY", ACCESS_KEY)
        .output()
        .expect("the binary runs");
    let json = stdout(&output);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
    let unauthorized: Vec<&serde_json::Value> = report["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["status"] == 401)
        .collect();
    assert_eq!(
        unauthorized,
        Vec::<&serde_json::Value>::new(),
        "every request was signed"
    );
    assert_eq!(output.status.code(), Some(1));
    for text in [json, read(&human), read(&junit), stderr(&output)] {
        for secret in [ACCESS_KEY, HEADER_SECRET, "Signature="] {
            assert!(!text.contains(secret), "`{secret}` printed in:\n{text}");
        }
    }
    let human = read(&human);
    assert!(human.contains("-H 'x-api-key: <redacted>'"), "{human}");
    assert!(human.contains("-H 'authorization: <redacted>'"), "{human}");
}

#[test]
fn the_specs_own_broken_examples_are_findings_about_the_spec() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = read(&repository().join("spec/close-job.yaml"))
        .replacen(
            "      operationId: JobRouterOperations_CloseJob\n",
            "      operationId: JobRouterOperations_CloseJob\n      x-ms-examples:\n        \
             From the published file:\n          $ref: ./examples/Jobs_CloseJob.json\n",
            1,
        )
        .replacen(
            "                  value: {}\n",
            "                  value: []\n",
            1,
        );
    std::fs::write(dir.path().join("close-job.yaml"), spec).expect("write spec");
    std::fs::create_dir(dir.path().join("examples")).expect("examples dir");
    std::fs::copy(
        repository().join("spec/jobrouter/examples/Jobs_CloseJob.json"),
        dir.path().join("examples/Jobs_CloseJob.json"),
    )
    .expect("copy the published example");
    let spec_path = dir.path().join("close-job.yaml");
    let output = conformance(&[
        "--spec",
        spec_path.to_str().expect("utf-8 path"),
        "--only",
        "JobRouterOperations_CloseJob",
    ]);
    let human = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{human}");
    let lines: Vec<&str> = human.lines().filter(|l| !l.starts_with(' ')).collect();
    // The spec's examples fail; the endpoint, replaying them, does not.
    for expected in [
        "FAIL  JobRouterOperations_CloseJob/spec-example/Closes a completed job",
        "FAIL  JobRouterOperations_CloseJob/spec-example/From the published file",
        "PASS  JobRouterOperations_CloseJob/example/Closes a completed job  [200]",
        "PASS  JobRouterOperations_CloseJob/example/From the published file  [200]",
    ] {
        assert!(lines.contains(&expected), "{expected}\n{human}");
    }
    assert!(
        human.contains(
            "error[spec-example]: expected operationId `JobRouterOperations_CloseJob` (the operation it documents); saw operationId `JobRouterOperations_Close`"
        ),
        "{human}"
    );
    let example_file = format!(
        "{}:3:3 (/operationId)",
        dir.path().join("examples/Jobs_CloseJob.json").display()
    );
    assert!(human.contains(&example_file), "{example_file}\n{human}");
    assert!(
        human.contains("saw `[]`; /: [] is not of type \"object\""),
        "{human}"
    );
}

#[test]
fn example_files_are_regular_files_under_the_specs_folder_only() {
    const MIB: u64 = 1024 * 1024;
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("spec");
    let examples = folder.join("examples");
    std::fs::create_dir_all(&examples).expect("examples dir");
    // A valid example outside the spec's folder, which must not be read.
    let published = repository().join("spec/jobrouter/examples/Jobs_CloseJob.json");
    let outside = dir.path().join("outside.json");
    std::fs::copy(&published, &outside).expect("copy the published example");
    std::fs::copy(&published, examples.join("inside.json")).expect("copy it inside");
    std::os::unix::fs::symlink(&outside, examples.join("link.json")).expect("symlink");
    let fifo = examples.join("fifo.json");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", fifo.display());
    let big = std::fs::File::create(examples.join("big.json")).expect("big file");
    big.set_len(16 * MIB + 1)
        .expect("a sparse file over the cap");
    let outside_absolute = outside.display().to_string();

    let cases: [(&str, &str); 9] = [
        ("../outside.json", "outside the spec's folder"),
        ("examples/../../outside.json", "outside the spec's folder"),
        ("../../../../no/such/file.json", "outside the spec's folder"),
        ("/etc/passwd", "an absolute path"),
        (&outside_absolute, "an absolute path"),
        ("/dev/zero", "an absolute path"),
        ("examples/link.json", "outside the spec's folder"),
        ("examples/fifo.json", "not a regular file"),
        (
            "examples/big.json",
            "more than the 16 MiB an example file may have",
        ),
    ];
    let spec_text = read(&repository().join("spec/close-job.yaml"));
    let spec_path = folder.join("close-job.yaml");
    let spec_arg = spec_path.to_str().expect("utf-8 path");
    for (reference, why) in cases
        .into_iter()
        .chain([("examples", "not a regular file")])
    {
        let spec = spec_text.replacen(
            "      operationId: JobRouterOperations_CloseJob\n",
            &format!(
                "      operationId: JobRouterOperations_CloseJob\n      x-ms-examples:\n        \
                 Hostile:\n          $ref: \"{reference}\"\n"
            ),
            1,
        );
        std::fs::write(&spec_path, spec).expect("write spec");
        let output = conformance_within(
            &["--spec", spec_arg, "--list"],
            std::time::Duration::from_secs(60),
        );
        let error = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{reference}: {error}");
        for expected in [
            format!("x-ms-examples file `{reference}` refused: "),
            why.to_owned(),
            "/x-ms-examples/Hostile/$ref".to_owned(),
        ] {
            assert!(
                error.contains(&expected),
                "{reference}: `{expected}` not in {error}"
            );
        }
    }

    // The refusal quotes the spec, escape sequences made visible.
    let spec = spec_text.replacen(
        "      operationId: JobRouterOperations_CloseJob\n",
        "      operationId: JobRouterOperations_CloseJob\n      x-ms-examples:\n        \
         Hostile:\n          $ref: \"../\\e]0;owned\\a\"\n",
        1,
    );
    std::fs::write(&spec_path, spec).expect("write spec");
    let output = conformance_within(
        &["--spec", spec_arg, "--list"],
        std::time::Duration::from_secs(60),
    );
    let error = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("`../\\u{1b}]0;owned\\u{7}` refused"),
        "{error}"
    );
    assert!(!error.contains('\x1b'), "{error}");

    // A regular file inside the folder is read as before.
    let spec = spec_text.replacen(
        "      operationId: JobRouterOperations_CloseJob\n",
        "      operationId: JobRouterOperations_CloseJob\n      x-ms-examples:\n        \
         Inside:\n          $ref: ./examples/inside.json\n",
        1,
    );
    std::fs::write(&spec_path, spec).expect("write spec");
    let output = conformance_within(
        &["--spec", spec_arg, "--list"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("JobRouterOperations_CloseJob/example/Inside"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn rules_and_partitions_are_chosen_on_the_command_line() {
    // Only the document's rules: the undeclared-method probes, which only
    // REST semantics judge, are not run.
    let output = conformance(&["--rules", "spec", "--list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let names = stdout(&output);
    assert!(!names.contains("undeclared-method"), "{names}");
    assert!(names.contains("/probe/unknown-id/jobId"), "{names}");
    let all = stdout(&conformance(&["--list"]));
    assert!(all.contains("/probe/undeclared-method/GET\n"), "{all}");

    let output = conformance(&["--rules", "spec,inferred=warning", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(
        report["rules"],
        serde_json::json!({"spec": "error", "azure": "off", "inferred": "warning", "workflow": "error"})
    );

    // Two parts of the listing are the whole listing: the cases dealt out
    // in order, the shipped workflow's steps in part 1 (where it runs).
    let part = |k: &str| stdout(&conformance(&["--list", "--partition", k]));
    let (one, two) = (part("1/2"), part("2/2"));
    let is_step = |line: &&str| line.starts_with("workflow/");
    let steps: Vec<&str> = all.lines().filter(is_step).collect();
    assert!(steps.len() > 10, "the shipped workflow's steps: {all}");
    assert!(one.ends_with(&(steps.join("\n") + "\n")), "{one}");
    assert_eq!(two.lines().filter(is_step).count(), 0, "{two}");
    let mut dealt: Vec<&str> = Vec::new();
    let (mut a, mut b) = (
        one.lines().filter(|l| !is_step(l)),
        two.lines().filter(|l| !is_step(l)),
    );
    loop {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => dealt.extend(x.into_iter().chain(y)),
        }
    }
    let cases: Vec<&str> = all.lines().filter(|l| !is_step(l)).collect();
    assert_eq!(dealt, cases);

    for (args, message) in [
        (["--rules", "azure"], "list `spec`"),
        (
            ["--rules", "spec,rfc"],
            "`rfc` is not spec, azure, inferred or workflow",
        ),
        (["--partition", "3/2"], "give K/N with 1 <= K <= N"),
    ] {
        let output = conformance(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn fixtures_seed_the_built_in_endpoint_and_a_wrong_file_is_a_usage_error() {
    let spec = "spec/jobrouter/communicationservicejobrouter.json";
    let fixtures = "spec/jobrouter/communicationservicejobrouter.fixtures.yaml";
    // Seeded as its examples assume, Close Job's example passes.
    let only = "JobRouterOperations_CloseJob/example";
    let seeded = conformance(&["--spec", spec, "--fixtures", fixtures, "--only", only]);
    assert_eq!(seeded.status.code(), Some(0), "{}", stdout(&seeded));
    assert!(
        stdout(&seeded).contains("1 case: 1 passed, 0 failed"),
        "{}",
        stdout(&seeded)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let wrong = dir.path().join("wrong.yaml");
    std::fs::write(&wrong, "operations:\n  NoSuchOperation: {}\n").expect("write");
    let refused = conformance(&["--spec", spec, "--fixtures", &wrong.display().to_string()]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused).trim(),
        format!(
            "error: --fixtures {}: operations: `NoSuchOperation` is no operationId of {spec}",
            wrong.display()
        )
    );

    let remote = conformance(&["--fixtures", fixtures, "--endpoint", "http://127.0.0.1:9"]);
    assert_eq!(remote.status.code(), Some(2));
    assert!(
        stderr(&remote).contains("'--fixtures <FILE>' cannot be used with '--endpoint <URL>'"),
        "{}",
        stderr(&remote)
    );
}
