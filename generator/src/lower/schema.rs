//! Schemas → named types and type references.

use std::collections::HashSet;

use indexmap::IndexMap;

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Lowerer, names};
use crate::Error;
use crate::document::Pointer;
use crate::ident::RustIdent;
use crate::model::{
    AdditionalField, Enum, EnumVariant, Field, FloatType, IntegerType, Struct, TypeDef, TypeId,
    TypeRef, TypeShape, Union, UnionVariant, Warning,
};

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

/// How deep `allOf` parts may nest (a schema extending one that extends
/// another…), which bounds the recursion that merges them.
const MAX_ALL_OF_DEPTH: usize = 256;

/// How many lists an inline array's items may nest before they get a name.
const MAX_INLINE_LIST_NESTING: usize = 3;

/// The properties of an object schema once its `allOf` parts are merged
/// in, each with the pointer of its schema.
#[derive(Clone)]
pub(super) struct ObjectParts<'a> {
    properties: IndexMap<&'a str, (&'a ReferenceOr<Box<Schema>>, Pointer)>,
    required: HashSet<&'a str>,
    additional_properties: Option<(&'a AdditionalProperties, Pointer)>,
}

/// The object keywords a schema itself carries (without `allOf`).
struct OwnObject<'a> {
    properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

/// The schema's own object keywords, if it is written as an object.
fn own_object(schema: &Schema) -> Option<OwnObject<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(OwnObject {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Any(any)
            if (!any.properties.is_empty() || any.typ.as_deref() == Some("object"))
                && trivial(&any.one_of)
                && trivial(&any.any_of) =>
        {
            Some(OwnObject {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            })
        }
        _ => None,
    }
}

/// `allOf` parts, whichever way the schema was written.
fn all_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    }
}

/// `oneOf`/`anyOf` alternatives, unless they say nothing (`oneOf: [{}]`,
/// which some generators write to mark a reference nullable).
fn alternatives(schema: &Schema) -> Option<(&'static str, &[ReferenceOr<Schema>])> {
    let (keyword, list) = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        SchemaKind::Any(any) if !trivial(&any.one_of) => ("oneOf", &any.one_of),
        SchemaKind::Any(any) if !trivial(&any.any_of) => ("anyOf", &any.any_of),
        _ => return None,
    };
    (!trivial(list)).then_some((keyword, list.as_slice()))
}

/// Whether no alternative in `list` says anything of the shape: each is
/// the empty schema, or only names properties that must be present
/// (`anyOf: [{required: [a]}, {required: [b]}]`, a rule for the server to
/// check, beside properties the schema declares).
fn trivial(list: &[ReferenceOr<Schema>]) -> bool {
    list.iter().all(|alternative| {
        matches!(alternative, ReferenceOr::Item(schema)
            if matches!(&schema.schema_kind, SchemaKind::Any(any) if only_required(any)))
    })
}

/// Whether `any` says nothing but which properties are required.
fn only_required(any: &AnySchema) -> bool {
    let rest = AnySchema {
        required: Vec::new(),
        ..any.clone()
    };
    rest == AnySchema::default()
}

/// A schema with `type` a scalar and keywords of other types beside it
/// (`type: string` with `minItems`, as GitHub writes): those keywords
/// apply only to values of their own type, so the schema is the scalar.
pub(super) fn typed_scalar(any: &AnySchema) -> Option<TypeRef> {
    if !any.all_of.is_empty()
        || !any.one_of.is_empty()
        || !any.any_of.is_empty()
        || any.not.is_some()
    {
        return None;
    }
    let format = any.format.as_deref();
    Some(match any.typ.as_deref()? {
        "string" => match format {
            Some("date-time") => TypeRef::Timestamp,
            Some("date") => TypeRef::Date,
            _ => TypeRef::String,
        },
        "integer" => TypeRef::Integer(format.map_or(IntegerType::I64, integer_format)),
        "number" => TypeRef::Float(match format {
            Some("float") => FloatType::F32,
            _ => FloatType::F64,
        }),
        "boolean" => TypeRef::Bool,
        _ => return None,
    })
}

