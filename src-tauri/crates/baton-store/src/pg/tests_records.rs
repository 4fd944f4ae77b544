//! The record-side reads and the metrics configuration on both backends (feature
//! `pg-tests`). Records reach the team database the way a team gets them today: imported
//! into a file through the file's import writer, then `copy_workspace`d; every read is
//! then asked of both and must answer the same, byte for byte.

use super::testing::TestDb;
use super::*;
use crate::prelude::*;
use crate::{ImportCounts, NewImport, NewReject, Outcome, RecordRow, Workspace};
use baton_core::goal::{GoalInput, GoalMetric, GoalPeriod};
use baton_core::sla::{BusinessHours, Clock, SlaClauseInput, SlaTarget};
use baton_core::{Cancel, ErrorCode};

/// Everything this file's areas read, in one trait object.
pub(super) trait RecordSide: RecordsSource + StageConfig + MetricsConfig {}
impl<T: RecordsSource + StageConfig + MetricsConfig + ?Sized> RecordSide for T {}

pub(super) fn exec(ws: &PgWorkspace, sql: &str) {
    super::tests::exec(ws, sql).unwrap();
}

/// A row of a file, as the importer hands it to the writer.
pub(super) fn row(id: &str, stage: &str, f: impl FnOnce(&mut RecordRow)) -> RecordRow {
    let mut r = RecordRow {
        external_id: id.into(),
        has_stage_info: true,
        current_stage: stage.into(),
        outcome: None,
        stage_dates: vec![("lead".into(), Some(1_700_000_000)), ("mql".into(), None)],
        created_at: Some(1_690_000_000),
        closed_at: None,
        source: String::new(),
        campaign: String::new(),
        owner: String::new(),
        segment: String::new(),
        industry: String::new(),
        country: String::new(),
        company_size: None,
        amount: None,
        lost_reason: String::new(),
        custom: Vec::new(),
        personal: String::new(),
    };
    f(&mut r);
    r
}

