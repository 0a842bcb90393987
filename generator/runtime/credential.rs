//! Who the client says it is: a bearer token from a token provider, an API
//! key where the spec's `apiKey` security scheme puts it, an Azure access
//! key (HMAC-SHA256 request signing, `azure` feature), or nothing (local
//! endpoints). No `Debug` here ever shows a key or a token.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

#[cfg(feature = "azure")]
use base64::Engine;
#[cfg(feature = "azure")]
use base64::engine::general_purpose::STANDARD as BASE64;

#[cfg(feature = "azure")]
use super::Error;

/// How requests are authenticated.
#[derive(Clone, Debug, Default)]
pub enum Credential {
    /// No authentication, for local endpoints and fakes.
    #[default]
    None,
    /// Azure Communication Services HMAC-SHA256 signing with an access key.
    #[cfg(feature = "azure")]
    AccessKey(AccessKey),
    /// `Authorization: Bearer <token>`, from a token provider.
    Token(Arc<dyn TokenCredential>),
    /// An API key, sent where the API's `apiKey` security scheme says
    /// (a header, a query parameter or a cookie of the name it gives).
    ApiKey(ApiKey),
}

impl Credential {
    /// An access key as the Azure portal shows it (base64).
    #[cfg(feature = "azure")]
    pub fn access_key(key: &str) -> Result<Self, Error> {
        AccessKey::from_base64(key).map(Credential::AccessKey)
    }

    /// An API key, sent as the API's `apiKey` security scheme says.
    pub fn api_key(key: impl Into<String>) -> Self {
        Credential::ApiKey(ApiKey(key.into()))
    }

    /// A bearer token that never changes (for tests and short scripts).
    pub fn static_token(token: impl Into<String>, expires_on: Option<SystemTime>) -> Self {
        Credential::Token(Arc::new(StaticToken(AccessToken::new(token, expires_on))))
    }
}

/// An API key as given; never shown.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key itself, to put on a request; never logged.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Where an API's `apiKey` security scheme puts the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiKeyScheme {
    /// The header, query parameter or cookie name.
    pub name: &'static str,
    pub location: KeyLocation,
}

/// The `in` of an `apiKey` security scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// A decoded access key.
#[cfg(feature = "azure")]
#[derive(Clone)]
pub struct AccessKey(Vec<u8>);

#[cfg(feature = "azure")]
impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessKey(<redacted>)")
    }
}

#[cfg(feature = "azure")]
impl AccessKey {
    /// Decodes a base64 access key; the error never repeats the key.
    pub fn from_base64<E>(key: &str) -> Result<Self, Error<E>> {
        match BASE64.decode(key.trim()) {
            Ok(bytes) if !bytes.is_empty() => Ok(Self(bytes)),
            Ok(_) => Err(Error::InvalidCredential {
                reason: "the access key is empty".to_owned(),
            }),
            Err(_) => Err(Error::InvalidCredential {
                reason: "the access key is not valid base64".to_owned(),
            }),
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A bearer token and when it stops working.
#[derive(Clone)]
pub struct AccessToken {
    token: String,
    /// `None` for a token that does not expire.
    pub expires_on: Option<SystemTime>,
}

impl AccessToken {
    pub fn new(token: impl Into<String>, expires_on: Option<SystemTime>) -> Self {
        Self {
            token: token.into(),
            expires_on,
        }
    }

    /// The token itself, to put in a header; never logged.
    pub fn secret(&self) -> &str {
        &self.token
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

/// The future a [`TokenCredential`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, String>> + Send + 'a>>;

/// Gets bearer tokens (for example from Microsoft Entra ID). The client
/// caches the token and asks again shortly before it expires.
pub trait TokenCredential: Send + Sync + std::fmt::Debug {
    /// A fresh token; the error says why none could be had.
    fn get_token(&self) -> TokenFuture<'_>;
}

/// A token given once.
#[derive(Clone, Debug)]
pub struct StaticToken(pub AccessToken);

impl TokenCredential for StaticToken {
    fn get_token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// The endpoint and access key of an Azure Communication Services
/// connection string (`endpoint=https://...;accesskey=...`): keys in any
/// case, each pair split at its first `=` (keys end in `=` padding).
#[cfg(feature = "azure")]
pub fn parse_connection_string<E>(text: &str) -> Result<(String, AccessKey), Error<E>> {
    let mut endpoint = None;
    let mut key = None;
    for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Error::InvalidCredential {
                reason: "a connection string part is not `name=value`".to_owned(),
            });
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "endpoint" => endpoint = Some(value.trim().to_owned()),
            "accesskey" => key = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let missing = |what: &str| Error::InvalidCredential {
        reason: format!("the connection string has no `{what}=`"),
    };
    let endpoint = endpoint.ok_or_else(|| missing("endpoint"))?;
    let key = key.ok_or_else(|| missing("accesskey"))?;
    Ok((endpoint, AccessKey::from_base64(&key)?))
}
