//! `begin_<method>` for Azure's long-running operations: sends the
//! operation's request and hands the first answer to `runtime::Poller`,
//! which follows the status monitor to the final result.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, models_path, type_tokens};
use crate::model::{Api, FinalStateVia, Operation};

/// The method; `args` and `arg_names` are the operation's, `request_fn`
/// builds its request, `error_body` is its declared error type.
pub fn begin_method(
    api: &Api,
    op: &Operation,
    final_state: FinalStateVia,
    args: &[TokenStream],
    arg_names: &[TokenStream],
    request_fn: &proc_macro2::Ident,
    error_body: Option<&TokenStream>,
) -> TokenStream {
    let name = ident(&op.derived_fn_name("begin_", ""));
    let docs = doc(Some(&format!(
        "Starts [`Client::{}`], a long-running operation, and returns the poller that follows it: `.wait().await` for its result, or `.poll().await` step by step.",
        op.method_name.bare()
    )));
    // The final result has the success body's type; several different
    // bodies are read as JSON.
    let result = if op.responses.by_status.is_empty() {
        op.responses
            .success_type
            .as_ref()
            .map_or_else(|| quote! { () }, |ty| type_tokens(api, ty, &models_path()))
    } else {
        quote! { serde_json::Value }
    };
    let error = error_body.map_or_else(|| quote! { serde_json::Value }, Clone::clone);
    let error_type = error_body.map(|ty| quote! { <#ty> });
    let state = match final_state {
        FinalStateVia::AzureAsyncOperation => quote! { AzureAsyncOperation },
        FinalStateVia::Location => quote! { Location },
        FinalStateVia::OperationLocation => quote! { OperationLocation },
        FinalStateVia::OriginalUri => quote! { OriginalUri },
    };
    let operation_id = &op.id;
    quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> Result<runtime::Poller<#result, #error>, Error #error_type> {
            let request = self.#request_fn(#(#arg_names),*)?;
            let original = request.url().clone();
            let response = self.pipeline.send(request, #operation_id).await?;
            runtime::Poller::start(
                self.pipeline.clone(),
                #operation_id,
                original,
                response,
                runtime::FinalState::#state,
            )
        }
    }
}
