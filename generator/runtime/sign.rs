//! Azure Communication Services HMAC-SHA256 request signing.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

use super::credential::AccessKey;

/// The headers that sign a request to `url` with `body`, dated `date`
/// (an HTTP date): `x-ms-date`, `x-ms-content-sha256` and `Authorization`.
/// The host signed is the one reqwest sends: with a non-default port.
pub fn sign_request(
    key: &AccessKey,
    method: &str,
    url: &url::Url,
    body: &[u8],
    date: &str,
) -> HeaderMap {
    let hash = BASE64.encode(Sha256::digest(body));
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    };
    let path_and_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let to_sign = format!("{method}\n{path_and_query}\n{date};{host};{hash}");
    let mut headers = HeaderMap::new();
    // HMAC takes keys of any length, so this never fails.
    if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.bytes()) {
        mac.update(to_sign.as_bytes());
        let signature = BASE64.encode(mac.finalize().into_bytes());
        let authorization = format!(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
        );
        for (name, value) in [
            ("x-ms-date", date.to_owned()),
            ("x-ms-content-sha256", hash),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        if let Ok(mut value) = HeaderValue::from_str(&authorization) {
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
    }
    headers
}
