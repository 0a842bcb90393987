//! Rust names for spec names: idiomatic case, never a keyword, never a
//! collision.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ident::{PLAIN_KEYWORDS, RustIdent};

/// Type names the generated crate uses unqualified or defines itself, so a
/// schema must not take them (`Azure.Core.Foundations.Error` is not `Error`).
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Client",
    "Default",
    "Err",
    "Error",
    "From",
    "HashMap",
    "HttpError",
    "None",
    "Ok",
    "Option",
    "Result",
    "Self",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// The names no schema may take, as the starting set of taken names.
pub fn reserved_type_names() -> Taken {
    let mut taken = Taken::default();
    for name in RESERVED_TYPE_NAMES {
        taken.insert((*name).to_owned());
    }
    taken
}

/// How many dotted segments a type name takes in at most; names that still
/// clash are numbered (and the walk stays linear in the names' length).
const MAX_NAME_SEGMENTS: usize = 8;

/// Rust type names for component schema names, in the same order; each is
/// added to `taken`.
///
/// Dotted names (`Azure.Core.Foundations.Error`) use their last segment
/// when it is unique and not reserved, and take in earlier segments only as
/// far as needed (`FoundationsError`); a number is the last resort.
pub fn component_type_names(names: &[&str], taken: &mut Taken) -> Vec<RustIdent> {
    let segments: Vec<Vec<&str>> = names
        .iter()
        .map(|name| name.split('.').filter(|s| !s.is_empty()).collect())
        .collect();
    let mut depth = vec![1usize; names.len()];
    loop {
        let candidates: Vec<RustIdent> = segments
            .iter()
            .zip(&depth)
            .map(|(segs, &d)| type_name(&segs[segs.len().saturating_sub(d)..].join("_")))
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for candidate in &candidates {
            *counts.entry(candidate.bare()).or_default() += 1;
        }
        let mut grew = false;
        for (i, candidate) in candidates.iter().enumerate() {
            let clashes = counts[candidate.bare()] > 1 || taken.contains(&candidate.to_string());
            if clashes && depth[i] < segments[i].len().min(MAX_NAME_SEGMENTS) {
                depth[i] += 1;
                grew = true;
            }
        }
        if !grew {
            return candidates.into_iter().map(|c| unique(c, taken)).collect();
        }
    }
}

/// An UpperCamelCase type name for any text (a title, a context): ASCII
/// letters and digits only, never starting with a digit, never `Self`.
pub fn type_name(text: &str) -> RustIdent {
    let name = ascii_words(text).to_upper_camel_case();
    built(match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) if name == "Self" => "SelfType".to_owned(),
        Some(_) => name,
    })
}

/// A snake_case identifier for a property, parameter or operation; a
/// keyword becomes a raw identifier or gets a trailing `_`.
pub fn snake_ident(text: &str) -> RustIdent {
    let mut name = ascii_words(text).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if PLAIN_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    built(name)
}

/// `name`, which the functions here build to be an identifier (the
/// property test below holds them to it): a failure is a bug, not input.
fn built(name: String) -> RustIdent {
    RustIdent::new(&name).unwrap_or_else(|| panic!("`{name}` was built as an identifier"))
}

/// A snake_case identifier for a parameter, which the client binds as a
/// function argument: one that starts with a digit gets `p` instead of
/// `_` (as type names get `T`), since clippy refuses bindings made only of
/// underscores and digits (`_9`), and `_` marks a binding unused.
pub fn param_ident(text: &str) -> RustIdent {
    let name = snake_ident(text);
    match name.bare().strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => built(format!("p{rest}")),
        _ => name,
    }
}

/// `text` with every character that is not ASCII spelled as a word of its
/// own (`u540d`), so names stay distinct and identifiers stay ASCII (rustc
/// warns about confusable non-ASCII identifiers).
fn ascii_words(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_whitespace() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", u32::from(c)));
        }
    }
    out.into()
}

/// Names taken in one scope, with the next number to try for each name
/// met twice, so that many names that collide cost linear time.
#[derive(Debug, Clone, Default)]
pub struct Taken {
    names: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Taken {
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Takes `name`; false when it was taken already.
    pub fn insert(&mut self, name: String) -> bool {
        self.names.insert(name)
    }
}

impl<const N: usize> From<[&str; N]> for Taken {
    fn from(names: [&str; N]) -> Self {
        let mut taken = Self::default();
        for name in names {
            taken.insert(name.to_owned());
        }
        taken
    }
}

/// `name`, or `name2`, `name3`… (`name_2` for snake case) if taken; records
/// the result as taken.
pub fn unique(name: RustIdent, taken: &mut Taken) -> RustIdent {
    if taken.insert(name.to_string()) {
        return name;
    }
    // `Self_` → `Self2`, `self_` → `self_2`: never `__`, never `_` between
    // letters of a type name (both draw rustc's case lints).
    let base = name.bare().trim_end_matches('_').to_owned();
    let separator = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
        ""
    } else {
        "_"
    };
    let mut n = taken.next.get(&base).copied().unwrap_or(2);
    loop {
        let candidate = format!("{base}{separator}{n}");
        n += 1;
        if taken.insert(candidate.clone()) {
            taken.next.insert(base, n);
            return built(candidate);
        }
    }
}

