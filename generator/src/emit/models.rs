//! `src/models.rs`: one struct or alias per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, type_tokens};
use crate::model::{Api, Field, Struct, TypeDef, TypeShape};

pub fn emit(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| type_def(api, def));
    quote! {
        #![doc = " The schemas of the spec, as serde types."]
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    match &def.shape {
        TypeShape::Alias(ty) => {
            let ty = type_tokens(api, ty, &TokenStream::new());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
        TypeShape::Struct(s) => {
            let fields = s.fields.iter().map(|field| struct_field(api, field));
            let additional = s.additional.as_ref().map(|extra| {
                let field = ident(&extra.name);
                let value = type_tokens(api, &extra.value, &TokenStream::new());
                quote! {
                    #[doc = " Properties beyond the declared ones, as received."]
                    #[serde(flatten)]
                    pub #field: std::collections::BTreeMap<String, #value>,
                }
            });
            let derive_default = all_optional(s).then(|| quote! { Default, });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                    #additional
                }
            }
        }
    }
}

fn struct_field(api: &Api, field: &Field) -> TokenStream {
    let docs = doc(field.doc.as_deref());
    let name = ident(&field.name);
    let mut ty = type_tokens(api, &field.ty, &TokenStream::new());
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    let optional = !field.required || field.nullable;
    if optional {
        ty = quote! { Option<#ty> };
    }
    let rename = (field.name.trim_start_matches("r#") != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote! { rename = #wire, }
    });
    let skip = (!field.required).then(|| quote! { skip_serializing_if = "Option::is_none", });
    let serde = (rename.is_some() || skip.is_some()).then(|| quote! { #[serde(#rename #skip)] });
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

/// Whether every field may be absent, so `Default` means "nothing set".
fn all_optional(s: &Struct) -> bool {
    s.fields.iter().all(|f| !f.required || f.nullable)
}
