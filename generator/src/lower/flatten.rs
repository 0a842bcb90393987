//! Azure's `x-ms-client-flatten` on a property: the fields of the object it
//! holds become the container's own (`resource.state`, not
//! `resource.properties.state`), while the JSON stays nested: the container
//! is read and written through a `<Name>Wire` struct with the spec's shape
//! (`#[serde(from, into)]`; `#[serde(flatten)]` does the opposite, lifting
//! nested JSON into one object). Applied over the finished types, and only
//! where the result is unambiguous; elsewhere the property stays nested,
//! with a warning.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Lowerer, cycles, names};
use crate::document::Pointer;
use crate::ident::RustIdent;
use crate::model::{
    Field, Flattened, FlattenedPart, Struct, TypeDef, TypeId, TypeRef, TypeShape, Warning,
};

/// A property marked `x-ms-client-flatten: true`.
pub(super) struct Request {
    /// Its place among the requests, so warnings keep the document's order.
    order: usize,
    owner: TypeId,
    wire_name: String,
    pointer: Pointer,
}

impl Lowerer<'_> {
    /// Records the property `wire_name` of struct `owner`, at `at`, when it
    /// says `x-ms-client-flatten: true`. Read from the JSON, as `openapiv3`
    /// drops a `$ref`'s siblings; only beside the property, where Azure
    /// writes it, not on the schema it refers to.
    pub(super) fn note_client_flatten(&mut self, owner: TypeId, wire_name: &str, at: &Pointer) {
        let marked = self
            .source
            .value
            .pointer(at.as_str())
            .and_then(|property| property.get("x-ms-client-flatten"))
            == Some(&serde_json::Value::Bool(true));
        if marked {
            self.flatten_requests.push(Request {
                order: self.flatten_requests.len(),
                owner,
                wire_name: wire_name.to_owned(),
                pointer: at.clone(),
            });
        }
    }
}

/// Flattens what `requests` ask for where it is unambiguous, adding one
/// wire struct per container (named in `type_names`); warns for the rest.
/// Nested flattening works inside out: an object that flattens its own
/// property lends the container its lifted fields.
pub(super) fn apply(
    types: &mut Vec<TypeDef>,
    requests: Vec<Request>,
    type_names: &mut names::Taken,
    warnings: &mut Vec<Warning>,
) {
    if requests.is_empty() {
        return;
    }
    let component = cycles::strongly_connected(types.len(), |id| cycles::named_in(&types[id]));
    let mut refused = Vec::new();
    let mut wanted: BTreeMap<TypeId, Vec<(Request, TypeId)>> = BTreeMap::new();
    for request in requests {
        match object_of(types, &request) {
            // A loop through the property: one made only of flattening
            // would never end, so every loop is refused, the plainer rule
            // (one through plain references would compile, but the lifted
            // fields would then hold the container inside itself).
            Ok(object) if component[object.0] == component[request.owner.0] => {
                refuse(
                    &mut refused,
                    &request,
                    "an object that leads back to the container",
                );
            }
            Ok(object) => wanted
                .entry(request.owner)
                .or_default()
                .push((request, object)),
            Err(what) => refuse(&mut refused, &request, what),
        }
    }
    for owner in inner_first(&wanted) {
        if let Some(parts) = wanted.remove(&owner) {
            flatten_struct(types, owner, parts, type_names, &mut refused);
        }
    }
    refused.sort_by_key(|(order, _)| *order);
    warnings.extend(refused.into_iter().map(|(_, warning)| warning));
}

/// The struct the requested property holds (through an alias), or what it
/// is instead.
fn object_of(types: &[TypeDef], request: &Request) -> Result<TypeId, &'static str> {
    let TypeShape::Struct(owner) = &types[request.owner.0].shape else {
        return Err("a property of something other than an object");
    };
    let field = owner
        .fields
        .iter()
        .find(|f| f.wire_name == request.wire_name)
        .ok_or("a discriminator property")?;
    let mut ty = &field.ty;
    // Alias chains are collapsed by now: one step reaches the type.
    if let TypeRef::Named(id) = ty
        && let TypeShape::Alias(target) = &types[id.0].shape
    {
        ty = target;
    }
    match ty {
        TypeRef::Named(id) => match &types[id.0].shape {
            TypeShape::Struct(_) => Ok(*id),
            TypeShape::Union(_) => Err("a union, whose fields depend on the variant"),
            _ => Err("a property that is not an object"),
        },
        TypeRef::List(_) => Err("an array"),
        _ => Err("a property that is not an object"),
    }
}

