//! Workshop use cases through the service, with no window and no CLI: each write
//! validates, lands, and publishes its area with the item's id on the feed.
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::persona::{Criteria, PersonaInput};
use baton_core::workshop::{ActionInput, ActionStatus, LeadQuality, SessionInput, Team};
use baton_core::ErrorCode;
use baton_service::workshop::campaigns::{CampaignDraft, FeedbackDraft};
use baton_service::{Area, Change, Service};
use std::sync::mpsc::Receiver;

fn service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    (dir, Service::for_file(&path))
}

/// The one change published since the last call.
fn published(feed: &Receiver<Change>) -> (Area, Option<i64>) {
    let c = feed.try_recv().expect("a change was published");
    assert!(feed.try_recv().is_err(), "one change per write");
    (c.area, c.id)
}

fn persona_input(name: &str) -> PersonaInput {
    PersonaInput {
        name: name.into(),
        role: String::new(),
        company_size: String::new(),
        industry: String::new(),
        statements: Vec::new(),
        criteria: Criteria::default(),
    }
}

fn content(summary: &str) -> DefinitionContent {
    DefinitionContent {
        summary: summary.into(),
        ..DefinitionContent::default()
    }
}

#[test]
fn people_are_added_changed_and_removed() {
    let (_d, svc) = service();
    let feed = svc.feed().subscribe();
    let dana = svc
        .person_save(None, "Dana", Team::Sales, "VP", None)
        .unwrap();
    assert_eq!(published(&feed), (Area::People, Some(dana.id)));
    let moved = svc
        .person_save(Some(dana.id), "Dana", Team::Marketing, "VP", None)
        .unwrap();
    assert_eq!(moved.team, Team::Marketing);
    assert_eq!(published(&feed), (Area::People, Some(dana.id)));
    let e = svc
        .person_save(None, "  ", Team::Sales, "", None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        feed.try_recv().is_err(),
        "a refused write publishes nothing"
    );
    svc.person_delete(dana.id, None).unwrap();
    assert_eq!(published(&feed), (Area::People, Some(dana.id)));
    assert!(svc.people().unwrap().is_empty());
}

#[test]
fn personas_match_live_and_are_signed_by_both_sides() {
    let (_d, svc) = service();
    let sales = svc.person_save(None, "Sam", Team::Sales, "", None).unwrap();
    let marketing = svc
        .person_save(None, "Mia", Team::Marketing, "", None)
        .unwrap();
    let feed = svc.feed().subscribe();
    let p = svc.persona_save(None, &persona_input("CFO"), None).unwrap();
    assert_eq!(published(&feed), (Area::Personas, Some(p.id)));
    let m = svc.match_criteria(&Criteria::default()).unwrap();
    assert_eq!(m.leads, 0, "no records imported");
    assert!(feed.try_recv().is_err(), "a preview writes nothing");
    assert_eq!(svc.personas_with_matches().unwrap().len(), 1);
    let a = svc.persona_sign(p.id, sales.id).unwrap();
    assert!(!a.agreed);
    assert_eq!(published(&feed), (Area::Personas, Some(p.id)));
    let a = svc.persona_sign(p.id, marketing.id).unwrap();
    assert!(a.agreed);
    published(&feed);
    assert_eq!(svc.persona_agreements().unwrap().len(), 1);
    svc.persona_delete(p.id, None).unwrap();
    assert_eq!(published(&feed), (Area::Personas, Some(p.id)));
    assert!(svc.custom_fields().unwrap().is_empty());
    assert!(svc.criteria_field_values("industry").unwrap().is_empty());
}

#[test]
fn stages_are_renamed_added_and_mapped() {
    let (_d, svc) = service();
    let feed = svc.feed().subscribe();
    svc.stage_rename("mql", "  Marketing Lead ", None).unwrap();
    assert_eq!(published(&feed), (Area::Stages, None));
    svc.stage_add("demo", "Demo booked", "mql", None).unwrap();
    published(&feed);
    svc.stage_map("Demo Booked", "demo", None).unwrap();
    published(&feed);
    let v = svc.vocabulary().unwrap();
    let names: Vec<_> = v.stages.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Marketing Lead"), "{names:?}");
    assert!(names.contains(&"Demo booked"), "{names:?}");
    svc.stage_unmap("Demo Booked", None).unwrap();
    published(&feed);
    assert!(svc.stage_map("x", "no_such_stage", None).is_err());
}

