//! Cross-file `$ref`s: what a spec references in other local files is
//! copied into the spec, into the section its kind belongs in, and each
//! reference rewritten to the copy; so everything after loading (the
//! Swagger conversion, lowering, the tester) reads one document whose
//! references are all local. Each file is read once and each referenced
//! place copied once; references back into the spec, or around a loop of
//! files, land on the copy already made.

mod files;
mod kind;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use serde_json::{Map, Value};

use crate::Error;
use crate::document::Pointer;
use crate::document::refs::{Ref, reference_of};
use files::{FileId, Files, Format, Refused};
use kind::{Kind, holds_data};

pub use files::{MAX_FILES, default_root};

/// Resolves every reference of `document` (read from `spec`, whose text is
/// `text`) to another file, confined to `root` (default:
/// [`default_root`]). A spec without such references is not touched and
/// no file is looked at; `Ok(true)` says the document changed.
pub fn bundle(
    spec: &Path,
    text: &str,
    document: &mut Value,
    root: Option<&Path>,
) -> Result<bool, Error> {
    let format = Format::of(document).unwrap_or(Format::OpenApi);
    let sites = sites(document, &Pointer::root(), format, false);
    if sites.is_empty() {
        return Ok(false);
    }
    let mut bundler = Bundler {
        files: Files::new(spec, text, format, root)?,
        format,
        copies: HashMap::new(),
        taken: taken_names(document),
        queue: VecDeque::new(),
        staged: Vec::new(),
    };
    for site in sites {
        bundler.rewrite_spec_site(document, site)?;
    }
    while let Some(copy) = bundler.queue.pop_front() {
        bundler.rewrite_copy(copy)?;
    }
    for (place, value) in bundler.staged {
        place.put(document, value);
    }
    Ok(true)
}

/// A `$ref` found in a value: where (relative to the value) and what it says.
#[derive(Debug)]
struct Site {
    at: Pointer,
    reference: String,
}

/// Where a copy goes in the spec.
#[derive(Debug)]
enum Place {
    /// A new entry of a section (`["definitions"]`, `["components", "schemas"]`).
    Entry { section: Vec<String>, name: String },
    /// Over a spec entry that was nothing but a reference to the copied
    /// value (`"Error": {"$ref": "common.json#/definitions/Error"}`), so its
    /// name stays; the entry's own members (a `description`) stay on top.
    Over { at: Pointer },
}

impl Place {
    fn pointer(&self) -> Pointer {
        match self {
            Place::Entry { section, name } => section
                .iter()
                .fold(Pointer::root(), |p, s| p.join(s))
                .join(name),
            Place::Over { at } => at.clone(),
        }
    }

    fn put(self, document: &mut Value, mut value: Value) {
        match self {
            Place::Entry { section, name } => {
                let mut here = document;
                for key in section {
                    let Some(object) = here.as_object_mut() else {
                        return;
                    };
                    here = object
                        .entry(key)
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                if let Some(object) = here.as_object_mut() {
                    object.insert(name, value);
                }
            }
            Place::Over { at } => {
                let Some(slot) = document.pointer_mut(at.as_str()) else {
                    return;
                };
                if let (Some(own), Some(copied)) = (slot.as_object(), value.as_object_mut()) {
                    for (key, member) in own.iter().filter(|(key, _)| *key != "$ref") {
                        copied.insert(key.clone(), member.clone());
                    }
                }
                *slot = value;
            }
        }
    }
}

/// A value copied from another file, still to have its references rewritten.
#[derive(Debug)]
struct Copy {
    file: FileId,
    /// Where it is in its file.
    from: Pointer,
    value: Value,
    place: Place,
}

struct Bundler {
    files: Files,
    /// The spec's format, which decides the sections copies go in.
    format: Format,
    /// (file, pointer there) → the reference to its copy in the spec.
    copies: HashMap<(FileId, Pointer), String>,
    /// Entry names in use per section, the spec's own and the copies'.
    taken: HashSet<(Vec<String>, String)>,
    queue: VecDeque<Copy>,
    staged: Vec<(Place, Value)>,
}

impl Bundler {
    /// A reference to another file written in the spec itself.
    fn rewrite_spec_site(&mut self, document: &mut Value, site: Site) -> Result<(), Error> {
        let target = self.target(Files::SPEC, &site, &site.at)?;
        let segments: Vec<String> = site.at.segments().collect();
        let over = Kind::of_entry(&segments).filter(|kind| {
            // Only a bare alias entry of the spec's own sections is replaced.
            kind.section(self.format)
                .is_some_and(|section| segments.len() == section.len() + 1)
                && target.0 != Files::SPEC
                && !self.copies.contains_key(&target)
        });
        let reference = match over {
            Some(_) => {
                let place = Place::Over {
                    at: site.at.clone(),
                };
                self.copy(target, &site, &site.at, Files::SPEC, Some(place))?;
                return Ok(());
            }
            None => self.reference_to(target, &site, &site.at, Files::SPEC)?,
        };
        set_reference(document, &site.at, reference);
        Ok(())
    }

