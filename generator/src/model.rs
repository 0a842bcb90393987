//! The API as the emitters see it: references resolved, Rust names decided.
//!
//! Lowering (`lower`) builds this from `openapiv3`; emitters read only this.

use crate::ident::RustIdent;

/// One document, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The `openapi` version the document declares.
    pub openapi_version: String,
    /// The value clients send as `api-version` unless told otherwise
    /// (Azure's versioning convention), when any operation takes one.
    pub default_api_version: Option<String>,
    /// Named types, in a stable order: components first, then inline
    /// schemas in the order they were met.
    pub types: Vec<TypeDef>,
    /// How deep the types nest in one another (1: no type holds another).
    pub type_nesting: usize,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Parameters the client holds (Azure's `x-ms-parameter-location:
    /// client`), in the order first met.
    pub client_params: Vec<ClientParam>,
    /// Places generated with a documented fallback (`serde_json::Value`)
    /// because their shape is not supported yet.
    pub warnings: Vec<Warning>,
}

/// A shape generated with a fallback, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique in the crate.
    pub name: RustIdent,
    /// Where the schema is, as a JSON pointer.
    pub pointer: String,
    pub doc: Option<String>,
    pub shape: TypeShape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeShape {
    /// An object (with its `allOf` parts merged in): a struct.
    Struct(Struct),
    /// A string `enum`: a Rust enum.
    Enum(Enum),
    /// `oneOf`/`anyOf`, or a base schema with a discriminator: a Rust enum
    /// with one variant per alternative.
    Union(Union),
    /// Any other schema given a name: a type alias.
    Alias(TypeRef),
    /// An alias that cannot be one (it holds itself, `A = Vec<A>`, or
    /// nests too many other aliases): a struct around the type,
    /// transparent on the wire.
    Newtype(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Azure's `x-ms-enum` with `modelAsString: true`: values beyond the
    /// listed ones are kept (in an `Other(String)` variant), not refused.
    pub extensible: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// UpperCamelCase, unique in the enum.
    pub name: RustIdent,
    pub wire_name: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The discriminator property: an internally tagged enum. `None`: the
    /// first alternative that fits is taken (`serde(untagged)`).
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// UpperCamelCase, unique in the enum.
    pub name: RustIdent,
    /// The discriminator's value for this variant (tagged unions).
    pub tag_value: Option<String>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties beyond the declared ones, kept rather than dropped.
    pub additional: Option<AdditionalField>,
    /// Azure's `x-ms-client-flatten`: some fields come from nested objects,
    /// and the JSON is read and written through another struct that keeps
    /// them nested.
    pub flattened: Option<Flattened>,
}

/// How a struct with flattened properties maps onto its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Flattened {
    /// The struct with the spec's own shape (`<Name>Wire`): the fields this
    /// struct keeps, under the same names, and one field per nested object.
    pub wire: TypeId,
    /// The flattened properties, in the order the wire struct has them.
    pub parts: Vec<FlattenedPart>,
}

/// One property whose object's fields were lifted into the struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FlattenedPart {
    /// The wire struct's field that holds the object (`properties`).
    pub field: RustIdent,
    /// The object's struct; its fields keep their names in the container.
    pub ty: TypeId,
    /// Whether the object is always on the wire (required, not nullable).
    /// Otherwise every one of its fields is optional, and it is left out
    /// when none is set.
    pub always: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// snake_case Rust name (a raw identifier where it is a keyword).
    pub name: RustIdent,
    /// The property's name on the wire.
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Whether the value sits behind a `Box` to break a recursive type.
    pub boxed: bool,
}

/// The map that collects undeclared properties.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalField {
    pub name: RustIdent,
    pub value: TypeRef,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    Bool,
    Integer(IntegerType),
    Float(FloatType),
    /// `format: date-time`, as `jiff::Timestamp` (RFC 3339 on the wire).
    Timestamp,
    /// `format: date`, as `jiff::civil::Date` (`2023-11-01`).
    Date,
    /// Anything at all, as `serde_json::Value`.
    Json,
    /// Raw bytes (a body of a non-JSON, non-text media type), as `Vec<u8>`.
    Bytes,
    Named(TypeId),
    List(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatType {
    F32,
    F64,
}

/// One HTTP operation: a client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// snake_case method name, unique on the client.
    pub method_name: RustIdent,
    /// UpperCamelCase name the operation's types start with (`CloseJob`
    /// for `CloseJobInput`), a valid identifier even alone.
    pub type_name: RustIdent,
    /// Upper-case HTTP method (`POST`).
    pub http_method: String,
    /// The path template as written (`/jobs/{jobId}:close`).
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub pointer: String,
    pub doc: Option<String>,
    /// Arguments in signature order (path, required, body, optional).
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The query parameter that carries the client's API version, if any.
    pub api_version_param: Option<ApiVersionParam>,
    /// The client's parameters this operation sends, by index in
    /// [`Api::client_params`], and whether it requires each.
    pub client_params: Vec<(usize, bool)>,
    pub responses: Responses,
    /// Azure's `x-ms-pageable`: the success body is a page of items with a
    /// link to the next page.
    pub pageable: Option<Pageable>,
    /// Azure's `x-ms-long-running-operation`: where the final result is
    /// read once the operation ends.
    pub long_running: Option<FinalStateVia>,
}

