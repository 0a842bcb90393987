//! JSON pointers (RFC 6901) naming places in the spec for diagnostics.

use std::fmt;

/// A JSON pointer built one segment at a time while walking the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root (`""`).
    pub fn root() -> Self {
        Self::default()
    }

    /// This pointer extended by one segment, escaped as RFC 6901 requires.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let escaped = segment.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{escaped}", self.0))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}
