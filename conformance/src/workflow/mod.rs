//! Arazzo 1.0.x workflows: the tester runs a workflow's steps against the
//! endpoint, each judged by the same checks as a case plus its own success
//! criteria, and reports each workflow as a suite of its steps.
//!
//! Read top to bottom: [`document`] loads the Arazzo file, [`sources`] the
//! OpenAPI documents it calls, [`plan`] checks the whole before any
//! request, [`inputs`] gives each workflow its inputs, [`execute`] runs the
//! workflows step by step (`step`: one step's attempts and where its
//! actions lead), [`request`] builds a step's request, [`expression`] and
//! [`criteria`] evaluate runtime expressions and conditions.
//!
//! **Run id.** A workflow that declares an input `runId` (in
//! `inputs.properties`) gets, unless `--input runId=...` gives one, the
//! run id: twelve hex digits derived from `--seed` ([`run_id`]), so ids
//! built from it (`job-{$inputs.runId}`) are the same for the same seed
//! and differ between seeds. On a shared live resource give each run its
//! own seed (`--seed $GITHUB_RUN_ID`) or its own `--input runId=...`.

pub mod criteria;
pub mod document;
pub mod execute;
pub mod expression;
pub mod inputs;
pub mod plan;
pub mod request;
pub mod sources;
mod step;

use std::path::Path;

use serde_json::Value;

pub use document::{Arazzo, DocumentError};
pub use plan::Plan;

use crate::report::WorkflowResult;
use crate::rules::Rules;

/// The run id workflows get as their `runId` input: the same for the same
/// seed.
pub fn run_id(seed: u64) -> String {
    crate::cases::run_id(seed)
}

/// The workflows of a run: the documents, which workflow to run, and the
/// inputs given.
#[derive(Default)]
pub struct Workflows {
    pub plans: Vec<Plan>,
    /// `--workflow-id` (and `--only workflow/<id>`): only these workflows
    /// (and those they depend on); empty: every workflow.
    pub only: Vec<String>,
    /// `--input NAME=VALUE`.
    pub inputs: Vec<(String, Value)>,
}

impl Workflows {
    /// Loads and checks the Arazzo file at `path` (`file`: how reports name it).
    pub fn load(path: &Path, file: &str) -> Result<Plan, DocumentError> {
        Plan::new(Arazzo::load(path, file)?)
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// Each plan with the workflows it runs, in order.
    fn selected(&self) -> Result<Vec<(&Plan, Vec<usize>)>, String> {
        if let Some(id) = self
            .only
            .iter()
            .find(|id| !self.plans.iter().any(|p| p.workflow_index(id).is_some()))
        {
            let files: Vec<&str> = self.plans.iter().map(|p| p.arazzo.file.as_str()).collect();
            return Err(format!(
                "no workflow `{id}` (--workflow-id, --only) in {}",
                files.join(", ")
            ));
        }
        let mut selected = Vec::new();
        for plan in &self.plans {
            let order = plan.order(&self.only);
            if !order.is_empty() {
                selected.push((plan, order));
            }
        }
        Ok(selected)
    }

    /// Refuses, before anything is sent, an `--input` no workflow to run
    /// declares, and inputs a workflow's schema refuses.
    pub fn check(&self, seed: u64) -> Result<(), String> {
        let selected = self.selected()?;
        for (name, _) in &self.inputs {
            if !selected
                .iter()
                .any(|(plan, order)| inputs::declares_input(plan, order, name))
            {
                return Err(format!(
                    "--input {name}: no workflow to run declares an input `{name}` (in `inputs.properties`)"
                ));
            }
        }
        for (plan, order) in &selected {
            for &index in order {
                inputs::inputs(plan, index, &self.inputs, &run_id(seed))
                    .map_err(|e| format!("{}: {e}", plan.arazzo.file))?;
            }
        }
        Ok(())
    }

    /// The case names of every step to run, in order (for `--list`).
    pub fn step_names(&self) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        for (plan, order) in self.selected()? {
            for index in order {
                let workflow = &plan.workflows()[index];
                names.extend(
                    workflow
                        .steps
                        .iter()
                        .map(|s| execute::case_name(workflow, &s.step_id)),
                );
            }
        }
        Ok(names)
    }

    /// Runs the selected workflows against `target`.
    pub async fn run(
        &self,
        target: &crate::run::Target,
        rules: Rules,
        seed: u64,
    ) -> Result<Vec<WorkflowResult>, String> {
        let run_id = run_id(seed);
        let mut results = Vec::new();
        for (plan, order) in self.selected()? {
            let runner = execute::Runner {
                plan,
                target,
                rules,
                inputs: &self.inputs,
                run_id: &run_id,
            };
            results.extend(runner.run(&order).await?);
        }
        Ok(results)
    }

    /// The Arazzo files, as reports name them.
    pub fn files(&self) -> Vec<&str> {
        self.plans.iter().map(|p| p.arazzo.file.as_str()).collect()
    }
}