/// An array written without its `type` (`{items: {...}}`), or with
/// `type: array` and keywords of other types beside it.
fn is_array(any: &AnySchema) -> bool {
    let rest = AnySchema {
        typ: None,
        items: None,
        min_items: None,
        max_items: None,
        unique_items: None,
        ..any.clone()
    };
    any.items.is_some()
        && (any.typ.as_deref() == Some("array")
            || (any.typ.is_none() && rest == AnySchema::default()))
}

/// The string values of an `enum`, if the schema is a string enum.
fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    let values: Vec<&str> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string
            .enumeration
            .iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => {
            any.enumeration.iter().filter_map(|v| v.as_str()).collect()
        }
        // An `enum` of strings without its `type`.
        SchemaKind::Any(any)
            if any.typ.is_none()
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
                && AnySchema {
                    enumeration: Vec::new(),
                    ..any.clone()
                } == AnySchema::default() =>
        {
            any.enumeration.iter().filter_map(|v| v.as_str()).collect()
        }
        _ => return None,
    };
    (!values.is_empty()).then_some(values)
}

/// Azure's `x-ms-enum` says whether values beyond the listed ones may come.
fn extensible_enum(schema: &Schema) -> bool {
    x_ms_enum(schema, "modelAsString").and_then(serde_json::Value::as_bool) == Some(true)
}

/// `x-ms-enum`'s `name`: the enum type's name in Azure's SDKs.
fn enum_type_name(schema: &Schema) -> Option<&str> {
    x_ms_enum(schema, "name")
        .and_then(serde_json::Value::as_str)
        .filter(|name| !name.trim().is_empty())
}

/// One member of the schema's `x-ms-enum` extension.
fn x_ms_enum<'a>(schema: &'a Schema, member: &str) -> Option<&'a serde_json::Value> {
    schema
        .schema_data
        .extensions
        .get("x-ms-enum")
        .and_then(|e| e.get(member))
}

/// Whether `pointer` is a parameter's `schema` (`.../parameters/0/schema`).
fn is_parameter_schema(pointer: &Pointer) -> bool {
    let segments: Vec<String> = pointer.segments().collect();
    matches!(segments.as_slice(), [.., parameters, _, schema] if parameters == "parameters" && schema == "schema")
}

