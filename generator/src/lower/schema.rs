//! Schemas → named types and type references.

use std::collections::HashSet;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Lowerer, names};
use crate::Error;
use crate::model::{
    AdditionalField, Field, FloatType, IntegerType, Struct, TypeDef, TypeId, TypeRef, TypeShape,
};
use crate::pointer::Pointer;

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

/// The parts of an object schema, whichever way it was written.
struct ObjectParts<'a> {
    properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional_properties: Option<&'a AdditionalProperties>,
}

fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
            properties: &object.properties,
            required: &object.required,
            additional_properties: object.additional_properties.as_ref(),
        }),
        SchemaKind::Any(any)
            if (!any.properties.is_empty() || any.typ.as_deref() == Some("object"))
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty() =>
        {
            Some(ObjectParts {
                properties: &any.properties,
                required: &any.required,
                additional_properties: any.additional_properties.as_ref(),
            })
        }
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// Names every component schema first, so references resolve whatever
    /// the order, then lowers each.
    pub(super) fn lower_components(&mut self) -> Result<(), Error> {
        let Some(components) = self.components else {
            return Ok(());
        };
        let names: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
        let rust_names = names::component_type_names(&names, &mut self.type_names);
        for (name, rust_name) in names.iter().zip(rust_names) {
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            let id = self.push_type(rust_name, &pointer);
            self.components_by_name.insert(name, id);
        }
        for (name, schema) in &components.schemas {
            let id = self.components_by_name[name.as_str()];
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            self.define_type(id, schema.into(), &pointer)?;
        }
        Ok(())
    }

    /// The type of the schema at `pointer`; an inline object becomes a
    /// named type called after its title or, failing that, `context`.
    pub(super) fn type_ref(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let name = self.component_name(reference, "schemas", pointer)?;
                return self
                    .components_by_name
                    .get(name)
                    .map(|&id| TypeRef::Named(id))
                    .ok_or_else(|| self.dangling(pointer, reference, "no such schema"));
            }
            SchemaRef::Item(schema) => schema,
        };
        if object_parts(schema).is_some() {
            return self.inline_type(schema, pointer, context);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if !string.enumeration.is_empty() {
                    return Err(self.unsupported(pointer, "string `enum`"));
                }
                Ok(match string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::Timestamp,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                Ok(TypeRef::Integer(match &integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerType::I32,
                    VariantOrUnknownOrEmpty::Unknown(format) => integer_format(format),
                    _ => IntegerType::I64,
                }))
            }
            SchemaKind::Type(Type::Number(number)) => Ok(TypeRef::Float(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => FloatType::F32,
                _ => FloatType::F64,
            })),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => {
                        let context = format!("{context}Item");
                        self.type_ref(items.into(), &pointer.join("items"), &context)?
                    }
                    None => TypeRef::Json,
                };
                Ok(TypeRef::List(Box::new(item)))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref((&all_of[0]).into(), &pointer.join("allOf").join(0), context)
            }
            SchemaKind::AllOf { all_of } => Err(self.unsupported(
                pointer,
                format!("`allOf` composing {} schemas", all_of.len()),
            )),
            SchemaKind::OneOf { .. } => Err(self.unsupported(pointer, "`oneOf`")),
            SchemaKind::AnyOf { .. } => Err(self.unsupported(pointer, "`anyOf`")),
            SchemaKind::Not { .. } => Err(self.unsupported(pointer, "`not`")),
            SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => Ok(TypeRef::Json),
            SchemaKind::Any(_) | SchemaKind::Type(Type::Object(_)) => Err(self.unsupported(
                pointer,
                "a schema mixing keywords of several types or compositions",
            )),
        }
    }

    /// Adds a type named `name` whose shape is filled in later.
    fn push_type(&mut self, name: String, pointer: &Pointer) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            pointer: pointer.to_string(),
            doc: None,
            shape: TypeShape::Alias(TypeRef::Json),
        });
        id
    }

    /// Fills in the doc and shape of type `id` from its schema.
    fn define_type(
        &mut self,
        id: TypeId,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
    ) -> Result<(), Error> {
        let name = self.types[id.0].name.clone();
        let (doc, shape) = match schema {
            SchemaRef::Item(item) => {
                let shape = match object_parts(item) {
                    Some(object) => TypeShape::Struct(self.lower_struct(object, pointer, &name)?),
                    None => TypeShape::Alias(self.type_ref(schema, pointer, &name)?),
                };
                (item.schema_data.description.clone(), shape)
            }
            SchemaRef::Ref(_) => (
                None,
                TypeShape::Alias(self.type_ref(schema, pointer, &name)?),
            ),
        };
        let def = &mut self.types[id.0];
        def.doc = doc;
        def.shape = shape;
        Ok(())
    }

    /// A named type for an inline object; identical inline objects with
    /// the same title share one.
    fn inline_type(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        let title = schema.schema_data.title.as_deref();
        let key = title.and_then(|_| serde_json::to_string(schema).ok());
        if let Some(&id) = key.as_ref().and_then(|k| self.inline_types.get(k)) {
            return Ok(TypeRef::Named(id));
        }
        let name = names::unique(
            names::type_name(title.unwrap_or(context)),
            &mut self.type_names,
        );
        let id = self.push_type(name, pointer);
        if let Some(key) = key {
            self.inline_types.insert(key, id);
        }
        self.define_type(id, SchemaRef::Item(schema), pointer)?;
        Ok(TypeRef::Named(id))
    }

    fn lower_struct(
        &mut self,
        object: ObjectParts<'a>,
        pointer: &Pointer,
        type_name: &str,
    ) -> Result<Struct, Error> {
        let mut taken = HashSet::new();
        let mut fields = Vec::with_capacity(object.properties.len());
        for (wire_name, property) in object.properties {
            let at = pointer.join("properties").join(wire_name);
            let context = format!("{type_name}_{wire_name}");
            let ty = self.type_ref(property.into(), &at, &context)?;
            let (doc, nullable) = match property {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    schema.schema_data.nullable,
                ),
                ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Field {
                name: names::unique(names::snake_ident(wire_name), &mut taken),
                wire_name: wire_name.clone(),
                doc,
                ty,
                required: object.required.contains(wire_name),
                nullable,
                boxed: false,
            });
        }
        let additional = match object.additional_properties {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Schema(schema)) => {
                let at = pointer.join("additionalProperties");
                let context = format!("{type_name}Value");
                Some(self.type_ref(schema.as_ref().into(), &at, &context)?)
            }
            // An object that declares no properties keeps whatever it holds.
            None if fields.is_empty() => Some(TypeRef::Json),
            None => None,
        };
        Ok(Struct {
            fields,
            additional: additional.map(|value| AdditionalField {
                name: names::unique("additional_properties".to_owned(), &mut taken),
                value,
            }),
        })
    }
}

