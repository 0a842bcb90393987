//! JSON pointers (RFC 6901): built while walking the document, followed by
//! the resolver, and shown in every diagnostic.

use std::fmt;

/// Characters a JSON pointer may hold that a URI fragment may not (RFC 3986).
const NOT_IN_FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A JSON pointer, kept escaped (`~0`, `~1`) as the document's `$ref`s and
/// `serde_json::Value::pointer` write it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root (`""`).
    pub fn root() -> Self {
        Self::default()
    }

    /// A pointer from its escaped text (`/components/schemas/a~1b`), as a
    /// decoded `$ref` fragment or a pointer already built holds it.
    pub fn from_escaped(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// This pointer extended by one segment, escaped as RFC 6901 requires.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        Self(join(&self.0, segment))
    }

    /// The escaped text, `""` for the root (what `Value::pointer` takes).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `$ref` that names this place in its own document: `#` and the
    /// pointer, percent-encoded where a URI fragment needs it.
    pub fn to_fragment(&self) -> String {
        format!(
            "#{}",
            percent_encoding::utf8_percent_encode(&self.0, NOT_IN_FRAGMENT)
        )
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The segments, unescaped: `/a~1b/c` is `a/b`, `c`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }
}

/// `base` (an escaped pointer) extended by one segment, escaped.
pub fn join(base: &str, segment: impl fmt::Display) -> String {
    let escaped = segment.to_string().replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

/// A pointer as diagnostics show it: the root reads better as `/` than as
/// nothing.
pub fn display(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(display(&self.0))
    }
}
