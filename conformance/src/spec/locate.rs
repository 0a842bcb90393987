//! Finds where each node of an OpenAPI document (YAML or JSON) sits in its source text, so findings can point at a line.

use std::collections::HashMap;

use generator::document::pointer::join;
use saphyr_parser::{Event, Parser, Span};

/// Where every node of a YAML or JSON document starts, by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    /// 1-based (line, column) by escaped JSON pointer; the root is `""`.
    by_pointer: HashMap<String, (usize, usize)>,
}

impl Locations {
    /// Never panics; a text that does not parse gives the positions read before the error (possibly none).
    ///
    /// JSON is read by the same parser because it is YAML 1.2 flow syntax; of a multi-document
    /// YAML stream only the first document counts, as that is what a spec loader reads.
    #[must_use]
    pub fn parse(text: &str) -> Locations {
        let mut walk = Walk::default();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            match event {
                Event::Scalar(value, ..) => {
                    walk.enter(Some(&value), span);
                }
                Event::Alias(_) => {
                    walk.enter(None, span);
                }
                Event::SequenceStart(..) => {
                    let pointer = walk.enter(None, span);
                    walk.stack.push(Frame::Sequence { pointer, next: 0 });
                }
                Event::MappingStart(..) => {
                    let pointer = walk.enter(None, span);
                    walk.stack.push(Frame::Mapping {
                        pointer,
                        expect: Expect::Key,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    walk.stack.pop();
                }
                Event::DocumentEnd | Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
            }
        }
        walk.locations
    }

    /// 1-based (line, column) of the node at `pointer`. For a mapping entry, the position of its key (what a reader looks for: the line of `closeAt:`); for a sequence item, the item's start; for the root (pointer "" or "/"), (1, 1) when the document is not empty.
    #[must_use]
    pub fn get(&self, pointer: &str) -> Option<(usize, usize)> {
        let pointer = if pointer == "/" { "" } else { pointer };
        self.by_pointer.get(pointer).copied()
    }
}

/// The state of a walk through the parser's events: what is recorded so far and the open containers.
#[derive(Default)]
struct Walk {
    /// The result being built.
    locations: Locations,
    /// The containers entered and not yet left, innermost last.
    stack: Vec<Frame>,
}

/// An open container; its `pointer` is `None` inside a non-scalar mapping key, which has no pointer.
enum Frame {
    /// A sequence, with the index its next item gets.
    Sequence {
        pointer: Option<String>,
        next: usize,
    },
    /// A mapping, with whether its next node is a key or the value of the key just read.
    Mapping {
        pointer: Option<String>,
        expect: Expect,
    },
}

/// Which half of a mapping entry comes next, because keys and values are separate events.
enum Expect {
    /// A key, which gives the entry its pointer and position.
    Key,
    /// The value of the key just read, with the pointer that key gave it (`None` for a non-scalar key).
    Value(Option<String>),
}

impl Walk {
    /// Places the node that starts at `span` (with `scalar` its text when it is a scalar) in the
    /// current container, records its position, and returns its pointer for a container to carry.
    fn enter(&mut self, scalar: Option<&str>, span: Span) -> Option<String> {
        let at = (span.start.line(), span.start.col() + 1);
        let (pointer, recorded) = match self.stack.last_mut() {
            None => (Some(String::new()), Some((String::new(), (1, 1)))),
            Some(Frame::Sequence { pointer, next }) => {
                let item = pointer.as_ref().map(|parent| join(parent, &next));
                *next += 1;
                (item.clone(), item.map(|item| (item, at)))
            }
            Some(Frame::Mapping { pointer, expect }) => {
                match std::mem::replace(expect, Expect::Key) {
                    // The entry was recorded at its key; the value only inherits the pointer.
                    Expect::Value(entry) => (entry, None),
                    Expect::Key => {
                        let entry = pointer
                            .as_ref()
                            .zip(scalar)
                            .map(|(parent, key)| join(parent, key));
                        *expect = Expect::Value(entry.clone());
                        (None, entry.map(|entry| (entry, at)))
                    }
                }
            }
        };
        if let Some((pointer, at)) = recorded {
            self.locations.by_pointer.insert(pointer, at);
        }
        pointer
    }
}

#[cfg(test)]
mod tests {
    use super::Locations;

    /// Nested mappings, a sequence, keys needing `~1` and `~0`, an anchor with its alias, a block scalar.
    const YAML: &str = "\
# a comment first
info:
  title: Demo
  \"a/b\": 1
  c~d: &list
    - one
    - k: v
      k2: [x, y]
  again: *list
  desc: >-
    folded
    text
  after: 2
";

    /// The same content as JSON on several lines.
    const JSON: &str = r#"{
  "info": {
    "title": "Demo",
    "a/b": 1,
    "c~d": [
      "one",
      {"k": "v", "k2": ["x", "y"]}
    ]
  }
}
"#;

    #[test]
    fn yaml_positions() {
        let locations = Locations::parse(YAML);
        assert_eq!(locations.get(""), Some((1, 1)));
        assert_eq!(locations.get("/"), Some((1, 1)));
        assert_eq!(locations.get("/info"), Some((2, 1)));
        assert_eq!(locations.get("/info/title"), Some((3, 3)));
        assert_eq!(locations.get("/info/a~1b"), Some((4, 3)));
        assert_eq!(locations.get("/info/c~0d"), Some((5, 3)));
        assert_eq!(locations.get("/info/c~0d/0"), Some((6, 7)));
        assert_eq!(locations.get("/info/c~0d/1"), Some((7, 7)));
        assert_eq!(locations.get("/info/c~0d/1/k2"), Some((8, 7)));
        assert_eq!(locations.get("/info/c~0d/1/k2/1"), Some((8, 15)));
        assert_eq!(locations.get("/info/again"), Some((9, 3)));
        assert_eq!(locations.get("/info/desc"), Some((10, 3)));
        assert_eq!(locations.get("/info/after"), Some((13, 3)));
    }

