//! The documented examples of an operation, gathered into named sets: the
//! values of OpenAPI 3.0 `example`/`examples` that share a name across the
//! parameters, the request body and the responses, and Azure's
//! `x-ms-examples` files.

use std::path::Path;

use generator::document::{Ref, pointer, refs};
use serde_json::{Map, Value};

use super::{Locations, Operation, Spec, SpecError, StatusKey, join};
use crate::report::{Basis, Finding};

/// The name a set takes when the spec gives single, unnamed `example`s.
const UNNAMED: &str = "example";

/// One documented request and its documented answer.
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub origin: ExampleOrigin,
    /// Parameter values by parameter name.
    pub params: Vec<(String, ExampleValue)>,
    pub body: Option<ExampleValue>,
    /// The documented answer, when the example gives one.
    pub response: Option<DocumentedResponse>,
    /// What reading the example found wrong with it (a file that is not
    /// there, an operation id that disagrees, a value for no parameter).
    pub problems: Vec<Finding>,
}

#[derive(Debug, Clone)]
pub enum ExampleOrigin {
    /// `example`/`examples` in the spec.
    Inline,
    /// An `x-ms-examples` file, as the spec names it.
    File(String),
}

#[derive(Debug, Clone)]
pub struct DocumentedResponse {
    pub status: StatusKey,
    pub body: Option<ExampleValue>,
    /// Where the status is documented.
    pub basis: Basis,
}

/// A documented value and where it is written.
#[derive(Debug, Clone)]
pub struct ExampleValue {
    pub value: Value,
    pub basis: Basis,
}

/// The operation's example sets, inline ones first, in document order.
pub fn read(spec: &Spec, operation: &Operation) -> Result<Vec<Example>, SpecError> {
    let mut examples = inline(spec, operation)?;
    let files = join(&operation.pointer, "x-ms-examples");
    if let Some(map) = spec.document.pointer(&files).and_then(Value::as_object) {
        for name in map.keys() {
            examples.push(from_file(spec, operation, name, &join(&files, name))?);
        }
    }
    Ok(examples)
}

/// Where an `example` or `examples` entry sits, keyed by set name.
struct Documented {
    name: String,
    value: Value,
    pointer: String,
}

/// `example` (as the unnamed set) and every `examples` entry under `at`.
fn documented(spec: &Spec, at: &str) -> Result<Vec<Documented>, SpecError> {
    let mut found = Vec::new();
    if let Some(value) = spec.document.pointer(&join(at, "example")) {
        found.push(Documented {
            name: UNNAMED.to_owned(),
            value: value.clone(),
            pointer: join(at, "example"),
        });
    }
    let named = join(at, "examples");
    if let Some(map) = spec.document.pointer(&named).and_then(Value::as_object) {
        for name in map.keys() {
            let (example, pointer) = spec.resolve(&join(&named, name))?;
            // `externalValue` examples are not read; they have no `value`.
            if let Some(value) = example.get("value") {
                found.push(Documented {
                    name: name.clone(),
                    value: value.clone(),
                    pointer: join(&pointer, "value"),
                });
            }
        }
    }
    Ok(found)
}

fn inline(spec: &Spec, operation: &Operation) -> Result<Vec<Example>, SpecError> {
    let params = operation
        .params
        .iter()
        .map(|p| Ok((p.name.clone(), documented(spec, &p.pointer)?)))
        .collect::<Result<Vec<_>, SpecError>>()?;
    let body = match &operation.body {
        Some(body) => documented(
            spec,
            &join(&join(&body.pointer, "content"), &body.media_type),
        )?,
        None => Vec::new(),
    };
    let mut responses = Vec::new();
    for response in &operation.responses {
        if let Some(schema) = &response.schema {
            let media = schema.trim_end_matches("/schema");
            for found in documented(spec, media)? {
                responses.push((response, found));
            }
        }
    }
    // Set names in order of first appearance: body, responses, parameters.
    let mut names: Vec<&str> = Vec::new();
    let all = body
        .iter()
        .chain(responses.iter().map(|(_, d)| d))
        .chain(params.iter().flat_map(|(_, d)| d));
    for found in all {
        if !names.contains(&found.name.as_str()) {
            names.push(&found.name);
        }
    }
    let value = |d: &Documented| ExampleValue {
        value: d.value.clone(),
        basis: spec.basis(&d.pointer),
    };
    Ok(names
        .into_iter()
        .map(|name| {
            // A parameter with one unnamed example gives it to every set.
            let pick = |docs: &'_ [Documented]| {
                docs.iter()
                    .find(|d| d.name == name)
                    .or_else(|| docs.iter().find(|d| d.name == UNNAMED))
                    .map(value)
            };
            let named_responses = responses.iter().filter(|(_, d)| d.name == name);
            let chosen = named_responses
                .clone()
                .find(|(r, _)| r.status.is_success())
                .or_else(|| named_responses.clone().next());
            Example {
                name: name.to_owned(),
                origin: ExampleOrigin::Inline,
                params: params
                    .iter()
                    .filter_map(|(param, docs)| Some((param.clone(), pick(docs)?)))
                    .collect(),
                body: body.iter().find(|d| d.name == name).map(value),
                response: chosen.map(|(response, d)| DocumentedResponse {
                    status: response.status,
                    body: Some(value(d)),
                    basis: spec.basis(&response.pointer),
                }),
                problems: Vec::new(),
            }
        })
        .collect())
}