/// Integer formats beyond `int32`/`int64` that name a Rust width.
fn integer_format(format: &str) -> IntegerType {
    match format {
        "int8" => IntegerType::I8,
        "int16" => IntegerType::I16,
        "int32" => IntegerType::I32,
        "uint8" => IntegerType::U8,
        "uint16" => IntegerType::U16,
        "uint32" => IntegerType::U32,
        "uint64" | "uint" => IntegerType::U64,
        _ => IntegerType::I64,
    }
}

/// Boxes every field whose type leads back to its own struct without
/// passing through a `Vec` or map, so recursive types have a finite size.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    for owner in 0..types.len() {
        let to_box: Vec<usize> = match &types[owner].shape {
            TypeShape::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter(
                    |(_, f)| matches!(f.ty, TypeRef::Named(t) if reaches(types, t, TypeId(owner))),
                )
                .map(|(i, _)| i)
                .collect(),
            TypeShape::Alias(_) => continue,
        };
        if let TypeShape::Struct(s) = &mut types[owner].shape {
            for i in to_box {
                s.fields[i].boxed = true;
            }
        }
    }
}

/// Whether `from` contains `target` inline (by value, not behind a
/// collection).
fn reaches(types: &[TypeDef], from: TypeId, target: TypeId) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        match &types[id.0].shape {
            TypeShape::Struct(s) => stack.extend(s.fields.iter().filter_map(|f| match f.ty {
                TypeRef::Named(t) => Some(t),
                _ => None,
            })),
            TypeShape::Alias(TypeRef::Named(t)) => stack.push(*t),
            TypeShape::Alias(_) => {}
        }
    }
    false
}
