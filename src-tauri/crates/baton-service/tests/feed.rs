//! The change feed: writes through the service are published once, with what changed;
//! writes by another process on the same file reach a watching service.
use baton_core::goal::GoalMetric;
use baton_service::metrics::GoalDraft;
use baton_service::{Area, Change, ChangeFeed, Service};
use std::sync::mpsc::Receiver;
use std::time::Duration;

fn draft(name: &str, stage: &str) -> GoalDraft {
    GoalDraft {
        name: name.into(),
        metric: GoalMetric::Reached {
            stage: stage.into(),
        },
        target: 100.0,
        period: "2026-Q4".into(),
        team: "marketing".into(),
    }
}

fn workspace(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    path
}

fn next(rx: &Receiver<Change>) -> Option<Change> {
    rx.recv_timeout(Duration::from_secs(3)).ok()
}

#[test]
fn a_write_is_published_with_its_area_and_id_and_a_refused_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let svc = Service::for_file(&workspace(&dir));
    let rx = svc.feed().subscribe();

    let err = svc.goal_add(draft("Nowhere", "no_such_stage")).unwrap_err();
    assert!(err.message.contains("no_such_stage"), "{}", err.message);
    assert!(rx.try_recv().is_err(), "a refused write publishes nothing");

    let goal = svc.goal_add(draft("MQLs", "mql")).unwrap();
    let change = rx.try_recv().expect("published at commit");
    assert_eq!((change.area, change.id), (Area::Goals, Some(goal.id)));
    svc.goal_remove(goal.id).unwrap();
    let removed = rx.try_recv().unwrap();
    assert_eq!((removed.area, removed.id), (Area::Goals, Some(goal.id)));
    assert!(removed.version > change.version);
}

#[test]
fn another_process_writes_reach_a_watching_service_once_and_its_own_are_not_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let path = workspace(&dir);
    let window = Service::for_file(&path);
    let rx = window.feed().subscribe();
    let _watch = ChangeFeed::watch(&window, Duration::from_millis(20));
    std::thread::sleep(Duration::from_millis(100)); // the watcher notes where the log stands

    // "The CLI": another service on the same file, as another process would be.
    let cli = Service::for_file(&path);
    let goal = cli.goal_add(draft("From the terminal", "sql")).unwrap();
    let seen = next(&rx).expect("the watcher publishes the other writer's change");
    assert_eq!((seen.area, seen.id), (Area::Goals, Some(goal.id)));

    // The window's own write: published once at commit, not again by its watcher.
    let own = window.goal_add(draft("From the window", "mql")).unwrap();
    let first = next(&rx).unwrap();
    assert_eq!(first.id, Some(own.id));
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "the watcher skips this process's own writes"
    );
}

#[test]
fn after_a_switch_the_watcher_follows_the_new_workspace_only() {
    let dir = tempfile::tempdir().unwrap();
    let first = workspace(&dir);
    let second = dir.path().join("second.baton");
    baton_store::Workspace::create(&second).unwrap();
    let session = baton_service::Session::app(
        &dir.path().join("data"),
        &dir.path().join("config"),
        Some(first.clone()),
    );
    let window = Service::new(session);
    let rx = window.feed().subscribe();
    let _watch = ChangeFeed::watch(&window, Duration::from_millis(20));
    std::thread::sleep(Duration::from_millis(100));

    window.session().switch_to(&second).unwrap();
    std::thread::sleep(Duration::from_millis(100)); // the watcher moves to the new file

    let closed = Service::for_file(&first);
    for name in ["On the file no longer open", "And another"] {
        closed.goal_add(draft(name, "mql")).unwrap();
    }
    let on_second = Service::for_file(&second)
        .goal_add(draft("On the open file", "sql"))
        .unwrap();
    let seen = next(&rx).expect("the open workspace's change is published");
    assert_eq!(seen.id, Some(on_second.id));
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "nothing from the workspace that was closed"
    );
}
