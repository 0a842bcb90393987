//! Converts Swagger 2.0 documents (the form Azure publishes) into OpenAPI 3.0.3, so the loader can read them.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use crate::pointer::Pointer;

type Object = Map<String, Value>;

/// The operations a Swagger 2.0 path item may hold.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The schema keywords a non-body parameter, a header or an `items` object
/// spells out beside its own fields; OpenAPI 3 moves them into `schema`.
const PRIMITIVE_KEYWORDS: [&str; 15] = [
    "type",
    "format",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Extensions that describe a parameter's or header's value rather than the
/// parameter itself: they move into its `schema`, where OpenAPI 3 readers
/// (our lowering included) look for them.
const SCHEMA_EXTENSIONS: [&str; 2] = ["x-nullable", "x-ms-enum"];

/// What a body is sent or received as when neither the operation nor the
/// document says.
const DEFAULT_MEDIA_TYPE: &str = "application/json";
const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Converts a Swagger 2.0 document into the OpenAPI 3.0.3 document that means the same.
/// `Err` names the JSON pointer (RFC 6901, e.g. `/paths/~1a/post/parameters/0`) of the first thing it cannot convert and why.
pub fn to_openapi3(swagger: &Value) -> Result<Value, ConversionError> {
    let root = object(swagger, &Pointer::root())?;
    match root.get("swagger") {
        Some(Value::String(version)) if version == "2.0" => {}
        other => {
            return Err(error(
                &Pointer::root().join("swagger"),
                format!("expected \"2.0\", found {}", describe(other)),
            ));
        }
    }
    Converter::new(root)?.document()
}

/// Why a Swagger document could not be converted, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("at {pointer}: {message}")]
pub struct ConversionError {
    pub pointer: String,
    pub message: String,
}

/// The document being converted, with the document-wide defaults every
/// operation falls back on.
struct Converter<'a> {
    root: &'a Object,
    /// The document's `consumes`, or JSON.
    consumes: Vec<String>,
    /// The document's `produces`, or JSON.
    produces: Vec<String>,
}

/// A parameter after following its `$ref`, if it had one.
struct Resolved<'a> {
    /// The (escaped) name under `#/parameters` it refers to.
    shared: Option<&'a str>,
    definition: &'a Object,
}

impl<'a> Resolved<'a> {
    fn location(&self) -> &'a str {
        self.definition
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// What an operation's parameter overrides on the path level: the same
    /// `in` and `name`; there is only ever one body, whatever its name.
    fn key(&self) -> (&'a str, &'a str) {
        let name = match self.location() {
            "body" => "",
            _ => self
                .definition
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(""),
        };
        (self.location(), name)
    }
}

impl<'a> Converter<'a> {
    fn new(root: &'a Object) -> Result<Self, ConversionError> {
        // References are looked up in these sections (`shared`); checking
        // their shape once here lets a bad section be reported as such
        // rather than as a reference that names nothing.
        for section in [
            "definitions",
            "parameters",
            "responses",
            "securityDefinitions",
        ] {
            field_object(root, section, &Pointer::root())?;
        }
        Ok(Self {
            root,
            consumes: media_types(root.get("consumes"), &[]),
            produces: media_types(root.get("produces"), &[]),
        })
    }

    fn document(&self) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        out.insert("openapi".into(), "3.0.3".into());
        for key in ["info", "tags", "externalDocs", "security"] {
            if let Some(value) = self.root.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        self.copy_extensions(self.root, &mut out);
        // Their meaning moves into `paths` and `servers`.
        out.remove("x-ms-paths");
        out.remove("x-ms-parameterized-host");
        out.insert("servers".into(), self.servers()?);
        out.insert("paths".into(), Value::Object(self.paths()?));
        let components = self.components()?;
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Ok(Value::Object(out))
    }

