//! Reads a spec file (YAML or JSON) into `openapiv3`: OpenAPI 3.0 as it
//! is, Swagger 2.0 converted (`swagger`); anything else is refused with an
//! error that names the place.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::Error;
use crate::document::Pointer;

/// A parsed document with where it came from, kept for diagnostics.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// The document as JSON, for readers that need what `openapiv3` does
    /// not keep verbatim (the conformance tester's schemas and examples).
    pub value: serde_json::Value,
    pub document: OpenAPI,
    /// Whether the file is Swagger 2.0, read as its OpenAPI 3.0 conversion
    /// (so pointers into `value` are not places in `text`).
    pub converted: bool,
}

impl Source {
    /// The 1-based line of the first `$ref` to `reference`, to point a
    /// reader at a reference the parser gave no position for.
    pub fn line_of_ref(&self, reference: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|line| line.contains("$ref") && line.contains(reference))
            .map(|index| index + 1)
    }
}

/// Loads the document at `path`: `.json` files as JSON, anything else as
/// YAML.
pub fn load(path: &Path) -> Result<Source, Error> {
    load_within(path, None)
}

/// [`load`], with the folder references to other files must stay inside
/// (`None`: [`crate::bundle::default_root`]). What they reference is
/// copied into the document (`bundle`), so `value` and `document` hold
/// only local references.
pub fn load_within(path: &Path, spec_root: Option<&Path>) -> Result<Source, Error> {
    let (text, mut value) = read_value(path)?;
    let is_json = is_json(path);
    let swagger = value.get("swagger").and_then(serde_json::Value::as_str) == Some("2.0")
        && value.get("openapi").is_none();
    if !swagger {
        check_version(path, &value)?;
    }
    let bundled = crate::bundle::bundle(path, &text, &mut value, spec_root)?;
    if swagger {
        // Azure publishes Swagger 2.0: read it as the OpenAPI 3.0 it means.
        value = crate::swagger::to_openapi3(&value).map_err(|e| Error::Invalid {
            path: path.to_owned(),
            pointer: e.pointer,
            line: None,
            column: None,
            message: format!("cannot convert this Swagger 2.0 document: {}", e.message),
        })?;
    }
    let typed = if swagger || bundled {
        serde_path_to_error::deserialize(&value).map_err(|e| {
            let pointer = pointer_of(&Pointer::root(), e.path()).to_string();
            (pointer, None, None, e.into_inner().to_string())
        })
    } else if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let pointer = pointer_of(&Pointer::root(), e.path()).to_string();
            let inner = e.into_inner();
            (
                pointer,
                Some(inner.line()),
                Some(inner.column()),
                inner.to_string(),
            )
        })
    } else {
        let deserializer = serde_yaml::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let pointer = pointer_of(&Pointer::root(), e.path()).to_string();
            let inner = e.into_inner();
            let location = inner.location();
            (
                pointer,
                location.as_ref().map(|l| l.line()),
                location.as_ref().map(|l| l.column()),
                inner.to_string(),
            )
        })
    };
    let document = typed.map_err(|(pointer, line, column, message)| {
        // `openapiv3` flattens maps, which stops the path at the map; the
        // entry at fault is found by parsing the entries one by one.
        let (pointer, message) = deeper_error(&value).unwrap_or((pointer, message));
        Error::Invalid {
            path: path.to_owned(),
            pointer,
            line,
            column,
            message: strip_position(&message),
        }
    })?;
    Ok(Source {
        path: path.to_owned(),
        text,
        value,
        document,
        converted: swagger,
    })
}

/// The file at `path` as text and as a JSON value: `.json` files parsed
/// as JSON, anything else as YAML.
pub fn read_value(path: &Path) -> Result<(String, serde_json::Value), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = utf8_text(path, bytes)?;
    let value = if is_json(path) {
        parse_json_value(path, &text)?
    } else {
        parse_yaml_value(path, &text)?
    };
    Ok((text, value))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// The file's bytes as text, without a leading byte order mark (valid
