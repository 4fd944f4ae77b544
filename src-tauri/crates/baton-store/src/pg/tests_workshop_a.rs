//! Agreements, persona sign-off, blind rounds, the diagnostic and sessions on both
//! backends (feature `pg-tests`): the same calls on a new file and a new team database
//! give the same values, errors and orders; hostile text is data; the races the file
//! guarantees (`workshop/races.rs`) hold on PostgreSQL too.
use super::testing::TestDb;
use super::*;
use crate::prelude::*;
use crate::{StoredRecord, Workspace};
use baton_core::agreement::{Agreement, DefinitionContent, Subject, VocabularyView};
use baton_core::persona::{Condition, Criteria, PersonaInput};
use baton_core::workshop::{Session, SessionInput, Team};
use baton_core::ErrorCode;
use std::sync::{Arc, Barrier};

/// The areas of this file, and raw SQL to seed what other areas own (SLA clauses,
/// goals, personas: the same statements run on both backends).
trait Areas:
    WorkspaceState
    + PeopleStore
    + StageConfig
    + PersonaStore
    + AgreementStore
    + PersonaSignOff
    + BlindRoundStore
    + DiagnosticStore
    + SessionStore
{
    fn exec(&self, sql: &str);
}

impl Areas for Workspace {
    fn exec(&self, sql: &str) {
        self.conn.execute_batch(sql).unwrap();
    }
}

impl Areas for PgWorkspace {
    fn exec(&self, sql: &str) {
        super::tests::exec(self, sql).unwrap();
    }
}

/// Run `check` on a new file and a new team database; both must give the same value.
fn on_both<T: PartialEq + std::fmt::Debug>(check: impl Fn(&dyn Areas) -> T) -> T {
    super::tests::alike(|f| check(f), |t| check(t))
}

/// An error as compared across backends: its code and message.
fn err<T: std::fmt::Debug>(r: Result<T>) -> (ErrorCode, String) {
    let e = r.unwrap_err();
    (e.code, e.message)
}

fn content(summary: &str) -> DefinitionContent {
    DefinitionContent {
        summary: summary.into(),
        fit: vec!["50+ employees".into()],
        ..Default::default()
    }
}

/// An agreement without its wall-clock times (the two backends run seconds apart).
fn timeless(mut a: Agreement) -> Agreement {
    for v in &mut a.versions {
        v.created_at = 0;
        for s in &mut v.sign_offs {
            s.signed_at = 0;
        }
    }
    a
}

fn timeless_view(mut v: VocabularyView) -> VocabularyView {
    v.agreements = v.agreements.into_iter().map(timeless).collect();
    v
}

fn timeless_session(mut s: Session) -> Session {
    for d in &mut s.decisions {
        d.decided_at = 0;
    }
    s
}

/// Sam (sales), Mia (marketing), Lee (leadership): ids 1, 2, 3.
fn people(ws: &dyn Areas) -> (i64, i64, i64) {
    let sam = ws.add_person("Sam", Team::Sales, "AE").unwrap().id;
    let mia = ws.add_person("Mia", Team::Marketing, "CMO").unwrap().id;
    let lee = ws.add_person("Lee", Team::Leadership, "CEO").unwrap().id;
    (sam, mia, lee)
}

fn stage(id: &str) -> Subject {
    Subject::Stage {
        stage_id: id.into(),
    }
}

