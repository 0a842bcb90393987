//! The OpenAPI documents a workflow calls (`sourceDescriptions`): local
//! files beside the Arazzo file, loaded as the tester loads any spec
//! (OpenAPI 3.0, or Swagger 2.0 through its conversion), and the operation
//! a step names in them.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use super::document::{Arazzo, DocumentError};
use crate::schema::Schemas;
use crate::spec::{Spec, join};

/// One loaded source description.
pub struct Source {
    pub name: String,
    /// The `url` as written (what `$sourceDescriptions.<name>.url` gives).
    pub url: String,
    pub spec: Spec,
    pub schemas: Schemas,
}

/// An operation of a source: indexes into the sources and their operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRef {
    pub source: usize,
    pub operation: usize,
}

/// Loads every source description of `arazzo`.
pub fn load(arazzo: &Arazzo) -> Result<Vec<Source>, DocumentError> {
    let base = arazzo.path.parent().unwrap_or(std::path::Path::new(""));
    let label_base = std::path::Path::new(&arazzo.file)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let mut sources: Vec<Source> = Vec::new();
    for (index, description) in arazzo.document.source_descriptions.iter().enumerate() {
        let at = join("/sourceDescriptions", index);
        let kind = description.kind.as_deref().unwrap_or("openapi");
        if kind != "openapi" {
            return Err(arazzo.invalid(
                &join(&at, "type"),
                format!("`type: {kind}`: only `openapi` source descriptions are run"),
            ));
        }
        if sources.iter().any(|s| s.name == description.name) {
            return Err(arazzo.invalid(
                &join(&at, "name"),
                format!("a second source description named `{}`", description.name),
            ));
        }
        let url = &description.url;
        if url.contains("://") || url.starts_with("file:") {
            return Err(arazzo.invalid(
                &join(&at, "url"),
                format!("`{url}`: only local files are read (a path relative to this file)"),
            ));
        }
        let relative = percent_decode_str(url).decode_utf8_lossy().into_owned();
        let label = label_base.join(&relative).display().to_string();
        let spec = Spec::load(&base.join(&relative), &label)
            .map_err(|e| arazzo.invalid(&join(&at, "url"), format!("`{url}`: {e}")))?;
        let schemas = Schemas::new(&spec.document);
        sources.push(Source {
            name: description.name.clone(),
            url: url.clone(),
            spec,
            schemas,
        });
    }
    Ok(sources)
}

/// The urls by name, for `$sourceDescriptions.<name>.url`.
pub fn urls(sources: &[Source]) -> BTreeMap<String, String> {
    sources
        .iter()
        .map(|s| (s.name.clone(), s.url.clone()))
        .collect()
}

/// The operation `operationId` names: plain (in whichever source has it,
/// exactly one), or `$sourceDescriptions.<name>.<operationId>`.
pub fn by_id(sources: &[Source], id: &str) -> Result<OperationRef, String> {
    let (candidates, wanted): (Vec<usize>, &str) = match id.strip_prefix("$sourceDescriptions.") {
        Some(rest) => {
            let (name, wanted) = rest
                .split_once('.')
                .ok_or_else(|| format!("`{id}`: give `$sourceDescriptions.NAME.OPERATION_ID`"))?;
            let source = named(sources, name)?;
            (vec![source], wanted)
        }
        None => ((0..sources.len()).collect(), id),
    };
    let found: Vec<OperationRef> = candidates
        .into_iter()
        .flat_map(|source| {
            sources[source]
                .spec
                .operations
                .iter()
                .enumerate()
                .filter(|(_, op)| op.id == wanted)
                .map(move |(operation, _)| OperationRef { source, operation })
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no source description has an operation `{wanted}`")),
        _ => Err(format!(
            "`{wanted}` is an operation of several source descriptions: write `$sourceDescriptions.NAME.{wanted}`"
        )),
    }
}

/// The operation `operationPath` names:
/// `{$sourceDescriptions.<name>.url}#/paths/~1jobs~1{jobId}/patch`.
pub fn by_path(sources: &[Source], path: &str) -> Result<OperationRef, String> {
    let shape = || format!("`{path}`: give `{{$sourceDescriptions.NAME.url}}#/paths/...`");
    let rest = path
        .strip_prefix("{$sourceDescriptions.")
        .ok_or_else(shape)?;
    let (name, pointer) = rest.split_once(".url}#").ok_or_else(shape)?;
    let source = named(sources, name)?;
    let pointer = percent_decode_str(pointer).decode_utf8_lossy();
    sources[source]
        .spec
        .operations
        .iter()
        .position(|op| op.pointer == pointer)
        .map(|operation| OperationRef { source, operation })
        .ok_or_else(|| format!("no operation of `{name}` is at `{pointer}`"))
}

fn named(sources: &[Source], name: &str) -> Result<usize, String> {
    sources
        .iter()
        .position(|s| s.name == name)
        .ok_or_else(|| format!("no source description is named `{name}`"))
}
