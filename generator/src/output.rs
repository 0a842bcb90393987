//! Writes a generated crate to disk: only the files that changed, each
//! atomically, and stale files under `src/` removed; or, in check mode,
//! reports how the disk differs without touching it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::Error;
use crate::model::Warning;

/// The files of a generated crate, by path relative to its root, and the
/// places of the spec generated with a fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateFiles {
    files: BTreeMap<String, String>,
    warnings: Vec<Warning>,
    /// Which profile the crate follows and why (`profile: azure (...)`).
    profile: String,
}

/// How one file on disk compares with what was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    Created(String),
    Updated {
        path: String,
        /// A short unified diff, made only by `compare` (empty from
        /// `write`, which has no use for it).
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

    /// Records which profile the crate follows and why.
    pub fn set_profile(&mut self, profile: String) {
        self.profile = profile;
    }

    /// `profile: azure (api-version query parameter at #/paths/...)`.
    pub fn profile(&self) -> &str {
        &self.profile
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

    /// How `dir` differs from these files, with a short diff of each
    /// changed file; nothing is written.
    pub fn compare(&self, dir: &Path) -> Result<Vec<FileChange>, Error> {
        self.changes(dir, true)
    }

    /// How `dir` differs from these files, with diffs when `diffs` (which
    /// cost far more than comparing: a minute on a 4 MB crate).
    fn changes(&self, dir: &Path, diffs: bool) -> Result<Vec<FileChange>, Error> {
        let mut changes = Vec::new();
        for (path, contents) in &self.files {
            let full = dir.join(path);
            match std::fs::read_to_string(&full) {
                Ok(existing) if existing == *contents => {}
                Ok(existing) => changes.push(FileChange::Updated {
                    path: path.clone(),
                    diff: if diffs {
                        short_diff(path, &existing, contents)
                    } else {
                        String::new()
                    },
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
        let changes = self.changes(dir, false)?;
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
/// sees half a file. The file gets the permissions it had, or those of any
/// new file (0666 less the umask), not the temporary file's private 0600.
fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    let error = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(error)?;
    let mut builder = tempfile::Builder::new();
    if let Some(permissions) = ordinary_permissions(path) {
        builder.permissions(permissions);
    }
    let mut temp = builder.tempfile_in(parent).map_err(error)?;
    temp.write_all(contents.as_bytes()).map_err(error)?;
    temp.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// The permissions a file written at `path` should have: its present ones
/// when it exists, else on Unix what a plain create gives (0666, masked by
/// the umask when the file is opened).
fn ordinary_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(metadata) = std::fs::metadata(path) {
        return Some(metadata.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

/// How long a diff may search for the smallest one before settling for a
/// coarser one (files that differ throughout take minutes otherwise).
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// A unified diff of at most [`MAX_DIFF_LINES`] lines.
fn short_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::configure()
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(2);
    let mut shown = format!("--- {path} (on disk)\n+++ {path} (generated)\n");
    let mut lines = 2;
    for hunk in unified.iter_hunks() {
        for line in hunk.to_string().lines() {
            if lines == MAX_DIFF_LINES {
                shown.push_str("... more diff lines\n");
                return shown;
            }
            shown.push_str(line);
            shown.push('\n');
            lines += 1;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(contents: &str) -> CrateFiles {
        let mut files = CrateFiles::default();
        files.insert("src/lib.rs", contents.to_owned());
        files
    }

    #[test]
    fn writing_over_a_different_crate_makes_no_diff() {
        let dir = tempfile::tempdir().expect("temp dir");
        files("old\n").write(dir.path()).expect("first write");
        let changes = files("new\n").write(dir.path()).expect("second write");
        assert_eq!(
            changes,
            [FileChange::Updated {
                path: "src/lib.rs".to_owned(),
                diff: String::new()
            }]
        );
        let on_disk = std::fs::read_to_string(dir.path().join("src/lib.rs")).expect("read");
        assert_eq!(on_disk, "new\n");
    }

    #[cfg(unix)]
    #[test]
    fn written_files_get_ordinary_permissions_and_keep_their_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777
        };
        let umask = {
            let probe = dir.path().join("probe");
            std::fs::write(&probe, "").expect("probe");
            0o666 & !mode(&probe)
        };
        let lib = dir.path().join("src/lib.rs");
        files("one\n").write(dir.path()).expect("first write");
        assert_eq!(mode(&lib), 0o666 & !umask, "a new file as `touch` makes it");
        std::fs::set_permissions(&lib, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        files("two\n").write(dir.path()).expect("second write");
        assert_eq!(mode(&lib), 0o640, "a rewritten file keeps its mode");
    }

    #[test]
    fn a_check_shows_a_bounded_diff() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old: String = (0..1000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..1000).map(|i| format!("new {i}\n")).collect();
        files(&old).write(dir.path()).expect("write");
        let changes = files(&new).compare(dir.path()).expect("compare");
        let [FileChange::Updated { diff, .. }] = changes.as_slice() else {
            panic!("{changes:?}");
        };
        assert!(
            diff.starts_with("--- src/lib.rs (on disk)\n+++ src/lib.rs (generated)\n"),
            "{diff}"
        );
        assert_eq!(diff.lines().count(), MAX_DIFF_LINES + 1, "{diff}");
        assert!(diff.ends_with("... more diff lines\n"), "{diff}");
    }
}
