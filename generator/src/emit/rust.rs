//! Token helpers shared by the emitters: identifiers, doc comments, types.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::model::{Api, FloatType, IntegerType, Operation, TypeRef};

/// An identifier, raw (`r#type`) where the name says so.
pub fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, Span::call_site()),
        None => syn::Ident::new(name, Span::call_site()),
    }
}

/// `///` lines for `text`; nothing when there is no text.
pub fn doc(text: Option<&str>) -> TokenStream {
    doc_lines(text)
        .map(|line| quote! { #[doc = #line] })
        .collect()
}

/// `//!` lines for `text`.
pub fn inner_doc(text: &str) -> TokenStream {
    doc_lines(Some(text))
        .map(|line| quote! { #![doc = #line] })
        .collect()
}

fn doc_lines(text: Option<&str>) -> impl Iterator<Item = String> + '_ {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .into_iter()
        .flat_map(str::lines)
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                // Tabs become spaces: clippy refuses tabs in doc comments.
                format!(" {}", printable(&line.replace('\t', "    ")))
            }
        })
}

/// `text` with what may not stand in a comment written as an escape
/// (`\u{202e}`): control characters (a bare CR is an error in a doc
/// comment) and the bidirectional overrides rustc refuses in comments and
/// literals.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A type named after an operation's method and `suffix`: `ListJobsParams`,
/// `GetJobResponse`, `CloseJobInput`.
pub fn operation_type_name(op: &Operation, suffix: &str) -> String {
    format!("{}{suffix}", op.type_name)
}

/// Where named types live, seen from outside the models module.
pub fn models_path() -> TokenStream {
    quote! { crate::models:: }
}

/// The Rust type for `ty`; named types are prefixed with `path` (`models::`
/// outside the models module).
pub fn type_tokens(api: &Api, ty: &TypeRef, path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Bool => quote! { bool },
        TypeRef::Integer(int) => match int {
            IntegerType::I8 => quote! { i8 },
            IntegerType::I16 => quote! { i16 },
            IntegerType::I32 => quote! { i32 },
            IntegerType::I64 => quote! { i64 },
            IntegerType::U8 => quote! { u8 },
            IntegerType::U16 => quote! { u16 },
            IntegerType::U32 => quote! { u32 },
            IntegerType::U64 => quote! { u64 },
        },
        TypeRef::Float(FloatType::F32) => quote! { f32 },
        TypeRef::Float(FloatType::F64) => quote! { f64 },
        TypeRef::Timestamp => quote! { jiff::Timestamp },
        TypeRef::Date => quote! { jiff::civil::Date },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::Bytes => quote! { Vec<u8> },
        TypeRef::Named(id) => {
            let name = ident(&api.types[id.0].name);
            quote! { #path #name }
        }
        TypeRef::List(item) => {
            let item = type_tokens(api, item, path);
            quote! { Vec<#item> }
        }
    }
}