/// `x-ms-enum`'s name and description for `value`, if it gives them.
fn enum_value_info<'s>(schema: &'s Schema, value: &str) -> (Option<&'s str>, Option<&'s str>) {
    let entry = schema
        .schema_data
        .extensions
        .get("x-ms-enum")
        .and_then(|e| e.get("values"))
        .and_then(serde_json::Value::as_array)
        .and_then(|values| {
            values
                .iter()
                .find(|v| v.get("value").and_then(|v| v.as_str()) == Some(value))
        });
    let field = |name: &str| {
        entry
            .and_then(|e| e.get(name))
            .and_then(serde_json::Value::as_str)
    };
    (field("name"), field("description"))
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
            let id = self.push_type(rust_name, &component_pointer(name));
            self.components_by_name.insert(name, id);
        }
        for (name, schema) in &components.schemas {
            let id = self.components_by_name[name.as_str()];
            let pointer = component_pointer(name);
            match self.polymorphic_base(name, schema) {
                Some(union) => {
                    let ReferenceOr::Item(item) = schema else {
                        continue;
                    };
                    let def = &mut self.types[id.0];
                    def.doc = item.schema_data.description.clone();
                    def.shape = TypeShape::Union(union);
                }
                None => self.define_type(id, schema.into(), &pointer)?,
            }
        }
        Ok(())
    }

    /// A component with a `discriminator` that other components extend
    /// (`allOf: [{$ref: base}]`, Azure's `x-ms-discriminator-value`): an
    /// enum tagged by the discriminator, one variant per extension.
    fn polymorphic_base(&self, name: &str, schema: &'a ReferenceOr<Schema>) -> Option<Union> {
        let ReferenceOr::Item(schema) = schema else {
            return None;
        };
        let discriminator = schema.schema_data.discriminator.as_ref()?;
        let components = self.components?;
        let target = format!("#/components/schemas/{name}");
        let mut taken = names::Taken::default();
        let variants: Vec<UnionVariant> = components
            .schemas
            .iter()
            .filter_map(|(child, child_schema)| {
                let ReferenceOr::Item(child_schema) = child_schema else { return None };
                let extends = all_of(child_schema).iter().any(
                    |part| matches!(part, ReferenceOr::Reference { reference } if *reference == target),
                );
                if !extends {
                    return None;
                }
                let mapped = discriminator
                    .mapping
                    .iter()
                    .find(|(_, r)| r.as_str() == format!("#/components/schemas/{child}") || r.as_str() == child)
                    .map(|(value, _)| value.clone());
                let declared = child_schema
                    .schema_data
                    .extensions
                    .get("x-ms-discriminator-value")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
                let id = self.components_by_name[child.as_str()];
                Some(UnionVariant {
                    name: names::unique(self.types[id.0].name.clone(), &mut taken),
                    tag_value: Some(mapped.or(declared).unwrap_or_else(|| child.clone())),
                    ty: TypeRef::Named(id),
                })
            })
            .collect();
        (!variants.is_empty()).then(|| Union {
            tag: Some(discriminator.property_name.clone()),
            variants,
        })
    }

    /// The type of the schema at `pointer`; an inline object, enum or
    /// union becomes a named type called after its title or, failing that,
    /// `context`.
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
                    .get(name.as_str())
                    .map(|&id| TypeRef::Named(id))
                    .ok_or_else(|| self.dangling(pointer, reference, "no such schema"));
            }
            SchemaRef::Item(schema) => schema,
        };
        if self.needs_named_type(schema, pointer)? {
            return self.inline_type(schema, pointer, context);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::Timestamp,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerType::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => integer_format(format),
                _ => IntegerType::I64,
            }),
            SchemaKind::Type(Type::Number(number)) => TypeRef::Float(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => FloatType::F32,
                _ => FloatType::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => {
                self.list(array.items.as_ref(), pointer, context)?
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref((&all_of[0]).into(), &pointer.join("allOf").join(0), context)?
            }
            SchemaKind::Any(any) if any.all_of.len() == 1 && own_object(schema).is_none() => self
                .type_ref(
                (&any.all_of[0]).into(),
                &pointer.join("allOf").join(0),
                context,
            )?,
            SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => TypeRef::Json,
            SchemaKind::Any(any) if let Some(scalar) = typed_scalar(any) => scalar,
            SchemaKind::Any(any) if is_array(any) => {
                self.list(any.items.as_ref(), pointer, context)?
            }
            SchemaKind::Not { .. } => self.fallback(pointer, "`not`"),
            _ => self.fallback(
                pointer,
                "a schema mixing keywords of several types or compositions",
            ),
        })
    }

    /// A list of the `items` at `pointer` (of anything when there are none).
    fn list(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        pointer: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => {
                let context = format!("{context}Item");
                let at = pointer.join("items");
                let item = self.type_ref(items.into(), &at, &context)?;
                self.name_deep_lists(item, &at, &context)
            }
            None => TypeRef::Json,
        };
        Ok(TypeRef::List(Box::new(item)))
    }

    /// Records that `pointer` is generated as `serde_json::Value`.
    pub(super) fn fallback(&mut self, pointer: &Pointer, what: &str) -> TypeRef {
        self.warn(pointer, &format!("{what}; generated as serde_json::Value"));
        TypeRef::Json
    }

    /// Records a shape generated with a documented fallback.
    pub(super) fn warn(&mut self, pointer: &Pointer, message: &str) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: format!("unsupported: {message}"),
        });
    }

    /// Whether the schema becomes a type of its own: an object, a string
    /// enum or a union.
    fn needs_named_type(&self, schema: &'a Schema, pointer: &Pointer) -> Result<bool, Error> {
        Ok(string_enum(schema).is_some()
            || alternatives(schema).is_some()
            || self.object_parts(schema, pointer, 0)?.is_some())
    }

    /// The object `schema` describes, its `allOf` parts merged in (later
    /// parts and the schema's own properties win); `None` when it is not
    /// an object, or is only a described reference (`allOf: [$ref]`).
    ///
    /// Each schema is merged once (by its pointer), so parts shared by many
    /// schemas (`allOf` "diamonds") cost no more than one merge each.
    fn object_parts(
        &self,
        schema: &'a Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> Result<Option<ObjectParts<'a>>, Error> {
        let key = pointer.to_string();
        if let Some(known) = self.merged_objects.borrow().get(&key) {
            return Ok(known.clone());
        }
        if !self.merging.borrow_mut().insert(key.clone()) {
            return Err(self.unsupported(pointer, "`allOf` parts that include themselves"));
        }
        let merged = if depth > MAX_ALL_OF_DEPTH {
            Err(self.unsupported(
                pointer,
                format!("`allOf` parts nested more than {MAX_ALL_OF_DEPTH} deep (each part extending another)"),
            ))
        } else {
            self.merge_object_parts(schema, pointer, depth)
        };
        self.merging.borrow_mut().remove(&key);
        let merged = merged?;
        self.merged_objects.borrow_mut().insert(key, merged.clone());
        Ok(merged)
    }

    fn merge_object_parts(
        &self,
        schema: &'a Schema,
        pointer: &Pointer,
        depth: usize,
    ) -> Result<Option<ObjectParts<'a>>, Error> {
        let own = own_object(schema);
        let parts = all_of(schema);
        if own.is_none() && parts.len() <= 1 {
            return Ok(None);
        }
        let mut merged = ObjectParts {
            properties: IndexMap::new(),
            required: HashSet::new(),
            additional_properties: None,
        };
        for (index, part) in parts.iter().enumerate() {
            let (part, at) =
                self.resolve(part, pointer.join("allOf").join(index), "schemas", |c| {
                    &c.schemas
                })?;
            let Some(inner) = self.object_parts(part, &at, depth + 1)?.or_else(|| {
                // A part that is itself one described reference.
                (all_of(part).len() == 1 && own_object(part).is_none()).then_some(ObjectParts {
                    properties: IndexMap::new(),
                    required: HashSet::new(),
                    additional_properties: None,
                })
            }) else {
                return Ok(None);
            };
            merge(&mut merged, inner);
        }
        if let Some(OwnObject {
            properties,
            required,
            additional,
        }) = own
        {
            let properties = properties
                .iter()
                .map(|(name, schema)| {
                    (
                        name.as_str(),
                        (schema, pointer.join("properties").join(name)),
                    )
                })
                .collect();
            let required = required.iter().map(String::as_str).collect();
            let additional_properties =
                additional.map(|a| (a, pointer.join("additionalProperties")));
            merge(
                &mut merged,
                ObjectParts {
                    properties,
                    required,
                    additional_properties,
                },
            );
        }
        Ok(Some(merged))
    }

    /// `item`, or an alias named after `context` for it when it is lists
    /// [`MAX_INLINE_LIST_NESTING`] deep, so no signature nests deeper
    /// (clippy's `type_complexity` grows with the square of the nesting).
    fn name_deep_lists(&mut self, item: TypeRef, pointer: &Pointer, context: &str) -> TypeRef {
        let mut depth = 0;
        let mut current = &item;
        while let TypeRef::List(inner) = current {
            depth += 1;
            current = inner;
        }
        if depth < MAX_INLINE_LIST_NESTING {
            return item;
        }
        // `GetDeepResponseItemItemItem` → `GetDeepResponseItem3`.
        let base = context.trim_end_matches("Item");
        let levels = (context.len() - base.len()) / "Item".len();
        let name = names::unique(
            names::type_name(&format!("{base}Item{levels}")),
            &mut self.type_names,
        );
        let id = self.push_type(name, pointer);
        self.types[id.0].shape = TypeShape::Alias(item);
        TypeRef::Named(id)
    }

    /// Adds a type named `name` whose shape is filled in later.
    fn push_type(&mut self, name: RustIdent, pointer: &Pointer) -> TypeId {
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
        let name = self.types[id.0].name.to_string();
        let (doc, shape) = match schema {
            SchemaRef::Item(item) => {
                let shape = if let Some(values) = string_enum(item) {
                    TypeShape::Enum(lower_enum(item, &values))
                } else if let Some((keyword, list)) = alternatives(item) {
                    TypeShape::Union(self.lower_union(item, keyword, list, pointer, &name)?)
                } else if let Some(object) = self.object_parts(item, pointer, 0)? {
                    TypeShape::Struct(self.lower_struct(id, object, &name)?)
                } else {
                    TypeShape::Alias(self.type_ref(schema, pointer, &name)?)
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

    /// A named type for an inline schema; identical inline schemas with
    /// the same title share one.
    fn inline_type(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        context: &str,
    ) -> Result<TypeRef, Error> {
        // Azure's `x-ms-enum` names its enum type, as the title names
        // others; a parameter's enum keeps its operation's name
        // (`ListJobsStatus`), which published crates already use.
        let enum_name = enum_type_name(schema).filter(|_| !is_parameter_schema(pointer));
        let title = enum_name.or(schema.schema_data.title.as_deref());
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

    /// `oneOf`/`anyOf`: one variant per alternative, tagged when the
    /// schema names a discriminator.
    fn lower_union(
        &mut self,
        schema: &'a Schema,
        keyword: &str,
        list: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
        type_name: &str,
    ) -> Result<Union, Error> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut taken = names::Taken::from(["Self"]);
        let mut variants = Vec::with_capacity(list.len());
        for (index, alternative) in list.iter().enumerate() {
            let at = pointer.join(keyword).join(index);
            let context = format!("{type_name}Variant{}", index + 1);
            let ty = self.type_ref(alternative.into(), &at, &context)?;
            let (name, tag_value) = match alternative {
                ReferenceOr::Reference { reference } => {
                    // `type_ref` resolved it, so it names a schema.
                    let schema_name = self.component_name(reference, "schemas", &at)?;
                    let tag = discriminator.map(|d| {
                        d.mapping
                            .iter()
                            .find(|(_, r)| *r == reference || **r == schema_name)
                            .map_or_else(|| schema_name.clone(), |(value, _)| value.clone())
                    });
                    let name = match &ty {
                        TypeRef::Named(id) => self.types[id.0].name.clone(),
                        _ => names::type_name(&schema_name),
                    };
                    (name, tag)
                }
                ReferenceOr::Item(item) => (variant_name(item, index), None),
            };
            variants.push(UnionVariant {
                name: names::unique(name, &mut taken),
                tag_value,
                ty,
            });
        }
        let tagged = discriminator.filter(|_| variants.iter().all(|v| v.tag_value.is_some()));
        if discriminator.is_some() && tagged.is_none() {
            self.warn(
                &pointer.join("discriminator"),
                "a discriminator over inline alternatives; generated untagged (the first alternative that fits)",
            );
        }
        Ok(Union {
            tag: tagged.map(|d| d.property_name.clone()),
            variants,
        })
    }

    fn lower_struct(
        &mut self,
        id: TypeId,
        object: ObjectParts<'a>,
        type_name: &str,
    ) -> Result<Struct, Error> {
        let mut taken = names::Taken::default();
        let mut fields = Vec::with_capacity(object.properties.len());
        for (wire_name, (property, at)) in object.properties {
            let context = format!("{type_name}_{wire_name}");
            let ty = self.type_ref(property.into(), &at, &context)?;
            let (doc, nullable) = match property {
                ReferenceOr::Item(schema) => (
                    with_default(
                        schema.schema_data.description.as_deref(),
                        schema.schema_data.default.as_ref(),
                    ),
                    schema.schema_data.nullable,
                ),
                ReferenceOr::Reference { .. } => (None, false),
            };
            let name = self.client_name(&at).unwrap_or(wire_name);
            self.note_client_flatten(id, wire_name, &at);
            fields.push(Field {
                name: names::unique(names::snake_ident(name), &mut taken),
                wire_name: wire_name.to_owned(),
                doc,
                ty,
                required: object.required.contains(wire_name),
                nullable,
                boxed: false,
            });
        }
        let additional = match object.additional_properties {
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Schema(schema), at)) => {
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
                name: names::unique(names::snake_ident("additional_properties"), &mut taken),
                value,
            }),
            flattened: None,
        })
    }
}

