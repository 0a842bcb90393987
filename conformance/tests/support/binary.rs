//! The `conformance` binary as a user runs it: from the repository root,
//! with none of its environment variables set, its output read as it comes
//! (a full pipe must not stall it), stopped and failed when it runs past
//! its deadline (a read that blocks for ever must fail a test, not hang it).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the binary with `args`; panics (after killing it) past `limit`.
pub fn conformance_within(args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .current_dir(repository())
        .env_remove("CONFORMANCE_ENDPOINT")
        .env_remove("CONFORMANCE_CONNECTION_STRING")
        .env_remove("CONFORMANCE_ACCESS_KEY")
        .env_remove("CONFORMANCE_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the binary can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("conformance {args:?} ran past {limit:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}
