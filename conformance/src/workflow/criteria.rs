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

use std::cmp::Ordering;

use serde_json::Value;

use super::document::Criterion;
use super::expression::{self, Scope, excerpt};

/// The longest condition read (characters).
pub const MAX_CONDITION: usize = 4096;
/// How deep `(` and `!` may nest in a simple condition.
const MAX_DEPTH: usize = 64;
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
        Kind::Simple => parse(&criterion.condition).map(|_| ()),
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
            let ast = parse(&criterion.condition)?;
            let mut seen = Vec::new();
            let value = ast.eval(scope, &mut seen)?;
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

/// A simple condition, parsed.
#[derive(Debug, Clone, PartialEq)]
enum Ast {
    Literal(Value),
    Expression(String),
    Not(Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Compare(Box<Ast>, Op, Box<Ast>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(Value),
    Expression(String),
    Op(Op),
    Not,
    And,
    Or,
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        let rest = &text[at..];
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let fixed = [
            ("==", Token::Op(Op::Eq)),
            ("!=", Token::Op(Op::Ne)),
            ("<=", Token::Op(Op::Le)),
            (">=", Token::Op(Op::Ge)),
            ("&&", Token::And),
            ("||", Token::Or),
            ("<", Token::Op(Op::Lt)),
            (">", Token::Op(Op::Gt)),
            ("!", Token::Not),
            ("(", Token::Open),
            (")", Token::Close),
        ];
        if let Some((symbol, token)) = fixed.into_iter().find(|(s, _)| rest.starts_with(s)) {
            out.push(token);
            for _ in 0..symbol.len() {
                chars.next();
            }
            continue;
        }
        if c == '\'' {
            chars.next();
            let mut string = String::new();
            loop {
                match chars.next() {
                    Some((_, '\'')) if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                        chars.next();
                        string.push('\'');
                    }
                    Some((_, '\'')) => break,
                    Some((_, other)) => string.push(other),
                    None => {
                        return Err(format!(
                            "a string opened at character {} is not closed",
                            at + 1
                        ));
                    }
                }
            }
            out.push(Token::Literal(Value::String(string)));
            continue;
        }
        let end = if c == '$' {
            expression_end(rest)
        } else {
            rest.find(|c: char| c.is_whitespace() || "=!<>&|()".contains(c))
                .unwrap_or(rest.len())
        };
        let word = &rest[..end.max(c.len_utf8())];
        let token = match word {
            "true" => Token::Literal(Value::Bool(true)),
            "false" => Token::Literal(Value::Bool(false)),
            "null" => Token::Literal(Value::Null),
            _ if c == '$' => Token::Expression(word.to_owned()),
            _ => match serde_json::from_str::<serde_json::Number>(word) {
                Ok(number) => Token::Literal(Value::Number(number)),
                Err(_) => {
                    return Err(format!(
                        "`{word}` at character {} is not a literal, operator or runtime expression",
                        at + 1
                    ));
                }
            },
        };
        out.push(token);
        for _ in word.chars() {
            chars.next();
        }
    }
    Ok(out)
}

/// Where a runtime expression at the start of `text` ends: at a space, a
/// comparison, a parenthesis, `!=`, `&&` or `||`. A lone `!`, `&` or `|`
/// stays in it (header names and pointers may hold them).
fn expression_end(text: &str) -> usize {
    text.char_indices()
        .find(|&(at, c)| {
            c.is_whitespace()
                || "=<>()".contains(c)
                || ["!=", "&&", "||"]
                    .iter()
                    .any(|op| text[at..].starts_with(op))
        })
        .map_or(text.len(), |(at, _)| at)
}