/// The property's description, plus the default the service applies when
/// the field is left out (the field stays an `Option`: `None` sends
/// nothing, so the service's default holds).
fn with_default(description: Option<&str>, default: Option<&serde_json::Value>) -> Option<String> {
    match (description, default) {
        (_, None) => description.map(str::to_owned),
        (None, Some(value)) => Some(format!("Default: `{value}`.")),
        (Some(text), Some(value)) => Some(format!("{text}\n\nDefault: `{value}`.")),
    }
}

/// `#/components/schemas/<name>` as a pointer.
fn component_pointer(name: &str) -> Pointer {
    Pointer::root()
        .join("components")
        .join("schemas")
        .join(name)
}

/// `into` with `part`'s properties added (replacing same-named ones).
fn merge<'a>(into: &mut ObjectParts<'a>, part: ObjectParts<'a>) {
    for (name, property) in part.properties {
        // A replaced property moves to the end, where its part is.
        into.properties.shift_remove(name);
        into.properties.insert(name, property);
    }
    into.required.extend(part.required);
    if part.additional_properties.is_some() {
        into.additional_properties = part.additional_properties;
    }
}

/// A string enum's variants, named after `x-ms-enum`'s names or the values.
fn lower_enum(schema: &Schema, values: &[&str]) -> Enum {
    let extensible = extensible_enum(schema);
    let mut taken = names::Taken::from(["Self"]);
    if extensible {
        // `Other` holds the values this crate does not know.
        taken.insert("Other".to_owned());
    }
    let mut seen = HashSet::new();
    let variants = values
        .iter()
        .filter(|value| seen.insert(**value))
        .map(|value| {
            let (name, doc) = enum_value_info(schema, value);
            EnumVariant {
                name: names::unique(names::type_name(name.unwrap_or(value)), &mut taken),
                wire_name: (*value).to_owned(),
                doc: doc.map(str::to_owned),
            }
        })
        .collect();
    Enum {
        variants,
        extensible,
    }
}

