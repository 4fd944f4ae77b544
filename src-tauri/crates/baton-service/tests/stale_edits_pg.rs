//! Two service instances on one team database (feature `pg-tests`, through
//! scripts/with-pg.sh): a stale edit is refused with `conflict`, and the one refused
//! sees the other's change through its feed (the scenario in `stale/mod.rs`).
mod stale;

use baton_service::{Service, Session};
use baton_store::pg::testing::TestDb;
use std::time::Duration;

#[test]
fn a_stale_edit_is_refused_with_conflict_on_a_team_workspace() {
    let db = TestDb::new();
    let a = Service::new(Session::team(&db.target).unwrap());
    let b = Service::new(Session::team(&db.target).unwrap());
    // Polling once a minute: B hears A's commit through LISTEN/NOTIFY.
    stale::a_stale_edit_is_refused_with_conflict(&a, &b, Duration::from_secs(60));
}

#[test]
fn a_stale_definition_edit_is_refused_with_conflict_on_a_team_workspace() {
    let db = TestDb::new();
    let a = Service::new(Session::team(&db.target).unwrap());
    let b = Service::new(Session::team(&db.target).unwrap());
    stale::a_stale_definition_edit_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_campaign_edit_is_refused_with_conflict_on_a_team_workspace() {
    let db = TestDb::new();
    let a = Service::new(Session::team(&db.target).unwrap());
    let b = Service::new(Session::team(&db.target).unwrap());
    stale::a_stale_campaign_edit_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_parking_lot_change_is_refused_with_conflict_on_a_team_workspace() {
    let db = TestDb::new();
    let a = Service::new(Session::team(&db.target).unwrap());
    let b = Service::new(Session::team(&db.target).unwrap());
    stale::a_stale_parking_lot_change_is_refused_with_conflict(&a, &b);
}

#[test]
fn a_stale_stage_or_setting_change_is_refused_with_conflict_on_a_team_workspace() {
    let db = TestDb::new();
    let a = Service::new(Session::team(&db.target).unwrap());
    let b = Service::new(Session::team(&db.target).unwrap());
    stale::a_stale_stage_or_setting_change_is_refused_with_conflict(&a, &b);
}
