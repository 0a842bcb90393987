//! Recursion between types, settled after lowering so the crate compiles:
//! aliases that name themselves, aliases chained deeply, and structs that
//! contain themselves. Every pass is linear in the number of types.

use crate::model::{TypeDef, TypeId, TypeRef, TypeShape, Warning};

/// How many `Vec`s an alias may nest through other aliases before it
/// becomes a struct of its own: rustc expands aliases recursively, and a
/// long chain of them crashes it.
const MAX_ALIAS_NESTING: usize = 32;

/// Makes every alias compile: an alias that is only itself (`A = A`,
/// `A = B = A`) becomes `serde_json::Value` with a warning; one that holds
/// itself in a list (`A = Vec<A>`), or nests lists through too many other
/// aliases, becomes a newtype struct; and an alias of an alias names the
/// final type directly, so no chain is left for rustc to follow.
pub(super) fn settle_aliases(types: &mut [TypeDef], warnings: &mut Vec<Warning>) {
    break_pure_alias_loops(types, warnings);
    collapse_alias_chains(types);
    wrap_recursive_lists(types);
}

/// The alias `id` is, if it is one.
fn alias_target(types: &[TypeDef], id: TypeId) -> Option<&TypeRef> {
    match &types[id.0].shape {
        TypeShape::Alias(target) => Some(target),
        _ => None,
    }
}

/// `A = B`, `B = A`: nothing says what either holds.
fn break_pure_alias_loops(types: &mut [TypeDef], warnings: &mut Vec<Warning>) {
    // 0: not seen, 1: on the current walk, 2: leads to a real type.
    let mut state = vec![0u8; types.len()];
    for start in 0..types.len() {
        let mut walk = Vec::new();
        let mut current = start;
        loop {
            if state[current] == 2 {
                break;
            }
            if state[current] == 1 {
                // The walk came back to `current`: the loop is from there on.
                let from = walk.iter().position(|&id| id == current).unwrap_or(0);
                for &id in &walk[from..] {
                    let def: &mut TypeDef = &mut types[id];
                    def.shape = TypeShape::Alias(TypeRef::Json);
                    warnings.push(Warning {
                        pointer: def.pointer.clone(),
                        message: "unsupported: a `$ref` that leads back to itself without saying what it holds; generated as serde_json::Value".to_owned(),
                    });
                }
                break;
            }
            state[current] = 1;
            walk.push(current);
            match alias_target(types, TypeId(current)) {
                Some(TypeRef::Named(next)) => current = next.0,
                _ => break,
            }
        }
        for id in walk {
            state[id] = 2;
        }
    }
}

/// `A = B`, `B = C`, `C = String`: `A = String`, `B = String`.
fn collapse_alias_chains(types: &mut [TypeDef]) {
    let mut settled: Vec<Option<TypeRef>> = vec![None; types.len()];
    for start in 0..types.len() {
        let mut walk = Vec::new();
        let mut current = start;
        let target = loop {
            if let Some(target) = &settled[current] {
                break target.clone();
            }
            match alias_target(types, TypeId(current)) {
                Some(TypeRef::Named(next)) if walk.len() <= types.len() => {
                    walk.push(current);
                    current = next.0;
                }
                // Not an alias of an alias: the type it stands for.
                Some(target) => {
                    let target = target.clone();
                    walk.push(current);
                    break target;
                }
                None => break TypeRef::Named(TypeId(current)),
            }
        };
        for id in walk {
            settled[id] = Some(target.clone());
        }
    }
    for (def, target) in types.iter_mut().zip(settled) {
        if let (TypeShape::Alias(own), Some(target)) = (&mut def.shape, target) {
            *own = target;
        }
    }
}

/// The alias named inside `ty` when `ty` is lists around one (`Vec<Vec<B>>`).
fn listed_alias(types: &[TypeDef], ty: &TypeRef) -> Option<TypeId> {
    let mut current = ty;
    loop {
        match current {
            TypeRef::List(item) => current = item,
            TypeRef::Named(id) if alias_target(types, *id).is_some() => return Some(*id),
            _ => return None,
        }
    }
}

