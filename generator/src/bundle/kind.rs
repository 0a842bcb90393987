//! What a referenced value is (a schema, a parameter, a response, ...),
//! so its copy goes in the section of the document that holds its kind;
//! and which members hold data, not document, so their `$ref` keys are
//! left alone.

use super::files::Format;

/// The kinds of shared things a document has a section for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Schema,
    Parameter,
    Response,
    Example,
    RequestBody,
    Header,
    /// Any other `components` section (`securitySchemes`, `links`, ...).
    Component(String),
}

impl Kind {
    /// The kind a pointer names by its place: `/definitions/X`,
    /// `/parameters/X`, `/responses/X` (Swagger 2.0) and
    /// `/components/<section>/X` (OpenAPI 3); `None` elsewhere (a whole
    /// file, or a place inside a definition).
    pub fn of_entry(segments: &[String]) -> Option<Self> {
        match segments {
            [section, _] => match section.as_str() {
                "definitions" => Some(Kind::Schema),
                "parameters" => Some(Kind::Parameter),
                "responses" => Some(Kind::Response),
                _ => None,
            },
            [components, section, _] if components == "components" => {
                Some(match section.as_str() {
                    "schemas" => Kind::Schema,
                    "parameters" => Kind::Parameter,
                    "responses" => Kind::Response,
                    "examples" => Kind::Example,
                    "requestBodies" => Kind::RequestBody,
                    "headers" => Kind::Header,
                    other => Kind::Component(other.to_owned()),
                })
            }
            _ => None,
        }
    }

    /// The kind a `$ref` written at `segments` must lead to, read from
    /// where it stands: anything under a schema keyword is a schema; an
    /// entry of `parameters`, `responses`, `examples` or `headers`, or a
    /// `requestBody`, is one of those; a component entry its section's.
    pub fn of_place(segments: &[String]) -> Self {
        if let Some(kind) = Self::of_entry(segments) {
            return kind;
        }
        let in_schema = segments.iter().enumerate().any(|(i, s)| {
            SCHEMA_KEYWORDS.contains(&s.as_str())
                || (i == 0 && s == "definitions")
                || (i == 1 && s == "schemas" && segments[0] == "components")
        });
        if in_schema {
            return Kind::Schema;
        }
        let parent = segments.len().checked_sub(2).map(|i| segments[i].as_str());
        match (parent, segments.last().map(String::as_str)) {
            (_, Some("requestBody")) => Kind::RequestBody,
            (Some("parameters"), _) => Kind::Parameter,
            (Some("responses"), _) => Kind::Response,
            (Some("examples"), _) => Kind::Example,
            (Some("headers"), _) => Kind::Header,
            _ => Kind::Schema,
        }
    }

    /// Where a document of `format` keeps things of this kind; `None` for
    /// kinds Swagger 2.0 cannot share.
    pub fn section(&self, format: Format) -> Option<Vec<&str>> {
        let name = match (format, self) {
            (Format::Swagger, Kind::Schema) => return Some(vec!["definitions"]),
            (Format::Swagger, Kind::Parameter) => return Some(vec!["parameters"]),
            (Format::Swagger, Kind::Response) => return Some(vec!["responses"]),
            (Format::Swagger, _) => return None,
            (Format::OpenApi, Kind::Schema) => "schemas",
            (Format::OpenApi, Kind::Parameter) => "parameters",
            (Format::OpenApi, Kind::Response) => "responses",
            (Format::OpenApi, Kind::Example) => "examples",
            (Format::OpenApi, Kind::RequestBody) => "requestBodies",
            (Format::OpenApi, Kind::Header) => "headers",
            (Format::OpenApi, Kind::Component(section)) => section,
        };
        Some(vec!["components", name])
    }

    pub fn describe(&self) -> &str {
        match self {
            Kind::Schema => "a schema",
            Kind::Parameter => "a parameter",
            Kind::Response => "a response",
            Kind::Example => "an example",
            Kind::RequestBody => "a request body",
            Kind::Header => "a header",
            Kind::Component(section) => section,
        }
    }
}

/// Keywords whose values are schemas (or maps and lists of them).
const SCHEMA_KEYWORDS: [&str; 8] = [
    "schema",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "additionalProperties",
];

/// Maps whose keys are names the spec chose, so a key there is never a
/// keyword (a property may be called `default`).
const NAME_MAPS: [&str; 11] = [
    "properties",
    "definitions",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "examples",
    "requestBodies",
    "paths",
    "x-ms-paths",
    "securitySchemes",
];

/// Whether the member `key` of an object found under `parent` (and that
/// under `grandparent`) holds data: example and default values, enums,
/// Azure's example files (read by the tester, not loaded here), and in
/// Swagger 2.0 a response's `examples`.
pub fn holds_data(
    key: &str,
    parent: Option<&str>,
    grandparent: Option<&str>,
    format: Format,
) -> bool {
    if parent.is_some_and(|p| NAME_MAPS.contains(&p)) {
        return false;
    }
    match key {
        "example" | "default" | "enum" | "const" | "x-ms-examples" => true,
        "examples" => format == Format::Swagger,
        // An OpenAPI 3 example object's value.
        "value" => grandparent == Some("examples"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(pointer: &str) -> Kind {
        let segments: Vec<String> = pointer.split('/').skip(1).map(str::to_owned).collect();
        Kind::of_place(&segments)
    }

    #[test]
    fn a_place_says_what_its_reference_leads_to() {
        assert_eq!(place("/paths/~1a/get/parameters/0"), Kind::Parameter);
        assert_eq!(place("/paths/~1a/parameters/1"), Kind::Parameter);
        assert_eq!(
            place("/x-ms-parameterized-host/parameters/0"),
            Kind::Parameter
        );
        assert_eq!(place("/paths/~1a/get/responses/200"), Kind::Response);
        assert_eq!(place("/paths/~1a/get/responses/200/schema"), Kind::Schema);
        assert_eq!(place("/paths/~1a/get/parameters/0/schema"), Kind::Schema);
        assert_eq!(place("/paths/~1a/get/requestBody"), Kind::RequestBody);
        assert_eq!(
            place("/paths/~1a/get/responses/200/headers/ETag"),
            Kind::Header
        );
        assert_eq!(
            place("/paths/~1a/get/responses/200/content/application~1json/examples/one"),
            Kind::Example
        );
        assert_eq!(
            place("/definitions/A/properties/parameters/items"),
            Kind::Schema
        );
        assert_eq!(
            place("/components/schemas/A/properties/responses"),
            Kind::Schema
        );
        assert_eq!(
            place("/components/securitySchemes/key"),
            Kind::Component("securitySchemes".into())
        );
        assert_eq!(place(""), Kind::Schema);
    }

    #[test]
    fn data_members_are_told_from_names() {
        assert!(holds_data(
            "example",
            Some("A"),
            Some("definitions"),
            Format::Swagger
        ));
        assert!(holds_data(
            "x-ms-examples",
            Some("get"),
            Some("~1a"),
            Format::Swagger
        ));
        assert!(!holds_data(
            "default",
            Some("properties"),
            Some("A"),
            Format::Swagger
        ));
        assert!(holds_data(
            "examples",
            Some("200"),
            Some("responses"),
            Format::Swagger
        ));
        assert!(!holds_data(
            "examples",
            Some("200"),
            Some("responses"),
            Format::OpenApi
        ));
        assert!(holds_data(
            "value",
            Some("one"),
            Some("examples"),
            Format::OpenApi
        ));
        assert!(!holds_data(
            "value",
            Some("properties"),
            Some("examples"),
            Format::OpenApi
        ));
    }
}