pub(super) struct Import<'a> {
    pub file: &'a str,
    pub kind: &'a str,
    pub at: i64,
    pub rows: Vec<RecordRow>,
    pub rejects: Vec<(u64, &'a str)>,
    pub tracked: Option<Vec<&'a str>>,
    pub unmapped: Vec<(&'a str, u64)>,
}

/// Run one import through the backend's import writer; its id.
pub(super) fn import(ws: &mut (impl ImportWriting + ?Sized), i: Import<'_>) -> i64 {
    let mut w = ws
        .begin_import(&NewImport {
            file_name: i.file.into(),
            preset: "profile".into(),
            kind: i.kind.into(),
            encoding: "utf-8".into(),
            delimiter: ";".into(),
            imported_at: i.at,
            profile: format!("{{\"name\":{:?},\"b\":1,\"a\":[2]}}", i.file),
            rollback_journal: false,
        })
        .unwrap();
    let id = w.import_id();
    let mut counts = ImportCounts::default();
    let mut tally = crate::Upserts::default();
    for r in &i.rows {
        counts.rows_read += 1;
        w.upsert_rows(&[(r, &crate::EncodedRow::unfiltered(r))], &mut tally)
            .unwrap();
    }
    w.flush(&mut tally).unwrap();
    counts.inserted = tally.inserted;
    counts.updated = tally.updated;
    for (n, reason) in &i.rejects {
        let raw = vec![format!("raw {n}"), "x;y".to_string()];
        w.reject(&NewReject {
            row_number: *n,
            column: Some("Amount"),
            value: Some("12,5'"),
            reason,
            raw: &raw,
        })
        .unwrap();
        counts.rejected += 1;
    }
    if let Some(t) = &i.tracked {
        let t: Vec<String> = t.iter().map(|s| s.to_string()).collect();
        w.set_tracked_stages(&t).unwrap();
    }
    let unmapped: Vec<(String, u64)> = i
        .unmapped
        .iter()
        .map(|(v, n)| (v.to_string(), *n))
        .collect();
    w.set_unmapped_stages(&unmapped).unwrap();
    w.finish(
        &counts,
        &["a \"warning\"".into(), "ünïcödé".into()],
        &Cancel::new(),
    )
    .unwrap();
    id
}

pub(super) fn custom(pairs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
        .collect()
}

/// A file whose imports exercise every read: kinds and values that byte order, case and
/// locale sort differently, ties, case variants, a record seen in several files (imported
/// in an order unlike their names'), updates, rejects, tracked and unmapped stages, an
/// undone import. Returns the file's path and the import ids.
fn seeded_file(dir: &std::path::Path) -> (std::path::PathBuf, Vec<i64>) {
    let path = dir.join("seeded.baton");
    let mut ws = Workspace::create(&path).unwrap();
    let ids = seed(&mut ws);
    (path, ids)
}

/// What [`seed`] writes through.
pub(super) trait Seeded: ImportWriting + ImportUndo + StageConfig + OverviewStore {}
impl<T: ImportWriting + ImportUndo + StageConfig + OverviewStore + ?Sized> Seeded for T {}

/// The imports of [`seeded_file`], into either backend; the import ids.
pub(super) fn seed(ws: &mut dyn Seeded) -> Vec<i64> {
    ws.set_stage_value("Hold", "mql").unwrap();
    let mut ids = Vec::new();
    ids.push(import(
        ws,
        Import {
            file: "b.csv",
            kind: "deal",
            at: 1_700_100_000,
            rows: vec![
                row("D-10", "sql", |r| {
                    r.source = "google".into();
                    r.amount = Some(1200.5);
                    r.company_size = Some(40);
                    r.custom = custom(&[("tier", Some("gold")), ("Lead Score", Some("87"))]);
                }),
                row("d-2", "mql", |r| {
                    r.source = "Google".into();
                    r.owner = "Élise".into();
                    r.custom = custom(&[("tier", Some("Gold")), ("alpha", Some("x"))]);
                }),
                row("D-1", "lost", |r| {
                    r.source = "bing".into();
                    r.outcome = Some(Outcome::Lost);
                    r.closed_at = Some(1_700_200_000);
                    r.lost_reason = "price; \"too high\"".into();
                    r.custom = custom(&[
                        ("Alpha", Some("y")),
                        ("_x", Some("")),
                        ("expected_close", Some("1700300000")),
                    ]);
                }),
                row("É-1", "", |r| {
                    r.source = "Bing".into();
                    r.has_stage_info = false;
                    r.custom = custom(&[("zeta", Some("Gold")), ("tier", None)]);
                    r.personal = "{\"email\":\"a@b.c\"}".into();
                }),
            ],
            rejects: vec![(7, "expected a number"), (3, "expected a date")],
            tracked: Some(vec!["lead", "mql", "sql"]),
            unmapped: vec![("Hold", 2), ("Beta", 3), ("alpha", 3)],
        },
    ));
    ids.push(import(
        ws,
        Import {
            file: "a.csv",
            kind: "deal",
            at: 1_700_000_500, // earlier wall clock than the first: stage history sorts by it
            rows: vec![
                row("D-10", "opportunity", |r| {
                    r.stage_dates = vec![("sql".into(), Some(1_700_050_000))];
                    r.custom = custom(&[("tier", Some("GOLD"))]);
                }),
                row("d-2", "sql", |_| {}),
                row("a-3", "lead", |r| {
                    r.source = "bing".into();
                    r.owner = "zed".into();
                }),
            ],
            rejects: vec![],
            tracked: None,
            unmapped: vec![("Hold", 1), ("zz", 1)],
        },
    ));
    ids.push(import(
        ws,
        Import {
            file: "b.csv",
            kind: "deal",
            at: 1_700_300_000,
            rows: vec![row("D-10", "customer", |r| {
                r.outcome = Some(Outcome::Won);
                r.closed_at = Some(1_700_300_000);
            })],
            rejects: vec![],
            tracked: Some(vec![]),
            unmapped: vec![],
        },
    ));
    // An undone import: listed in the history, not in the live reads.
    let undone = import(
        ws,
        Import {
            file: "undone.csv",
            kind: "deal",
            at: 1_700_600_000,
            rows: vec![row("d-2", "customer", |_| {}), row("U-1", "mql", |_| {})],
            rejects: vec![],
            tracked: Some(vec!["customer"]),
            unmapped: vec![("Gone", 9)],
        },
    );
    ws.undo_import(undone, 1_700_700_000).unwrap();
    ids.push(undone);
    ws.set_company(Some("Acme \"Ltd\"")).unwrap();
    ids.push(import(
        ws,
        Import {
            file: "contacts.csv",
            kind: "contact",
            at: 1_700_400_000,
            rows: vec![
                row("C-1", "lead", |r| {
                    r.source = "Bing".into();
                    r.owner = "adam".into();
                }),
                row("c-1", "mql", |_| {}),
            ],
            rejects: vec![(2, "expected an id")],
            tracked: Some(vec!["lead"]),
            unmapped: vec![("Hold", 5)],
        },
    ));
    ids.push(import(
        ws,
        Import {
            file: "Lead.csv",
            kind: "Lead",
            at: 1_700_500_000,
            rows: vec![
                row("L-1", "mql", |r| r.owner = "Bob".into()),
                row("L-2", "lead", |_| {}),
            ],
            rejects: vec![],
            tracked: None,
            unmapped: vec![],
        },
    ));
    ids
}

/// The file seeded and its copy in a new team database, whose tables' physical row order
/// is then shuffled (rows rewritten move to the end of the heap), so a read without a
/// full ORDER BY shows.
pub(super) fn seeded_pair() -> (tempfile::TempDir, Workspace, TestDb, PgWorkspace, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = seeded_file(dir.path());
    let db = TestDb::new();
    copy_workspace(
        &Location::File(path.clone()),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    let team = PgWorkspace::open(&db.target).unwrap();
    exec(
        &team,
        "UPDATE records SET kind = kind WHERE id % 2 = 1;
         UPDATE imports SET kind = kind WHERE id % 2 = 1;
         UPDATE import_snapshots SET stage = stage WHERE record_id % 2 = 1;
         UPDATE import_rejects SET reason = reason WHERE row_number % 2 = 1;
         UPDATE import_unmapped_stages SET rows = rows WHERE value < 'a';
         UPDATE import_tracking SET stages = stages WHERE import_id % 2 = 1;",
    );
    (dir, Workspace::open(&path).unwrap(), db, team, ids)
}

/// Every answer of [`RecordReads`], in one value.
pub(super) fn record_reads(ws: &dyn RecordSide, ids: &[i64]) -> String {
    let mut all = Vec::new();
    ws.scan_records(&mut |r| all.push(r)).unwrap();
    let mut written = Vec::new();
    ws.scan_records_written_by(&[ids[1], ids[2]], &mut |r| written.push(r))
        .unwrap();
    let mut none = Vec::new();
    ws.scan_records_written_by(&[], &mut |r| none.push(r))
        .unwrap();
    assert!(none.is_empty());
    format!(
        "count {:?}\nlast {:?}\nall {all:#?}\nwritten {written:#?}\nsince0 {:?}\nsince1 {:?}\nseveral {:?}\namong {:?}\namong2 {:?}\namong_none {:?}\nlatest {:?}",
        ws.record_count().unwrap(),
        ws.last_record_id().unwrap(),
        ws.imports_since(0).unwrap(),
        ws.imports_since(ws.data_version().unwrap() - 2).unwrap(),
        ws.records_from_several_files().unwrap(),
        ws.several_files_among_written_by(&[ids[2]]).unwrap(),
        ws.several_files_among_written_by(&[ids[0], ids[3]]).unwrap(),
        ws.several_files_among_written_by(&[]).unwrap(),
        ws.latest_import_time().unwrap(),
    )
}

#[test]
fn record_reads_answer_alike_on_both_backends() {
    let (_dir, file, _db, team, ids) = seeded_pair();
    let from_file = record_reads(&file, &ids);
    assert_eq!(from_file, record_reads(&team, &ids));
    // What the comparison saw (so it cannot pass on two empty answers).
    let mut all = Vec::new();
    team.scan_records(&mut |r| all.push((r.id, r.external_id, r.custom.len())))
        .unwrap();
    assert_eq!(all.len(), 9, "{all:?}");
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "id order: {all:?}");
    let several = team.records_from_several_files().unwrap();
    assert_eq!(
        several,
        vec![
            (1, vec!["b.csv".to_string(), "a.csv".to_string()]),
            (2, vec!["b.csv".to_string(), "a.csv".to_string()])
        ],
        "each file once, in the order its first import was made"
    );
    assert_eq!(
        team.imports_since(0).unwrap(),
        None,
        "an undo and a setting since"
    );
    let now = team.data_version().unwrap();
    assert_eq!(
        team.imports_since(now - 2).unwrap(),
        Some(vec![ids[4], ids[5]])
    );
    assert_eq!(team.imports_since(now).unwrap(), Some(vec![]));
    assert_eq!(team.latest_import_time().unwrap(), Some(1_700_500_000));
}

/// Every answer of the other read traits, in one value.
pub(super) fn other_reads(ws: &dyn RecordSide, ids: &[i64]) -> String {
    let mut by_import = Vec::new();
    ws.scan_import_records(&[ids[2], ids[0], ids[1]], &mut |r, i| {
        by_import.push((r, i))
    })
    .unwrap();
    let mut out = format!(
        "imports {:#?}\nimport {:?}\nprofile {:?}\nrejects {:?} {:?}\nrecords {:#?}\ndeals {:?}\nnone {:?}\nhistory {:?}\nrecord_id {:?} {:?}\ntracking {:?}\nby_import {by_import:?}\nunmapped {:?}\ncompany {:?}\n",
        ws.imports().unwrap(),
        ws.import(ids[0]).unwrap(),
        ws.import_profile(ids[1]).unwrap(),
        ws.import_rejects(ids[0]).unwrap(),
        ws.import_rejects(ids[2]).unwrap(),
        ws.import_records(None).unwrap(),
        ws.import_records(Some("deal")).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(),
        ws.import_records(Some("nothing")).unwrap(),
        ws.stage_history("deal", "D-10").unwrap(),
        ws.record_id("deal", "d-2").unwrap(),
        ws.record_id("deal", "D-2").unwrap(),
        ws.live_import_tracking().unwrap(),
        ws.unmapped_stage_values().unwrap(),
        ws.company().unwrap(),
    );
    for field in [
        "source",
        "owner",
        "lost_reason",
        "tier",
        "Lead Score",
        "zeta",
        "_x",
        "nope",
    ] {
        out += &format!("values {field} {:?}\n", ws.field_values(field, 10).unwrap());
    }
    out += &format!(
        "values source 1 {:?}\n",
        ws.field_values("source", 1).unwrap()
    );
    out += &format!("custom names {:?}\n", ws.custom_field_names().unwrap());
    let mut o = ws.overview().unwrap();
    o.info = baton_core::workspace::WorkspaceInfo {
        path: String::new(),
        name: String::new(),
        ..o.info
    };
    out += &format!("overview {o:#?}\n");
    let errors = [
        ws.import(999).unwrap_err(),
        ws.import_profile(999).unwrap_err(),
        ws.import_rejects(999).unwrap_err(),
    ];
    for e in errors {
        out += &format!("{:?} {}\n", e.code, e.message);
    }
    let e = ws.field_values("amount", 5).unwrap_err();
    out += &format!("{:?} {}\n", e.code, e.message);
    out
}

#[test]
fn import_history_views_tracking_field_values_and_the_overview_answer_alike() {
    let (_dir, file, _db, team, ids) = seeded_pair();
    let from_file = other_reads(&file, &ids);
    assert_eq!(from_file, other_reads(&team, &ids));
    // The comparison covered what it must.
    assert_eq!(team.imports().unwrap().len(), 6);
    assert_eq!(
        team.import_rejects(ids[0])
            .unwrap()
            .iter()
            .map(|r| r.row_number)
            .collect::<Vec<_>>(),
        [3, 7]
    );
    assert_eq!(
        team.unmapped_stage_values().unwrap(),
        vec![
            ("Hold".to_string(), 8),
            ("Beta".to_string(), 3),
            ("alpha".to_string(), 3),
            ("zz".to_string(), 1)
        ]
    );
    let names = team.custom_field_names().unwrap();
    assert_eq!(
        names,
        ["_x", "Alpha", "alpha", "Lead Score", "tier", "zeta"]
    );
    let tiers = team.field_values("tier", 10).unwrap();
    assert_eq!(
        tiers.len(),
        1,
        "gold, Gold and GOLD are one value: {tiers:?}"
    );
    assert_eq!(tiers[0].count, 2);
    let owners: Vec<String> = team
        .field_values("owner", 10)
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();
    assert_eq!(
        owners,
        ["Bob", "adam", "zed", "Élise"],
        "ties in byte order"
    );
    let o = team.overview().unwrap();
    assert_eq!(o.info.path, team.shown());
    assert_eq!(o.info.company.as_deref(), Some("Acme \"Ltd\""));
    assert_eq!(
        o.records_by_kind
            .iter()
            .map(|k| (k.kind.as_str(), k.count))
            .collect::<Vec<_>>(),
        [("deal", 5), ("Lead", 2), ("contact", 2)]
    );
}

/// Run `check` on a new file and a new team database; both must give the same value.
fn on_both<T: PartialEq + std::fmt::Debug>(check: impl Fn(&dyn RecordSide) -> T) -> T {
    super::tests::alike(|f| check(f), |t| check(t))
}

fn clause(name: &str, from: &str, to: SlaTarget, within: i64) -> SlaClauseInput {
    SlaClauseInput {
        name: name.into(),
        from_stage: from.into(),
        to,
        within_seconds: within,
        clock: Clock::Business,
    }
}

fn goal(name: &str, team: &str) -> GoalInput {
    GoalInput {
        name: name.into(),
        metric: GoalMetric::Reached {
            stage: "mql".into(),
        },
        target: 300.5,
        period: GoalPeriod::parse("2025-Q1").unwrap(),
        team: team.into(),
    }
}

fn err(e: baton_core::BatonError) -> (ErrorCode, String) {
    (e.code, e.message)
}

#[test]
fn sla_clauses_goals_and_business_hours_behave_alike_on_both_backends() {
    let seen = on_both(|ws| {
        let v0 = ws.data_version().unwrap();
        let a = ws
            .add_sla_clause(&clause(
                "",
                " mql ",
                SlaTarget::Field(" first_touch ".into()),
                4 * 3600,
            ))
            .unwrap();
        let b = ws
            .add_sla_clause(&clause(
                "Zed",
                "sql",
                SlaTarget::Stage("opportunity".into()),
                60,
            ))
            .unwrap();
        let c = ws
            .add_sla_clause(&clause("alpha", "lead", SlaTarget::Stage("mql".into()), 1))
            .unwrap();
        let version_after_clauses = ws.data_version().unwrap() - v0;
        let bad = [
            clause("x", " ", SlaTarget::Stage("mql".into()), 1),
            clause("x", "mql", SlaTarget::Stage(" ".into()), 1),
            clause("x", "mql", SlaTarget::Stage("mql".into()), 1),
            clause("x", "mql", SlaTarget::Stage("sql".into()), 0),
        ]
        .map(|i| err(ws.add_sla_clause(&i).unwrap_err()));
        let g1 = ws.add_goal(&goal("", " sales ")).unwrap();
        let g2 = ws.add_goal(&goal("Q1 MQLs", "marketing")).unwrap();
        let mut bad_goal = goal("x", "t");
        bad_goal.target = -1.0;
        let bad_goal = ws.add_goal(&bad_goal).map_err(err);
        let listed = (ws.sla_clauses().unwrap(), ws.goals().unwrap());
        ws.delete_sla_clause(b.id).unwrap();
        ws.delete_goal(g1.id).unwrap();
        let missing = (
            err(ws.delete_sla_clause(b.id).unwrap_err()),
            err(ws.delete_goal(999).unwrap_err()),
        );
        let after = (ws.sla_clauses().unwrap(), ws.goals().unwrap());
        let hours0 = ws.business_hours().unwrap();
        let v1 = ws.data_version().unwrap();
        let h = BusinessHours {
            days: vec![1, 2, 3, 4],
            start_minute: 8 * 60,
            end_minute: 18 * 60,
        };
        ws.set_business_hours(&h).unwrap();
        let bumped = ws.data_version().unwrap() - v1;
        let bad_hours = err(ws
            .set_business_hours(&BusinessHours {
                days: vec![],
                ..h.clone()
            })
            .unwrap_err());
        format!(
            "{a:?}\n{b:?}\n{c:?}\n{version_after_clauses}\n{bad:?}\n{g1:?}\n{g2:?}\n{bad_goal:?}\n{listed:#?}\n{missing:?}\n{after:#?}\n{hours0:?}\n{:?}\n{bumped}\n{bad_hours:?}",
            ws.business_hours().unwrap()
        )
    });
    // What both said.
    assert!(
        seen.contains("\n0\n"),
        "clauses leave the data version: {seen}"
    );
    assert!(seen.contains("no SLA clause with id 2"), "{seen}");
    assert!(seen.contains("no goal with id 999"), "{seen}");
    assert!(seen.ends_with("start_minute: 480, end_minute: 1080 }\n1\n(InvalidInput, \"business hours need at least one working day\")"), "{seen}");
}

#[test]
fn deleting_a_clause_or_a_goal_deletes_the_agreement_about_it_on_postgresql() {
    let db = TestDb::new();
    let team = PgWorkspace::open(&db.target).unwrap();
    let c = team
        .add_sla_clause(&clause("", "mql", SlaTarget::Stage("sql".into()), 60))
        .unwrap();
    let g = team.add_goal(&goal("G", "sales")).unwrap();
    exec(
        &team,
        &format!(
            "INSERT INTO agreements(subject, title) VALUES ('sla:{}', 'c'), ('goal:{}', 'g'), ('stage:mql', 's');
             INSERT INTO agreement_versions(agreement_id, version, content, created_at)
             SELECT id, 1, '{{}}', 0 FROM agreements",
            c.id, g.id
        ),
    );
    team.delete_sla_clause(c.id).unwrap();
    team.delete_goal(g.id).unwrap();
    let left = team
        .query_rows(
            "t",
            "SELECT a.subject FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id",
            &[],
            |r| r.get::<_, String>(0),
        )
        .unwrap();
    assert_eq!(left, ["stage:mql"]);
}

#[test]
fn hostile_text_is_data_on_both_backends_and_nul_is_refused_on_postgresql() {
    let hostile = [
        "O'Brien \"the\" `boss`",
        "Robert'); DROP TABLE goals;--",
        "$$; SELECT 1; $$",
        "$tag$ \\ back\\slash %s ?1 $1",
        "émoji 🦀 ünïcödé",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("{}🦀", "x".repeat(10_000))])
    .collect::<Vec<_>>();
    on_both(|ws| {
        let mut out = Vec::new();
        for h in &hostile {
            let c = ws
                .add_sla_clause(&clause(h, h, SlaTarget::Field(h.clone()), 5))
                .unwrap();
            let g = ws.add_goal(&goal(h, h)).unwrap();
            out.push((c, g));
            assert_eq!(ws.field_values(h, 3).unwrap(), vec![]);
            assert_eq!(ws.record_id(h, h).unwrap(), None);
            assert_eq!(ws.stage_history(h, h).unwrap(), vec![]);
            assert!(ws.import_records(Some(h)).unwrap().is_empty());
        }
        ws.set_company(Some(&hostile[1])).unwrap();
        (
            out,
            ws.sla_clauses().unwrap(),
            ws.goals().unwrap(),
            ws.company().unwrap(),
        )
    });
    let db = TestDb::new();
    let team = PgWorkspace::open(&db.target).unwrap();
    let e = team
        .add_sla_clause(&clause(
            "bad\0name",
            "mql",
            SlaTarget::Stage("sql".into()),
            5,
        ))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message.starts_with(
            "the SLA clause's name: the text holds a NUL character (U+0000) at byte 3"
        ),
        "{}",
        e.message
    );
    let e = team.add_goal(&goal("G", "te\0am")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.starts_with("the goal's team: "), "{}", e.message);
    let e = team.set_company(Some("a\0b")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    assert!(team.sla_clauses().unwrap().is_empty() && team.goals().unwrap().is_empty());
    // Looking a NUL up finds nothing, as nothing stored here can hold one.
    assert_eq!(team.record_id("deal", "a\0").unwrap(), None);
    assert_eq!(team.field_values("a\0", 3).unwrap(), vec![]);
    assert!(team.stage_history("a\0", "b").unwrap().is_empty());
    assert!(team.import_records(Some("a\0")).unwrap().is_empty());
}

