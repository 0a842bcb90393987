//! Cases derived from the spec: each documented example replayed, and the
//! probes whose answer the spec implies (bad input must be refused, an
//! optional body may be left out...). Cases are plain values; nothing here
//! sends anything.

mod builder;
mod ids;
mod probes;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::report::{Basis, CaseKind};
use crate::rules::{Rule, Rules, Source};
use crate::spec::{Example, Operation, Spec};
use builder::Builder;
pub(crate) use builder::{fill_path, wire_text};
use ids::Ids;
pub(crate) use ids::run_id;

/// The api-version the Azure profile expects to be refused.
pub const UNSUPPORTED_API_VERSION: &str = "1900-01-01";

/// One request to send and what the spec says should come back.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub kind: CaseKind,
    pub summary: String,
    /// Index into [`Spec::operations`].
    pub operation: usize,
    /// The request, or why it cannot be built (a value the example lacks).
    pub request: Result<Request, String>,
    pub expect: Expect,
    /// Whether an endpoint that behaves changes state when answering (so
    /// it runs after the cases that must not).
    pub changes_state: bool,
    /// Whether the path declares the method sent: the operation's declared
    /// responses judge the answer only then.
    pub method_declared: bool,
}

/// A request, path and query already filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// `/routing/jobs/8780b28c.../assignments/...:close`, each segment
    /// percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the answer must be.
#[derive(Debug, Clone)]
pub enum Expect {
    /// The documented answer of an example (or, when it documents none, a
    /// declared success). `trust_body` is false when the documented body
    /// does not match its own schema, so it is not held against the endpoint.
    Documented {
        example: Box<Example>,
        trust_body: bool,
    },
    /// A status of the `wanted` kind, because `why` says so; `reason`
    /// says it in words. `azure_code` is the error code Azure's guidelines
    /// name for the refusal, checked (as a warning) when one comes.
    Answer {
        wanted: Wanted,
        why: Why,
        reason: String,
        azure_code: Option<(&'static str, &'static Rule)>,
    },
    /// A workflow step's answer: its own success criteria judge the status
    /// (a step may mean to be refused); the document judges the answer
    /// only as one of the operation's declared responses.
    Step,
}

/// The kind of status an expectation wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// One the operation declares as a success.
    Success,
    /// A 4xx.
    Refusal,
    /// Exactly this one.
    Code(u16),
    /// A declared success or a 4xx: anything but a failure of the server.
    SuccessOrRefusal,
    /// 405, or 404.
    NotAllowed,
}

impl Wanted {
    /// Whether `status` is wanted, given the operation's declared responses.
    pub fn accepts(self, operation: &Operation, status: u16) -> bool {
        let success = || {
            operation
                .success_responses()
                .any(|r| r.status.matches(status))
        };
        let refusal = (400..500).contains(&status);
        match self {
            Wanted::Success => success(),
            Wanted::Refusal => refusal,
            Wanted::Code(code) => status == code,
            Wanted::SuccessOrRefusal => refusal || success(),
            Wanted::NotAllowed => matches!(status, 404 | 405),
        }
    }

    /// In words, with the operation's declared successes where they count:
    /// `a declared success (200, 201)`.
    pub fn describe(self, operation: &Operation) -> String {
        let successes = || {
            operation
                .success_responses()
                .map(|r| r.status.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Wanted::Success => format!("a declared success ({})", successes()),
            Wanted::Refusal => "a 4xx refusal".to_owned(),
            Wanted::Code(code) => code.to_string(),
            Wanted::SuccessOrRefusal => {
                format!("a declared success ({}) or a 4xx refusal", successes())
            }
            Wanted::NotAllowed => "405 (or 404)".to_owned(),
        }
    }
}

/// Where an expectation comes from: a place in the document, or a rule
/// from outside it.
#[derive(Debug, Clone)]
pub enum Why {
    Spec(Basis),
    Rule(&'static Rule),
}

impl Why {
    pub fn source(&self) -> Source {
        match self {
            Why::Spec(_) => Source::Spec,
            Why::Rule(rule) => rule.source,
        }
    }
}

impl Case {
    /// Whether any rule that is on has something to say about this case's
    /// answer: its own expectation's source, or the document, which judges
    /// every answer to a method it declares. An `azure` case exists for the
    /// guidelines, so it runs only with them.
    pub fn applies(&self, rules: Rules) -> bool {
        if self.kind == CaseKind::Azure {
            return rules.is_on(Source::Azure);
        }
        let own = match &self.expect {
            Expect::Documented { .. } | Expect::Step => Source::Spec,
            Expect::Answer { why, .. } => why.source(),
        };
        rules.is_on(own) || (self.method_declared && rules.is_on(Source::Spec))
    }
}

/// What the user overrides and seeds.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--param NAME=VALUE`, applied wherever the parameter is sent.
    pub params: Vec<(String, String)>,
    /// `--seed`: where every generated value comes from.
    pub seed: u64,
}

/// What checking the spec's own examples found that the cases rely on
/// (the default trusts every example).
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// (operation index, example name) of the examples whose documented
    /// response body its schema refuses: not held against the endpoint.
    pub untrusted_responses: HashSet<(usize, String)>,
    /// By operation index, the body probes start from where the first
    /// documented one breaks its schema (none fits: why).
    pub probe_bodies: HashMap<usize, Result<Value, String>>,
}

/// Every case for the spec, in the order to run them: per operation, the
/// requests that must be refused, then the examples, then the requests
/// that must succeed and so change state.
pub fn cases(spec: &Spec, inputs: &Inputs, rules: Rules, trust: &Trust) -> Vec<Case> {
    let mut ids = Ids::new(inputs.seed);
    let mut probed_paths: Vec<&str> = Vec::new();
    let mut all = Vec::new();
    for (index, operation) in spec.operations.iter().enumerate() {
        let builder = Builder {
            spec,
            operation,
            index,
            inputs,
            rules,
            trust,
        };
        // A path's undeclared methods are probed once, with its first operation.
        let first_on_path = !probed_paths.contains(&operation.path.as_str());
        probed_paths.push(&operation.path);
        let probes = builder.probes(&mut ids, first_on_path);
        all.extend(probes.iter().filter(|c| !c.changes_state).cloned());
        all.extend(operation.examples.iter().map(|example| {
            let trusted = !trust
                .untrusted_responses
                .contains(&(index, example.name.clone()));
            builder.replay(example, trusted)
        }));
        all.extend(probes.into_iter().filter(|c| c.changes_state));
    }
    // Built whatever the rules, so generated ids do not depend on them.
    all.retain(|case| case.applies(rules));
    all
}
