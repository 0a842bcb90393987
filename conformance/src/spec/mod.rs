//! The spec as the tester reads it: operations with their parameters, body,
//! declared responses and documented examples, each with the JSON pointer
//! (and file position) that says so.
//!
//! Loading goes through the generator's `load`, so a spec the generator
//! refuses is refused here with the same message. The tester then reads the
//! document as JSON rather than the generator's lowered model: it needs the
//! schemas verbatim (for a JSON Schema validator) and it must work on shapes
//! the generator does not turn into code yet. The document's rules
//! (pointers, `$ref`s, parameter merging, status keys, methods) are the
//! generator's own, from `generator::document`, so both read it alike.

mod examples;
mod locate;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use generator::document::{METHODS, Pointer, RefError, params, pointer, refs, servers};
use serde_json::Value;

pub use examples::{DocumentedResponse, Example, ExampleOrigin, ExampleValue};
pub use generator::document::pointer::join;
pub use generator::document::{Location, StatusKey};
pub use generator::lower::is_json;
pub use locate::Locations;

use crate::report::Basis;

/// A loaded spec.
#[derive(Debug)]
pub struct Spec {
    /// The file as the user named it.
    pub file: String,
    pub path: PathBuf,
    /// The document as JSON.
    pub document: Value,
    pub locations: Locations,
    pub operations: Vec<Operation>,
}

/// Why a spec cannot be tested.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error(transparent)]
    Load(#[from] generator::Error),
    #[error("{file} at {pointer}: {message}")]
    Invalid {
        file: String,
        pointer: String,
        message: String,
    },
    /// An `x-ms-examples` file the tester will not read: outside the
    /// spec's folder, not a regular file, or too large.
    #[error("{basis}: x-ms-examples file `{reference}` refused: {why}")]
    ExampleFile {
        basis: Basis,
        reference: String,
        why: String,
    },
}

/// One operation and what its spec says about it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `METHOD path` when there is none.
    pub id: String,
    /// Upper case.
    pub method: String,
    /// The path requests go to: the server's base path and the template.
    pub path: String,
    pub pointer: String,
    /// The methods the path declares (upper case), for the undeclared-method probe.
    pub path_methods: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// Where the parameter is defined (after following `$ref`).
    pub pointer: String,
    /// Its schema's pointer, when it has one.
    pub schema: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub required: bool,
    /// The media type used (JSON when declared).
    pub media_type: String,
    pub pointer: String,
    pub schema: Option<String>,
    /// `x-ms-requestBody-name`, the body's name in Azure example files.
    pub name: Option<String>,
}

/// A declared response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusKey,
    pub pointer: String,
    pub schema: Option<String>,
    pub headers: Vec<Header>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub required: bool,
    pub pointer: String,
    pub schema: Option<String>,
}

impl Operation {
    /// The declared response for `status`: an exact code first, then its
    /// range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let find = |wanted: fn(StatusKey) -> bool| {
            self.responses
                .iter()
                .find(|r| wanted(r.status) && r.status.matches(status))
        };
        find(|k| matches!(k, StatusKey::Code(_)))
            .or_else(|| find(|k| matches!(k, StatusKey::Range(_))))
            .or_else(|| find(|k| k == StatusKey::Default))
    }

    /// The response an error answer should match: the first declared 4xx,
    /// else `4XX`, else `default`.
    pub fn error_response(&self) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| matches!(r.status, StatusKey::Code(400..=499)))
            .or_else(|| self.response_for(400))
    }

    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    pub fn params_in(&self, location: Location) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// Whether the spec follows Azure's conventions here: an `api-version`
    /// query parameter and an `x-ms-error-code` header on errors.
    pub fn is_azure(&self) -> bool {
        let versioned = self
            .params_in(Location::Query)
            .any(|p| p.name == "api-version");
        let error_code_header = self
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .flat_map(|r| &r.headers)
            .any(|h| h.name.eq_ignore_ascii_case("x-ms-error-code"));
        versioned && error_code_header
    }
}

impl Spec {
    /// Loads and reads the spec at `path`; `file` is how reports name it.
    pub fn load(path: &Path, file: &str) -> Result<Spec, SpecError> {
        let source = generator::load::load(path)?;
        // A Swagger 2.0 file is read as its OpenAPI 3.0 conversion, whose
        // pointers are not places in the file: findings give the pointer
        // alone rather than a wrong line.
        let locations = if source.converted {
            Locations::default()
        } else {
            Locations::parse(&source.text)
        };
        let mut spec = Spec {
            file: file.to_owned(),
            path: path.to_owned(),
            document: source.value,
            locations,
            operations: Vec::new(),
        };
        spec.operations = spec.read_operations()?;
        Ok(spec)
    }

    /// The spec place `pointer` names, with its position when known.
    pub fn basis(&self, pointer: &str) -> Basis {
        Basis {
            pointer: pointer::display(pointer).to_owned(),
            file: self.file.clone(),
            position: self.locations.get(pointer),
        }
    }

