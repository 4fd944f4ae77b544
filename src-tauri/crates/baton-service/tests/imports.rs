//! Import use cases through the service: progress, cancel, undo, the change feed.
mod common;
use baton_core::ErrorCode;
use baton_service::Area;
use baton_store::prelude::*;
use common::*;

#[test]
fn an_import_reports_its_progress_and_publishes_a_records_change() {
    let (dir, svc) = service();
    let feed = svc.feed().subscribe();
    let file = leads_file(dir.path(), "leads.csv", 0, 300);
    let mut phases = Vec::new();
    let summary = svc
        .import_run(&file, &leads_profile(), &mut |p| phases.push(p.phase))
        .unwrap();
    assert_eq!(summary.inserted, 300);
    for phase in ["reading", "importing", "saving", "done"] {
        assert!(phases.iter().any(|p| p == phase), "{phase} in {phases:?}");
    }
    let changes = drain(&feed);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].area, Area::Records);
    assert_eq!(changes[0].id, Some(summary.import_id));
    assert!(changes[0].version > 0);
    assert_eq!(svc.overview().unwrap().records, 300);
    assert_eq!(svc.imports().unwrap()[0].id, summary.import_id);
}

#[test]
fn a_cancel_after_rows_were_written_leaves_the_workspace_unchanged() {
    let (dir, svc) = service();
    let first = leads_file(dir.path(), "week1.csv", 0, 200);
    svc.import_run(&first, &leads_profile(), &mut |_| {})
        .unwrap();
    let path = svc.session().current_path().unwrap();
    let version = || {
        baton_store::Workspace::open(&path)
            .unwrap()
            .data_version()
            .unwrap()
    };
    let (records, imports, data_version) = (
        svc.overview().unwrap().records,
        svc.imports().unwrap(),
        version(),
    );
    let feed = svc.feed().subscribe();

    // Updates ids 100..199 and inserts 200..1199; cancelled once every row is written,
    // before the import commits.
    let second = leads_file(dir.path(), "week2.csv", 100, 1100);
    let canceller = svc.clone();
    let mut written = 0;
    let e = svc
        .import_run(&second, &leads_profile(), &mut |p| {
            if p.phase == "saving" {
                written = p.done;
                assert!(canceller.import_cancel());
            }
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{}", e.message);
    assert!(written > 0, "the cancel came after the rows were written");

    assert_eq!(svc.overview().unwrap().records, records);
    assert_eq!(svc.imports().unwrap(), imports);
    assert_eq!(version(), data_version);
    assert!(
        drain(&feed).is_empty(),
        "nothing committed, nothing published"
    );
}

#[test]
fn undo_publishes_a_records_change() {
    let (dir, svc) = service();
    let file = leads_file(dir.path(), "leads.csv", 0, 50);
    let summary = svc
        .import_run(&file, &leads_profile(), &mut |_| {})
        .unwrap();
    let feed = svc.feed().subscribe();
    let undone = svc.import_undo(summary.import_id).unwrap();
    assert_eq!(undone.deleted, 50);
    let changes = drain(&feed);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].area, Area::Records);
    assert_eq!(changes[0].id, Some(summary.import_id));
    assert_eq!(svc.overview().unwrap().records, 0);
    // A refused undo publishes nothing.
    assert_eq!(
        svc.import_undo(summary.import_id).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert!(drain(&feed).is_empty());
}

#[test]
fn the_preview_maps_with_the_workspace_and_rereads_a_changed_file() {
    let (dir, svc) = service();
    let file = leads_file(dir.path(), "leads.csv", 0, 10);
    let p = svc.import_preview(&file, &leads_profile()).unwrap();
    assert_eq!(p.would_import.as_ref().unwrap().records, 10);
    // The file changed on disk: the preview reads it again.
    leads_file(dir.path(), "leads.csv", 0, 25);
    let p = svc.import_preview(&file, &leads_profile()).unwrap();
    assert_eq!(p.would_import.as_ref().unwrap().records, 25);
}

#[test]
fn rejected_rows_and_profiles_round_trip_through_files() {
    let (dir, svc) = service();
    let file = dir.path().join("bad.csv");
    let mut text = String::from("Id,Status,Created,Source\n");
    for i in 0..10 {
        text.push_str(&format!("{i},New,2025-01-02,Google\n"));
    }
    text.push_str("99,New,not a date,Google\n");
    std::fs::write(&file, text).unwrap();
    let mut opts = leads_profile();
    opts.allow_partial = true;
    let s = svc.import_run(&file, &opts, &mut |_| {}).unwrap();
    assert_eq!(s.rejected, 1);
    let rejects = dir.path().join("rejects.csv");
    let csv = baton_report::CsvOptions {
        bom: false,
        delimiter: ',',
    };
    svc.import_rejects_save(s.import_id, &rejects, &csv)
        .unwrap();
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(written.contains("not a date"), "{written}");

    let profile = opts.profile.unwrap();
    let saved = dir.path().join("crm.json");
    svc.profile_save(&profile, &saved).unwrap();
    assert_eq!(svc.profile_load(&saved).unwrap(), profile);
    std::fs::write(&saved, "{ not json").unwrap();
    let e = svc.profile_load(&saved).unwrap_err();
    assert!(e.message.contains("crm.json"), "{}", e.message);
}

/// The funnel after an import comes from the cached dataset extended with the rows the
/// import wrote (updated leads replaced, new ones added): the figures of a fresh load.
#[test]
fn the_funnel_after_an_import_counts_what_a_fresh_load_counts() {
    use baton_metrics::{Dataset, FunnelQuery};
    let (dir, svc) = service();
    let query = FunnelQuery {
        by: Some("source".into()),
        ..FunnelQuery::default()
    };
    svc.import_run(
        &leads_file(dir.path(), "week1.csv", 0, 200),
        &leads_profile(),
        &mut |_| {},
    )
    .unwrap();
    let before = svc.funnel(&query).unwrap();
    // Ids 100..199 move on (updated), 200..349 are new.
    let mut text = String::from("Id,Status,Created,Source\n");
    for i in 100..350 {
        let source = if i % 3 == 0 { "Event" } else { "google" };
        text.push_str(&format!(
            "{i},Qualified,2025-02-{:02},{source}\n",
            1 + i % 28
        ));
    }
    let week2 = dir.path().join("week2.csv");
    std::fs::write(&week2, text).unwrap();
    svc.import_run(&week2, &leads_profile(), &mut |_| {})
        .unwrap();
    let after = svc.funnel(&query).unwrap();
    assert_ne!(after, before);
    let ws = baton_store::Workspace::open(&svc.session().current_path().unwrap()).unwrap();
    let fresh = Dataset::load(&ws).unwrap();
    assert_eq!(fresh.len(), 350);
    assert_eq!(after, baton_metrics::funnel(&fresh, &query).unwrap());
}