    /// A copied value: its references (local ones are to its own file)
    /// rewritten, then staged for its place.
    fn rewrite_copy(&mut self, mut copy: Copy) -> Result<(), Error> {
        let format = self.files.get(copy.file).format;
        for site in sites(&copy.value, &copy.from, format, true) {
            let at = join_pointer(&copy.from, &site.at);
            let target = self.target(copy.file, &site, &at)?;
            let reference = self.reference_to(target, &site, &at, copy.file)?;
            set_reference(&mut copy.value, &site.at, reference);
        }
        self.staged.push((copy.place, copy.value));
        Ok(())
    }

    /// The file and pointer `site` (written in `file` at `at`) names.
    fn target(
        &mut self,
        file: FileId,
        site: &Site,
        at: &Pointer,
    ) -> Result<(FileId, Pointer), Error> {
        let parsed = Ref::parse(&site.reference);
        let target_file = if parsed.file.is_empty() {
            file
        } else {
            self.files
                .open(file, parsed.file)
                .map_err(|refused| match refused {
                    Refused::Reason(reason) => self.error(file, at, &site.reference, reason),
                    Refused::Load(error) => error,
                })?
        };
        let pointer = parsed.pointer().ok_or_else(|| {
            self.error(
                file,
                at,
                &site.reference,
                "its percent-encoding is not UTF-8".into(),
            )
        })?;
        Ok((target_file, pointer))
    }

    /// The local reference that leads to `target` in the spec: itself when
    /// it is in the spec, else its copy, made if there is none yet.
    fn reference_to(
        &mut self,
        target: (FileId, Pointer),
        site: &Site,
        at: &Pointer,
        file: FileId,
    ) -> Result<String, Error> {
        if target.0 == Files::SPEC {
            return Ok(target.1.to_fragment());
        }
        if let Some(reference) = self.copies.get(&target) {
            return Ok(reference.clone());
        }
        self.copy(target, site, at, file, None)
    }

    /// Queues a copy of `target` (at `place`, or a new entry named after
    /// it) and returns the reference to it.
    fn copy(
        &mut self,
        target: (FileId, Pointer),
        site: &Site,
        at: &Pointer,
        file: FileId,
        place: Option<Place>,
    ) -> Result<String, Error> {
        let (target_file, pointer) = target;
        let other = self.files.get(target_file);
        let Some(value) = other.value.pointer(pointer.as_str()).cloned() else {
            let reason = format!("nothing at {pointer} in {}", other.shown.display());
            return Err(self.error(file, at, &site.reference, reason));
        };
        let segments: Vec<String> = pointer.segments().collect();
        let place = match place {
            Some(place) => place,
            None => {
                let place_segments: Vec<String> = at.segments().collect();
                let kind =
                    Kind::of_entry(&segments).unwrap_or_else(|| Kind::of_place(&place_segments));
                let Some(section) = kind.section(self.format) else {
                    let reason = format!(
                        "it leads to {}, which a Swagger 2.0 document cannot share",
                        kind.describe()
                    );
                    return Err(self.error(file, at, &site.reference, reason));
                };
                let section: Vec<String> = section.into_iter().map(str::to_owned).collect();
                let stem = other
                    .shown
                    .file_stem()
                    .map_or_else(|| "file".to_owned(), |s| s.to_string_lossy().into_owned());
                let wanted = segments.last().cloned().unwrap_or_else(|| stem.clone());
                let name = self.free_name(&section, &wanted, &stem);
                Place::Entry { section, name }
            }
        };
        let reference = place.pointer().to_fragment();
        self.copies
            .insert((target_file, pointer.clone()), reference.clone());
        self.queue.push_back(Copy {
            file: target_file,
            from: pointer,
            value,
            place,
        });
        Ok(reference)
    }

