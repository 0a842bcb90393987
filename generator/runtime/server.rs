//! The server side's plumbing: a request as received, matched to an
//! operation and decoded into its typed input, or refused with the reason.
//! Framework-agnostic: any HTTP server can hand requests to `decode`.

use percent_encoding::percent_decode_str;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// An HTTP request as received.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    /// The path as received, still percent-encoded.
    pub path: &'a str,
    /// The query string as received, without the `?`.
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Why a request does not reach an operation; the server decides how to
/// answer each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("no operation of the API has this path")]
    NotFound,
    #[error("this path does not accept the method; it accepts {}", allow.join(", "))]
    MethodNotAllowed { allow: Vec<&'static str> },
    #[error("the required {location} parameter `{name}` is missing")]
    MissingParameter {
        name: &'static str,
        location: &'static str,
    },
    #[error("the {location} parameter `{name}` is invalid: {reason}")]
    InvalidParameter {
        name: &'static str,
        location: &'static str,
        reason: String,
    },
    #[error("the body's content type `{content_type}` is not JSON")]
    UnsupportedMediaType { content_type: String },
    #[error("the operation requires a body")]
    MissingBody,
    #[error("the body is invalid at `{path}`: {reason}")]
    InvalidBody { path: String, reason: String },
}

/// An error answer from a service: the status and the declared error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError<E> {
    pub status: u16,
    pub body: E,
}

/// An operation's answer, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    /// The JSON body, if the answer has one.
    pub body: Option<serde_json::Value>,
    /// Whether the status is one the operation declares as an error.
    pub is_error: bool,
    /// The response headers the operation declares, by their declared
    /// names, as the service set them; empty for errors.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// Adds the declared header `name` when the service set it (`value`
    /// `Some`) and the reply is a success.
    pub fn with_header(mut self, name: &'static str, value: Option<String>) -> Self {
        if let (Some(value), false) = (value, self.is_error) {
            self.headers.push((name, value));
        }
        self
    }
}

/// A request body of media type `application/merge-patch+json` (RFC 7386):
/// the decoded model, and the JSON as received, where `"field": null`
/// (remove the field) stays apart from an absent field (leave it).
#[derive(Debug, Clone, PartialEq)]
pub struct MergePatch<T> {
    pub value: T,
    pub document: serde_json::Value,
}

/// A success with `body`.
pub fn success<T: serde::Serialize>(status: u16, body: &T) -> Reply {
    match serde_json::to_value(body) {
        Ok(value) => Reply {
            status,
            body: Some(value),
            is_error: false,
            headers: Vec::new(),
        },
        Err(_) => unserializable(),
    }
}

/// A success without a body.
pub fn empty(status: u16) -> Reply {
    Reply {
        status,
        body: None,
        is_error: false,
        headers: Vec::new(),
    }
}

/// The service's error answer.
pub fn failure<E: serde::Serialize>(error: &ServiceError<E>) -> Reply {
    match serde_json::to_value(&error.body) {
        Ok(value) => Reply {
            status: error.status,
            body: Some(value),
            is_error: true,
            headers: Vec::new(),
        },
        Err(_) => unserializable(),
    }
}

fn unserializable() -> Reply {
    Reply {
        status: 500,
        body: None,
        is_error: true,
        headers: Vec::new(),
    }
}

/// The percent-decoded values of `template`'s parameters when the raw
/// `path` matches it, segment by segment; `None` otherwise.
///
/// Literals are matched against the path as received, so an encoded
/// `%3Aclose` or `%2F` is part of a value, never the literal `:close` or a
/// separator; only the values are decoded (and must be UTF-8).
pub fn match_path(template: &str, path: &str) -> Option<Vec<String>> {
    let templates: Vec<&str> = template.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    if templates.len() != segments.len() {
        return None;
    }
    let mut raw_values = Vec::new();
    for (pattern, raw) in templates.iter().zip(&segments) {
        match_segment(pattern, raw, &mut raw_values)?;
    }
    raw_values
        .into_iter()
        .map(|raw| {
            percent_decode_str(raw)
                .decode_utf8()
                .ok()
                .map(|value| value.into_owned())
        })
        .collect()
}

/// Matches one segment: literals must appear as written; each parameter
/// takes the (non-empty) text up to the next literal, the last one up to
/// the final literal (so `{id}:close` matches `a:b:close` with `a:b`).
fn match_segment<'a>(pattern: &str, segment: &'a str, values: &mut Vec<&'a str>) -> Option<()> {
    let mut rest = segment;
    let mut pattern = pattern;
    while !pattern.is_empty() {
        match pattern.find('{') {
            Some(0) => {
                let close = pattern.find('}')?;
                pattern = &pattern[close + 1..];
                let literal_end = pattern.find('{').unwrap_or(pattern.len());
                let literal = &pattern[..literal_end];
                let end = if literal.is_empty() {
                    rest.len()
                } else if literal_end == pattern.len() {
                    rest.rfind(literal)?
                } else {
                    rest.find(literal)?
                };
                if end == 0 {
                    return None;
                }
                values.push(&rest[..end]);
                rest = &rest[end..];
            }
            next => {
                let literal = &pattern[..next.unwrap_or(pattern.len())];
                rest = rest.strip_prefix(literal)?;
                pattern = &pattern[literal.len()..];
            }
        }
    }
    rest.is_empty().then_some(())
}

