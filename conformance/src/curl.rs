//! A `curl` command that reproduces a request, with secrets redacted.

use crate::cases::Request;
use crate::run::Sent;

/// What stands in for a secret.
pub const REDACTED: &str = "<redacted>";

/// `curl -i -X POST 'https://…' -H 'Name: value' --data-raw '…'`; a HEAD
/// as `curl -I`, since `-X HEAD` makes curl wait for a body that never comes.
pub fn curl(request: &Request, sent: &Sent) -> String {
    let method = if request.method == "HEAD" {
        "-I".to_owned()
    } else {
        format!("-i -X {}", request.method)
    };
    let mut command = format!("curl {method} {}", quote(&redacted_url(&sent.url)));
    for (name, value) in &sent.headers {
        let value = if is_secret(name) { REDACTED } else { value };
        command.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
    }
    if let Some(body) = &request.body {
        command.push_str(&format!(
            " --data-raw {}",
            quote(&String::from_utf8_lossy(&body.bytes))
        ));
    }
    command
}

/// The URL without any password it carries.
pub fn redacted_url(url: &url::Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
    }
    url.to_string()
}

/// Whether a header's value is a credential (`Authorization`, API keys,
/// tokens, cookies, signatures).
pub fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "authorization"
        || name == "proxy-authorization"
        || name == "cookie"
        || [
            "key",
            "token",
            "secret",
            "signature",
            "password",
            "credential",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// Single-quoted for POSIX shells.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Body;

    #[test]
    fn secrets_are_redacted_and_quotes_survive() {
        let request = Request {
            method: "POST".into(),
            path: "/a".into(),
            query: vec![],
            headers: vec![],
            body: Some(Body {
                content_type: "application/json".into(),
                bytes: br#"{"note":"it's"}"#.to_vec(),
            }),
        };
        let sent = Sent {
            url: url::Url::parse("https://user:hunter2@example.com/a?api-version=1")
                .unwrap_or_else(|e| panic!("{e}")),
            headers: vec![
                ("Authorization".into(), "HMAC-SHA256 Signature=abc".into()),
                ("Ocp-Apim-Subscription-Key".into(), "k3y".into()),
                ("Cookie".into(), "session=c00kie".into()),
                ("x-ms-date".into(), "Sun, 29 Nov 2026 10:00:00 GMT".into()),
            ],
        };
        let command = curl(&request, &sent);
        assert_eq!(
            command,
            "curl -i -X POST 'https://user:%3Credacted%3E@example.com/a?api-version=1' \
             -H 'Authorization: <redacted>' -H 'Ocp-Apim-Subscription-Key: <redacted>' \
             -H 'Cookie: <redacted>' -H 'x-ms-date: Sun, 29 Nov 2026 10:00:00 GMT' --data-raw '{\"note\":\"it'\\''s\"}'"
        );
        for secret in ["hunter2", "abc", "k3y", "c00kie"] {
            assert!(!command.contains(secret), "{secret} in {command}");
        }
    }

    #[test]
    fn a_head_request_is_reproduced_with_dash_capital_i() {
        let request = Request {
            method: "HEAD".into(),
            path: "/a".into(),
            query: vec![],
            headers: vec![],
            body: None,
        };
        let sent = Sent {
            url: url::Url::parse("http://127.0.0.1:8080/a").unwrap_or_else(|e| panic!("{e}")),
            headers: vec![],
        };
        assert_eq!(curl(&request, &sent), "curl -I 'http://127.0.0.1:8080/a'");
    }
}
