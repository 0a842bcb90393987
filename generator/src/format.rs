//! Formats emitted tokens as Rust source with `prettyplease`: the same
//! tokens always give the same bytes.

use proc_macro2::TokenStream;

use crate::Error;

/// `header` followed by `tokens` pretty-printed; `file` names the output in
/// the error should the tokens not be valid Rust.
pub fn rust_file(header: &str, file: &str, tokens: TokenStream) -> Result<String, Error> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|e| Error::InvalidOutput {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&syntax)))
}
