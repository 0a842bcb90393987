//! The simple condition language: literals, comparisons, `!` `&&` `||`,
//! parentheses and runtime expressions, parsed and evaluated.

use std::cmp::Ordering;

use serde_json::Value;

use super::super::expression::{self, Scope, excerpt};

/// How deep `(` and `!` may nest in a simple condition.
const MAX_DEPTH: usize = 64;

/// A simple condition, parsed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ast {
    Literal(Value),
    Expression(String),
    Not(Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Compare(Box<Ast>, Op, Box<Ast>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
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

pub(super) fn parse(text: &str) -> Result<Ast, String> {
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
    pub(super) fn eval(&self, scope: &Scope<'_>, seen: &mut Vec<String>) -> Result<Value, String> {
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
