#![allow(dead_code)]
use baton_core::{Cancel, Result};
use baton_import::{import_bytes, import_file, ImportOptions, ImportSummary};
use baton_store::Workspace;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `../shared/data/...` relative to the repository root.
pub fn shared_data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data")
        .join(rel)
}

pub fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    (dir, ws)
}

pub fn import(ws: &mut Workspace, path: &Path, opts: &ImportOptions) -> Result<ImportSummary> {
    import_file(ws, path, opts, &mut |_| {}, &Cancel::new())
}

pub fn import_text(
    ws: &mut Workspace,
    name: &str,
    text: &str,
    opts: &ImportOptions,
) -> Result<ImportSummary> {
    import_bytes(ws, name, text.as_bytes(), opts, &mut |_| {}, &Cancel::new())
}

/// Wall-clock seconds of `YYYY-MM-DD HH:MM`.
pub fn at(s: &str) -> i64 {
    baton_import::parse_wall_clock(s).unwrap()
}

/// SHA-256 hex of `s` as is (how a record key made of personal columns is stored).
pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
