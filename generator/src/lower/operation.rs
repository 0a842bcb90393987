//! Paths and operations → client methods with typed arguments and responses.

use openapiv3::{
    MediaType, Operation as SpecOperation, Parameter, ParameterData, ParameterSchemaOrContent,
    QueryStyle, ReferenceOr,
};

use super::schema::SchemaRef;
use super::{Lowerer, names};
use crate::Error;
use crate::document::{Location, Pointer, StatusKey, params, servers};
use crate::ident::RustIdent;
use crate::model::{
    ApiVersionParam, Body, BodyEncoding, ClientParam, FinalStateVia, Operation, Pageable, Param,
    ParamLocation, PathPart, ResponseHeader, Responses, StatusPattern, TypeRef, TypeShape,
    derived_fn_name,
};

/// The query parameter Azure services version their API with; the client
/// sends its own value rather than taking an argument.
const API_VERSION: &str = "api-version";

/// Locals of a generated method, which no argument may shadow.
const METHOD_LOCALS: [&str; 5] = ["path", "url", "request", "response", "params"];

/// Methods `Client` has whatever the spec says, which no operation may take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_connection_string",
    "with_client_request_id",
    "api_version",
    "endpoint",
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let document = &self.source.document;
        let mut operations = Vec::new();
        let base_path = servers::base_path(&self.source.value).unwrap_or_else(|message| {
            self.warn(
                &Pointer::root().join("servers").join(0).join("url"),
                &message,
            );
            String::new()
        });
        let mut method_names = names::Taken::default();
        for name in CLIENT_METHODS {
            method_names.insert((*name).to_owned());
        }
        for (path, item) in &document.paths.paths {
            let item_pointer = Pointer::root().join("paths").join(path);
            let ReferenceOr::Item(item) = item else {
                return Err(self.unsupported(&item_pointer, "a path item given by `$ref`"));
            };
            for (method, operation) in item.iter() {
                let mut lowered = self.lower_operation(
                    &base_path,
                    path,
                    method,
                    operation,
                    &item.parameters,
                    &item_pointer,
                )?;
                lowered.method_name = unique_method_name(&lowered, &mut method_names);
                lowered.type_name = names::type_name(lowered.method_name.bare());
                operations.push(lowered);
            }
        }
        Ok(operations)
    }

    /// `base_path` (the server's) starts the path requests are sent to, and
    /// the server side matches.
    fn lower_operation(
        &mut self,
        base_path: &str,
        path: &str,
        method: &str,
        operation: &'a SpecOperation,
        path_level: &'a [ReferenceOr<Parameter>],
        item_pointer: &Pointer,
    ) -> Result<Operation, Error> {
        let pointer = &item_pointer.join(method);
        let id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let method_name = names::method_name(&id);
        let type_name = names::type_name(method_name.bare());
        let context = type_name.to_string();
        let mut taken = names::Taken::from(METHOD_LOCALS);
        let mut api_version_param = None;
        let mut params = Vec::new();
        let mut client_params = Vec::new();
        let parameters =
            self.parameters(path_level, item_pointer, &operation.parameters, pointer)?;
        for (parameter, at) in parameters {
            match self.lower_param(parameter, &at, &context, &mut taken)? {
                Lowered::Param(param) => params.push(param),
                Lowered::ApiVersion(param) => api_version_param = Some(param),
                Lowered::SentByPipeline => {}
                Lowered::OnClient(index, required) => client_params.push((index, required)),
            }
        }
        let full_path = format!("{base_path}{path}");
        let path_parts = self.path_parts(&full_path, &mut params, pointer)?;
        let body = match &operation.request_body {
            Some(body) => Some(self.request_body(body, pointer, &context, &mut taken)?),
            None => None,
        };
        let responses = self.responses(operation, pointer, &context)?;
        let pageable = self.pageable(operation, &responses, pointer);
        let long_running = long_running(operation, method);
        Ok(Operation {
            id,
            // Both made unique once every operation is known.
            method_name,
            type_name,
            http_method: method.to_ascii_uppercase(),
            path_template: full_path,
            path: path_parts,
            pointer: pointer.to_string(),
            doc: operation_doc(operation),
            params,
            body,
            api_version_param,
            client_params,
            responses,
            pageable,
            long_running,
        })
    }

    /// One parameter as a method argument named in `taken`, or the
    /// `api-version` the client sends itself.
    fn lower_param(
        &mut self,
        parameter: &'a Parameter,
        at: &Pointer,
        context: &str,
        taken: &mut names::Taken,
    ) -> Result<Lowered, Error> {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let (ty, explode) = match &data.format {
            ParameterSchemaOrContent::Content(_) => {
                self.warn(at, "a parameter described by `content`; generated as a String holding its serialized value");
                (TypeRef::String, false)
            }
            ParameterSchemaOrContent::Schema(schema) => {
                if location == ParamLocation::Query && data.name == API_VERSION && data.required {
                    self.note_api_version_default(schema);
                    return Ok(Lowered::ApiVersion(ApiVersionParam {
                        wire_name: data.name.clone(),
                        name: names::unique(names::param_ident(&data.name), taken),
                    }));
                }
                let context = format!("{context}_{}", data.name);
                // A header's date, in either format, is an HTTP-date on the
                // wire, as in responses.
                let header_date = location == ParamLocation::Header
                    && self.header_type(schema, &at.join("schema"))? == TypeRef::Timestamp;
                let ty = match header_date {
                    true => TypeRef::Timestamp,
                    false => self.param_type(parameter, schema, at, &context)?,
                };
                (ty, data.explode.unwrap_or(true))
            }
        };
        if location == ParamLocation::Header
            && data.name.eq_ignore_ascii_case(CLIENT_REQUEST_ID)
            && !data.required
        {
            // The pipeline sends its own (`Client::with_client_request_id`).
            return Ok(Lowered::SentByPipeline);
        }
        let name = self.client_name(at).unwrap_or(&data.name);
        let param = Param {
            name: names::param_ident(name),
            wire_name: data.name.clone(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            explode,
            doc: data.description.clone(),
        };
        if let Some(index) = self.client_param(&param, data) {
            return Ok(Lowered::OnClient(index, param.required));
        }
        Ok(Lowered::Param(Param {
            name: names::unique(param.name, taken),
            ..param
        }))
    }

    /// `param`'s index among the client's parameters when the spec puts it
    /// on the client (`x-ms-parameter-location: client`) and the client can
    /// hold it: a scalar query or header parameter. Path parameters stay
    /// method arguments (the path is built from them).
    fn client_param(&mut self, param: &Param, data: &ParameterData) -> Option<usize> {
        let on_client = data
            .extensions
            .get("x-ms-parameter-location")
            .and_then(serde_json::Value::as_str)
            == Some("client");
        let held = matches!(param.location, ParamLocation::Query | ParamLocation::Header)
            && self.is_scalar(&param.ty);
        if !(on_client && held) {
            return None;
        }
        let same = |known: &ClientParam| {
            known.wire_name == param.wire_name && known.location == param.location
        };
        if let Some(index) = self.client_params.iter().position(same) {
            return Some(index);
        }
        let mut taken = names::Taken::from(CLIENT_FIELDS);
        for known in &self.client_params {
            taken.insert(known.name.to_string());
        }
        self.client_params.push(ClientParam {
            name: names::unique(param.name.clone(), &mut taken),
            wire_name: param.wire_name.clone(),
            location: param.location,
            ty: param.ty.clone(),
            doc: param.doc.clone(),
        });
        Some(self.client_params.len() - 1)
    }

    /// A parameter's type: a scalar, a string enum, or a `form` query list
    /// of them; anything else is sent as a string with a warning.
    fn param_type(
        &mut self,
        parameter: &Parameter,
        schema: &'a ReferenceOr<openapiv3::Schema>,
        at: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        let ty = self.type_ref(schema.into(), &at.join("schema"), context)?;
        let form_list = matches!(
            parameter,
            Parameter::Query {
                style: QueryStyle::Form,
                ..
            }
        ) && matches!(&ty, TypeRef::List(item) if self.is_scalar(item));
        if self.is_scalar(&ty) || form_list {
            return Ok(ty);
        }
        self.warn(
            at,
            "a parameter that is not a string, number, integer, boolean or string enum (or a query list of them in `form` style); generated as a String holding its serialized value",
        );
        Ok(TypeRef::String)
    }

    /// The request body, resolved, in the media type generated for it.
    fn request_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &Pointer,
        context: &str,
        taken: &mut names::Taken,
    ) -> Result<Body, Error> {
        let at = pointer.join("requestBody");
        let (body, at) = self.resolve(body, at, "requestBodies", |c| &c.request_bodies)?;
        let Some((media_type, media)) = body_content(&body.content) else {
            return Err(self.unsupported(&at, "a request body without content"));
        };
        if body.extensions.get("x-ms-client-flatten") == Some(&serde_json::Value::Bool(true)) {
            // AutoRest's body flattening, the body's properties as method
            // arguments, would hide the model a request is built from.
            self.warn(
                &at.join("x-ms-client-flatten"),
                "`x-ms-client-flatten` on a body parameter; the body stays one argument",
            );
        }
        let encoding = encoding_of(media_type);
        let ty = match encoding {
            BodyEncoding::Json => {
                let at = at.join("content").join(media_type).join("schema");
                self.media_type(media, &at, &format!("{context}Body"))?
            }
            BodyEncoding::Text => TypeRef::String,
            BodyEncoding::Bytes => {
                if is_form(media_type) {
                    self.warn(
                        &at.join("content").join(media_type),
                        "a form body; sent as the bytes given (encode the form yourself)",
                    );
                }
                TypeRef::Bytes
            }
        };
        let name = self
            .client_name(&at)
            .or_else(|| {
                body.extensions
                    .get("x-ms-requestBody-name")
                    .and_then(|v| v.as_str())
            })
            .unwrap_or("body");
        Ok(Body {
            name: names::unique(names::param_ident(name), taken),
            ty,
            required: body.required,
            doc: body.description.clone(),
            media_type: media_type.to_owned(),
            encoding,
        })
    }

    /// `x-ms-pageable` with a next link, when the success body has the
    /// item list and the link it names; otherwise a warning.
    fn pageable(
        &mut self,
        operation: &SpecOperation,
        responses: &Responses,
        pointer: &Pointer,
    ) -> Option<Pageable> {
        let extension = operation.extensions.get("x-ms-pageable")?;
        // A null `nextLinkName` means one page: nothing to follow.
        let next_link = extension.get("nextLinkName")?.as_str()?;
        let items = extension
            .get("itemName")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("value");
        let page = match &responses.success_type {
            Some(TypeRef::Named(id)) => match &self.types[id.0].shape {
                TypeShape::Struct(page) => Some(page),
                _ => None,
            },
            _ => None,
        };
        let field = |wire: &str| page.and_then(|p| p.fields.iter().find(|f| f.wire_name == wire));
        match (field(items), field(next_link)) {
            (Some(items), Some(link)) if link.ty == TypeRef::String => match &items.ty {
                TypeRef::List(item) => Some(Pageable {
                    items_field: items.name.clone(),
                    items_required: items.required && !items.nullable,
                    next_link_field: link.name.clone(),
                    next_link_required: link.required && !link.nullable,
                    item: (**item).clone(),
                }),
                _ => None,
            },
            _ => None,
        }
        .or_else(|| {
            self.warn(
                &pointer.join("x-ms-pageable"),
                &format!("`x-ms-pageable` over a body without the list `{items}` and the string `{next_link}`; no pager generated"),
            );
            None
        })
    }

    /// Path-level parameters overridden by the operation's own, resolved.
    fn parameters(
        &self,
        path_level: &'a [ReferenceOr<Parameter>],
        item_pointer: &Pointer,
        own: &'a [ReferenceOr<Parameter>],
        pointer: &Pointer,
    ) -> Result<Vec<(&'a Parameter, Pointer)>, Error> {
        let mut resolved = Vec::new();
        for (list, base) in [(path_level, item_pointer), (own, pointer)] {
            for (i, parameter) in list.iter().enumerate() {
                let at = base.join("parameters").join(i);
                resolved.push(self.resolve(parameter, at, "parameters", |c| &c.parameters)?);
            }
        }
        let mut merged = params::merge(resolved, |(p, _)| {
            (p.parameter_data_ref().name.as_str(), Location::of(p))
        });
        // Path parameters first, then required, then optional: the order
        // of the method's arguments.
        merged.sort_by_key(|(p, _)| match p {
            Parameter::Path { .. } => 0,
            p if p.parameter_data_ref().required => 1,
            _ => 2,
        });
        Ok(merged)
    }

    /// Splits the path template into literals and parameters, and orders
    /// the path parameters as the template does.
    fn path_parts(
        &self,
        template: &str,
        params: &mut [Param],
        pointer: &Pointer,
    ) -> Result<Vec<PathPart>, Error> {
        let invalid = |message: String| Error::Invalid {
            path: self.source.path.clone(),
            pointer: pointer.to_string(),
            line: None,
            column: None,
            message,
        };
        let mut parts = Vec::new();
        let mut used = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| invalid(format!("unclosed `{{` in path `{template}`")))?;
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            let index = params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
                .ok_or_else(|| {
                    invalid(format!(
                        "path `{template}` names `{{{name}}}`, which no path parameter declares"
                    ))
                })?;
            if used.contains(&index) {
                return Err(invalid(format!(
                    "path `{template}` names `{{{name}}}` twice"
                )));
            }
            used.push(index);
            parts.push(PathPart::Param(index));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        if let Some(unused) = params
            .iter()
            .enumerate()
            .find(|(i, p)| p.location == ParamLocation::Path && !used.contains(i))
        {
            return Err(invalid(format!(
                "path parameter `{}` does not appear in path `{template}`",
                unused.1.wire_name
            )));
        }
        // Path parameters come first among `params`; put them in template
        // order, so part `n` is parameter `n`.
        let reordered: Vec<Param> = used.iter().map(|&i| params[i].clone()).collect();
        for (slot, param) in reordered.into_iter().enumerate() {
            params[slot] = param;
        }
        let mut next = 0;
        for part in &mut parts {
            if let PathPart::Param(index) = part {
                *index = next;
                next += 1;
            }
        }
        Ok(parts)
    }

    fn media_type(
        &mut self,
        media: &'a MediaType,
        at: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        match &media.schema {
            Some(schema) => self.type_ref(schema.into(), at, context),
            None => Ok(TypeRef::Json),
        }
    }

    fn responses(
        &mut self,
        operation: &'a SpecOperation,
        pointer: &Pointer,
        context: &str,
    ) -> Result<Responses, Error> {
        let at = pointer.join("responses");
        let mut success = Vec::new();
        let mut success_bodies = Vec::new();
        let mut headers: Vec<ResponseHeader> = Vec::new();
        // `body` is the field beside the headers.
        let mut header_names = names::Taken::from(["body"]);
        let mut error_bodies = Vec::new();
        for (status, response) in &operation.responses.responses {
            let status_at = at.join(status);
            // A 3xx is an error like a 4xx: the client follows no redirect
            // and sends no conditional request of its own (`304`).
            let (pattern, is_success) = match StatusKey::parse(&status.to_string()) {
                Some(StatusKey::Code(code @ 200..=299)) => (StatusPattern::Code(code), true),
                Some(StatusKey::Range(2)) => (StatusPattern::Range(2), true),
                Some(StatusKey::Code(code @ 300..=599)) => (StatusPattern::Code(code), false),
                Some(StatusKey::Range(class @ 3..=5)) => (StatusPattern::Range(class), false),
                _ => {
                    self.warn(
                        &status_at,
                        &format!(
                            "status `{status}`; not generated (an answer with it is an error)"
                        ),
                    );
                    continue;
                }
            };
            let suffix = if is_success { "Response" } else { "Error" };
            if is_success {
                let (declared, declared_at) =
                    self.resolve(response, status_at.clone(), "responses", |c| &c.responses)?;
                self.response_headers(
                    &declared.headers,
                    &declared_at,
                    &mut headers,
                    &mut header_names,
                )?;
            }
            let body = self.response_body(response, status_at, &format!("{context}{suffix}"))?;
            if is_success {
                success.push(pattern);
                success_bodies.push(body);
            } else if let Some(body) = body {
                error_bodies.push((pattern, body));
            }
        }
        if let Some(default) = &operation.responses.default {
            let default_at = at.join("default");
            let context = format!("{context}Error");
            let body = self.response_body(default, default_at.clone(), &context)?;
            if success.is_empty() {
                // Nothing tells success from failure: any 2xx is success,
                // and both read the one body.
                self.warn(
                    &default_at,
                    "only a `default` response; any 2xx is taken as success with its body",
                );
                success.push(StatusPattern::Range(2));
                success_bodies.push(body.clone());
            }
            if let Some(body) = body {
                error_bodies.push((StatusPattern::Default, body));
            }
        }
        if success.is_empty() {
            self.warn(
                &at,
                "no success (2xx) response declared; any 2xx is taken as success, with no body",
            );
            success.push(StatusPattern::Range(2));
            success_bodies.push(None);
        }
        let mut by_status: Vec<(StatusPattern, Option<TypeRef>)> =
            success.iter().copied().zip(success_bodies).collect();
        by_status.sort_by_key(|(status, _)| *status);
        success.sort();
        let mut success_type = by_status[0].1.clone();
        let differ = by_status.iter().any(|(_, body)| *body != success_type);
        if differ {
            // One variant per status; a body there is.
            success_type = Some(TypeRef::Json);
        } else {
            by_status.clear();
        }
        error_bodies.sort_by_key(|(status, _)| *status);
        let error_type = error_bodies.first().map(|(_, body)| body.clone());
        let errors_differ = error_bodies
            .iter()
            .any(|(_, body)| Some(body) != error_type.as_ref());
        let (error_type, errors_by_status) = match errors_differ {
            true => (None, error_bodies),
            false => (error_type, Vec::new()),
        };
        Ok(Responses {
            success,
            success_type,
            by_status,
            error_type,
            errors_by_status,
            headers,
        })
    }

    fn response_body(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        at: Pointer,
        context: &str,
    ) -> Result<Option<TypeRef>, Error> {
        let (response, at) = self.resolve(response, at, "responses", |c| &c.responses)?;
        match body_content(&response.content) {
            Some((key, media)) if encoding_of(key) == BodyEncoding::Json => {
                let at = at.join("content").join(key).join("schema");
                Ok(Some(self.media_type(media, &at, context)?))
            }
            Some((key, _)) => {
                self.warn(
                    &at.join("content").join(key),
                    &format!("a `{key}` response body; not decoded (only JSON bodies are read)"),
                );
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// Whether a parameter of type `ty` is written as plain text: scalars
    /// and string enums (through their `Display` and `FromStr`).
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Integer(_)
            | TypeRef::Float(_)
            | TypeRef::Timestamp
            | TypeRef::Date => true,
            TypeRef::Named(id) => match &self.types[id.0].shape {
                TypeShape::Enum(_) => true,
                TypeShape::Alias(target) => self.is_scalar(target),
                _ => false,
            },
            TypeRef::Json | TypeRef::Bytes | TypeRef::List(_) => false,
        }
    }

    fn note_api_version_default(&mut self, schema: &'a ReferenceOr<openapiv3::Schema>) {
        if let SchemaRef::Item(schema) = SchemaRef::from(schema)
            && let Some(serde_json::Value::String(default)) = &schema.schema_data.default
        {
            self.api_version_default = Some(default.clone());
        }
    }
}

