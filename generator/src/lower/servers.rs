//! The path every request starts with: the path of the first server URL
//! (`{endpoint}/contentsafety` from Azure's `x-ms-parameterized-host`,
//! `https://api.example.com/v1`), which the caller's endpoint does not
//! carry.

use openapiv3::OpenAPI;

use crate::document::Pointer;
use crate::model::Warning;

/// The first server's path, variables filled with their defaults, without
/// a trailing `/` (`""` for none). A variable without a default in the path
/// cannot be filled: the base path is left out, with a warning.
pub(super) fn base_path(document: &OpenAPI, warnings: &mut Vec<Warning>) -> String {
    let Some(server) = document.servers.first() else {
        return String::new();
    };
    let path = url_path(&server.url);
    let mut filled = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        let default = server
            .variables
            .as_ref()
            .and_then(|variables| variables.get(name))
            .map(|variable| variable.default.as_str())
            .filter(|default| !default.is_empty());
        let Some(default) = default else {
            warnings.push(Warning {
                pointer: Pointer::root().join("servers").join(0).join("url").to_string(),
                message: format!(
                    "the server path `{path}` holds `{{{name}}}`, which has no default: requests start at the endpoint's own path"
                ),
            });
            return String::new();
        };
        filled.push_str(&rest[..open]);
        filled.push_str(default);
        rest = &rest[close + 1..];
    }
    filled.push_str(rest);
    filled.trim_end_matches('/').to_owned()
}

/// The path part of a server URL: after `scheme://` and the host (or the
/// template standing for it, `{endpoint}`), up to any query; a URL that
/// starts with one `/` is all path.
fn url_path(url: &str) -> &str {
    let url = url.split(['?', '#']).next().unwrap_or("");
    if url.starts_with('/') && !url.starts_with("//") {
        return url;
    }
    let after_scheme = match url.find("://") {
        Some(at) => &url[at + 3..],
        None => url.trim_start_matches('/'),
    };
    after_scheme.find('/').map_or("", |at| &after_scheme[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(servers: serde_json::Value) -> (String, Vec<Warning>) {
        let document: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "servers": servers,
        }))
        .expect("a document");
        let mut warnings = Vec::new();
        (base_path(&document, &mut warnings), warnings)
    }

    #[test]
    fn the_first_servers_path_is_kept() {
        for (url, path) in [
            ("{endpoint}/contentsafety", "/contentsafety"),
            ("https://{endpoint}/language/", "/language"),
            ("https://api.example.com/v1", "/v1"),
            ("http://localhost:8080", ""),
            ("/api/v3?x=1", "/api/v3"),
            ("{endpoint}", ""),
            ("//cdn.example.com/a", "/a"),
        ] {
            assert_eq!(base(serde_json::json!([{"url": url}])).0, path, "{url}");
        }
        assert_eq!(base(serde_json::json!([])).0, "");
    }

    #[test]
    fn variables_in_the_path_take_their_defaults_or_leave_it_out() {
        let servers = serde_json::json!([{
            "url": "{endpoint}/formrecognizer/{apiVersion}",
            "variables": {"endpoint": {"default": ""}, "apiVersion": {"default": "v2.1"}},
        }]);
        assert_eq!(base(servers).0, "/formrecognizer/v2.1");
        let servers = serde_json::json!([{
            "url": "{endpoint}/openai/{deployment}",
            "variables": {"endpoint": {"default": ""}, "deployment": {"default": ""}},
        }]);
        let (path, warnings) = base(servers);
        assert_eq!(path, "");
        assert_eq!(warnings[0].pointer, "/servers/0/url");
        assert_eq!(
            warnings[0].message,
            "the server path `/openai/{deployment}` holds `{deployment}`, which has no default: requests start at the endpoint's own path"
        );
    }
}
