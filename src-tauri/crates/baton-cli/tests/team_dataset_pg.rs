//! `baton --workspace postgres://… funnel` keeps the team workspace's dataset in the
//! cache folder (`BATON_CACHE_DIR` here) and the next process reads it instead of every
//! record; a damaged one is ignored. Feature `pg-tests` (scripts/with-pg.sh).
mod common;

use baton_store::pg::testing::{admin_exec, TestDb};
use std::path::Path;

/// `baton --workspace URL ARGS…` keeping datasets in `cache`; it must succeed.
fn baton(url: &str, cache: &Path, args: &[&str]) -> String {
    String::from_utf8(common::baton_output_caching_in(url, cache, args).stdout).unwrap()
}

fn kept_files(cache: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn the_cli_keeps_a_team_workspaces_dataset_for_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, empty) = (dir.path().join("cache"), dir.path().join("empty"));
    let csv = dir.path().join("contacts.csv");
    let mut text = String::from(
        "Record ID,Lifecycle Stage,Contact owner,Original Source,Create Date,Became a Lead Date\n",
    );
    for i in 0..500 {
        text.push_str(&format!(
            "{i},Lead,Owner {},Source {},2025-01-02 10:00,2025-01-02 10:00\n",
            i % 7,
            i % 5
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let db = TestDb::new();
    let url = db.url.as_str();
    baton(url, &cache, &["init"]);
    baton(url, &cache, &["import", csv.to_str().unwrap()]);
    let funnel = ["funnel", "--by", "source", "--json"];
    let first = baton(url, &cache, &funnel);
    assert!(first.contains("Source 3"), "{first}");
    let kept = kept_files(&cache);
    assert_eq!(kept.len(), 1, "one file for the workspace: {kept:?}");
    assert!(
        !kept[0].to_string_lossy().contains(&db.name),
        "named by a hash"
    );

    // Every record's source changed behind Baton's back (no data version bump): the
    // next process answers from the kept dataset, without reading the records.
    admin_exec(&db.target, "UPDATE records SET source = 'Behind'").unwrap();
    assert_eq!(baton(url, &cache, &funnel), first);
    // Without a kept dataset it reads them.
    let loaded = baton(url, &empty, &funnel);
    assert!(
        loaded.contains("Behind") && !loaded.contains("Source 3"),
        "{loaded}"
    );

    // A damaged kept dataset is ignored (and rewritten from the records).
    let mut bytes = std::fs::read(&kept[0]).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    std::fs::write(&kept[0], &bytes).unwrap();
    assert_eq!(baton(url, &cache, &funnel), loaded);
    assert_eq!(baton(url, &cache, &funnel), loaded);
}
