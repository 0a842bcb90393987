//! The client's constructors: how it is given an endpoint and a credential,
//! as the profile and the document's `securitySchemes` say.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::doc;
use crate::profile::{Kind, Profile};

/// `Client::new` (documented with the credentials the API takes), and
/// under the Azure profile `from_connection_string` and
/// `with_client_request_id`. `fields` initialises the client's fields
/// besides its pipeline from `options`; `kept` copies them from `self`.
pub fn constructors(profile: &Profile, fields: &TokenStream, kept: &TokenStream) -> TokenStream {
    let new_doc = doc(Some(&new_doc(profile)));
    let pipeline = match &profile.api_key {
        Some(scheme) => {
            let name = &scheme.name;
            let location = match scheme.location.as_str() {
                "query" => quote! { Query },
                "cookie" => quote! { Cookie },
                _ => quote! { Header },
            };
            quote! {
                Pipeline::new(endpoint, credential, &options)?.with_api_key_scheme(crate::runtime::ApiKeyScheme {
                    name: #name,
                    location: crate::runtime::KeyLocation::#location,
                })
            }
        }
        None => quote! { Pipeline::new(endpoint, credential, &options)? },
    };
    let azure = (profile.kind == Kind::Azure).then(|| {
        quote! {
            #[doc = " A client from an Azure Communication Services connection string"]
            #[doc = " (`endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>`),"]
            #[doc = " signing its requests with the access key."]
            #[cfg(feature = "azure")]
            pub fn from_connection_string(connection_string: &str, options: ClientOptions) -> Result<Self, Error> {
                let (endpoint, key) = crate::runtime::parse_connection_string(connection_string)?;
                Self::new(&endpoint, Credential::AccessKey(key), options)
            }

            #[doc = " This client, sending `id` as `x-ms-client-request-id` on its calls"]
            #[doc = " instead of a fresh UUID per call (the same on every retry of a call)."]
            #[cfg(feature = "azure")]
            pub fn with_client_request_id(&self, id: &str) -> Result<Self, Error> {
                Ok(Self {
                    pipeline: self.pipeline.with_client_request_id(id)?,
                    #kept
                })
            }
        }
    });
    quote! {
        #new_doc
        pub fn new(endpoint: &str, credential: Credential, options: ClientOptions) -> Result<Self, Error> {
            Ok(Self {
                pipeline: #pipeline,
                #fields
            })
        }

        #azure
    }
}

/// What `Client::new` says about credentials: the Azure ones under the
/// Azure profile, then one line per security scheme of the document.
fn new_doc(profile: &Profile) -> String {
    let mut text = "A client for the service at `endpoint` (an absolute `http` or `https` URL),\n\
                    authenticated with `credential`."
        .to_owned();
    if profile.kind == Kind::Azure {
        text.push_str(
            "\n\nAzure credentials: `Credential::access_key(key)` (Azure Communication Services\n\
             HMAC-SHA256 signing), a bearer token (`Credential::Token`, for example from\n\
             Microsoft Entra ID), or `Credential::None` for local endpoints.",
        );
    }
    if !profile.schemes.is_empty() {
        text.push_str("\n\nThe API's security schemes:");
        for scheme in &profile.schemes {
            text.push_str(&format!("\n- `{}`: {}", scheme.name, scheme.credential));
        }
    } else if profile.kind == Kind::Plain {
        text.push_str(
            "\n\nThe API declares no security scheme: `Credential::None`, or a bearer token\n\
             (`Credential::static_token`) if the service wants one.",
        );
    }
    text
}