/// A name for an inline alternative: its title, its one property (how
/// Rust enums serialise externally tagged), its one enum value, or its
/// position.
fn variant_name(schema: &Schema, index: usize) -> RustIdent {
    if let Some(title) = &schema.schema_data.title {
        return names::type_name(title);
    }
    if let Some(object) = own_object(schema)
        && object.properties.len() == 1
        && let Some(name) = object.properties.keys().next()
    {
        return names::type_name(name);
    }
    match string_enum(schema).as_deref() {
        Some([value]) => names::type_name(value),
        _ => names::type_name(&format!("Variant{}", index + 1)),
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

/// Takes the discriminator property out of the structs a tagged union
/// holds: the enum's tag writes and reads it, and serde would otherwise
/// see it twice.
pub(super) fn strip_tag_fields(types: &mut [TypeDef]) {
    let tagged: Vec<(String, Vec<TypeId>)> = types
        .iter()
        .filter_map(|def| match &def.shape {
            TypeShape::Union(Union {
                tag: Some(tag),
                variants,
            }) => Some((
                tag.clone(),
                variants
                    .iter()
                    .filter_map(|v| match v.ty {
                        TypeRef::Named(id) => Some(id),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for (tag, members) in tagged {
        for id in members {
            if let TypeShape::Struct(s) = &mut types[id.0].shape {
                s.fields.retain(|f| f.wire_name != tag);
            }
        }
    }
}
