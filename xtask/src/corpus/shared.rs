//! Documents that other documents of the corpus reference (Azure's
//! `common-types/.../types.json`, a service's `Common/.../common.json`):
//! definitions shared by APIs, generated as part of each API that uses
//! them, not as crates of their own.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The canonical paths of the files any of `documents` references with a
/// `$ref` naming another file. A lexical scan of the text, never a parse,
/// so a hostile document cannot stall the corpus run before its own
/// bounded child process.
pub fn referenced(documents: &[PathBuf]) -> HashSet<PathBuf> {
    let mut found = HashSet::new();
    for document in documents {
        let Ok(text) = std::fs::read_to_string(document) else {
            continue;
        };
        let folder = document.parent().unwrap_or(Path::new(""));
        for reference in references(&text) {
            let file = reference.split('#').next().unwrap_or("");
            if file.is_empty() || file.contains(':') || file.starts_with("//") {
                continue;
            }
            if let Ok(path) = folder.join(file).canonicalize() {
                found.insert(path);
            }
        }
    }
    found
}

/// The values written after each `$ref` key: `"$ref": "x"`, `$ref: x`,
/// `$ref: 'x'`.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("$ref").filter_map(|(at, key)| {
        let rest = &text[at + key.len()..];
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest).trim_start();
        let rest = rest.strip_prefix(':')?.trim_start();
        let (rest, ends): (&str, &[char]) = match rest.chars().next()? {
            quote @ ('"' | '\'') => (&rest[1..], if quote == '"' { &['"'] } else { &['\''] }),
            _ => (rest, &[' ', '\t', '\r', '\n', ',', '}']),
        };
        rest.find(ends).map(|end| &rest[..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_in_json_and_yaml_spellings() {
        let text = "{\"$ref\": \"../c/types.json#/definitions/E\"}\n  $ref: other.yaml#/a\n  $ref: 'q.yaml'\n  x: {$ref: \"#/local\"}";
        assert_eq!(
            references(text).collect::<Vec<_>>(),
            [
                "../c/types.json#/definitions/E",
                "other.yaml#/a",
                "q.yaml",
                "#/local"
            ]
        );
    }

    #[test]
    fn a_referenced_file_is_found_by_its_canonical_path() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir(dir.path().join("api")).expect("folder");
        let api = dir.path().join("api/api.json");
        let common = dir.path().join("common.json");
        std::fs::write(
            &api,
            r#"{"$ref": "../common.json#/definitions/E", "b": {"$ref": "https://x/y.json"}}"#,
        )
        .expect("write");
        std::fs::write(&common, "{}").expect("write");
        let found = referenced(&[api.clone(), common.clone()]);
        assert_eq!(
            found,
            HashSet::from([common.canonicalize().expect("canonical")])
        );
    }
}
