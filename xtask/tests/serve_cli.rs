//! `cargo xtask serve` as a user runs it: prints its URL, answers the
//! documented request, stops cleanly on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn serve_prints_its_url_answers_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start xtask serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a first line").expect("UTF-8");
    let url = first
        .strip_prefix("reference Job Router endpoint listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();

    let body = r#"{"dispositionCode":"JobCompleted.","note":"Closing job"}"#;
    let request = format!(
        "POST /routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close?api-version=2023-11-01 HTTP/1.1\r\nHost: {url}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(&url).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\n{}"), "{response}");

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let rest: Vec<String> = lines.map(|l| l.expect("UTF-8")).collect();
    assert_eq!(rest, ["press Ctrl-C to stop", "stopped"]);
    let exit = child.wait().expect("exit status");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn serve_refuses_a_key_that_is_not_base64_without_echoing_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--access-key",
            "not*base64*secret",
        ])
        .output()
        .expect("run xtask serve");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--access-key: the access key is not valid base64"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "the key was echoed: {stderr}");
}

#[test]
fn serve_names_a_bad_fixtures_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("jobs.yaml");
    std::fs::write(&path, "jobs: 3\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["serve", "--addr", "127.0.0.1:0", "--fixtures"])
        .arg(&path)
        .output()
        .expect("run xtask serve");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("jobs.yaml"), "{stderr}");
}
