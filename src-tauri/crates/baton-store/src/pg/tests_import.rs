//! Imports and their undo on a team workspace (feature `pg-tests`): the same imports go
//! into a new file and a new team database through each backend's own writer, and every
//! read, every stored undo image and snapshot must then be the same on both.

use super::testing::TestDb;
use super::tests_records::{custom, import, other_reads, record_reads, row, seed, Import, Seeded};
use super::*;
use crate::prelude::*;
use crate::{ImportCounts, NewImport, Outcome, RecordRow, Upserts, Workspace};
use baton_core::{Cancel, ErrorCode};

/// The import tables' rows, one text per row, the same SQL on both backends (what the
/// reads do not show whole: before-images, every snapshot, the data version each import
/// produced, ids).
const STORED_QUERIES: [&str; 5] = [
    "SELECT CAST(import_id AS TEXT) || '|' || CAST(record_id AS TEXT) || '|' || before FROM import_undo ORDER BY import_id, record_id",
    "SELECT CAST(import_id AS TEXT) || '|' || CAST(record_id AS TEXT) || '|' || coalesce(stage, 'NULL') FROM import_snapshots ORDER BY import_id, record_id",
    "SELECT CAST(id AS TEXT) || '|' || file_name || '|' || CAST(inserted AS TEXT) || '|' || CAST(updated AS TEXT) || '|' || CAST(rejected AS TEXT) || '|' || CAST(rows_read AS TEXT) || '|' || coalesce(CAST(data_version AS TEXT), 'NULL') || '|' || coalesce(CAST(undone_at AS TEXT), 'NULL') || '|' || warnings || '|' || profile FROM imports ORDER BY id",
    "SELECT CAST(id AS TEXT) || '|' || kind || '|' || external_id || '|' || CAST(first_import_id AS TEXT) || '|' || CAST(last_import_id AS TEXT) FROM records ORDER BY id",
    "SELECT value FROM settings WHERE key = 'data_version'",
];

pub(super) fn stored_on_file(ws: &Workspace) -> String {
    STORED_QUERIES
        .iter()
        .map(|sql| {
            let rows = ws
                .query_list("t", sql, [], |r| r.get::<_, String>(0))
                .unwrap();
            format!("{sql}\n{}\n", rows.join("\n"))
        })
        .collect()
}

pub(super) fn stored_on_team(ws: &PgWorkspace) -> String {
    STORED_QUERIES
        .iter()
        .map(|sql| {
            let rows = ws
                .query_rows("t", sql, &[], |r| r.get::<_, String>(0))
                .unwrap();
            format!("{sql}\n{}\n", rows.join("\n"))
        })
        .collect()
}

/// A new file and a new team database, each seeded through its own import writer.
fn seeded_both() -> (tempfile::TempDir, Workspace, TestDb, PgWorkspace, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let ids = seed(&mut file);
    let db = TestDb::new();
    let mut team = PgWorkspace::open(&db.target).unwrap();
    assert_eq!(seed(&mut team), ids);
    (dir, file, db, team, ids)
}

#[test]
fn imports_into_a_team_workspace_store_and_answer_what_the_files_do() {
    let (_dir, file, _db, team, ids) = seeded_both();
    assert_eq!(record_reads(&file, &ids), record_reads(&team, &ids));
    assert_eq!(other_reads(&file, &ids), other_reads(&team, &ids));
    let stored = stored_on_file(&file);
    assert_eq!(stored, stored_on_team(&team));
    // What the comparison saw (so it cannot pass on two empty answers).
    assert_eq!(team.imports().unwrap().len(), 6);
    assert!(
        stored.contains("2|1|{\"current_stage\":\"sql\""),
        "{stored}"
    );
    let undone = team.import(ids[3]).unwrap();
    assert_eq!(undone.undone_at, Some(1_700_700_000));
    assert_eq!((undone.inserted, undone.updated), (1, 1));
}