/// A parameter once lowered: an argument, or the `api-version` the client
/// sends itself.
enum Lowered {
    Param(Param),
    ApiVersion(ApiVersionParam),
    /// A header the client's pipeline already sends.
    SentByPipeline,
    /// A parameter the client holds: its index, and whether this
    /// operation requires it.
    OnClient(usize, bool),
}

/// Azure's `x-ms-long-running-operation: true`, with where its final
/// result is read (`final-state-via`; by default the resource itself for
/// PUT and PATCH, else the `Location`).
fn long_running(operation: &SpecOperation, method: &str) -> Option<FinalStateVia> {
    let flag = operation.extensions.get("x-ms-long-running-operation")?;
    if flag.as_bool() != Some(true) {
        return None;
    }
    let via = operation
        .extensions
        .get("x-ms-long-running-operation-options")
        .and_then(|options| options.get("final-state-via"))
        .and_then(serde_json::Value::as_str);
    Some(match via {
        Some("azure-async-operation") => FinalStateVia::AzureAsyncOperation,
        Some("location") => FinalStateVia::Location,
        Some("operation-location") => FinalStateVia::OperationLocation,
        Some("original-uri") => FinalStateVia::OriginalUri,
        _ if matches!(method, "put" | "patch") => FinalStateVia::OriginalUri,
        _ => FinalStateVia::Location,
    })
}

