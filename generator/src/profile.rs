//! Which conventions a generated crate follows (the Azure profile, or plain
//! HTTP), and the credentials the document's `securitySchemes` ask for.
//!
//! Decided from the document beside lowering, not inside the model: the
//! profile only chooses what the emitted crate enables (cargo features,
//! constructors), never a type or an operation.

use serde_json::Value;

use crate::document::Pointer;

/// The profile asked for: one forced, or `Auto` to detect it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProfileChoice {
    /// Azure when the document shows an Azure convention, else plain.
    #[default]
    Auto,
    Azure,
    Plain,
}

impl std::str::FromStr for ProfileChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(Self::Auto),
            "azure" => Ok(Self::Azure),
            "plain" => Ok(Self::Plain),
            other => Err(format!(
                "unknown profile `{other}`: expected azure, plain or auto"
            )),
        }
    }
}

/// The conventions a crate follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Azure's: connection strings, ACS access-key signing,
    /// `x-ms-client-request-id`, the `azsdk` user agent, Azure error codes.
    Azure,
    /// Plain HTTP: credentials from `securitySchemes` only.
    Plain,
}

/// What a crate is generated for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub kind: Kind,
    /// Why this profile: what was found where, or that it was asked for.
    pub reason: String,
    /// The document's `apiKey` scheme the client sends an API key with.
    pub api_key: Option<ApiKeyScheme>,
    /// The schemes a client authenticates with, as `Client::new`'s
    /// documentation lists them.
    pub schemes: Vec<SchemeDoc>,
}

/// An `apiKey` security scheme: where the key goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyScheme {
    pub name: String,
    /// `header`, `query` or `cookie`.
    pub location: String,
}

/// One security scheme and the credential that serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeDoc {
    pub name: String,
    /// How to authenticate with it, or why the client cannot.
    pub credential: String,
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self.kind {
            Kind::Azure => "azure",
            Kind::Plain => "plain",
        };
        write!(f, "profile: {name} ({})", self.reason)
    }
}

/// The profile for `document` (OpenAPI 3.0 as JSON, Swagger already
/// converted) as `choice` asks.
pub fn profile(document: &Value, choice: ProfileChoice) -> Profile {
    let (kind, reason) = match (choice, azure_evidence(document)) {
        (ProfileChoice::Azure, _) => (Kind::Azure, "asked for".to_owned()),
        (ProfileChoice::Plain, _) => (Kind::Plain, "asked for".to_owned()),
        (ProfileChoice::Auto, Some(evidence)) => (Kind::Azure, evidence),
        (ProfileChoice::Auto, None) => (
            Kind::Plain,
            "no api-version query parameter, x-ms-* extension or {endpoint} host".to_owned(),
        ),
    };
    let (api_key, schemes) = security(document);
    Profile {
        kind,
        reason,
        api_key,
        schemes,
    }
}

/// The first sign of an Azure document, with where it is: an `api-version`
/// query parameter, then an `x-ms-*` extension, then an `{endpoint}` host.
fn azure_evidence(document: &Value) -> Option<String> {
    api_version_parameter(document)
        .map(|at| format!("api-version query parameter at #{at}"))
        .or_else(|| ms_extension(document).map(|(key, at)| format!("{key} extension at #{at}")))
        .or_else(|| {
            endpoint_server(document).map(|at| format!("Azure host template {{endpoint}} at #{at}"))
        })
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn api_version_parameter(document: &Value) -> Option<Pointer> {
    let paths = document.get("paths")?.as_object()?;
    let root = Pointer::root().join("paths");
    for (path, item) in paths {
        let at = root.join(path);
        let lists = std::iter::once((at.clone(), item.get("parameters"))).chain(
            METHODS
                .iter()
                .filter_map(|method| item.get(*method).map(|op| (at.join(method), op)))
                .map(|(at, op)| (at, op.get("parameters"))),
        );
        for (at, list) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (index, parameter) in list.iter().enumerate() {
                let parameter = resolve(document, parameter);
                let is = |key: &str, value: &str| {
                    parameter.and_then(|p| p.get(key)).and_then(Value::as_str) == Some(value)
                };
                if is("in", "query") && is("name", "api-version") {
                    return Some(at.join("parameters").join(index));
                }
            }
        }
    }
    None
}

/// `value`, or what its local `$ref` names (one step, which is all a
/// parameter list holds).
fn resolve<'a>(document: &'a Value, value: &'a Value) -> Option<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.pointer(reference.strip_prefix('#')?),
        None => Some(value),
    }
}

/// The first `x-ms-*` key of the document in document order, walked with a
/// stack (a hostile document may nest deeply).
fn ms_extension(document: &Value) -> Option<(String, Pointer)> {
    let mut stack = vec![(Pointer::root(), document)];
    while let Some((at, value)) = stack.pop() {
        let children: Vec<(Pointer, &Value)> = match value {
            Value::Object(map) => {
                if let Some(key) = map.keys().find(|key| key.starts_with("x-ms-")) {
                    return Some((key.clone(), at.join(key)));
                }
                map.iter().map(|(key, v)| (at.join(key), v)).collect()
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (at.join(i), v))
                .collect(),
            _ => continue,
        };
        stack.extend(children.into_iter().rev());
    }
    None
}