/// Containers in an order that puts every flattened object that is itself
/// a container first. The requests form no loop (one would be a cycle,
/// refused), and the walk keeps its own stack.
fn inner_first(wanted: &BTreeMap<TypeId, Vec<(Request, TypeId)>>) -> Vec<TypeId> {
    let mut order = Vec::with_capacity(wanted.len());
    let mut seen = HashSet::new();
    for &start in wanted.keys() {
        let mut stack = vec![(start, false)];
        while let Some((id, children_done)) = stack.pop() {
            if children_done {
                order.push(id);
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            stack.push((id, true));
            for (_, object) in &wanted[&id] {
                if wanted.contains_key(object) && !seen.contains(object) {
                    stack.push((*object, false));
                }
            }
        }
    }
    order
}

/// Lifts into `owner` the fields of each requested object that passes
/// [`refusal`]; the struct as it was becomes the wire struct.
fn flatten_struct(
    types: &mut Vec<TypeDef>,
    owner: TypeId,
    parts: Vec<(Request, TypeId)>,
    type_names: &mut names::Taken,
    refused: &mut Vec<(usize, Warning)>,
) {
    let TypeShape::Struct(original) = &types[owner.0].shape else {
        return;
    };
    let original = original.clone();
    // Every name the container's fields take, flattened or not, so no
    // lifted field shadows another in the conversions.
    let mut taken: HashSet<&str> = original
        .fields
        .iter()
        .map(|f| f.name.bare())
        .chain(original.additional.iter().map(|a| a.name.bare()))
        .collect();
    let mut lifted: BTreeMap<usize, (FlattenedPart, Vec<Field>)> = BTreeMap::new();
    for (request, object) in &parts {
        let Some(index) = original
            .fields
            .iter()
            .position(|f| f.wire_name == request.wire_name)
        else {
            continue;
        };
        let TypeShape::Struct(inner) = &types[object.0].shape else {
            continue;
        };
        let field = &original.fields[index];
        let always = field.required && !field.nullable;
        if let Some(why) = refusal(inner, always, &taken) {
            refuse(refused, request, &why);
            continue;
        }
        taken.extend(inner.fields.iter().map(|f| f.name.bare()));
        let part = FlattenedPart {
            field: field.name.clone(),
            ty: *object,
            always,
        };
        lifted.insert(index, (part, inner.fields.clone()));
    }
    if lifted.is_empty() {
        return;
    }
    let owner_name = types[owner.0].name.clone();
    let wire = TypeId(types.len());
    types.push(TypeDef {
        name: names::unique(
            names::type_name(&format!("{}Wire", owner_name.bare())),
            type_names,
        ),
        pointer: types[owner.0].pointer.clone(),
        doc: Some(format!(
            "[`{owner_name}`] as it is on the wire, its flattened properties nested."
        )),
        shape: TypeShape::Struct(original.clone()),
    });
    let mut fields = Vec::new();
    let mut flattened = Flattened {
        wire,
        parts: Vec::new(),
    };
    for (index, field) in original.fields.into_iter().enumerate() {
        match lifted.remove(&index) {
            Some((part, inner_fields)) => {
                fields.extend(inner_fields);
                flattened.parts.push(part);
            }
            None => fields.push(field),
        }
    }
    types[owner.0].shape = TypeShape::Struct(Struct {
        fields,
        additional: original.additional,
        flattened: Some(flattened),
    });
}

/// Why the object `inner` cannot be flattened into a container whose
/// fields take the names `taken`, if it cannot. `always`: the property is
/// required and not nullable, so the object is always there.
///
/// Requiredness composes only two ways: an object always there keeps its
/// fields' own requiredness; an object that may be absent must have only
/// optional fields, so "absent" is "every field `None`". An optional
/// object with required fields is refused: a container with some of them
/// set and others not could not be written.
fn refusal(inner: &Struct, always: bool, taken: &HashSet<&str>) -> Option<String> {
    if inner.additional.is_some() {
        return Some("an object that keeps undeclared properties (`additionalProperties`)".into());
    }
    if inner.fields.is_empty() {
        return Some("an object with no properties".into());
    }
    if !always && let Some(required) = inner.fields.iter().find(|f| f.required) {
        return Some(format!(
            "an optional or nullable property whose object requires `{}`",
            required.wire_name
        ));
    }
    inner
        .fields
        .iter()
        .find(|f| taken.contains(f.name.bare()))
        .map(|f| {
            format!(
                "an object whose field `{}` clashes with the container's",
                f.name
            )
        })
}

/// Records that `request` keeps its property nested, and why.
fn refuse(refused: &mut Vec<(usize, Warning)>, request: &Request, what: &str) {
    let warning = Warning {
        pointer: request.pointer.join("x-ms-client-flatten").to_string(),
        message: format!("unsupported: `x-ms-client-flatten` on {what}; kept nested"),
    };
    refused.push((request.order, warning));
}

/// Boxes each field of a flattening container exactly as its twin (the
/// wire struct's field of that name, or the object's field it was lifted
/// from), so the conversions move values between fields of one type. Run
/// after [`cycles::box_recursive_fields`]; boxing only grows, so the loop
/// ends.
pub(super) fn match_boxes(types: &mut [TypeDef]) {
    let mut twins: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        let TypeShape::Struct(Struct {
            fields,
            flattened: Some(flattened),
            ..
        }) = &def.shape
        else {
            continue;
        };
        let sources = std::iter::once(flattened.wire).chain(flattened.parts.iter().map(|p| p.ty));
        let mut by_name: HashMap<&RustIdent, (usize, usize)> = HashMap::new();
        for source in sources {
            if let TypeShape::Struct(s) = &types[source.0].shape {
                for (index, field) in s.fields.iter().enumerate() {
                    by_name.entry(&field.name).or_insert((source.0, index));
                }
            }
        }
        for (index, field) in fields.iter().enumerate() {
            if let Some(&twin) = by_name.get(&field.name) {
                twins.push(((owner, index), twin));
            }
        }
    }
    loop {
        let mut changed = false;
        for &(a, b) in &twins {
            let boxed = is_boxed(types, a) || is_boxed(types, b);
            for at in [a, b] {
                if let Some(field) = field_mut(types, at)
                    && field.boxed != boxed
                {
                    field.boxed = boxed;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn is_boxed(types: &[TypeDef], (ty, index): (usize, usize)) -> bool {
    matches!(&types[ty].shape, TypeShape::Struct(s) if s.fields[index].boxed)
}

fn field_mut(types: &mut [TypeDef], (ty, index): (usize, usize)) -> Option<&mut Field> {
    match &mut types[ty].shape {
        TypeShape::Struct(s) => s.fields.get_mut(index),
        _ => None,
    }
}