#[test]
fn stage_definitions_are_versioned_signed_and_reopened_alike_on_both_backends() {
    on_both(|ws| {
        let (sam, mia, lee) = people(ws);
        let mut errors = Vec::new();
        errors.push(err(ws.ensure_agreement(&stage("Bad Id"), "x")));
        // Listed stage definitions first, then by id: the SLA agreement comes first by id.
        ws.exec("INSERT INTO sla_clauses(name, from_stage, to_kind, to_id, within_seconds, clock) VALUES ('MQL follow-up', 'mql', 'stage', 'sql', 86400, 'calendar')");
        let sla = ws
            .ensure_agreement(&Subject::SlaClause { clause_id: 1 }, "  ")
            .unwrap();
        let sql = ws.ensure_agreement(&stage("sql"), " SQL ").unwrap();
        let mql = ws.ensure_agreement(&stage("mql"), "MQL").unwrap();
        assert_eq!(ws.ensure_agreement(&stage("sql"), "again").unwrap(), sql);
        errors.push(err(ws.sign_off(sql, sam, 1)));
        errors.push(err(ws.edit_definition(
            sql,
            DefinitionContent::default(),
            None,
        )));
        ws.edit_definition(sql, content("Budget confirmed"), Some("Sam"))
            .unwrap();
        errors.push(err(ws.edit_definition(
            sql,
            content("Budget confirmed"),
            None,
        )));
        errors.push(err(ws.sign_off(sql, lee, 1)));
        errors.push(err(ws.sign_off(sql, sam, 2)));
        errors.push(err(ws.sign_off(sql, 99, 1)));
        errors.push(err(ws.sign_off(99, sam, 1)));
        ws.sign_off(sql, sam, 1).unwrap();
        ws.sign_off(sql, sam, 1).unwrap(); // twice is harmless
        let agreed = ws.sign_off(sql, mia, 1).unwrap();
        assert!(agreed.agreed);
        let reopened = ws
            .edit_definition(sql, content("Budget and timeline"), None)
            .unwrap();
        assert_eq!(
            reopened.versions[0].note,
            "edited (reopened an agreed version)"
        );
        errors.push(err(ws.sign_off(sql, sam, 1)));
        errors.push(err(ws.withdraw_sign_off(sql, sam)));
        ws.sign_off(sql, sam, 2).unwrap();
        let withdrawn = ws.withdraw_sign_off(sql, sam).unwrap();
        assert!(withdrawn.versions[0].sign_offs.is_empty());
        ws.sign_off(sql, mia, 2).unwrap();
        ws.edit_definition(mql, content("Downloaded the guide"), None)
            .unwrap();
        ws.date_agreement(mql, 1_700_000_000).unwrap();
        errors.push(err(ws.date_agreement(99, 1)));
        errors.push(err(ws.agreement(99)));
        assert_eq!(ws.agreement_for(&stage("lead")).unwrap(), None);
        let dated = ws.agreement(mql).unwrap();
        assert_eq!(dated.versions[0].created_at, 1_700_000_000);
        let by_subject = ws.agreement_for(&stage("sql")).unwrap().unwrap();
        assert_eq!(by_subject.id, sql);
        (
            sla,
            errors,
            ws.agreements()
                .unwrap()
                .into_iter()
                .map(timeless)
                .collect::<Vec<_>>(),
            timeless_view(ws.vocabulary_view().unwrap()),
            ws.data_version().unwrap(),
        )
    });
}

