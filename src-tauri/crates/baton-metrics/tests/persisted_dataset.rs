//! The dataset persisted beside the workspace (`<file>.dataset`) is a cache: used only
//! when built at the workspace's data version and whole, rebuilt otherwise, and the
//! figures from it are those of a fresh load.

use baton_metrics::persist::cache_path;
use baton_metrics::{funnel, Dataset, FunnelQuery};
use baton_store::prelude::*;
use baton_store::{StoredRecord, Workspace};

fn records(from: i64, n: i64) -> Vec<StoredRecord> {
    (from..from + n)
        .map(|i| StoredRecord {
            kind: "contact".into(),
            external_id: format!("C{i}"),
            current_stage: Some(["lead", "mql", "sql"][i as usize % 3].into()),
            stage_dates: vec![("lead".into(), 1_700_000_000 + i * 3600)],
            source: Some(["Google", "google", "Event"][i as usize % 3].into()),
            ..StoredRecord::default()
        })
        .collect()
}

fn by_source() -> FunnelQuery {
    FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    }
}

fn same_figures(ws: &Workspace) -> usize {
    let opened = Dataset::open(ws).unwrap();
    let fresh = Dataset::load(ws).unwrap();
    assert_eq!(
        funnel(&opened, &by_source()).unwrap(),
        funnel(&fresh, &by_source()).unwrap()
    );
    opened.len()
}

#[test]
fn the_persisted_dataset_is_used_only_while_it_matches_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    let ws = Workspace::create(&path).unwrap();
    ws.insert_records_unchecked("a.csv", 1000, &records(0, 30))
        .unwrap();
    let cache = cache_path(&path);
    assert!(!cache.exists());
    assert_eq!(same_figures(&ws), 30);
    assert!(cache.exists(), "the first open persists the dataset");
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();

    // The next open reads it (the file is not rewritten).
    assert_eq!(same_figures(&ws), 30);
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written
    );

    // Stale: a write bumped the data version; the records are read again.
    ws.insert_records_unchecked("b.csv", 2000, &records(30, 12))
        .unwrap();
    assert_eq!(same_figures(&ws), 42);

    // Damaged: one byte flipped in the body; rebuilt and rewritten whole.
    let mut bytes = std::fs::read(&cache).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 0xff;
    std::fs::write(&cache, &bytes).unwrap();
    assert_eq!(same_figures(&ws), 42);
    assert_ne!(std::fs::read(&cache).unwrap(), bytes, "rewritten");

    // Another workspace's file at the same data version: its records do not count.
    let other_path = dir.path().join("other.baton");
    let other = Workspace::create(&other_path).unwrap();
    other
        .insert_records_unchecked("a.csv", 1000, &records(0, 5))
        .unwrap();
    other
        .insert_records_unchecked("b.csv", 2000, &records(5, 5))
        .unwrap();
    assert_eq!(other.data_version().unwrap(), ws.data_version().unwrap());
    assert_eq!(Dataset::open(&other).unwrap().len(), 10);
    std::fs::copy(cache_path(&other_path), &cache).unwrap();
    assert_eq!(same_figures(&ws), 42);
}
