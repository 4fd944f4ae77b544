//! A team workspace's dataset kept on the client (`Kept::for_team`,
//! `Dataset::open_kept`): the next connection reads it instead of every record, with
//! figures identical to a full load; extended after another connection's import,
//! rebuilt after an undo; never taken for another database at the same address, nor
//! when damaged. Needs a server: `scripts/with-pg.sh cargo test -p baton-metrics
//! --features pg-tests --test team_dataset_pg`.
#![cfg(feature = "pg-tests")]

use baton_core::Cancel;
use baton_import::{import_file, ImportOptions, ImportSummary, Profile};
use baton_metrics::dataset::parse_date;
use baton_metrics::*;
use baton_store::pg::testing::{admin_exec, TestDb, ENV};
use baton_store::pg::{copy_workspace, Location, PgTarget, PgWorkspace};
use baton_store::prelude::*;
use baton_store::Workspace;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn import(ws: &mut (impl baton_import::ImportTarget + ?Sized), file: &str) -> ImportSummary {
    let profile =
        Profile::from_json(&std::fs::read_to_string(fixture("small_profile.json")).unwrap())
            .unwrap();
    let opts = ImportOptions {
        profile: Some(profile),
        as_of: parse_date(if file.contains("week2") {
            "2025-07-08"
        } else {
            "2025-07-01"
        }),
        ..ImportOptions::default()
    };
    import_file(ws, &fixture(file), &opts, &mut |_| {}, &Cancel::new()).unwrap()
}

/// A new connection to the team database, as a new process makes.
fn connect(db: &TestDb) -> PgWorkspace {
    PgWorkspace::open(&db.target).unwrap()
}

/// Where the dataset of `ws` is kept in `dir` (as the service keeps it).
fn kept(dir: &Path, ws: &PgWorkspace) -> Kept {
    Kept::for_team(
        dir,
        ws.shown(),
        &ws.identity().unwrap().expect("an identity"),
    )
}

/// The persisted form of `ds` (every column, sorted maps): equal bytes, equal datasets.
fn bytes(ds: &Dataset) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.dataset");
    baton_metrics::persist::write(ds, &path).unwrap();
    std::fs::read(path).unwrap()
}

fn by_source() -> FunnelQuery {
    FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    }
}

/// `opened` is what a full load of `ws` gives now: the same dataset, the same funnel.
fn same_as_full_load(opened: &Dataset, ws: &PgWorkspace) {
    let loaded = Dataset::load(ws).unwrap();
    assert!(bytes(opened) == bytes(&loaded), "differs from a full load");
    assert_eq!(
        funnel(opened, &by_source()).unwrap(),
        funnel(&loaded, &by_source()).unwrap()
    );
}

fn sources(ds: &Dataset) -> Vec<String> {
    ds.values("source", 100)
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect()
}

/// Change every record's source in SQL, as no Baton writes: the data version stays, so
/// only a dataset read from the records shows it.
fn change_behind_batons_back(db: &TestDb) {
    admin_exec(&db.target, "UPDATE records SET source = 'Behind'").unwrap();
}

#[test]
fn the_next_connection_uses_the_kept_dataset_with_the_figures_of_a_full_load() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let (first, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Loaded);
    assert!(first.len() > 3_000);
    assert!(kept(dir.path(), &ws).path().is_file(), "kept on the client");
    drop(ws);

    let ws = connect(&db);
    let (second, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Kept);
    same_as_full_load(&second, &ws);

    // Proof that the records were not read: a change made behind Baton's back (no
    // data version bump) is in a full load, not in the kept dataset.
    change_behind_batons_back(&db);
    let (third, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Kept);
    assert!(!sources(&third).contains(&"Behind".to_string()));
    assert_eq!(sources(&Dataset::load(&ws).unwrap()), vec!["Behind"]);
}

#[test]
fn after_an_import_by_another_connection_the_kept_dataset_is_extended() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let (before, _) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();

    let mut other = connect(&db);
    import(&mut other, "generated_week2.csv");
    drop(other);

    let ws = connect(&db);
    let (after, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Extended);
    assert!(after.version > before.version);
    assert!(!after.several_files.is_empty(), "records from both files");
    same_as_full_load(&after, &ws);
}

