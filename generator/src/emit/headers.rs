//! Headers typed by their schema, the same way on both sides and in both
//! directions: timestamps as HTTP-dates (RFC 9110's IMF-fixdate, through
//! jiff's RFC 2822 parser and RFC 9110 printer), other scalars as their
//! text.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{models_path, type_tokens};
use crate::model::{Api, ResponseHeader, TypeRef};

/// `pub etag: Option<String>,` with its doc, for the client's `<Op>Response`
/// and the server's `<Op>Output`.
pub(super) fn field(api: &Api, header: &ResponseHeader) -> TokenStream {
    let field = &header.name;
    let docs = super::rust::doc(Some(
        header
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` header.", header.wire_name)),
    ));
    let ty = type_tokens(api, &header.ty, &models_path());
    quote! { #docs pub #field: Option<#ty>, }
}

/// The client's read of `header` from `response`: `None` when absent or
/// when it does not parse as its type (the answer is kept either way).
pub(super) fn read(header: &ResponseHeader) -> TokenStream {
    let wire = &header.wire_name;
    let text = quote! { response.header(#wire) };
    match header.ty {
        TypeRef::String => text,
        _ => {
            let parsed = parse(&header.ty, quote! { text });
            quote! { #text.and_then(|text| #parsed.ok()) }
        }
    }
}

/// `text` (a `String`) parsed as a header of type `ty`: a `Result` whose
/// error says why not.
pub(super) fn parse(ty: &TypeRef, text: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Timestamp => {
            quote! { jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(&#text) }
        }
        _ => quote! { #text.parse() },
    }
}

/// The HTTP-date of `value` (a `jiff::Timestamp`): a `Result`, as no
/// HTTP-date holds a year before 0.
pub(super) fn http_date(value: TokenStream) -> TokenStream {
    quote! { jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&#value) }
}

/// The server's text of `value` (an `Option` of the header's type):
/// `None` when unset, or for a timestamp no HTTP-date can hold.
pub(super) fn write(header: &ResponseHeader, value: TokenStream) -> TokenStream {
    match header.ty {
        TypeRef::String => value,
        TypeRef::Timestamp => {
            let date = http_date(quote! { value });
            quote! { #value.and_then(|value| #date.ok()) }
        }
        _ => quote! { #value.map(|value| value.to_string()) },
    }
}
