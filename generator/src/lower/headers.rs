//! Headers typed by their schema: those of success responses (`ETag`,
//! `Last-Modified`), and the dates of header parameters.

use openapiv3::{
    Header, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::schema::{SchemaRef, typed_scalar};
use super::{Lowerer, names};
use crate::Error;
use crate::document::Pointer;
use crate::model::{ResponseHeader, TypeRef};

/// Azure's name for an HTTP-date (RFC 7231, now RFC 9110).
const RFC7231: &str = "date-time-rfc7231";

impl<'a> Lowerer<'a> {
    /// Adds the headers `declared` (one success response's) that `headers`
    /// does not have yet: header names are case-insensitive, and each
    /// field name is unique in `taken`.
    pub(super) fn response_headers(
        &mut self,
        declared: &'a indexmap::IndexMap<String, ReferenceOr<Header>>,
        at: &Pointer,
        headers: &mut Vec<ResponseHeader>,
        taken: &mut names::Taken,
    ) -> Result<(), Error> {
        for (wire_name, header) in declared {
            if headers
                .iter()
                .any(|h| h.wire_name.eq_ignore_ascii_case(wire_name))
            {
                continue;
            }
            let header_at = at.join("headers").join(wire_name);
            // Azure's `x-ms-client-name`, else `ETag` is `etag`.
            let name = self
                .client_name(&header_at)
                .map_or_else(|| wire_name.to_ascii_lowercase(), str::to_owned);
            let (header, header_at) = self.resolve(header, header_at, "headers", |c| &c.headers)?;
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.header_type(schema, &header_at.join("schema"))?
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            headers.push(ResponseHeader {
                name: names::unique(names::snake_ident(&name), taken),
                wire_name: wire_name.clone(),
                doc: header.description.clone(),
                ty,
            });
        }
        Ok(())
    }

    /// A header's type: the scalar its schema declares, with `date-time` and
    /// `date-time-rfc7231` as timestamps (HTTP-dates on the wire); anything
    /// else (an enum, a date, a structure) as the text received.
    pub(super) fn header_type(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<TypeRef, Error> {
        let (schema, _) = self.resolve(schema, at.clone(), "schemas", |c| &c.schemas)?;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::Timestamp,
                VariantOrUnknownOrEmpty::Unknown(format) if format == RFC7231 => TypeRef::Timestamp,
                _ => TypeRef::String,
            },
            // Scalars without side effects: no named type is made for them.
            SchemaKind::Type(Type::Integer(_) | Type::Number(_) | Type::Boolean(_)) => {
                self.type_ref(SchemaRef::Item(schema), at, "")?
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => {
                match any.format.as_deref() {
                    Some("date-time" | RFC7231) => TypeRef::Timestamp,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Any(any) => match typed_scalar(any) {
                Some(ty @ (TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Bool)) => ty,
                _ => TypeRef::String,
            },
            _ => TypeRef::String,
        })
    }
}