/// An `x-ms-examples` entry: a `$ref` to a file beside the spec, or the
/// example inline. A file the tester refuses to read fails the whole spec.
fn from_file(
    spec: &Spec,
    operation: &Operation,
    name: &str,
    at: &str,
) -> Result<Example, SpecError> {
    let mut example = Example {
        name: name.to_owned(),
        origin: ExampleOrigin::Inline,
        params: Vec::new(),
        body: None,
        response: None,
        problems: Vec::new(),
    };
    let entry = spec.document.pointer(at).cloned().unwrap_or(Value::Null);
    let written = match refs::reference_of(&entry) {
        Some(reference) => {
            let file = example_label(spec, reference);
            example.origin = ExampleOrigin::File(file.clone());
            match WrittenExample::from_file(spec, reference, file, at)? {
                Ok(written) => written,
                Err(problem) => {
                    example.problems.push(problem);
                    return Ok(example);
                }
            }
        }
        None => WrittenExample::new(spec, entry, spec.file.clone(), spec.locations.clone(), at),
    };
    example
        .problems
        .extend(written.operation_id_problem(operation));
    written.read_parameters(spec, operation, &mut example);
    example.response = written.response();
    Ok(example)
}

/// An `x-ms-examples` example as written, in its file or in the spec.
struct WrittenExample {
    content: Value,
    file: String,
    /// Where the example sits in `file`: its entry in the spec, or the root
    /// of its own file.
    base: String,
    locations: Locations,
}

impl WrittenExample {
    fn new(spec: &Spec, content: Value, file: String, locations: Locations, at: &str) -> Self {
        let base = if file == spec.file {
            at.to_owned()
        } else {
            String::new()
        };
        Self {
            content,
            file,
            base,
            locations,
        }
    }

    /// The example in the file `reference` names; `Err` is a spec failure,
    /// `Ok(Err)` a finding about an unreadable file.
    fn from_file(
        spec: &Spec,
        reference: &str,
        file: String,
        at: &str,
    ) -> Result<Result<Self, Finding>, SpecError> {
        let basis = || spec.basis(&join(at, "$ref"));
        match read_example_file(spec, reference) {
            Ok((content, text)) => Ok(Ok(Self::new(
                spec,
                content,
                file,
                Locations::parse(&text),
                at,
            ))),
            Err(FileError::Refused(why)) => Err(SpecError::ExampleFile {
                basis: basis(),
                reference: reference.to_owned(),
                why,
            }),
            Err(FileError::Unreadable(message)) => Ok(Err(spec_problem(
                "an example file that can be read as JSON",
                message,
                basis(),
            ))),
        }
    }

    /// The place `pointer` (relative to this example's file) names.
    fn basis(&self, pointer: &str) -> Basis {
        Basis {
            pointer: pointer::display(pointer).to_owned(),
            file: self.file.clone(),
            position: self.locations.get(pointer),
        }
    }

    /// A finding when the example says it documents another operation.
    fn operation_id_problem(&self, operation: &Operation) -> Option<Finding> {
        let id = self.content.get("operationId").and_then(Value::as_str)?;
        (id != operation.id).then(|| {
            spec_problem(
                &format!(
                    "operationId `{}` (the operation it documents)",
                    operation.id
                ),
                format!("operationId `{id}`"),
                self.basis(&join(&self.base, "operationId")),
            )
        })
    }

    /// The body and parameter values into `example`; a value for anything
    /// else but a server variable is a warning.
    fn read_parameters(&self, spec: &Spec, operation: &Operation, example: &mut Example) {
        let parameters = join(&self.base, "parameters");
        let servers = server_variables(spec);
        let values = self.content.get("parameters").and_then(Value::as_object);
        for (key, value) in values.into_iter().flatten() {
            let documented = ExampleValue {
                value: value.clone(),
                basis: self.basis(&join(&parameters, key)),
            };
            let is_body = operation
                .body
                .as_ref()
                .is_some_and(|b| b.name.as_deref().unwrap_or("body") == key);
            if is_body {
                example.body = Some(documented);
            } else if operation.params.iter().any(|p| &p.name == key) {
                example.params.push((key.clone(), documented));
            } else if !servers.contains(key) {
                example.problems.push(
                    spec_problem(
                        "values only for the operation's parameters",
                        format!("a value for `{key}`, which the operation does not take"),
                        documented.basis,
                    )
                    .warning(),
                );
            }
        }
    }