/// The decoded value of query parameter `name`, refused when it is given
/// more than once (first-wins or last-wins would let a proxy and this
/// server read different values).
pub fn query(request: &HttpRequest<'_>, name: &'static str) -> Result<Option<String>, Rejection> {
    let Some(query) = request.query else {
        return Ok(None);
    };
    let mut values = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value);
    let first = values.next();
    if values.next().is_some() {
        return Err(Rejection::InvalidParameter {
            name,
            location: "query",
            reason: "given more than once".to_owned(),
        });
    }
    Ok(first.map(|value| value.into_owned()))
}

/// The values of list query parameter `name`: one per `name=` pair
/// (`explode`), or the items of one comma-separated value; `None` when
/// the parameter is absent.
pub fn query_list(request: &HttpRequest<'_>, name: &str, explode: bool) -> Option<Vec<String>> {
    let query = request.query?;
    let values: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(if explode {
        values
    } else {
        values
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::to_owned)
            .collect()
    })
}

/// The value of cookie `name` in the `Cookie` header, percent-decoded.
pub fn cookie(request: &HttpRequest<'_>, name: &str) -> Option<String> {
    request
        .headers
        .get_all(reqwest::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// The value of header `name`, refused when it is not visible ASCII.
pub fn header(request: &HttpRequest<'_>, name: &'static str) -> Result<Option<String>, Rejection> {
    request
        .headers
        .get(name)
        .map(|value| {
            value
                .to_str()
                .map(str::to_owned)
                .map_err(|_| Rejection::InvalidParameter {
                    name,
                    location: "header",
                    reason: "not visible ASCII".to_owned(),
                })
        })
        .transpose()
}

/// A present required parameter, or the rejection naming it.
pub fn required<T>(
    value: Option<T>,
    name: &'static str,
    location: &'static str,
) -> Result<T, Rejection> {
    value.ok_or(Rejection::MissingParameter { name, location })
}

/// Parses a parameter's text as its declared type.
pub fn parse<T>(value: String, name: &'static str, location: &'static str) -> Result<T, Rejection>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    parse_with(value, name, location, |text| text.parse())
}

/// Parses a parameter with `parse`, for types whose wire form is not their
/// `FromStr` (a header's HTTP-date).
pub fn parse_with<T, E: std::fmt::Display>(
    value: String,
    name: &'static str,
    location: &'static str,
    parse: impl FnOnce(String) -> Result<T, E>,
) -> Result<T, Rejection> {
    parse(value).map_err(|e| Rejection::InvalidParameter {
        name,
        location,
        reason: e.to_string(),
    })
}

/// Parses each item of a list parameter as its declared type.
pub fn parse_all<T>(
    values: Vec<String>,
    name: &'static str,
    location: &'static str,
) -> Result<Vec<T>, Rejection>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    values
        .into_iter()
        .map(|value| parse(value, name, location))
        .collect()
}

/// The JSON shape a body's schema declares, checked before decoding
/// (serde would take an array for a struct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Object,
    Any,
}

/// The body as it came, `None` when there is none.
pub fn raw_body(request: &HttpRequest<'_>) -> Option<Vec<u8>> {
    (!request.body.is_empty()).then(|| request.body.to_vec())
}

/// The body as text, `None` when there is none; refused unless UTF-8.
pub fn text_body(request: &HttpRequest<'_>) -> Result<Option<String>, Rejection> {
    raw_body(request)
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|e| Rejection::InvalidBody {
                path: ".".to_owned(),
                reason: format!("the text body is not UTF-8: {e}"),
            })
        })
        .transpose()
}

/// The JSON body as `T`: `None` when absent and optional; refused when the
/// content type is not JSON or the body does not fit the schema.
pub fn json_body<T: DeserializeOwned>(
    request: &HttpRequest<'_>,
    required: bool,
    shape: Shape,
) -> Result<Option<T>, Rejection> {
    if request.body.is_empty() {
        return if required {
            Err(Rejection::MissingBody)
        } else {
            Ok(None)
        };
    }
    let content_type = request
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        return Err(Rejection::UnsupportedMediaType {
            content_type: content_type.to_owned(),
        });
    }
    if shape == Shape::Object && request.body.trim_ascii_start().first() != Some(&b'{') {
        let value: Result<serde_json::Value, _> = serde_json::from_slice(request.body);
        return Err(Rejection::InvalidBody {
            path: ".".to_owned(),
            reason: match value {
                Ok(other) => format!("expected a JSON object, found {}", json_kind(&other)),
                Err(e) => e.to_string(),
            },
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(request.body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        Rejection::InvalidBody {
            path: e.path().to_string(),
            reason: e.into_inner().to_string(),
        }
    })?;
    deserializer.end().map_err(|e| Rejection::InvalidBody {
        path: ".".to_owned(),
        reason: e.to_string(),
    })?;
    Ok(Some(value))
}

/// A merge-patch body: `json_body`'s `T`, with the document beside it.
pub fn merge_patch_body<T: DeserializeOwned>(
    request: &HttpRequest<'_>,
    required: bool,
    shape: Shape,
) -> Result<Option<MergePatch<T>>, Rejection> {
    let Some(value) = json_body(request, required, shape)? else {
        return Ok(None);
    };
    // `json_body` has read the same bytes as JSON already.
    let document = serde_json::from_slice(request.body).map_err(|e| Rejection::InvalidBody {
        path: ".".to_owned(),
        reason: e.to_string(),
    })?;
    Ok(Some(MergePatch { value, document }))
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