/// Rows in several slices: repeated ids within a slice and across slices, new and
/// stored records, on both backends.
pub(super) fn big_import(
    ws: &mut (impl ImportWriting + ?Sized),
    n: usize,
    at: i64,
    file: &str,
) -> i64 {
    let rows: Vec<RecordRow> = (0..n)
        .map(|i| {
            // Every 7th row repeats an id seen 3 rows or 25,000 rows before.
            let key = if i % 7 == 6 {
                if i > 25_000 {
                    i - 25_000
                } else {
                    i - 3
                }
            } else {
                i
            };
            row(
                &format!("K-{key}"),
                ["lead", "mql", "sql", ""][i % 4],
                |r| {
                    r.source = ["Ads", "ads", "Web", ""][(i / 3) % 4].into();
                    r.amount = (i % 5 != 0).then_some(i as f64 * 1.25);
                    r.company_size = (i % 3 == 0).then_some(i as i64);
                    r.custom = custom(&[("n", Some(&i.to_string())), ("z", None)]);
                    if i % 11 == 0 {
                        r.outcome = Some(Outcome::Won);
                        r.closed_at = Some(at + i as i64);
                    }
                },
            )
        })
        .collect();
    import(
        ws,
        Import {
            file,
            kind: "contact",
            at,
            rows,
            rejects: vec![(3, "expected a number")],
            tracked: Some(vec!["lead", "mql"]),
            unmapped: vec![("Hold", 2)],
        },
    )
}

#[test]
fn a_big_import_in_several_slices_and_its_undo_match_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let db = TestDb::new();
    let mut team = PgWorkspace::open(&db.target).unwrap();
    let run = |ws: &mut dyn Seeded| {
        let a = big_import(ws, 45_000, 1_700_000_000, "a.csv");
        let b = big_import(ws, 30_000, 1_700_100_000, "b.csv");
        (a, b)
    };
    let (a, b) = run(&mut file);
    assert_eq!(run(&mut team), (a, b));
    let info = team.import(b).unwrap();
    assert!(info.updated > 25_000 && info.inserted == 0, "{info:?}");
    assert!(team.import(a).unwrap().updated > 6_000);
    assert_eq!(stored_on_file(&file), stored_on_team(&team));
    assert_eq!(
        record_reads(&file, &[a, a, b, a]),
        record_reads(&team, &[a, a, b, a])
    );
    // Undo: the later import first, as on the file.
    let refused = |ws: &dyn RecordsSink| {
        let e = ws.undo_import(a, 1_700_200_000).unwrap_err();
        (e.code, e.message)
    };
    let e = refused(&file);
    assert_eq!(e, refused(&team));
    assert_eq!(e.0, ErrorCode::Conflict);
    for id in [b, a] {
        let undo = |ws: &dyn RecordsSink| ws.undo_import(id, 1_700_300_000).unwrap();
        assert_eq!(undo(&file), undo(&team));
        assert_eq!(stored_on_file(&file), stored_on_team(&team));
        assert_eq!(
            record_reads(&file, &[a, a, b, a]),
            record_reads(&team, &[a, a, b, a])
        );
    }
    assert_eq!(team.record_count().unwrap(), 0);
    // Both again after the undo: the same ids as the file's (ids freed by the undo are
    // used again, as a file's rowids are).
    let again = |ws: &mut dyn Seeded| big_import(ws, 100, 1_700_400_000, "c.csv");
    assert_eq!(again(&mut file), again(&mut team));
    assert_eq!(stored_on_file(&file), stored_on_team(&team));
}

#[test]
fn undo_refusals_are_the_files_on_a_team_workspace() {
    let (_dir, file, _db, team, ids) = seeded_both();
    let answers = |ws: &dyn RecordsSink| {
        [ids[3], 999, ids[0], ids[5]].map(|id| {
            ws.undo_import(id, 1_800_000_000)
                .map_err(|e| (e.code, e.message))
        })
    };
    let on_file = answers(&file);
    assert_eq!(on_file, answers(&team));
    assert_eq!(on_file[0].as_ref().unwrap_err().0, ErrorCode::Conflict);
    assert_eq!(on_file[1].as_ref().unwrap_err().0, ErrorCode::NotFound);
    assert!(on_file[3].is_ok());
    assert_eq!(stored_on_file(&file), stored_on_team(&team));
}

