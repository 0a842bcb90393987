//! `src/server.rs`: the server side of the same spec. A `Service` trait
//! with one async method per operation (typed input, typed answer), and
//! `decode`, which matches a raw request to its operation and decodes the
//! input, so a spec change breaks the build of any server that disagrees.

use proc_macro2::TokenStream;
use quote::quote;

use super::routes::Route;
use super::rust::{doc, ident, models_path, operation_type_name, type_tokens};
use crate::ident::RustIdent;
use crate::model::{Api, Body, BodyEncoding, Operation, ParamLocation, TypeRef, TypeShape};

pub fn emit(api: &Api) -> TokenStream {
    let inputs = api.operations.iter().map(|op| input_struct(api, op));
    let answers = api
        .operations
        .iter()
        .map(|op| super::answers::types(api, op));
    let variants = api.operations.iter().map(|op| {
        let variant = ident(&variant_name(op));
        let input = ident(&input_name(op));
        quote! { #variant(Box<#input>), }
    });
    let operation_ids = api.operations.iter().map(|op| {
        let variant = ident(&variant_name(op));
        let id = &op.id;
        quote! { Call::#variant(_) => #id, }
    });
    let methods = api.operations.iter().map(|op| service_method(api, op));
    let dispatch_arms = api.operations.iter().map(dispatch_arm);
    let routes = super::routes::routes(api);
    // An operation whose method and template another one already took
    // (templates differing only in parameter names) is never routed, so it
    // gets no decoder: one would be dead code.
    let routed = |op: &Operation| {
        routes
            .iter()
            .any(|route| route.operations.iter().any(|r| std::ptr::eq(*r, op)))
    };
    let decoders = api
        .operations
        .iter()
        .filter(|op| routed(op))
        .map(|op| decoder(api, op))
        .collect::<Vec<_>>();
    let matchers = routes.iter().map(path_matcher);
    // A document without operations still gives a crate that compiles
    // warning-free: an empty `Call` is matched by value, and nothing is
    // imported or bound that no operation uses.
    let empty = api.operations.is_empty();
    let imports = if empty {
        quote! { HttpRequest, Rejection, Reply }
    } else {
        quote! { self as rt, HttpRequest, Rejection, Reply, ServiceError }
    };
    let this = if empty {
        quote! { *self }
    } else {
        quote! { self }
    };
    let (service, request) = if empty {
        (quote! { _service }, quote! { _request })
    } else {
        (quote! { service }, quote! { request })
    };
    let not_matched = if empty {
        quote! { Err(Rejection::NotFound) }
    } else {
        quote! {
            #(#matchers)*
            Err(Rejection::NotFound)
        }
    };
    quote! {
        #![doc = " The server side of the spec: [`decode`] matches a request to its operation"]
        #![doc = " and decodes its typed input; a [`Service`] answers it; [`dispatch`] joins them."]

        use crate::runtime::server::{#imports};

        #(#inputs)*

        #(#answers)*

        #[doc = " A request decoded into the operation it calls."]
        #[derive(Debug, Clone, PartialEq)]
        pub enum Call {
            #(#variants)*
        }

        impl Call {
            #[doc = " The operation's `operationId` in the spec."]
            pub fn operation_id(&self) -> &'static str {
                match #this {
                    #(#operation_ids)*
                }
            }
        }

        #[doc = " The operations of the spec, answered with the types it declares."]
        pub trait Service: Send + Sync {
            #(#methods)*
        }

        #[doc = " Calls the operation `call` names on `service` and turns its answer into a reply."]
        pub async fn dispatch<S: Service>(#service: &S, call: Call) -> Reply {
            match call {
                #(#dispatch_arms)*
            }
        }

        #[doc = " The operation `request` calls, with its inputs decoded, or why it calls none."]
        pub fn decode(#request: &HttpRequest<'_>) -> Result<Call, Rejection> {
            #not_matched
        }

        #(#decoders)*
    }
}

fn variant_name(op: &Operation) -> String {
    operation_type_name(op, "")
}

fn input_name(op: &Operation) -> String {
    operation_type_name(op, "Input")
}

fn input_struct(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&input_name(op));
    let struct_doc = doc(Some(&format!(
        "The inputs of `{} {}` ([`Service::{}`]).",
        op.http_method,
        op.path_template,
        op.method_name.bare()
    )));
    let params = op.params.iter().map(|param| {
        input_field(
            api,
            &param.name,
            param.doc.as_deref(),
            &param.ty,
            param.required,
        )
    });
    let api_version = op.api_version_param.as_ref().map(|param| {
        let field = &param.name;
        quote! {
            #[doc = " The `api-version` the caller asked for."]
            pub #field: String,
        }
    });
    let body = op.body.as_ref().map(|body| {
        let docs = doc(body.doc.as_deref());
        let field = &body.name;
        let mut ty = type_tokens(api, &body.ty, &models_path());
        if is_merge_patch(body) {
            ty = quote! { crate::runtime::server::MergePatch<#ty> };
        }
        if !body.required {
            ty = quote! { Option<#ty> };
        }
        quote! { #docs pub #field: #ty, }
    });
    quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#params)*
            #api_version
            #body
        }
    }
}

/// `pub name: T,` (or `Option<T>` when not required), with its doc.
fn input_field(
    api: &Api,
    field: &RustIdent,
    docs: Option<&str>,
    ty: &TypeRef,
    required: bool,
) -> TokenStream {
    let docs = doc(docs);
    let mut ty = type_tokens(api, ty, &models_path());
    if !required {
        ty = quote! { Option<#ty> };
    }
    quote! { #docs pub #field: #ty, }
}

fn service_method(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.method_name;
    let input = ident(&input_name(op));
    let docs = doc(op.doc.as_deref());
    let ok = super::answers::answer_type(api, op);
    let error = super::client::error_body_type(api, op, &quote! { crate::client:: })
        .unwrap_or_else(|| quote! { serde_json::Value });
    quote! {
        #docs
        fn #name(&self, input: #input)
            -> impl std::future::Future<Output = Result<#ok, ServiceError<#error>>> + Send;
    }
}

fn dispatch_arm(op: &Operation) -> TokenStream {
    let variant = ident(&variant_name(op));
    let name = &op.method_name;
    let ok = super::answers::dispatch_ok(op);
    quote! {
        Call::#variant(input) => match service.#name(*input).await {
            #ok
            Err(error) => rt::failure(&error),
        },
    }
}

/// The first route whose template matches decides: one of its methods
/// reaches its operation, any other is a 405 naming them.
fn path_matcher(route: &Route<'_>) -> TokenStream {
    let template = route.template;
    let methods = route.operations.iter().map(|op| &op.http_method);
    let arms = route.operations.iter().map(|op| {
        let method = &op.http_method;
        let variant = ident(&variant_name(op));
        let decoder = ident(&op.derived_fn_name("decode_", ""));
        quote! { #method => #decoder(request, path).map(|input| Call::#variant(Box::new(input))), }
    });
    quote! {
        if let Some(path) = rt::match_path(#template, request.path) {
            return match request.method {
                #(#arms)*
                _ => Err(Rejection::MethodNotAllowed { allow: vec![#(#methods),*] }),
            };
        }
    }
}

/// Whether `body` is a JSON merge patch (RFC 7386), whose `null`s the
/// service needs apart from absent fields.
fn is_merge_patch(body: &Body) -> bool {
    body.encoding == BodyEncoding::Json && crate::lower::is_merge_patch(&body.media_type)
}

/// Whether `ty` is, through any aliases, a struct (a JSON object).
fn is_struct(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &api.types[id.0].shape {
            TypeShape::Struct(_) => true,
            TypeShape::Alias(target) => is_struct(api, target),
            TypeShape::Enum(_) | TypeShape::Union(_) | TypeShape::Newtype(_) => false,
        },
        _ => false,
    }
}

fn decoder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.derived_fn_name("decode_", ""));
    let input = ident(&input_name(op));
    let path_count = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .count();
    let fields = op.params.iter().map(|param| {
        let field = &param.name;
        let wire = &param.wire_name;
        let explode = param.explode;
        let (location, raw) = match (param.location, &param.ty) {
            (ParamLocation::Path, _) => ("path", quote! { path.next() }),
            (ParamLocation::Query, TypeRef::List(_)) => {
                ("query", quote! { rt::query_list(request, #wire, #explode) })
            }
            (ParamLocation::Query, _) => ("query", quote! { rt::query(request, #wire)? }),
            (ParamLocation::Header, _) => ("header", quote! { rt::header(request, #wire)? }),
            (ParamLocation::Cookie, _) => ("cookie", quote! { rt::cookie(request, #wire) }),
        };
        // Strings (and lists of them) are taken as they come.
        let as_text = match &param.ty {
            TypeRef::List(item) => **item == TypeRef::String,
            other => *other == TypeRef::String,
        };
        let parse = |value: TokenStream| match &param.ty {
            _ if as_text => value,
            TypeRef::List(_) => quote! { rt::parse_all(#value, #wire, #location)? },
            TypeRef::Timestamp if param.location == ParamLocation::Header => {
                let date = super::headers::parse(&param.ty, quote! { text });
                quote! { rt::parse_with(#value, #wire, #location, |text| #date)? }
            }
            _ => quote! { rt::parse(#value, #wire, #location)? },
        };
        let value = if param.required {
            parse(quote! { rt::required(#raw, #wire, #location)? })
        } else if as_text {
            raw
        } else {
            let parsed = parse(quote! { value });
            quote! { match #raw { Some(value) => Some(#parsed), None => None } }
        };
        quote! { #field: #value, }
    });
    let api_version = op.api_version_param.as_ref().map(|param| {
        let field = &param.name;
        let wire = &param.wire_name;
        quote! { #field: rt::required(rt::query(request, #wire)?, #wire, "query")?, }
    });
    let body = op.body.as_ref().map(|body| {
        let field = &body.name;
        let required = body.required;
        let read = match body.encoding {
            BodyEncoding::Json => {
                let shape = if is_struct(api, &body.ty) {
                    quote! { rt::Shape::Object }
                } else {
                    quote! { rt::Shape::Any }
                };
                let read = match is_merge_patch(body) {
                    true => quote! { rt::merge_patch_body },
                    false => quote! { rt::json_body },
                };
                quote! { #read(request, #required, #shape)? }
            }
            BodyEncoding::Text => quote! { rt::text_body(request)? },
            BodyEncoding::Bytes => quote! { rt::raw_body(request) },
        };
        if required {
            quote! { #field: rt::required(#read, "body", "body")?, }
        } else {
            quote! { #field: #read, }
        }
    });
    let path_binding = if path_count == 0 {
        quote! { _path: Vec<String> }
    } else {
        quote! { path: Vec<String> }
    };
    let path_iter = (path_count > 0).then(|| quote! { let mut path = path.into_iter(); });
    let reads_request = op.body.is_some()
        || op.api_version_param.is_some()
        || op.params.iter().any(|p| p.location != ParamLocation::Path);
    let request_binding = if reads_request {
        quote! { request }
    } else {
        quote! { _request }
    };
    quote! {
        fn #name(#request_binding: &HttpRequest<'_>, #path_binding) -> Result<#input, Rejection> {
            #path_iter
            Ok(#input {
                #(#fields)*
                #api_version
                #body
            })
        }
    }
}
