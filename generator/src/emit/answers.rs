//! What a server-side `Service` method answers, and how `dispatch` turns it
//! into a reply: the success type (the body, or one variant per declared
//! success status so the service picks the status), wrapped in an
//! `<Op>Output` with the declared response headers when there are any.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::client::{status_enum, status_variant, success_enum_name};
use super::rust::{ident, models_path, operation_type_name, type_tokens};
use crate::model::{Api, Operation, StatusPattern, TypeRef};

/// The per-status enums and output structs the server module declares.
pub(super) fn types(api: &Api, op: &Operation) -> TokenStream {
    let success = own_statuses(op).map(|statuses| {
        let docs = format!(
            "What `Service::{}` answers: one variant per success status, each with its body.",
            op.method_name.bare()
        );
        status_enum(api, &success_enum_name(op), &docs, &statuses)
    });
    let output = output_name(op).map(|name| {
        let docs = super::rust::doc(Some(&format!(
            "What `Service::{}` answers: its body and the headers the spec declares, each sent when `Some`.",
            op.method_name.bare()
        )));
        let body = has_body(op).then(|| {
            let ty = success_type(api, op);
            quote! {
                #[doc = " The body (and with it the status)."]
                pub body: #ty,
            }
        });
        let headers = op
            .responses
            .headers
            .iter()
            .map(|header| super::headers::field(api, header));
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name {
                #body
                #(#headers)*
            }
        }
    });
    quote! { #success #output }
}

/// The `Ok` type of `Service::<op>`.
pub(super) fn answer_type(api: &Api, op: &Operation) -> TokenStream {
    match output_name(op) {
        Some(name) => quote! { #name },
        None => success_type(api, op),
    }
}

/// `Ok(..) => reply` for the operation's answer in `dispatch`.
pub(super) fn dispatch_ok(op: &Operation) -> TokenStream {
    if output_name(op).is_none() {
        return match has_body(op) {
            true => {
                let reply = reply(op, quote! { body });
                quote! { Ok(body) => #reply, }
            }
            false => {
                let reply = reply(op, TokenStream::new());
                quote! { Ok(()) => #reply, }
            }
        };
    }
    let reply = reply(op, quote! { output.body });
    let headers = op.responses.headers.iter().map(|header| {
        let field = &header.name;
        let wire = &header.wire_name;
        let value = super::headers::write(header, quote! { output.#field });
        quote! { .with_header(#wire, #value) }
    });
    quote! {
        Ok(output) => {
            let reply = #reply;
            reply #(#headers)*
        }
    }
}

/// The statuses of a server-side enum when the operation declares more
/// than one success status with the same body (the client's per-status
/// enum serves when the bodies differ).
fn own_statuses(op: &Operation) -> Option<Vec<(StatusPattern, Option<TypeRef>)>> {
    let responses = &op.responses;
    (responses.by_status.is_empty() && responses.success.len() > 1).then(|| {
        responses
            .success
            .iter()
            .map(|status| (*status, responses.success_type.clone()))
            .collect()
    })
}

/// Whether the answer carries a value: a body, or a per-status enum.
fn has_body(op: &Operation) -> bool {
    op.responses.success_type.is_some() || op.responses.success.len() > 1
}

fn output_name(op: &Operation) -> Option<proc_macro2::Ident> {
    (!op.responses.headers.is_empty()).then(|| ident(&operation_type_name(op, "Output")))
}

/// The success body: one variant per status when there are several
/// (the client's enum when the bodies differ), else the body or `()`.
fn success_type(api: &Api, op: &Operation) -> TokenStream {
    let name = success_enum_name(op);
    if !op.responses.by_status.is_empty() {
        quote! { crate::client::#name }
    } else if own_statuses(op).is_some() {
        quote! { #name }
    } else {
        op.responses
            .success_type
            .as_ref()
            .map_or_else(|| quote! { () }, |ty| type_tokens(api, ty, &models_path()))
    }
}

/// The reply for `value` (of the success type; empty when there is none).
fn reply(op: &Operation, value: TokenStream) -> TokenStream {
    let responses = &op.responses;
    let statuses = match (responses.by_status.is_empty(), own_statuses(op)) {
        (false, _) => responses.by_status.clone(),
        (true, Some(statuses)) => statuses,
        (true, None) => {
            let status = success_status(responses.success.first());
            return match responses.success_type {
                Some(_) => quote! { rt::success(#status, &#value) },
                None => quote! { rt::empty(#status) },
            };
        }
    };
    let name = success_enum_name(op);
    let path = match responses.by_status.is_empty() {
        true => quote! { #name },
        false => quote! { crate::client::#name },
    };
    let arms = statuses.iter().map(|(status, body)| {
        let variant = ident(&status_variant(*status));
        let code = success_status(Some(status));
        match body {
            Some(_) => quote! { #path::#variant(body) => rt::success(#code, &body), },
            None => quote! { #path::#variant => rt::empty(#code), },
        }
    });
    quote! { match #value { #(#arms)* } }
}

/// The status a success is answered with: its code, 200 for a range.
fn success_status(status: Option<&StatusPattern>) -> Literal {
    let code = match status {
        Some(StatusPattern::Code(code)) => *code,
        _ => 200,
    };
    Literal::u16_unsuffixed(code)
}
