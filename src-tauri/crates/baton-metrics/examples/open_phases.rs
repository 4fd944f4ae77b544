//! Where a cold open of a workspace goes: `cargo run --release -p baton-metrics
//! --example open_phases -- W.baton` reads the persisted dataset beside W, extends it
//! when imports wrote since, and times each step (nothing is written).
use baton_metrics::persist::{cache_path, read};
use baton_metrics::{funnel, Dataset, FunnelQuery};
use baton_store::prelude::*;
use baton_store::Workspace;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: open_phases W.baton");
    let t = Instant::now();
    let ws = Workspace::open(path.as_ref()).unwrap();
    let version = ws.data_version().unwrap();
    eprintln!("open + data version: {:?}", t.elapsed());
    let t = Instant::now();
    let kept = read(&cache_path(path.as_ref())).expect("a persisted dataset");
    eprintln!(
        "read {} records at version {}: {:?}",
        kept.len(),
        kept.version,
        t.elapsed()
    );
    let t = Instant::now();
    let n = ws.record_count().unwrap();
    eprintln!("record count {n}: {:?}", t.elapsed());
    let ds = if kept.version == version {
        kept
    } else {
        let t = Instant::now();
        let imports = ws
            .imports_since(kept.version)
            .unwrap()
            .expect("only imports");
        eprintln!("imports since: {:?}", t.elapsed());
        let t = Instant::now();
        let ds = kept
            .extended(&ws, &imports, version)
            .unwrap()
            .expect("extended");
        eprintln!("extended to {} records: {:?}", ds.len(), t.elapsed());
        ds
    };
    let t = Instant::now();
    let q = FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    };
    funnel(&ds, &q).unwrap();
    eprintln!("funnel by source: {:?}", t.elapsed());
    let _ = Dataset::len(&ds);
}