    /// The server URLs. Azure's `x-ms-parameterized-host` replaces `host`
    /// (AutoRest reads it that way); either way the URL ends with
    /// `basePath`, and a server per scheme is listed when a scheme is part
    /// of the URL.
    fn servers(&self) -> Result<Value, ConversionError> {
        let base_path = self
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        if let Some(host) = self.root.get("x-ms-parameterized-host") {
            return self.parameterized_servers(host, base_path);
        }
        if let Some(host) = self.root.get("host").and_then(Value::as_str) {
            let servers = self
                .schemes()
                .into_iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }));
            return Ok(Value::Array(servers.collect()));
        }
        let url = if base_path.is_empty() { "/" } else { base_path };
        Ok(json!([{ "url": url }]))
    }

    /// The document's `schemes`, or HTTPS (Swagger's default is "whatever
    /// served the document", which a file on disk cannot say).
    fn schemes(&self) -> Vec<&'a str> {
        let schemes: Vec<&str> = self
            .root
            .get("schemes")
            .and_then(Value::as_array)
            .map(|schemes| schemes.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if schemes.is_empty() {
            vec!["https"]
        } else {
            schemes
        }
    }

    /// Servers from `x-ms-parameterized-host`: `hostTemplate` (after the
    /// scheme unless `useSchemePrefix: false`) with a variable per host
    /// parameter. `positionInOperation` only orders client arguments, so it
    /// has nothing to convert.
    fn parameterized_servers(
        &self,
        host: &'a Value,
        base_path: &str,
    ) -> Result<Value, ConversionError> {
        let at = Pointer::root().join("x-ms-parameterized-host");
        let host = object(host, &at)?;
        let template = required_str(host, "hostTemplate", &at)?;
        let mut variables = Object::new();
        if let Some(parameters) = host.get("parameters") {
            let at = at.join("parameters");
            for (index, parameter) in array(parameters, &at)?.iter().enumerate() {
                let at = at.join(index);
                let definition = self.resolve_parameter(parameter, &at)?.definition;
                let name = required_str(definition, "name", &at)?;
                variables.insert(name.to_owned(), self.server_variable(definition));
            }
        }
        let prefixed = host
            .get("useSchemePrefix")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let urls: Vec<String> = if prefixed {
            self.schemes()
                .into_iter()
                .map(|scheme| format!("{scheme}://{template}{base_path}"))
                .collect()
        } else {
            vec![format!("{template}{base_path}")]
        };
        let servers = urls.into_iter().map(|url| {
            let mut server = Object::new();
            server.insert("url".into(), url.into());
            if !variables.is_empty() {
                server.insert("variables".into(), Value::Object(variables.clone()));
            }
            Value::Object(server)
        });
        Ok(Value::Array(servers.collect()))
    }

    /// A host parameter as a server variable. OpenAPI requires a `default`
    /// and host parameters rarely have one: the first `enum` value stands
    /// in, and failing that `""`, which says "no usable default, the caller
    /// must give one" rather than inventing a host (AutoRest does the same;
    /// swagger2openapi writes `"none"`).
    fn server_variable(&self, definition: &'a Object) -> Value {
        let enumeration: Vec<String> = definition
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().map(variable_text).collect())
            .unwrap_or_default();
        let default = definition
            .get("default")
            .map(variable_text)
            .or_else(|| enumeration.first().cloned())
            .unwrap_or_default();
        let mut variable = Object::new();
        variable.insert("default".into(), default.into());
        if !enumeration.is_empty() {
            variable.insert("enum".into(), enumeration.into());
        }
        if let Some(description) = definition.get("description") {
            variable.insert("description".into(), description.clone());
        }
        self.copy_extensions(definition, &mut variable);
        Value::Object(variable)
    }

    /// `paths` and Azure's `x-ms-paths` as one map. An `x-ms-paths` key
    /// carries a query string only to be a distinct JSON key
    /// (`/jobs/{id}?_overload=x`); it is dropped, and two operations that
    /// then share a path and method are an error.
    fn paths(&self) -> Result<Object, ConversionError> {
        let mut sources: BTreeMap<&str, Vec<(Pointer, &'a Value)>> = BTreeMap::new();
        for section in ["paths", "x-ms-paths"] {
            let Some(paths) = field_object(self.root, section, &Pointer::root())? else {
                continue;
            };
            let at = Pointer::root().join(section);
            for (path, item) in paths {
                let plain = path
                    .split_once('?')
                    .map_or(path.as_str(), |(plain, _)| plain);
                sources
                    .entry(plain)
                    .or_default()
                    .push((at.join(path), item));
            }
        }
        let mut out = Object::new();
        for (path, items) in sources {
            out.insert(
                path.to_owned(),
                Value::Object(self.merged_path_item(path, &items)?),
            );
        }
        Ok(out)
    }

    /// The item for `path` from one source or several. When several share
    /// a path, each one's path-level parameters move into its own
    /// operations, so that they do not apply to the others'.
    fn merged_path_item(
        &self,
        path: &str,
        items: &[(Pointer, &'a Value)],
    ) -> Result<Object, ConversionError> {
        if let [(at, item)] = items {
            return self.path_item(item, at, true);
        }
        let mut merged = Object::new();
        for (at, item) in items {
            for (key, value) in self.path_item(item, at, false)? {
                if !merged.contains_key(&key) {
                    merged.insert(key, value);
                } else if METHODS.contains(&key.as_str()) {
                    return Err(error(
                        &at.join(&key),
                        format!(
                            "`{} {path}` is already defined; dropping the query string of `x-ms-paths` keys would make two operations one",
                            key.to_uppercase()
                        ),
                    ));
                }
            }
        }
        Ok(merged)
    }

    /// A path item. Body and form parameters cannot be shared on an OpenAPI
    /// 3 path item, so they always move into its operations; the others
    /// stay shared when `share_parameters` allows.
    fn path_item(
        &self,
        item: &'a Value,
        at: &Pointer,
        share_parameters: bool,
    ) -> Result<Object, ConversionError> {
        let item = object(item, at)?;
        let mut shared = Vec::new();
        let mut inherited = Vec::new();
        for (at, parameter) in parameter_list(item, at)? {
            let resolved = self.resolve_parameter(parameter, &at)?;
            if share_parameters && !matches!(resolved.location(), "body" | "formData") {
                shared.push(self.plain_parameter(&resolved, &at)?);
            } else {
                inherited.push((at, parameter));
            }
        }
        let mut out = Object::new();
        if !shared.is_empty() {
            out.insert("parameters".into(), shared.into());
        }
        for (method, operation) in item
            .iter()
            .filter(|(key, _)| METHODS.contains(&key.as_str()))
        {
            out.insert(
                method.clone(),
                self.operation(operation, &inherited, &at.join(method))?,
            );
        }
        if let Some(reference) = item.get("$ref") {
            out.insert("$ref".into(), reference.clone());
        }
        self.copy_extensions(item, &mut out);
        Ok(out)
    }

    /// An operation, with `inherited` path-level parameters it does not
    /// redefine. Per-operation `schemes` have no OpenAPI 3 counterpart
    /// short of per-operation servers, and are dropped.
    fn operation(
        &self,
        operation: &'a Value,
        inherited: &[(Pointer, &'a Value)],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let operation = object(operation, at)?;
        let consumes = media_types(operation.get("consumes"), &self.consumes);
        let produces = media_types(operation.get("produces"), &self.produces);
        let mut out = Object::new();
        for key in [
            "tags",
            "summary",
            "description",
            "externalDocs",
            "operationId",
            "deprecated",
            "security",
        ] {
            if let Some(value) = operation.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        let (parameters, request_body) =
            self.operation_parameters(operation, inherited, &consumes, at)?;
        if !parameters.is_empty() {
            out.insert("parameters".into(), parameters.into());
        }
        if let Some(request_body) = request_body {
            out.insert("requestBody".into(), request_body);
        }
        if let Some(responses) = operation.get("responses") {
            out.insert(
                "responses".into(),
                self.responses(responses, &produces, &at.join("responses"))?,
            );
        }
        self.copy_extensions(operation, &mut out);
        Ok(Value::Object(out))
    }

    /// Splits an operation's Swagger parameters into OpenAPI parameters and
    /// a request body (from its one body parameter or its form fields).
    fn operation_parameters(
        &self,
        operation: &'a Object,
        inherited: &[(Pointer, &'a Value)],
        consumes: &[String],
        at: &Pointer,
    ) -> Result<(Vec<Value>, Option<Value>), ConversionError> {
        let mut resolved = Vec::new();
        for (at, parameter) in parameter_list(operation, at)? {
            resolved.push((self.resolve_parameter(parameter, &at)?, at));
        }
        let own: HashSet<(&str, &str)> = resolved
            .iter()
            .map(|(parameter, _)| parameter.key())
            .collect();
        for (at, parameter) in inherited {
            let parameter = self.resolve_parameter(parameter, at)?;
            if !own.contains(&parameter.key()) {
                resolved.push((parameter, at.clone()));
            }
        }
        let mut parameters = Vec::new();
        let mut body = None;
        let mut form = Vec::new();
        for (parameter, at) in &resolved {
            let second_body = match parameter.location() {
                "body" => body.is_some() || !form.is_empty(),
                "formData" => body.is_some(),
                _ => false,
            };
            if second_body {
                let message = "a second request body: Swagger allows one body parameter, and no form fields beside it";
                return Err(error(at, message));
            }
            match parameter.location() {
                "body" => body = Some(self.body_or_ref(parameter, consumes, at)?),
                "formData" => form.push((at, parameter.definition)),
                "path" | "query" | "header" => {
                    parameters.push(self.plain_parameter(parameter, at)?)
                }
                other => {
                    return Err(error(
                        &at.join("in"),
                        format!("unknown parameter location `{other}`"),
                    ));
                }
            }
        }
        if !form.is_empty() {
            body = Some(self.form_body(&form, consumes)?);
        }
        Ok((parameters, body))
    }

    /// A path, query or header parameter, or a reference to a shared one.
    fn plain_parameter(
        &self,
        parameter: &Resolved<'a>,
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        match parameter.shared {
            Some(name) => Ok(json!({ "$ref": format!("#/components/parameters/{name}") })),
            None => self.parameter(parameter.definition, at),
        }
    }

    /// A path, query or header parameter: Swagger's inline type keywords
    /// move into `schema`, `collectionFormat` becomes `style`/`explode`,
    /// and `x-ms-skip-url-encoding` on a query parameter is also said the
    /// OpenAPI way (`allowReserved`).
    fn parameter(&self, definition: &'a Object, at: &Pointer) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue"] {
            if let Some(value) = definition.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        self.copy_extensions(definition, &mut out);
        out.insert(
            "schema".into(),
            Value::Object(primitive_schema(definition, at)?),
        );
        let location = required_str(definition, "in", at)?;
        if let Some((style, explode)) = style(definition, location, at)? {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        if location == "query"
            && definition.get("x-ms-skip-url-encoding") == Some(&Value::Bool(true))
        {
            out.insert("allowReserved".into(), true.into());
        }
        Ok(Value::Object(out))
    }

    /// A body parameter's request body, or a reference to the shared one.
    /// Shared request bodies are written with the document's `consumes`; an
    /// operation that consumes other media types gets its own copy, so
    /// that its content types stay right.
    fn body_or_ref(
        &self,
        parameter: &Resolved<'a>,
        consumes: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        match parameter.shared {
            Some(name) if consumes == self.consumes.as_slice() => {
                Ok(json!({ "$ref": format!("#/components/requestBodies/{name}") }))
            }
            _ => self.request_body(parameter.definition, consumes, at),
        }
    }

    /// A body parameter as a request body: a `content` entry per media type
    /// consumed, all with the parameter's schema. The parameter's name is
    /// kept as `x-ms-requestBody-name`, AutoRest's name for it, which the
    /// generator uses for the argument.
    fn request_body(
        &self,
        definition: &'a Object,
        consumes: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let Some(schema) = definition.get("schema") else {
            return Err(error(at, "a body parameter without `schema`"));
        };
        let mut schema = self.schema(schema, &at.join("schema"))?;
        if definition.get("x-nullable") == Some(&Value::Bool(true)) {
            schema = nullable(schema);
        }
        let content: Object = consumes
            .iter()
            .map(|media| (media.clone(), json!({ "schema": schema })))
            .collect();
        let mut out = Object::new();
        if let Some(description) = definition.get("description") {
            out.insert("description".into(), description.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if let Some(required) = definition.get("required") {
            out.insert("required".into(), required.clone());
        }
        if let Some(name) = definition.get("name") {
            out.insert("x-ms-requestBody-name".into(), name.clone());
        }
        self.copy_extensions(definition, &mut out);
        Ok(Value::Object(out))
    }

    /// Form fields as one request body: an object schema with a property
    /// per field, sent as the form media types the operation consumes or,
    /// if it names none, multipart when a file is uploaded and URL-encoded
    /// otherwise. Array `collectionFormat`s become `encoding` for
    /// URL-encoded forms only, the one place OpenAPI reads them.
    fn form_body(
        &self,
        fields: &[(&Pointer, &'a Object)],
        consumes: &[String],
    ) -> Result<Value, ConversionError> {
        let mut properties = Object::new();
        let mut required = Vec::new();
        let mut encoding = Object::new();
        let mut uploads_file = false;
        for (at, field) in fields {
            let name = required_str(field, "name", at)?;
            let mut property = primitive_schema(field, at)?;
            if let Some(description) = field.get("description") {
                property.insert("description".into(), description.clone());
            }
            self.copy_extensions(field, &mut property);
            properties.insert(name.to_owned(), Value::Object(property));
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(name);
            }
            if let Some((style, explode)) = style(field, "formData", at)? {
                encoding.insert(
                    name.to_owned(),
                    json!({ "style": style, "explode": explode }),
                );
            }
            uploads_file |= field.get("type").and_then(Value::as_str) == Some("file");
        }
        let mut schema = Object::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), required.clone().into());
        }
        let schema = Value::Object(schema);
        let listed: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|media| [URLENCODED, MULTIPART].contains(media))
            .collect();
        let media_types = match (listed.is_empty(), uploads_file) {
            (false, _) => listed,
            (true, true) => vec![MULTIPART],
            (true, false) => vec![URLENCODED],
        };
        let content: Object = media_types
            .into_iter()
            .map(|media| {
                let mut entry = Object::new();
                entry.insert("schema".into(), schema.clone());
                if media == URLENCODED && !encoding.is_empty() {
                    entry.insert("encoding".into(), Value::Object(encoding.clone()));
                }
                (media.to_owned(), Value::Object(entry))
            })
            .collect();
        let mut out = Object::new();
        out.insert("content".into(), Value::Object(content));
        if !required.is_empty() {
            out.insert("required".into(), true.into());
        }
        Ok(Value::Object(out))
    }

    /// An operation's responses, keyed by status code.
    fn responses(
        &self,
        responses: &'a Value,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        for (code, response) in object(responses, at)? {
            let converted = if code.starts_with("x-") {
                self.extension(code, response)
            } else {
                self.response_or_ref(response, produces, &at.join(code))?
            };
            out.insert(code.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    /// A response or a reference to a shared one; like shared request
    /// bodies, a shared response is copied in when the operation produces
    /// other media types than the document.
    fn response_or_ref(
        &self,
        response: &'a Value,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let response = object(response, at)?;
        let Some(reference) = response.get("$ref") else {
            return self.response(response, produces, at);
        };
        let reference = reference
            .as_str()
            .ok_or_else(|| error(&at.join("$ref"), "expected a string"))?;
        let shared = reference
            .strip_prefix("#/responses/")
            .and_then(|name| self.shared("responses", name));
        match shared {
            Some(shared) if produces != self.produces.as_slice() => {
                self.response(shared, produces, at)
            }
            _ => Ok(json!({ "$ref": self.rewrite_ref(reference) })),
        }
    }

    /// A response: its schema under each media type produced, its
    /// `examples` (keyed by media type) as those media types' `example`,
    /// and its headers. A response without schema or examples has no
    /// content.
    fn response(
        &self,
        response: &'a Object,
        produces: &[String],
        at: &Pointer,
    ) -> Result<Value, ConversionError> {
        let mut out = Object::new();
        let description = response
            .get("description")
            .cloned()
            .unwrap_or_else(|| "".into());
        out.insert("description".into(), description);
        let schema = response
            .get("schema")
            .map(|schema| self.schema(schema, &at.join("schema")))
            .transpose()?;
        let examples = field_object(response, "examples", at)?;
        let mut media_types: Vec<&str> = match schema {
            Some(_) => produces.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        let unlisted: Vec<&str> = examples
            .into_iter()
            .flatten()
            .map(|(media, _)| media.as_str())
            .filter(|media| !media_types.contains(media))
            .collect();
        media_types.extend(unlisted);
        let content: Object = media_types
            .into_iter()
            .map(|media| {
                let mut entry = Object::new();
                if let Some(schema) = &schema {
                    entry.insert("schema".into(), schema.clone());
                }
                if let Some(example) = examples.and_then(|examples| examples.get(media)) {
                    entry.insert("example".into(), example.clone());
                }
                (media.to_owned(), Value::Object(entry))
            })
            .collect();
        if let Some(headers) = field_object(response, "headers", at)? {
            let at = at.join("headers");
            let mut converted = Object::new();
            for (name, header) in headers {
                converted.insert(name.clone(), self.header(header, &at.join(name))?);
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        self.copy_extensions(response, &mut out);
        Ok(Value::Object(out))
    }

    /// A response header: its type keywords move into `schema`.
    fn header(&self, header: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let header = object(header, at)?;
        let mut out = Object::new();
        if let Some(description) = header.get("description") {
            out.insert("description".into(), description.clone());
        }
        self.copy_extensions(header, &mut out);
        out.insert(
            "schema".into(),
            Value::Object(primitive_schema(header, at)?),
        );
        if let Some((style, explode)) = style(header, "header", at)? {
            out.insert("style".into(), style.into());
            out.insert("explode".into(), explode.into());
        }
        Ok(Value::Object(out))
    }

    /// A schema: mostly the same words in both versions. The differences
    /// are `type: file` (a binary string), `discriminator` (a property
    /// name in Swagger, an object in OpenAPI 3), `x-nullable` (`nullable`)
    /// and references, rewritten wherever a schema can hold one.
    fn schema(&self, schema: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let schema = object(schema, at)?;
        let mut out = Object::new();
        for (key, value) in schema {
            let at = at.join(key);
            let converted = match (key.as_str(), value) {
                ("$ref", Value::String(reference)) => self.rewrite_ref(reference).into(),
                ("properties", _) => {
                    let mut properties = Object::new();
                    for (name, property) in object(value, &at)? {
                        properties.insert(name.clone(), self.schema(property, &at.join(name))?);
                    }
                    Value::Object(properties)
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                    self.schema(value, &at)?
                }
                ("allOf" | "anyOf" | "oneOf", _) => {
                    let parts = array(value, &at)?.iter().enumerate();
                    parts
                        .map(|(index, part)| self.schema(part, &at.join(index)))
                        .collect::<Result<_, _>>()?
                }
                ("discriminator", Value::String(property)) => json!({ "propertyName": property }),
                ("x-nullable", _) => continue,
                _ if key.starts_with("x-") => self.extension(key, value),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            out.insert("type".into(), "string".into());
            out.insert("format".into(), "binary".into());
        }
        let out = Value::Object(out);
        Ok(if schema.get("x-nullable") == Some(&Value::Bool(true)) {
            nullable(out)
        } else {
            out
        })
    }

    /// `definitions`, `parameters`, `responses` and `securityDefinitions`
    /// under `components`. Shared body parameters become request bodies;
    /// shared form fields have no OpenAPI 3 home and are copied into the
    /// operations that use them instead.
    fn components(&self) -> Result<Object, ConversionError> {
        let root = Pointer::root();
        let mut schemas = Object::new();
        for (name, schema) in field_object(self.root, "definitions", &root)?
            .into_iter()
            .flatten()
        {
            schemas.insert(
                name.clone(),
                self.schema(schema, &root.join("definitions").join(name))?,
            );
        }
        let mut parameters = Object::new();
        let mut request_bodies = Object::new();
        for (name, parameter) in field_object(self.root, "parameters", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("parameters").join(name);
            let definition = object(parameter, &at)?;
            match definition.get("in").and_then(Value::as_str) {
                Some("body") => {
                    request_bodies.insert(
                        name.clone(),
                        self.request_body(definition, &self.consumes, &at)?,
                    );
                }
                Some("formData") => {}
                _ => {
                    parameters.insert(name.clone(), self.parameter(definition, &at)?);
                }
            }
        }
        let mut responses = Object::new();
        for (name, response) in field_object(self.root, "responses", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("responses").join(name);
            responses.insert(
                name.clone(),
                self.response(object(response, &at)?, &self.produces, &at)?,
            );
        }
        let mut security_schemes = Object::new();
        for (name, scheme) in field_object(self.root, "securityDefinitions", &root)?
            .into_iter()
            .flatten()
        {
            let at = root.join("securityDefinitions").join(name);
            security_schemes.insert(name.clone(), self.security_scheme(scheme, &at)?);
        }
        let mut out = Object::new();
        for (key, map) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", request_bodies),
            ("responses", responses),
            ("securitySchemes", security_schemes),
        ] {
            if !map.is_empty() {
                out.insert(key.into(), Value::Object(map));
            }
        }
        Ok(out)
    }

    /// A security definition: `basic` is an HTTP scheme in OpenAPI 3, and
    /// an OAuth2 definition's single `flow` becomes its entry in `flows`.
    fn security_scheme(&self, scheme: &'a Value, at: &Pointer) -> Result<Value, ConversionError> {
        let scheme = object(scheme, at)?;
        let mut out = match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => json!({ "type": "http", "scheme": "basic" }),
            Some("apiKey") => {
                json!({ "type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in") })
            }
            Some("oauth2") => json!({ "type": "oauth2", "flows": oauth2_flows(scheme, at)? }),
            _ => {
                let message = format!(
                    "unknown security scheme type {}",
                    describe(scheme.get("type"))
                );
                return Err(error(&at.join("type"), message));
            }
        };
        if let Some(out) = out.as_object_mut() {
            if let Some(description) = scheme.get("description") {
                out.insert("description".into(), description.clone());
            }
            self.copy_extensions(scheme, out);
        }
        Ok(out)
    }

    /// Follows a parameter's `$ref` into `#/parameters`: whether it is a
    /// body, a form field or neither decides what it becomes.
    fn resolve_parameter(
        &self,
        parameter: &'a Value,
        at: &Pointer,
    ) -> Result<Resolved<'a>, ConversionError> {
        let definition = object(parameter, at)?;
        let Some(reference) = definition.get("$ref") else {
            return Ok(Resolved {
                shared: None,
                definition,
            });
        };
        let at = at.join("$ref");
        let reference = reference
            .as_str()
            .ok_or_else(|| error(&at, "expected a string"))?;
        let Some(name) = reference.strip_prefix("#/parameters/") else {
            return Err(error(
                &at,
                format!("`{reference}` is not a parameter of this document"),
            ));
        };
        match self.shared("parameters", name) {
            Some(definition) => Ok(Resolved {
                shared: Some(name),
                definition,
            }),
            None => Err(error(&at, format!("`{reference}` names no parameter"))),
        }
    }

    /// The object `#/{section}/{name}` (`name` escaped as in a pointer).
    fn shared(&self, section: &str, name: &str) -> Option<&'a Object> {
        let name = name.replace("~1", "/").replace("~0", "~");
        self.root.get(section)?.get(&name)?.as_object()
    }

    /// A local Swagger reference as the OpenAPI 3 reference to the same
    /// thing; references into other files (Azure's example files) are left
    /// as they are.
    fn rewrite_ref(&self, reference: &str) -> String {
        if let Some(name) = reference.strip_prefix("#/definitions/") {
            format!("#/components/schemas/{name}")
        } else if let Some(name) = reference.strip_prefix("#/responses/") {
            format!("#/components/responses/{name}")
        } else if let Some(name) = reference.strip_prefix("#/parameters/") {
            let is_body = self
                .shared("parameters", name)
                .and_then(|p| p.get("in"))
                .and_then(Value::as_str)
                == Some("body");
            let section = if is_body {
                "requestBodies"
            } else {
                "parameters"
            };
            format!("#/components/{section}/{name}")
        } else {
            reference.to_owned()
        }
    }

    /// An extension's value. Local references inside it, as `$ref`s or as
    /// plain strings (Azure's `x-ms-odata: "#/definitions/X"`), follow their
    /// targets to `components`; `x-ms-examples` stays as written, for the
    /// conformance tester to read.
    fn extension(&self, key: &str, value: &Value) -> Value {
        match value {
            _ if key == "x-ms-examples" => value.clone(),
            Value::String(text) => self.rewrite_ref(text).into(),
            Value::Array(items) => items.iter().map(|item| self.extension(key, item)).collect(),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), self.extension(key, member)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Copies `from`'s extensions onto `into`, except the
    /// [`SCHEMA_EXTENSIONS`], which [`primitive_schema`] puts in the schema.
    fn copy_extensions(&self, from: &Object, into: &mut Object) {
        for (key, value) in from {
            if key.starts_with("x-") && !SCHEMA_EXTENSIONS.contains(&key.as_str()) {
                into.insert(key.clone(), self.extension(key, value));
            }
        }
    }
}

/// The schema Swagger spells out inline on a non-body parameter, a header or
/// an `items` object: its type keywords, `items` converted the same way,
/// `type: file` as a binary string, and the [`SCHEMA_EXTENSIONS`]
/// (`x-nullable` as `nullable`).
fn primitive_schema(definition: &Object, at: &Pointer) -> Result<Object, ConversionError> {
    let mut schema = Object::new();
    for key in PRIMITIVE_KEYWORDS {
        if let Some(value) = definition.get(key) {
            schema.insert(key.into(), value.clone());
        }
    }
    if definition.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    if let Some(items) = definition.get("items") {
        let at = at.join("items");
        let items = object(items, &at)?;
        match items.get("collectionFormat").and_then(Value::as_str) {
            None | Some("csv") => {}
            Some(format) => {
                let message = format!(
                    "collectionFormat `{format}` inside an array has no OpenAPI 3.0 equivalent"
                );
                return Err(error(&at.join("collectionFormat"), message));
            }
        }
        schema.insert("items".into(), Value::Object(primitive_schema(items, &at)?));
    }
    if definition.get("x-nullable") == Some(&Value::Bool(true)) {
        schema.insert("nullable".into(), true.into());
    }
    if let Some(enum_info) = definition.get("x-ms-enum") {
        schema.insert("x-ms-enum".into(), enum_info.clone());
    }
    Ok(schema)
}

/// How an array parameter or header is serialized, from Swagger's
/// `collectionFormat` (default `csv`). `tsv`, and delimiters other than
/// commas outside query strings and forms, have no OpenAPI 3.0 spelling.
fn style(
    definition: &Object,
    location: &str,
    at: &Pointer,
) -> Result<Option<(&'static str, bool)>, ConversionError> {
    if definition.get("type").and_then(Value::as_str) != Some("array") {
        return Ok(None);
    }
    let format = definition
        .get("collectionFormat")
        .and_then(Value::as_str)
        .unwrap_or("csv");
    let style = match (location, format) {
        ("query" | "formData", "csv") => ("form", false),
        ("query" | "formData", "multi") => ("form", true),
        ("query" | "formData", "ssv") => ("spaceDelimited", false),
        ("query" | "formData", "pipes") => ("pipeDelimited", false),
        ("path" | "header", "csv") => ("simple", false),
        _ => {
            let message = format!(
                "collectionFormat `{format}` has no OpenAPI 3.0 equivalent for a {location} value"
            );
            return Err(error(&at.join("collectionFormat"), message));
        }
    };
    Ok(Some(style))
}

/// An OAuth2 definition's `flow` as OpenAPI 3 `flows`, each flow with the
/// URLs it uses and its `scopes` (required in OpenAPI 3).
fn oauth2_flows(scheme: &Object, at: &Pointer) -> Result<Value, ConversionError> {
    let (name, urls): (&str, &[&str]) = match scheme.get("flow").and_then(Value::as_str) {
        Some("implicit") => ("implicit", &["authorizationUrl"]),
        Some("password") => ("password", &["tokenUrl"]),
        Some("application") => ("clientCredentials", &["tokenUrl"]),
        Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        _ => {
            return Err(error(
                &at.join("flow"),
                format!("unknown OAuth2 flow {}", describe(scheme.get("flow"))),
            ));
        }
    };
    let mut flow = Object::new();
    for key in urls {
        if let Some(url) = scheme.get(*key) {
            flow.insert((*key).into(), url.clone());
        }
    }
    flow.insert(
        "scopes".into(),
        scheme.get("scopes").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(json!({ name: flow }))
}

/// `schema` marked nullable. A `$ref` ignores its siblings in OpenAPI 3.0,
/// so a nullable reference becomes `allOf: [{$ref}]` with `nullable` (and
/// whatever else stood beside the `$ref`) on the wrapper.
fn nullable(schema: Value) -> Value {
    let Value::Object(mut schema) = schema else {
        return schema;
    };
    if let Some(reference) = schema.remove("$ref") {
        schema.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    schema.insert("nullable".into(), true.into());
    Value::Object(schema)
}

/// The media types an operation consumes or produces: its own list if it has
/// one (Swagger's lists replace the document's, they do not add to it), else
/// `inherited`, else JSON.
fn media_types(own: Option<&Value>, inherited: &[String]) -> Vec<String> {
    let list: Vec<String> = match own.and_then(Value::as_array) {
        Some(values) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => inherited.to_vec(),
    };
    if list.is_empty() {
        vec![DEFAULT_MEDIA_TYPE.to_owned()]
    } else {
        list
    }
}

/// The `parameters` of a path item or operation, each with its pointer.
fn parameter_list<'v>(
    parent: &'v Object,
    at: &Pointer,
) -> Result<Vec<(Pointer, &'v Value)>, ConversionError> {
    let Some(parameters) = parent.get("parameters") else {
        return Ok(Vec::new());
    };
    let at = at.join("parameters");
    Ok(array(parameters, &at)?
        .iter()
        .enumerate()
        .map(|(index, parameter)| (at.join(index), parameter))
        .collect())
}

/// A server variable's text (OpenAPI's are strings, Swagger's values are
/// whatever the parameter's type says).
fn variable_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn object<'v>(value: &'v Value, at: &Pointer) -> Result<&'v Object, ConversionError> {
    value
        .as_object()
        .ok_or_else(|| error(at, format!("expected an object, found {value}")))
}

fn array<'v>(value: &'v Value, at: &Pointer) -> Result<&'v Vec<Value>, ConversionError> {
    value
        .as_array()
        .ok_or_else(|| error(at, format!("expected an array, found {value}")))
}

/// `parent[key]` if present, which must then be an object.
fn field_object<'v>(
    parent: &'v Object,
    key: &str,
    at: &Pointer,
) -> Result<Option<&'v Object>, ConversionError> {
    parent
        .get(key)
        .map(|value| object(value, &at.join(key)))
        .transpose()
}

fn required_str<'v>(
    parent: &'v Object,
    key: &str,
    at: &Pointer,
) -> Result<&'v str, ConversionError> {
    match parent.get(key) {
        Some(Value::String(text)) => Ok(text),
        other => Err(error(
            &at.join(key),
            format!("expected a string, found {}", describe(other)),
        )),
    }
}

fn describe(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

fn error(at: &Pointer, message: impl Into<String>) -> ConversionError {
    ConversionError {
        pointer: at.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::{Value, json};

    use super::{ConversionError, to_openapi3};

    fn convert(document: &Value) -> Value {
        match to_openapi3(document) {
            Ok(converted) => converted,
            Err(e) => panic!("conversion failed: {e}"),
        }
    }

    fn conversion_error(document: &Value) -> ConversionError {
        match to_openapi3(document) {
            Ok(converted) => panic!("expected an error, converted to {converted:#}"),
            Err(e) => e,
        }
    }

    /// A minimal Swagger document with `paths`, plus `extra`'s top-level fields.
    fn swagger(paths: Value, extra: Value) -> Value {
        let mut document = json!({
            "swagger": "2.0",
            "info": { "title": "Test", "version": "1" },
            "paths": paths,
        });
        if let (Some(document), Value::Object(extra)) = (document.as_object_mut(), extra) {
            document.extend(extra);
        }
        document
    }

    /// An operation with the given parameters and a bodiless 204.
    fn operation(parameters: Value) -> Value {
        json!({ "parameters": parameters, "responses": { "204": { "description": "Done." } } })
    }

    fn at<'v>(document: &'v Value, pointer: &str) -> &'v Value {
        match document.pointer(pointer) {
            Some(value) => value,
            None => panic!("nothing at {pointer} in {document:#}"),
        }
    }

    #[test]
    fn body_parameter_becomes_request_body_named_by_extension() {
        let body = json!({
            "name": "resource",
            "in": "body",
            "description": "The thing.",
            "required": true,
            "x-ms-client-flatten": true,
            "schema": { "$ref": "#/definitions/Thing" },
        });
        let mut patch = operation(json!([body]));
        patch["consumes"] = json!(["application/merge-patch+json"]);
        let document = swagger(
            json!({ "/things": { "post": operation(json!([body])), "patch": patch } }),
            json!({ "consumes": ["application/json", "text/json"], "definitions": { "Thing": { "type": "object" } } }),
        );
        let converted = convert(&document);
        let schema = json!({ "schema": { "$ref": "#/components/schemas/Thing" } });
        assert_eq!(
            at(&converted, "/paths/~1things/post"),
            &json!({
                "requestBody": {
                    "description": "The thing.",
                    "content": { "application/json": schema, "text/json": schema },
                    "required": true,
                    "x-ms-requestBody-name": "resource",
                    "x-ms-client-flatten": true,
                },
                "responses": { "204": { "description": "Done." } },
            })
        );
        assert_eq!(
            at(&converted, "/paths/~1things/patch/requestBody/content"),
            &json!({ "application/merge-patch+json": schema })
        );
    }

    #[test]
    fn collection_formats_become_styles() {
        let tags = json!({
            "name": "tags",
            "in": "query",
            "type": "array",
            "items": { "type": "string", "enum": ["a", "b"] },
            "collectionFormat": "csv",
            "x-ms-client-name": "labels",
        });
        let ids = json!({ "name": "id", "in": "query", "type": "array", "items": { "type": "integer" }, "collectionFormat": "multi" });
        let path = json!({ "name": "keys", "in": "path", "required": true, "type": "array", "items": { "type": "string" } });
        let document = swagger(
            json!({ "/things/{keys}": { "get": operation(json!([tags, ids, path])) } }),
            json!({}),
        );
        assert_eq!(
            at(
                &convert(&document),
                "/paths/~1things~1{keys}/get/parameters"
            ),
            &json!([
                {
                    "name": "tags",
                    "in": "query",
                    "x-ms-client-name": "labels",
                    "schema": { "type": "array", "items": { "type": "string", "enum": ["a", "b"] } },
                    "style": "form",
                    "explode": false,
                },
                {
                    "name": "id",
                    "in": "query",
                    "schema": { "type": "array", "items": { "type": "integer" } },
                    "style": "form",
                    "explode": true,
                },
                {
                    "name": "keys",
                    "in": "path",
                    "required": true,
                    "schema": { "type": "array", "items": { "type": "string" } },
                    "style": "simple",
                    "explode": false,
                },
            ])
        );

        let tabs = json!({ "name": "t", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "tsv" });
        let document = swagger(
            json!({ "/a": { "get": operation(json!([{ "name": "ok", "in": "query", "type": "string" }, tabs])) } }),
            json!({}),
        );
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/paths/~1a/get/parameters/1/collectionFormat".into(),
                message: "collectionFormat `tsv` has no OpenAPI 3.0 equivalent for a query value"
                    .into(),
            }
        );
    }

    #[test]
    fn parameter_extensions_describing_the_value_move_into_the_schema() {
        let status = json!({
            "name": "status",
            "in": "query",
            "type": "string",
            "enum": ["on", "off"],
            "x-ms-enum": { "name": "Status", "modelAsString": true },
            "x-nullable": true,
            "x-ms-skip-url-encoding": true,
        });
        let document = swagger(
            json!({ "/a": { "get": operation(json!([status])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1a/get/parameters/0"),
            &json!({
                "name": "status",
                "in": "query",
                "x-ms-skip-url-encoding": true,
                "allowReserved": true,
                "schema": {
                    "type": "string",
                    "enum": ["on", "off"],
                    "x-ms-enum": { "name": "Status", "modelAsString": true },
                    "nullable": true,
                },
            })
        );
    }

    #[test]
    fn form_data_becomes_a_form_request_body() {
        let file = json!({ "name": "file", "in": "formData", "type": "file", "required": true, "description": "The upload." });
        let title = json!({ "name": "title", "in": "formData", "type": "string" });
        let document = swagger(
            json!({ "/uploads": { "post": operation(json!([file, title])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1uploads/post/requestBody"),
            &json!({
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": { "type": "string", "format": "binary", "description": "The upload." },
                                "title": { "type": "string" },
                            },
                            "required": ["file"],
                        },
                    },
                },
                "required": true,
            })
        );

        let tags = json!({ "name": "tags", "in": "formData", "type": "array", "items": { "type": "string" } });
        let document = swagger(
            json!({ "/tags": { "post": operation(json!([tags])) } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1tags/post/requestBody"),
            &json!({
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": { "type": "object", "properties": { "tags": { "type": "array", "items": { "type": "string" } } } },
                        "encoding": { "tags": { "style": "form", "explode": false } },
                    },
                },
            })
        );
    }

    #[test]
    fn x_nullable_becomes_nullable_and_wraps_references() {
        let document = swagger(
            json!({}),
            json!({ "definitions": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "x-nullable": true },
                        "owner": { "$ref": "#/definitions/Owner", "x-nullable": true, "description": "Who owns it." },
                        "size": { "type": "integer", "x-nullable": false },
                    },
                },
                "Owner": { "type": "object" },
            } }),
        );
        assert_eq!(
            at(&convert(&document), "/components/schemas/Thing/properties"),
            &json!({
                "name": { "type": "string", "nullable": true },
                "owner": {
                    "allOf": [{ "$ref": "#/components/schemas/Owner" }],
                    "nullable": true,
                    "description": "Who owns it.",
                },
                "size": { "type": "integer" },
            })
        );
    }

    #[test]
    fn discriminator_becomes_an_object_and_subtypes_keep_their_values() {
        let document = swagger(
            json!({}),
            json!({ "definitions": {
                "Rule": { "type": "object", "properties": { "kind": { "type": "string" } }, "discriminator": "kind", "required": ["kind"] },
                "StaticRule": { "allOf": [{ "$ref": "#/definitions/Rule" }], "x-ms-discriminator-value": "static" },
            } }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/components/schemas/Rule/discriminator"),
            &json!({ "propertyName": "kind" })
        );
        assert_eq!(
            at(&converted, "/components/schemas/StaticRule"),
            &json!({ "allOf": [{ "$ref": "#/components/schemas/Rule" }], "x-ms-discriminator-value": "static" })
        );
    }

    #[test]
    fn type_file_becomes_binary_string() {
        let response = json!({ "description": "The bytes.", "schema": { "type": "file" } });
        let document = swagger(
            json!({ "/blob": { "get": { "produces": ["application/octet-stream"], "responses": { "200": response } } } }),
            json!({}),
        );
        assert_eq!(
            at(&convert(&document), "/paths/~1blob/get/responses/200"),
            &json!({
                "description": "The bytes.",
                "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } },
            })
        );
    }

    #[test]
    fn parameterized_host_becomes_a_templated_server() {
        let endpoint = json!({
            "name": "endpoint",
            "in": "path",
            "required": true,
            "type": "string",
            "description": "The service endpoint.",
            "x-ms-skip-url-encoding": true,
            "x-ms-parameter-location": "client",
        });
        let document = swagger(
            json!({}),
            json!({
                "basePath": "/api/",
                "host": "ignored.example.com",
                "x-ms-parameterized-host": {
                    "hostTemplate": "{endpoint}",
                    "useSchemePrefix": false,
                    "parameters": [{ "$ref": "#/parameters/Endpoint" }],
                },
                "parameters": { "Endpoint": endpoint },
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/servers"),
            &json!([{
                "url": "{endpoint}/api",
                "variables": {
                    "endpoint": {
                        "default": "",
                        "description": "The service endpoint.",
                        "x-ms-skip-url-encoding": true,
                        "x-ms-parameter-location": "client",
                    },
                },
            }])
        );
        assert_eq!(converted.get("x-ms-parameterized-host"), None);

        let document = swagger(
            json!({}),
            json!({
                "schemes": ["https"],
                "x-ms-parameterized-host": {
                    "hostTemplate": "{region}.example.com",
                    "parameters": [{ "name": "region", "in": "path", "type": "string", "enum": ["west", "east"] }],
                },
            }),
        );
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{
                "url": "https://{region}.example.com",
                "variables": { "region": { "default": "west", "enum": ["west", "east"] } },
            }])
        );
    }

    #[test]
    fn host_and_base_path_become_servers() {
        let document = swagger(
            json!({}),
            json!({ "host": "example.com", "basePath": "/v1", "schemes": ["https", "http"] }),
        );
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "https://example.com/v1" }, { "url": "http://example.com/v1" }])
        );
        let document = swagger(json!({}), json!({ "host": "example.com" }));
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "https://example.com" }])
        );
        let document = swagger(json!({}), json!({ "basePath": "/v1" }));
        assert_eq!(
            at(&convert(&document), "/servers"),
            &json!([{ "url": "/v1" }])
        );
        assert_eq!(
            at(&convert(&swagger(json!({}), json!({}))), "/servers"),
            &json!([{ "url": "/" }])
        );
    }

    #[test]
    fn references_follow_their_targets_into_components() {
        let list = json!({
            "operationId": "Things_List",
            "parameters": [{ "$ref": "#/parameters/ApiVersion" }, { "$ref": "#/parameters/Filter" }],
            "responses": {
                "200": { "description": "Listed.", "schema": { "type": "array", "items": { "$ref": "#/definitions/Thing" } } },
                "default": { "$ref": "#/responses/Error" },
            },
            "x-ms-odata": "#/definitions/Thing",
            "x-ms-examples": { "List": { "$ref": "./examples/List.json" } },
        });
        let mut replace = operation(json!([{ "$ref": "#/parameters/Filter" }]));
        replace["consumes"] = json!(["application/xml"]);
        let document = swagger(
            json!({ "/things": { "get": list, "put": operation(json!([{ "$ref": "#/parameters/Filter" }])), "post": replace } }),
            json!({
                "parameters": {
                    "ApiVersion": { "name": "api-version", "in": "query", "required": true, "type": "string" },
                    "Filter": { "name": "filter", "in": "body", "schema": { "$ref": "#/definitions/Filter" } },
                },
                "responses": { "Error": { "description": "Failed.", "schema": { "$ref": "#/definitions/Error" } } },
                "definitions": {
                    "Thing": {
                        "type": "object",
                        "properties": { "tags": { "type": "object", "additionalProperties": { "$ref": "#/definitions/Tag" } } },
                        "allOf": [{ "$ref": "#/definitions/Base" }],
                    },
                    "Base": {}, "Tag": {}, "Filter": {}, "Error": {},
                },
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/paths/~1things/get"),
            &json!({
                "operationId": "Things_List",
                "parameters": [{ "$ref": "#/components/parameters/ApiVersion" }],
                "requestBody": { "$ref": "#/components/requestBodies/Filter" },
                "responses": {
                    "200": {
                        "description": "Listed.",
                        "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } } } },
                    },
                    "default": { "$ref": "#/components/responses/Error" },
                },
                "x-ms-odata": "#/components/schemas/Thing",
                "x-ms-examples": { "List": { "$ref": "./examples/List.json" } },
            })
        );
        assert_eq!(
            at(&converted, "/components/schemas/Thing"),
            &json!({
                "type": "object",
                "properties": { "tags": { "type": "object", "additionalProperties": { "$ref": "#/components/schemas/Tag" } } },
                "allOf": [{ "$ref": "#/components/schemas/Base" }],
            })
        );
        assert_eq!(
            at(&converted, "/components/requestBodies/Filter"),
            &json!({
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Filter" } } },
                "x-ms-requestBody-name": "filter",
            })
        );
        assert_eq!(
            at(&converted, "/components/responses/Error"),
            &json!({
                "description": "Failed.",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
            })
        );
        // The shared body is written for the document's JSON; an operation
        // consuming XML gets its own copy rather than a wrong content type.
        assert_eq!(
            at(&converted, "/paths/~1things/post/requestBody"),
            &json!({
                "content": { "application/xml": { "schema": { "$ref": "#/components/schemas/Filter" } } },
                "x-ms-requestBody-name": "filter",
            })
        );
        assert_eq!(converted.pointer("/components/parameters/Filter"), None);
    }

    #[test]
    fn responses_get_content_per_media_type_headers_and_examples() {
        let get = json!({
            "produces": ["application/json", "text/plain"],
            "responses": {
                "200": {
                    "description": "Found.",
                    "schema": { "type": "string" },
                    "headers": { "ETag": { "type": "string", "description": "The version." } },
                    "examples": { "application/json": "\"v1\"" },
                },
                "304": { "description": "Not modified." },
                "x-ms-note": true,
            },
        });
        let document = swagger(json!({ "/a": { "get": get } }), json!({}));
        assert_eq!(
            at(&convert(&document), "/paths/~1a/get/responses"),
            &json!({
                "200": {
                    "description": "Found.",
                    "headers": { "ETag": { "description": "The version.", "schema": { "type": "string" } } },
                    "content": {
                        "application/json": { "schema": { "type": "string" }, "example": "\"v1\"" },
                        "text/plain": { "schema": { "type": "string" } },
                    },
                },
                "304": { "description": "Not modified." },
                "x-ms-note": true,
            })
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let document = swagger(
            json!({}),
            json!({
                "securityDefinitions": {
                    "basic": { "type": "basic" },
                    "key": { "type": "apiKey", "name": "Ocp-Apim-Subscription-Key", "in": "header", "description": "The key." },
                    "aad": {
                        "type": "oauth2",
                        "flow": "accessCode",
                        "authorizationUrl": "https://login.example.com/authorize",
                        "tokenUrl": "https://login.example.com/token",
                        "scopes": { "user_impersonation": "Act as the user." },
                    },
                },
                "security": [{ "aad": ["user_impersonation"] }],
            }),
        );
        let converted = convert(&document);
        assert_eq!(
            at(&converted, "/components/securitySchemes"),
            &json!({
                "basic": { "type": "http", "scheme": "basic" },
                "key": { "type": "apiKey", "name": "Ocp-Apim-Subscription-Key", "in": "header", "description": "The key." },
                "aad": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://login.example.com/authorize",
                            "tokenUrl": "https://login.example.com/token",
                            "scopes": { "user_impersonation": "Act as the user." },
                        },
                    },
                },
            })
        );
        assert_eq!(
            at(&converted, "/security"),
            &json!([{ "aad": ["user_impersonation"] }])
        );
    }

    #[test]
    fn x_ms_paths_merge_into_paths_without_their_query_strings() {
        let id = json!({ "name": "id", "in": "path", "required": true, "type": "string" });
        let mode = json!({ "name": "mode", "in": "query", "required": true, "type": "string", "enum": ["copy"] });
        let document = swagger(
            json!({ "/jobs/{id}": { "parameters": [id], "get": operation(json!([])) } }),
            json!({ "x-ms-paths": { "/jobs/{id}?mode=copy": { "parameters": [mode], "put": operation(json!([id])) } } }),
        );
        let id =
            json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } });
        let mode = json!({ "name": "mode", "in": "query", "required": true, "schema": { "type": "string", "enum": ["copy"] } });
        let converted = convert(&document);
        // Sharing one path item, each source's path-level parameters apply
        // to its own operations only.
        assert_eq!(
            at(&converted, "/paths"),
            &json!({
                "/jobs/{id}": {
                    "get": { "parameters": [id], "responses": { "204": { "description": "Done." } } },
                    "put": { "parameters": [id, mode], "responses": { "204": { "description": "Done." } } },
                },
            })
        );
        assert_eq!(converted.get("x-ms-paths"), None);

        let document = swagger(
            json!({ "/jobs": { "get": operation(json!([])) } }),
            json!({ "x-ms-paths": { "/jobs?_overload=listAll": { "get": operation(json!([])) } } }),
        );
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/x-ms-paths/~1jobs?_overload=listAll/get".into(),
                message: "`GET /jobs` is already defined; dropping the query string of `x-ms-paths` keys would make two operations one".into(),
            }
        );
    }

    #[test]
    fn unconvertible_documents_are_errors_that_say_where() {
        let openapi = json!({ "openapi": "3.0.3", "info": {}, "paths": {} });
        assert_eq!(
            conversion_error(&openapi),
            ConversionError {
                pointer: "/swagger".into(),
                message: "expected \"2.0\", found nothing".into()
            }
        );
        let bodies = json!([
            { "name": "a", "in": "body", "schema": {} },
            { "name": "b", "in": "formData", "type": "string" },
        ]);
        let document = swagger(json!({ "/a": { "post": operation(bodies) } }), json!({}));
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/paths/~1a/post/parameters/1".into(),
                message: "a second request body: Swagger allows one body parameter, and no form fields beside it".into(),
            }
        );
        let document = swagger(
            json!({ "/a": { "get": operation(json!([{ "$ref": "#/parameters/Missing" }])) } }),
            json!({}),
        );
        assert_eq!(
            conversion_error(&document),
            ConversionError {
                pointer: "/paths/~1a/get/parameters/0/$ref".into(),
                message: "`#/parameters/Missing` names no parameter".into(),
            }
        );
    }

    /// Microsoft's published Job Router document, as this repository keeps it.
    const JOB_ROUTER: &str =
        include_str!("../../spec/jobrouter/communicationservicejobrouter.json");

    /// The same document converted by swagger2openapi 7.0.8, a public
    /// document kept in `../shared` beside the clone (never copied here).
    fn job_router_reference() -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/specs/azure-jobrouter-2023-11-01/openapi3.json"
        );
        match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => panic!("{path}: {e}"),
        }
    }

    fn parse(text: &str) -> Value {
        match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => panic!("not JSON: {e}"),
        }
    }

    /// Every (path, method, operationId) in an OpenAPI document.
    fn operations(document: &Value) -> BTreeSet<(String, String, String)> {
        let paths = at(document, "/paths").as_object().into_iter().flatten();
        paths
            .flat_map(|(path, item)| {
                let operations = item.as_object().into_iter().flatten();
                operations.filter_map(move |(method, operation)| {
                    let id = operation.get("operationId")?.as_str()?;
                    Some((path.clone(), method.clone(), id.to_owned()))
                })
            })
            .collect()
    }

    fn schema_names(document: &Value) -> BTreeSet<String> {
        at(document, "/components/schemas")
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Every local `$ref` in `value`, outside `x-ms-examples`.
    fn local_refs(value: &Value, refs: &mut BTreeSet<String>) {
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    match (key.as_str(), member) {
                        ("x-ms-examples", _) => {}
                        ("$ref", Value::String(reference)) if reference.starts_with('#') => {
                            refs.insert(reference.clone());
                        }
                        _ => local_refs(member, refs),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| local_refs(item, refs)),
            _ => {}
        }
    }

    #[test]
    #[ignore = "needs ../shared/specs beside the clone"]
    fn job_router_converts_like_swagger2openapi() {
        let swagger = parse(JOB_ROUTER);
        let converted = convert(&swagger);
        let reference = parse(&job_router_reference());
        if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(converted.clone()) {
            panic!("not an OpenAPI 3.0 document: {e}");
        }
        assert_eq!(operations(&converted), operations(&reference));
        assert_eq!(operations(&converted).len(), 33);
        assert_eq!(schema_names(&converted), schema_names(&reference));

        let mut refs = BTreeSet::new();
        local_refs(&converted, &mut refs);
        let dangling: Vec<&String> = refs
            .iter()
            .filter(|r| converted.pointer(&r[1..]).is_none())
            .collect();
        assert_eq!(dangling, Vec::<&String>::new());

        // swagger2openapi invents `"none"` for the endpoint's default; we
        // leave it empty (see `server_variable`).
        assert_eq!(
            at(&converted, "/servers"),
            &json!([{
                "url": "{endpoint}",
                "variables": { "endpoint": { "default": "", "description": "Uri of your Communication resource" } },
            }])
        );
        // swagger2openapi drops the body's name and the examples; both are
        // kept, for the generator and the conformance tester.
        let upsert = "/paths/~1routing~1jobs~1{jobId}/patch";
        assert_eq!(
            at(
                &converted,
                &format!("{upsert}/requestBody/x-ms-requestBody-name")
            ),
            &json!("resource")
        );
        assert_eq!(
            at(&converted, &format!("{upsert}/requestBody/content")),
            at(&reference, &format!("{upsert}/requestBody/content"))
        );
        assert_eq!(
            at(&converted, &format!("{upsert}/x-ms-examples")),
            at(
                &swagger,
                "/paths/~1routing~1jobs~1{jobId}/patch/x-ms-examples"
            )
        );
        assert_eq!(
            at(&converted, "/components/parameters"),
            at(&reference, "/components/parameters")
        );
    }
}