#[test]
fn sla_and_goal_agreements_record_their_terms_alike_on_both_backends() {
    let (errors, agreements, view) = on_both(|ws| {
        let (sam, mia, _) = people(ws);
        ws.exec("INSERT INTO sla_clauses(name, from_stage, to_kind, to_id, within_seconds, clock) VALUES ('MQL follow-up', 'mql', 'stage', 'sql', 86400, 'calendar'), ('Lost reason', 'opportunity', 'field', 'lost_reason', 7200, 'business')");
        ws.exec(r#"INSERT INTO goals(name, metric, target, period_kind, period_start, period_end, period_label, team) VALUES ('More SQLs', '{"kind":"reached","stage":"sql"}', 120.0, 'quarter', 1775001600, 1782864000, '2026-Q2', 'sales')"#);
        let mut errors = vec![
            err(ws.ensure_agreement(&Subject::SlaClause { clause_id: 9 }, "x")),
            err(ws.ensure_agreement(&Subject::Goal { goal_id: 9 }, "x")),
            err(ws.ensure_agreement(&Subject::Persona { persona_id: 9 }, "x")),
        ];
        let clause = ws
            .ensure_agreement(&Subject::SlaClause { clause_id: 1 }, "MQL follow-up")
            .unwrap();
        let goal = ws
            .ensure_agreement(&Subject::Goal { goal_id: 1 }, "More SQLs")
            .unwrap();
        ws.edit_definition(clause, content("Within a day"), None)
            .unwrap();
        ws.edit_definition(goal, content("120 SQLs"), None).unwrap();
        ws.sign_off(clause, sam, 1).unwrap();
        ws.sign_off(clause, mia, 1).unwrap();
        // The metrics area changes the clause: the agreement reopens.
        ws.exec("UPDATE sla_clauses SET within_seconds = 172800 WHERE id = 1");
        let changed = ws.agreement(clause).unwrap();
        assert!(changed.terms_changed && !changed.agreed);
        errors.push(err(ws.sign_off(clause, sam, 1)));
        let v2 = ws
            .edit_definition(clause, content("Within a day"), None)
            .unwrap();
        assert_eq!(v2.versions[0].note, "edited after the terms changed");
        // The goal is gone (deleted by a hand other than the metrics area).
        ws.exec("DELETE FROM goals WHERE id = 1");
        errors.push(err(ws.edit_definition(goal, content("130"), None)));
        ws.exec(r#"INSERT INTO goals(id, name, metric, target, period_kind, period_start, period_end, period_label, team) VALUES (2, 'Customers', '{"kind":"reached","stage":"customer"}', 12.5, 'custom', 1767225600, 1798761600, 'FY', '')"#);
        (
            errors,
            ws.agreements()
                .unwrap()
                .into_iter()
                .map(timeless)
                .collect::<Vec<_>>(),
            timeless_view(ws.vocabulary_view().unwrap()),
        )
    });
    assert_eq!(
        errors[0].1,
        "SLA clause 9 no longer exists; its agreement cannot get a new version"
    );
    assert_eq!(
        errors[4].1,
        "goal 1 no longer exists; its agreement cannot get a new version"
    );
    assert_eq!(agreements.len(), 2);
    assert_eq!(view.sla_clauses.len(), 2);
    assert_eq!(view.goals.len(), 1);
    assert_eq!(view.goals[0].name, "Customers");
}

#[test]
fn personas_are_signed_off_alike_on_both_backends() {
    let (errors, agreements) = on_both(|ws| {
        let (sam, mia, lee) = people(ws);
        ws.exec(r#"INSERT INTO personas(name, role, company_size, industry, statements, criteria) VALUES ('Ops lead', 'COO', '50-200', 'SaaS', '[]', '{"all":[]}'), ('Founder', 'CEO', '1-10', '', '[]', '{"all":[]}')"#);
        let errors = vec![
            err(ws.sign_persona(9, sam)),
            err(ws.sign_persona(1, 99)),
            err(ws.sign_persona(1, lee)),
        ];
        let first = ws.sign_persona(1, sam).unwrap();
        assert_eq!(first.versions[0].note, "persona as written");
        assert_eq!(first.title, "Ops lead");
        let agreed = ws.sign_persona(1, mia).unwrap();
        assert_eq!(agreed.versions.len(), 1, "both signed one version");
        assert!(agreed.agreed);
        // Edited and renamed: the next sign-off writes a new version under the new name.
        ws.exec("UPDATE personas SET role = 'CFO', name = 'Finance lead' WHERE id = 1");
        assert!(ws.agreement(agreed.id).unwrap().terms_changed);
        let again = ws.sign_persona(1, mia).unwrap();
        assert_eq!(
            again.versions[0].note,
            "persona edited since the last version"
        );
        assert_eq!(again.title, "Finance lead");
        assert_eq!(again.versions.len(), 2);
        ws.ensure_agreement(&stage("sql"), "SQL").unwrap();
        ws.sign_persona(2, sam).unwrap();
        (
            errors,
            ws.persona_agreements()
                .unwrap()
                .into_iter()
                .map(timeless)
                .collect::<Vec<_>>(),
        )
    });
    assert_eq!(errors[0].1, "persona 9 does not exist");
    assert_eq!(errors[1].1, "person 99 does not exist");
    assert_eq!(errors[2].0, ErrorCode::InvalidInput);
    let titles: Vec<&str> = agreements.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Finance lead", "Founder"],
        "the stage one left out"
    );
}

#[test]
fn blind_rounds_hide_reveal_and_merge_alike_on_both_backends() {
    on_both(|ws| {
        let sql = ws.ensure_agreement(&stage("sql"), "SQL").unwrap();
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
        let mut seen = vec![ws.blind_round(sql).unwrap()];
        let mut errors = vec![
            err(ws.submit_blind_draft(sql, Team::Leadership, content("x"))),
            err(ws.submit_blind_draft(sql, Team::Sales, DefinitionContent::default())),
            err(ws.submit_blind_draft(99, Team::Sales, content("x"))),
            err(ws.blind_round(99)),
        ];
        seen.push(
            ws.submit_blind_draft(sql, Team::Sales, content("first"))
                .unwrap(),
        );
        seen.push(
            ws.submit_blind_draft(sql, Team::Sales, sales.clone())
                .unwrap(),
        );
        errors.push(err(ws.reveal_blind_drafts(sql)));
        errors.push(err(ws.merge_blind_drafts(sql, content("x"), None)));
        seen.push(
            ws.submit_blind_draft(sql, Team::Marketing, marketing.clone())
                .unwrap(),
        );
        assert!(
            seen.last().unwrap().comparison.is_none(),
            "hidden before reveal"
        );
        let revealed = ws.reveal_blind_drafts(sql).unwrap();
        seen.push(revealed.clone());
        errors.push(err(ws.submit_blind_draft(
            sql,
            Team::Sales,
            content("late"),
        )));
        errors.push(err(ws.merge_blind_drafts(
            sql,
            DefinitionContent::default(),
            None,
        )));
        let union = revealed.comparison.unwrap().union;
        let merged = ws
            .merge_blind_drafts(sql, union, Some("facilitator"))
            .unwrap();
        seen.push(ws.blind_round(sql).unwrap());
        (seen, errors, timeless(merged))
    });
}

#[test]
fn diagnostic_runs_keep_answers_private_alike_on_both_backends() {
    let (runs, trend, errors) = on_both(|ws| {
        let (sam, mia, lee) = people(ws);
        let mut errors = vec![
            err(ws.create_diagnostic_run("  ", "2026-03-31", true)),
            err(ws.create_diagnostic_run("Q1", "31/03/2026", true)),
        ];
        let named = ws
            .create_diagnostic_run(" Q1 2026 ", "2026-03-31", true)
            .unwrap();
        // Two anonymous runs on one date: the later one is listed first (id breaks the tie).
        let anon_a = ws
            .create_diagnostic_run("Q2 a", "2026-06-30", false)
            .unwrap();
        let anon_b = ws
            .create_diagnostic_run("Q2 b", "2026-06-30", false)
            .unwrap();
        errors.push(err(ws.answer_diagnostic(named, sam, &[0; 20])));
        errors.push(err(ws.answer_diagnostic(named, 99, &[3; 20])));
        errors.push(err(ws.answer_diagnostic(99, sam, &[3; 20])));
        errors.push(err(ws.answer_diagnostic_statement(named, sam, 20, 3)));
        errors.push(err(ws.answer_diagnostic_statement(named, sam, 0, 6)));
        errors.push(err(ws.answer_diagnostic_statement(named, 99, 0, 3)));
        errors.push(err(ws.answer_diagnostic_statement(99, sam, 0, 3)));
        let mut sales = vec![4u8; 20];
        sales[4] = 5;
        ws.answer_diagnostic(named, sam, &sales).unwrap();
        // Mia answers statement by statement; she counts as answered once all 20 are in.
        for s in 0..19 {
            ws.answer_diagnostic_statement(named, mia, s, 2).unwrap();
        }
        let partial = ws.own_diagnostic_answers(named, mia).unwrap();
        assert_eq!(partial.iter().filter(|a| a.is_none()).count(), 1);
        assert_eq!(ws.diagnostic_run(named).unwrap().answered, ["Sam"]);
        ws.answer_diagnostic_statement(named, mia, 19, 1).unwrap();
        ws.answer_diagnostic_statement(named, mia, 19, 3).unwrap();
        ws.answer_diagnostic(named, lee, &[5; 20]).unwrap();
        let open = ws.diagnostic_run(named).unwrap();
        assert!(open.result.is_none(), "an open run shows no scores");
        ws.close_diagnostic_run(named).unwrap();
        errors.push(err(ws.answer_diagnostic(named, sam, &sales)));
        errors.push(err(ws.answer_diagnostic_statement(named, sam, 0, 3)));
        errors.push(err(ws.close_diagnostic_run(99)));
        errors.push(err(ws.reveal_diagnostic_run(99, true)));
        errors.push(err(ws.diagnostic_run(99)));
        for p in [sam, mia] {
            ws.answer_diagnostic(anon_a, p, &[3; 20]).unwrap();
        }
        ws.reveal_diagnostic_run(anon_a, true).unwrap();
        ws.answer_diagnostic(anon_b, sam, &[2; 20]).unwrap();
        ws.reveal_diagnostic_run(anon_b, true).unwrap();
        ws.reveal_diagnostic_run(anon_b, false).unwrap();
        (
            ws.diagnostic_runs().unwrap(),
            ws.diagnostic_trend().unwrap(),
            errors,
        )
    });
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Q2 b", "Q2 a", "Q1 2026"]);
    // Named and closed: scores by name. Anonymous and revealed: no names with scores.
    let named = runs[2].result.as_ref().unwrap();
    assert_eq!(named.people.len(), 3);
    let anon = runs[1].result.as_ref().unwrap();
    assert!(anon.people.is_empty(), "{:?}", anon.people);
    assert!(runs[0].result.is_none(), "hidden again");
    let trend: Vec<&str> = trend.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(trend, ["Q1 2026", "Q2 a"]);
    assert_eq!(errors[0].0, ErrorCode::InvalidInput);
    assert_eq!(errors[9].1, "this run is closed; start a new run");
}

#[test]
fn sessions_decisions_and_the_parking_lot_behave_alike_on_both_backends() {
    let (sessions, errors) = on_both(|ws| {
        let (sam, mia, lee) = people(ws);
        let input = |title: &str, date: &str, participants: Vec<i64>| SessionInput {
            title: title.into(),
            date: date.into(),
            participant_ids: participants,
            agenda: Vec::new(),
        };
        let mut errors = vec![
            err(ws.create_session(&input("  ", "2026-05-01", vec![]))),
            err(ws.create_session(&input("x", "May 1", vec![]))),
        ];
        let kickoff = ws
            .create_session(&input(" Kickoff ", "2026-05-01", vec![mia, sam, sam]))
            .unwrap();
        assert_eq!(kickoff.participant_ids, [sam, mia]);
        let review = ws
            .create_session(&input("Review", "2026-06-01", vec![lee]))
            .unwrap();
        let same_day = ws
            .create_session(&input("Same day", "2026-05-01", vec![]))
            .unwrap();
        ws.update_session(
            kickoff.id,
            &input("Kick-off", "2026-05-02", vec![lee, sam]),
            None,
        )
        .unwrap();
        errors.push(err(ws.update_session(
            99,
            &input("x", "2026-05-02", vec![]),
            None,
        )));
        errors.push(err(ws.log_decision(kickoff.id, "   ")));
        errors.push(err(ws.log_decision(99, "x")));
        ws.log_decision(kickoff.id, " MQL = downloaded the guide ")
            .unwrap();
        ws.log_decision(kickoff.id, "SLA 24h").unwrap();
        errors.push(err(ws.park_topic(kickoff.id, " ")));
        errors.push(err(ws.park_topic(kickoff.id, &"x".repeat(501))));
        errors.push(err(ws.park_topic(99, "x")));
        ws.park_topic(kickoff.id, &"é".repeat(500)).unwrap();
        let by = ws
            .park_topic_by(kickoff.id, " Lead scoring ", Some("Mia"))
            .unwrap();
        ws.park_topic_by(review.id, "Anonymous", None).unwrap();
        ws.resolve_parked(by, true).unwrap();
        errors.push(err(ws.resolve_parked(99, true)));
        errors.push(err(ws.parked_topic(99)));
        assert_eq!(
            ws.parked_topic(by).unwrap(),
            (kickoff.id, "Lead scoring".to_string())
        );
        ws.delete_session(same_day.id, None).unwrap();
        errors.push(err(ws.delete_session(same_day.id, None)));
        errors.push(err(ws.session(same_day.id)));
        // Last: a failed insert may use up an id on PostgreSQL (sequences never roll back).
        errors.push(err(ws.create_session(&input(
            "x",
            "2026-05-01",
            vec![sam, 99],
        ))));
        (
            ws.sessions()
                .unwrap()
                .into_iter()
                .map(timeless_session)
                .collect::<Vec<_>>(),
            errors,
        )
    });
    let titles: Vec<&str> = sessions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Review", "Kick-off"]);
    assert_eq!(sessions[1].decisions[0].text, "MQL = downloaded the guide");
    assert_eq!(sessions[1].parking_lot[1].by.as_deref(), Some("Mia"));
    assert!(sessions[1].parking_lot[1].resolved);
    assert_eq!(
        errors.last().unwrap().1,
        "participant 99 is not a known person"
    );
}

#[test]
fn sessions_on_one_date_are_listed_by_id_newest_first_on_both_backends() {
    let titles = on_both(|ws| {
        for (title, date) in [
            ("b", "2026-05-01"),
            ("B", "2026-05-01"),
            ("a", "2026-04-01"),
            ("É", "2026-05-01"),
        ] {
            ws.create_session(&SessionInput {
                title: title.into(),
                date: date.into(),
                participant_ids: vec![],
                agenda: vec![],
            })
            .unwrap();
        }
        ws.sessions()
            .unwrap()
            .into_iter()
            .map(|s| s.title)
            .collect::<Vec<_>>()
    });
    assert_eq!(titles, ["É", "B", "b", "a"]);
}

/// Values a user may type that SQL must carry as data.
fn hostile() -> Vec<String> {
    vec![
        "O'Brien \"the\" `boss`".into(),
        "Robert'); DROP TABLE sessions;--".into(),
        "$$; SELECT 1; $$".into(),
        "$tag$ \\ back\\slash %s ?1 $1".into(),
        "x".repeat(10_000) + "🦀",
    ]
}

#[test]
fn hostile_text_is_stored_as_typed_on_both_backends() {
    on_both(|ws| {
        let mut out = Vec::new();
        for (i, text) in hostile().iter().enumerate() {
            let session = ws
                .create_session(&SessionInput {
                    title: text.clone(),
                    date: "2026-05-01".into(),
                    participant_ids: vec![],
                    agenda: vec![],
                })
                .unwrap();
            assert_eq!(&session.title, text);
            ws.log_decision(session.id, text).unwrap();
            let topic: String = text.chars().take(500).collect();
            ws.park_topic_by(session.id, &topic, Some(text)).unwrap();
            let run = ws.create_diagnostic_run(text, "2026-05-01", false).unwrap();
            assert_eq!(&ws.diagnostic_run(run).unwrap().name, text);
            let id = ws.ensure_agreement(&stage(&format!("s{i}")), text).unwrap();
            let mut c = content(text);
            c.fit = vec![text.clone()];
            let a = ws.edit_definition(id, c.clone(), Some(text)).unwrap();
            assert_eq!(&a.title, text);
            assert_eq!(a.versions[0].author.as_deref(), Some(text.as_str()));
            assert_eq!(a.versions[0].content, c.clone().normalized());
            ws.submit_blind_draft(id, Team::Sales, c).unwrap();
            out.push(timeless_session(ws.session(session.id).unwrap()));
        }
        out
    });
}

#[test]
fn a_nul_character_is_refused_on_postgresql_naming_the_field() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let session = ws
        .create_session(&SessionInput {
            title: "ok".into(),
            date: "2026-05-01".into(),
            participant_ids: vec![],
            agenda: vec![],
        })
        .unwrap();
    let sql = ws.ensure_agreement(&stage("sql"), "SQL").unwrap();
    let nul = "bad\0text";
    let refused = [
        (
            "the session's title",
            err(ws.create_session(&SessionInput {
                title: nul.into(),
                date: "2026-05-01".into(),
                participant_ids: vec![],
                agenda: vec![],
            })),
        ),
        ("the decision", err(ws.log_decision(session.id, nul))),
        ("the parking-lot topic", err(ws.park_topic(session.id, nul))),
        (
            "the topic's author",
            err(ws.park_topic_by(session.id, "ok", Some(nul))),
        ),
        (
            "the run's name",
            err(ws.create_diagnostic_run(nul, "2026-05-01", true)),
        ),
        (
            "the agreement's title",
            err(ws.ensure_agreement(&stage("mql"), nul)),
        ),
        (
            "the author",
            err(ws.edit_definition(sql, content("x"), Some(nul))),
        ),
        (
            "the author",
            err(ws.merge_blind_drafts(sql, content("x"), Some(nul))),
        ),
    ];
    for (what, (code, message)) in refused {
        assert_eq!(code, ErrorCode::InvalidInput, "{message}");
        assert_eq!(
            message,
            format!(
                "{what}: the text holds a NUL character (U+0000) at byte 3, which a team \
                 workspace (PostgreSQL) cannot store; remove it"
            )
        );
    }
    // Inside JSON (a definition's text) a NUL is escaped, so it is data like any other.
    let mut c = content("nul\0inside");
    c.fit = vec!["a\0b".into()];
    let a = ws.edit_definition(sql, c.clone(), None).unwrap();
    assert_eq!(a.versions[0].content, c.normalized());
    assert_eq!(ws.session(session.id).unwrap().decisions.len(), 0);
}

#[test]
fn workshop_calls_inside_a_transaction_see_their_writes_and_roll_back_together() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let err = ws
        .transaction("defining and signing", |tx| {
            let id = tx.ensure_agreement(&stage("sql"), "SQL")?;
            tx.edit_definition(id, content("v1"), None)?;
            let signed = tx.sign_off(id, sam, 1)?;
            assert_eq!(signed.versions[0].sign_offs.len(), 1);
            let s = tx.create_session(&SessionInput {
                title: "Kickoff".into(),
                date: "2026-05-01".into(),
                participant_ids: vec![sam],
                agenda: vec![],
            })?;
            tx.log_decision(s.id, "SQL = budget confirmed")?;
            assert_eq!(tx.sessions()?.len(), 1);
            Err::<(), _>(baton_core::BatonError::conflict("changed my mind"))
        })
        .unwrap_err();
    assert_eq!(err.message, "changed my mind");
    assert!(ws.agreements().unwrap().is_empty());
    assert!(ws.sessions().unwrap().is_empty());
}

