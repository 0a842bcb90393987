//! `cargo xtask codegen`: regenerate the client crate, or check it is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use generator::{Config, FileChange};

/// The crates of this workspace `cargo xtask codegen` writes by default:
/// spec, directory, package name.
const DEFAULT_CRATES: [(&str, &str, &str); 2] = [
    ("spec/close-job.yaml", "generated", "close_job_client"),
    (
        "spec/jobrouter/communicationservicejobrouter.json",
        "generated/jobrouter",
        "job_router_client",
    ),
];

#[derive(clap::Args)]
pub struct Args {
    /// Exit non-zero, with a short diff, when the output differs from a
    /// fresh generation; write nothing.
    #[arg(long)]
    check: bool,
    /// The OpenAPI 3.0 or Swagger 2.0 document (YAML or JSON) to generate
    /// from; without it, this workspace's crates are generated from `spec/`.
    #[arg(long, value_name = "PATH", requires = "out")]
    spec: Option<PathBuf>,
    /// Where to write the crate; outside this workspace's generated crates
    /// it is a standalone crate (its own workspace).
    /// Without `--spec`, the Close Job spec is generated there.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The generated package's name (default: the spec's file name plus
    /// `_client`).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// The conventions the crate follows: `azure` (connection strings,
    /// access-key signing, x-ms-* headers), `plain` (credentials from the
    /// spec's securitySchemes only), or `auto` to detect them from the spec.
    #[arg(long, value_name = "azure|plain|auto", default_value = "auto")]
    profile: generator::ProfileChoice,
    /// The folder the spec's `$ref`s to other files must stay inside
    /// [default: the nearest ancestor of the spec holding `.git`, else one
    /// named `specification` (azure-rest-api-specs), else the spec's own
    /// folder].
    #[arg(long, value_name = "DIR")]
    spec_root: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace::repo_root();
    let targets: Vec<(PathBuf, PathBuf, Config)> = match (&args.spec, &args.out) {
        (spec, Some(out)) => {
            let spec = spec
                .clone()
                .unwrap_or_else(|| root.join(DEFAULT_CRATES[0].0));
            let spec = &spec;
            let in_workspace = DEFAULT_CRATES
                .iter()
                .any(|(_, dir, _)| same_dir(out, &root.join(dir)));
            let config = Config {
                spec_label: label(spec, &root),
                crate_name: match &args.crate_name {
                    Some(name) => name.clone(),
                    None => client_package_name(spec)?,
                },
                standalone: !in_workspace,
                profile: args.profile,
                spec_root: args.spec_root.clone(),
            };
            vec![(spec.clone(), out.clone(), config)]
        }
        _ => DEFAULT_CRATES
            .iter()
            .map(|(spec, out, name)| {
                let config = Config {
                    spec_label: (*spec).to_owned(),
                    crate_name: args
                        .crate_name
                        .clone()
                        .unwrap_or_else(|| (*name).to_owned()),
                    standalone: false,
                    profile: args.profile,
                    spec_root: args.spec_root.clone(),
                };
                (root.join(spec), root.join(out), config)
            })
            .collect(),
    };
    let mut fresh = true;
    for (spec, out, config) in &targets {
        fresh &= generate_one(&root, spec, out, config, args.check)?;
    }
    Ok(if fresh {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Generates one crate; with `check`, only compares and says whether it is
/// fresh.
fn generate_one(
    root: &Path,
    spec: &Path,
    out: &Path,
    config: &Config,
    check: bool,
) -> anyhow::Result<bool> {
    let files = generator::generate(spec, config)?;
    eprintln!("{}: {}", config.spec_label, files.profile());
    for warning in files.warnings() {
        eprintln!(
            "warning: {} at {}: {}",
            config.spec_label, warning.pointer, warning.message
        );
    }
    let shown_out = label(out, root);
    if check {
        let changes = files.compare(out)?;
        if changes.is_empty() {
            println!("{shown_out} is up to date with {}", config.spec_label);
            return Ok(true);
        }
        eprintln!(
            "{shown_out} is stale: it differs from a fresh generation from {}:",
            config.spec_label
        );
        for change in &changes {
            eprintln!("  {}", shown(change, &shown_out));
            if let FileChange::Updated { diff, .. } = change {
                eprint!("{diff}");
            }
        }
        eprintln!("run `cargo xtask codegen` to regenerate it");
        return Ok(false);
    }
    let changes = files.write(out)?;
    if changes.is_empty() {
        println!(
            "{shown_out} is up to date with {}: nothing to change",
            config.spec_label
        );
    } else {
        for change in &changes {
            println!("{}", shown(change, &shown_out));
        }
        println!("{} file(s) changed in {shown_out}", changes.len());
    }
    Ok(true)
}

/// "updated generated/src/client.rs": the change with its crate's directory.
fn shown(change: &FileChange, out: &str) -> String {
    format!("{} {out}/{}", change.verb(), change.path())
}

/// `path` relative to the repository when it is inside it, so generated
/// headers read the same on every machine.
fn label(path: &Path, root: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    absolute
        .strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

/// `close-job.yaml` → `close_job_client`.
fn client_package_name(spec: &Path) -> anyhow::Result<String> {
    let stem = spec.file_name().and_then(|s| s.to_str()).with_context(|| {
        format!(
            "{}: cannot derive a crate name; pass --crate-name",
            spec.display()
        )
    })?;
    Ok(crate::workspace::package_name(stem, "_client"))
}
