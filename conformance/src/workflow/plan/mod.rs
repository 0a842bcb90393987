//! A loaded Arazzo document checked whole before any request: every step's
//! target found, every `goto`, `dependsOn` and `$components` reference
//! resolved, every criterion compiled, every retry within the caps, every
//! inputs schema compiled. What cannot run is refused here, naming the
//! place; what passes cannot fail for a reason the document alone decides.

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::{
    Arazzo, DocumentError, FailureAction, Parameter, Reusable, SuccessAction, Workflow,
};
mod check;

use super::sources::{self, OperationRef, Source};

/// The most attempts one step gets through `retry` (the first included).
pub const MAX_ATTEMPTS: u64 = 100;
/// The longest one step may wait between its attempts, in all (seconds):
/// `retryAfter × retryLimit` above it is refused.
pub const MAX_WAIT: f64 = 300.0;

/// A document that can run.
pub struct Plan {
    pub arazzo: Arazzo,
    pub sources: Vec<Source>,
    /// By workflow index, what each step calls.
    pub targets: Vec<Vec<Target>>,
    /// By workflow index, its inputs schema (`$ref`s to
    /// `components.inputs` followed) and its validator.
    pub inputs: Vec<Option<(Value, jsonschema::Validator)>>,
}

/// What a step calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Operation(OperationRef),
    /// A workflow of this document, by index.
    Workflow(usize),
}

impl Plan {
    /// Loads the sources and checks the document.
    pub fn new(arazzo: Arazzo) -> Result<Plan, DocumentError> {
        let sources = sources::load(&arazzo)?;
        let mut plan = Plan {
            arazzo,
            sources,
            targets: Vec::new(),
            inputs: Vec::new(),
        };
        plan.check()
            .map_err(|(pointer, message)| plan.arazzo.invalid(&pointer, message))?;
        Ok(plan)
    }

    pub fn workflows(&self) -> &[Workflow] {
        &self.arazzo.document.workflows
    }

    pub fn workflow_index(&self, id: &str) -> Option<usize> {
        self.workflows().iter().position(|w| w.workflow_id == id)
    }

    /// The workflows to run, each after those it depends on: all of them,
    /// or those of `only` this document has, and what they depend on.
    pub fn order(&self, only: &[String]) -> Vec<usize> {
        let roots = (0..self.workflows().len())
            .filter(|&i| only.is_empty() || only.contains(&self.workflows()[i].workflow_id));
        let mut order = Vec::new();
        for root in roots {
            self.visit(root, &mut order);
        }
        order
    }

    fn visit(&self, index: usize, order: &mut Vec<usize>) {
        if order.contains(&index) {
            return;
        }
        // Cycles were refused by `check`.
        for dependency in &self.workflows()[index].depends_on {
            if let Some(dependency) = self.workflow_index(dependency) {
                self.visit(dependency, order);
            }
        }
        order.push(index);
    }

    /// A parameter, with a Reusable Object's `value` applied.
    pub fn parameter(&self, parameter: &Reusable<Parameter>) -> Option<Parameter> {
        match parameter {
            Reusable::Item(item) => Some(item.clone()),
            Reusable::Reference { reference, value } => {
                let mut found = self
                    .arazzo
                    .document
                    .components
                    .parameters
                    .get(component(reference, "parameters")?)?
                    .clone();
                if let Some(value) = value {
                    found.value = value.clone();
                }
                Some(found)
            }
        }
    }

    pub fn success_action<'a>(
        &'a self,
        action: &'a Reusable<SuccessAction>,
    ) -> Option<&'a SuccessAction> {
        let components = &self.arazzo.document.components.success_actions;
        reused(action, components, "successActions")
    }

    pub fn failure_action<'a>(
        &'a self,
        action: &'a Reusable<FailureAction>,
    ) -> Option<&'a FailureAction> {
        let components = &self.arazzo.document.components.failure_actions;
        reused(action, components, "failureActions")
    }
}

/// `item` itself, or the component of `kind` its reference names.
fn reused<'a, T>(
    item: &'a Reusable<T>,
    components: &'a BTreeMap<String, T>,
    kind: &str,
) -> Option<&'a T> {
    match item {
        Reusable::Item(item) => Some(item),
        Reusable::Reference { reference, .. } => components.get(component(reference, kind)?),
    }
}

/// `$components.<kind>.<name>` → `name`.
fn component<'a>(reference: &'a str, kind: &str) -> Option<&'a str> {
    reference
        .strip_prefix("$components.")?
        .strip_prefix(kind)?
        .strip_prefix('.')
}