/// before YAML and JSON, but not part of the document); invalid UTF-8 is
/// refused with the line, column and byte offset of the first bad byte.
fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let offset = e.utf8_error().valid_up_to();
        let before = &bytes[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Everything before `offset` is valid UTF-8, so columns count characters.
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Error::Syntax {
            path: path.to_owned(),
            format: "UTF-8",
            line: Some(before.iter().filter(|&&b| b == b'\n').count() + 1),
            column: Some(column),
            message: format!("byte {offset} (0x{:02x}) is not UTF-8", bytes[offset]),
        }
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn parse_json_value(path: &Path, text: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        format: "JSON",
        line: Some(e.line()),
        column: Some(e.column()),
        message: strip_position(&e.to_string()),
    })
}

/// How deep YAML flow collections (`[`, `{`) may nest: the YAML parser
/// refuses more than 128 levels of any nesting, but only after a pass whose
/// time grows with the square of the flow depth, so deeper flow nesting is
/// refused before parsing.
const MAX_FLOW_DEPTH: usize = 128;

/// YAML as a JSON value (what OpenAPI means by YAML); keys that are not
/// strings, such as unquoted status codes, become strings.
fn parse_yaml_value(path: &Path, text: &str) -> Result<serde_json::Value, Error> {
    if let Some((line, column)) = too_deep_flow(text, MAX_FLOW_DEPTH) {
        return Err(Error::Syntax {
            path: path.to_owned(),
            format: "YAML",
            line: Some(line),
            column: Some(column),
            message: format!("flow collections (`[`, `{{`) nested more than {MAX_FLOW_DEPTH} deep"),
        });
    }
    let syntax = |format, e: serde_yaml::Error| Error::Syntax {
        path: path.to_owned(),
        format,
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
        message: strip_position(&e.to_string()),
    };
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut error = syntax("YAML", e);
        if let Error::Syntax { line, message, .. } = &mut error
            && line.is_none()
            && message.contains("repetition limit")
        {
            // The parser gives no place for aliases that expand too far;
            // the last alias is where the expansion grows largest.
            *line = last_alias_line(text);
            message.push_str(" (aliases expand to too many nodes; the last alias is on this line)");
        }
        error
    })?;
    serde_json::to_value(yaml).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        format: "JSON-compatible YAML",
        line: None,
        column: None,
        message: e.to_string(),
    })
}

/// The 1-based line of the last YAML alias (`*name` where a node starts),
/// found by a lexical scan that is only used to point a reader somewhere.
fn last_alias_line(text: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let bytes = line.as_bytes();
            bytes.iter().enumerate().any(|(i, &b)| {
                b == b'*'
                    && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'[' | b'{' | b','))
                    && bytes
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_')
            })
        })
        .last()
        .map(|(index, _)| index + 1)
}

/// Where YAML flow collections first nest deeper than `limit` (1-based
/// line and column), in one linear pass. It counts only what opens a flow
/// collection: `[`/`{` inside one, or where a node starts in block context
/// (line start, after `- `, `: `, `? `), outside quotes, comments and
/// block scalars (`|`, `>`); so it never counts more than the parser nests.
fn too_deep_flow(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    // The indentation of the line that opened a block scalar, while in one.
    let mut block_scalar: Option<usize> = None;
    // The quote a quoted scalar opened, which may run over lines.
    let mut quote: Option<u8> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let bytes = line.as_bytes();
        // Whether a node may start here (a quote opens a quoted scalar only
        // there; elsewhere it is part of a plain one, as in `it's`).
        let mut node_start = true;
        let mut i = if quote.is_some() { 0 } else { indent };
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = quote {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t');
            match b {
                b'#' if after_space => break,
                b'"' | b'\'' if node_start => quote = Some(b),
                b'[' | b'{' if depth > 0 || node_start => {
                    depth += 1;
                    if depth > limit {
                        return Some((index + 1, i + 1));
                    }
                }
                b']' | b'}' if depth > 0 => depth -= 1,
                b'|' | b'>' if depth == 0 && node_start => {
                    block_scalar = Some(indent);
                    break;
                }
                _ => {}
            }
            let next_is_space = bytes.get(i + 1).is_none_or(|n| matches!(n, b' ' | b'\t'));
            node_start = match b {
                b' ' | b'\t' => node_start,
                b'[' | b'{' | b',' => depth > 0,
                b'-' | b':' | b'?' => next_is_space,
                _ => false,
            };
            i += 1;
        }
    }
    None
}

