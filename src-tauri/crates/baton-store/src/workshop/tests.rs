use crate::prelude::*;
use crate::{StoredRecord, Workspace};
use baton_core::agreement::{DefinitionContent, Subject, Term, VersionStatus};
use baton_core::persona::Condition;
use baton_core::persona::{Criteria, PersonaInput};
use baton_core::workshop::{ActionInput, ActionStatus, LeadQuality, SessionInput, Team};
use baton_core::ErrorCode;
use rusqlite::params;

fn ws() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    (dir, ws)
}

fn content(summary: &str) -> DefinitionContent {
    DefinitionContent {
        summary: summary.into(),
        fit: vec!["50+ employees".into()],
        ..Default::default()
    }
}

#[test]
fn sign_off_needs_sales_and_marketing_and_edit_reopens() {
    let (_d, ws) = ws();
    let sam = ws.add_person("Sam", Team::Sales, "Head of Sales").unwrap();
    let sue = ws.add_person("Sue", Team::Sales, "AE").unwrap();
    let mia = ws.add_person("Mia", Team::Marketing, "CMO").unwrap();
    let lee = ws.add_person("Lee", Team::Leadership, "CEO").unwrap();
    let id = ws
        .ensure_agreement(
            &Subject::Stage {
                stage_id: "mql".into(),
            },
            "MQL",
        )
        .unwrap();
    assert_eq!(
        ws.sign_off(id, sam.id, 1).unwrap_err().code,
        ErrorCode::Conflict,
        "nothing to sign before the first version"
    );
    ws.edit_definition(id, content("Fits and engaged"), Some("Mia"))
        .unwrap();
    let a = ws.sign_off(id, sam.id, 1).unwrap();
    let a2 = ws.sign_off(id, sue.id, 1).unwrap();
    assert!(
        !a.agreed && !a2.agreed,
        "two sales sign-offs are not enough"
    );
    assert_eq!(a2.missing_sides, vec![Team::Marketing]);
    assert_eq!(
        ws.sign_off(id, lee.id, 1).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let a = ws.sign_off(id, mia.id, 1).unwrap();
    assert!(a.agreed);
    assert_eq!(a.last_agreed_version, Some(1));
    assert_eq!(a.versions[0].status, VersionStatus::Agreed);

    // Editing the agreed definition makes version 2, open, with v1 still agreed in history.
    let a = ws
        .edit_definition(id, content("Fits, engaged, and asked for pricing"), None)
        .unwrap();
    assert!(!a.agreed);
    assert_eq!(a.versions.len(), 2);
    assert_eq!(a.versions[0].version, 2);
    assert_eq!(a.versions[0].status, VersionStatus::Open);
    assert!(a.versions[0].sign_offs.is_empty());
    assert!(a.versions[0].note.contains("reopened"));
    assert_eq!(a.versions[1].status, VersionStatus::Agreed);
    assert_eq!(a.last_agreed_version, Some(1));
    assert_eq!(a.missing_sides, vec![Team::Sales, Team::Marketing]);

    // An unchanged edit makes no version; an unagreed older version shows as superseded.
    let same = ws.edit_definition(id, content("Fits, engaged, and asked for pricing"), None);
    assert_eq!(same.unwrap_err().code, ErrorCode::Conflict);
    ws.sign_off(id, sam.id, 2).unwrap();
    let a = ws.edit_definition(id, content("v3"), None).unwrap();
    assert_eq!(a.versions[1].status, VersionStatus::Superseded);
    let a = ws.withdraw_sign_off(id, sam.id);
    assert_eq!(
        a.unwrap_err().code,
        ErrorCode::NotFound,
        "sam signed v2, not v3"
    );
}

#[test]
fn sla_clause_and_goal_subjects_are_agreed_the_same_way() {
    let (_d, ws) = ws();
    let s = ws.add_person("Sam", Team::Sales, "").unwrap();
    let m = ws.add_person("Mia", Team::Marketing, "").unwrap();
    let clause = ws.add_sla_clause(&clause_input(24)).unwrap();
    let subject = Subject::SlaClause {
        clause_id: clause.id,
    };
    let id = ws.ensure_agreement(&subject, "MQL follow-up 24h").unwrap();
    assert_eq!(ws.ensure_agreement(&subject, "again").unwrap(), id);
    ws.edit_definition(id, content("Every MQL followed up within 24 hours"), None)
        .unwrap();
    ws.sign_off(id, s.id, 1).unwrap();
    ws.sign_off(id, m.id, 1).unwrap();
    let a = ws.agreement_for(&subject).unwrap().unwrap();
    assert!(a.agreed);
    assert!(ws
        .agreement_for(&Subject::Goal { goal_id: 4 })
        .unwrap()
        .is_none());
    let e = ws
        .ensure_agreement(&Subject::Goal { goal_id: 4 }, "no such goal")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn blind_drafts_stay_hidden_until_both_are_in_then_merge() {
    let (_d, ws) = ws();
    let id = ws
        .ensure_agreement(
            &Subject::Stage {
                stage_id: "sql".into(),
            },
            "SQL",
        )
        .unwrap();
    let sales = DefinitionContent {
        summary: "Budget and timeline confirmed".into(),
        fit: vec!["EU".into()],
        ..Default::default()
    };
    let marketing = DefinitionContent {
        summary: "Asked for pricing".into(),
        fit: vec!["EU".into(), "SaaS".into()],
        ..Default::default()
    };
    let r = ws.submit_blind_draft(id, Team::Sales, sales).unwrap();
    assert!(r.sales_submitted && !r.marketing_submitted && r.comparison.is_none());
    let e = ws.reveal_blind_drafts(id).unwrap_err();
    assert!(
        e.message.contains("waiting for the marketing draft"),
        "{}",
        e.message
    );
    assert_eq!(
        ws.merge_blind_drafts(id, content("x"), None)
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    ws.submit_blind_draft(id, Team::Marketing, marketing)
        .unwrap();
    assert!(
        ws.blind_round(id).unwrap().comparison.is_none(),
        "hidden before reveal"
    );
    let r = ws.reveal_blind_drafts(id).unwrap();
    let c = r.comparison.unwrap();
    assert!(c.summaries_differ);
    assert_eq!(c.fields[0].both, vec!["EU"]);
    assert_eq!(c.fields[0].only_marketing, vec!["SaaS"]);
    assert!(ws
        .submit_blind_draft(id, Team::Sales, content("late"))
        .is_err());
    let a = ws
        .merge_blind_drafts(id, c.union, Some("facilitator"))
        .unwrap();
    assert_eq!(a.versions.len(), 1);
    assert_eq!(a.versions[0].note, "merged from blind drafts");
    assert_eq!(a.versions[0].content.fit, vec!["EU", "SaaS"]);
    let r = ws.blind_round(id).unwrap();
    assert!(
        !r.revealed && !r.sales_submitted,
        "a merge closes the round"
    );
}

#[test]
fn diagnostic_run_scores_teams_and_gap() {
    let (_d, ws) = ws();
    let s = ws.add_person("Sam", Team::Sales, "").unwrap();
    let m = ws.add_person("Mia", Team::Marketing, "").unwrap();
    let run = ws
        .create_diagnostic_run("Q1 2026", "2026-03-31", true)
        .unwrap();
    let mut sales = vec![4u8; 20];
    sales[4] = 5; // statement 5: sales 5, marketing 1 → gap 4, first.
    let mut marketing = vec![2u8; 20];
    marketing[4] = 1;
    ws.answer_diagnostic(run, s.id, &sales).unwrap();
    let bad = ws.answer_diagnostic(run, m.id, &[0; 20]).unwrap_err();
    assert!(
        bad.message
            .starts_with("Mia's answers: statement 1: rating 0"),
        "{}",
        bad.message
    );
    ws.answer_diagnostic(run, m.id, &marketing).unwrap();
    let open = ws.diagnostic_run(run).unwrap();
    assert_eq!(open.answered, vec!["Sam", "Mia"]);
    assert!(open.named && open.result.is_none());
    ws.close_diagnostic_run(run).unwrap();
    let r = ws.diagnostic_run(run).unwrap();
    let res = r.result.unwrap();
    assert_eq!(res.people[0].score, 81);
    assert_eq!(res.people[1].score, 39);
    let team = |t: Team| res.teams.iter().find(|x| x.team == t).unwrap().level;
    use baton_core::diagnostic::Level;
    assert_eq!(team(Team::Sales), Some(Level::Integrated));
    assert_eq!(team(Team::Marketing), Some(Level::Undefined));
    assert_eq!(res.gaps[0].number, 5);
    assert_eq!(res.gaps[0].gap, 4.0);
    assert_eq!(
        ws.answer_diagnostic(run, s.id, &sales).unwrap_err().code,
        ErrorCode::Conflict
    );
    let later = ws
        .create_diagnostic_run("Q2 2026", "2026-06-30", false)
        .unwrap();
    ws.answer_diagnostic(later, s.id, &[3; 20]).unwrap();
    ws.answer_diagnostic(later, m.id, &[3; 20]).unwrap();
    // An open run stays out of the trend until its results are revealed.
    let names = |ws: &Workspace| -> Vec<String> {
        ws.diagnostic_trend()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect()
    };
    assert_eq!(names(&ws), ["Q1 2026"]);
    ws.reveal_diagnostic_run(later, true).unwrap();
    let trend = ws.diagnostic_trend().unwrap();
    assert_eq!(names(&ws), ["Q1 2026", "Q2 2026"]);
    assert_eq!(trend[1].overall_mean, Some(60.0));
    // One answer per team in an anonymous run: no team mean.
    assert!(trend[1].teams.iter().all(|t| t.mean_score.is_none()));
}

fn record(id: &str, industry: &str, size: i64, stage: &str, outcome: Option<&str>) -> StoredRecord {
    StoredRecord {
        kind: "contact".into(),
        external_id: id.into(),
        current_stage: Some(stage.into()),
        outcome: outcome.map(str::to_string),
        industry: Some(industry.into()),
        company_size: Some(size),
        ..Default::default()
    }
}

#[test]
fn persona_criteria_count_matching_records_and_conversion() {
    let (_d, ws) = ws();
    ws.insert_records_unchecked(
        "t.csv",
        0,
        &[
            record("1", "Software", 120, "customer", Some("won")),
            record("2", "Software", 80, "mql", None),
            record("3", "software", 20, "customer", Some("won")),
            record("4", "Retail", 500, "lead", None),
            record("5", "Software", 60, "lost", Some("lost")),
            // A deal from another file: not part of the contacts' "rest".
            StoredRecord {
                kind: "deal".into(),
                ..record("D1", "", 0, "customer", Some("won"))
            },
        ],
    )
    .unwrap();
    let p = ws
        .add_persona(&PersonaInput {
            name: "Scale-up CTO".into(),
            role: "CTO".into(),
            company_size: "50–500".into(),
            industry: "Software".into(),
            statements: vec![],
            criteria: Criteria {
                all: vec![
                    Condition::In {
                        field: "industry".into(),
                        values: vec!["Software".into()],
                    },
                    Condition::AtLeast {
                        field: "company_size".into(),
                        value: 50.0,
                    },
                ],
            },
        })
        .unwrap();
    let m = ws.match_criteria(p.id, &p.criteria).unwrap();
    assert_eq!((m.leads, m.mqls, m.customers), (3, 2, 1));
    assert_eq!((m.rest_leads, m.rest_customers), (2, 1));
    assert!((m.conversion.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(m.rest_conversion, Some(0.5));
    assert_eq!(ws.persona_matches().unwrap(), vec![m]);
}

#[test]
fn actions_persist_across_sessions_and_track_status() {
    let (_d, ws) = ws();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap();
    let s1 = ws
        .create_session(&SessionInput {
            title: "Kick-off".into(),
            date: "2026-01-10".into(),
            participant_ids: vec![sam.id],
            agenda: vec![baton_core::workshop::AgendaBlock {
                title: "Personas".into(),
                minutes: 45,
            }],
        })
        .unwrap();
    ws.log_decision(s1.id, "MQL requires a demo request")
        .unwrap();
    let s = ws.park_topic(s1.id, "Partner leads").unwrap();
    assert_eq!(s.decisions.len(), 1);
    ws.resolve_parked(s.parking_lot[0].id, true).unwrap();
    let a = ws
        .add_action(&ActionInput {
            text: "Draft reject codes".into(),
            owner_id: Some(sam.id),
            due: Some("2000-01-01".into()),
            session_id: Some(s1.id),
        })
        .unwrap();
    assert!(a.overdue);
    assert_eq!(a.owner_name.as_deref(), Some("Sam"));
    let bad = ws.add_action(&ActionInput {
        text: "x".into(),
        owner_id: None,
        due: Some("soon".into()),
        session_id: None,
    });
    assert!(bad.unwrap_err().message.contains("expected YYYY-MM-DD"));
    ws.delete_session(s1.id, None).unwrap();
    let all = ws.actions().unwrap();
    assert_eq!(all.len(), 1, "action items outlive their session");
    assert_eq!(all[0].session_id, None);
    let done = ws
        .set_action_status(a.id, ActionStatus::Done, None)
        .unwrap();
    assert!(!done.overdue);
}

#[test]
fn dot_votes_are_anonymous_and_hidden_until_revealed() {
    let (_d, ws) = ws();
    let a = ws.add_person("A", Team::Sales, "").unwrap();
    let b = ws.add_person("B", Team::Marketing, "").unwrap();
    let c = ws.add_person("C", Team::Marketing, "").unwrap();
    let items = vec![
        "Persona pains".to_string(),
        "SLA 24h".into(),
        "Partner leads".into(),
    ];
    let v = ws.create_dot_vote(None, "What next?", &items, 3).unwrap();
    let v1 = ws.cast_dots(v.id, a.id, &[2, 1, 0]).unwrap();
    assert_eq!(v1.ballots_cast, 1);
    assert!(v1.tally.is_empty(), "no tally before reveal");
    assert_eq!(
        ws.cast_dots(v.id, a.id, &[1, 0, 0]).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert!(ws.cast_dots(v.id, b.id, &[4, 0, 0]).is_err());
    ws.cast_dots(v.id, b.id, &[1, 0, 2]).unwrap();
    let r = ws.reveal_dot_vote(v.id).unwrap();
    assert_eq!(r.tally, vec![3, 1, 2]);
    // C has not voted yet: only the reveal stands in the way of a late ballot.
    let late = ws.cast_dots(v.id, c.id, &[1, 0, 0]).unwrap_err();
    assert_eq!(late.code, ErrorCode::Conflict);
    assert_eq!(late.message, "the vote was already revealed");
    let after = ws.dot_vote(v.id).unwrap();
    assert_eq!((after.ballots_cast, after.tally), (2, vec![3, 1, 2]));
}

#[test]
fn campaigns_collect_sales_feedback() {
    let (_d, ws) = ws();
    let s = ws.add_person("Sam", Team::Sales, "").unwrap();
    let c = ws
        .save_campaign(
            "Q2 Webinar",
            None,
            "Webinar",
            "Need 20 SQLs, follow-up within a day",
        )
        .unwrap();
    ws.add_lead_feedback(
        c.id,
        Some(s.id),
        LeadQuality::Good,
        "Webinar replay",
        "Great fit",
    )
    .unwrap();
    let c2 = ws
        .save_campaign("q2 webinar", None, "Webinar", "Updated")
        .unwrap();
    assert_eq!(c2.id, c.id);
    assert_eq!(c2.sales_input, "Updated");
    assert_eq!(c2.feedback[0].quality, LeadQuality::Good);
}

#[test]
fn sign_off_refuses_a_stale_version() {
    let (_d, ws) = ws();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap();
    let id = ws
        .ensure_agreement(
            &Subject::Stage {
                stage_id: "sql".into(),
            },
            "SQL",
        )
        .unwrap();
    ws.edit_definition(id, content("v1"), None).unwrap();
    // Someone else saves v2 while v1 is still on the signer's screen.
    ws.edit_definition(id, content("v2"), None).unwrap();
    let e = ws.sign_off(id, sam.id, 1).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("version 2 is"), "{}", e.message);
    assert!(ws.agreement(id).unwrap().versions[0].sign_offs.is_empty());
    let a = ws.sign_off(id, sam.id, 2).unwrap();
    assert_eq!(a.versions[0].sign_offs[0].name, "Sam");
}

fn clause_input(hours: i64) -> baton_core::sla::SlaClauseInput {
    baton_core::sla::SlaClauseInput {
        name: "MQL follow-up".into(),
        from_stage: "mql".into(),
        to: baton_core::sla::SlaTarget::Stage("sql".into()),
        within_seconds: hours * 3600,
        clock: baton_core::sla::Clock::Calendar,
    }
}

#[test]
fn sla_agreement_keeps_the_clause_terms_and_reopens_when_they_change() {
    let (_d, ws) = ws();
    let s = ws.add_person("Sam", Team::Sales, "").unwrap();
    let m = ws.add_person("Mia", Team::Marketing, "").unwrap();
    let clause = ws.add_sla_clause(&clause_input(24)).unwrap();
    let subject = Subject::SlaClause {
        clause_id: clause.id,
    };
    let id = ws.ensure_agreement(&subject, &clause.name).unwrap();
    ws.edit_definition(id, content("Sales calls every MQL within a day"), None)
        .unwrap();
    ws.sign_off(id, s.id, 1).unwrap();
    let a = ws.sign_off(id, m.id, 1).unwrap();
    assert!(a.agreed && !a.terms_changed);
    let within = |terms: &[Term]| {
        terms
            .iter()
            .find(|t| t.label == "Within")
            .map(|t| t.value.clone())
    };
    assert_eq!(within(&a.versions[0].terms).as_deref(), Some("24h"));
    assert_eq!(a.current_terms, a.versions[0].terms);

    // The metrics area changes the clause's allowed time: the agreement reopens.
    ws.conn
        .execute(
            "UPDATE sla_clauses SET within_seconds = ?2 WHERE id = ?1",
            params![clause.id, 48 * 3600],
        )
        .unwrap();
    let a = ws.agreement(id).unwrap();
    assert!(a.terms_changed && !a.agreed);
    assert_eq!(a.missing_sides, vec![Team::Sales, Team::Marketing]);
    assert_eq!(within(&a.current_terms).as_deref(), Some("48h"));
    assert_eq!(within(&a.versions[0].terms).as_deref(), Some("24h"));
    let e = ws.sign_off(id, s.id, 1).unwrap_err();
    assert!(e.message.contains("terms changed"), "{}", e.message);
    // Same wording, new terms: a new version to sign.
    let a = ws
        .edit_definition(id, content("Sales calls every MQL within a day"), None)
        .unwrap();
    assert_eq!(a.versions[0].version, 2);
    assert_eq!(within(&a.versions[0].terms).as_deref(), Some("48h"));
    assert!(!a.terms_changed);
    ws.sign_off(id, s.id, 2).unwrap();
    assert!(ws.sign_off(id, m.id, 2).unwrap().agreed);

    // Deleting the clause deletes its agreement with versions and sign-offs.
    ws.delete_sla_clause(clause.id).unwrap();
    assert!(ws.agreement_for(&subject).unwrap().is_none());
    assert_eq!(ws.agreement(id).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn goal_agreement_snapshots_the_goal_and_goes_with_it() {
    let (_d, ws) = ws();
    let goal = ws
        .add_goal(&baton_core::goal::GoalInput {
            name: "More SQLs".into(),
            metric: baton_core::goal::GoalMetric::Reached {
                stage: "sql".into(),
            },
            target: 120.0,
            period: baton_core::goal::GoalPeriod::parse("2026-Q2").unwrap(),
            team: "sales".into(),
        })
        .unwrap();
    let subject = Subject::Goal { goal_id: goal.id };
    let id = ws.ensure_agreement(&subject, &goal.name).unwrap();
    let a = ws.edit_definition(id, content("120 SQLs"), None).unwrap();
    let terms: Vec<_> = a.versions[0]
        .terms
        .iter()
        .map(|t| format!("{}={}", t.label, t.value))
        .collect();
    assert_eq!(
        terms,
        [
            "Metric=sql count",
            "Target=120",
            "Period=2026-Q2",
            "Team=sales"
        ]
    );
    ws.delete_goal(goal.id).unwrap();
    assert!(ws.agreement_for(&subject).unwrap().is_none());
}

#[test]
fn duplicate_vote_items_are_merged_ignoring_case() {
    let (_d, ws) = ws();
    let items: Vec<String> = ["Partner leads", "partner leads ", "SLA 24h"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let v = ws.create_dot_vote(None, "Next?", &items, 2).unwrap();
    assert_eq!(v.items, ["Partner leads", "SLA 24h"]);
    let only_one: Vec<String> = vec!["Pains".into(), "PAINS".into()];
    let e = ws.create_dot_vote(None, "x", &only_one, 2).unwrap_err();
    assert!(e.message.contains("at least two"), "{}", e.message);
}

#[test]
fn action_owner_and_due_date_can_change() {
    let (_d, ws) = ws();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap();
    let mia = ws.add_person("Mia", Team::Marketing, "").unwrap();
    let a = ws
        .add_action(&ActionInput {
            text: "Draft reject codes".into(),
            owner_id: Some(sam.id),
            due: None,
            session_id: None,
        })
        .unwrap();
    let b = ws
        .update_action(
            a.id,
            &ActionInput {
                text: a.text.clone(),
                owner_id: Some(mia.id),
                due: Some("2030-01-31".into()),
                session_id: None,
            },
            ActionStatus::InProgress,
            None,
        )
        .unwrap();
    assert_eq!(b.owner_name.as_deref(), Some("Mia"));
    assert_eq!(b.due.as_deref(), Some("2030-01-31"));
    assert_eq!(b.status, ActionStatus::InProgress);
    let e = ws.update_action(
        a.id,
        &ActionInput {
            text: a.text.clone(),
            owner_id: Some(999),
            due: None,
            session_id: None,
        },
        ActionStatus::Open,
        None,
    );
    assert_eq!(e.unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn campaigns_can_be_renamed_and_feedback_is_summarised() {
    let (_d, ws) = ws();
    let s = ws.add_person("Sam", Team::Sales, "").unwrap();
    let web = ws.save_campaign("Webinar", None, "Webinar", "").unwrap();
    let ads = ws.save_campaign("Ads", None, "Paid social", "").unwrap();
    let e = ws
        .update_campaign(ads.id, "webinar", None, "", "")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let web = ws
        .update_campaign(web.id, "Spring webinar", None, "Webinar", "20 SQLs")
        .unwrap();
    assert_eq!(web.name, "Spring webinar");
    for (c, q, about) in [
        (web.id, LeadQuality::Good, "Replay"),
        (web.id, LeadQuality::Good, "replay"),
        (ads.id, LeadQuality::Poor, "Carousel ad"),
    ] {
        ws.add_lead_feedback(c, Some(s.id), q, about, "").unwrap();
    }
    let sum = ws.feedback_summary().unwrap();
    assert_eq!(sum.by_campaign[0].key, "Spring webinar");
    assert_eq!(sum.by_campaign[0].good, 2);
    assert!(sum.by_about[0].key.eq_ignore_ascii_case("replay"));
    assert_eq!(sum.by_about[0].good, 2);
    assert_eq!(sum.by_about[1].poor, 1);
    ws.delete_campaign(ads.id).unwrap();
    assert_eq!(ws.feedback_summary().unwrap().by_campaign.len(), 1);
}

#[test]
fn stages_are_renamed_and_added_in_place() {
    let (_d, ws) = ws();
    ws.rename_stage("mql", "Marketing Qualified").unwrap();
    ws.add_stage("sal", "Sales Accepted Lead", Some("mql"))
        .unwrap();
    let stages = ws.stages().unwrap();
    let ids: Vec<_> = stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["lead", "mql", "sal", "sql", "opportunity", "customer"]
    );
    assert!(stages
        .iter()
        .enumerate()
        .all(|(i, s)| s.position as usize == i));
    assert_eq!(stages[1].name, "Marketing Qualified");
    assert_eq!(
        ws.add_stage("sal", "again", None).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(
        ws.rename_stage("nope", "x").unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(ws.add_stage("Bad Id", "x", None).is_err());
}

#[test]
fn crm_values_map_to_stages() {
    let (_d, ws) = ws();
    ws.set_stage_value(" salesqualifiedlead ", "sql").unwrap();
    ws.set_stage_value("closedlost", "lost").unwrap();
    ws.set_stage_value("salesqualifiedlead", "opportunity")
        .unwrap();
    assert!(ws.set_stage_value("x", "nowhere").is_err());
    let view = ws.vocabulary_view().unwrap();
    let map: Vec<_> = view
        .value_map
        .iter()
        .map(|v| (v.crm_value.as_str(), v.stage_id.as_str()))
        .collect();
    assert_eq!(
        map,
        [
            ("closedlost", "lost"),
            ("salesqualifiedlead", "opportunity")
        ]
    );
    ws.remove_stage_value("closedlost").unwrap();
    assert_eq!(ws.stage_value_map().unwrap().len(), 1);
}

#[test]
fn custom_fields_of_records_can_be_criteria() {
    let (_d, ws) = ws();
    let with = |id: &str, score: &str| StoredRecord {
        custom: vec![("Lead Score".into(), score.into())],
        ..record(id, "Software", 100, "lead", None)
    };
    ws.insert_records_unchecked(
        "t.csv",
        0,
        &[with("1", "87"), with("2", "40"), with("3", "87")],
    )
    .unwrap();
    assert_eq!(ws.custom_field_names().unwrap(), ["Lead Score"]);
    let values = ws.field_values("Lead Score", 10).unwrap();
    assert_eq!(values[0].value, "87");
    assert_eq!(values[0].count, 2);
}

#[test]
fn workshop_writes_leave_the_record_data_version_alone() {
    let (_d, ws) = ws();
    let v0 = ws.data_version().unwrap();
    let sam = ws.add_person("Sam", Team::Sales, "AE").unwrap();
    let campaign = ws.save_campaign("Webinar", None, "email", "").unwrap();
    ws.add_lead_feedback(campaign.id, Some(sam.id), LeadQuality::Good, "webinar", "")
        .unwrap();
    ws.delete_person(sam.id, None).unwrap();
    assert_eq!(
        ws.data_version().unwrap(),
        v0,
        "people and campaigns are not record data: the metrics dataset need not reload"
    );
    ws.set_setting("company", "\"Acme\"").unwrap();
    assert!(ws.data_version().unwrap() > v0, "settings still count");
}

#[test]
fn a_persona_is_agreed_once_both_sides_signed_it_and_an_edit_reopens_it() {
    let (_d, ws) = ws();
    let sam = ws.add_person("Sam", Team::Sales, "Head of Sales").unwrap();
    let mia = ws.add_person("Mia", Team::Marketing, "CMO").unwrap();
    let lee = ws.add_person("Lee", Team::Leadership, "CEO").unwrap();
    let input = PersonaInput {
        name: "Ops Olivia".into(),
        role: "Head of operations".into(),
        company_size: String::new(),
        industry: "Software".into(),
        statements: vec![],
        criteria: Criteria::default(),
    };
    let p = ws.add_persona(&input).unwrap();
    assert!(ws.persona_agreements().unwrap().is_empty());

    // Only sales and marketing sign; nothing is written for a refused signer.
    assert_eq!(
        ws.sign_persona(p.id, lee.id).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert!(ws.persona_agreements().unwrap().is_empty());

    let a = ws.sign_persona(p.id, sam.id).unwrap();
    assert!(!a.agreed);
    assert_eq!(a.missing_sides, vec![Team::Marketing]);
    assert_eq!(a.versions[0].terms[0].value, "Ops Olivia");
    let a = ws.sign_persona(p.id, mia.id).unwrap();
    assert!(a.agreed);
    assert_eq!(a.versions.len(), 1);

    // Editing the persona changes its terms: no longer agreed until both sign again.
    let edited = PersonaInput {
        name: "Ops Olivia (EU)".into(),
        ..input
    };
    ws.update_persona(p.id, &edited, None).unwrap();
    let a = ws.persona_agreements().unwrap().remove(0);
    assert!(!a.agreed && a.terms_changed);
    assert_eq!(a.last_agreed_version, Some(1));
    let a = ws.sign_persona(p.id, mia.id).unwrap();
    assert_eq!(a.versions.len(), 2);
    assert_eq!(a.title, "Ops Olivia (EU)");
    assert!(!a.agreed);
    assert!(ws.sign_persona(p.id, sam.id).unwrap().agreed);

    // Deleting the persona deletes its agreement.
    ws.delete_persona(p.id, None).unwrap();
    assert!(ws.persona_agreements().unwrap().is_empty());
    assert_eq!(ws.agreement(a.id).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn definitions_keep_machine_criteria_through_versions_and_blind_drafts() {
    use baton_core::definition::DefinitionCriteria;
    let (_d, ws) = ws();
    let id = ws
        .ensure_agreement(
            &Subject::Stage {
                stage_id: "mql".into(),
            },
            "MQL",
        )
        .unwrap();
    let size = Condition::AtLeast {
        field: "company_size".into(),
        value: 50.0,
    };
    let score = Condition::AtLeast {
        field: "score".into(),
        value: 60.0,
    };
    let us = Condition::In {
        field: "country".into(),
        values: vec!["US".into()],
    };
    let with = |all: Vec<Condition>, disqualifiers: Vec<Condition>| DefinitionContent {
        criteria: DefinitionCriteria { all, disqualifiers },
        ..Default::default()
    };
    // Criteria alone are a definition; saved with the version and read back.
    let a = ws
        .edit_definition(id, with(vec![size.clone()], vec![us.clone()]), None)
        .unwrap();
    assert_eq!(a.versions[0].content.criteria.all, vec![size.clone()]);
    assert_eq!(
        a.versions[0].content.criteria.disqualifiers,
        vec![us.clone()]
    );
    // Changing only the criteria is a new version.
    let a = ws
        .edit_definition(id, with(vec![size.clone(), score.clone()], vec![]), None)
        .unwrap();
    assert_eq!(a.versions.len(), 2);
    assert_eq!(a.versions[1].content.criteria.all, vec![size.clone()]);

    ws.submit_blind_draft(
        id,
        Team::Sales,
        with(vec![size.clone(), score.clone()], vec![us.clone()]),
    )
    .unwrap();
    ws.submit_blind_draft(
        id,
        Team::Marketing,
        with(vec![score.clone()], vec![us.clone()]),
    )
    .unwrap();
    let c = ws.reveal_blind_drafts(id).unwrap().comparison.unwrap();
    assert_eq!(c.sales.criteria.all, vec![size.clone(), score.clone()]);
    assert_eq!(c.marketing.criteria.all, vec![score.clone()]);
    // The merge starts from what both drafts test.
    assert_eq!(c.union.criteria.all, vec![score.clone()]);
    assert_eq!(c.common.criteria.disqualifiers, vec![us.clone()]);
    let a = ws.merge_blind_drafts(id, c.union, None).unwrap();
    assert_eq!(a.versions[0].content.criteria.all, vec![score]);
}
