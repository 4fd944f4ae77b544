//! The service keeps a team workspace's metrics dataset on the client
//! (`Service::keeping_team_datasets_in`, as the app and the CLI do): a new service (a
//! new connection, as at the next start) answers from it without reading the records,
//! with the figures of a full load; after another Baton's import or undo it answers
//! as a full load does. Feature `pg-tests` (scripts/with-pg.sh).
mod common;

use baton_metrics::{FunnelQuery, FunnelReport};
use baton_service::{Service, Session};
use baton_store::pg::testing::{admin_exec, TestDb};
use common::{leads_file, leads_profile};
use std::path::Path;

/// A new service on the team workspace (a new connection), keeping datasets in `cache`.
fn service(db: &TestDb, cache: Option<&Path>) -> Service {
    Service::new(Session::team(&db.target).unwrap())
        .keeping_team_datasets_in(cache.map(Path::to_path_buf))
}

fn by_source(svc: &Service) -> FunnelReport {
    svc.funnel(&FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    })
    .unwrap()
}

/// What a service that keeps nothing (every record read) answers now.
fn full_load(db: &TestDb) -> FunnelReport {
    by_source(&service(db, None))
}

#[test]
fn a_new_service_answers_from_the_dataset_the_last_one_kept() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let first = service(&db, Some(&cache));
    first
        .import_run(
            &leads_file(dir.path(), "a.csv", 0, 300),
            &leads_profile(),
            &mut |_| {},
        )
        .unwrap();
    let figures = by_source(&first);
    assert_eq!(figures.records, 300);
    drop(first);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1, "kept");

    assert_eq!(by_source(&service(&db, Some(&cache))), figures);
    assert_eq!(full_load(&db), figures);

    // A change behind Baton's back (no data version bump) is seen by a full load only:
    // the next service did not read the records.
    admin_exec(&db.target, "UPDATE records SET source = 'Behind'").unwrap();
    assert_eq!(by_source(&service(&db, Some(&cache))), figures);
    assert_ne!(full_load(&db), figures);
}

#[test]
fn after_another_batons_import_or_undo_a_new_service_answers_as_a_full_load() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let ana = service(&db, Some(&cache));
    ana.import_run(
        &leads_file(dir.path(), "a.csv", 0, 300),
        &leads_profile(),
        &mut |_| {},
    )
    .unwrap();
    by_source(&ana);

    // Another Baton (keeping nothing) imports: some records updated, some new.
    let bo = service(&db, None);
    let second = bo
        .import_run(
            &leads_file(dir.path(), "b.csv", 200, 300),
            &leads_profile(),
            &mut |_| {},
        )
        .unwrap();
    let extended = by_source(&service(&db, Some(&cache)));
    assert_eq!(extended.records, 500);
    assert_eq!(extended, full_load(&db));

    bo.import_undo(second.import_id).unwrap();
    let rebuilt = by_source(&service(&db, Some(&cache)));
    assert_eq!(rebuilt.records, 300);
    assert_eq!(rebuilt, full_load(&db));
}
