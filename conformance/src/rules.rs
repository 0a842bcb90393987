//! Where an expectation comes from, and how much each source counts.
//!
//! A finding is only as true as its source. `spec`: the document says so,
//! at a position the finding names. `azure`: Azure's REST API guidelines
//! say so, and the finding names the guideline. `inferred`: REST semantics
//! the tester assumes (an unknown id names no resource, a method the path
//! does not declare is refused), named with the RFC section they come from.
//! `--rules` says which sources apply and how much: `--rules spec` runs
//! only the document's own rules. `workflow`: an Arazzo workflow's own
//! success criteria, named with their place in the Arazzo file; they
//! always apply, and `--rules ...,workflow=warning` reports their failures
//! without failing the step (the workflow goes on as if they held).

use crate::report::{Finding, Severity};

/// Where an expectation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Spec,
    Azure,
    Inferred,
    /// A workflow's success criteria (the Arazzo file).
    Workflow,
}

impl Source {
    pub const ALL: [Source; 4] = [
        Source::Spec,
        Source::Azure,
        Source::Inferred,
        Source::Workflow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Spec => "spec",
            Source::Azure => "azure",
            Source::Inferred => "inferred",
            Source::Workflow => "workflow",
        }
    }
}

/// How much a source's findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Not checked, not reported.
    Off,
    /// Reported, never failing a case.
    Warning,
    /// As the check says (most findings fail their case).
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// The level of each source. The default applies every rule at full
/// strength, as the tester always has on Azure operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub spec: Level,
    pub azure: Level,
    pub inferred: Level,
    /// Never off: a workflow's criteria decide where it goes next.
    pub workflow: Level,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            spec: Level::Error,
            azure: Level::Error,
            inferred: Level::Error,
            workflow: Level::Error,
        }
    }
}

