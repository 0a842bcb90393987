//! Arazzo criteria: the simple condition language (literals, `==` `!=`
//! `<` `<=` `>` `>=`, `!` `&&` `||`, parentheses, runtime expressions as
//! operands; string comparisons case-insensitive and loose, as Arazzo
//! 1.0.1 says), `regex` conditions (the `regex` crate: linear time, with a
//! size limit) and `jsonpath` conditions (RFC 9535, `serde_json_path`: met
//! when the query selects at least one node).
//!
//! [`check`] compiles a criterion without running it, so a workflow whose
//! conditions cannot be read is refused before any request; [`evaluate`]
//! says whether it holds and what its expressions were.

mod simple;
#[cfg(test)]
mod tests;

use serde_json::Value;

use super::document::Criterion;
use super::expression::{self, Scope, excerpt};

/// The longest condition read (characters).
pub const MAX_CONDITION: usize = 4096;
/// The compiled size a regex may take (bytes), as the `regex` crate counts.
const REGEX_SIZE: usize = 1 << 20;

/// How a criterion came out.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub met: bool,
    /// The expressions it read and their values: `$statusCode is 200`.
    pub seen: String,
}

/// Whether the criterion can be evaluated at all: its type is one this
/// runner knows, its condition parses, its regex or JSONPath compiles.
pub fn check(criterion: &Criterion) -> Result<(), String> {
    if criterion.condition.chars().count() > MAX_CONDITION {
        return Err(format!(
            "a condition of more than {MAX_CONDITION} characters"
        ));
    }
    match kind(criterion)? {
        Kind::Simple => simple::parse(&criterion.condition).map(|_| ()),
        Kind::Regex => regex(&criterion.condition).map(|_| ()),
        Kind::JsonPath => jsonpath(&criterion.condition).map(|_| ()),
    }
}

/// Whether the criterion holds in `scope`; `Err` when it cannot be
/// evaluated (an expression resolves to nothing), said in words.
pub fn evaluate(criterion: &Criterion, scope: &Scope<'_>) -> Result<Verdict, String> {
    check(criterion)?;
    match kind(criterion)? {
        Kind::Simple => {
            let mut seen = Vec::new();
            let value = simple::parse(&criterion.condition)?.eval(scope, &mut seen)?;
            let met = match value {
                Value::Bool(met) => met,
                other => {
                    return Err(format!(
                        "the condition is {}, not true or false",
                        excerpt(&other)
                    ));
                }
            };
            let seen = if seen.is_empty() {
                format!("`{}` is {met}", criterion.condition)
            } else {
                seen.join(", ")
            };
            Ok(Verdict { met, seen })
        }
        Kind::Regex => {
            let (context, value) = context(criterion, scope)?;
            let text = expression::as_text(&value);
            Ok(Verdict {
                met: regex(&criterion.condition)?.is_match(&text),
                seen: format!("`{context}` is {}", excerpt(&value)),
            })
        }
        Kind::JsonPath => {
            let (context, value) = context(criterion, scope)?;
            let nodes = jsonpath(&criterion.condition)?.query(&value).len();
            Ok(Verdict {
                met: nodes > 0,
                seen: format!(
                    "the query selects {nodes} node{} of `{context}`",
                    if nodes == 1 { "" } else { "s" }
                ),
            })
        }
    }
}

enum Kind {
    Simple,
    Regex,
    JsonPath,
}

fn kind(criterion: &Criterion) -> Result<Kind, String> {
    let name = criterion.kind.as_ref().map_or("simple", |k| k.name());
    let kind = match name {
        "simple" => Kind::Simple,
        "regex" => Kind::Regex,
        "jsonpath" => Kind::JsonPath,
        "xpath" => return Err("`xpath` conditions are not supported (JSON only)".to_owned()),
        other => {
            return Err(format!(
                "`type: {other}` is not simple, regex, jsonpath or xpath"
            ));
        }
    };
    if !matches!(kind, Kind::Simple) && criterion.context.is_none() {
        return Err(format!("a `{name}` condition needs a `context`"));
    }
    Ok(kind)
}

fn context(criterion: &Criterion, scope: &Scope<'_>) -> Result<(String, Value), String> {
    let context = criterion.context.clone().unwrap_or_default();
    let value = expression::evaluate(&context, scope).map_err(|e| e.to_string())?;
    Ok((context, value))
}

fn regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE)
        .dfa_size_limit(REGEX_SIZE)
        .build()
        .map_err(|e| format!("not a regex this runner takes: {e}"))
}

/// An RFC 9535 query with at most one descendant segment (`..`): with one,
/// a query's work grows with the body (at most `--max-body`); a second
/// inside a filter makes it grow with the body's square.
fn jsonpath(query: &str) -> Result<serde_json_path::JsonPath, String> {
    if query.matches("..").count() > 1 {
        return Err(
            "a JSONPath with more than one descendant segment (`..`): its work would grow with the square of the body".to_owned(),
        );
    }
    serde_json_path::JsonPath::parse(query).map_err(|e| format!("not an RFC 9535 JSONPath: {e}"))
}
