//! Two services on one `.baton` file: a stale edit is refused with `conflict` (the
//! scenario in `stale/mod.rs`; on a team database in `stale_edits_pg.rs`).
mod stale;

use baton_service::Service;
use std::time::Duration;

#[test]
fn a_stale_edit_is_refused_with_conflict_on_a_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.baton");
    baton_store::Workspace::create(&path).unwrap();
    let (a, b) = (Service::for_file(&path), Service::for_file(&path));
    stale::a_stale_edit_is_refused_with_conflict(&a, &b, Duration::from_millis(100));
}

#[test]
fn a_stale_definition_edit_is_refused_with_conflict_on_a_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.baton");
    baton_store::Workspace::create(&path).unwrap();
    let (a, b) = (Service::for_file(&path), Service::for_file(&path));
    stale::a_stale_definition_edit_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_campaign_edit_is_refused_with_conflict_on_a_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.baton");
    baton_store::Workspace::create(&path).unwrap();
    let (a, b) = (Service::for_file(&path), Service::for_file(&path));
    stale::a_stale_campaign_edit_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_parking_lot_change_is_refused_with_conflict_on_a_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.baton");
    baton_store::Workspace::create(&path).unwrap();
    let (a, b) = (Service::for_file(&path), Service::for_file(&path));
    stale::a_stale_parking_lot_change_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_stage_or_setting_change_is_refused_with_conflict_on_a_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.baton");
    baton_store::Workspace::create(&path).unwrap();
    let (a, b) = (Service::for_file(&path), Service::for_file(&path));
    stale::a_stale_stage_or_setting_change_is_refused_with_conflict(&a, &b);
}
