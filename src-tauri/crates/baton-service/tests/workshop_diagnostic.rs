//! The diagnostic's privacy rules, as every front end gets them from the service.
use baton_core::workshop::{Person, Team};
use baton_service::{Area, Service};

fn service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    (dir, Service::for_file(&path))
}

fn person(svc: &Service, name: &str, team: Team) -> Person {
    svc.person_save(None, name, team, "", None).unwrap()
}

/// Two sales people, two marketing people and one from leadership answered.
fn answered_run(svc: &Service, named: bool) -> i64 {
    let run = svc
        .diagnostic_start("Q1 2026", "2026-03-31", named)
        .unwrap();
    for (name, team, rating) in [
        ("Sam", Team::Sales, 4),
        ("Sid", Team::Sales, 5),
        ("Mia", Team::Marketing, 2),
        ("Max", Team::Marketing, 1),
        ("Lee", Team::Leadership, 3),
    ] {
        let p = person(svc, name, team);
        svc.diagnostic_answer(run.id, p.id, &[rating; 20]).unwrap();
    }
    run.id
}

/// Every score a person could be identified by, as the JSON a front end receives.
fn json(run: &baton_core::diagnostic::DiagnosticRun) -> String {
    serde_json::to_string(run).unwrap()
}

#[test]
fn an_open_run_says_who_answered_and_nothing_else() {
    let (_d, svc) = service();
    let run = answered_run(&svc, true);
    for r in [
        svc.diagnostic_run(Some(run)).unwrap(),
        svc.diagnostic_run(None).unwrap(),
        svc.diagnostic_runs().unwrap().remove(0),
    ] {
        assert_eq!(r.answered, ["Sam", "Sid", "Mia", "Max", "Lee"]);
        assert!(r.result.is_none(), "{}", json(&r));
        assert!(!json(&r).contains("score"), "{}", json(&r));
    }
    // Nor does the answer just saved show anything.
    let p = person(&svc, "Ann", Team::Sales);
    let after = svc.diagnostic_answer(run, p.id, &[3; 20]).unwrap();
    assert!(after.result.is_none());
    assert!(svc.diagnostic_trend().unwrap().is_empty());
}

#[test]
fn an_anonymous_run_never_shows_a_score_next_to_a_name() {
    let (_d, svc) = service();
    let run = answered_run(&svc, false);
    let closed = svc.diagnostic_close(run).unwrap();
    assert!(!closed.named);
    let res = closed.result.clone().unwrap();
    assert!(res.people.is_empty(), "{}", json(&closed));
    let text = json(&closed);
    assert!(!text.contains("person_id"), "{text}");
    let team = |t: Team| res.teams.iter().find(|x| x.team == t).unwrap().clone();
    assert_eq!(team(Team::Sales).mean_score, Some(90.0));
    assert_eq!(team(Team::Marketing).mean_score, Some(30.0));
    // Leadership has one answer: its mean would be Lee's score.
    let lead = team(Team::Leadership);
    assert_eq!((lead.respondents, lead.mean_score), (1, None));
    assert!(lead.distribution.is_empty());
    assert_eq!(res.gaps.len(), 20);
    assert_eq!(res.gaps[0].gap, 3.0);
}

#[test]
fn a_named_run_shows_each_score_by_name_once_closed() {
    let (_d, svc) = service();
    let run = answered_run(&svc, true);
    let closed = svc.diagnostic_close(run).unwrap();
    let res = closed.result.unwrap();
    let sam = res.people.iter().find(|p| p.name == "Sam").unwrap();
    assert_eq!(sam.score, 80);
    // Named: Lee's mean is shown (the names are shown anyway).
    let lead = res
        .teams
        .iter()
        .find(|t| t.team == Team::Leadership)
        .unwrap();
    assert_eq!(lead.mean_score, Some(60.0));
}

#[test]
fn a_team_mean_needs_two_answers() {
    let (_d, svc) = service();
    let run = svc.diagnostic_start("Q1", "2026-03-31", false).unwrap();
    let sam = person(&svc, "Sam", Team::Sales);
    let mia = person(&svc, "Mia", Team::Marketing);
    svc.diagnostic_answer(run.id, sam.id, &[4; 20]).unwrap();
    svc.diagnostic_answer(run.id, mia.id, &[2; 20]).unwrap();
    let r = svc.diagnostic_close(run.id).unwrap();
    let res = r.result.unwrap();
    assert!(res.teams.iter().all(|t| t.mean_score.is_none()));
    // Sales' mean per statement would be Sam's own rating.
    assert!(res.gaps.is_empty());
    assert_eq!(res.overall_mean, Some(60.0));
}

#[test]
fn the_early_reveal_is_stored_on_the_run_and_stays_anonymous() {
    let (_d, svc) = service();
    let run = answered_run(&svc, true);
    let feed = svc.feed().subscribe();
    let r = svc.diagnostic_reveal(run, true).unwrap();
    assert!(r.revealed && !r.closed);
    assert_eq!(feed.try_recv().unwrap().area, Area::Diagnostic);
    // Another front end (a fresh service on the same file) sees it revealed too.
    let other = Service::for_file(&svc.session().current_path().unwrap());
    let seen = other.diagnostic_run(Some(run)).unwrap();
    assert!(seen.revealed);
    let res = seen.result.unwrap();
    assert!(res.people.is_empty(), "named, but still open");
    assert!(res.teams.iter().any(|t| t.mean_score.is_some()));
    assert_eq!(other.diagnostic_trend().unwrap().len(), 1);
    let hidden = svc.diagnostic_reveal(run, false).unwrap();
    assert!(!hidden.revealed && hidden.result.is_none());
}

#[test]
fn nothing_to_reveal_before_anyone_answered() {
    let (_d, svc) = service();
    let run = svc.diagnostic_start("Q1", "2026-03-31", false).unwrap();
    let e = svc.diagnostic_reveal(run.id, true).unwrap_err();
    assert_eq!(e.code, baton_core::ErrorCode::Conflict);
    assert!(e.message.contains("nobody has answered"), "{}", e.message);
}
