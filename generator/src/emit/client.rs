//! `src/client.rs`: the `Client` with one async method per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::client_params;
use super::credentials::constructors;
use super::long_running;
use super::rust::{doc, ident, models_path, operation_type_name, type_tokens};
use crate::model::{
    Api, Body, BodyEncoding, Operation, Pageable, Param, ParamLocation, PathPart, StatusPattern,
    TypeRef,
};
use crate::profile::Profile;

pub fn emit(api: &Api, profile: &Profile) -> TokenStream {
    let client_doc = doc(Some(&format!(
        "A client for {}: one async method per operation.",
        api.title
    )));
    let version = api.default_api_version.as_deref();
    let version_field = version.map(|_| quote! { api_version: String, });
    let version_init = version.map(|_| {
        quote! { api_version: options.api_version.clone().unwrap_or_else(|| Self::DEFAULT_API_VERSION.to_owned()), }
    });
    let version_kept = version.map(|_| quote! { api_version: self.api_version.clone(), });
    // Operations name the runtime's items through the module.
    let runtime_module = (!api.operations.is_empty()).then(|| quote! { self, });
    let client_fields = client_params::fields(api);
    let unset = client_params::unset(api);
    let kept = client_params::kept(api);
    let constructors = constructors(
        profile,
        &quote! { #version_init #unset },
        &quote! { #version_kept #kept },
    );
    let setters = client_params::setters(api);
    let version_items = version.map(|v| {
        quote! {
            #[doc = " The `api-version` sent unless `ClientOptions::api_version` says otherwise."]
            pub const DEFAULT_API_VERSION: &str = #v;

            #[doc = " The `api-version` this client sends."]
            pub fn api_version(&self) -> &str {
                &self.api_version
            }
        }
    });
    let operations = api.operations.iter().map(|op| operation(api, op));
    let params_structs = api
        .operations
        .iter()
        .filter_map(|op| params_struct(api, op));
    let response_structs = api
        .operations
        .iter()
        .filter_map(|op| response_struct(api, op));
    let success_enums = api.operations.iter().filter_map(|op| success_enum(api, op));
    let error_enums = api.operations.iter().filter_map(|op| error_enum(api, op));
    quote! {
        #![doc = " The client: one async method per operation of the spec."]

        use crate::runtime::{#runtime_module ClientOptions, Credential, Error, Pipeline};

        #(#params_structs)*
        #(#response_structs)*
        #(#success_enums)*
        #(#error_enums)*

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            pipeline: Pipeline,
            #version_field
            #client_fields
        }

        impl Client {
            #constructors

            #version_items

            #setters

            #[doc = " The endpoint requests are sent to."]
            pub fn endpoint(&self) -> &url::Url {
                self.pipeline.endpoint()
            }

            #(#operations)*
        }
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.method_name;
    let docs = doc(Some(&operation_doc(op)));
    let (required, optional): (Vec<&Param>, Vec<&Param>) =
        op.params.iter().partition(|p| p.required);
    let mut args: Vec<TokenStream> = required.iter().map(|p| param_arg(api, p)).collect();
    args.extend(op.body.as_ref().map(|body| body_arg(api, body)));
    match params_struct_name(op) {
        Some(params) => args.push(quote! { params: Option<&#params> }),
        None => args.extend(optional.iter().map(|p| param_arg(api, p))),
    }

    let ok_type = match response_struct_name(op) {
        Some(name) => quote! { #name },
        None => success_body_type(api, op),
    };
    let error_body = error_body_type(api, op, &quote! {});
    let error_type = error_body.as_ref().map(|ty| quote! { <#ty> });

    let many = many_arguments(&args);
    let build = request_statements(api, op);
    let operation_id = &op.id;
    let success = success_arms(op);
    let send = quote! {
        let response = self.pipeline.send(request, #operation_id).await?;
        match response.status() {
            #success
            _ => Err(response.into_error()),
        }
    };
    if op.pageable.is_none() && op.long_running.is_none() {
        return quote! {
            #docs
            #many
            pub async fn #name(&self, #(#args),*) -> Result<#ok_type, Error #error_type> {
                #build
                #send
            }
        };
    };
    // A pageable or long-running operation builds its first request in
    // one place, for the method and for its pages or its poller.
    let request_fn = ident(&op.derived_fn_name("", "_request"));
    let arg_names = argument_names(op);
    let pages = op
        .pageable
        .as_ref()
        .map(|pageable| pages_method(api, op, pageable, &args, &request_fn, error_body.as_ref()));
    let begin = op.long_running.map(|final_state| {
        let begin = long_running::begin_method(
            api,
            op,
            final_state,
            &args,
            &arg_names,
            &request_fn,
            error_body.as_ref(),
        );
        quote! { #many #begin }
    });
    quote! {
        #docs
        #many
        pub async fn #name(&self, #(#args),*) -> Result<#ok_type, Error #error_type> {
            let request = self.#request_fn(#(#arg_names),*)?;
            #send
        }

        #pages

        #begin

        #many
        fn #request_fn(&self, #(#args),*) -> Result<runtime::Request, Error #error_type> {
            #build
            Ok(request)
        }
    }
}

/// The method's argument names, in signature order.
fn argument_names(op: &Operation) -> Vec<TokenStream> {
    let (required, optional): (Vec<&Param>, Vec<&Param>) =
        op.params.iter().partition(|p| p.required);
    let mut names: Vec<_> = required.iter().map(|p| p.name.to_token_stream()).collect();
    names.extend(op.body.as_ref().map(|body| body.name.to_token_stream()));
    match params_struct_name(op) {
        Some(_) => names.push(quote! { params }),
        None => names.extend(optional.iter().map(|p| p.name.to_token_stream())),
    }
    names
}

/// The statements that build `request` from the method's arguments.
fn request_statements(api: &Api, op: &Operation) -> TokenStream {
    let path = path_expr(op);
    let mut query: Vec<TokenStream> = query_statements(op);
    query.extend(client_params::statements(api, op, ParamLocation::Query));
    let grouped = params_struct_name(op).is_some();
    let url_binding = if query.is_empty() {
        quote! { url }
    } else {
        quote! { mut url }
    };
    let method = ident(&op.http_method);
    let mut headers: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        .map(|p| header_statement(p, grouped))
        .collect();
    headers.extend(client_params::statements(api, op, ParamLocation::Header));
    let body = op.body.as_ref().map(body_statement);
    let request_binding = if headers.is_empty() && body.is_none() {
        quote! { request }
    } else {
        quote! { mut request }
    };
    quote! {
        let path = #path;
        let #url_binding = self.pipeline.url(&path);
        #(#query)*
        let #request_binding = runtime::Request::new(reqwest::Method::#method, url);
        #(#headers)*
        #body
    }
}

/// `<method>_pages`: the items of every page, following the next links.
fn pages_method(
    api: &Api,
    op: &Operation,
    pageable: &Pageable,
    args: &[TokenStream],
    request_fn: &proc_macro2::Ident,
    error_body: Option<&TokenStream>,
) -> TokenStream {
    let name = ident(&op.derived_fn_name("", "_pages"));
    let docs = doc(Some(&format!(
        "The items of every page of [`Client::{}`], fetched as they are needed by following each page's `nextLink`.",
        op.method_name.bare()
    )));
    let page = op
        .responses
        .success_type
        .as_ref()
        .map(|ty| type_tokens(api, ty, &models_path()));
    let item = type_tokens(api, &pageable.item, &models_path());
    let items = &pageable.items_field;
    let items = if pageable.items_required {
        quote! { page.#items }
    } else {
        quote! { page.#items.unwrap_or_default() }
    };
    let next_link = &pageable.next_link_field;
    let next_link = if pageable.next_link_required {
        quote! { Some(page.#next_link) }
    } else {
        quote! { page.#next_link }
    };
    // The runtime's own default when the spec declares no error body.
    let error = error_body.map_or_else(|| quote! { serde_json::Value }, Clone::clone);
    let operation_id = &op.id;
    let arg_names = argument_names(op);
    let many = many_arguments(args);
    quote! {
        #docs
        #many
        pub fn #name(&self, #(#args),*) -> runtime::Pages<#page, #item, #error> {
            let first = self.#request_fn(#(#arg_names),*);
            runtime::Pages::new(self.pipeline.clone(), #operation_id, first, |page: #page| {
                (#items, #next_link)
            })
        }
    }
}

fn operation_doc(op: &Operation) -> String {
    let mut text = op.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.http_method, op.path_template));
    let described: Vec<String> = op
        .params
        .iter()
        .filter_map(|p| p.doc.as_ref().map(|d| (p.name.bare().to_owned(), d)))
        .chain(
            op.body
                .iter()
                .filter_map(|b| b.doc.as_ref().map(|d| (b.name.to_string(), d))),
        )
        .map(|(name, d)| format!("- `{name}`: {}", d.trim()))
        .collect();
    if !described.is_empty() {
        text.push_str("\n\n# Arguments\n\n");
        text.push_str(&described.join("\n"));
    }
    text
}

/// `name: type`; strings are borrowed, optional parameters are `Option`s.
fn param_arg(api: &Api, param: &Param) -> TokenStream {
    let name = &param.name;
    let ty = match &param.ty {
        TypeRef::String => quote! { &str },
        TypeRef::List(item) => {
            let item = type_tokens(api, item, &models_path());
            quote! { &[#item] }
        }
        other => type_tokens(api, other, &models_path()),
    };
    if param.required {
        quote! { #name: #ty }
    } else {
        quote! { #name: Option<#ty> }
    }
}

fn body_arg(api: &Api, body: &Body) -> TokenStream {
    let name = &body.name;
    let ty = match &body.ty {
        TypeRef::String => quote! { &str },
        TypeRef::Bytes => quote! { &[u8] },
        TypeRef::List(item) => {
            let item = type_tokens(api, item, &models_path());
            quote! { &[#item] }
        }
        other => {
            let ty = type_tokens(api, other, &models_path());
            quote! { &#ty }
        }
    };
    if body.required {
        quote! { #name: #ty }
    } else {
        quote! { #name: Option<#ty> }
    }
}

/// The request path with each parameter encoded as one segment.
fn path_expr(op: &Operation) -> TokenStream {
    let pieces: Vec<TokenStream> = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote! { #text },
            PathPart::Param(index) => {
                let param = &op.params[*index];
                let wire = &param.wire_name;
                let name = &param.name;
                let value = match param.ty {
                    TypeRef::String => quote! { #name },
                    _ => quote! { &#name.to_string() },
                };
                quote! { &runtime::path_segment(#wire, #value)? }
            }
        })
        .collect();
    match pieces.as_slice() {
        [single] if matches!(op.path.as_slice(), [PathPart::Literal(_)]) => {
            quote! { String::from(#single) }
        }
        _ => quote! { [#(#pieces),*].concat() },
    }
}

/// The most arguments a method takes before its optional parameters move
/// into a `<Method>Params` struct (clippy's limit is 7, `self` included).
const MAX_ARGUMENTS: usize = 6;

/// Clippy's `too_many_arguments`, allowed on the one method whose
/// *required* parameters alone pass its limit: grouping the optional ones
/// is done already, and every one left is an argument the spec requires.
fn many_arguments(args: &[TokenStream]) -> Option<TokenStream> {
    (args.len() > MAX_ARGUMENTS).then(|| {
        quote! {
            #[allow(
                clippy::too_many_arguments,
                reason = "the spec requires these parameters; optional ones are grouped in a Params struct"
            )]
        }
    })
}

/// `ListJobsParams` when the operation's optional parameters are grouped.
fn params_struct_name(op: &Operation) -> Option<proc_macro2::Ident> {
    let optional = op.params.iter().filter(|p| !p.required).count();
    let arguments = op.params.len() + usize::from(op.body.is_some());
    (optional > 0 && arguments > MAX_ARGUMENTS).then(|| ident(&operation_type_name(op, "Params")))
}

/// The struct holding an operation's optional parameters, when grouped.
fn params_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = params_struct_name(op)?;
    let docs = doc(Some(&format!(
        "The optional parameters of `Client::{}`.",
        op.method_name
    )));
    let fields = op.params.iter().filter(|p| !p.required).map(|p| {
        let field = &p.name;
        let ty = type_tokens(api, &p.ty, &models_path());
        let docs = doc(p.doc.as_deref());
        quote! { #docs pub #field: Option<#ty>, }
    });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// Where an optional parameter's value comes from: its own argument, or
/// the grouped `params`.
fn optional_value(param: &Param, grouped: bool) -> TokenStream {
    let name = &param.name;
    if grouped {
        quote! { params.and_then(|params| params.#name.as_ref()) }
    } else {
        quote! { #name }
    }
}

fn query_statements(op: &Operation) -> Vec<TokenStream> {
    let grouped = params_struct_name(op).is_some();
    let api_version = op.api_version_param.as_ref().map(|param| {
        let name = &param.wire_name;
        quote! { url.query_pairs_mut().append_pair(#name, &self.api_version); }
    });
    let params = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|param| {
            let wire = &param.wire_name;
            let name = &param.name;
            let append = |value: TokenStream| match (&param.ty, param.explode) {
                (TypeRef::String, _) => {
                    quote! { url.query_pairs_mut().append_pair(#wire, #value); }
                }
                // `form` with `explode`: one pair per item.
                (TypeRef::List(_), true) => quote! {
                    for item in #value.iter() {
                        url.query_pairs_mut().append_pair(#wire, &item.to_string());
                    }
                },
                // `form` without `explode`: one comma-separated value.
                (TypeRef::List(_), false) => quote! {
                    let joined: Vec<String> = #value.iter().map(|item| item.to_string()).collect();
                    url.query_pairs_mut().append_pair(#wire, &joined.join(","));
                },
                _ => quote! { url.query_pairs_mut().append_pair(#wire, &#value.to_string()); },
            };
            if param.required {
                append(quote! { #name })
            } else {
                let append = append(quote! { value });
                let source = optional_value(param, grouped);
                quote! {
                    if let Some(value) = #source {
                        #append
                    }
                }
            }
        });
    api_version.into_iter().chain(params).collect()
}

/// Sets a header or cookie parameter on `request`.
fn header_statement(param: &Param, grouped: bool) -> TokenStream {
    let wire = &param.wire_name;
    let name = &param.name;
    let set = if param.location == ParamLocation::Cookie {
        quote! { cookie }
    } else {
        quote! { header }
    };
    let value = |v: TokenStream| match param.ty {
        TypeRef::String => v,
        TypeRef::Timestamp if param.location == ParamLocation::Header => {
            let date = super::headers::http_date(v);
            quote! {
                &#date.map_err(|e| crate::runtime::Error::InvalidArgument {
                    name: #wire,
                    reason: e.to_string(),
                })?
            }
        }
        _ => quote! { &#v.to_string() },
    };
    if param.required {
        let value = value(quote! { #name });
        quote! { request.#set(#wire, #value)?; }
    } else {
        let value = value(quote! { value });
        let source = optional_value(param, grouped);
        quote! {
            if let Some(value) = #source {
                request.#set(#wire, #value)?;
            }
        }
    }
}

fn body_statement(body: &Body) -> TokenStream {
    let name = &body.name;
    let media = &body.media_type;
    let write = |value: TokenStream| match body.encoding {
        BodyEncoding::Json => quote! { request.json(#value, #media)?; },
        BodyEncoding::Text => quote! { request.raw(#value.as_bytes().to_vec(), #media)?; },
        BodyEncoding::Bytes => quote! { request.raw(#value.to_vec(), #media)?; },
    };
    if body.required {
        write(quote! { #name })
    } else {
        let write = write(quote! { body });
        quote! {
            if let Some(body) = #name {
                #write
            }
        }
    }
}

/// `200 => response.json()`: the statuses that mean success, decoded as
/// the declared body (or none).
fn success_arms(op: &Operation) -> TokenStream {
    let by_status = &op.responses.by_status;
    let arms: Vec<(TokenStream, TokenStream)> = if by_status.is_empty() {
        let decode = match op.responses.success_type {
            Some(_) => quote! { response.json() },
            None => quote! { response.empty() },
        };
        vec![(status_pattern(&op.responses.success), decode)]
    } else {
        let success = success_enum_name(op);
        by_status
            .iter()
            .map(|(status, body)| {
                let variant = ident(&status_variant(*status));
                let decode = match body {
                    Some(_) => quote! { response.json().map(#success::#variant) },
                    None => quote! { response.empty().map(|()| #success::#variant) },
                };
                (status_pattern(std::slice::from_ref(status)), decode)
            })
            .collect()
    };
    let arms = arms
        .into_iter()
        .map(|(pattern, decode)| match response_struct_name(op) {
            None => quote! { #pattern => #decode, },
            Some(name) => {
                let headers = op.responses.headers.iter().map(|header| {
                    let field = &header.name;
                    let read = super::headers::read(header);
                    quote! { #field: #read, }
                });
                let body = op
                    .responses
                    .success_type
                    .as_ref()
                    .map(|_| quote! { body: #decode?, });
                quote! {
                    #pattern => Ok(#name {
                        #(#headers)*
                        #body
                    }),
                }
            }
        });
    quote! { #(#arms)* }
}

/// `200 | 201`, or `200..=299` when a `2XX` is among them; `_` for `default`.
fn status_pattern(statuses: &[StatusPattern]) -> TokenStream {
    if statuses.contains(&StatusPattern::Default) {
        return quote! { _ };
    }
    if let Some(class) = statuses.iter().find_map(|s| match s {
        StatusPattern::Range(class) => Some(*class),
        _ => None,
    }) {
        let first = Literal::u16_unsuffixed(class * 100);
        let last = Literal::u16_unsuffixed(class * 100 + 99);
        return quote! { #first..=#last };
    }
    let codes = statuses.iter().filter_map(|s| match s {
        StatusPattern::Code(code) => Some(Literal::u16_unsuffixed(*code)),
        _ => None,
    });
    quote! { #(#codes)|* }
}

/// A variant's body: a named type is boxed, so that one large model does
/// not make every answer as large (clippy's `large_enum_variant`).
fn variant_body(api: &Api, ty: &TypeRef) -> TokenStream {
    let tokens = type_tokens(api, ty, &models_path());
    match ty {
        TypeRef::Named(_) => quote! { Box<#tokens> },
        _ => tokens,
    }
}

/// `Status200`, `Status2xx`, `Default`.
pub(super) fn status_variant(status: StatusPattern) -> String {
    match status {
        StatusPattern::Code(code) => format!("Status{code}"),
        StatusPattern::Range(class) => format!("Status{class}xx"),
        StatusPattern::Default => "Default".to_owned(),
    }
}

/// `CreateThingSuccess`: one variant per success status, when their bodies differ.
pub(super) fn success_enum_name(op: &Operation) -> proc_macro2::Ident {
    ident(&operation_type_name(op, "Success"))
}

fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    if op.responses.by_status.is_empty() {
        return None;
    }
    let docs = format!(
        "What `Client::{}` answered: one variant per success status, each with its body.",
        op.method_name.bare()
    );
    Some(status_enum(
        api,
        &success_enum_name(op),
        &docs,
        &op.responses.by_status,
    ))
}

/// An enum `name` with one variant per status, holding that status's body.
pub(super) fn status_enum(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: &str,
    statuses: &[(StatusPattern, Option<TypeRef>)],
) -> TokenStream {
    let docs = doc(Some(docs));
    let variants = statuses.iter().map(|(status, body)| {
        let variant = ident(&status_variant(*status));
        match body {
            Some(ty) => {
                let ty = variant_body(api, ty);
                quote! { #variant(#ty), }
            }
            None => quote! { #variant, },
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// `CreateThingError`: one variant per error status, when their bodies differ.
fn error_enum_name(op: &Operation) -> proc_macro2::Ident {
    ident(&operation_type_name(op, "Error"))
}

/// The error body of an operation's errors: the per-status enum (named
/// through `client`, the path to this module) when the bodies differ, else
/// the one declared type (`None`: the runtime's default).
pub(super) fn error_body_type(
    api: &Api,
    op: &Operation,
    client: &TokenStream,
) -> Option<TokenStream> {
    if !op.responses.errors_by_status.is_empty() {
        let name = error_enum_name(op);
        return Some(quote! { #client #name });
    }
    op.responses
        .error_type
        .as_ref()
        .map(|ty| type_tokens(api, ty, &models_path()))
}

/// The error statuses' bodies as one enum, read by the status answered.
/// It serializes as the body it holds, for the server side.
fn error_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let by_status = &op.responses.errors_by_status;
    if by_status.is_empty() {
        return None;
    }
    let name = error_enum_name(op);
    let docs = doc(Some(&format!(
        "The error body of `Client::{}`: one variant per error status, each with its body.",
        op.method_name.bare()
    )));
    let variants = by_status.iter().map(|(status, ty)| {
        let variant = ident(&status_variant(*status));
        let ty = variant_body(api, ty);
        quote! { #variant(#ty), }
    });
    let arms = by_status.iter().map(|(status, _)| {
        let variant = ident(&status_variant(*status));
        let pattern = status_pattern(std::slice::from_ref(status));
        quote! { #pattern => serde_json::from_slice(body).ok().map(Self::#variant), }
    });
    let rest = (!by_status.iter().any(|(s, _)| *s == StatusPattern::Default))
        .then(|| quote! { _ => None, });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl runtime::ErrorBody for #name {
            fn from_response(status: u16, body: &[u8]) -> Option<Self> {
                match status {
                    #(#arms)*
                    #rest
                }
            }
        }
    })
}

/// The Rust type of a success body: the per-status enum when bodies
/// differ, else the one body type (`()` when there is none).
fn success_body_type(api: &Api, op: &Operation) -> TokenStream {
    if !op.responses.by_status.is_empty() {
        let name = success_enum_name(op);
        return quote! { #name };
    }
    op.responses
        .success_type
        .as_ref()
        .map_or_else(|| quote! { () }, |ty| type_tokens(api, ty, &models_path()))
}

/// `GetJobResponse` when the operation's success responses declare headers.
fn response_struct_name(op: &Operation) -> Option<proc_macro2::Ident> {
    (!op.responses.headers.is_empty()).then(|| ident(&operation_type_name(op, "Response")))
}

/// The body and the declared headers of a success, when there are headers.
fn response_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = response_struct_name(op)?;
    let docs = doc(Some(&format!(
        "The answer of `Client::{}`: its body and the headers the spec declares.\n\n\
         A header that is absent, or does not parse as its declared type, is `None`;\n\
         the answer is kept either way.",
        op.method_name.bare()
    )));
    let headers = op
        .responses
        .headers
        .iter()
        .map(|header| super::headers::field(api, header));
    let body = op.responses.success_type.as_ref().map(|_| {
        let ty = success_body_type(api, op);
        quote! {
            #[doc = " The body."]
            pub body: #ty,
        }
    });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #body
            #(#headers)*
        }
    })
}