fn meta(file: &str) -> NewImport {
    NewImport {
        file_name: file.into(),
        preset: "profile".into(),
        kind: "deal".into(),
        encoding: "utf-8".into(),
        delimiter: ",".into(),
        imported_at: 1_700_000_000,
        profile: "{}".into(),
        rollback_journal: false,
    }
}

#[test]
fn an_import_not_finished_leaves_the_team_workspace_as_it_was() {
    let (_dir, _file, _db, mut team, ids) = seeded_both();
    let before = (stored_on_team(&team), record_reads(&team, &ids));
    let mut tally = Upserts::default();
    {
        let mut w = team.begin_import(&meta("dropped.csv")).unwrap();
        let rows: Vec<RecordRow> = (0..30_000)
            .map(|i| row(&format!("N-{i}"), "mql", |_| {}))
            .collect();
        let encoded: Vec<crate::EncodedRow> =
            rows.iter().map(crate::EncodedRow::unfiltered).collect();
        let refs: Vec<(&RecordRow, &crate::EncodedRow)> = rows.iter().zip(&encoded).collect();
        w.upsert_rows(&refs, &mut tally).unwrap();
        w.flush(&mut tally).unwrap();
        // Dropped without finish.
    }
    assert_eq!(tally.inserted, 30_000);
    let w = team.begin_import(&meta("cancelled.csv")).unwrap();
    let cancel = Cancel::new();
    cancel.cancel();
    let e = w
        .finish(&ImportCounts::default(), &[], &cancel)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(before, (stored_on_team(&team), record_reads(&team, &ids)));
    // A NUL in a row is refused, naming the record, and nothing lands.
    let mut w = team.begin_import(&meta("nul.csv")).unwrap();
    let bad = row("B-1", "mql", |r| r.owner = "a\0b".into());
    let e = w
        .upsert_rows(&[(&bad, &crate::EncodedRow::unfiltered(&bad))], &mut tally)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message
            .starts_with("record \"B-1\", owner: the text holds a NUL"),
        "{}",
        e.message
    );
    drop(w);
    assert_eq!(before, (stored_on_team(&team), record_reads(&team, &ids)));
}

#[test]
fn an_import_waits_a_moment_for_one_about_to_end() {
    // An import ending (or its importer's connection going) within a few seconds is
    // waited for, not refused.
    let db = TestDb::new();
    let mut first = PgWorkspace::open(&db.target).unwrap();
    let mut second = PgWorkspace::open(&db.target).unwrap();
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let importing = std::thread::spawn(move || {
        let w = first.begin_import(&meta("first.csv")).unwrap();
        started_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        w.finish(&ImportCounts::default(), &[], &Cancel::new())
            .unwrap();
    });
    started_rx.recv().unwrap();
    let w = second.begin_import(&meta("second.csv")).unwrap();
    w.finish(&ImportCounts::default(), &[], &Cancel::new())
        .unwrap();
    importing.join().unwrap();
    assert_eq!(second.imports().unwrap().len(), 2);
}

#[test]
fn an_import_into_another_database_of_the_server_neither_blocks_nor_is_named() {
    // Advisory locks belong to one database: two team workspaces on one server import at
    // once, and a refusal names the importer of its own workspace only.
    let (a, b) = (TestDb::new(), TestDb::new());
    let mut a_first = PgWorkspace::open(&a.target).unwrap();
    let mut a_second = PgWorkspace::open(&a.target).unwrap();
    let mut b_ws = PgWorkspace::open(&b.target).unwrap();
    let _a_import = a_first.begin_import(&meta("a.csv")).unwrap();
    let _b_import = b_ws.begin_import(&meta("b.csv")).unwrap();
    let e = a_second
        .begin_import(&meta("again.csv"))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    assert!(
        e.message.contains("\"Baton import of a.csv\""),
        "{}",
        e.message
    );
}