/// A method name from an `operationId`: Azure's `Group_Operation` form
/// becomes `operation`; anything else is snake-cased whole.
pub fn method_name(operation_id: &str) -> RustIdent {
    match operation_id.split_once('_') {
        Some((group, op)) if starts_upper(group) && starts_upper(op) && !op.contains('_') => {
            snake_ident(op)
        }
        _ => snake_ident(operation_id),
    }
}

fn starts_upper(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_take_only_the_segments_they_need() {
        let names = component_type_names(
            &[
                "Azure.Core.Foundations.Error",
                "Azure.Core.Foundations.ErrorResponse",
                "Other.Namespace.Error",
                "Widget",
                "widget",
            ],
            &mut reserved_type_names(),
        );
        assert_eq!(
            names,
            [
                "FoundationsError",
                "ErrorResponse",
                "NamespaceError",
                "Widget",
                "Widget2"
            ]
        );
    }

    #[test]
    fn names_take_in_at_most_eight_segments() {
        let long = |first: &str| format!("{first}{}", ".a".repeat(300));
        let names = component_type_names(&[&long("x"), &long("y")], &mut reserved_type_names());
        assert_eq!(names, ["AAAAAAAA", "AAAAAAAA2"]);
    }

    #[test]
    fn reserved_names_are_avoided() {
        let names = component_type_names(
            &["Azure.Core.Foundations.Error", "Result", "Client"],
            &mut reserved_type_names(),
        );
        assert_eq!(names, ["FoundationsError", "Result2", "Client2"]);
    }

    #[test]
    fn identifiers_are_snake_case_and_never_keywords() {
        assert_eq!(snake_ident("closeAt"), "close_at");
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("2fa"), "_2fa");
        assert_eq!(snake_ident("api-version"), "api_version");
        assert_eq!(snake_ident("$"), "value");
    }

    #[test]
    fn names_that_start_with_digits_or_are_keywords_become_identifiers() {
        assert_eq!(type_name("123abc"), "T123abc");
        assert_eq!(type_name("9"), "T9");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(snake_ident("Self"), "self_");
        assert_eq!(method_name("123abc"), "_123abc");
        assert_eq!(type_name("名前"), "U540dU524d");
        assert_eq!(snake_ident("名前"), "u540d_u524d");
        assert_eq!(snake_ident("\u{202e}x"), "u202e_x");
    }

    #[test]
    fn parameters_that_start_with_digits_get_a_letter() {
        assert_eq!(param_ident("9"), "p9");
        assert_eq!(param_ident("1-2-3"), "p1_2_3");
        assert_eq!(param_ident("007"), "p007");
        assert_eq!(param_ident("2fa"), "p2fa");
        assert_eq!(param_ident("_private"), "private");
        assert_eq!(param_ident("type"), "r#type");
    }

    #[test]
    fn a_taken_name_gets_a_number_without_a_double_underscore() {
        let mut taken = Taken::default();
        assert_eq!(unique(snake_ident("self"), &mut taken), "self_");
        assert_eq!(unique(snake_ident("self"), &mut taken), "self_2");
        assert_eq!(unique(type_name("Thing"), &mut taken), "Thing");
        assert_eq!(unique(type_name("Thing"), &mut taken), "Thing2");
    }

    #[test]
    fn many_colliding_names_are_numbered_in_linear_time() {
        // Quadratic before: each name tried every number taken so far.
        let mut taken = Taken::default();
        let names: Vec<RustIdent> = (0..50_000)
            .map(|_| unique(snake_ident("a"), &mut taken))
            .collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[1], "a_2");
        assert_eq!(names[49_999], "a_50000");
        assert_eq!(unique(snake_ident("a_2"), &mut taken), "a_2_2");
    }

    proptest::proptest! {
        /// Whatever the spec says, the names are identifiers syn accepts,
        /// ASCII (rustc lints confusable non-ASCII identifiers), and free
        /// of the `__` and `_X` that draw rustc's case lints.
        #[test]
        fn any_text_gives_valid_identifiers(text in "\\PC{0,12}") {
            let ty = type_name(&text).to_string();
            proptest::prop_assert!(syn::parse_str::<syn::Ident>(&ty).is_ok(), "{ty}");
            proptest::prop_assert!(ty.is_ascii() && ty != "Self" && !ty.contains('_'), "{ty}");
            let snake = snake_ident(&text).to_string();
            proptest::prop_assert!(syn::parse_str::<syn::Ident>(&snake).is_ok(), "{snake}");
            proptest::prop_assert!(snake.is_ascii() && !snake.contains("__"), "{snake}");
            let method = method_name(&text).to_string();
            proptest::prop_assert!(syn::parse_str::<syn::Ident>(&method).is_ok(), "{method}");
        }
    }

    #[test]
    fn azure_operation_ids_lose_their_group() {
        assert_eq!(method_name("JobRouterOperations_CloseJob"), "close_job");
        assert_eq!(method_name("report_finish"), "report_finish");
        assert_eq!(method_name("getThing"), "get_thing");
    }

    #[test]
    fn an_id_is_split_only_as_upper_case_group_and_operation() {
        assert_eq!(method_name("Jobs_list"), "jobs_list");
        assert_eq!(method_name("jobs_List"), "jobs_list");
        assert_eq!(method_name("Jobs_List_All"), "jobs_list_all");
    }
}
