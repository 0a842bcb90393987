//! Puts the credential on each try: an access key signs it afresh (new
//! date), a token provider's bearer token is cached until shortly before it
//! expires, an API key goes where the spec's security scheme says.

use std::sync::Arc;
use std::time::Duration;

use percent_encoding::utf8_percent_encode;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::credential::{AccessToken, ApiKeyScheme, Credential, KeyLocation};
use super::options::Clock;
use super::request::NOT_IN_COOKIE;
use super::{Error, Request};

/// Tokens are refreshed this long before they expire.
const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A credential and what it needs between tries.
#[derive(Debug, Clone)]
pub(crate) struct Authenticator {
    credential: Credential,
    /// Dates signatures and ages tokens.
    clock: Arc<dyn Clock>,
    token: Arc<tokio::sync::Mutex<Option<AccessToken>>>,
    /// Where an API key goes; `None` when the API declares no `apiKey` scheme.
    api_key_scheme: Option<ApiKeyScheme>,
}

/// What one try sends once authenticated.
pub(crate) struct Authenticated {
    pub url: Url,
    pub headers: HeaderMap,
}

impl Authenticator {
    pub fn new(credential: Credential, clock: Arc<dyn Clock>) -> Self {
        Self {
            credential,
            clock,
            token: Arc::default(),
            api_key_scheme: None,
        }
    }

    pub fn with_api_key_scheme(self, scheme: ApiKeyScheme) -> Self {
        Self {
            api_key_scheme: Some(scheme),
            ..self
        }
    }

    /// Whether the credential puts a secret in the URL, which errors must
    /// then not show.
    pub fn secret_in_url(&self) -> bool {
        matches!(self.credential, Credential::ApiKey(_))
            && self
                .api_key_scheme
                .is_some_and(|scheme| scheme.location == KeyLocation::Query)
    }

    /// `request`'s URL, and `headers` (the request's and the call's), with
    /// the credential on them.
    pub async fn apply<E>(
        &self,
        request: &Request,
        mut headers: HeaderMap,
    ) -> Result<Authenticated, Error<E>> {
        let mut url = request.url.clone();
        match &self.credential {
            Credential::None => {}
            #[cfg(feature = "azure")]
            Credential::AccessKey(key) => headers.extend(super::sign::sign_request(
                key,
                request.method.as_str(),
                &request.url,
                &request.body,
                &httpdate::fmt_http_date(self.clock.now()),
            )),
            Credential::Token(_) => {
                let token = self.token().await?;
                let value = sensitive(&format!("Bearer {}", token.secret()), "the token")?;
                headers.insert(AUTHORIZATION, value);
            }
            Credential::ApiKey(key) => {
                let Some(scheme) = self.api_key_scheme else {
                    return Err(Error::InvalidCredential {
                        reason: "this API declares no `apiKey` security scheme, so an API key \
                                 has nowhere to go"
                            .to_owned(),
                    });
                };
                match scheme.location {
                    KeyLocation::Header => {
                        let name =
                            HeaderName::from_bytes(scheme.name.as_bytes()).map_err(|_| {
                                Error::InvalidCredential {
                                    reason: format!("`{}` is not a valid header name", scheme.name),
                                }
                            })?;
                        headers.insert(name, sensitive(key.secret(), "the API key")?);
                    }
                    KeyLocation::Query => {
                        url.query_pairs_mut().append_pair(scheme.name, key.secret());
                    }
                    KeyLocation::Cookie => {
                        let pair = format!(
                            "{}={}",
                            scheme.name,
                            utf8_percent_encode(key.secret(), NOT_IN_COOKIE)
                        );
                        let cookies = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                            Some(existing) => format!("{existing}; {pair}"),
                            None => pair,
                        };
                        headers.insert(COOKIE, sensitive(&cookies, "the API key cookie")?);
                    }
                }
            }
        }
        Ok(Authenticated { url, headers })
    }

    /// The cached token, or a fresh one when it is missing or about to expire.
    async fn token<E>(&self) -> Result<AccessToken, Error<E>> {
        let Credential::Token(provider) = &self.credential else {
            return Err(Error::InvalidCredential {
                reason: "no token provider".to_owned(),
            });
        };
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|token| {
            token
                .expires_on
                .is_none_or(|at| at > self.clock.now() + TOKEN_REFRESH_MARGIN)
        }) {
            return Ok(token.clone());
        }
        let token = provider
            .get_token()
            .await
            .map_err(|reason| Error::InvalidCredential {
                reason: format!("the token provider failed: {reason}"),
            })?;
        *cached = Some(token.clone());
        Ok(token)
    }
}

/// A header value that `Debug` and traces never show.
fn sensitive<E>(text: &str, what: &str) -> Result<HeaderValue, Error<E>> {
    let mut value = HeaderValue::from_str(text).map_err(|_| Error::InvalidCredential {
        reason: format!("{what} is not a valid header value"),
    })?;
    value.set_sensitive(true);
    Ok(value)
}
