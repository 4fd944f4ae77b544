//! A dataset extended with what later imports wrote (inserted records appended, updated
//! ones replaced, stages first seen by a snapshot) is exactly a fresh load: every column,
//! every count, every figure. Compared through the persisted form, which writes every
//! field of the dataset (hash maps in sorted order).

use baton_core::Cancel;
use baton_import::{import_bytes, ImportOptions, Profile};
use baton_metrics::persist::{cache_path, read, write};
use baton_metrics::{funnel, quality, Dataset, DatasetCache, Filters, FunnelQuery};
use baton_store::prelude::*;
use baton_store::Workspace;

fn import(ws: &mut Workspace, name: &str, csv: &str) -> i64 {
    let profile = Profile::from_json(
        r#"{"kind": "contact", "record_id": "Id", "stage_column": "Status",
            "stage_values": {"New": "lead", "Engaged": "mql", "Qualified": "sql", "Won": "customer", "Lost": "lost"},
            "stage_dates": {"lead": "Lead date", "sql": "SQL date"},
            "fields": {"source": "Source", "owner": "Owner", "Score": "Score"}}"#,
    )
    .unwrap();
    let opts = ImportOptions {
        profile: Some(profile),
        ..Default::default()
    };
    import_bytes(ws, name, csv.as_bytes(), &opts, &mut |_| {}, &Cancel::new())
        .unwrap()
        .import_id
}

const HEADER: &str = "Id,Status,Source,Owner,Score,Lead date,SQL date\n";

fn first_file() -> String {
    let mut csv = String::from(HEADER);
    for i in 0..40 {
        let status = ["New", "Engaged", "Qualified", "Lost"][i % 4];
        let source = ["Google", "google", "Event", "GOOGLE "][i % 4];
        let sql = if i % 4 == 2 { "2025-03-10" } else { "" };
        csv.push_str(&format!(
            "C{i},{status},{source},Owner {},{},2025-01-{:02},{sql}\n",
            i % 3,
            i * 7 % 11,
            i % 28 + 1
        ));
    }
    csv
}

/// Updates (a stage moved on without a date: first seen by this import's snapshot; a
/// spelling changed; a record unchanged), and new records.
fn second_file() -> String {
    let mut csv = String::from(HEADER);
    csv.push_str("C0,Engaged,Google,Owner 0,0,2025-01-01,\n"); // lead → mql, no date
    csv.push_str("C1,Won,Referral,Owner 1,7,2025-01-02,2025-04-01\n"); // won, new source
    csv.push_str("C2,Qualified,Event,Owner 2,3,2025-01-03,2025-03-10\n"); // as before
    csv.push_str("C5,Engaged,Google,Owner 9,,2025-01-06,\n"); // spelling, owner, score gone
    for i in 40..55 {
        csv.push_str(&format!(
            "C{i},{},{},Owner {},,2025-02-{:02},\n",
            ["New", "Engaged"][i % 2],
            ["google", "Partner"][i % 2],
            i % 4,
            i % 28 + 1
        ));
    }
    csv
}

fn bytes(ds: &Dataset, dir: &std::path::Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    write(ds, &path).unwrap();
    std::fs::read(path).unwrap()
}

fn by_source() -> FunnelQuery {
    FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    }
}

#[test]
fn an_extended_dataset_is_a_fresh_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    import(&mut ws, "first.csv", &first_file());
    let before = Dataset::load(&ws).unwrap();
    assert_eq!(before.len(), 40);
    let since = ws.data_version().unwrap();

    let second = import(&mut ws, "second.csv", &second_file());
    let third = import(&mut ws, "third.csv", &format!("{HEADER}C3,Qualified,google,Owner 0,1,2025-01-04,\nC60,New,Event,Owner 1,2,2025-03-01,\nc7,New,Event,Owner 1,2,2025-03-02,\n"));
    let imports = ws
        .imports_since(since)
        .unwrap()
        .expect("only imports since");
    assert_eq!(imports, vec![second, third]);
    let version = ws.data_version().unwrap();
    let extended = before
        .extended(&ws, &imports, version)
        .unwrap()
        .expect("applied row by row");
    let fresh = Dataset::load(&ws).unwrap();
    assert_eq!(extended.len(), 57, "updated records replaced, not added");
    assert!(
        extended.id_variant_groups.contains(&vec![7, 56]),
        "a new c7 groups with C7: {:?}",
        extended.id_variant_groups
    );
    assert_eq!(
        bytes(&extended, dir.path(), "a"),
        bytes(&fresh, dir.path(), "b")
    );
    assert_eq!(
        funnel(&extended, &by_source()).unwrap(),
        funnel(&fresh, &by_source()).unwrap()
    );
    assert_eq!(
        quality(&extended, &Filters::default()).unwrap(),
        quality(&fresh, &Filters::default()).unwrap()
    );
    // C0 reached mql by the second import's snapshot (no date in the file).
    let row = fresh.ids.iter().position(|_| true).unwrap();
    assert_eq!(extended.external_ids.get(row), "C0");
    assert_eq!(extended.reach[row], 1);
    assert_eq!(extended.several_files.len(), 5);
}

#[test]
fn the_cache_extends_what_it_holds_and_open_extends_a_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    let mut ws = Workspace::create(&path).unwrap();
    import(&mut ws, "first.csv", &first_file());
    let mut cache = DatasetCache::new();
    let held = cache.get(&ws).unwrap();
    assert_eq!(held.len(), 40);
    let kept = read(&cache_path(&path)).unwrap();
    drop(held);

    import(&mut ws, "second.csv", &second_file());
    let extended = cache.get(&ws).unwrap();
    let fresh = Dataset::load(&ws).unwrap();
    assert_eq!(
        bytes(&extended, dir.path(), "a"),
        bytes(&fresh, dir.path(), "b")
    );

    // A fresh process: the persisted copy is one import behind; it is extended and
    // persisted again at the new version.
    assert_eq!(kept.version + 1, ws.data_version().unwrap());
    let opened = Dataset::open(&ws).unwrap();
    assert_eq!(
        bytes(&opened, dir.path(), "c"),
        bytes(&fresh, dir.path(), "b")
    );
    assert_eq!(
        read(&cache_path(&path)).unwrap().version,
        ws.data_version().unwrap()
    );

    // Anything but an import since (a stage value mapped): read afresh.
    ws.set_stage_value("Nurture", "lead").unwrap();
    let after = cache.get(&ws).unwrap();
    assert_eq!(after.version, ws.data_version().unwrap());
    assert_eq!(
        bytes(&after, dir.path(), "d"),
        bytes(&Dataset::load(&ws).unwrap(), dir.path(), "e")
    );
}
