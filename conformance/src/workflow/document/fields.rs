//! Fields Arazzo does not define: only `x-` extensions are allowed, and
//! the first other one is found with the pointer of the object holding it.

use std::collections::BTreeMap;

use super::*;
use crate::spec::join;

/// Objects that may carry fields Arazzo does not define.
trait Fields {
    /// The first field that is neither Arazzo's nor an `x-` extension,
    /// with the pointer of the object holding it (`at`).
    fn unknown(&self, at: &str) -> Option<(String, String)>;
}

fn first_unknown(extra: &Extra, at: &str) -> Option<(String, String)> {
    extra
        .keys()
        .find(|key| !key.starts_with("x-"))
        .map(|key| (at.to_owned(), key.clone()))
}

/// The first unknown field among `items`, each at `at/<index>`.
fn in_list<T: Fields>(items: &[T], at: &str) -> Option<(String, String)> {
    items
        .iter()
        .enumerate()
        .find_map(|(index, item)| item.unknown(&join(at, index)))
}

fn in_map<T: Fields>(items: &BTreeMap<String, T>, at: &str) -> Option<(String, String)> {
    items
        .iter()
        .find_map(|(name, item)| item.unknown(&join(at, name)))
}

impl<T: Fields> Fields for Reusable<T> {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        match self {
            Reusable::Item(item) => item.unknown(at),
            Reusable::Reference { .. } => None,
        }
    }
}

impl Fields for Parameter {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
    }
}

impl Fields for Criterion {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
    }
}

impl Fields for Replacement {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
    }
}

impl Fields for SourceDescription {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
    }
}

impl Fields for SuccessAction {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at).or_else(|| in_list(&self.criteria, &join(at, "criteria")))
    }
}

impl Fields for FailureAction {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at).or_else(|| in_list(&self.criteria, &join(at, "criteria")))
    }
}

impl Fields for Step {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
            .or_else(|| in_list(&self.parameters, &join(at, "parameters")))
            .or_else(|| {
                let body = self.request_body.as_ref()?;
                let at = join(at, "requestBody");
                first_unknown(&body.extra, &at)
                    .or_else(|| in_list(&body.replacements, &join(&at, "replacements")))
            })
            .or_else(|| in_list(&self.success_criteria, &join(at, "successCriteria")))
            .or_else(|| in_list(&self.on_success, &join(at, "onSuccess")))
            .or_else(|| in_list(&self.on_failure, &join(at, "onFailure")))
    }
}

impl Fields for Workflow {
    fn unknown(&self, at: &str) -> Option<(String, String)> {
        first_unknown(&self.extra, at)
            .or_else(|| in_list(&self.steps, &join(at, "steps")))
            .or_else(|| in_list(&self.parameters, &join(at, "parameters")))
            .or_else(|| in_list(&self.success_actions, &join(at, "successActions")))
            .or_else(|| in_list(&self.failure_actions, &join(at, "failureActions")))
    }
}

impl Document {
    /// The first field Arazzo does not define, and where.
    pub(super) fn unknown_field(&self) -> Option<(String, String)> {
        let components = &self.components;
        first_unknown(&self.extra, "")
            .or_else(|| first_unknown(&self.info.extra, "/info"))
            .or_else(|| in_list(&self.source_descriptions, "/sourceDescriptions"))
            .or_else(|| in_list(&self.workflows, "/workflows"))
            .or_else(|| first_unknown(&components.extra, "/components"))
            .or_else(|| in_map(&components.parameters, "/components/parameters"))
            .or_else(|| in_map(&components.success_actions, "/components/successActions"))
            .or_else(|| in_map(&components.failure_actions, "/components/failureActions"))
    }
}
