//! Runs inside the crate generated from `notes.yaml` (copied there by
//! `xtask/tests/standalone_crates.rs`, which also gives it tokio's runtime
//! as a dev-dependency): the plain-profile client sends the API key or the
//! bearer token its security schemes describe, and nothing of Azure's,
//! over a real 127.0.0.1 socket.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use notes_client::{Client, ClientOptions, Credential, Error};

/// A server for one request: answers `status` with `body`, and returns
/// the request's head (request line and headers, names lowercased).
fn serve_once(status: &'static str, body: &'static str) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a line");
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                break;
            }
            head.push(match line.split_once(": ") {
                Some((name, value)) => format!("{}: {value}", name.to_ascii_lowercase()),
                None => line,
            });
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("answer");
        head
    });
    (endpoint, handle)
}

fn header<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
}

#[tokio::test]
async fn an_api_key_is_sent_in_the_header_its_scheme_names() {
    let (endpoint, server) = serve_once("200 OK", r#"{"id":"n1","text":"hello"}"#);
    let client = Client::new(
        &endpoint,
        Credential::api_key("key-123"),
        ClientOptions::default(),
    )
    .expect("client");
    let note = client.get_note("n1").await.expect("the note");
    assert_eq!((note.id.as_str(), note.text.as_str()), ("n1", "hello"));
    let head = server.join().expect("server");
    // The server URL's path (`https://notes.example.com/v1`) starts it.
    assert_eq!(head[0], "GET /v1/notes/n1 HTTP/1.1");
    assert_eq!(header(&head, "x-api-key"), Some("key-123"));
    assert_eq!(header(&head, "authorization"), None);
    assert_eq!(header(&head, "user-agent"), Some("notes_client/0.1.0"));
    let azure: Vec<&String> = head
        .iter()
        .filter(|line| line.starts_with("x-ms-"))
        .collect();
    assert!(azure.is_empty(), "no Azure header: {azure:?}");
}

#[tokio::test]
async fn a_bearer_token_is_sent_as_authorization() {
    let (endpoint, server) = serve_once("200 OK", r#"{"id":"n1","text":"hello"}"#);
    // An endpoint with a path of its own (a gateway) keeps it before the
    // server's base path.
    let client = Client::new(
        &format!("{endpoint}/gateway/"),
        Credential::static_token("token-456", None),
        ClientOptions::default(),
    )
    .expect("client");
    client.get_note("n1").await.expect("the note");
    let head = server.join().expect("server");
    assert_eq!(head[0], "GET /gateway/v1/notes/n1 HTTP/1.1");
    assert_eq!(header(&head, "authorization"), Some("Bearer token-456"));
    assert_eq!(header(&head, "x-api-key"), None);
}

#[tokio::test]
async fn an_error_answer_comes_back_typed_with_its_code_and_message() {
    let (endpoint, server) = serve_once(
        "404 Not Found",
        r#"{"code":"NoSuchNote","message":"no note n2"}"#,
    );
    let client =
        Client::new(&endpoint, Credential::None, ClientOptions::default()).expect("client");
    let error = client.get_note("n2").await.expect_err("404");
    assert_eq!(
        error.to_string(),
        "service answered HTTP 404 NoSuchNote: no note n2"
    );
    let Error::Http(http) = error else {
        panic!("expected Error::Http");
    };
    let problem = http.body.expect("the declared Problem");
    assert_eq!(problem.code.as_deref(), Some("NoSuchNote"));
    server.join().expect("server");
}
