//! Which files a spec's `$ref`s may read, and reading each once: local
//! files inside one root folder; a URL is never fetched.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::Error;

/// At most this many files are read for one spec (Azure's specs reference
/// a handful), so a hostile chain of files cannot read a whole disk.
pub const MAX_FILES: usize = 1_000;

/// The folder cross-file references must stay inside when none is given:
/// the nearest ancestor of the spec holding `.git` (the repository the
/// spec is published in, as azure-rest-api-specs is), else the nearest
/// ancestor named `specification` (that repository's layout without its
/// `.git`, as a download or a copy has it), else the spec's own folder.
/// `spec` is canonical, so every ancestor is there to look at.
pub fn default_root(spec: &Path) -> PathBuf {
    let folder = spec.parent().unwrap_or(Path::new("/"));
    let ancestors = || folder.ancestors();
    ancestors()
        .find(|dir| dir.join(".git").exists())
        .or_else(|| ancestors().find(|dir| dir.file_name().is_some_and(|n| n == "specification")))
        .unwrap_or(folder)
        .to_owned()
}

/// Whether a document is Swagger 2.0 or OpenAPI 3 (a file without either
/// field, a bare schema say, is read as its referrer's format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Swagger,
    OpenApi,
}

impl Format {
    pub fn of(document: &Value) -> Option<Self> {
        if document.get("swagger").is_some() {
            Some(Format::Swagger)
        } else if document.get("openapi").is_some() {
            Some(Format::OpenApi)
        } else {
            None
        }
    }
}

/// One file read: its path as the user sees it (the spec's path joined
/// with the references, `..` taken out), its text for lines, its value.
#[derive(Debug)]
pub struct File {
    pub shown: PathBuf,
    pub text: String,
    pub value: Value,
    pub format: Format,
}

/// Index of a file in [`Files`]; the spec itself is [`Files::SPEC`].
pub type FileId = usize;

/// Every file read for one spec, each once, all inside `root`.
#[derive(Debug)]
pub struct Files {
    root: PathBuf,
    files: Vec<File>,
    by_path: HashMap<PathBuf, FileId>,
}

impl Files {
    pub const SPEC: FileId = 0;

    /// The spec (its value is not kept: the caller owns and changes it)
    /// and the root its references are confined to.
    pub fn new(
        spec: &Path,
        text: &str,
        format: Format,
        root: Option<&Path>,
    ) -> Result<Self, Error> {
        let canonical = canonical(spec)?;
        let root = root.map_or_else(|| default_root(&canonical), Path::to_owned);
        let root = canonical_dir(&root)?;
        if !canonical.starts_with(&root) {
            return Err(Error::OutsideSpecRoot {
                path: spec.to_owned(),
                root,
            });
        }
        let spec_file = File {
            shown: spec.to_owned(),
            text: text.to_owned(),
            value: Value::Null,
            format,
        };
        Ok(Self {
            root,
            files: vec![spec_file],
            by_path: HashMap::from([(canonical, Self::SPEC)]),
        })
    }

    pub fn get(&self, id: FileId) -> &File {
        &self.files[id]
    }

    /// The file `reference` (the part of a `$ref` before `#`, written in
    /// `from`) names, read if it was not yet. `Err(Refused)` says why in
    /// words the caller puts beside the `$ref`; a file that does not parse
    /// is its own error.
    pub fn open(&mut self, from: FileId, reference: &str) -> Result<FileId, Refused> {
        if is_url(reference) {
            return Err(Refused::Reason(
                "it is a URL: references are read from local files only, never fetched".into(),
            ));
        }
        let decoded = percent_encoding::percent_decode_str(reference)
            .decode_utf8()
            .map_err(|_| Refused::Reason("its percent-encoding is not UTF-8".into()))?;
        let folder = self.files[from].shown.parent().unwrap_or(Path::new(""));
        let shown = normalize(&folder.join(&*decoded));
        let canonical = std::fs::canonicalize(&shown)
            .map_err(|e| Refused::Reason(format!("cannot read {}: {e}", shown.display())))?;
        if !canonical.starts_with(&self.root) {
            return Err(Refused::Reason(format!(
                "{} is outside the spec root {} (`--spec-root` names another)",
                shown.display(),
                self.root.display()
            )));
        }
        if let Some(&id) = self.by_path.get(&canonical) {
            return Ok(id);
        }
        if self.files.len() >= MAX_FILES {
            return Err(Refused::Reason(format!(
                "more than {MAX_FILES} files are referenced"
            )));
        }
        let (text, value) = crate::load::read_value(&shown).map_err(Refused::Load)?;
        let format = Format::of(&value).unwrap_or(self.files[from].format);
        let id = self.files.len();
        self.by_path.insert(canonical, id);
        self.files.push(File {
            shown,
            text,
            value,
            format,
        });
        Ok(id)
    }
}

/// Why a referenced file is not read.
#[derive(Debug)]
pub enum Refused {
    Reason(String),
    /// It was read but does not parse: its own error, with its line.
    Load(Error),
}

/// A scheme (`https:`, `file:`) or a network path (`//host/...`).
fn is_url(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `a/b/../c` as `a/c`, leading `..`s kept: the path shown in messages,
/// not the one checked (that is the canonical one).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn canonical(path: &Path) -> Result<PathBuf, Error> {
    std::fs::canonicalize(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

fn canonical_dir(path: &Path) -> Result<PathBuf, Error> {
    // `canonicalize("")` fails; the empty folder of `spec.yaml` is here.
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    canonical(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        for url in [
            "https://example.com/a.json",
            "http:x",
            "file:///etc/passwd",
            "//host/a.json",
            "C:x",
        ] {
            assert!(is_url(url), "{url}");
        }
        for path in [
            "a.json",
            "../common/types.json",
            "./a:b.json",
            "dir/a.json",
            "",
        ] {
            assert!(!is_url(path), "{path}");
        }
    }

    #[test]
    fn normalizing_takes_out_dots_but_keeps_leading_parents() {
        assert_eq!(
            normalize(Path::new("../s/Email/stable/v/../../../../../c/t.json")),
            PathBuf::from("../../c/t.json")
        );
        assert_eq!(normalize(Path::new("./a/./b")), PathBuf::from("a/b"));
    }
}