#[test]
fn a_stage_definition_is_written_signed_and_withdrawn() {
    let (_d, svc) = service();
    let sam = svc.person_save(None, "Sam", Team::Sales, "", None).unwrap();
    let mia = svc
        .person_save(None, "Mia", Team::Marketing, "", None)
        .unwrap();
    let feed = svc.feed().subscribe();
    let a = svc
        .stage_definition_edit("mql", content("asked for a demo"), None)
        .unwrap();
    assert_eq!(published(&feed), (Area::Agreements, Some(a.id)));
    assert_eq!(a.title, "Marketing Qualified Lead");
    let e = svc
        .stage_definition_edit("nope", content("x"), None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    // Signing: the latest version when none is named; an older one is refused.
    svc.sign_off(a.id, sam.id, None).unwrap();
    assert_eq!(published(&feed), (Area::Agreements, Some(a.id)));
    svc.definition_edit(a.id, content("asked for a demo twice"), Some("Mia"), None)
        .unwrap();
    published(&feed);
    let stale = svc.sign_off(a.id, mia.id, Some(1)).unwrap_err();
    assert_eq!(stale.code, ErrorCode::Conflict);
    assert!(feed.try_recv().is_err());
    svc.sign_off(a.id, sam.id, Some(2)).unwrap();
    let agreed = svc.sign_off(a.id, mia.id, Some(2)).unwrap();
    assert!(agreed.agreed);
    let back = svc.withdraw_sign_off(a.id, mia.id).unwrap();
    assert!(!back.agreed);
    // Opening the same subject again is the same agreement.
    let again = svc
        .agreement_open(
            &Subject::Stage {
                stage_id: "mql".into(),
            },
            "MQL",
        )
        .unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(svc.agreements().unwrap().len(), 1);
}

#[test]
fn saved_definition_criteria_explain_what_is_missing() {
    let (_d, svc) = service();
    let e = svc.saved_definition_criteria("mql", None).unwrap_err();
    assert!(
        e.message.contains("has not been written yet"),
        "{}",
        e.message
    );
    svc.stage_definition_edit("mql", content("a demo"), None)
        .unwrap();
    let e = svc.saved_definition_criteria("mql", None).unwrap_err();
    assert!(e.message.contains("no machine criteria"), "{}", e.message);
    let e = svc.saved_definition_criteria("mql", Some(7)).unwrap_err();
    assert!(e.message.contains("no version 7"), "{}", e.message);
}

#[test]
fn a_blind_round_hides_drafts_until_revealed_then_merges() {
    let (_d, svc) = service();
    let a = svc
        .agreement_open(
            &Subject::Stage {
                stage_id: "sql".into(),
            },
            "SQL",
        )
        .unwrap();
    let feed = svc.feed().subscribe();
    svc.blind_submit(a.id, Team::Sales, content("sales' view"))
        .unwrap();
    assert_eq!(published(&feed), (Area::Agreements, Some(a.id)));
    assert!(svc.blind_merge(a.id, content("both")).is_err());
    svc.blind_submit(a.id, Team::Marketing, content("marketing's view"))
        .unwrap();
    published(&feed);
    let r = svc.blind_reveal(a.id).unwrap();
    assert!(r.revealed);
    assert_eq!(published(&feed), (Area::Agreements, Some(a.id)));
    let merged = svc.blind_merge(a.id, content("both")).unwrap();
    assert_eq!(merged.versions[0].content.summary, "both");
    assert_eq!(published(&feed), (Area::Agreements, Some(a.id)));
    assert!(svc.blind_round(a.id).is_ok());
}

#[test]
fn sessions_log_decisions_and_park_topics() {
    let (_d, svc) = service();
    let feed = svc.feed().subscribe();
    let input = SessionInput {
        title: "Kick-off".into(),
        date: "2026-11-20".into(),
        participant_ids: Vec::new(),
        agenda: Vec::new(),
    };
    let s = svc.session_save(None, &input, None).unwrap();
    assert_eq!(published(&feed), (Area::Sessions, Some(s.id)));
    let s = svc.log_decision(s.id, "MQLs need a demo request").unwrap();
    assert_eq!(published(&feed), (Area::Decisions, Some(s.id)));
    let s = svc.park(s.id, "lead scoring").unwrap();
    published(&feed);
    svc.park_resolve(
        s.parking_lot[0].id,
        true,
        Some(s.parking_lot[0].row_version),
    )
    .unwrap();
    assert_eq!(published(&feed).0, Area::Decisions);
    // A refused decision leaves no empty session behind.
    let e = svc
        .log_decision_in_new_session("Follow-up", "2026-11-27", " ")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(svc.sessions().unwrap().len(), 1);
    let n = svc
        .log_decision_in_new_session("Follow-up", "2026-11-27", "SLA 48h")
        .unwrap();
    assert_eq!(n.decisions.len(), 1);
    published(&feed);
    svc.session_delete(s.id, None).unwrap();
    assert_eq!(published(&feed), (Area::Sessions, Some(s.id)));
}

#[test]
fn parked_topics_become_decisions_or_action_items_of_their_session() {
    let (_d, svc) = service();
    let s = svc
        .session_save(
            None,
            &SessionInput {
                title: "Kick-off".into(),
                date: "2026-11-20".into(),
                participant_ids: Vec::new(),
                agenda: Vec::new(),
            },
            None,
        )
        .unwrap();
    svc.park(s.id, "Partner leads skip MQL").unwrap();
    let s = svc.park(s.id, "Weekly SLA review").unwrap();
    let (first, second) = (s.parking_lot[0].id, s.parking_lot[1].id);
    let feed = svc.feed().subscribe();

    let s = svc.park_to_decision(first).unwrap();
    assert_eq!(published(&feed), (Area::Decisions, Some(s.id)));
    assert_eq!(s.decisions.len(), 1);
    assert_eq!(s.decisions[0].text, "Partner leads skip MQL");
    assert!(s.parking_lot[0].resolved && !s.parking_lot[1].resolved);

    let a = svc.park_to_action(second).unwrap();
    assert_eq!(published(&feed), (Area::Actions, Some(a.id)));
    assert_eq!(a.text, "Weekly SLA review");
    assert_eq!(a.session_id, Some(s.id));
    let s = svc.sessions().unwrap().remove(0);
    assert!(s.parking_lot.iter().all(|p| p.resolved));

    // An unknown item changes nothing.
    let e = svc.park_to_decision(9_999).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(svc.sessions().unwrap()[0].decisions.len(), 1);
    assert_eq!(svc.actions().unwrap().len(), 1);
}

#[test]
fn action_items_are_added_moved_and_removed() {
    let (_d, svc) = service();
    let feed = svc.feed().subscribe();
    let input = ActionInput {
        text: "Write the MQL definition".into(),
        owner_id: None,
        due: Some("2026-12-01".into()),
        session_id: None,
    };
    let a = svc.action_add(&input).unwrap();
    assert_eq!(published(&feed), (Area::Actions, Some(a.id)));
    let a = svc.action_status(a.id, ActionStatus::Done, None).unwrap();
    assert_eq!(a.status, ActionStatus::Done);
    published(&feed);
    let bad = ActionInput {
        due: Some("01/12/2026".into()),
        ..input.clone()
    };
    assert!(svc
        .action_update(a.id, &bad, ActionStatus::Open, Some(a.row_version))
        .is_err());
    assert!(feed.try_recv().is_err());
    svc.action_update(a.id, &input, ActionStatus::Open, None)
        .unwrap();
    published(&feed);
    svc.action_delete(a.id, None).unwrap();
    assert_eq!(published(&feed), (Area::Actions, Some(a.id)));
    assert!(svc.actions().unwrap().is_empty());
}

#[test]
fn dot_votes_hide_the_tally_until_revealed() {
    let (_d, svc) = service();
    let sam = svc.person_save(None, "Sam", Team::Sales, "", None).unwrap();
    let feed = svc.feed().subscribe();
    let items = vec!["SLA".to_string(), "Scoring".to_string()];
    let v = svc.dot_vote_create(None, "Next", &items, 3).unwrap();
    assert_eq!(published(&feed), (Area::Votes, Some(v.id)));
    let v = svc.dot_cast(v.id, sam.id, &[2, 1]).unwrap();
    assert!(v.tally.is_empty() && v.ballots_cast == 1);
    published(&feed);
    let v = svc.dot_reveal(v.id).unwrap();
    assert_eq!(v.tally, [2, 1]);
    assert_eq!(svc.dot_votes(None).unwrap().len(), 1);
}

#[test]
fn campaigns_collect_feedback() {
    let (_d, svc) = service();
    let feed = svc.feed().subscribe();
    let draft = CampaignDraft {
        name: "Webinar".into(),
        persona_id: None,
        channel: "events".into(),
        sales_input: "ask about budget".into(),
    };
    let c = svc.campaign_save(None, &draft, None).unwrap();
    assert_eq!(published(&feed), (Area::Campaigns, Some(c.id)));
    svc.feedback_add(&FeedbackDraft {
        campaign_id: c.id,
        person_id: None,
        quality: LeadQuality::Good,
        about: "webinar".into(),
        note: String::new(),
    })
    .unwrap();
    assert_eq!(published(&feed), (Area::Campaigns, Some(c.id)));
    assert_eq!(svc.feedback_summary().unwrap().by_campaign[0].good, 1);
    let renamed = svc
        .campaign_save(
            Some(c.id),
            &CampaignDraft {
                name: "Webinar Q4".into(),
                ..draft
            },
            Some(c.row_version),
        )
        .unwrap();
    assert_eq!(renamed.name, "Webinar Q4");
    published(&feed);
    svc.campaign_delete(c.id, Some(renamed.row_version))
        .unwrap();
    assert!(svc.campaigns().unwrap().is_empty());
}