/// `A = Vec<A>`, or `A = Vec<B>`, `B = Vec<A>`: the alias that closes the
/// loop becomes a newtype struct (`struct A(Vec<A>)`), which ends it; so
/// does an alias that would leave rustc more than [`MAX_ALIAS_NESTING`]
/// aliases to expand. Once chains are collapsed, an alias names at most
/// one other alias (inside lists), so each walk is a single path.
fn wrap_recursive_lists(types: &mut [TypeDef]) {
    // 0: not seen, 1: on the current walk, 2: done.
    let mut state = vec![0u8; types.len()];
    // How many aliases rustc expands below each done alias.
    let mut chain = vec![0usize; types.len()];
    let mut newtype = vec![false; types.len()];
    for start in 0..types.len() {
        if state[start] != 0 || alias_target(types, TypeId(start)).is_none() {
            continue;
        }
        let mut walk = Vec::new();
        let mut current = start;
        let last = loop {
            state[current] = 1;
            walk.push(current);
            let next =
                alias_target(types, TypeId(current)).and_then(|target| listed_alias(types, target));
            match next {
                Some(next) if state[next.0] == 0 => current = next.0,
                Some(next) if state[next.0] == 1 => {
                    newtype[current] = true;
                    break 0;
                }
                Some(next) => break chain[next.0] + 1,
                None => break 0,
            }
        };
        let mut below: Option<usize> = None;
        for id in walk.into_iter().rev() {
            state[id] = 2;
            let length = below.map_or(last, |below| below + 1);
            chain[id] = if newtype[id] || length > MAX_ALIAS_NESTING {
                newtype[id] = true;
                0
            } else {
                length
            };
            below = Some(chain[id]);
        }
    }
    for (def, newtype) in types.iter_mut().zip(newtype) {
        if let (true, TypeShape::Alias(target)) = (newtype, &def.shape) {
            def.shape = TypeShape::Newtype(target.clone());
        }
    }
}

/// Boxes every field whose type leads back to its own struct without
/// passing through a `Vec` or map, so recursive types have a finite size:
/// a field is boxed when its type is in the same strongly connected
/// component of the "holds by value" graph as its struct.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let component = strongly_connected(types.len(), |id| by_value(&types[id]));
    for (owner, def) in types.iter_mut().enumerate() {
        if let TypeShape::Struct(s) = &mut def.shape {
            for field in &mut s.fields {
                if let TypeRef::Named(t) = field.ty {
                    field.boxed |= component[t.0] == component[owner];
                }
            }
        }
    }
}

/// How deep types nest in one another (`S0` holds `S1` holds … `S300`),
/// counting a group of types that hold each other as one: rustc's
/// drop-check follows every level, and refuses past its recursion limit.
pub(super) fn nesting_depth(types: &[TypeDef]) -> usize {
    let edges = |id: usize| named_in(&types[id]);
    let component = strongly_connected(types.len(), edges);
    // Tarjan numbers a component after every component it reaches.
    let count = component.iter().map(|&c| c + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (id, &c) in component.iter().enumerate() {
        members[c].push(id);
    }
    let mut depth = vec![0usize; count];
    for c in 0..count {
        let below = members[c]
            .iter()
            .flat_map(|&id| edges(id))
            .map(|t| component[t])
            .filter(|&t| t != c)
            .map(|t| depth[t])
            .max()
            .unwrap_or(0);
        depth[c] = below + 1;
    }
    depth.into_iter().max().unwrap_or(0)
}

/// Every type `def` names, however it holds it.
pub(super) fn named_in(def: &TypeDef) -> Vec<usize> {
    fn collect(ty: &TypeRef, into: &mut Vec<usize>) {
        match ty {
            TypeRef::Named(id) => into.push(id.0),
            TypeRef::List(item) => collect(item, into),
            _ => {}
        }
    }
    let mut named = Vec::new();
    match &def.shape {
        TypeShape::Struct(s) => {
            for field in &s.fields {
                collect(&field.ty, &mut named);
            }
            if let Some(extra) = &s.additional {
                collect(&extra.value, &mut named);
            }
        }
        TypeShape::Union(u) => {
            for variant in &u.variants {
                collect(&variant.ty, &mut named);
            }
        }
        TypeShape::Alias(ty) | TypeShape::Newtype(ty) => collect(ty, &mut named),
        TypeShape::Enum(_) => {}
    }
    named
}

/// The types `def` holds by value (not behind a `Vec`, a map or a box).
fn by_value(def: &TypeDef) -> Vec<usize> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(t) => Some(t.0),
        _ => None,
    };
    match &def.shape {
        TypeShape::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeShape::Alias(ty) | TypeShape::Newtype(ty) => named(ty).into_iter().collect(),
        // Union variants are boxed; enums hold no other type.
        TypeShape::Enum(_) | TypeShape::Union(_) => Vec::new(),
    }
}

/// The strongly connected component of each of `count` nodes (Tarjan's
/// algorithm, iterative so a long chain cannot overflow the stack).
pub(super) fn strongly_connected(count: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: the node, its edges, and how many were followed.
        let mut frames: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, edges(root), 0));
        while let Some((node, targets, followed)) = frames.last_mut() {
            let node = *node;
            if let Some(&target) = targets.get(*followed) {
                *followed += 1;
                if index[target] == UNSEEN {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    frames.push((target, edges(target), 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_chain_and_a_loop() {
        // 0 → 1 → 2 → 1, 3 alone, 4 → 4.
        let edges = [vec![1], vec![2], vec![1], vec![], vec![4]];
        let c = strongly_connected(5, |n| edges[n].clone());
        assert_ne!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[1]);
        assert_ne!(c[4], c[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let c = strongly_connected(200_000, |n| if n > 0 { vec![n - 1] } else { vec![] });
        assert_eq!(c.len(), 200_000);
    }
}
