//! Response keys: `200`, `2XX`, `default`, and which answers each covers.

use std::fmt;

/// A key of `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKey {
    Code(u16),
    /// `4XX` as 4.
    Range(u16),
    Default,
}

impl StatusKey {
    /// A code from 100 to 599, a class `1XX` to `5XX` (or `5xx`), or
    /// `default`; anything else is no status.
    pub fn parse(text: &str) -> Option<Self> {
        if text == "default" {
            return Some(StatusKey::Default);
        }
        if let Some(class) = text.strip_suffix("XX").or_else(|| text.strip_suffix("xx")) {
            return class
                .parse()
                .ok()
                .filter(|c| (1..=5).contains(c))
                .map(StatusKey::Range);
        }
        text.parse()
            .ok()
            .filter(|c| (100..=599).contains(c))
            .map(StatusKey::Code)
    }

    /// Whether `status` is what this key declares (`default` matches anything).
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusKey::Code(code) => code == status,
            StatusKey::Range(class) => status / 100 == class,
            StatusKey::Default => true,
        }
    }

    pub fn is_success(self) -> bool {
        match self {
            StatusKey::Code(code) => (200..300).contains(&code),
            StatusKey::Range(class) => class == 2,
            StatusKey::Default => false,
        }
    }

    /// A 4xx or 5xx code or class (`default` is not).
    pub fn is_error(self) -> bool {
        match self {
            StatusKey::Code(code) => (400..600).contains(&code),
            StatusKey::Range(class) => matches!(class, 4 | 5),
            StatusKey::Default => false,
        }
    }
}

impl fmt::Display for StatusKey {
    /// `200`, `4XX`, `default`, as the document writes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusKey::Code(code) => write!(f, "{code}"),
            StatusKey::Range(class) => write!(f, "{class}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_as_the_document_writes_them_and_nothing_else() {
        assert_eq!(StatusKey::parse("200"), Some(StatusKey::Code(200)));
        assert_eq!(StatusKey::parse("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("5xx"), Some(StatusKey::Range(5)));
        assert_eq!(StatusKey::parse("default"), Some(StatusKey::Default));
        for text in ["600", "99", "6XX", "0XX", "2X", "ok", ""] {
            assert_eq!(StatusKey::parse(text), None, "{text}");
        }
        assert_eq!(StatusKey::Range(4).to_string(), "4XX");
    }
}
