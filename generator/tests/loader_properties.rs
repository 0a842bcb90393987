//! Properties of the whole pipeline (load, lower, emit) on outside input:
//! the repository's real specs, mutated value by value (deleted, replaced,
//! duplicated, retyped) and byte by byte (truncated, inserted, overwritten),
//! either generate a crate or are refused with an error naming the file.
//! Never a panic, never a hang.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

/// Far more than any of these specs needs; past it, the case is a hang.
const HANG: Duration = Duration::from_secs(20);
/// The stack of the `xtask` binary's main thread, which runs the generator.
const STACK: usize = 8 << 20;

fn seed(relative: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(&path).expect("seed spec in the repository");
    (path, text)
}

fn parse(path: &Path, text: &str) -> Value {
    if path.extension().is_some_and(|ext| ext == "json") {
        serde_json::from_str(text).expect("seed is JSON")
    } else {
        serde_yaml::from_str(text).expect("seed is YAML")
    }
}

fn write_like(seed: &Path, value: &Value) -> Vec<u8> {
    if seed.extension().is_some_and(|ext| ext == "json") {
        value.to_string().into_bytes()
    } else {
        serde_yaml::to_string(value)
            .unwrap_or_else(|_| value.to_string())
            .into_bytes()
    }
}

/// Runs the whole pipeline on `bytes` written as `file`; fails the case on
/// a panic, a hang, or an error that does not name the file.
fn generate_names_the_file_on_refusal(file: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    std::fs::write(file, bytes).map_err(|e| TestCaseError::fail(format!("write: {e}")))?;
    let (send, receive) = mpsc::channel();
    let path = file.to_path_buf();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let config = generator::Config {
                spec_label: "mutated".to_owned(),
                crate_name: "mutated".to_owned(),
                standalone: true,
                profile: generator::ProfileChoice::Auto,
                spec_root: None,
            };
            let result = generator::generate(&path, &config).map(|_| ());
            let _ = send.send(result.map_err(|error| error.to_string()));
        })
        .map_err(|e| TestCaseError::fail(format!("spawn: {e}")))?;
    let keep = || {
        let copy = std::env::temp_dir().join("loader-properties-failing-case");
        let _ = std::fs::write(&copy, bytes);
        copy.display().to_string()
    };
    match receive.recv_timeout(HANG) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) if message.contains(&file.display().to_string()) => Ok(()),
        Ok(Err(message)) => Err(TestCaseError::fail(format!(
            "the refusal does not name the file: {message} (document kept at {})",
            keep()
        ))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "no result within {HANG:?} (document kept at {})",
            keep()
        ))),
        // The sender was dropped without a result: the generator panicked
        // (its message is on stderr above).
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(TestCaseError::fail(format!(
            "the generator panicked (document kept at {})",
            keep()
        ))),
    }
}

// ----- value mutations -----

/// One change to a document, at places chosen among all of its values.
#[derive(Debug, Clone)]
enum Edit {
    Delete(Index),
    Replace(Index, Value),
    Duplicate { from: Index, to: Index },
    Retype(Index),
}

/// Values a hostile document might hold where another was expected.
fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "", "self", "Self", "123abc", "9", "type", "{id}", "/", "#", "*/", "a\nb", "\"", "\\",
            "3.1.0", "2.0", "object", "array", "string", "integer",
        ])
        .prop_map(Value::from),
        Just(json!({})),
        Just(json!([])),
        prop::sample::select(vec![
            "#",
            "#/paths",
            "#/components/schemas/Missing",
            "#/components/schemas",
            "#/definitions/Missing",
            "other.yaml#/x",
            "",
        ])
        .prop_map(|target| json!({"$ref": target})),
        Just(json!({"type": "object", "properties": {"self": {"type": "string"}}})),
        Just(json!({"allOf": [{"$ref": "#/components/schemas/Missing"}]})),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Delete),
        3 => (any::<Index>(), replacement()).prop_map(|(at, value)| Edit::Replace(at, value)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Edit::Duplicate { from, to }),
        1 => any::<Index>().prop_map(Edit::Retype),
    ]
}

/// Every JSON pointer in `value`, the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// The pointer `at` chooses among `all`.
fn pick<'a>(at: &Index, all: &'a [String]) -> &'a str {
    at.get(all).as_str()
}

fn apply(document: &mut Value, edit: &Edit) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    match edit {
        Edit::Delete(at) => {
            let pointer = pick(at, &all);
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                return;
            };
            let key = last.replace("~1", "/").replace("~0", "~");
            match document.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        Edit::Replace(at, value) => {
            if let Some(target) = document.pointer_mut(pick(at, &all)) {
                *target = value.clone();
            }
        }
        Edit::Duplicate { from, to } => {
            let copy = document.pointer(pick(from, &all)).cloned();
            if let (Some(copy), Some(target)) = (copy, document.pointer_mut(pick(to, &all))) {
                *target = copy;
            }
        }
        Edit::Retype(at) => {
            if let Some(target) = document.pointer_mut(pick(at, &all)) {
                *target = retyped(target);
            }
        }
    }
}

