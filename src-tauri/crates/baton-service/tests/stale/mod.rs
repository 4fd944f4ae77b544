//! Two Batons on one workspace editing the same thing: the one whose edit is based on a
//! version someone changed since is refused with `conflict`, and sees the change through
//! its feed. Run on a file (`stale_edits.rs`) and on a team database (`stale_edits_pg.rs`).
use baton_core::persona::{Condition, Criteria, PersonaInput};
use baton_core::workshop::Team;
use baton_core::ErrorCode;
use baton_service::{Area, Change, ChangeFeed, Service};
use std::sync::mpsc::Receiver;
use std::time::Duration;

fn input(name: &str, industry: &str) -> PersonaInput {
    PersonaInput {
        name: name.into(),
        role: String::new(),
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

/// The next change about personas `rx` hears within `within`.
fn heard_personas(rx: &Receiver<Change>, within: Duration) -> bool {
    let until = std::time::Instant::now() + within;
    while let Some(left) = until.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(c) if c.area == Area::Personas => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Write as A until B's watch (which starts from where the log stands when it first
/// looks) hears it, then drain B's feed.
fn settle(a: &Service, to_b: &Receiver<Change>) {
    for attempt in 0..20 {
        a.person_save(None, &format!("Ana {attempt}"), Team::Sales, "", None)
            .unwrap();
        if to_b.recv_timeout(Duration::from_secs(2)).is_ok() {
            while to_b.try_recv().is_ok() {}
            return;
        }
    }
    panic!("B's watch never heard A");
}

/// A and B read a persona; A edits it; B's edit based on what B read is refused with
/// `conflict` and saves nothing; B hears A's change through its feed, reloads, and its
/// edit based on the version it now shows is saved. `poll`: B's watch's fallback poll.
pub fn a_stale_edit_is_refused_with_conflict(a: &Service, b: &Service, poll: Duration) {
    let created = a
        .persona_save(None, &input("Ops Olivia", "Software"), None)
        .unwrap();
    let _watch = ChangeFeed::watch(b, poll);
    let to_b = b.feed().subscribe();
    settle(a, &to_b);

    let seen_by_a = a.persona(created.id).unwrap();
    let seen_by_b = b.persona(created.id).unwrap();
    assert_eq!(seen_by_a, seen_by_b);

    let saved = a
        .persona_save(
            Some(created.id),
            &input("Ops Olivia (EU)", "Retail"),
            Some(seen_by_a.row_version),
        )
        .unwrap();
    assert_eq!(saved.row_version, seen_by_a.row_version + 1);

    let e = b
        .persona_save(
            Some(created.id),
            &input("Ops Oliver", "Software"),
            Some(seen_by_b.row_version),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(
        e.message.starts_with(
            "Persona \"Ops Olivia (EU)\" was changed by someone else since you opened it (its name and criteria)"
        ),
        "{}",
        e.message
    );
    let e = b
        .persona_delete(created.id, Some(seen_by_b.row_version))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");

    assert!(
        heard_personas(&to_b, Duration::from_secs(3)),
        "B's feed never told it personas changed"
    );
    let reloaded = b.persona(created.id).unwrap();
    assert_eq!(reloaded, saved, "B sees A's change, and nothing of its own");

    let mine = b
        .persona_save(
            Some(created.id),
            &input("Ops Oliver", "Software"),
            Some(reloaded.row_version),
        )
        .unwrap();
    assert_eq!(mine.row_version, saved.row_version + 1);
    assert_eq!(a.persona(created.id).unwrap(), mine);
}

/// A and B open the SQL definition (no version yet); A saves version 1; B's edit based
/// on the empty definition it showed is refused with `conflict` naming A's author and
/// saves nothing; B reloads the agreement and its edit based on version 1 is saved.
pub fn a_stale_definition_edit_is_refused_with_conflict(a: &Service, b: &Service) {
    use baton_core::agreement::{DefinitionContent, Subject};
    let sql = Subject::Stage {
        stage_id: "sql".into(),
    };
    let content = |summary: &str| DefinitionContent {
        summary: summary.into(),
        ..Default::default()
    };
    let opened_by_a = a.agreement_open(&sql, "SQL").unwrap();
    let opened_by_b = b.agreement_open(&sql, "SQL").unwrap();
    assert_eq!(opened_by_a.id, opened_by_b.id);
    assert!(opened_by_b.versions.is_empty());
    let id = opened_by_a.id;
    a.definition_edit(id, content("Budget confirmed"), Some("Sam"), Some(0))
        .unwrap();
    let e = b
        .definition_edit(id, content("Asked for pricing"), Some("Mia"), Some(0))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(
        e.message.starts_with(
            "The definition \"SQL\" was changed by Sam since you opened it (now version 1: its summary)"
        ),
        "{}",
        e.message
    );
    let reloaded = b.agreement_open(&sql, "SQL").unwrap();
    assert_eq!(reloaded.versions.len(), 1, "B's refused edit saved nothing");
    assert_eq!(reloaded.versions[0].content.summary, "Budget confirmed");
    let mine = b
        .definition_edit(
            id,
            content("Asked for pricing"),
            Some("Mia"),
            Some(reloaded.versions[0].version),
        )
        .unwrap();
    assert_eq!(mine.versions[0].version, 2);
}

/// A and B open a campaign; A changes its channel; B's save and delete based on what B
/// read are refused with `conflict` and change nothing; B's save based on A's version saves.
pub fn a_stale_campaign_edit_is_refused_with_conflict(a: &Service, b: &Service) {
    use baton_service::workshop::campaigns::CampaignDraft;
    let draft = |channel: &str| CampaignDraft {
        name: "Spring webinar".into(),
        persona_id: None,
        channel: channel.into(),
        sales_input: String::new(),
    };
    let created = a.campaign_save(None, &draft("Webinar"), None).unwrap();
    let seen_by_b = b.campaigns().unwrap()[0].clone();
    let theirs = a
        .campaign_save(
            Some(created.id),
            &draft("Events"),
            Some(created.row_version),
        )
        .unwrap();
    assert_eq!(theirs.row_version, created.row_version + 1);
    let e = b
        .campaign_save(
            Some(created.id),
            &draft("Paid social"),
            Some(seen_by_b.row_version),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(
        e.message.starts_with(
            "Campaign \"Spring webinar\" was changed by someone else since you opened it (its channel)"
        ),
        "{}",
        e.message
    );
    let e = b
        .campaign_delete(created.id, Some(seen_by_b.row_version))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(b.campaigns().unwrap(), std::slice::from_ref(&theirs));
    let mine = b
        .campaign_save(
            Some(created.id),
            &draft("Paid social"),
            Some(theirs.row_version),
        )
        .unwrap();
    assert_eq!(mine.channel, "Paid social");
}

/// A and B see a parked topic open; A resolves it; B's reopening based on what B saw is
/// refused with `conflict` and changes nothing; based on A's version it reopens.
pub fn a_stale_parking_lot_change_is_refused_with_conflict(a: &Service, b: &Service) {
    use baton_core::workshop::SessionInput;
    let s = a
        .session_save(
            None,
            &SessionInput {
                title: "Workshop 1".into(),
                date: "2026-03-02".into(),
                participant_ids: Vec::new(),
                agenda: Vec::new(),
            },
            None,
        )
        .unwrap();
    let s = a.park(s.id, "Who owns recycled leads?").unwrap();
    let parked = |svc: &Service| svc.sessions().unwrap()[0].parking_lot[0].clone();
    let seen_by_b = parked(b);
    let item = &s.parking_lot[0];
    a.park_resolve(item.id, true, Some(item.row_version))
        .unwrap();
    let e = b
        .park_resolve(item.id, false, Some(seen_by_b.row_version))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(
        e.message.starts_with(
            "Parked topic \"Who owns recycled leads?\" was changed by someone else since you opened it (its status)"
        ),
        "{}",
        e.message
    );
    let now = parked(b);
    assert!(now.resolved, "B's refused change changed nothing");
    b.park_resolve(item.id, false, Some(now.row_version))
        .unwrap();
    assert!(!parked(a).resolved);
}

/// A and B open the Vocabulary screen (the stages and the value map), the business hours
/// and the company name; A changes each; B's changes based on what B saw are refused with
/// `conflict` naming A's change and change nothing; based on what B then reads, they save.
pub fn a_stale_stage_or_setting_change_is_refused_with_conflict(a: &Service, b: &Service) {
    let v = b.vocabulary().unwrap();
    let hours = b.business_hours_shown().unwrap();
    let company = b.workspace_info().unwrap().company_version;

    a.stage_rename("sql", "SQL", Some(v.stages_version))
        .unwrap();
    a.stage_map("salesqualified", "sql", Some(v.value_map_version))
        .unwrap();
    let mut short = hours.hours.clone();
    short.end_minute = 16 * 60;
    a.set_business_hours(&short, Some(hours.row_version))
        .unwrap();
    a.set_company(Some("Acme"), Some(company)).unwrap();

    let conflict = |e: baton_core::BatonError, starts: &str| {
        assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
        assert!(e.message.starts_with(starts), "{}", e.message);
    };
    conflict(
        b.stage_add("demo", "Demo", "sql", Some(v.stages_version))
            .unwrap_err(),
        "The stages were changed by someone else since you opened them (stage \"Sales Qualified Lead\" renamed to \"SQL\")",
    );
    conflict(
        b.stage_unmap("salesqualified", Some(v.value_map_version))
            .unwrap_err(),
        "The CRM values → stages map was changed by someone else since you opened it (\"salesqualified\" now counts as SQL)",
    );
    let mut weekend = hours.hours.clone();
    weekend.days.push(6);
    conflict(
        b.set_business_hours(&weekend, Some(hours.row_version))
            .unwrap_err(),
        "The business hours were changed by someone else since you opened them (their end time)",
    );
    conflict(
        b.set_company(Some("Acme Ltd"), Some(company)).unwrap_err(),
        "The company name was changed by someone else since you opened it (now \"Acme\")",
    );

    // Nothing of B's was saved; B reloads and saves.
    let now = b.vocabulary().unwrap();
    assert_eq!(now.stages.len(), 5);
    assert_eq!(now.value_map.len(), 1);
    assert_eq!(b.business_hours_shown().unwrap().hours, short);
    let info = b.workspace_info().unwrap();
    assert_eq!(info.company.as_deref(), Some("Acme"));
    b.stage_add("demo", "Demo", "sql", Some(now.stages_version))
        .unwrap();
    b.set_company(Some("Acme Ltd"), Some(info.company_version))
        .unwrap();
    assert_eq!(a.vocabulary().unwrap().stages.len(), 6);
    assert_eq!(
        a.workspace_info().unwrap().company.as_deref(),
        Some("Acme Ltd")
    );
}