const ROUNDS: usize = 20;

/// Run `a` and `b` at once, each on its own team workspace connection to `db`.
fn at_once<RA: Send + 'static, RB: Send + 'static>(
    db: &TestDb,
    a: impl FnOnce(&PgWorkspace) -> RA + Send + 'static,
    b: impl FnOnce(&PgWorkspace) -> RB + Send + 'static,
) -> (RA, RB) {
    let barrier = Arc::new(Barrier::new(2));
    let (ta, tb) = (db.target.clone(), db.target.clone());
    let ba = barrier.clone();
    let ha = std::thread::spawn(move || {
        let ws = PgWorkspace::connect(&ta).unwrap();
        ba.wait();
        a(&ws)
    });
    let hb = std::thread::spawn(move || {
        let ws = PgWorkspace::connect(&tb).unwrap();
        barrier.wait();
        b(&ws)
    });
    (ha.join().unwrap(), hb.join().unwrap())
}

#[test]
fn a_sign_off_racing_an_edit_signs_the_latest_version_or_is_refused_on_postgresql() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    for round in 0..ROUNDS {
        let id = ws
            .ensure_agreement(&stage(&format!("stage_{round}")), "Stage")
            .unwrap();
        ws.edit_definition(id, content("v1"), None).unwrap();
        let (signed, edited) = at_once(
            &db,
            move |ws| ws.sign_off(id, sam, 1),
            move |ws| ws.edit_definition(id, content("v2"), None),
        );
        edited.unwrap();
        let now = ws.agreement(id).unwrap();
        let v1 = now.versions.iter().find(|v| v.version == 1).unwrap();
        match signed {
            Ok(a) => {
                assert_eq!(
                    a.versions[0].version, 1,
                    "round {round}: signed a stale version"
                );
                assert_eq!(v1.sign_offs.len(), 1);
            }
            Err(e) => {
                assert_eq!(e.code, ErrorCode::Conflict, "round {round}: {}", e.message);
                assert!(e.message.contains("no longer the latest"), "{}", e.message);
                assert!(v1.sign_offs.is_empty());
            }
        }
    }
}