/// A server URL with an `{endpoint}` variable, as Azure's data-plane
/// specs write the host (and `x-ms-parameterized-host` converts to).
fn endpoint_server(document: &Value) -> Option<Pointer> {
    let servers = document.get("servers")?.as_array()?;
    servers.iter().enumerate().find_map(|(index, server)| {
        let url = server.get("url")?.as_str()?;
        url.to_ascii_lowercase()
            .contains("{endpoint}")
            .then(|| Pointer::root().join("servers").join(index).join("url"))
    })
}

/// The first `apiKey` scheme (those the document's `security` names first,
/// in its order, then the rest by name), and every scheme with its
/// credential.
fn security(document: &Value) -> (Option<ApiKeyScheme>, Vec<SchemeDoc>) {
    let Some(schemes) = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return (None, Vec::new());
    };
    let required: Vec<&str> = document
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for name in required
        .into_iter()
        .chain(schemes.keys().map(String::as_str))
    {
        if schemes.contains_key(name) && !names.contains(&name) {
            names.push(name);
        }
    }
    let mut api_key = None;
    let mut docs = Vec::new();
    for name in names {
        let scheme = &schemes[name];
        let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
        let credential = match (text("type"), text("scheme").to_ascii_lowercase().as_str()) {
            ("apiKey", _) if matches!(text("in"), "header" | "query" | "cookie") => {
                let (key_name, location) = (text("name"), text("in"));
                match &api_key {
                    None => {
                        api_key = Some(ApiKeyScheme {
                            name: key_name.to_owned(),
                            location: location.to_owned(),
                        });
                        format!("`Credential::api_key(key)`, sent as the {location} `{key_name}`")
                    }
                    Some(_) => format!(
                        "an API key in the {location} `{key_name}`: not sent (the client sends \
                         its key as one scheme, the first)"
                    ),
                }
            }
            ("http", "bearer") | ("oauth2", _) | ("openIdConnect", _) => {
                "a bearer token, `Credential::static_token(token, None)` (or `Credential::Token`)"
                    .to_owned()
            }
            (kind, "") => format!("`{kind}`: not supported by the client"),
            (kind, scheme) => format!("`{kind}` {scheme}: not supported by the client"),
        };
        docs.push(SchemeDoc {
            name: name.to_owned(),
            credential,
        });
    }
    (api_key, docs)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_api_version_query_parameter_makes_it_azure_and_says_where() {
        let document = json!({
            "paths": { "/jobs/{id}": { "post": { "parameters": [
                { "name": "id", "in": "path" },
                { "$ref": "#/components/parameters/ApiVersion" }
            ] } } },
            "components": { "parameters": { "ApiVersion": { "name": "api-version", "in": "query" } } }
        });
        let profile = profile(&document, ProfileChoice::Auto);
        assert_eq!(
            profile.to_string(),
            "profile: azure (api-version query parameter at #/paths/~1jobs~1{id}/post/parameters/1)"
        );
    }

    #[test]
    fn an_extension_or_an_endpoint_host_makes_it_azure() {
        let extension = json!({ "info": { "title": "t" }, "paths": { "/a": { "get": { "x-ms-pageable": {} } } } });
        assert_eq!(
            profile(&extension, ProfileChoice::Auto).reason,
            "x-ms-pageable extension at #/paths/~1a/get/x-ms-pageable"
        );
        let host =
            json!({ "servers": [{ "url": "https://example.com" }, { "url": "{Endpoint}/x" }] });
        assert_eq!(
            profile(&host, ProfileChoice::Auto).reason,
            "Azure host template {endpoint} at #/servers/1/url"
        );
    }

    #[test]
    fn a_document_without_azure_signs_is_plain_unless_azure_is_asked_for() {
        let document = json!({ "paths": { "/a": { "get": { "parameters": [{ "name": "version", "in": "query" }] } } } });
        assert_eq!(profile(&document, ProfileChoice::Auto).kind, Kind::Plain);
        let forced = profile(&document, ProfileChoice::Azure);
        assert_eq!(forced.to_string(), "profile: azure (asked for)");
        assert_eq!("plain".parse(), Ok(ProfileChoice::Plain));
        assert!("azur".parse::<ProfileChoice>().is_err());
    }

    #[test]
    fn the_api_key_is_the_first_scheme_security_names() {
        let document = json!({
            "security": [{ "queryKey": [] }, { "bearer": [] }],
            "components": { "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "headerKey": { "type": "apiKey", "in": "header", "name": "X-Key" },
                "queryKey": { "type": "apiKey", "in": "query", "name": "key" },
                "basic": { "type": "http", "scheme": "basic" }
            } }
        });
        let profile = profile(&document, ProfileChoice::Auto);
        assert_eq!(
            profile.api_key,
            Some(ApiKeyScheme {
                name: "key".to_owned(),
                location: "query".to_owned()
            })
        );
        let names: Vec<&str> = profile.schemes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["queryKey", "bearer", "basic", "headerKey"]);
        assert!(profile.schemes[3].credential.contains("not sent"));
        assert_eq!(
            profile.schemes[2].credential,
            "`http` basic: not supported by the client"
        );
    }
}