impl Rules {
    /// `spec`, `spec,azure`, `spec,azure=warning,inferred`: the sources
    /// that apply, each at full strength or capped at `warning`; a source
    /// not listed is off. The document's own rules always apply, so `spec`
    /// must be listed (and cannot be weakened); a workflow's criteria apply
    /// unless listed as `workflow=warning`.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules {
            spec: Level::Off,
            azure: Level::Off,
            inferred: Level::Off,
            workflow: Level::Error,
        };
        for item in text.split(',').map(str::trim) {
            let (name, level) = match item.split_once('=') {
                Some((name, "warning")) => (name.trim(), Level::Warning),
                Some((name, "error")) => (name.trim(), Level::Error),
                Some((_, other)) => {
                    return Err(format!(
                        "`{item}`: the level `{other}` is neither `error` nor `warning`"
                    ));
                }
                None => (item, Level::Error),
            };
            let source = Source::ALL
                .into_iter()
                .find(|s| s.as_str() == name)
                .ok_or_else(|| format!("`{name}` is not spec, azure, inferred or workflow"))?;
            *rules.level_mut(source) = level;
        }
        if rules.spec != Level::Error {
            return Err(
                "the document's own rules always apply: list `spec` (without a level)".to_owned(),
            );
        }
        Ok(rules)
    }

    pub fn level(self, source: Source) -> Level {
        match source {
            Source::Spec => self.spec,
            Source::Azure => self.azure,
            Source::Inferred => self.inferred,
            Source::Workflow => self.workflow,
        }
    }

    fn level_mut(&mut self, source: Source) -> &mut Level {
        match source {
            Source::Spec => &mut self.spec,
            Source::Azure => &mut self.azure,
            Source::Inferred => &mut self.inferred,
            Source::Workflow => &mut self.workflow,
        }
    }

    pub fn is_on(self, source: Source) -> bool {
        self.level(source) != Level::Off
    }

    /// These rules with the Azure guidelines off (`--no-azure`).
    pub fn without_azure(self) -> Rules {
        Rules {
            azure: Level::Off,
            ..self
        }
    }

    /// As `--rules` would be written: `spec,azure=warning`. Workflow
    /// criteria, always on, are named only when weakened.
    pub fn describe(self) -> String {
        Source::ALL
            .into_iter()
            .filter_map(|source| match self.level(source) {
                Level::Error if source == Source::Workflow => None,
                Level::Off => None,
                Level::Warning => Some(format!("{}=warning", source.as_str())),
                Level::Error => Some(source.as_str().to_owned()),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The finding as these rules have it: none when its source is off,
    /// a warning when its source is capped there.
    pub fn apply(self, mut finding: Finding) -> Option<Finding> {
        match self.level(finding.source) {
            Level::Off => None,
            Level::Warning => {
                finding.severity = Severity::Warning;
                Some(finding)
            }
            Level::Error => Some(finding),
        }
    }
}

/// A rule from outside the document: what it says and where it is written.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub source: Source,
    /// What the rule asks, in one sentence.
    pub name: &'static str,
    /// Where it is written.
    pub url: &'static str,
}

macro_rules! azure {
    ($name:expr, $anchor:literal) => {
        Rule {
            source: Source::Azure,
            name: $name,
            url: concat!(
                "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#",
                $anchor
            ),
        }
    };
}

pub const REQUEST_ID: Rule = azure!(
    "Azure REST API guidelines: DO return an opaque value identifying the request in `x-ms-request-id`",
    "http-header-request-id"
);
pub const ERROR_CODE_HEADER: Rule = azure!(
    "Azure REST API guidelines: DO return an `x-ms-error-code` response header on an error",
    "rest-error-code-header"
);
pub const ERROR_CODE_MATCHES_BODY: Rule = azure!(
    "Azure REST API guidelines: DO make the top-level error's `code` identical to `x-ms-error-code`",
    "rest-error-code-header-and-body-match"
);
pub const API_VERSION_MISSING: Rule = azure!(
    "Azure REST API guidelines: DO return 400 with code `MissingApiVersionParameter` when `api-version` is left out",
    "versioning-api-version-missing"
);
pub const API_VERSION_UNSUPPORTED: Rule = azure!(
    "Azure REST API guidelines: DO return 400 with code `UnsupportedApiVersionValue` for an `api-version` the service does not recognise",
    "versioning-api-version-unsupported"
);
pub const DELETE_MISSING: Rule = azure!(
    "Azure REST API guidelines: DO return 204 No Content for a DELETE, even of a resource that does not exist",
    "http-delete-returns-204"
);
pub const UPSERT_CREATES: Rule = azure!(
    "Azure REST API guidelines: PATCH or PUT of a resource that does not exist creates it (201 Created; 200 OK)",
    "rest-put-patch-status-codes"
);

pub const UNKNOWN_ID: Rule = Rule {
    source: Source::Inferred,
    name: "RFC 9110 §15.5.5: a request naming a resource that does not exist is refused (404 Not Found)",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
};
pub const UNDECLARED_METHOD: Rule = Rule {
    source: Source::Inferred,
    name: "RFC 9110 §15.5.6: a method the resource does not support is refused (405 Method Not Allowed, or 404)",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
};
pub const DELETE_IDEMPOTENT: Rule = Rule {
    source: Source::Inferred,
    name: "RFC 9110 §9.2.2: DELETE is idempotent, so deleting what is not there may succeed or be refused",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2",
};
pub const UPSERT_MAY_CREATE: Rule = Rule {
    source: Source::Inferred,
    name: "RFC 9110 §9.3.4 and RFC 5789 §2: PUT or PATCH of a resource that does not exist may create it or be refused",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-9.3.4",
};

/// Every rule from outside the document, for the documentation and tests.
pub const ALL: [&Rule; 11] = [
    &REQUEST_ID,
    &ERROR_CODE_HEADER,
    &ERROR_CODE_MATCHES_BODY,
    &API_VERSION_MISSING,
    &API_VERSION_UNSUPPORTED,
    &DELETE_MISSING,
    &UPSERT_CREATES,
    &UNKNOWN_ID,
    &UNDECLARED_METHOD,
    &DELETE_IDEMPOTENT,
    &UPSERT_MAY_CREATE,
];

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDELINES: &str =
        "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md";

    #[test]
    fn rules_parse_as_documented() {
        assert_eq!(Rules::parse("spec,azure,inferred"), Ok(Rules::default()));
        let only_spec = Rules::parse("spec").expect("spec alone");
        assert!(!only_spec.is_on(Source::Azure) && !only_spec.is_on(Source::Inferred));
        assert_eq!(only_spec.describe(), "spec");
        let capped = Rules::parse("spec, azure=warning").expect("capped azure");
        assert_eq!(capped.azure, Level::Warning);
        assert_eq!(capped.describe(), "spec,azure=warning");
        assert_eq!(only_spec.workflow, Level::Error);
        let advisory = Rules::parse("spec,workflow=warning").expect("advisory criteria");
        assert_eq!(advisory.workflow, Level::Warning);
        assert_eq!(advisory.describe(), "spec,workflow=warning");
        let must_list_spec = "the document's own rules always apply: list `spec` (without a level)";
        for (wrong, reason) in [
            ("azure", must_list_spec),
            ("spec=warning", must_list_spec),
            ("spec,rfc", "`rfc` is not spec, azure, inferred or workflow"),
            (
                "spec,azure=off",
                "`azure=off`: the level `off` is neither `error` nor `warning`",
            ),
        ] {
            assert_eq!(Rules::parse(wrong), Err(reason.to_owned()), "{wrong}");
        }
    }

    #[test]
    fn every_outside_rule_names_where_it_is_written() {
        for rule in ALL {
            assert_ne!(rule.source, Source::Spec, "{}", rule.name);
            assert!(rule.url.starts_with("https://"), "{}", rule.name);
            if rule.source == Source::Azure {
                assert!(rule.url.starts_with(GUIDELINES), "{}", rule.url);
            }
        }
    }
}
