//! File menu, settings and the timer through the service, and the change feed.
mod common;
use baton_core::workshop::{AgendaBlock, SessionInput};
use baton_core::ErrorCode;
use baton_service::{Area, Change, Service, Session};
use baton_store::prelude::*;
use common::*;

fn app_service(dir: &std::path::Path, start: &std::path::Path) -> Service {
    Service::new(Session::app(
        &dir.join("data"),
        &dir.join("config"),
        Some(start.to_path_buf()),
    ))
}

fn areas(changes: &[Change]) -> Vec<Area> {
    changes.iter().map(|c| c.area).collect()
}

#[test]
fn switching_workspace_publishes_a_workspace_change_and_drops_the_kept_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.baton");
    baton_store::Workspace::create(&a).unwrap();
    let svc = app_service(dir.path(), &a);
    svc.report_preview(&Default::default(), &mut |_| {})
        .unwrap();
    let feed = svc.feed().subscribe();

    let b = svc.workspace_new(&dir.path().join("b.baton")).unwrap();
    assert_eq!(b.name, "b");
    assert_eq!(areas(&drain(&feed)), [Area::Workspace]);
    let out = dir.path().join("out.pdf");
    assert_eq!(svc.report_save(&out).unwrap_err().code, ErrorCode::Conflict);

    // Reopening the first workspace does not bring its PDF back.
    svc.workspace_open(&a).unwrap();
    assert_eq!(areas(&drain(&feed)), [Area::Workspace]);
    assert_eq!(svc.report_save(&out).unwrap_err().code, ErrorCode::Conflict);
    assert!(!out.exists());

    let names: Vec<String> = svc.recent().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn save_as_continues_in_the_copy_and_the_demo_opens_with_its_goals() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.baton");
    baton_store::Workspace::create(&a).unwrap();
    let svc = app_service(dir.path(), &a);
    svc.set_company(Some("Acme"), None).unwrap();
    let feed = svc.feed().subscribe();

    let copy = svc
        .workspace_save_as(&dir.path().join("copy.baton"))
        .unwrap();
    assert_eq!(copy.company.as_deref(), Some("Acme"));
    assert_eq!(svc.workspace_info().unwrap().name, "copy");
    svc.set_company(None, None).unwrap();
    assert_eq!(
        baton_store::Workspace::open(&a)
            .unwrap()
            .info()
            .unwrap()
            .company
            .as_deref(),
        Some("Acme"),
        "the original is left as it was"
    );

    let demo = svc.open_demo().unwrap();
    assert!(demo.is_demo);
    assert_eq!(svc.goals().unwrap().len(), 4);
    assert_eq!(
        areas(&drain(&feed)),
        [Area::Workspace, Area::Settings, Area::Workspace]
    );
}

#[test]
fn the_feed_receives_each_write_with_its_area() {
    let (dir, svc) = service();
    let feed = svc.feed().subscribe();
    let info = svc.set_company(Some("Larkspur"), None).unwrap();
    assert_eq!(info.company.as_deref(), Some("Larkspur"));
    let file = leads_file(dir.path(), "leads.csv", 0, 20);
    let s = svc
        .import_run(&file, &leads_profile(), &mut |_| {})
        .unwrap();
    let path = svc.session().current_path().unwrap();
    let session = baton_store::Workspace::open(&path)
        .unwrap()
        .create_session(&SessionInput {
            title: "Kick-off".into(),
            date: "2025-03-01".into(),
            participant_ids: vec![],
            agenda: vec![AgendaBlock {
                title: "Funnel".into(),
                minutes: 20,
            }],
        })
        .unwrap();
    let t = svc.timer_select(session.id, 0).unwrap();
    assert!(!t.running);
    assert!(svc.timer_start().unwrap().running);
    assert!(!svc.timer_pause().unwrap().running);
    assert!(svc.timer().unwrap().is_some());
    svc.import_undo(s.import_id).unwrap();
    // A refused write publishes nothing.
    assert!(svc.timer_select(session.id, 5).is_err());

    let changes = drain(&feed);
    assert_eq!(
        areas(&changes),
        [
            Area::Settings,
            Area::Records,
            Area::Timer,
            Area::Timer,
            Area::Timer,
            Area::Records
        ]
    );
    let versions: Vec<i64> = changes.iter().map(|c| c.version).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}