    #[test]
    fn missing_pointers_are_none() {
        let locations = Locations::parse(YAML);
        assert_eq!(locations.get("/info/missing"), None);
        assert_eq!(locations.get("/info/c~0d/2"), None);
        // Unescaped spellings do not match, and an alias is not followed into its anchor.
        assert_eq!(locations.get("/info/c~d"), None);
        assert_eq!(locations.get("/info/again/0"), None);
        // Values have no entry of their own, only their keys do.
        assert_eq!(locations.get("/info/title/Demo"), None);
    }

    #[test]
    fn json_on_several_lines() {
        let locations = Locations::parse(JSON);
        assert_eq!(locations.get(""), Some((1, 1)));
        assert_eq!(locations.get("/info"), Some((2, 3)));
        assert_eq!(locations.get("/info/title"), Some((3, 5)));
        assert_eq!(locations.get("/info/a~1b"), Some((4, 5)));
        assert_eq!(locations.get("/info/c~0d"), Some((5, 5)));
        assert_eq!(locations.get("/info/c~0d/0"), Some((6, 7)));
        assert_eq!(locations.get("/info/c~0d/1"), Some((7, 7)));
        assert_eq!(locations.get("/info/c~0d/1/k2"), Some((7, 18)));
        assert_eq!(locations.get("/info/c~0d/1/k2/1"), Some((7, 30)));
        assert_eq!(locations.get("/info/missing"), None);
    }

    #[test]
    fn json_on_one_line() {
        let text = r#"{"info":{"title":"Demo","a/b":1,"c~d":["one",{"k":"v","k2":["x","y"]}]}}"#;
        let locations = Locations::parse(text);
        assert_eq!(locations.get(""), Some((1, 1)));
        assert_eq!(locations.get("/info"), Some((1, 2)));
        assert_eq!(locations.get("/info/title"), Some((1, 10)));
        assert_eq!(locations.get("/info/a~1b"), Some((1, 25)));
        assert_eq!(locations.get("/info/c~0d"), Some((1, 33)));
        assert_eq!(locations.get("/info/c~0d/0"), Some((1, 40)));
        assert_eq!(locations.get("/info/c~0d/1"), Some((1, 46)));
        assert_eq!(locations.get("/info/c~0d/1/k2/1"), Some((1, 65)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let locations = Locations::parse("é: 1\nname: \"ü\"\nlist: [ä, b]\n");
        assert_eq!(locations.get("/é"), Some((1, 1)));
        assert_eq!(locations.get("/list/1"), Some((3, 11)));
    }

    #[test]
    fn only_the_first_document_counts() {
        let locations = Locations::parse("a: 1\n---\nb: 2\n");
        assert_eq!(locations.get("/a"), Some((1, 1)));
        assert_eq!(locations.get("/b"), None);
    }

    #[test]
    fn non_scalar_keys_are_skipped() {
        let locations = Locations::parse("? [x, y]\n: value\nz: 1\n");
        assert_eq!(locations.get("/z"), Some((3, 1)));
        assert_eq!(locations.get("/0"), None);
        assert_eq!(locations.get("/value"), None);
    }

    #[test]
    fn empty_text_has_no_root() {
        assert_eq!(Locations::parse("").get(""), None);
        assert_eq!(Locations::parse("# only a comment\n").get(""), None);
    }

    #[test]
    fn invalid_text_keeps_what_was_read() {
        let locations = Locations::parse("a: 1\nb: [unclosed\nc: 3\n");
        assert_eq!(locations.get("/a"), Some((1, 1)));
        assert_eq!(locations.get("/c"), None);
        assert_eq!(Locations::parse("{\"a\": 1,").get("/a"), Some((1, 2)));
        assert_eq!(Locations::parse(": : :\n\t- ]").get("/x"), None);
    }

    /// A text cut anywhere (a file still being written, a truncated
    /// download) gives positions inside what was read, and a node that
    /// starts before the cut line keeps the position the whole text gives.
    #[test]
    fn every_prefix_gives_positions_inside_it_and_agrees_with_the_whole() {
        for text in [YAML, JSON] {
            let whole = Locations::parse(text);
            for (end, _) in text.char_indices() {
                let prefix = &text[..end];
                let lines: Vec<&str> = prefix.split('\n').collect();
                for (pointer, &(line, column)) in &Locations::parse(prefix).by_pointer {
                    let inside = line < lines.len()
                        || (line == lines.len() && column <= lines[line - 1].chars().count() + 1);
                    assert!(inside, "{pointer} at {line}:{column} in {prefix:?}");
                    // A node starting on the cut line may be cut itself (`-`
                    // with its item not written yet); earlier ones are whole.
                    if line < lines.len()
                        && let Some(position) = whole.get(pointer)
                    {
                        assert_eq!(position, (line, column), "{pointer} in {prefix:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn close_job_spec() {
        let locations = Locations::parse(include_str!("../../../spec/close-job.yaml"));
        assert_eq!(
            locations.get("/paths/~1routing~1jobs~1{jobId}~1assignments~1{assignmentId}:close/post/responses/200"),
            Some((67, 9))
        );
        assert_eq!(
            locations.get("/components/schemas/CloseJobOptions/properties/closeAt"),
            Some((142, 9))
        );
    }
}
