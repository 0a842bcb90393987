//! The parameters a `Client` holds (Azure's `x-ms-parameter-location:
//! client`): a field each, set once with `with_<name>`, and sent by every
//! operation that declares them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{doc, models_path, type_tokens};
use crate::model::{Api, ClientParam, Operation, ParamLocation, TypeRef};

/// The client's fields, as text ready to send.
pub fn fields(api: &Api) -> TokenStream {
    let fields = api.client_params.iter().map(|param| {
        let name = &param.name;
        quote! { #name: Option<String>, }
    });
    quote! { #(#fields)* }
}

/// The fields of a new client: none set.
pub fn unset(api: &Api) -> TokenStream {
    let fields = api.client_params.iter().map(|param| {
        let name = &param.name;
        quote! { #name: None, }
    });
    quote! { #(#fields)* }
}

/// The fields copied from `self`.
pub fn kept(api: &Api) -> TokenStream {
    let fields = api.client_params.iter().map(|param| {
        let name = &param.name;
        quote! { #name: self.#name.clone(), }
    });
    quote! { #(#fields)* }
}

/// `with_<name>` for each parameter.
pub fn setters(api: &Api) -> TokenStream {
    let setters = api.client_params.iter().map(|param| {
        let name = &param.name;
        let setter = format_ident!("{}", setter_name(param));
        let ty = match &param.ty {
            TypeRef::String => quote! { &str },
            other => type_tokens(api, other, &models_path()),
        };
        let wire = &param.wire_name;
        let docs = doc(Some(&format!(
            "This client, sending `{wire}` on every operation that takes it.{}",
            param
                .doc
                .as_deref()
                .map(|text| format!("\n\n{text}"))
                .unwrap_or_default()
        )));
        quote! {
            #docs
            pub fn #setter(mut self, #name: #ty) -> Self {
                self.#name = Some(#name.to_string());
                self
            }
        }
    });
    quote! { #(#setters)* }
}

fn setter_name(param: &ClientParam) -> String {
    format!("with_{}", param.name.bare().trim_start_matches('_'))
}

/// The statements that send `op`'s client parameters found at `location`
/// (on `url` for the query, on `request` for headers); one it requires
/// and the client lacks is refused before anything is sent.
pub fn statements(api: &Api, op: &Operation, location: ParamLocation) -> Vec<TokenStream> {
    op.client_params
        .iter()
        .map(|&(index, required)| (&api.client_params[index], required))
        .filter(|(param, _)| param.location == location)
        .map(|(param, required)| {
            let name = &param.name;
            let wire = &param.wire_name;
            let send = match location {
                ParamLocation::Query => quote! { url.query_pairs_mut().append_pair(#wire, value); },
                _ => quote! { request.header(#wire, value)?; },
            };
            let missing = required.then(|| {
                let reason = format!("required by this operation: set it with `Client::{}`", setter_name(param));
                quote! {
                    else {
                        return Err(Error::InvalidArgument { name: #wire, reason: #reason.to_owned() });
                    }
                }
            });
            quote! {
                if let Some(value) = &self.#name {
                    #send
                } #missing
            }
        })
        .collect()
}