    /// The value at `pointer`, following a `$ref` there (and in what it
    /// points to); returns the value and where it really is.
    pub fn resolve<'a>(&'a self, pointer: &str) -> Result<(&'a Value, String), SpecError> {
        refs::resolve(&self.document, Pointer::from_escaped(pointer))
            .map(|resolved| (resolved.value, resolved.pointer.into_string()))
            .map_err(|error: RefError| self.invalid(error.at.as_str(), &error.to_string()))
    }

    fn invalid(&self, pointer: &str, message: &str) -> SpecError {
        SpecError::Invalid {
            file: self.file.clone(),
            pointer: pointer::display(pointer).to_owned(),
            message: message.to_owned(),
        }
    }

    fn read_operations(&self) -> Result<Vec<Operation>, SpecError> {
        let mut operations = Vec::new();
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return Ok(operations);
        };
        // Requests go under the server's base path, as the clients send them.
        let base = servers::base_path(&self.document).unwrap_or_default();
        for (path, _) in paths {
            let item_pointer = join(&join("", "paths"), path);
            let (item, item_pointer) = self.resolve(&item_pointer)?;
            let path_methods: Vec<String> = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_uppercase())
                .collect();
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                let pointer = join(&item_pointer, method);
                let mut operation =
                    self.read_operation(path, method, &item_pointer, pointer, &path_methods)?;
                operation.path.insert_str(0, &base);
                operations.push(operation);
            }
        }
        Ok(operations)
    }

    fn read_operation(
        &self,
        path: &str,
        method: &str,
        item_pointer: &str,
        pointer: String,
        path_methods: &[String],
    ) -> Result<Operation, SpecError> {
        let (operation, _) = self.resolve(&pointer)?;
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .map_or_else(
                || format!("{} {path}", method.to_uppercase()),
                str::to_owned,
            );
        let mut declared = Vec::new();
        for base in [
            join(item_pointer, "parameters"),
            join(&pointer, "parameters"),
        ] {
            let count = self
                .document
                .pointer(&base)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for index in 0..count {
                declared.push(self.read_param(&join(&base, index))?);
            }
        }
        let params = params::merge(declared, |p: &Param| (p.name.as_str(), p.location));
        let body = match operation.get("requestBody") {
            Some(_) => Some(self.read_body(&join(&pointer, "requestBody"))?),
            None => None,
        };
        let mut responses = Vec::new();
        if let Some(map) = operation.get("responses").and_then(Value::as_object) {
            for status in map.keys() {
                let at = join(&join(&pointer, "responses"), status);
                let key = StatusKey::parse(status)
                    .ok_or_else(|| self.invalid(&at, "not a status code, `NXX` or `default`"))?;
                responses.push(self.read_response(key, &at)?);
            }
        }
        let mut operation = Operation {
            id,
            method: method.to_uppercase(),
            path: path.to_owned(),
            pointer,
            path_methods: path_methods.to_vec(),
            params,
            body,
            responses,
            examples: Vec::new(),
        };
        operation.examples = examples::read(self, &operation)?;
        Ok(operation)
    }

    fn read_param(&self, at: &str) -> Result<Param, SpecError> {
        let (param, pointer) = self.resolve(at)?;
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| self.invalid(&pointer, "a parameter without a `name`"))?;
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .and_then(Location::parse)
            .ok_or_else(|| self.invalid(&pointer, "`in` is not path, query, header or cookie"))?;
        Ok(Param {
            name: name.to_owned(),
            location,
            required: location == Location::Path
                || param.get("required").and_then(Value::as_bool) == Some(true),
            schema: param.get("schema").map(|_| join(&pointer, "schema")),
            pointer,
        })
    }

    fn read_body(&self, at: &str) -> Result<Body, SpecError> {
        let (body, pointer) = self.resolve(at)?;
        let content = body.get("content").and_then(Value::as_object);
        let media_type = content
            .and_then(|c| c.keys().find(|k| is_json(k)).or_else(|| c.keys().next()))
            .cloned()
            .unwrap_or_else(|| "application/json".to_owned());
        let media_pointer = join(&join(&pointer, "content"), &media_type);
        let schema = self
            .document
            .pointer(&join(&media_pointer, "schema"))
            .map(|_| join(&media_pointer, "schema"));
        Ok(Body {
            required: body.get("required").and_then(Value::as_bool) == Some(true),
            media_type,
            schema,
            name: body
                .get("x-ms-requestBody-name")
                .and_then(Value::as_str)
                .map(str::to_owned),
            pointer,
        })
    }

    fn read_response(&self, status: StatusKey, at: &str) -> Result<Response, SpecError> {
        let (response, pointer) = self.resolve(at)?;
        let schema = response
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.keys().find(|k| is_json(k)))
            .map(|media| join(&join(&join(&pointer, "content"), media), "schema"))
            .filter(|schema| self.document.pointer(schema).is_some());
        let mut headers = Vec::new();
        if let Some(map) = response.get("headers").and_then(Value::as_object) {
            for name in map.keys() {
                let (header, header_pointer) =
                    self.resolve(&join(&join(&pointer, "headers"), name))?;
                headers.push(Header {
                    name: name.clone(),
                    required: header.get("required").and_then(Value::as_bool) == Some(true),
                    schema: header
                        .get("schema")
                        .map(|_| join(&header_pointer, "schema")),
                    pointer: header_pointer,
                });
            }
        }
        Ok(Response {
            status,
            pointer,
            schema,
            headers,
        })
    }
}