/// The same content as another JSON type.
fn retyped(value: &Value) -> Value {
    match value {
        Value::Null => json!({}),
        Value::Bool(b) => Value::from(b.to_string()),
        Value::Number(n) => Value::from(n.to_string()),
        Value::String(s) => s.parse::<f64>().map_or(json!([s]), Value::from),
        Value::Array(items) => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (i.to_string(), item.clone()))
                .collect(),
        ),
        Value::Object(map) => Value::Array(map.values().cloned().collect()),
    }
}

// ----- byte mutations -----

#[derive(Debug, Clone)]
enum Cut {
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Overwrite(Index, u8),
}

/// Mostly text (so most documents still parse, and the deeper steps are
/// reached), sometimes any bytes.
fn cut() -> impl Strategy<Value = Cut> {
    let inserted = prop_oneof![
        3 => "\\PC{1,6}".prop_map(String::into_bytes),
        2 => prop::sample::select(vec![
            b"{".to_vec(),
            b"[".to_vec(),
            b"\"".to_vec(),
            b"\n  ".to_vec(),
            b": ".to_vec(),
            b"&a ".to_vec(),
            b"*a".to_vec(),
            b"\t".to_vec(),
            b"\xef\xbb\xbf".to_vec(),
            b"\\u0000".to_vec(),
            b"---\n".to_vec(),
        ]),
        1 => prop::collection::vec(any::<u8>(), 1..8),
    ];
    let byte = prop_oneof![4 => 0x20u8..0x7f, 1 => any::<u8>()];
    prop_oneof![
        any::<Index>().prop_map(Cut::Truncate),
        (any::<Index>(), inserted).prop_map(|(at, bytes)| Cut::Insert(at, bytes)),
        (any::<Index>(), byte).prop_map(|(at, byte)| Cut::Overwrite(at, byte)),
    ]
}

fn apply_cut(bytes: &mut Vec<u8>, cut: &Cut) {
    if bytes.is_empty() {
        return;
    }
    match cut {
        Cut::Truncate(at) => bytes.truncate(at.index(bytes.len())),
        Cut::Insert(at, inserted) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, inserted.iter().copied());
        }
        Cut::Overwrite(at, byte) => {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
    }
}

// ----- the properties -----

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// `cases` documents made by 1 to 4 value edits of the seed.
fn check_value_edits(relative: &str, cases: u32) {
    let (path, text) = seed(relative);
    let document = parse(&path, &text);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(path.file_name().expect("file name"));
    let result = runner(cases).run(&prop::collection::vec(edit(), 1..=4), |edits| {
        let mut mutated = document.clone();
        for edit in &edits {
            apply(&mut mutated, edit);
        }
        generate_names_the_file_on_refusal(&file, &write_like(&path, &mutated))
    });
    if let Err(failure) = result {
        panic!("{relative}: {failure}");
    }
}

/// `cases` documents made by 1 to 4 byte changes of the seed's text.
fn check_byte_cuts(relative: &str, cases: u32) {
    let (path, text) = seed(relative);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(path.file_name().expect("file name"));
    let result = runner(cases).run(&prop::collection::vec(cut(), 1..=4), |cuts| {
        let mut bytes = text.as_bytes().to_vec();
        for cut in &cuts {
            apply_cut(&mut bytes, cut);
        }
        generate_names_the_file_on_refusal(&file, &bytes)
    });
    if let Err(failure) = result {
        panic!("{relative}: {failure}");
    }
}

#[test]
fn close_job_spec_with_values_edited() {
    check_value_edits("spec/close-job.yaml", 256);
}

#[test]
fn close_job_spec_with_bytes_changed() {
    check_byte_cuts("spec/close-job.yaml", 256);
}

#[test]
fn shapes_spec_with_values_edited() {
    check_value_edits("generator/tests/specs/shapes.yaml", 256);
}

#[test]
fn shapes_spec_with_bytes_changed() {
    check_byte_cuts("generator/tests/specs/shapes.yaml", 256);
}

#[test]
fn job_router_swagger_with_values_edited() {
    check_value_edits("spec/jobrouter/communicationservicejobrouter.json", 64);
}

#[test]
fn job_router_swagger_with_bytes_changed() {
    check_byte_cuts("spec/jobrouter/communicationservicejobrouter.json", 64);
}
