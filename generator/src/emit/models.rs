//! `src/models.rs`: one struct or alias per named schema.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::flattened;
use super::rust::{doc, type_tokens};
use crate::ident::RustIdent;
use crate::model::{Api, Enum, Field, Struct, TypeDef, TypeId, TypeRef, TypeShape, Union};

pub fn emit(api: &Api) -> TokenStream {
    let wires: HashSet<TypeId> = api
        .types
        .iter()
        .filter_map(|def| match &def.shape {
            TypeShape::Struct(s) => s.flattened.as_ref().map(|f| f.wire),
            _ => None,
        })
        .collect();
    let items = api
        .types
        .iter()
        .enumerate()
        .map(|(id, def)| type_def(api, def, wires.contains(&TypeId(id))));
    quote! {
        #![doc = " The schemas of the spec, as serde types."]
        #(#items)*
    }
}

/// One type; `hidden`: a wire struct, an implementation detail of the
/// struct that flattens it.
fn type_def(api: &Api, def: &TypeDef, hidden: bool) -> TokenStream {
    let name = &def.name;
    let mut docs = doc(def.doc.as_deref());
    if hidden {
        docs.extend(quote! { #[doc(hidden)] });
    }
    match &def.shape {
        TypeShape::Alias(ty) => {
            let ty = type_tokens(api, ty, &TokenStream::new());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
        TypeShape::Newtype(ty) => {
            let ty = type_tokens(api, ty, &TokenStream::new());
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeShape::Struct(s) => {
            // A flattening struct's serde goes through its wire struct, so
            // its fields carry no serde attributes.
            let field_serde = s.flattened.is_none();
            let fields = s
                .fields
                .iter()
                .map(|field| struct_field(api, field, field_serde));
            let additional = s.additional.as_ref().map(|extra| {
                let field = &extra.name;
                let value = type_tokens(api, &extra.value, &TokenStream::new());
                let flatten = field_serde.then(|| quote! { #[serde(flatten)] });
                quote! {
                    #[doc = " Properties beyond the declared ones, as received."]
                    #flatten
                    pub #field: std::collections::BTreeMap<String, #value>,
                }
            });
            let derive_default = all_optional(s).then(|| quote! { Default, });
            let (serde, conversions) = match &s.flattened {
                Some(flattened) => {
                    let line = flattened::doc_line(api, flattened);
                    let text = match &def.doc {
                        Some(own) => format!("{own}\n\n{line}"),
                        None => line,
                    };
                    docs = doc(Some(&text));
                    (
                        flattened::serde_attribute(api, flattened),
                        flattened::conversions(api, name, s, flattened),
                    )
                }
                None => (TokenStream::new(), TokenStream::new()),
            };
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
                #serde
                pub struct #name {
                    #(#fields)*
                    #additional
                }

                #conversions
            }
        }
        TypeShape::Enum(e) => string_enum(name, &docs, e),
        TypeShape::Union(u) => union(api, name, &docs, u),
    }
}

/// A string enum, with its wire text (`as_str`, `Display`) and parsing
/// (`FromStr`) for parameters. An extensible one (Azure's `modelAsString`)
/// keeps unknown values in `Other`, so a service that adds a value does not
/// break its clients.
fn string_enum(name: &RustIdent, docs: &TokenStream, e: &Enum) -> TokenStream {
    let variant_docs = e.variants.iter().map(|v| doc(v.doc.as_deref()));
    let variants: Vec<_> = e.variants.iter().map(|v| &v.name).collect();
    let wires: Vec<&String> = e.variants.iter().map(|v| &v.wire_name).collect();
    let other_arm = e
        .extensible
        .then(|| quote! { #name::Other(value) => value, });
    let wire_text = quote! {
        impl #name {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#variants => #wires,)*
                    #other_arm
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    if !e.extensible {
        return quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
            pub enum #name {
                #(#variant_docs #[serde(rename = #wires)] #variants,)*
            }

            #wire_text

            impl std::str::FromStr for #name {
                type Err = String;

                fn from_str(value: &str) -> Result<Self, <Self as std::str::FromStr>::Err> {
                    match value {
                        #(#wires => Ok(#name::#variants),)*
                        other => Err(format!("unknown value `{other}`")),
                    }
                }
            }
        };
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            #[doc = " A value this crate does not know, kept as received."]
            Other(String),
        }

        #wire_text

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#wires => #name::#variants,)*
                    _ => #name::Other(value),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, <Self as std::str::FromStr>::Err> {
                Ok(#name::from(value.to_owned()))
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}

/// One variant per alternative; named types are boxed, which keeps the
/// enum small and recursive unions finite.
fn union(api: &Api, name: &RustIdent, docs: &TokenStream, u: &Union) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = &v.name;
        let mut ty = type_tokens(api, &v.ty, &TokenStream::new());
        if matches!(v.ty, TypeRef::Named(_)) {
            ty = quote! { Box<#ty> };
        }
        let rename = v
            .tag_value
            .as_ref()
            .map(|tag| quote! { #[serde(rename = #tag)] });
        quote! { #rename #variant(#ty), }
    });
    let representation = match &u.tag {
        Some(tag) => quote! { #[serde(tag = #tag)] },
        None => quote! { #[serde(untagged)] },
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #representation
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A struct's field; `with_serde`: with the attributes that name it on the
/// wire and leave it out when `None`.
fn struct_field(api: &Api, field: &Field, with_serde: bool) -> TokenStream {
    let docs = doc(field.doc.as_deref());
    let name = &field.name;
    let mut ty = type_tokens(api, &field.ty, &TokenStream::new());
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    let optional = !field.required || field.nullable;
    if optional {
        ty = quote! { Option<#ty> };
    }
    let rename = (field.name.bare() != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote! { rename = #wire, }
    });
    let skip = (!field.required).then(|| quote! { skip_serializing_if = "Option::is_none", });
    let serde = (with_serde && (rename.is_some() || skip.is_some()))
        .then(|| quote! { #[serde(#rename #skip)] });
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
