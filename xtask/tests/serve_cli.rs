//! `cargo xtask serve` as a user runs it: prints its URL, answers the
//! documented request, stops cleanly on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// How long any line of the child's output may take to come.
const LINE_WAIT: Duration = Duration::from_secs(30);

/// A running `xtask serve`, killed if a test ends before it exits.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// `xtask serve` on a free port with `args`; its stdout lines come through
/// the receiver (read on a thread, so every wait can be bounded).
fn serve(args: &[&str]) -> (Serving, Receiver<String>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["serve", "--addr", "127.0.0.1:0"]).args(args);
    serve_as(command)
}

/// Like [`serve`], for a command that runs `xtask serve` in its own way.
fn serve_as(mut command: Command) -> (Serving, Receiver<String>, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start xtask serve");
    let stdout = child.stdout.take().expect("stdout");
    let child = Serving(child);
    let (send, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let first = next_line(&lines);
    let address = first
        .strip_prefix("Job Router emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    (child, lines, address)
}

fn next_line(lines: &Receiver<String>) -> String {
    lines
        .recv_timeout(LINE_WAIT)
        .unwrap_or_else(|e| panic!("no line from xtask serve within {LINE_WAIT:?}: {e}"))
}

fn interrupt(child: &Serving) {
    let status = Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
}

/// The child's exit, within [`LINE_WAIT`].
fn exit_of(child: &mut Serving) -> std::process::ExitStatus {
    let waited = std::time::Instant::now();
    loop {
        if let Some(status) = child.0.try_wait().expect("wait") {
            return status;
        }
        if waited.elapsed() > LINE_WAIT {
            panic!("xtask serve did not exit within {LINE_WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_prints_its_url_answers_and_stops_on_ctrl_c() {
    let (mut child, lines, url) = serve(&[]);
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

    interrupt(&child);
    assert_eq!(next_line(&lines), "press Ctrl-C to stop");
    assert_eq!(next_line(&lines), "stopped");
    let exit = exit_of(&mut child);
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn ctrl_c_stops_within_the_grace_while_a_slow_client_holds_a_connection() {
    let (mut child, lines, url) = serve(&["--header-timeout", "600", "--shutdown-grace", "0.2"]);
    assert_eq!(next_line(&lines), "press Ctrl-C to stop");
    // A request head that never ends, and a connection that sends nothing.
    let mut slow = TcpStream::connect(&url).expect("connect");
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let _idle = TcpStream::connect(&url).expect("connect");
    std::thread::sleep(Duration::from_millis(100));

    interrupt(&child);
    assert_eq!(next_line(&lines), "stopped");
    let exit = exit_of(&mut child);
    assert!(exit.success(), "{exit:?}");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut rest = Vec::new();
    let closed = slow.read_to_end(&mut rest);
    assert!(
        closed.is_ok()
            || closed
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "{closed:?}"
    );
}

#[test]
fn serve_keeps_serving_and_stops_cleanly_when_nobody_reads_its_output() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start xtask serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut child = Serving(child);
    // Read the first line, then close the pipe, as `| head -1` does.
    let (send, first) = channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let first = first.recv_timeout(LINE_WAIT).expect("first line");
    let url = first
        .trim_end()
        .strip_prefix("Job Router emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    let mut stream = TcpStream::connect(&url).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .write_all(
            format!("GET /nowhere HTTP/1.1\r\nHost: {url}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 404 "), "{response}");

    interrupt(&child);
    let exit = exit_of(&mut child);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.0.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    assert!(exit.success(), "{exit:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
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

#[test]
fn serve_refuses_an_empty_access_key() {
    for key in ["", "  "] {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["serve", "--addr", "127.0.0.1:0", "--access-key", key])
            .env_remove("JOBROUTER_ACCESS_KEY")
            .output()
            .expect("run xtask serve");
        assert_eq!(output.status.code(), Some(1), "{key:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("--access-key: the access key is empty"),
            "{stderr}"
        );
    }
}

#[test]
fn under_a_low_open_file_limit_idle_connections_cannot_lock_out_a_close() {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"ulimit -n 128 && exec "$0" serve --addr 127.0.0.1:0 --header-timeout 0.5"#)
        .arg(env!("CARGO_BIN_EXE_xtask"));
    let (child, _lines, url) = serve_as(command);
    // More connections than the process may open files.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(&url).expect("connect"))
        .collect();
    let mut stream = TcpStream::connect(&url).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let request = "POST /routing/jobs/8780b28c-7079-4de1-9143-4d369289e958/assignments/1d5896f3-8b54-40be-82d3-910323f5e2af:close?api-version=2023-11-01 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("an answer within 20 s");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    drop(idle);
    drop(child);
}