    /// `wanted` if the section has no such entry, else `stem.wanted`
    /// (which names `Dotted.Names` read as `Wanted`, or `StemWanted` when
    /// that is taken), numbered past that.
    fn free_name(&mut self, section: &[String], wanted: &str, stem: &str) -> String {
        let mut name = wanted.to_owned();
        let mut number = 1;
        while !self.taken.insert((section.to_vec(), name.clone())) {
            number += 1;
            name = match number {
                2 => format!("{stem}.{wanted}"),
                n => format!("{stem}.{wanted}.{n}"),
            };
        }
        name
    }

    fn error(&self, file: FileId, at: &Pointer, reference: &str, reason: String) -> Error {
        let file = self.files.get(file);
        Error::ExternalRef {
            path: file.shown.clone(),
            pointer: at.to_string(),
            line: line_of_ref(&file.text, reference),
            reference: reference.to_owned(),
            reason,
        }
    }
}

/// Every `$ref` in `value` that the bundler rewrites: those to other
/// files, and with `local` those to the value's own file too; data
/// members (examples, defaults, enums) are not looked into.
fn sites(value: &Value, from: &Pointer, format: Format, local: bool) -> Vec<Site> {
    /// `path` starts with the segments of where `value` is in its file
    /// (`base` of them), which say what holds data; sites are relative
    /// to the value.
    fn walk<'a>(
        value: &'a Value,
        path: &mut Vec<Cow<'a, str>>,
        base: usize,
        format: Format,
        local: bool,
        out: &mut Vec<Site>,
    ) {
        match value {
            Value::Object(members) => {
                if let Some(reference) = reference_of(value)
                    && (local || !Ref::parse(reference).file.is_empty())
                {
                    let at = path[base..].iter().fold(Pointer::root(), |p, s| p.join(s));
                    out.push(Site {
                        at,
                        reference: reference.to_owned(),
                    });
                }
                let data = |key: &str| {
                    let parent = path.last().map(|s| &**s);
                    let grandparent = path.len().checked_sub(2).map(|i| &*path[i]);
                    holds_data(key, parent, grandparent, format)
                };
                let members: Vec<_> = members
                    .iter()
                    .filter(|(key, _)| *key != "$ref" && !data(key))
                    .collect();
                for (key, member) in members {
                    path.push(Cow::Borrowed(key));
                    walk(member, path, base, format, local, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(Cow::Owned(index.to_string()));
                    walk(item, path, base, format, local, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut path: Vec<Cow<str>> = from.segments().map(Cow::Owned).collect();
    let base = path.len();
    walk(value, &mut path, base, format, local, &mut out);
    out
}

/// Every section entry name the spec has, so copies do not take one.
fn taken_names(document: &Value) -> HashSet<(Vec<String>, String)> {
    let mut taken = HashSet::new();
    let mut add = |section: Vec<String>, entries: Option<&Value>| {
        for name in entries
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::keys)
        {
            taken.insert((section.clone(), name.clone()));
        }
    };
    for section in ["definitions", "parameters", "responses"] {
        add(vec![section.to_owned()], document.get(section));
    }
    if let Some(components) = document.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            add(
                vec!["components".to_owned(), section.clone()],
                Some(entries),
            );
        }
    }
    taken
}

/// `base` followed by `relative` (both escaped).
fn join_pointer(base: &Pointer, relative: &Pointer) -> Pointer {
    Pointer::from_escaped(format!("{}{}", base.as_str(), relative.as_str()))
}

fn set_reference(value: &mut Value, at: &Pointer, reference: String) {
    if let Some(Value::Object(object)) = value.pointer_mut(at.as_str()) {
        object.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// The 1-based line of the first `$ref` that says `reference`.
fn line_of_ref(text: &str, reference: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.contains("$ref") && line.contains(reference))
        .map(|index| index + 1)
}