#[test]
fn a_copy_arrives_without_the_spellings_cache_and_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stamped.baton");
    let mut ws = Workspace::create(&path).unwrap();
    let import_one = |ws: &mut Workspace, id: &str, source: &str, at: i64| {
        import(
            ws,
            Import {
                file: "c.csv",
                kind: "contact",
                at,
                rows: vec![row(id, "mql", |r| r.source = source.into())],
                rejects: Vec::new(),
                tracked: None,
                unmapped: Vec::new(),
            },
        )
    };
    import_one(&mut ws, "C-1", "Ads", 1_700_000_000);
    assert!(ws.known_values_current().unwrap());
    drop(ws);
    let db = TestDb::new();
    let back = dir.path().join("back.baton");
    copy_workspace(
        &Location::File(path.clone()),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    copy_workspace(
        &Location::Team(Box::new(db.target.clone())),
        &Location::File(back.clone()),
    )
    .unwrap();
    let mut back = Workspace::open(&back).unwrap();
    // The settings came along, the cache did not: not trusted, rebuilt by the next
    // import, whose importer then folds "ADS" into the stored "Ads".
    assert!(!back.known_values_current().unwrap());
    let w = back
        .begin_import(&NewImport {
            file_name: "d.csv".into(),
            preset: "profile".into(),
            kind: "contact".into(),
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            imported_at: 1_700_000_100,
            profile: String::new(),
            rollback_journal: false,
        })
        .unwrap();
    assert_eq!(
        w.known_values(crate::records::TextField::Source).unwrap(),
        ["Ads"]
    );
}
