//! Rust identifiers as the model keeps them: always valid and ASCII, and
//! raw (`r#type`) exactly when they are a keyword that can be raw, so no
//! emitter strips or adds `r#` by hand.

use std::fmt;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// Keywords that can be raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers, nor identifiers at all.
pub const PLAIN_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// A valid ASCII Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RustIdent {
    /// The name without `r#`.
    bare: String,
    /// Whether it is written `r#bare` (a keyword such as `type`).
    raw: bool,
}

impl RustIdent {
    /// `name` (bare, without `r#`) as an identifier, raw when it is a
    /// keyword; `None` when it is no identifier (empty, not ASCII, starting
    /// with a digit, or a keyword that cannot be raw such as `self`).
    pub fn new(name: &str) -> Option<Self> {
        let mut chars = name.chars();
        let starts_well = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let valid = starts_well
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !PLAIN_KEYWORDS.contains(&name);
        valid.then(|| Self {
            bare: name.to_owned(),
            raw: RAW_KEYWORDS.contains(&name),
        })
    }

    /// The name without `r#` (`type`), as in composed names
    /// (`decode_type`) and in text.
    pub fn bare(&self) -> &str {
        &self.bare
    }
}

/// The name as written in code (`r#type`).
impl fmt::Display for RustIdent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.bare)
    }
}

/// Compares the written name (`r#type`), as tests spell it.
#[cfg(test)]
impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        match other.strip_prefix("r#") {
            Some(bare) => self.raw && self.bare == bare,
            None => !self.raw && self.bare == *other,
        }
    }
}

impl ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(if self.raw {
            syn::Ident::new_raw(&self.bare, Span::call_site())
        } else {
            syn::Ident::new(&self.bare, Span::call_site())
        });
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn keywords_are_raw_and_keep_their_bare_text() {
        let ty = RustIdent::new("type").expect("an identifier");
        assert_eq!(ty.bare(), "type");
        assert_eq!(ty, "r#type");
        assert_eq!(ty.to_string(), "r#type");
        assert_eq!(quote! { #ty }.to_string(), "r#type");
        let plain = RustIdent::new("close_job").expect("an identifier");
        assert_eq!(plain.bare(), "close_job");
        assert_eq!(plain.to_string(), "close_job");
        assert_eq!(quote! { #plain }.to_string(), "close_job");
    }

    #[test]
    fn what_is_no_identifier_is_refused() {
        for name in [
            "", "self", "Self", "_", "2fa", "r#type", "a-b", "名前", "a b",
        ] {
            assert_eq!(RustIdent::new(name), None, "{name}");
        }
        assert!(RustIdent::new("_2fa").is_some());
    }
}
