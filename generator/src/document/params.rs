//! Parameters: where one goes, and the path-level list merged with the
//! operation's own, one per name and location.

/// Where a parameter goes (`in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// `path`, `query`, `header` or `cookie`, as `in` writes it.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return None,
        })
    }

    /// As `in` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    pub fn of(parameter: &openapiv3::Parameter) -> Self {
        match parameter {
            openapiv3::Parameter::Path { .. } => Location::Path,
            openapiv3::Parameter::Query { .. } => Location::Query,
            openapiv3::Parameter::Header { .. } => Location::Header,
            openapiv3::Parameter::Cookie { .. } => Location::Cookie,
        }
    }
}

/// The parameters that apply to an operation, given the path item's then
/// the operation's own: a later one replaces an earlier one with the same
/// name and location (OpenAPI's override), and takes its place at the end.
pub fn merge<T>(
    parameters: impl IntoIterator<Item = T>,
    key: fn(&T) -> (&str, Location),
) -> Vec<T> {
    let mut merged: Vec<T> = Vec::new();
    for parameter in parameters {
        merged.retain(|p| key(p) != key(&parameter));
        merged.push(parameter);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_s_own_parameter_replaces_the_path_s_with_the_same_name_and_place() {
        let merged = merge(
            [
                ("id", Location::Path, "path item"),
                ("id", Location::Query, "path item"),
                ("q", Location::Query, "path item"),
                ("id", Location::Path, "operation"),
            ],
            |(name, location, _)| (name, *location),
        );
        assert_eq!(
            merged,
            [
                ("id", Location::Query, "path item"),
                ("q", Location::Query, "path item"),
                ("id", Location::Path, "operation"),
            ]
        );
    }
}