fn parse(text: &str) -> Result<Ast, String> {
    let tokens = tokens(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let ast = parser.or(0)?;
    match parser.tokens.get(parser.at) {
        None => Ok(ast),
        Some(token) => Err(format!("unexpected {token:?} after a complete condition")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next_is(&mut self, token: &Token) -> bool {
        if self.tokens.get(self.at) == Some(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self, depth: usize) -> Result<Ast, String> {
        let mut left = self.and(depth)?;
        while self.next_is(&Token::Or) {
            left = Ast::Or(Box::new(left), Box::new(self.and(depth)?));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Ast, String> {
        let mut left = self.comparison(depth)?;
        while self.next_is(&Token::And) {
            left = Ast::And(Box::new(left), Box::new(self.comparison(depth)?));
        }
        Ok(left)
    }

    fn comparison(&mut self, depth: usize) -> Result<Ast, String> {
        let left = self.unary(depth)?;
        if let Some(Token::Op(op)) = self.tokens.get(self.at).cloned() {
            self.at += 1;
            let right = self.unary(depth)?;
            return Ok(Ast::Compare(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Ast, String> {
        if depth > MAX_DEPTH {
            return Err(format!("`(` and `!` nested more than {MAX_DEPTH} deep"));
        }
        if self.next_is(&Token::Not) {
            return Ok(Ast::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.next_is(&Token::Open) {
            let inner = self.or(depth + 1)?;
            if !self.next_is(&Token::Close) {
                return Err("a `(` without its `)`".to_owned());
            }
            return Ok(inner);
        }
        match self.tokens.get(self.at).cloned() {
            Some(Token::Literal(value)) => {
                self.at += 1;
                Ok(Ast::Literal(value))
            }
            Some(Token::Expression(text)) => {
                self.at += 1;
                Ok(Ast::Expression(text))
            }
            Some(other) => Err(format!("expected a value, found {other:?}")),
            None => Err("the condition ends where a value should be".to_owned()),
        }
    }
}

impl Ast {
    fn eval(&self, scope: &Scope<'_>, seen: &mut Vec<String>) -> Result<Value, String> {
        Ok(match self {
            Ast::Literal(value) => value.clone(),
            Ast::Expression(text) => {
                let value = expression::evaluate(text, scope).map_err(|e| e.to_string())?;
                let said = format!("`{text}` is {}", excerpt(&value));
                if !seen.contains(&said) {
                    seen.push(said);
                }
                value
            }
            Ast::Not(inner) => Value::Bool(!truth(&inner.eval(scope, seen)?)?),
            Ast::And(left, right) => {
                Value::Bool(truth(&left.eval(scope, seen)?)? && truth(&right.eval(scope, seen)?)?)
            }
            Ast::Or(left, right) => {
                Value::Bool(truth(&left.eval(scope, seen)?)? || truth(&right.eval(scope, seen)?)?)
            }
            Ast::Compare(left, op, right) => {
                let (left, right) = (left.eval(scope, seen)?, right.eval(scope, seen)?);
                let order = compare(&left, &right);
                Value::Bool(match op {
                    Op::Eq => order == Some(Ordering::Equal),
                    Op::Ne => order != Some(Ordering::Equal),
                    Op::Lt => order == Some(Ordering::Less),
                    Op::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
                    Op::Gt => order == Some(Ordering::Greater),
                    Op::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
                })
            }
        })
    }
}

fn truth(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("{} is not true or false", excerpt(value)))
}

/// Loose comparison: numbers by value (a string holding a number, as
/// headers do, counts as that number); strings case-insensitively;
/// `true`, `false` and `null` only equal themselves; arrays and objects
/// equal when their JSON is. `None`: no order between the two.
fn compare(left: &Value, right: &Value) -> Option<Ordering> {
    let number = |value: &Value| match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (left, right) {
        (Value::String(a), Value::String(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        (Value::Number(_), _) | (_, Value::Number(_)) => number(left)?.partial_cmp(&number(right)?),
        _ => (left == right).then_some(Ordering::Equal),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Map, json};

    use super::super::document::CriterionType;
    use super::super::expression::{Components, Exchange};
    use super::*;

    fn criterion(condition: &str, kind: Option<&str>, context: Option<&str>) -> Criterion {
        serde_json::from_value(json!({
            "condition": condition,
            "type": kind,
            "context": context,
        }))
        .map(|mut c: Criterion| {
            if kind.is_none() {
                c.kind = None;
            }
            c
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn run(criterion: &Criterion) -> Result<Verdict, String> {
        let exchange = Exchange {
            status: Some(200),
            response_headers: vec![("Content-Length".to_owned(), "42".to_owned())],
            response_body: Some(json!({
                "status": "Closed",
                "pets": [{"name": "Rex"}],
                "owner": {"pets": ["Rex"]},
                "count": 3,
                "note": "it''s",
                "done": true,
            })),
            ..Exchange::default()
        };
        let inputs = Map::new();
        let steps = BTreeMap::new();
        let sources = BTreeMap::new();
        let components = Components::default();
        let scope = Scope {
            inputs: &inputs,
            outputs: &inputs,
            steps: &steps,
            workflows: &steps,
            sources: &sources,
            components: &components,
            exchange: Some(&exchange),
        };
        evaluate(criterion, &scope)
    }

    fn simple(condition: &str) -> Result<Verdict, String> {
        run(&criterion(condition, None, None))
    }

    /// Arazzo 1.0.1's examples. Its JSONPath one runs by RFC 9535: the
    /// filter selects the root's children that have `pets` (here `owner`).
    #[test]
    fn the_spec_examples_hold() {
        assert_eq!(
            simple("$statusCode == 200"),
            Ok(Verdict {
                met: true,
                seen: "`$statusCode` is 200".to_owned()
            })
        );
        assert_eq!(
            run(&criterion("^200$", Some("regex"), Some("$statusCode"))),
            Ok(Verdict {
                met: true,
                seen: "`$statusCode` is 200".to_owned()
            })
        );
        assert_eq!(
            run(&criterion(
                "$[?count(@.pets) > 0]",
                Some("jsonpath"),
                Some("$response.body")
            )),
            Ok(Verdict {
                met: true,
                seen: "the query selects 1 node of `$response.body`".to_owned()
            })
        );
    }

    #[test]
    fn operators_literals_and_loose_comparisons() {
        let met = |condition: &str| simple(condition).map(|v| v.met);
        for condition in [
            "$response.body#/status == 'closed'",
            "$response.body#/status != 'completed'",
            "$response.header.Content-Length > 40",
            "$response.header.Content-Length == 42",
            "$response.body#/count >= 3 && $response.body#/count < 4.5",
            "$statusCode == 404 || $statusCode == 200",
            "!($statusCode == 404)",
            "$response.body#/done",
            "$response.body#/done == true",
            "'it''s' == 'IT''S'",
            "1e2 == 100",
            "-1 < 0",
            "$response.body.pets[0].name == 'rex'",
        ] {
            assert_eq!(met(condition), Ok(true), "{condition}");
        }
        for condition in [
            "$statusCode == '201'",
            "$statusCode < 200",
            "null == false",
            "$response.body#/pets == 'Rex'",
            "true && false",
        ] {
            assert_eq!(met(condition), Ok(false), "{condition}");
        }
    }

    #[test]
    fn a_failing_condition_says_what_each_expression_was() {
        assert_eq!(
            simple("$statusCode == 200 && $response.body#/status == 'completed'"),
            Ok(Verdict {
                met: false,
                seen: "`$statusCode` is 200, `$response.body#/status` is \"Closed\"".to_owned()
            })
        );
        assert_eq!(
            simple("1 == 2"),
            Ok(Verdict {
                met: false,
                seen: "`1 == 2` is false".to_owned()
            })
        );
    }

    #[test]
    fn conditions_that_cannot_be_read_are_refused_with_why() {
        let refused = |condition: &str, kind: Option<&str>, context: Option<&str>| {
            check(&criterion(condition, kind, context)).err()
        };
        assert_eq!(
            refused("$statusCode == ", None, None).as_deref(),
            Some("the condition ends where a value should be")
        );
        assert_eq!(
            refused("'open", None, None).as_deref(),
            Some("a string opened at character 1 is not closed")
        );
        assert_eq!(
            refused("200 = 200", None, None).as_deref(),
            Some("`=` at character 5 is not a literal, operator or runtime expression")
        );
        assert_eq!(
            refused(
                &format!("{}true{}", "(".repeat(100), ")".repeat(100)),
                None,
                None
            )
            .as_deref(),
            Some("`(` and `!` nested more than 64 deep")
        );
        assert_eq!(
            refused(&"!".repeat(5000), None, None).as_deref(),
            Some("a condition of more than 4096 characters")
        );
        assert_eq!(
            refused("x", Some("regex"), None).as_deref(),
            Some("a `regex` condition needs a `context`")
        );
        assert_eq!(
            refused("//a", Some("xpath"), Some("$response.body")).as_deref(),
            Some("`xpath` conditions are not supported (JSON only)")
        );
        // A pattern whose compiled form passes the size limit.
        let huge = refused("(\\w{1000}){1000}", Some("regex"), Some("$statusCode"));
        assert!(
            huge.as_deref()
                .is_some_and(|m| m.starts_with("not a regex this runner takes: ")),
            "{huge:?}"
        );
        assert_eq!(
            refused("$..[?@..x]", Some("jsonpath"), Some("$response.body")).as_deref(),
            Some(
                "a JSONPath with more than one descendant segment (`..`): its work would grow with the square of the body"
            )
        );
        let bad_path = refused("$[?", Some("jsonpath"), Some("$response.body"));
        assert!(
            bad_path
                .as_deref()
                .is_some_and(|m| m.starts_with("not an RFC 9535 JSONPath: ")),
            "{bad_path:?}"
        );
    }

    #[test]
    fn the_expression_type_object_names_its_type() {
        let versioned: Criterion = serde_json::from_value(json!({
            "context": "$response.body",
            "condition": "$.pets[0]",
            "type": {"type": "jsonpath", "version": "draft-goessner-dispatch-jsonpath-00"}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            versioned.kind,
            Some(CriterionType::Versioned { .. })
        ));
        assert_eq!(run(&versioned).map(|v| v.met), Ok(true));
    }

    #[test]
    fn an_expression_that_resolves_to_nothing_is_an_error() {
        assert_eq!(
            simple("$response.body#/nope == 1"),
            Err("`$response.body#/nope`: nothing at `/nope` in {\"count\":3,\"done\":true,\"note\":\"it''s\",\"owner\":{\"pets\":[\"Rex\"]},\"pets\":[{\"name\":\"Rex\"}],\"status\":\"Closed\"}".to_owned())
        );
        assert_eq!(
            simple("$response.body#/count"),
            Err("the condition is 3, not true or false".to_owned())
        );
    }
}
