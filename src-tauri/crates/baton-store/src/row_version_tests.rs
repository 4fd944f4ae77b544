//! Row versions, checked the same way on either backend: `row_version::tests_on` runs on
//! a file here and on a file and a team database in `pg/tests_row_versions.rs`.
use crate::prelude::*;
use baton_core::persona::{Condition, Criteria, Persona, PersonaInput};
use baton_core::workshop::{
    ActionInput, ActionItem, ActionStatus, AgendaBlock, Person, Session, SessionInput, Team,
};
use baton_core::ErrorCode;

fn input(name: &str, industry: &str) -> PersonaInput {
    PersonaInput {
        name: name.into(),
        role: "Head of operations".into(),
        company_size: String::new(),
        industry: String::new(),
        statements: Vec::new(),
        criteria: Criteria {
            all: vec![Condition::In {
                field: "industry".into(),
                values: vec![industry.into()],
            }],
        },
    }
}

/// A stale update and a stale delete of a persona are refused with `conflict` naming
/// what changed and change nothing; a current one succeeds and bumps the version; an
/// edit changing nothing keeps it; one stating no version is not checked. What the
/// personas look like at the end, with the refusals' messages.
pub(crate) fn personas_are_versioned(
    ws: &(impl PersonaStore + ?Sized),
) -> (Vec<Persona>, Vec<String>) {
    let mut refusals = Vec::new();
    let p = ws.add_persona(&input("Ops Olivia", "Software")).unwrap();
    assert_eq!(p.row_version, 1);
    // A and B both opened version 1; A renames her and changes her criteria.
    let a = ws
        .update_persona(p.id, &input("Ops Olivia (EU)", "Retail"), Some(1))
        .unwrap();
    assert_eq!(a.row_version, 2, "a change bumps the version");
    // B's edit, based on version 1, is refused and changes nothing.
    let e = ws
        .update_persona(p.id, &input("Ops Oliver", "Software"), Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(
        e.message,
        "Persona \"Ops Olivia (EU)\" was changed by someone else since you opened it (its name and criteria); your edit was not saved: the screen now shows their version"
    );
    refusals.push(e.message);
    assert_eq!(
        ws.persona(p.id).unwrap(),
        a,
        "the refused edit changed nothing"
    );
    // So is B's delete based on version 1.
    let e = ws.delete_persona(p.id, Some(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("it was not deleted"), "{}", e.message);
    refusals.push(e.message);
    assert_eq!(
        ws.persona(p.id).unwrap(),
        a,
        "the refused delete changed nothing"
    );
    // Two changes since version 1: every field either changed is named, once.
    let mut role = input("Ops Olivia (EU)", "Retail");
    role.role = "COO".into();
    let c = ws.update_persona(p.id, &role, Some(2)).unwrap();
    assert_eq!(c.row_version, 3);
    let e = ws
        .update_persona(p.id, &input("x", "Software"), Some(1))
        .unwrap_err();
    assert!(
        e.message.contains("(its name, criteria and role)"),
        "{}",
        e.message
    );
    refusals.push(e.message);
    // Saving what is there changes nothing and keeps the version.
    assert_eq!(
        ws.update_persona(p.id, &role, Some(3)).unwrap().row_version,
        3
    );
    // No version stated (a script that means to overwrite): not checked.
    let d = ws
        .update_persona(p.id, &input("Ops Olivia", "Retail"), None)
        .unwrap();
    assert_eq!(d.row_version, 4);
    // A current delete succeeds; a second persona keeps its own version.
    let other = ws.add_persona(&input("Finance Fay", "Banking")).unwrap();
    ws.delete_persona(p.id, Some(4)).unwrap();
    assert_eq!(
        ws.persona(p.id).unwrap_err().code,
        ErrorCode::NotFound,
        "deleted"
    );
    assert_eq!(ws.persona(other.id).unwrap().row_version, 1);
    (ws.personas().unwrap(), refusals)
}

/// Action items: a stale status change, edit or delete is refused naming what changed
/// and changes nothing; current ones succeed and bump. The items at the end, and the
/// refusals' messages.
pub(crate) fn actions_are_versioned(
    ws: &(impl ActionStore + PeopleStore + ?Sized),
) -> (Vec<ActionItem>, Vec<String>) {
    let mut refusals = Vec::new();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let item = |text: &str, owner: Option<i64>| ActionInput {
        text: text.into(),
        owner_id: owner,
        due: Some("2030-01-31".into()),
        session_id: None,
    };
    let a = ws.add_action(&item("Draft reject codes", None)).unwrap();
    assert_eq!(a.row_version, 1);
    // A takes it and marks it in progress; B, still at version 1, marks it done.
    let taken = ws
        .update_action(
            a.id,
            &item("Draft reject codes", Some(sam)),
            ActionStatus::InProgress,
            Some(1),
        )
        .unwrap();
    assert_eq!(taken.row_version, 2);
    let e = ws
        .set_action_status(a.id, ActionStatus::Done, Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "Action item \"Draft reject codes\" was changed by someone else since you opened it (its owner and status); your edit was not saved: the screen now shows their version"
    );
    refusals.push(e.message);
    let e = ws
        .update_action(
            a.id,
            &item("Draft codes", None),
            ActionStatus::Open,
            Some(1),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let e = ws.delete_action(a.id, Some(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    refusals.push(e.message);
    assert_eq!(ws.actions().unwrap(), [taken], "nothing changed");
    let done = ws
        .set_action_status(a.id, ActionStatus::Done, Some(2))
        .unwrap();
    assert_eq!((done.status, done.row_version), (ActionStatus::Done, 3));
    let b = ws.add_action(&item("Book the room", None)).unwrap();
    ws.delete_action(a.id, Some(3)).unwrap();
    let items = ws.actions().unwrap();
    assert_eq!(items[0].id, b.id);
    (items, refusals)
}

/// People: a stale edit or removal is refused naming what changed; a current one bumps.
pub(crate) fn people_are_versioned(ws: &(impl PeopleStore + ?Sized)) -> (Vec<Person>, Vec<String>) {
    let sam = ws.add_person("Sam", Team::Sales, "AE").unwrap();
    assert_eq!(sam.row_version, 1);
    let moved = ws
        .update_person(sam.id, "Sam", Team::Marketing, "Head of demand", Some(1))
        .unwrap();
    assert_eq!(moved.row_version, 2);
    let e = ws
        .update_person(sam.id, "Samuel", Team::Sales, "AE", Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "Person \"Sam\" was changed by someone else since you opened it (its team and title); your edit was not saved: the screen now shows their version"
    );
    let d = ws.delete_person(sam.id, Some(1)).unwrap_err();
    assert_eq!(d.code, ErrorCode::Conflict);
    assert_eq!(ws.people().unwrap(), [moved], "nothing changed");
    let renamed = ws
        .update_person(sam.id, "Samuel", Team::Marketing, "Head of demand", Some(2))
        .unwrap();
    assert_eq!(renamed.row_version, 3);
    let mia = ws.add_person("Mia", Team::Sales, "").unwrap();
    ws.delete_person(mia.id, Some(1)).unwrap();
    (ws.people().unwrap(), vec![e.message, d.message])
}

/// Sessions: a stale edit or delete is refused naming what changed; adding a decision
/// (an append, not an edit) leaves the version alone; a current edit bumps.
pub(crate) fn sessions_are_versioned(
    ws: &(impl SessionStore + PeopleStore + ?Sized),
) -> (Vec<Session>, Vec<String>) {
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let input = |title: &str, date: &str, people: Vec<i64>, minutes: u32| SessionInput {
        title: title.into(),
        date: date.into(),
        participant_ids: people,
        agenda: vec![AgendaBlock {
            title: "Personas".into(),
            minutes,
        }],
    };
    let s = ws
        .create_session(&input("Kick-off", "2026-11-20", vec![], 60))
        .unwrap();
    assert_eq!(s.row_version, 1);
    let moved = ws
        .update_session(
            s.id,
            &input("Kick-off", "2026-11-27", vec![sam], 60),
            Some(1),
        )
        .unwrap();
    assert_eq!(moved.row_version, 2);
    let e = ws
        .update_session(s.id, &input("Kick-off!", "2026-11-20", vec![], 90), Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "Session \"Kick-off\" was changed by someone else since you opened it (its date and participants); your edit was not saved: the screen now shows their version"
    );
    let d = ws.delete_session(s.id, Some(1)).unwrap_err();
    assert_eq!(d.code, ErrorCode::Conflict);
    assert_eq!(ws.session(s.id).unwrap(), moved, "nothing changed");
    let logged = ws.log_decision(s.id, "MQLs need a demo request").unwrap();
    assert_eq!(logged.row_version, 2, "a decision is added, not an edit");
    let longer = ws
        .update_session(
            s.id,
            &input("Kick-off", "2026-11-27", vec![sam], 90),
            Some(2),
        )
        .unwrap();
    assert_eq!(longer.row_version, 3);
    let other = ws
        .create_session(&input("Follow-up", "2026-12-04", vec![], 30))
        .unwrap();
    ws.delete_session(other.id, Some(1)).unwrap();
    // When a decision was logged differs by a second now and then between two runs.
    let mut all = ws.sessions().unwrap();
    for s in &mut all {
        for d in &mut s.decisions {
            d.decided_at = 0;
        }
    }
    (all, vec![e.message, d.message])
}

#[test]
fn sessions_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    sessions_are_versioned(&ws);
}

#[test]
fn people_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    people_are_versioned(&ws);
}

#[test]
fn actions_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    actions_are_versioned(&ws);
}

#[test]
fn personas_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    personas_are_versioned(&ws);
}
