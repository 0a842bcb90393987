//! Writes a generated crate to disk: only the files that changed, each
//! atomically, and stale files under `src/` removed; or, in check mode,
//! reports how the disk differs without touching it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::model::Warning;

/// The files of a generated crate, by path relative to its root, and the
/// places of the spec generated with a fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateFiles {
    files: BTreeMap<String, String>,
    warnings: Vec<Warning>,
}

/// How one file on disk compares with what was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    Created(String),
    Updated {
        path: String,
        diff: String,
    },
    /// A file under `src/` that generation no longer produces.
    Removed(String),
}

impl FileChange {
    /// What happened (or, when checking, would happen) to the file.
    pub fn verb(&self) -> &'static str {
        match self {
            FileChange::Created(_) => "created",
            FileChange::Updated { .. } => "updated",
            FileChange::Removed(_) => "removed",
        }
    }

    /// The file, relative to the crate's root.
    pub fn path(&self) -> &str {
        match self {
            FileChange::Created(path) | FileChange::Removed(path) => path,
            FileChange::Updated { path, .. } => path,
        }
    }
}

/// How many lines of diff a check shows per file.
const MAX_DIFF_LINES: usize = 40;

impl CrateFiles {
    pub fn insert(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_owned(), contents);
    }

    /// Notes a place generated with a fallback.
    pub fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }

    /// The places generated with a fallback (`serde_json::Value`, a
    /// String, a skipped parameter), in document order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Paths and contents, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }

    /// How `dir` differs from these files; nothing is written.
    pub fn compare(&self, dir: &Path) -> Result<Vec<FileChange>, Error> {
        let mut changes = Vec::new();
        for (path, contents) in &self.files {
            let full = dir.join(path);
            match std::fs::read_to_string(&full) {
                Ok(existing) if existing == *contents => {}
                Ok(existing) => changes.push(FileChange::Updated {
                    path: path.clone(),
                    diff: short_diff(path, &existing, contents),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    changes.push(FileChange::Created(path.clone()));
                }
                Err(source) => return Err(Error::Read { path: full, source }),
            }
        }
        for stale in self.stale_files(dir)? {
            changes.push(FileChange::Removed(stale));
        }
        Ok(changes)
    }

    /// Brings `dir` in line with these files and says what changed.
    pub fn write(&self, dir: &Path) -> Result<Vec<FileChange>, Error> {
        let changes = self.compare(dir)?;
        for change in &changes {
            let full = dir.join(change.path());
            match change {
                FileChange::Removed(_) => {
                    std::fs::remove_file(&full)
                        .map_err(|source| Error::Write { path: full, source })?;
                }
                FileChange::Created(path) | FileChange::Updated { path, .. } => {
                    write_atomically(&full, &self.files[path])?;
                }
            }
        }
        Ok(changes)
    }

    /// `.rs` files under `dir/src` that these files do not include.
    fn stale_files(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let mut stale = Vec::new();
        let mut pending = vec![PathBuf::from("src")];
        while let Some(relative) = pending.pop() {
            let full = dir.join(&relative);
            let entries = match std::fs::read_dir(&full) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::Read { path: full, source }),
            };
            for entry in entries {
                let entry = entry.map_err(|source| Error::Read {
                    path: full.clone(),
                    source,
                })?;
                let child = relative.join(entry.file_name());
                let key = child.to_string_lossy().replace('\\', "/");
                if entry.path().is_dir() {
                    pending.push(child);
                } else if key.ends_with(".rs") && !self.files.contains_key(&key) {
                    stale.push(key);
                }
            }
        }
        stale.sort();
        Ok(stale)
    }
}

/// Writes through a temporary file in the same directory, so a reader never
/// sees half a file.
fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    let error = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(error)?;
    let mut temp = tempfile::NamedTempFile::new_in(parent).map_err(error)?;
    temp.write_all(contents.as_bytes()).map_err(error)?;
    temp.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// A unified diff of at most [`MAX_DIFF_LINES`] lines.
fn short_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff
        .lines()
        .take(MAX_DIFF_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    if total > MAX_DIFF_LINES {
        shown.push_str(&format!("... {} more diff lines\n", total - MAX_DIFF_LINES));
    }
    shown
}