    /// The documented answer: the first success status, else the first.
    fn response(&self) -> Option<DocumentedResponse> {
        let statuses = self.content.get("responses").and_then(Value::as_object)?;
        let mut codes = statuses
            .iter()
            .filter_map(|(k, v)| Some((StatusKey::parse(k)?, k, v)));
        let (status, key, value) = codes
            .clone()
            .find(|(s, _, _)| s.is_success())
            .or_else(|| codes.next())?;
        let at = join(&join(&self.base, "responses"), key);
        Some(DocumentedResponse {
            status,
            body: value.get("body").map(|body| ExampleValue {
                value: body.clone(),
                basis: self.basis(&join(&at, "body")),
            }),
            basis: self.basis(&at),
        })
    }
}

/// The file a `$ref` names (relative to the spec), as reports show it.
fn example_label(spec: &Spec, reference: &str) -> String {
    let relative = Ref::parse(reference).file;
    let label_dir = Path::new(&spec.file).parent().unwrap_or(Path::new(""));
    let label = label_dir.join(relative).display().to_string();
    label.replace("/./", "/")
}

/// The largest example file read: Azure's published examples are a few
/// KiB, and a spec must not make the tester read without end (`/dev/zero`).
pub const MAX_EXAMPLE_FILE: u64 = 16 * 1024 * 1024;

/// Why an example file was not read.
enum FileError {
    /// Not a file the tester reads at all: outside the spec's folder, not
    /// a regular file, or larger than [`MAX_EXAMPLE_FILE`]. Fails the spec.
    Refused(String),
    /// Missing, unreadable or not UTF-8: a finding about the example.
    Unreadable(String),
}

/// Reads the file a `$ref` names, confined to regular files under the
/// spec's folder (symlinks resolved first) and to [`MAX_EXAMPLE_FILE`]
/// bytes. The file's type is checked before it is opened, so a FIFO or a
/// device is refused rather than read.
fn read_example_file(spec: &Spec, reference: &str) -> Result<(Value, String), FileError> {
    use std::io::Read as _;
    let relative = Path::new(Ref::parse(reference).file);
    if relative.is_absolute() {
        return Err(FileError::Refused(
            "an absolute path; example files are named relative to the spec and read only \
             from its folder"
                .to_owned(),
        ));
    }
    if leaves_its_folder(relative) {
        return Err(FileError::Refused(
            "its `..` lead outside the spec's folder, where example files are read from".to_owned(),
        ));
    }
    let folder = spec
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = std::fs::canonicalize(folder).map_err(|e| {
        FileError::Unreadable(format!(
            "cannot resolve the spec's folder {}: {e}",
            folder.display()
        ))
    })?;
    let path = std::fs::canonicalize(root.join(relative))
        .map_err(|e| FileError::Unreadable(format!("cannot read it: {e}")))?;
    if !path.starts_with(&root) {
        return Err(FileError::Refused(format!(
            "it is {}, outside the spec's folder {}",
            path.display(),
            root.display()
        )));
    }
    let metadata = std::fs::metadata(&path)
        .map_err(|e| FileError::Unreadable(format!("cannot read it: {e}")))?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "a FIFO, socket or device"
        };
        return Err(FileError::Refused(format!("not a regular file ({kind})")));
    }
    let too_big = |size: u64| {
        FileError::Refused(format!(
            "{size} bytes, more than the {} MiB an example file may have",
            MAX_EXAMPLE_FILE >> 20
        ))
    };
    if metadata.len() > MAX_EXAMPLE_FILE {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|file| file.take(MAX_EXAMPLE_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| FileError::Unreadable(format!("cannot read it: {e}")))?;
    // It grew since it was measured.
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > MAX_EXAMPLE_FILE {
        return Err(too_big(read));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| FileError::Unreadable(format!("cannot read it: not UTF-8 ({e})")))?;
    let value =
        serde_json::from_str(&text).map_err(|e| FileError::Unreadable(format!("not JSON: {e}")))?;
    Ok((value, text))
}

/// Whether a relative path climbs above where it starts, before any
/// symlink is followed (so even a file that is not there is refused).
fn leaves_its_folder(relative: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0usize;
    for component in relative.components() {
        match component {
            Component::ParentDir if depth == 0 => return true,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

/// The server variables (`{endpoint}`), which example files list among the
/// parameters.
fn server_variables(spec: &Spec) -> Vec<String> {
    spec.document
        .pointer("/servers/0/variables")
        .and_then(Value::as_object)
        .map(Map::keys)
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

fn spec_problem(expected: &str, seen: String, basis: Basis) -> Finding {
    Finding::spec("spec-example", expected.to_owned(), seen, basis)
}