/// The fields every generated `Client` has, which a client parameter's
/// field must not take.
const CLIENT_FIELDS: [&str; 2] = ["pipeline", "api_version"];

/// The header that carries the caller's request id, which the Azure
/// pipeline sets on every call.
const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

/// The media type a body is generated for: JSON when offered, else the
/// first one declared.
fn body_content(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(key, _)| encoding_of(key) == BodyEncoding::Json)
        .or_else(|| content.iter().next())
        .map(|(key, media)| (key.as_str(), media))
}

/// `application/json; charset=utf-8` → `application/json`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is JSON: `application/json`, any `*+json`
/// (`merge-patch+json`), with or without parameters (`; charset=utf-8`).
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type is a JSON merge patch (RFC 7386).
pub fn is_merge_patch(media_type: &str) -> bool {
    essence(media_type) == "application/merge-patch+json"
}

fn encoding_of(media_type: &str) -> BodyEncoding {
    if is_json(media_type) {
        BodyEncoding::Json
    } else if essence(media_type).starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

fn is_form(media_type: &str) -> bool {
    matches!(
        essence(media_type).as_str(),
        "application/x-www-form-urlencoded" | "multipart/form-data"
    )
}

/// The operation's summary, then its description when it says more.
fn operation_doc(operation: &SpecOperation) -> Option<String> {
    match (&operation.summary, &operation.description) {
        (Some(summary), Some(description)) if summary.trim() != description.trim() => {
            Some(format!("{summary}\n\n{description}"))
        }
        (Some(text), _) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
}

/// The method name for an operation id, falling back to the whole id and
/// then to a number when two operations would share a name. A pageable
/// operation's helpers (`<name>_request`, `<name>_pages`) are taken too.
fn unique_method_name(op: &Operation, taken: &mut names::Taken) -> RustIdent {
    let id = op.id.as_str();
    // The methods an operation adds beside its own: the shared request
    // builder, the pages, the poller's start.
    let helpers = |name: &RustIdent| -> Vec<String> {
        let mut helpers = Vec::new();
        if op.pageable.is_some() || op.long_running.is_some() {
            helpers.push(derived_fn_name(name, "", "_request"));
        }
        if op.pageable.is_some() {
            helpers.push(derived_fn_name(name, "", "_pages"));
        }
        if op.long_running.is_some() {
            helpers.push(derived_fn_name(name, "begin_", ""));
        }
        helpers
    };
    let free = |name: &RustIdent, taken: &names::Taken| {
        !taken.contains(&name.to_string()) && helpers(name).iter().all(|h| !taken.contains(h))
    };
    let short = names::method_name(id);
    let long = names::snake_ident(id);
    let name = if free(&short, taken) {
        short
    } else if free(&long, taken) {
        long
    } else {
        let base = long.bare().trim_end_matches('_');
        (2..)
            .filter_map(|n| RustIdent::new(&format!("{base}_{n}")))
            .find(|candidate| free(candidate, taken))
            .unwrap_or(long)
    };
    taken.insert(name.to_string());
    for helper in helpers(&name) {
        taken.insert(helper);
    }
    name
}