#[test]
fn sales_and_marketing_signing_a_new_persona_at_once_sign_one_version_on_postgresql() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let mia = ws.add_person("Mia", Team::Marketing, "").unwrap().id;
    for round in 0..ROUNDS {
        Areas::exec(
            &ws,
            &format!(
                "INSERT INTO personas(id, name, role) VALUES ({}, 'Persona {round}', 'CTO')",
                round + 1
            ),
        );
        let persona = round as i64 + 1;
        let (a, b) = at_once(
            &db,
            move |ws| ws.sign_persona(persona, sam),
            move |ws| ws.sign_persona(persona, mia),
        );
        a.unwrap();
        b.unwrap();
        let agreement = ws
            .agreement_for(&Subject::Persona {
                persona_id: persona,
            })
            .unwrap()
            .unwrap();
        assert_eq!(
            agreement.versions.len(),
            1,
            "round {round}: each signer wrote their own version"
        );
        assert!(agreement.agreed, "round {round}");
    }
}

#[test]
fn a_draft_racing_the_reveal_is_in_the_revealed_round_or_refused_on_postgresql() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    for round in 0..ROUNDS {
        let id = ws
            .ensure_agreement(&stage(&format!("stage_{round}")), "Stage")
            .unwrap();
        ws.submit_blind_draft(id, Team::Sales, content("sales"))
            .unwrap();
        ws.submit_blind_draft(id, Team::Marketing, content("first"))
            .unwrap();
        let (late, revealed) = at_once(
            &db,
            move |ws| ws.submit_blind_draft(id, Team::Marketing, content("second")),
            move |ws| ws.reveal_blind_drafts(id),
        );
        let revealed = revealed.unwrap();
        let shown = revealed.comparison.unwrap();
        let now = ws.blind_round(id).unwrap().comparison.unwrap();
        assert_eq!(
            now, shown,
            "round {round}: a draft changed after the reveal"
        );
        match late {
            Ok(_) => assert_eq!(shown.marketing.summary, "second"),
            Err(e) => {
                assert_eq!(e.code, ErrorCode::Conflict);
                assert_eq!(shown.marketing.summary, "first");
            }
        }
    }
}

