//! Metrics use cases through the service, with no window and no CLI: the checks that
//! guard a write, and check-then-write racing another writer on the same file.
use baton_core::goal::GoalMetric;
use baton_core::sla::{Clock, SlaClauseInput, SlaTarget};
use baton_core::ErrorCode;
use baton_service::metrics::GoalDraft;
use baton_service::Service;
use std::sync::{Arc, Barrier};

fn demo(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("demo.baton");
    baton_demo::create_demo(&path).unwrap();
    path
}

fn clause(name: &str) -> SlaClauseInput {
    SlaClauseInput {
        name: name.into(),
        from_stage: "mql".into(),
        to: SlaTarget::Stage("sql".into()),
        within_seconds: 48 * 3600,
        clock: Clock::Calendar,
    }
}

fn sla_goal(clause_id: i64) -> GoalDraft {
    GoalDraft {
        name: format!("SLA #{clause_id} met"),
        metric: GoalMetric::SlaMet { clause_id },
        target: 0.9,
        period: "2026-Q4".into(),
        team: "sales".into(),
    }
}

#[test]
fn a_clause_the_data_cannot_measure_is_refused_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let svc = Service::for_file(&demo(&dir));
    let before = svc.sla(&Default::default(), None).unwrap().len();
    let mut bad = clause("To a stage that is not there");
    bad.to = SlaTarget::Stage("nowhere".into());
    assert!(svc.sla_add(&bad).is_err());
    assert_eq!(svc.sla(&Default::default(), None).unwrap().len(), before);
}

#[test]
fn a_clause_a_goal_measures_is_not_removed() {
    let dir = tempfile::tempdir().unwrap();
    let svc = Service::for_file(&demo(&dir));
    let c = svc.sla_add(&clause("Follow-up in two days")).unwrap();
    let g = svc.goal_add(sla_goal(c.id)).unwrap();
    let err = svc.sla_remove(c.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(
        err.message.contains(&format!("(#{})", g.id)),
        "{}",
        err.message
    );
    svc.goal_remove(g.id).unwrap();
    svc.sla_remove(c.id).unwrap();
}

/// A goal on a clause, added while another writer removes that clause: whichever comes
/// first, no goal may end up measuring a clause that is gone.
#[test]
fn a_goal_check_racing_a_clause_removal_never_leaves_a_goal_on_a_removed_clause() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(&dir);
    for round in 0..12 {
        let c = Service::for_file(&path)
            .sla_add(&clause(&format!("Race {round}")))
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let (p1, b1) = (path.clone(), barrier.clone());
        let adder = std::thread::spawn(move || {
            let svc = Service::for_file(&p1);
            b1.wait();
            svc.goal_add(sla_goal(c.id)).is_ok()
        });
        let (p2, b2) = (path.clone(), barrier);
        let remover = std::thread::spawn(move || {
            let svc = Service::for_file(&p2);
            b2.wait();
            svc.sla_remove(c.id).is_ok()
        });
        let (added, removed) = (adder.join().unwrap(), remover.join().unwrap());
        assert!(
            added != removed,
            "round {round}: exactly one wins (added {added}, removed {removed})"
        );
        let svc = Service::for_file(&path);
        let clause_exists = svc
            .sla(&Default::default(), None)
            .unwrap()
            .iter()
            .any(|r| r.id == c.id);
        let goal_on_it = svc.goals().unwrap().into_iter().any(
            |g| matches!(g.goal.metric, GoalMetric::SlaMet { clause_id } if clause_id == c.id),
        );
        assert_eq!(goal_on_it, clause_exists, "round {round}");
    }
}
