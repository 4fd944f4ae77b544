//! Shared by the service tests: a workspace with a service on it, small CRM files.
#![allow(dead_code)]
use baton_import::{ImportOptions, Profile};
use baton_service::{Change, Service};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

/// A new empty workspace in a temp dir and a service bound to it.
pub fn service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    (dir, Service::for_file(&path))
}

/// A CRM export of `n` leads (ids `from..from + n`), half of them MQLs.
pub fn leads_file(dir: &Path, name: &str, from: usize, n: usize) -> PathBuf {
    let mut text = String::from("Id,Status,Created,Source\n");
    for i in from..from + n {
        let status = if i % 2 == 0 { "New" } else { "Qualified" };
        text.push_str(&format!("{i},{status},2025-01-{:02},Google\n", 1 + i % 28));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn leads_profile() -> ImportOptions {
    let p = Profile::from_json(
        r#"{"name": "crm", "kind": "lead", "record_id": "Id", "stage_column": "Status",
            "stage_values": {"New": "lead", "Qualified": "mql"}, "created_date": "Created",
            "fields": {"source": "Source"}}"#,
    )
    .unwrap();
    ImportOptions {
        profile: Some(p),
        ..Default::default()
    }
}

/// Everything published so far.
pub fn drain(feed: &Receiver<Change>) -> Vec<Change> {
    feed.try_iter().collect()
}
