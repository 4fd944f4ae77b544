//! Re-imports into a team workspace (feature `pg-tests`): a team's weekly export imported
//! again, every row a stored record, stores what the file's writer stores, and each slice
//! finds and writes its records by index probes, not scans of all `records`.

use super::import_merge::{MergeSql, MergeStatements};
use super::testing::TestDb;
use super::tests_import::{big_import, stored_on_file, stored_on_team};
use super::tests_records::{import, other_reads, record_reads, row, Import, Seeded};
use super::*;
use crate::prelude::*;
use crate::{RecordRow, Workspace};

#[test]
fn importing_the_same_export_again_stores_what_the_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let db = TestDb::new();
    let mut team = PgWorkspace::open(&db.target).unwrap();
    let week = 7 * 86_400;
    let run = |ws: &mut dyn Seeded| {
        let a = big_import(ws, 45_000, 1_700_000_000, "week1.csv");
        // A week later: the same rows, with other close dates for some (written whole).
        let b = big_import(ws, 45_000, 1_700_000_000 + week, "week2.csv");
        // The same file again: every merge changes only the record's last import.
        let c = big_import(ws, 45_000, 1_700_000_000 + week, "week2.csv");
        [a, b, c]
    };
    let ids = run(&mut file);
    assert_eq!(run(&mut team), ids);
    let [a, b, c] = ids;
    let info = team.import(c).unwrap();
    assert!(
        info.inserted == 0 && info.updated > 35_000,
        "{info:?}: every record of the file is stored"
    );
    assert_eq!(stored_on_file(&file), stored_on_team(&team));
    let reads = [a, b, c, a];
    assert_eq!(record_reads(&file, &reads), record_reads(&team, &reads));
    assert_eq!(other_reads(&file, &reads), other_reads(&team, &reads));
    // Every record's last import is the re-import, as on the file.
    let last = team
        .query_rows(
            "t",
            "SELECT count(*) FROM records WHERE last_import_id = $1",
            &[&c],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(last, [team.record_count().unwrap() as i64]);
    for id in [c, b] {
        let undo = |ws: &dyn RecordsSink| ws.undo_import(id, 1_701_000_000).unwrap();
        assert_eq!(undo(&file), undo(&team));
        assert_eq!(stored_on_file(&file), stored_on_team(&team));
        assert_eq!(record_reads(&file, &reads), record_reads(&team, &reads));
    }
}

/// `EXPLAIN` of each merge statement for a slice of 20,000 records of 50,000, planned as
/// the import's transaction plans them.
fn merge_plans(team: &PgWorkspace) -> [String; 3] {
    let keys: Vec<String> = (0..20_000).map(|i| format!("K-{}", i * 2)).collect();
    let ids: Vec<String> = (0..20_000).map(|i| (i * 2 + 1).to_string()).collect();
    let (keys, ids) = (keys.join(","), ids.join(","));
    let sql = MergeSql::new();
    team.run(async {
        let client = team.pool().get().await.unwrap();
        client
            .batch_execute("BEGIN; ANALYZE records")
            .await
            .unwrap();
        MergeStatements::begin(&client).await.unwrap();
        client
            .batch_execute(&format!(
                "PREPARE t_stored AS {}; PREPARE t_touch AS {}; PREPARE t_update AS {};",
                sql.stored, sql.touch, sql.update
            ))
            .await
            .unwrap();
        let nulls = vec!["NULL"; 17].join(", ");
        let mut plans = Vec::new();
        for q in [
            format!("EXPLAIN EXECUTE t_stored('contact', '{{{keys}}}')"),
            format!("EXPLAIN EXECUTE t_touch(2, '{{{ids}}}')"),
            format!("EXPLAIN EXECUTE t_update('{{{ids}}}', {nulls}, '{{{ids}}}')"),
        ] {
            let rows = client.query(q.as_str(), &[]).await.unwrap();
            let lines: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
            plans.push(lines.join("\n"));
        }
        client.batch_execute("ROLLBACK").await.unwrap();
        Ok(plans.try_into().unwrap())
    })
    .unwrap()
}

#[test]
fn a_slice_finds_and_writes_its_stored_records_by_index_probes() {
    let db = TestDb::new();
    let mut team = PgWorkspace::open(&db.target).unwrap();
    let rows: Vec<RecordRow> = (0..50_000)
        .map(|i| row(&format!("K-{i}"), "mql", |r| r.owner = "Ana".into()))
        .collect();
    import(
        &mut team,
        Import {
            file: "contacts.csv",
            kind: "contact",
            at: 1_700_000_000,
            rows,
            rejects: vec![],
            tracked: None,
            unmapped: vec![],
        },
    );
    let [stored, touch, update] = merge_plans(&team);
    assert!(
        stored.contains("Index Scan using records_kind_external_id_key on records"),
        "{stored}"
    );
    for plan in [&touch, &update] {
        assert!(
            plan.contains("Index Scan using records_pkey on records"),
            "{plan}"
        );
    }
    for plan in [stored, touch, update] {
        assert!(!plan.contains("Seq Scan on records"), "{plan}");
        assert!(!plan.contains("Hash Join"), "{plan}");
    }
}