#[test]
fn a_second_import_at_once_is_refused_naming_who_imports_and_nothing_interleaves() {
    let db = TestDb::new();
    let mut first = PgWorkspace::open(&db.target).unwrap();
    let mut second = PgWorkspace::open(&db.target).unwrap();
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let importing = std::thread::spawn(move || {
        let mut w = first.begin_import(&meta("first.csv")).unwrap();
        let rows: Vec<RecordRow> = (0..100)
            .map(|i| row(&format!("F-{i}"), "mql", |_| {}))
            .collect();
        let encoded: Vec<crate::EncodedRow> =
            rows.iter().map(crate::EncodedRow::unfiltered).collect();
        let refs: Vec<(&RecordRow, &crate::EncodedRow)> = rows.iter().zip(&encoded).collect();
        let mut tally = Upserts::default();
        w.upsert_rows(&refs, &mut tally).unwrap();
        w.flush(&mut tally).unwrap();
        started_tx.send(()).unwrap();
        go_rx.recv().unwrap();
        w.finish(&ImportCounts::default(), &[], &Cancel::new())
            .unwrap();
        first
    });
    started_rx.recv().unwrap();
    let e = second
        .begin_import(&meta("second.csv"))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    let user = db.target.config.get_user().unwrap().to_string();
    assert!(
        e.message.starts_with(&format!(
            "another import is running on this team workspace: {user} is running \"Baton import of first.csv\" on it (since "
        )),
        "{}",
        e.message
    );
    // An undo waits for no import either.
    let e = second.undo_import(1, 1).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    // Other writes go on meanwhile.
    second.set_stage_value("Hold", "mql").unwrap();
    assert_eq!(
        second.record_count().unwrap(),
        0,
        "nothing shows before the commit"
    );
    go_tx.send(()).unwrap();
    let first = importing.join().unwrap();
    assert_eq!(first.record_count().unwrap(), 100);
    // Once the first has committed, the second runs.
    let id = import(
        &mut second,
        Import {
            file: "second.csv",
            kind: "deal",
            at: 1_700_000_100,
            rows: vec![row("F-1", "sql", |_| {}), row("S-1", "lead", |_| {})],
            rejects: vec![],
            tracked: None,
            unmapped: vec![],
        },
    );
    assert_eq!(id, 2);
    let info = second.import(id).unwrap();
    assert_eq!((info.inserted, info.updated), (1, 1));
    assert_eq!(second.undo_import(id, 5).unwrap().restored, 1);
}

#[test]
fn an_imports_new_records_reach_the_server_while_the_file_is_read() {
    let db = TestDb::new();
    let mut team = PgWorkspace::open(&db.target).unwrap();
    let other = PgWorkspace::open(&db.target).unwrap();
    let size = || {
        other
            .query_rows(
                "t",
                "SELECT pg_relation_size('records')::bigint",
                &[],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()[0]
    };
    assert_eq!(size(), 0);
    let mut w = team.begin_import(&meta("streamed.csv")).unwrap();
    // Fewer rows than a merge slice, and no flush: they are on their way to `records`
    // already (the server writes them while the importer reads on), not held back.
    let rows: Vec<RecordRow> = (0..5_000)
        .map(|i| row(&format!("S-{i}"), "mql", |r| r.owner = "Ana".into()))
        .collect();
    let encoded: Vec<crate::EncodedRow> = rows.iter().map(crate::EncodedRow::unfiltered).collect();
    let refs: Vec<(&RecordRow, &crate::EncodedRow)> = rows.iter().zip(&encoded).collect();
    let mut tally = Upserts::default();
    w.upsert_rows(&refs, &mut tally).unwrap();
    assert_eq!(tally.inserted, 5_000);
    let started = std::time::Instant::now();
    while size() == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no record reached the server before the end of the import"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        other.record_count().unwrap(),
        0,
        "nothing shows before the commit"
    );
    w.finish(&ImportCounts::default(), &[], &Cancel::new())
        .unwrap();
    assert_eq!(other.record_count().unwrap(), 5_000);
    assert_eq!(team.record_id("deal", "S-0").unwrap(), Some(1));
    assert_eq!(team.record_id("deal", "S-4999").unwrap(), Some(5_000));
}