#[test]
fn after_an_undo_the_kept_dataset_is_rebuilt() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let second = import(&mut ws, "generated_week2.csv");
    let (both, _) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();

    let other = connect(&db);
    other.undo_import(second.import_id, 1_800_000_000).unwrap();
    drop(other);

    let ws = connect(&db);
    let (undone, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Loaded);
    assert!(bytes(&undone) != bytes(&both));
    same_as_full_load(&undone, &ws);
    // Kept again as rebuilt: the next connection reads it.
    let (again, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Kept);
    assert!(bytes(&again) == bytes(&undone));
}

#[test]
fn a_database_recreated_at_the_same_address_is_not_taken_from_the_cache() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let (old, _) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    let old_file = kept(dir.path(), &ws);
    drop(ws);

    // Dropped and created again, the same export imported: the same data version and
    // the same last record id as the kept dataset, other data.
    let admin = PgTarget::parse(&std::env::var(ENV).unwrap()).unwrap();
    admin_exec(&admin, &format!("DROP DATABASE {} WITH (FORCE)", db.name)).unwrap();
    admin_exec(&admin, &format!("CREATE DATABASE {}", db.name)).unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    change_behind_batons_back(&db);
    assert_eq!(ws.data_version().unwrap(), old.version);
    assert_eq!(ws.last_record_id().unwrap(), old.ids.last().copied());
    let now = kept(dir.path(), &ws);
    assert_eq!(
        now.path(),
        old_file.path(),
        "the same address, the same file"
    );
    let (ds, how) = Dataset::open_kept(&ws, &now).unwrap();
    assert_eq!(how, Opened::Loaded);
    assert_eq!(sources(&ds), vec!["Behind"]);
    drop(ws);

    // Emptied in place and another file copied into it (`workspace copy`): the same
    // database (same oid), at the same data version and last record id again.
    let file_dir = tempfile::tempdir().unwrap();
    let file = file_dir.path().join("w.baton");
    let mut fws = Workspace::create(&file).unwrap();
    import(&mut fws, "generated.csv");
    drop(fws);
    admin_exec(
        &db.target,
        "DROP SCHEMA public CASCADE; CREATE SCHEMA public",
    )
    .unwrap();
    copy_workspace(
        &Location::File(file),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    let ws = connect(&db);
    assert_eq!(ws.data_version().unwrap(), old.version);
    assert_eq!(ws.last_record_id().unwrap(), old.ids.last().copied());
    let (ds, how) = Dataset::open_kept(&ws, &kept(dir.path(), &ws)).unwrap();
    assert_eq!(how, Opened::Loaded);
    same_as_full_load(&ds, &ws);
}

#[test]
fn a_damaged_kept_dataset_is_ignored_and_rewritten() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let at = kept(dir.path(), &ws);
    Dataset::open_kept(&ws, &at).unwrap();
    let mut damaged = std::fs::read(at.path()).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(at.path(), &damaged).unwrap();

    let (ds, how) = Dataset::open_kept(&ws, &at).unwrap();
    assert_eq!(how, Opened::Loaded);
    same_as_full_load(&ds, &ws);
    assert_ne!(std::fs::read(at.path()).unwrap(), damaged, "rewritten");
    assert_eq!(Dataset::open_kept(&ws, &at).unwrap().1, Opened::Kept);

    // Cut short.
    std::fs::write(at.path(), &damaged[..100]).unwrap();
    assert_eq!(Dataset::open_kept(&ws, &at).unwrap().1, Opened::Loaded);
}

#[test]
fn a_cache_folder_that_cannot_be_written_only_costs_a_full_load() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let mut ws = connect(&db);
    import(&mut ws, "generated.csv");
    let at = kept(&blocker.join("cache"), &ws);
    for _ in 0..2 {
        let (ds, how) = Dataset::open_kept(&ws, &at).unwrap();
        assert_eq!(how, Opened::Loaded);
        same_as_full_load(&ds, &ws);
    }
}
