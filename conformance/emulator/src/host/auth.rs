//! Azure Communication Services HMAC-SHA256 request signing, verified the
//! way the service does: against the body received and the `Host` received.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

/// How far `x-ms-date` may be from the endpoint's clock.
const MAX_SKEW: SignedDuration = SignedDuration::from_mins(15);

const SCHEME: &str = "HMAC-SHA256 ";
const SIGNED_HEADERS: &str = "x-ms-date;host;x-ms-content-sha256";

/// A decoded access key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct AccessKey(Vec<u8>);

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessKey(<redacted>)")
    }
}

impl AccessKey {
    /// Decodes a base64 access key, as the Azure portal shows it. An empty
    /// key is refused, as the client refuses it: it would let anyone sign.
    pub fn from_base64(key: &str) -> Result<Self, String> {
        let bytes = BASE64
            .decode(key.trim())
            .map_err(|e| format!("the access key is not valid base64: {e}"))?;
        if bytes.is_empty() {
            return Err("the access key is empty".to_owned());
        }
        Ok(Self(bytes))
    }

    /// The base64 HMAC-SHA256 of `text` under this key.
    pub fn sign(&self, text: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(text.as_bytes());
        BASE64.encode(mac.finalize().into_bytes())
    }

    fn verify(&self, text: &str, signature: &[u8]) -> bool {
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) else {
            return false;
        };
        mac.update(text.as_bytes());
        mac.verify_slice(signature).is_ok()
    }
}

/// base64(SHA-256(body)), as `x-ms-content-sha256` carries it.
pub fn content_hash(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

/// `VERB\nPATH_AND_QUERY\nDATE;HOST;HASH`.
pub fn string_to_sign(
    method: &str,
    path_and_query: &str,
    date: &str,
    host: &str,
    hash: &str,
) -> String {
    format!("{method}\n{path_and_query}\n{date};{host};{hash}")
}

/// The signed parts of a request, as received.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub host: Option<&'a str>,
    pub date: Option<&'a str>,
    pub content_sha256: Option<&'a str>,
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
}

/// Checks the request's signature; the error says what is wrong without
/// repeating any secret.
pub fn verify(key: &AccessKey, request: &SignedRequest<'_>, now: Timestamp) -> Result<(), String> {
    let authorization = request
        .authorization
        .ok_or("the Authorization header is missing")?;
    let parameters = authorization
        .strip_prefix(SCHEME)
        .ok_or("the Authorization header does not use the HMAC-SHA256 scheme")?;
    let (signed_headers, signature) = parse_parameters(parameters)
        .ok_or("the Authorization header is not `HMAC-SHA256 SignedHeaders=...&Signature=...`")?;
    if !signed_headers.eq_ignore_ascii_case(SIGNED_HEADERS) {
        return Err(format!("SignedHeaders must be `{SIGNED_HEADERS}`"));
    }
    let date = request.date.ok_or("the x-ms-date header is missing")?;
    let sent_at = httpdate::parse_http_date(date)
        .ok()
        .and_then(|t| Timestamp::try_from(t).ok())
        .ok_or("x-ms-date is not an HTTP date (e.g. `Wed, 13 Apr 2022 18:09:12 GMT`)")?;
    if now.duration_since(sent_at).abs() > MAX_SKEW {
        return Err("x-ms-date is more than 15 minutes from the server's time".to_owned());
    }
    let claimed_hash = request
        .content_sha256
        .ok_or("the x-ms-content-sha256 header is missing")?;
    if claimed_hash != content_hash(request.body) {
        return Err("x-ms-content-sha256 does not match the body received".to_owned());
    }
    let host = request.host.ok_or("the Host header is missing")?;
    let signature = BASE64
        .decode(signature)
        .map_err(|_| "the signature is not base64".to_owned())?;
    let text = string_to_sign(
        request.method,
        request.path_and_query,
        date,
        host,
        claimed_hash,
    );
    if key.verify(&text, &signature) {
        Ok(())
    } else {
        Err("the signature does not match the request".to_owned())
    }
}

/// `SignedHeaders=a;b&Signature=xyz` → (`a;b`, `xyz`).
fn parse_parameters(parameters: &str) -> Option<(&str, &str)> {
    let (headers, signature) = parameters.split_once('&')?;
    Some((
        headers.strip_prefix("SignedHeaders=")?,
        signature.strip_prefix("Signature=")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "Wed, 13 Apr 2022 18:09:12 GMT";
    const EMPTY_HASH: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    /// The vectors published in the Azure SDKs' own tests.
    #[test]
    fn signatures_match_the_azure_sdk_test_vectors() {
        let key = AccessKey::from_base64("pw==").expect("key");
        assert_eq!(content_hash(b""), EMPTY_HASH);
        for (host, path_and_query, expected) in [
            (
                "example.com",
                "/testPath?testQuery=test",
                "DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=",
            ),
            (
                "example.com",
                "/testPath",
                "+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=",
            ),
            (
                "contoso.communicationservices.azure.com",
                "/testPath?testQuery=yes",
                "il99+rd6V5O136roX/zVePCNle78HmvC4B7tu9zRH3I=",
            ),
        ] {
            let text = string_to_sign("GET", path_and_query, DATE, host, EMPTY_HASH);
            assert_eq!(key.sign(&text), expected, "{host}{path_and_query}");
        }
    }

    /// A request signed with `key` whose `x-ms-date` is `date`.
    fn verify_at(key: &AccessKey, date: &str, now: Timestamp) -> Result<(), String> {
        let text = string_to_sign("GET", "/a", date, "example.com", EMPTY_HASH);
        let authorization = format!(
            "{SCHEME}SignedHeaders={SIGNED_HEADERS}&Signature={}",
            key.sign(&text)
        );
        let request = SignedRequest {
            method: "GET",
            path_and_query: "/a",
            host: Some("example.com"),
            date: Some(date),
            content_sha256: Some(EMPTY_HASH),
            authorization: Some(&authorization),
            body: b"",
        };
        verify(key, &request, now)
    }

    /// `x-ms-date` may be up to 15 minutes from the server's clock, in the
    /// past or in the future, and not a second more.
    #[test]
    fn the_date_window_is_fifteen_minutes_each_way() {
        let key = AccessKey::from_base64("pw==").expect("key");
        let sent: Timestamp = "2022-04-13T18:09:12Z".parse().expect("timestamp");
        let window = SignedDuration::from_secs(15 * 60);
        let second = SignedDuration::from_secs(1);
        let skewed = Err("x-ms-date is more than 15 minutes from the server's time".to_owned());
        for (now, expected) in [
            (sent, Ok(())),
            (sent + window, Ok(())),
            (sent - window, Ok(())),
            (sent + window - second, Ok(())),
            (sent - window + second, Ok(())),
            (sent + window + second, skewed.clone()),
            (sent - window - second, skewed.clone()),
        ] {
            assert_eq!(verify_at(&key, DATE, now), expected, "server time {now}");
        }
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let key = AccessKey::from_base64("c2VjcmV0LWtleQ==").expect("key");
        assert_eq!(format!("{key:?}"), "AccessKey(<redacted>)");
    }
}
