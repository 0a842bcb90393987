//! Path parameters as URL path segments.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Error;

/// Everything but RFC 3986's unreserved characters is escaped, so an id
/// holding `/`, `?`, `#`, `%` or a space stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes `value` as one path segment; `name` is the parameter's name in
/// the spec, used in the error.
///
/// Empty values and the dot segments `.` and `..` are refused: URL
/// normalisation would silently send them to another resource.
pub fn path_segment<E>(name: &'static str, value: &str) -> Result<String, Error<E>> {
    let reason = match value {
        "" => "a path parameter must not be empty",
        "." | ".." => "a path parameter cannot be `.` or `..`",
        _ => return Ok(utf8_percent_encode(value, SEGMENT).to_string()),
    };
    Err(Error::InvalidArgument {
        name,
        reason: reason.to_owned(),
    })
}