fn record(id: &str, kind: &str, industry: &str, size: i64, stage: &str) -> StoredRecord {
    StoredRecord {
        kind: kind.into(),
        external_id: id.into(),
        current_stage: Some(stage.into()),
        outcome: (stage == "customer").then(|| "won".to_string()),
        industry: Some(industry.into()),
        company_size: Some(size),
        ..Default::default()
    }
}

fn persona(name: &str, industries: &[&str], min_size: f64) -> PersonaInput {
    PersonaInput {
        name: name.into(),
        role: " CTO ".into(),
        company_size: "50–500".into(),
        industry: industries.join(", "),
        statements: vec![],
        criteria: Criteria {
            all: vec![
                Condition::In {
                    field: "industry".into(),
                    values: industries.iter().map(|s| s.to_string()).collect(),
                },
                Condition::AtLeast {
                    field: "company_size".into(),
                    value: min_size,
                },
            ],
        },
    }
}

#[test]
fn personas_and_their_record_matches_are_alike_on_both_backends() {
    // Records are imported into the file and copied to the team database.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("records.baton");
    let file = Workspace::create(&path).unwrap();
    file.insert_records_unchecked(
        "t.csv",
        0,
        &[
            record("1", "contact", "Software", 120, "customer"),
            record("2", "contact", "Software", 80, "mql"),
            record("3", "contact", "software", 20, "customer"),
            record("4", "contact", "Retail", 500, "lead"),
            record("5", "contact", "Écoles", 60, "sql"),
            record("D1", "deal", "", 0, "customer"),
        ],
    )
    .unwrap();
    let db = TestDb::new();
    copy_workspace(
        &Location::File(path),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    let team = PgWorkspace::open(&db.target).unwrap();
    let check = |ws: &dyn Areas| {
        let mut errors = vec![
            err(ws.add_persona(&persona("  ", &["x"], 1.0))),
            err(ws.add_persona(&persona("Empty list", &[" "], 1.0))),
            err(ws.update_persona(99, &persona("x", &["x"], 1.0), None)),
            err(ws.delete_persona(99, None)),
            err(ws.persona(99)),
            err(ws.match_criteria(1, &persona("x", &[""], 1.0).criteria)),
        ];
        let cto = ws
            .add_persona(&persona(" Scale-up CTO ", &["Software"], 50.0))
            .unwrap();
        let schools = ws
            .add_persona(&persona("écoles", &["ÉCOLES"], 10.0))
            .unwrap();
        let gone = ws.add_persona(&persona("Zed", &["Retail"], 1.0)).unwrap();
        let edited = ws
            .update_persona(
                schools.id,
                &persona("Écoles", &["écoles", "Retail"], 10.0),
                None,
            )
            .unwrap();
        assert_eq!(edited.name, "Écoles");
        let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
        ws.sign_persona(gone.id, sam).unwrap();
        ws.delete_persona(gone.id, None).unwrap();
        errors.push(err(ws.delete_persona(gone.id, None)));
        assert_eq!(
            ws.agreement_for(&Subject::Persona {
                persona_id: gone.id
            })
            .unwrap(),
            None,
            "its agreement went with it"
        );
        let m = ws.match_criteria(cto.id, &cto.criteria).unwrap();
        assert_eq!((m.leads, m.mqls, m.customers), (2, 2, 1));
        let everything = ws.match_criteria(0, &Criteria::default()).unwrap();
        (
            errors,
            ws.personas().unwrap(),
            ws.persona(cto.id).unwrap(),
            ws.persona_matches().unwrap(),
            everything,
        )
    };
    let from_file = check(&Workspace::open(dir.path().join("records.baton").as_path()).unwrap());
    let from_team = check(&team);
    assert_eq!(
        from_file, from_team,
        "the file and the team database answer differently"
    );
    let (errors, personas, cto, matches, everything) = from_file;
    assert_eq!(errors[0].1, "the persona needs a name");
    assert_eq!(errors[2].1, "persona 99 does not exist");
    let names: Vec<&str> = personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Scale-up CTO", "Écoles"], "by id");
    assert_eq!(cto.role, "CTO");
    assert_eq!(matches[1].leads, 2, "Écoles (any case) and Retail");
    assert_eq!(everything.leads, 6);
}

#[test]
fn hostile_persona_text_is_stored_as_typed_and_nul_refused_on_postgresql() {
    let people = on_both(|ws| {
        hostile()
            .iter()
            .map(|text| {
                let mut input = persona(text, &[text], 1.0);
                input.role = text.clone();
                input.industry = text.clone();
                let p = ws.add_persona(&input).unwrap();
                assert_eq!(&p.name, text);
                ws.update_persona(p.id, &input, None).unwrap()
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(people.len(), hostile().len());
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let mut input = persona("ok", &["a\0b"], 1.0);
    input.industry = "SaaS".into();
    input.criteria.all.push(Condition::Contains {
        field: "industry".into(),
        text: "nul\0inside json".into(),
    });
    ws.add_persona(&input).unwrap();
    input.industry = "bad\0text".into();
    let (code, message) = err(ws.add_persona(&input));
    assert_eq!(code, ErrorCode::InvalidInput);
    assert_eq!(
        message,
        "the persona's industry: the text holds a NUL character (U+0000) at byte 3, which a \
         team workspace (PostgreSQL) cannot store; remove it"
    );
    assert_eq!(ws.personas().unwrap().len(), 1);
}