/// The first path item or component that does not parse, with the pointer
/// into it and the parser's message.
fn deeper_error(document: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::{
        Example, Header, Parameter, PathItem, RequestBody, Response, Schema, SecurityScheme,
    };
    first_error::<PathItem>(document, &["paths"])
        .or_else(|| first_error::<Schema>(document, &["components", "schemas"]))
        .or_else(|| first_error::<Response>(document, &["components", "responses"]))
        .or_else(|| first_error::<Parameter>(document, &["components", "parameters"]))
        .or_else(|| first_error::<RequestBody>(document, &["components", "requestBodies"]))
        .or_else(|| first_error::<Header>(document, &["components", "headers"]))
        .or_else(|| first_error::<Example>(document, &["components", "examples"]))
        .or_else(|| first_error::<SecurityScheme>(document, &["components", "securitySchemes"]))
}

/// The first entry (not a `$ref`) of the map at `section` that does not
/// parse as `T`.
fn first_error<T: serde::de::DeserializeOwned>(
    document: &serde_json::Value,
    section: &[&str],
) -> Option<(String, String)> {
    let base = section.iter().fold(Pointer::root(), |p, s| p.join(s));
    document
        .pointer(&base.to_string())?
        .as_object()?
        .iter()
        .filter(|(_, entry)| entry.get("$ref").is_none())
        .find_map(|(key, entry)| {
            let error = serde_path_to_error::deserialize::<_, T>(entry).err()?;
            let pointer = pointer_of(&base.join(key), error.path());
            Some((pointer.to_string(), error.into_inner().to_string()))
        })
}

/// Accepts `openapi: 3.0.x`; names what was found otherwise.
fn check_version(path: &Path, document: &serde_json::Value) -> Result<(), Error> {
    let found = match (document.get("openapi"), document.get("swagger")) {
        (Some(serde_json::Value::String(v)), _) if v.starts_with("3.0.") || v == "3.0" => {
            return Ok(());
        }
        (Some(serde_json::Value::String(v)), _) if v.starts_with("3.1") => {
            format!("found OpenAPI {v}, which is not supported yet")
        }
        (Some(v), _) => format!("found `openapi: {v}`, an unknown OpenAPI version"),
        (None, Some(v)) => {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            format!("found Swagger {v} (`swagger` field), which is not supported yet")
        }
        (None, None) if document.is_object() => "found no `openapi` field at /".to_owned(),
        (None, None) => "found no mapping at the top level, so no OpenAPI document".to_owned(),
    };
    Err(Error::UnsupportedVersion {
        path: path.to_owned(),
        found,
    })
}

/// `base` extended by a serde path (`paths./a.post` → `/paths/~1a/post`).
fn pointer_of(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = base.clone();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer.join("?"),
        };
    }
    pointer
}

/// Parser messages end in "at line L column C", which the error already
/// gives in `file:line:column` form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_where_it_passes_the_limit() {
        let text = format!("a: 1\nb: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep_flow(&text, 128), Some((2, 132)));
        let mapping = format!("b:\n  - {}1{}\n", "{a: ".repeat(129), "}".repeat(129));
        assert_eq!(too_deep_flow(&mapping, 128), Some((2, 5 + 128 * 4)));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let deep = "[".repeat(200);
        let text = format!(
            "a: |\n  {deep}\n  {deep}\nb: \"{deep}\"\nc: '{deep}\n  {deep}'\nd: see {deep}\ne: it's {deep}\n# {deep}\nf: [1, '{deep}', \"{deep}\", {{g: \"{deep}\"}}]\n- >-\n  {deep}\n"
        );
        assert_eq!(too_deep_flow(&text, 128), None);
    }

    #[test]
    fn nesting_within_the_limit_passes() {
        let text = format!("a: {}{}\n", "[".repeat(128), "]".repeat(128));
        assert_eq!(too_deep_flow(&text, 128), None);
    }
}
