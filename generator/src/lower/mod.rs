//! Lowers an `openapiv3` document into our [`Api`] model: every `$ref`
//! resolved, every Rust name decided, recursion broken with boxes.

mod cycles;
mod flatten;
mod headers;
mod names;
mod operation;
mod schema;
#[cfg(test)]
mod tests;

pub use operation::{is_json, is_merge_patch};

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use crate::Error;
use crate::document::Pointer;
use crate::document::refs::{self, Ref, RefError, RefProblem};
use crate::load::Source;
use crate::model::{Api, ClientParam, TypeDef, TypeId, Warning};

/// Lowers the loaded document; the first problem found is returned with
/// the JSON pointer where it is.
pub fn lower(source: &Source) -> Result<Api, Error> {
    let mut lowerer = Lowerer::new(source);
    lowerer.lower_components()?;
    // Before operations ask what their parameters are: aliases then lead
    // straight to a type.
    cycles::settle_aliases(&mut lowerer.types, &mut lowerer.warnings);
    let operations = lowerer.lower_operations()?;
    let mut types = lowerer.types;
    schema::strip_tag_fields(&mut types);
    flatten::apply(
        &mut types,
        lowerer.flatten_requests,
        &mut lowerer.type_names,
        &mut lowerer.warnings,
    );
    cycles::box_recursive_fields(&mut types);
    flatten::match_boxes(&mut types);
    let type_nesting = cycles::nesting_depth(&types);
    let document = &source.document;
    Ok(Api {
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        openapi_version: document.openapi.clone(),
        default_api_version: operations
            .iter()
            .any(|op| op.api_version_param.is_some())
            .then(|| {
                lowerer
                    .api_version_default
                    .unwrap_or_else(|| document.info.version.clone())
            }),
        types,
        type_nesting,
        operations,
        client_params: lowerer.client_params,
        warnings: lowerer.warnings,
    })
}

/// State while lowering: the types met so far and the names taken.
struct Lowerer<'a> {
    source: &'a Source,
    components: Option<&'a Components>,
    types: Vec<TypeDef>,
    /// Component schema name → its type.
    components_by_name: HashMap<&'a str, TypeId>,
    /// Inline schemas already given a type, by their JSON, so identical
    /// inline schemas with the same title share one type.
    inline_types: HashMap<String, TypeId>,
    type_names: names::Taken,
    /// An `api-version` parameter's schema default, if any declares one.
    api_version_default: Option<String>,
    /// Shapes generated with a fallback.
    warnings: Vec<Warning>,
    /// Parameters the client holds, found while lowering operations.
    client_params: Vec<ClientParam>,
    /// Object schemas with their `allOf` parts merged, by pointer.
    merged_objects: RefCell<HashMap<String, Option<schema::ObjectParts<'a>>>>,
    /// The schemas being merged now, to tell a loop from a deep chain.
    merging: RefCell<HashSet<String>>,
    /// Properties marked `x-ms-client-flatten`, flattened once all types
    /// are known.
    flatten_requests: Vec<flatten::Request>,
}

impl<'a> Lowerer<'a> {
    fn new(source: &'a Source) -> Self {
        Self {
            source,
            components: source.document.components.as_ref(),
            types: Vec::new(),
            components_by_name: HashMap::new(),
            inline_types: HashMap::new(),
            type_names: names::reserved_type_names(),
            api_version_default: None,
            warnings: Vec::new(),
            client_params: Vec::new(),
            merged_objects: RefCell::default(),
            merging: RefCell::default(),
            flatten_requests: Vec::new(),
        }
    }

    /// Azure's `x-ms-client-name` for the property, parameter or body at
    /// `at` (beside a `$ref` there, or on what it leads to): the name the
    /// client gives it. Read from the JSON, as `openapiv3` drops a `$ref`'s
    /// siblings.
    fn client_name(&self, at: &Pointer) -> Option<&'a str> {
        let value: &'a serde_json::Value = &self.source.value;
        let named = |value: &'a serde_json::Value| {
            value
                .get("x-ms-client-name")
                .and_then(serde_json::Value::as_str)
                .filter(|name| !name.trim().is_empty())
        };
        let here = value.pointer(at.as_str())?;
        named(here).or_else(|| {
            let resolved = refs::resolve(value, at.clone()).ok()?;
            named(resolved.value)
        })
    }

    fn unsupported(&self, pointer: &Pointer, what: impl Into<String>) -> Error {
        Error::Unsupported {
            path: self.source.path.clone(),
            pointer: pointer.to_string(),
            what: what.into(),
        }
    }

    fn dangling(&self, pointer: &Pointer, reference: &str, reason: &str) -> Error {
        Error::DanglingRef {
            path: self.source.path.clone(),
            pointer: pointer.to_string(),
            line: self.source.line_of_ref(reference),
            reference: reference.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// The item behind `item`, following `$ref`s (through the document's
    /// resolver) to one in `components/<section>`; returns it with the
    /// pointer where it is defined.
    fn resolve<T>(
        &self,
        item: &'a ReferenceOr<T>,
        at: Pointer,
        section: &str,
        table: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, Pointer), Error> {
        let reference = match item {
            ReferenceOr::Item(value) => return Ok((value, at)),
            ReferenceOr::Reference { reference } => reference,
        };
        let target = refs::follow(&self.source.value, reference, &at)
            .map_err(|e| self.ref_error(e, section))?;
        let expected = || self.expected_component(&at, reference, section);
        let name = component_of(&target.pointer, section).ok_or_else(expected)?;
        // The resolver stopped where no `$ref` is: the typed entry is an item.
        match self.components.and_then(|c| table(c).get(&name)) {
            Some(ReferenceOr::Item(value)) => Ok((value, target.pointer)),
            _ => Err(expected()),
        }
    }

    /// `Name` from `#/components/<section>/Name`, without following it.
    fn component_name(
        &self,
        reference: &str,
        section: &str,
        at: &Pointer,
    ) -> Result<String, Error> {
        let parsed = Ref::parse(reference);
        let problem = if !parsed.is_local() {
            RefProblem::Remote
        } else {
            match parsed.pointer() {
                Some(pointer) => {
                    return component_of(&pointer, section)
                        .ok_or_else(|| self.expected_component(at, reference, section));
                }
                None => RefProblem::NotUtf8,
            }
        };
        Err(self.ref_error(
            RefError {
                at: at.clone(),
                reference: reference.to_owned(),
                problem,
            },
            section,
        ))
    }

    /// A reference the resolver refused, as the generator reports it.
    fn ref_error(&self, error: RefError, section: &str) -> Error {
        match error.problem {
            RefProblem::Remote => self.unsupported(
                &error.at,
                format!("reference `{}` to another document (only local `#/components/{section}/...` references are resolved)", error.reference),
            ),
            problem => self.dangling(&error.at, &error.reference, &problem.to_string()),
        }
    }

    fn expected_component(&self, at: &Pointer, reference: &str, section: &str) -> Error {
        self.dangling(
            at,
            reference,
            &format!("expected a reference to `#/components/{section}/<name>`"),
        )
    }
}

/// `Name` when `pointer` is `/components/<section>/Name`.
fn component_of(pointer: &Pointer, section: &str) -> Option<String> {
    let mut segments = pointer.segments();
    match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some(components), Some(found), Some(name), None)
            if components == "components" && found == section =>
        {
            Some(name)
        }
        _ => None,
    }
}
