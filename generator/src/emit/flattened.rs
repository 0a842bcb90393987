//! What a struct with flattened properties (Azure's `x-ms-client-flatten`)
//! adds to `src/models.rs`: serde goes through its `<Name>Wire` struct,
//! which keeps the JSON nested, and two `From`s move the fields across.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::RustIdent;
use crate::model::{Api, Flattened, Struct, TypeShape};

/// The attribute that reads and writes the struct as its wire struct.
pub fn serde_attribute(api: &Api, flattened: &Flattened) -> TokenStream {
    let wire = api.types[flattened.wire.0].name.to_string();
    quote! { #[serde(from = #wire, into = #wire)] }
}

/// A sentence for the struct's doc naming the properties whose fields it
/// holds, as they are on the wire.
pub fn doc_line(api: &Api, flattened: &Flattened) -> String {
    let wire = fields_of(api, flattened.wire.0);
    let names: Vec<String> = flattened
        .parts
        .iter()
        .filter_map(|part| wire.iter().find(|f| f.name == part.field))
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    format!(
        "The fields of {} are this struct's own (`x-ms-client-flatten`); the JSON keeps them nested.",
        names.join(", ")
    )
}

/// `From<Wire> for Name` and back. Every field keeps its name on both
/// sides (lifting refused names that clash), so each side is destructured
/// whole and rebuilt with shorthand fields.
pub fn conversions(api: &Api, name: &RustIdent, s: &Struct, flattened: &Flattened) -> TokenStream {
    let wire_name = &api.types[flattened.wire.0].name;
    let wire_fields: Vec<&RustIdent> = fields_of(api, flattened.wire.0)
        .iter()
        .map(|f| &f.name)
        .collect();
    let own_fields: Vec<&RustIdent> = s.fields.iter().map(|f| &f.name).collect();
    let additional: Vec<&RustIdent> = s.additional.iter().map(|a| &a.name).collect();
    let mut unpack = Vec::new();
    let mut pack = Vec::new();
    for part in &flattened.parts {
        let field = &part.field;
        let object = &api.types[part.ty.0].name;
        let inner: Vec<&RustIdent> = fields_of(api, part.ty.0).iter().map(|f| &f.name).collect();
        if part.always {
            unpack.push(quote! { let #object { #(#inner),* } = #field; });
            pack.push(quote! { let #field = #object { #(#inner),* }; });
        } else {
            unpack.push(quote! { let #object { #(#inner),* } = #field.unwrap_or_default(); });
            pack.push(quote! {
                let #field = Some(#object { #(#inner),* }).filter(|part| *part != #object::default());
            });
        }
    }
    quote! {
        impl From<#wire_name> for #name {
            fn from(wire: #wire_name) -> Self {
                let #wire_name { #(#wire_fields,)* #(#additional,)* } = wire;
                #(#unpack)*
                Self { #(#own_fields,)* #(#additional,)* }
            }
        }

        impl From<#name> for #wire_name {
            fn from(value: #name) -> Self {
                let #name { #(#own_fields,)* #(#additional,)* } = value;
                #(#pack)*
                Self { #(#wire_fields,)* #(#additional,)* }
            }
        }
    }
}

fn fields_of(api: &Api, id: usize) -> &[crate::model::Field] {
    match &api.types[id].shape {
        TypeShape::Struct(s) => &s.fields,
        _ => &[],
    }
}
