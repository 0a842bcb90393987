//! One spec generated in a child process (`xtask corpus-member`) with a
//! time limit, so a hang, a stack overflow or an abort in the generator is
//! that spec's result instead of the end of the whole run.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use generator::Config;

use super::one_line;

/// How long a panic or crash message may be on its one line.
const MESSAGE_LIMIT: usize = 400;

/// The arguments of the hidden `xtask corpus-member` command, which the
/// corpus command runs once per spec.
#[derive(clap::Args)]
pub struct Args {
    /// The spec to generate.
    #[arg(long, value_name = "PATH")]
    spec: PathBuf,
    /// How the spec is named in headers and messages.
    #[arg(long, value_name = "LABEL")]
    label: String,
    /// The member crate's package name.
    #[arg(long, value_name = "NAME")]
    crate_name: String,
    /// The member crate's directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The folder the spec's references to other files must stay inside.
    #[arg(long, value_name = "DIR")]
    spec_root: Option<PathBuf>,
}

/// What generating one spec gave.
pub enum Outcome {
    /// The crate was written: its file count and fallback warnings
    /// (pointer, message).
    Generated {
        files: usize,
        warnings: Vec<(String, String)>,
    },
    /// The generator refused the spec with this one-line message.
    Refused(String),
    /// The generator panicked (a bug: it must refuse, not panic).
    Panicked(String),
    /// No result within the time limit; the child was killed.
    TimedOut(Duration),
    /// The child ended otherwise (a signal, such as a stack overflow's
    /// abort, or an unexpected exit code).
    Crashed(String),
}

/// The child side: generates and writes the crate, then prints the file
/// count and one `pointer<TAB>message` line per warning (exit 0), or the
/// refusal on one line (exit 1). A panic is left to end the process.
pub fn run(args: &Args) -> ExitCode {
    let config = Config {
        spec_label: args.label.clone(),
        crate_name: args.crate_name.clone(),
        standalone: false,
        profile: generator::ProfileChoice::Auto,
        spec_root: args.spec_root.clone(),
    };
    let result = generator::generate(&args.spec, &config).and_then(|files| {
        files.write(&args.out)?;
        Ok(files)
    });
    match result {
        Ok(files) => {
            println!("{}", files.iter().count());
            for warning in files.warnings() {
                println!("{}\t{}", warning.pointer, one_line(&warning.message));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            // The generator's messages start with the path it was given;
            // show the label instead.
            let message = error.to_string();
            let path = args.spec.display().to_string();
            let message = match message.strip_prefix(&path) {
                Some(rest) => format!("{}{rest}", args.label),
                None => format!("{}: {message}", args.label),
            };
            println!("{}", one_line(&message));
            ExitCode::FAILURE
        }
    }
}

/// The parent side: runs `xtask corpus-member` for `spec` and waits at most
/// `timeout` for it.
pub fn generate(
    spec: &Path,
    label: &str,
    crate_name: &str,
    out: &Path,
    spec_root: Option<&Path>,
    timeout: Duration,
) -> Outcome {
    // On Linux the running binary itself, even when a rebuild has since
    // replaced the file at its path.
    let proc_self = Path::new("/proc/self/exe");
    let exe = match std::env::current_exe() {
        Ok(_) if proc_self.exists() => proc_self.to_path_buf(),
        Ok(exe) => exe,
        Err(error) => return Outcome::Crashed(format!("cannot find the xtask binary: {error}")),
    };
    let child = Command::new(exe)
        .arg("corpus-member")
        .arg("--spec")
        .arg(spec)
        .args(["--label", label, "--crate-name", crate_name])
        .arg("--out")
        .arg(out)
        .args(
            spec_root
                .map(|root| [OsStr::new("--spec-root"), root.as_os_str()])
                .into_iter()
                .flatten(),
        )
        // The panic message is the result; a backtrace would bury it.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => return Outcome::Crashed(format!("cannot start the xtask binary: {error}")),
    };
    // Read both pipes while waiting, so a child with much to say never
    // blocks on a full pipe.
    let stdout = child.stdout.take().map(read_all);
    let stderr = child.stderr.take().map(read_all);
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                // Already ended or not ours to kill any more: either way
                // it is gone after `wait`.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => return Outcome::Crashed(format!("cannot wait for the child: {error}")),
        }
    };
    let stdout = stdout.map(join).unwrap_or_default();
    let stderr = stderr.map(join).unwrap_or_default();
    match status {
        None => Outcome::TimedOut(timeout),
        Some(status) => classify(status, &stdout, &stderr),
    }
}

fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error leaves what was read; the exit status tells the rest.
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn join(handle: std::thread::JoinHandle<String>) -> String {
    handle.join().unwrap_or_default()
}

/// The outcome an ended child's status and output say.
fn classify(status: ExitStatus, stdout: &str, stderr: &str) -> Outcome {
    match status.code() {
        Some(0) => {
            let mut lines = stdout.lines();
            let files = lines
                .next()
                .and_then(|count| count.trim().parse().ok())
                .unwrap_or(0);
            let warnings = lines
                .filter_map(|line| line.split_once('\t'))
                .map(|(pointer, message)| (pointer.to_owned(), message.to_owned()))
                .collect();
            Outcome::Generated { files, warnings }
        }
        Some(1) if !stdout.trim().is_empty() => Outcome::Refused(stdout.trim().to_owned()),
        Some(101) if stderr.contains("panicked at") => {
            let from = stderr.find("panicked at").unwrap_or(0);
            let message = &stderr[from..];
            let message = message
                .split_once("note: run with `RUST_BACKTRACE")
                .map_or(message, |(before, _)| before);
            Outcome::Panicked(bounded(&one_line(message)))
        }
        _ => {
            let last = stderr
                .lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("no message");
            Outcome::Crashed(bounded(&format!("{status}: {}", last.trim())))
        }
    }
}

/// `text` cut to `MESSAGE_LIMIT` characters, marked when cut.
fn bounded(text: &str) -> String {
    match text.char_indices().nth(MESSAGE_LIMIT) {
        Some((end, _)) => format!("{} …", &text[..end]),
        None => text.to_owned(),
    }
}
