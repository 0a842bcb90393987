//! The path every request starts with: the path of the first server URL
//! (`{endpoint}/contentsafety` from Azure's `x-ms-parameterized-host`,
//! `https://api.example.com/v1`), which the caller's endpoint does not
//! carry. Read alike by lowering (request and matched paths) and the
//! tester (the URLs it sends).

use serde_json::Value;

/// The first server's path, variables filled with their defaults, without
/// a trailing `/` (`""` for none). `Err` says why a path the server has
/// cannot be filled (a variable in it without a default); requests then
/// start at the endpoint's own path.
pub fn base_path(document: &Value) -> Result<String, String> {
    let Some(server) = document
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|servers| servers.first())
    else {
        return Ok(String::new());
    };
    let path = url_path(server.get("url").and_then(Value::as_str).unwrap_or(""));
    let mut filled = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        let default = server
            .get("variables")
            .and_then(|variables| variables.get(name))
            .and_then(|variable| variable.get("default"))
            .and_then(Value::as_str)
            .filter(|default| !default.is_empty());
        let Some(default) = default else {
            return Err(format!(
                "the server path `{path}` holds `{{{name}}}`, which has no default: requests start at the endpoint's own path"
            ));
        };
        filled.push_str(&rest[..open]);
        filled.push_str(default);
        rest = &rest[close + 1..];
    }
    filled.push_str(rest);
    Ok(filled.trim_end_matches('/').to_owned())
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
    use serde_json::json;

    fn base(servers: Value) -> Result<String, String> {
        base_path(&json!({ "servers": servers }))
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
            assert_eq!(base(json!([{ "url": url }])), Ok(path.to_owned()), "{url}");
        }
        assert_eq!(base(json!([])), Ok(String::new()));
        assert_eq!(base_path(&json!({})), Ok(String::new()));
    }

    #[test]
    fn variables_in_the_path_take_their_defaults_or_leave_it_out() {
        let servers = json!([{
            "url": "{endpoint}/formrecognizer/{apiVersion}",
            "variables": {"endpoint": {"default": ""}, "apiVersion": {"default": "v2.1"}},
        }]);
        assert_eq!(base(servers), Ok("/formrecognizer/v2.1".to_owned()));
        let servers = json!([{
            "url": "{endpoint}/openai/{deployment}",
            "variables": {"endpoint": {"default": ""}, "deployment": {"default": ""}},
        }]);
        assert_eq!(
            base(servers),
            Err("the server path `/openai/{deployment}` holds `{deployment}`, which has no default: requests start at the endpoint's own path".to_owned())
        );
    }
}
