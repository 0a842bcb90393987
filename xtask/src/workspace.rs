//! Where this repository is, and how a spec's path becomes a package name:
//! one rule for `codegen` and `corpus`.

use std::path::{Path, PathBuf};

/// The repository root: xtask lives one level below it.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Names Cargo refuses as packages, or that would shadow a directory of
/// the target folder.
const RESERVED: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "std",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "self",
    "super",
    "crate",
];

/// `oxide/propolis-server.json` + `suffix` → `oxide_propolis_server` +
/// `suffix`: the extension dropped, lowercase, runs of anything but ASCII
/// letters and digits as one `_`, and `spec_` in front when Cargo would
/// refuse the name (empty, a leading digit, reserved).
pub fn package_name(path: &str, suffix: &str) -> String {
    let without_extension = match path.rsplit_once('.') {
        Some((stem, extension)) if !extension.contains('/') => stem,
        _ => path,
    };
    let mut name = String::new();
    for c in without_extension.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = format!("{}{suffix}", name.trim_matches('_'));
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || RESERVED.contains(&name.as_str())
    {
        format!("spec_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_come_from_the_path() {
        assert_eq!(package_name("oxide/keeper.json", ""), "oxide_keeper");
        assert_eq!(
            package_name("azure-jobrouter-2023-11-01/openapi3.json", ""),
            "azure_jobrouter_2023_11_01_openapi3"
        );
        assert_eq!(
            package_name("oxide/propolis-server.json", ""),
            "oxide_propolis_server"
        );
        assert_eq!(package_name("Pet Store.YAML", ""), "pet_store");
        assert_eq!(package_name("2023/api.yml", ""), "spec_2023_api");
        assert_eq!(package_name("test.json", ""), "spec_test");
        assert_eq!(package_name("--.json", ""), "spec_");
        assert_eq!(package_name("v1.2/api", ""), "v1_2_api");
    }

    #[test]
    fn client_package_names_take_a_suffix() {
        assert_eq!(
            package_name("close-job.yaml", "_client"),
            "close_job_client"
        );
        assert_eq!(package_name("3d.yaml", "_client"), "spec_3d_client");
        assert_eq!(package_name("test.json", "_client"), "test_client");
        assert_eq!(package_name("a--b.json", "_client"), "a_b_client");
    }
}