/// `x-ms-long-running-operation-options.final-state-via`, or the default
/// for the method (the resource itself for PUT and PATCH, else `Location`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStateVia {
    AzureAsyncOperation,
    Location,
    OperationLocation,
    OriginalUri,
}

impl Operation {
    /// A function named after the method, such as `decode_close_job` or
    /// `list_jobs_pages`: no raw prefix, and no `__` where the parts meet
    /// (rustc's case lint).
    pub fn derived_fn_name(&self, prefix: &str, suffix: &str) -> String {
        derived_fn_name(&self.method_name, prefix, suffix)
    }
}

/// [`Operation::derived_fn_name`] for a method name not yet in an operation.
pub fn derived_fn_name(method_name: &RustIdent, prefix: &str, suffix: &str) -> String {
    let mut bare = method_name.bare();
    if !prefix.is_empty() {
        bare = bare.trim_start_matches('_');
    }
    if !suffix.is_empty() {
        bare = bare.trim_end_matches('_');
    }
    format!("{prefix}{bare}{suffix}")
}

/// Where a page keeps its items and its next link.
#[derive(Debug, Clone, PartialEq)]
pub struct Pageable {
    /// The Rust field holding the items (`value`).
    pub items_field: RustIdent,
    pub items_required: bool,
    /// The Rust field holding the next page's link (`next_link`).
    pub next_link_field: RustIdent,
    pub next_link_required: bool,
    pub item: TypeRef,
}

/// Azure's `api-version` query parameter: the client sends its own value;
/// the server side receives it as an input field.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiVersionParam {
    pub wire_name: String,
    /// snake_case field name on the server side, unique among the inputs.
    pub name: RustIdent,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// A path parameter, by its index in [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// snake_case argument name.
    pub name: RustIdent,
    pub wire_name: String,
    pub location: ParamLocation,
    pub required: bool,
    /// A scalar, or a list of scalars for a query parameter.
    pub ty: TypeRef,
    /// For a list: one `name=value` pair per item (`form` with `explode`,
    /// OpenAPI's default) rather than one comma-separated value.
    pub explode: bool,
    pub doc: Option<String>,
}

/// A query or header parameter set once on the client
/// (`Client::with_<name>`) rather than passed to each method.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientParam {
    pub name: RustIdent,
    pub wire_name: String,
    pub location: ParamLocation,
    /// A scalar or string enum: the setter's argument, sent as its text.
    pub ty: TypeRef,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent in the `Cookie` header as `name=value`.
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The argument's name.
    pub name: RustIdent,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// The media type sent as `Content-Type` (`application/merge-patch+json`).
    pub media_type: String,
    pub encoding: BodyEncoding,
}

/// How a body is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json`, `*/*+json`): the body's type, serialised.
    Json,
    /// `text/*`: a string.
    Text,
    /// Anything else: the bytes as given.
    Bytes,
}

/// What the operation answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    /// The statuses that mean success, codes before ranges.
    pub success: Vec<StatusPattern>,
    /// The success body, `None` when successes carry none;
    /// `serde_json::Value` when the bodies differ (see `by_status`).
    pub success_type: Option<TypeRef>,
    /// Each success status with its body, when the bodies differ (the
    /// client returns, and the server side answers, one variant per
    /// status); empty otherwise.
    pub by_status: Vec<(StatusPattern, Option<TypeRef>)>,
    /// The declared error body, `None` when the spec declares none or the
    /// bodies of the error statuses differ.
    pub error_type: Option<TypeRef>,
    /// Each error status that declares a body, with it, codes before ranges
    /// before `default`, when the bodies differ (errors then carry one
    /// variant per status); empty otherwise.
    pub errors_by_status: Vec<(StatusPattern, TypeRef)>,
    /// Headers the success responses declare (`ETag`, `Last-Modified`),
    /// returned beside the body.
    pub headers: Vec<ResponseHeader>,
}

/// A header of a success response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// snake_case field name.
    pub name: RustIdent,
    pub wire_name: String,
    pub doc: Option<String>,
    /// `String`, `Bool`, `Integer`, `Float`, or `Timestamp` (an HTTP-date
    /// on the wire).
    pub ty: TypeRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusPattern {
    Code(u16),
    /// `2XX` as 2.
    Range(u16),
    /// `default`: any status not declared (error responses only).
    Default,
}
