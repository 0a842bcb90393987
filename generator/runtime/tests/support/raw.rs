//! A server on 127.0.0.1 that answers with exactly the bytes a test
//! chooses: repeated or malformed headers, garbage, endless or slow
//! bodies. One request per connection, served on its own thread, so an
//! answer that never ends stops when the client hangs up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub target: String,
    /// Names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// These bytes, then the connection closes.
    Bytes(Vec<u8>),
    /// `head` (status line and headers, ending with the blank line), then
    /// 64 KiB chunks of `x` in chunked encoding until the client hangs up.
    Endless { head: String },
    /// `head`, then one byte of `body` every `every`.
    Trickle {
        head: String,
        body: Vec<u8>,
        every: Duration,
    },
}

impl Reply {
    /// An answer with `status`, the `headers` as given (repeats kept), a
    /// `Content-Length` and `body`.
    pub fn with(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut bytes = format!("HTTP/1.1 {status}\r\n").into_bytes();
        for (name, value) in headers {
            bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        bytes.extend_from_slice(
            format!(
                "content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
        bytes.extend_from_slice(body);
        Reply::Bytes(bytes)
    }

    /// A JSON answer.
    pub fn json(status: &str, body: &str) -> Reply {
        Reply::with(
            status,
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
    }
}

type Answers = dyn Fn(usize, &RawRequest) -> Reply + Send + Sync;

pub struct RawServer {
    pub endpoint: String,
    received: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    /// Answers request number `n` (from 0) with `answers(n, request)`.
    pub fn start(answers: impl Fn(usize, &RawRequest) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answers: Arc<Answers> = Arc::new(answers);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                let answers = answers.clone();
                std::thread::spawn(move || serve(stream, &log, &*answers));
            }
        });
        RawServer { endpoint, received }
    }

    /// Always the same answer.
    pub fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone())
    }

    /// `replies` in turn, repeating the last.
    pub fn sequence(replies: Vec<Reply>) -> Self {
        Self::start(move |n, _| replies[n.min(replies.len() - 1)].clone())
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.received.lock().expect("request log").clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<RawRequest>>, answers: &Answers) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let Some(request) = read_request(BufReader::new(stream)) else {
        return;
    };
    let n = {
        let mut log = log.lock().expect("request log");
        log.push(request.clone());
        log.len() - 1
    };
    let _ = write_reply(&mut writer, answers(n, &request));
}

fn read_request(mut reader: BufReader<TcpStream>) -> Option<RawRequest> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(RawRequest {
        method,
        target,
        headers,
        body,
    })
}

fn write_reply(writer: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Bytes(bytes) => writer.write_all(&bytes),
        Reply::Endless { head } => {
            writer.write_all(head.as_bytes())?;
            let chunk = [b'x'; 64 * 1024];
            let size = format!("{:x}\r\n", chunk.len());
            loop {
                writer.write_all(size.as_bytes())?;
                writer.write_all(&chunk)?;
                writer.write_all(b"\r\n")?;
            }
        }
        Reply::Trickle { head, body, every } => {
            writer.write_all(head.as_bytes())?;
            for byte in body {
                std::thread::sleep(every);
                writer.write_all(&[byte])?;
                writer.flush()?;
            }
            Ok(())
        }
    }
}
