//! Typed resources with their version: the ETag and Last-Modified every
//! upsert checks and renews, merge-patch on the JSON form, and paging.

use indexmap::IndexMap;
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::State;
use super::refusal::Refusal;

/// A resource as stored: the typed model (its `etag` field included) and
/// when it last changed.
#[derive(Debug, Clone)]
pub struct Stored<T> {
    pub resource: T,
    pub last_modified: Timestamp,
}

/// One kind of resource, in the order they were created.
pub type Store<T> = IndexMap<String, Stored<T>>;

/// The preconditions an upsert may carry.
#[derive(Debug, Clone, Default)]
pub struct Preconditions {
    pub if_match: Option<String>,
    /// Parsed (and refused when it is no HTTP-date) by the generated decoder.
    pub if_unmodified_since: Option<Timestamp>,
}

impl Preconditions {
    /// Refuses with 412 when the current version (`None`: no resource)
    /// does not satisfy the request's `If-Match` / `If-Unmodified-Since`.
    pub fn check(&self, current: Option<(&str, Timestamp)>) -> Result<(), Refusal> {
        let failed = |message: String| Refusal::new(412, "PreconditionFailed", message);
        if let Some(expected) = &self.if_match {
            match current {
                None => {
                    return Err(failed(format!(
                        "If-Match is `{expected}` but the resource does not exist."
                    )));
                }
                Some((etag, _)) if expected != "*" && expected != etag => {
                    return Err(failed(format!(
                        "If-Match is `{expected}` but the resource's ETag is `{etag}`."
                    )));
                }
                Some(_) => {}
            }
        }
        if let (Some(since), Some((_, modified))) = (self.if_unmodified_since, current) {
            // HTTP dates have whole seconds.
            if modified.as_second() > since.as_second() {
                return Err(failed(format!(
                    "The resource was modified at {modified}, after If-Unmodified-Since."
                )));
            }
        }
        Ok(())
    }
}

impl State {
    /// What every upsert checks first: `id` is one the service accepts
    /// (refused as `target`) and the version `current` reads (ETag,
    /// Last-Modified; `None`: no resource yet) satisfies the preconditions.
    /// Answers the upserted resource's ETag and whether it is created.
    pub fn open_upsert(
        &mut self,
        id: &str,
        target: &'static str,
        preconditions: &Preconditions,
        current: impl FnOnce(&State) -> Option<(&str, Timestamp)>,
    ) -> Result<(String, bool), Refusal> {
        check_id(id, target)?;
        let etag = self.next_etag();
        let version = current(self);
        preconditions.check(version)?;
        Ok((etag, version.is_none()))
    }
}

/// The refusal for an id the service would not accept.
fn check_id(id: &str, target: &'static str) -> Result<(), Refusal> {
    let valid = !id.is_empty()
        && id.len() <= 256
        && !id
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '/' | '?' | '#' | '%'));
    if valid {
        Ok(())
    } else {
        Err(Refusal::invalid(
            format!(
                "`{id}` is not a valid id: 1 to 256 characters, no whitespace, control \
                 characters, `/`, `?`, `#` or `%`."
            ),
            target,
        ))
    }
}

/// Applies an RFC 7386 merge patch: objects merge key by key, `null`
/// removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// `current` (or nothing) with `patch` merged in and `fixed` (id, etag,
/// read-only fields) written over it, read back as the typed model, with
/// its size as JSON (what [`super::budget::Budget`] charges): a result the
/// model refuses is a 400 naming the field.
pub fn patched<T: Serialize + DeserializeOwned>(
    current: Option<&T>,
    patch: &Value,
    fixed: &[(&str, Value)],
) -> Result<(T, usize), Refusal> {
    let mut document = match current {
        Some(current) => serde_json::to_value(current).unwrap_or(Value::Null),
        None => Value::Object(serde_json::Map::new()),
    };
    merge_patch(&mut document, patch);
    if let Value::Object(object) = &mut document {
        for (key, value) in fixed {
            if value.is_null() {
                object.remove(*key);
            } else {
                object.insert((*key).to_owned(), value.clone());
            }
        }
    }
    let json_bytes = json_len(&document);
    let resource = serde_path_to_error::deserialize(document).map_err(|e| {
        Refusal::new(
            400,
            "InvalidRequestBody",
            format!(
                "The merged resource is not valid at `{}`: {}",
                e.path(),
                e.inner()
            ),
        )
    })?;
    Ok((resource, json_bytes))
}

/// The length of `value` as compact JSON, counted without building the
/// text.
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(bytes.len());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // A `Value` always serializes; were that to change, the size is
    // counted as unbounded and the change refused rather than let through.
    serde_json::to_writer(&mut count, value).map_or(usize::MAX, |()| count.0)
}

/// One page of `items`: `start` is the continuation token's offset; the
/// next page's token, if any, is returned with it.
pub fn page<T: Clone>(items: &[T], start: usize, size: Option<i32>) -> (Vec<T>, Option<usize>) {
    let size = size
        .and_then(|s| usize::try_from(s).ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_PAGE);
    let start = start.min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let next = (end < items.len()).then_some(end);
    (items[start..end].to_vec(), next)
}

/// Items per page when the client names no `maxpagesize`.
const DEFAULT_PAGE: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The examples of RFC 7386, appendix A.
    #[test]
    fn merge_patch_follows_the_rfc_7386_examples() {
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (
                json!({"a": "b", "b": "c"}),
                json!({"a": null}),
                json!({"b": "c"}),
            ),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a": "b"}), json!(["c"]), json!(["c"])),
            (json!({"a": "foo"}), json!(null), json!(null)),
            (json!({"a": "foo"}), json!("bar"), json!("bar")),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!([1, 2]),
                json!({"a": "b", "c": null}),
                json!({"a": "b"}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (target, patch, expected) in cases {
            let mut merged = target.clone();
            merge_patch(&mut merged, &patch);
            assert_eq!(merged, expected, "{target} + {patch}");
        }
    }

    #[test]
    fn pages_split_at_the_size_and_name_the_next_offset() {
        let items: Vec<u32> = (0..5).collect();
        assert_eq!(page(&items, 0, Some(2)), (vec![0, 1], Some(2)));
        assert_eq!(page(&items, 4, Some(2)), (vec![4], None));
        assert_eq!(page(&items, 9, Some(2)), (vec![], None));
        assert_eq!(page(&items, 0, Some(0)), (items.clone(), None));
        assert_eq!(page(&items, 0, Some(-3)), (items, None));
    }
}
