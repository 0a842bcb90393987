//! `$ref`s: what one names (a file and a JSON pointer in its fragment) and
//! what it leads to in the document, following chains and refusing loops.
//! The one place a `$ref` becomes a place and a value.

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;

use super::pointer::Pointer;

/// A `$ref` split at its `#`: the file it names (empty for this document)
/// and the fragment, still percent-encoded (none without a `#`: the whole
/// file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref<'a> {
    pub file: &'a str,
    fragment: Option<&'a str>,
}

impl<'a> Ref<'a> {
    pub fn parse(reference: &'a str) -> Self {
        match reference.split_once('#') {
            Some((file, fragment)) => Self {
                file,
                fragment: Some(fragment),
            },
            None => Self {
                file: reference,
                fragment: None,
            },
        }
    }

    /// Whether it names a place in this document (`#/...`); an empty
    /// reference is not read as this whole document.
    pub fn is_local(&self) -> bool {
        self.file.is_empty() && self.fragment.is_some()
    }

    /// The JSON pointer the fragment holds (the root without one): a URI
    /// fragment is percent-decoded first (`a%20b` is `a b`), as RFC 6901
    /// says. `None` when the decoded bytes are not UTF-8.
    pub fn pointer(&self) -> Option<Pointer> {
        percent_encoding::percent_decode_str(self.fragment.unwrap_or(""))
            .decode_utf8()
            .ok()
            .map(Pointer::from_escaped)
    }
}

/// The `$ref` a value is, if it is one (an object with a string `$ref`,
/// as `openapiv3`'s `ReferenceOr` reads it too).
pub fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// A value of the document and where it is, after every `$ref` on the way.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub value: &'a Value,
    pub pointer: Pointer,
}

/// Why a place could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    /// Where the `$ref` at fault is written; where the walk started when
    /// there is no `$ref` (`reference` empty).
    pub at: Pointer,
    pub reference: String,
    pub problem: RefProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefProblem {
    /// Nothing is at the pointer.
    Missing,
    /// The `$ref` names another file; only local references are followed.
    Remote,
    /// The fragment's percent-encoding is not UTF-8.
    NotUtf8,
    /// Following the `$ref`s comes back to one already followed.
    Loop,
}

impl fmt::Display for RefProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RefProblem::Missing => "no such entry in the document",
            RefProblem::Remote => {
                "it names another document (only local `#/...` references are followed)"
            }
            RefProblem::NotUtf8 => "its percent-encoding is not UTF-8",
            RefProblem::Loop => "the references form a loop",
        })
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.reference.is_empty(), self.problem) {
            (true, RefProblem::Missing) => f.write_str("nothing is there"),
            (true, problem) => write!(f, "{problem}"),
            (false, problem) => write!(f, "`$ref: {}`: {problem}", self.reference),
        }
    }
}

/// The value at `at`, following a `$ref` there and in what it leads to.
pub fn resolve(document: &Value, at: Pointer) -> Result<Resolved<'_>, RefError> {
    walk(document, at, None)
}

/// What `reference`, written at `at`, leads to, following any further
/// `$ref`s.
pub fn follow<'a>(
    document: &'a Value,
    reference: &str,
    at: &Pointer,
) -> Result<Resolved<'a>, RefError> {
    let target = target(reference, at)?;
    walk(document, target, Some((at.clone(), reference)))
}

/// Follows `$ref`s from `pointer`; `came_from` is the `$ref` that led
/// there, named when nothing is there. A pointer seen twice is a loop; a
/// chain without one ends, as the document is finite.
fn walk<'a: 'r, 'r>(
    document: &'a Value,
    mut pointer: Pointer,
    mut came_from: Option<(Pointer, &'r str)>,
) -> Result<Resolved<'a>, RefError> {
    let mut followed = HashSet::new();
    loop {
        let Some(value) = document.pointer(pointer.as_str()) else {
            let (at, reference) = came_from.unwrap_or((pointer, ""));
            return Err(error(at, reference, RefProblem::Missing));
        };
        let Some(reference) = reference_of(value) else {
            return Ok(Resolved { value, pointer });
        };
        if !followed.insert(pointer.clone()) {
            return Err(error(pointer, reference, RefProblem::Loop));
        }
        let next = target(reference, &pointer)?;
        came_from = Some((pointer, reference));
        pointer = next;
    }
}

/// The local pointer `reference` (written at `at`) names.
fn target(reference: &str, at: &Pointer) -> Result<Pointer, RefError> {
    let parsed = Ref::parse(reference);
    if !parsed.is_local() {
        return Err(error(at.clone(), reference, RefProblem::Remote));
    }
    parsed
        .pointer()
        .ok_or_else(|| error(at.clone(), reference, RefProblem::NotUtf8))
}

fn error(at: Pointer, reference: &str, problem: RefProblem) -> RefError {
    RefError {
        at,
        reference: reference.to_owned(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(text: &str) -> Pointer {
        Pointer::from_escaped(text)
    }

    #[test]
    fn a_chain_is_followed_to_its_value_through_escapes_and_percent_encoding() {
        let document = json!({
            "a": {"$ref": "#/b~1c"},
            "b/c": {"$ref": "#/d%20e"},
            "d e": {"type": "string"},
        });
        let resolved = resolve(&document, at("/a")).expect("resolves");
        assert_eq!(resolved.value, &json!({"type": "string"}));
        assert_eq!(resolved.pointer.as_str(), "/d e");
    }

    #[test]
    fn a_loop_is_refused_where_it_closes() {
        let document = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}});
        let error = resolve(&document, at("/a")).expect_err("loops");
        assert_eq!(error.problem, RefProblem::Loop);
        assert_eq!(error.at.as_str(), "/a");
        assert_eq!(error.to_string(), "`$ref: #/b`: the references form a loop");
    }

    #[test]
    fn a_long_chain_without_a_loop_is_followed() {
        let mut document = serde_json::Map::new();
        for i in 0..100 {
            document.insert(format!("s{i}"), json!({"$ref": format!("#/s{}", i + 1)}));
        }
        document.insert("s100".to_owned(), json!(true));
        let document = Value::Object(document);
        let resolved = resolve(&document, at("/s0")).expect("resolves");
        assert_eq!(resolved.pointer.as_str(), "/s100");
    }

    #[test]
    fn remote_missing_and_undecodable_references_name_the_ref_at_fault() {
        let document = json!({
            "remote": {"$ref": "other.json#/a"},
            "missing": {"$ref": "#/nowhere"},
            "latin1": {"$ref": "#/caf%E9"},
        });
        let problem = |from: &str| {
            let error = resolve(&document, at(from)).expect_err("refused");
            assert_eq!(error.at.as_str(), from);
            error.problem
        };
        assert_eq!(problem("/remote"), RefProblem::Remote);
        assert_eq!(problem("/missing"), RefProblem::Missing);
        assert_eq!(problem("/latin1"), RefProblem::NotUtf8);
        let error = resolve(&document, at("/none")).expect_err("nothing there");
        assert_eq!(error.to_string(), "nothing is there");
    }

    #[test]
    fn a_reference_names_its_file_and_its_pointer() {
        let reference = Ref::parse("./examples/Close.json");
        assert_eq!(reference.file, "./examples/Close.json");
        assert!(!reference.is_local());
        assert!(!Ref::parse("").is_local());
        let reference = Ref::parse("#/components/schemas/a~1b%7E");
        assert!(reference.is_local());
        let pointer = reference.pointer().expect("UTF-8");
        assert_eq!(
            pointer.segments().collect::<Vec<_>>(),
            ["components", "schemas", "a/b~"]
        );
    }
}
