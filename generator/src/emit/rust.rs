//! Token helpers shared by the emitters: identifiers, doc comments, types.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::model::{Api, FloatType, IntegerType, Operation, TypeRef};

/// An identifier for a name made here from others, never a keyword
/// (`CloseJobInput`, `close_job_request`); the model's names are
/// [`RustIdent`](crate::ident::RustIdent)s.
pub fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
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

/// The lines of a doc comment for `text`, each starting with a space.
fn doc_lines(text: Option<&str>) -> impl Iterator<Item = String> + '_ {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let mut markdown = Markdown::default();
    let mut after_blank = false;
    text.into_iter()
        .flat_map(str::lines)
        .filter_map(move |line| {
            // Tabs become spaces: clippy refuses tabs in doc comments.
            let line = line.trim_end().replace('\t', "    ");
            let line = markdown.line(&line);
            // Blank lines in a row read as one (outside code blocks).
            let blank = line.is_empty() && markdown.fence.is_none();
            let repeated = blank && after_blank;
            after_blank = blank;
            match line {
                _ if repeated => None,
                line if line.is_empty() => Some(line),
                line => Some(format!(" {}", printable(&line))),
            }
        })
}

/// Where a description's Markdown stands, line by line, so that a line
/// CommonMark reads as the lazy continuation of a list item or a quote is
/// written as it is read: indented under the item, or with its `>` (what
/// clippy's `doc_lazy_continuation` asks; the rendering is unchanged).
#[derive(Default)]
struct Markdown {
    /// The fence of the code block the lines are in (`` ``` `` or `~~~`).
    fence: Option<String>,
    /// The column where the text of the list item being continued starts.
    item: Option<usize>,
    /// Whether the previous line was in a block quote.
    quote: bool,
}

impl Markdown {
    /// `line` as it is written into the comment.
    fn line(&mut self, line: &str) -> String {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if let Some(fence) = &self.fence {
            if indent < 4 && content.starts_with(fence.as_str()) {
                self.fence = None;
            }
            return line.to_owned();
        }
        if content.is_empty() {
            self.item = None;
            self.quote = false;
            return String::new();
        }
        if indent < 4 {
            if let Some(fence) = ["```", "~~~"].into_iter().find(|f| content.starts_with(f)) {
                self.fence = Some(fence.to_owned());
                self.item = None;
                self.quote = false;
                return line.to_owned();
            }
            if content.starts_with('>') {
                self.quote = true;
                self.item = None;
                return line.to_owned();
            }
            if let Some(width) = list_marker_width(content) {
                self.item = Some(indent + width);
                self.quote = false;
                return line.to_owned();
            }
        }
        if self.quote && !interrupts_paragraph(content) {
            return format!("> {content}");
        }
        self.quote = false;
        match self.item {
            Some(column) if indent < column && !interrupts_paragraph(content) => {
                format!("{:column$}{content}", "")
            }
            Some(_) if interrupts_paragraph(content) => {
                self.item = None;
                line.to_owned()
            }
            _ => line.to_owned(),
        }
    }
}

/// The width of a list item's marker and the spaces after it (`- `,
/// `12. `), when `content` starts a list item with text.
fn list_marker_width(content: &str) -> Option<usize> {
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match content.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &content[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    match spaces {
        0 => None,
        // Five spaces or more: the item's text is an indented code block,
        // and starts one space after the marker.
        1..=4 if spaces < rest.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Whether a line ends the paragraph before it instead of continuing it:
/// a heading, a fence, a rule, a quote or an HTML block.
fn interrupts_paragraph(content: &str) -> bool {
    let rule = |c: char| {
        let marks = content.chars().filter(|&x| x == c).count();
        marks >= 3 && content.chars().all(|x| x == c || x == ' ')
    };
    content.starts_with('#')
        || content.starts_with("```")
        || content.starts_with("~~~")
        || content.starts_with('>')
        || content.starts_with('<')
        || rule('-')
        || rule('*')
        || rule('_')
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
            let name = &api.types[id.0].name;
            quote! { #path #name }
        }
        TypeRef::List(item) => {
            let item = type_tokens(api, item, path);
            quote! { Vec<#item> }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    fn lines(text: &str) -> Vec<String> {
        doc_lines(Some(text)).collect()
    }

    #[test]
    fn a_lazy_continuation_of_a_list_item_is_indented_under_its_text() {
        let text = "Filter by:\n* `all`: every one\nall of them\n  1. nested\n  and more\n\nDefault: `all`";
        assert_eq!(
            lines(text),
            [
                " Filter by:",
                " * `all`: every one",
                "   all of them",
                "   1. nested",
                "      and more",
                "",
                " Default: `all`",
            ]
        );
    }

    #[test]
    fn blank_lines_in_a_row_are_one_outside_code() {
        assert_eq!(
            lines("a\n\n\n\nb\n```\nx\n\n\ny\n```"),
            [" a", "", " b", " ```", " x", "", "", " y", " ```"]
        );
    }

    #[test]
    fn a_lazy_continuation_of_a_quote_gets_its_marker() {
        assert_eq!(
            lines("> **Note**\n> read this\nand this\n\nafter"),
            [" > **Note**", " > read this", " > and this", "", " after"]
        );
    }

    #[test]
    fn headings_fences_and_code_are_left_as_they_are() {
        let text = "- item\n# Heading\n- item\n```\nnot\n- code\nlazy\n```\ntext";
        assert_eq!(
            lines(text),
            [
                " - item",
                " # Heading",
                " - item",
                " ```",
                " not",
                " - code",
                " lazy",
                " ```",
                " text",
            ]
        );
    }
}
