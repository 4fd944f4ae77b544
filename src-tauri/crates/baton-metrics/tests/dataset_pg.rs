//! The metrics dataset loaded from a team workspace (PostgreSQL) is the one loaded from
//! the file it was copied from, byte for byte in its persisted form, and the funnel on
//! it gives the same figures. Needs a server: `scripts/with-pg.sh cargo test -p
//! baton-metrics --features pg-tests --test dataset_pg`.
#![cfg(feature = "pg-tests")]

use baton_core::Cancel;
use baton_import::{import_file, ImportOptions, Profile};
use baton_metrics::dataset::parse_date;
use baton_metrics::*;
use baton_store::pg::testing::TestDb;
use baton_store::pg::{copy_workspace, Location, PgWorkspace};
use baton_store::Workspace;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The persisted form of `ds` (every column, sorted maps): equal bytes, equal datasets.
fn persisted(ds: &Dataset, dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    baton_metrics::persist::write(ds, &path).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn the_dataset_from_a_team_workspace_is_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    let mut ws = Workspace::create(&path).unwrap();
    let profile =
        Profile::from_json(&std::fs::read_to_string(fixture("small_profile.json")).unwrap())
            .unwrap();
    // Two exports through the real import path: the second moves records on, so records
    // come from several files, with snapshots, tracking and unmapped values.
    for (file, as_of) in [
        ("generated.csv", "2025-07-01"),
        ("generated_week2.csv", "2025-07-08"),
    ] {
        let opts = ImportOptions {
            profile: Some(profile.clone()),
            as_of: parse_date(as_of),
            ..ImportOptions::default()
        };
        import_file(&mut ws, &fixture(file), &opts, &mut |_| {}, &Cancel::new()).unwrap();
    }
    drop(ws);
    let db = TestDb::new();
    copy_workspace(
        &Location::File(path.clone()),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    let file = Workspace::open(&path).unwrap();
    let team = PgWorkspace::open(&db.target).unwrap();

    let from_file = Dataset::load(&file).unwrap();
    let from_team = Dataset::load(&team).unwrap();
    assert!(from_file.len() > 3_000, "{}", from_file.len());
    assert!(!from_file.several_files.is_empty());
    assert_eq!(
        from_team.ids, from_file.ids,
        "the records stream in id order"
    );
    assert!(
        persisted(&from_file, dir.path(), "file.dataset")
            == persisted(&from_team, dir.path(), "team.dataset"),
        "the two datasets differ"
    );
    let query = FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    };
    let (a, b) = (
        funnel(&from_file, &query).unwrap(),
        funnel(&from_team, &query).unwrap(),
    );
    assert_eq!(a, b);
    assert!(a.stages.iter().any(|s| s.reached.unwrap_or(0) > 0));
}
