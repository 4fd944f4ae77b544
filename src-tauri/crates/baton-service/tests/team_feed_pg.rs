//! Several Batons on one team workspace (feature `pg-tests`, through scripts/with-pg.sh):
//! each sees the others' writes through its change feed within a second (PostgreSQL's
//! NOTIFY wakes the watch; its poll alone would take a minute here), and a write that
//! fails publishes nothing.
use baton_core::workshop::Team;
use baton_service::{Area, ChangeFeed, Service, Session};
use baton_store::pg::testing::TestDb;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

fn service(db: &TestDb) -> Service {
    Service::new(Session::team(&db.target).unwrap())
}

/// The next change `rx` receives within `within`, and how long it took.
fn next(rx: &Receiver<baton_service::Change>, within: Duration) -> Option<(Area, Duration)> {
    let start = Instant::now();
    rx.recv_timeout(within)
        .ok()
        .map(|c| (c.area, start.elapsed()))
}

/// Write as `writer` until the other's watch (which starts from where the log stands
/// when it first looks) hears it, then drain both feeds.
fn heard_by_the_other(
    writer: &Service,
    name: &str,
    to_writer: &Receiver<baton_service::Change>,
    to_other: &Receiver<baton_service::Change>,
) {
    for attempt in 0..20 {
        writer
            .person_save(None, &format!("{name} {attempt}"), Team::Sales, "", None)
            .unwrap();
        if next(to_other, Duration::from_secs(2)).is_some() {
            while to_writer.try_recv().is_ok() {}
            while to_other.try_recv().is_ok() {}
            return;
        }
    }
    panic!("the other watch never heard {name}");
}

/// Bo's watch listens: it has heard Ana write.
fn settle(
    ana: &Service,
    to_ana: &Receiver<baton_service::Change>,
    to_bo: &Receiver<baton_service::Change>,
) {
    heard_by_the_other(ana, "Ana", to_ana, to_bo);
}

#[test]
fn two_batons_on_one_team_workspace_see_each_others_writes_within_a_second() {
    let db = TestDb::new();
    let (ana, bo) = (service(&db), service(&db));
    // Polling once a minute: only the announcement of a commit can be this quick.
    let _watch_ana = ChangeFeed::watch(&ana, Duration::from_secs(60));
    let _watch_bo = ChangeFeed::watch(&bo, Duration::from_secs(60));
    let (to_ana, to_bo) = (ana.feed().subscribe(), bo.feed().subscribe());

    // Both watches listen before anything is timed: each has heard the other.
    settle(&ana, &to_ana, &to_bo);
    heard_by_the_other(&bo, "Bo settling", &to_bo, &to_ana);

    for round in 0..3 {
        bo.person_save(None, &format!("Bo {round}"), Team::Marketing, "", None)
            .unwrap();
        let heard = next(&to_ana, Duration::from_secs(1));
        assert_eq!(
            heard.map(|h| h.0),
            Some(Area::People),
            "round {round}: {heard:?}"
        );
        // Bo's own write reaches Bo's feed directly, and only once.
        assert_eq!(
            next(&to_bo, Duration::from_secs(1)).map(|c| c.0),
            Some(Area::People)
        );
        assert!(next(&to_bo, Duration::from_millis(300)).is_none());

        ana.set_company(Some(&format!("Round {round}")), None)
            .unwrap();
        let heard = next(&to_bo, Duration::from_secs(1));
        assert_eq!(
            heard.map(|h| h.0),
            Some(Area::Settings),
            "round {round}: {heard:?}"
        );
        assert_eq!(
            next(&to_ana, Duration::from_secs(1)).map(|c| c.0),
            Some(Area::Settings)
        );
    }
    let names: Vec<String> = bo.people().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(&names[..3], ["Bo 0", "Bo 1", "Bo 2"]);
    assert!(
        names[3..]
            .iter()
            .all(|n| n.starts_with("Ana ") || n.starts_with("Bo settling ")),
        "{names:?}"
    );
    assert_eq!(
        ana.workspace_info().unwrap().company.as_deref(),
        Some("Round 2")
    );
}

#[test]
fn a_refused_write_on_a_team_workspace_changes_nothing_and_announces_nothing() {
    let db = TestDb::new();
    let (ana, bo) = (service(&db), service(&db));
    let _watch = ChangeFeed::watch(&bo, Duration::from_secs(60));
    let to_bo = bo.feed().subscribe();
    let to_ana = ana.feed().subscribe();
    settle(&ana, &to_ana, &to_bo);

    // Changing someone who does not exist fails inside the use case's transaction.
    assert!(ana
        .person_save(Some(999), "Nobody", Team::Sales, "", None)
        .is_err());
    assert!(next(&to_bo, Duration::from_secs(2)).is_none());
    assert!(bo.people().unwrap().iter().all(|p| p.name != "Nobody"));
}

#[test]
fn save_as_on_a_team_workspace_names_the_copy_that_does_it_and_writes_nothing() {
    let db = TestDb::new();
    let svc = service(&db);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("laptop.baton");
    let e = svc.workspace_save_as(&dest).unwrap_err();
    assert_eq!(e.code, baton_core::ErrorCode::InvalidInput);
    let copy = format!("baton workspace copy {} FILE.baton", db.target.shown());
    assert!(e.message.contains(&copy), "{}", e.message);
    assert!(!dest.exists());
}
