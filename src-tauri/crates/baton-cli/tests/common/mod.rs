//! Running the real `baton` binary from the CLI's integration tests.
#![allow(dead_code)] // each test file uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `baton --workspace WS ARGS…`, which must succeed (else the test fails with its stderr).
pub fn baton_output(ws: &Path, args: &[&str]) -> Output {
    baton_output_caching_in(ws, &cache_dir(), args)
}

/// [`baton_output`] of a workspace named by a path or an address, keeping team
/// workspaces' datasets in `cache`.
pub fn baton_output_caching_in(
    ws: impl AsRef<std::ffi::OsStr>,
    cache: &Path,
    args: &[&str],
) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .env("BATON_CACHE_DIR", cache)
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "baton {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Where the tests' `baton` keeps team workspaces' datasets (`BATON_CACHE_DIR`): under
/// the target dir, never the user's cache folder.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("team-datasets")
}

/// What `baton --workspace WS ARGS…` printed; it must succeed.
pub fn baton(ws: &Path, args: &[&str]) -> String {
    String::from_utf8(baton_output(ws, args).stdout).unwrap()
}

/// `baton --workspace WS ARGS… --json`, with where the workspace lives left out (a
/// file's path and name, a team database's address and name differ by design).
pub fn json_without_location(ws: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let mut v: serde_json::Value = serde_json::from_str(&baton(ws, &args)).unwrap();
    if let Some(info) = v.get_mut("info").and_then(serde_json::Value::as_object_mut) {
        info.remove("path");
        info.remove("name");
    }
    v
}

/// A file under this crate's `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of a PDF (`pdftotext -layout`), whitespace folded to single spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext installed (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
