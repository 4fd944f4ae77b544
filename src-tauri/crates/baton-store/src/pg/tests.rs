//! Tests against a real PostgreSQL server (feature `pg-tests`; scripts/with-pg.sh).

use super::schema::{reference_shape, TableShape, FILE_ONLY_REFERENCES};
use super::testing::TestDb;
use super::*;
use crate::prelude::*;
use crate::{Workspace, SCHEMA_VERSION};
use baton_core::workshop::Team;
use std::collections::BTreeMap;

/// Run raw SQL on a team database (seeding and shuffling rows in tests).
pub(super) fn exec(ws: &PgWorkspace, sql: &str) -> Result<()> {
    ws.run(async {
        let client = ws.pool().get().await.map_err(|e| pool_err(ws.shown(), e))?;
        client.batch_execute(sql).await.map_err(|e| pg_err(sql, e))
    })
}

fn query_i64(ws: &PgWorkspace, sql: &str) -> i64 {
    ws.run(async {
        let client = ws.pool().get().await.map_err(|e| pool_err(ws.shown(), e))?;
        let row = client
            .query_one(sql, &[])
            .await
            .map_err(|e| pg_err(sql, e))?;
        Ok(row.get::<_, i64>(0))
    })
    .unwrap()
}

fn query_texts(ws: &PgWorkspace, sql: &str) -> Vec<String> {
    ws.run(async {
        let client = ws.pool().get().await.map_err(|e| pool_err(ws.shown(), e))?;
        let rows = client.query(sql, &[]).await.map_err(|e| pg_err(sql, e))?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    })
    .unwrap()
}

/// What a difference between the two schemas looks like, table by table.
fn differences(file: &[TableShape], team: &[TableShape]) -> Vec<String> {
    let by_name = |s: &[TableShape]| -> BTreeMap<String, TableShape> {
        s.iter().map(|t| (t.name.clone(), t.clone())).collect()
    };
    let (file, team) = (by_name(file), by_name(team));
    let mut out = Vec::new();
    for (name, f) in &file {
        let Some(p) = team.get(name) else {
            out.push(format!(
                "table {name} is in schema/*.sql but not in schema/pg/: mirror it"
            ));
            continue;
        };
        if f.columns != p.columns {
            out.push(format!(
                "table {name}: columns differ\n  file: {:?}\n  pg:   {:?}",
                f.columns, p.columns
            ));
        }
        if f.unique_keys != p.unique_keys {
            out.push(format!(
                "table {name}: unique keys differ\n  file: {:?}\n  pg:   {:?}",
                f.unique_keys, p.unique_keys
            ));
        }
        let mut declared = f.references.clone();
        declared.retain(|to| !FILE_ONLY_REFERENCES.contains(&(name.as_str(), to.as_str())));
        if declared != p.references {
            out.push(format!(
                "table {name}: foreign keys differ\n  file: {:?}\n  pg:   {:?}",
                declared, p.references
            ));
        }
    }
    for name in team.keys().filter(|n| !file.contains_key(*n)) {
        out.push(format!(
            "table {name} is in schema/pg/ but not in the file's schema"
        ));
    }
    out
}

#[test]
fn the_two_schemas_match_table_by_table() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let file = reference_shape().unwrap();
    let team = ws.schema_shape().unwrap();
    let diff = differences(&file, &team);
    assert!(
        diff.is_empty(),
        "the PostgreSQL schema drifted from the file's:\n{}",
        diff.join("\n")
    );
    assert_eq!(file.len(), team.len());
    // The foreign keys left out on PostgreSQL are declared in the file and absent there.
    let references = |s: &[TableShape], table: &str| {
        s.iter()
            .find(|t| t.name == table)
            .unwrap()
            .references
            .clone()
    };
    for (table, to) in FILE_ONLY_REFERENCES {
        assert!(references(&file, table).contains(*to), "{table} → {to}");
        assert!(!references(&team, table).contains(*to), "{table} → {to}");
    }
    // Record kinds and ids compare byte by byte, as the file's BINARY columns do.
    assert_eq!(
        query_texts(
            &ws,
            "SELECT column_name || ' ' || collation_name FROM information_schema.columns
             WHERE table_name = 'records' AND column_name IN ('kind', 'external_id')
             ORDER BY column_name"
        ),
        ["external_id C", "kind C"]
    );
    // The comparison sees what it must: a column the mirror lacks is reported by name.
    exec(&ws, "ALTER TABLE goals DROP COLUMN team; ALTER TABLE people ALTER COLUMN title DROP NOT NULL; DROP INDEX campaigns_name_nocase").unwrap();
    let diff = differences(&file, &ws.schema_shape().unwrap());
    assert_eq!(diff.len(), 3, "{diff:#?}");
    assert!(
        diff[0].starts_with("table campaigns: unique keys differ"),
        "{}",
        diff[0]
    );
    assert!(
        diff[1].starts_with("table goals: columns differ"),
        "{}",
        diff[1]
    );
    assert!(
        diff[2].starts_with("table people: columns differ"),
        "{}",
        diff[2]
    );
}

#[test]
fn migrating_is_done_once_and_records_the_shared_schema_version() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    assert_eq!(ws.schema_version().unwrap(), SCHEMA_VERSION);
    // The seed rows of a new workspace, as in a new file.
    assert_eq!(query_i64(&ws, "SELECT count(*) FROM stages"), 5);
    assert_eq!(query_texts(&ws, "SELECT value FROM settings"), ["0"]);
    drop(ws);
    let ws = PgWorkspace::open(&db.target).unwrap();
    assert_eq!(
        query_i64(&ws, "SELECT count(*) FROM stages"),
        5,
        "not seeded twice"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    exec(
        &ws,
        &format!(
            "UPDATE baton_schema SET version = {}; DROP TABLE goals",
            SCHEMA_VERSION + 1
        ),
    )
    .unwrap();
    drop(ws);
    let err = PgWorkspace::open(&db.target).err().unwrap();
    assert_eq!(err.code, baton_core::ErrorCode::WorkspaceTooNew);
    assert!(
        err.message.contains("written by a newer Baton"),
        "{}",
        err.message
    );
    assert!(err.message.contains("left untouched"), "{}", err.message);
    let ws = PgWorkspace::connect(&db.target).unwrap();
    assert_eq!(ws.schema_version().unwrap(), SCHEMA_VERSION + 1);
    assert_eq!(
        query_i64(
            &ws,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'goals'"
        ),
        0
    );
}

#[test]
fn a_database_holding_other_tables_is_not_a_workspace() {
    let db = TestDb::new();
    let ws = PgWorkspace::connect(&db.target).unwrap();
    exec(&ws, "CREATE TABLE invoices (id int)").unwrap();
    drop(ws);
    let err = PgWorkspace::open(&db.target).err().unwrap();
    assert_eq!(err.code, baton_core::ErrorCode::NotAWorkspace);
    assert!(
        err.message
            .contains("holds 1 tables but no Baton workspace"),
        "{}",
        err.message
    );
}

#[test]
fn a_failing_migration_leaves_the_database_as_it_was() {
    let db = TestDb::new();
    let ws = PgWorkspace::connect(&db.target).unwrap();
    let broken: &[&[&str]] = &[PG_MIGRATIONS[0], &["CREATE TABLE x (y nosuchtype)"]];
    let err = ws
        .run(migrate::migrate_with(ws.pool(), ws.shown(), broken))
        .unwrap_err();
    assert!(err.message.contains("schema version 2"), "{}", err.message);
    assert_eq!(ws.schema_version().unwrap(), 0);
    assert_eq!(
        query_i64(
            &ws,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ),
        0
    );
}

#[test]
fn nocase_keys_fold_ascii_letters_only_as_sqlite_does() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    exec(
        &ws,
        "INSERT INTO stage_value_map VALUES ('Won', 'customer'), ('Été', 'lead'), ('été', 'mql')",
    )
    .unwrap();
    let err = exec(
        &ws,
        "INSERT INTO stage_value_map VALUES ('WON', 'customer')",
    )
    .unwrap_err();
    assert!(err.message.contains("duplicate key"), "{}", err.message);
    // The same on the file.
    let dir = tempfile::tempdir().unwrap();
    let file = Workspace::create(&dir.path().join("w.baton")).unwrap();
    file.conn
        .execute_batch("INSERT INTO stage_value_map VALUES ('Won', 'customer'), ('Été', 'lead'), ('été', 'mql')")
        .unwrap();
    assert!(file
        .conn
        .execute_batch("INSERT INTO stage_value_map VALUES ('WON', 'customer')")
        .is_err());
}

#[test]
fn connecting_names_the_server_never_the_password_and_reads_sslmode() {
    let db = TestDb::new();
    // The test cluster has no TLS: prefer falls back, require refuses.
    let prefer = PgTarget::parse(&format!("{}?sslmode=prefer", db.url)).unwrap();
    PgWorkspace::connect(&prefer).unwrap();
    let require = PgTarget::parse(&format!("{}?sslmode=require", db.url)).unwrap();
    let err = PgWorkspace::connect(&require).err().unwrap();
    assert_eq!(err.code, baton_core::ErrorCode::Io, "{}", err.message);
    assert!(
        err.message
            .starts_with(&format!("connecting to {}", require.shown())),
        "{}",
        err.message
    );
    // Nobody listens on port 1; the password given is not in the message.
    let nobody = PgTarget::parse("postgres://baton:hunter2@127.0.0.1:1/x?sslmode=disable").unwrap();
    let err = PgWorkspace::connect(&nobody).err().unwrap();
    assert_eq!(err.code, baton_core::ErrorCode::Io);
    assert!(
        err.message.contains("postgres://baton@127.0.0.1:1/x"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("hunter2"), "{}", err.message);
    // The libpq keyword form reaches the same database.
    let kv = PgTarget::parse(&format!(
        "host=127.0.0.1 port={} user=baton dbname={} sslmode=disable",
        db.target.config.get_ports()[0],
        db.name
    ))
    .unwrap();
    assert_eq!(
        PgWorkspace::open(&kv).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

/// Values a user may type that SQL must carry as data, never as code.
fn hostile() -> Vec<String> {
    vec![
        "O'Brien \"the\" `boss`".into(),
        "Robert'); DROP TABLE people;--".into(),
        "$$; SELECT 1; $$".into(),
        "$tag$ \\ back\\slash \\x00 %s ?1 $1".into(),
        "émoji 🦀 ünïcödé\ttab\nnewline\r".into(),
        "x".repeat(10_000) + "🦀",
    ]
}

fn file_with(dir: &std::path::Path, name: &str, people: &[String]) -> std::path::PathBuf {
    let p = dir.join(name);
    let ws = Workspace::create(&p).unwrap();
    for (i, n) in people.iter().enumerate() {
        ws.add_person(n, Team::Sales, &format!("title {n}"))
            .unwrap();
        ws.save_campaign(n, None, n, &format!("{i}")).unwrap();
        ws.set_stage_value(n, "mql").unwrap();
    }
    ws.set_setting(
        "company",
        &serde_json::to_string(&people.join("|")).unwrap(),
    )
    .unwrap();
    p
}

#[test]
fn hostile_values_survive_a_copy_to_the_team_database_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let names = hostile();
    let src = file_with(dir.path(), "src.baton", &names);
    let db = TestDb::new();
    let team = Location::Team(Box::new(db.target.clone()));
    let report = copy_workspace(&Location::File(src.clone()), &team).unwrap();
    let count = |t: &str| report.tables.iter().find(|c| c.table == t).unwrap().rows;
    assert_eq!(count("people"), names.len() as i64);
    assert_eq!(count("stages"), 5);
    let back = dir.path().join("back.baton");
    copy_workspace(&team, &Location::File(back.clone())).unwrap();
    let (a, b) = (
        Workspace::open(&src).unwrap(),
        Workspace::open(&back).unwrap(),
    );
    assert_eq!(a.people().unwrap(), b.people().unwrap());
    assert_eq!(a.campaigns().unwrap(), b.campaigns().unwrap());
    assert_eq!(a.stage_value_map().unwrap(), b.stage_value_map().unwrap());
    assert_eq!(a.setting("company").unwrap(), b.setting("company").unwrap());
    assert_eq!(a.data_version().unwrap(), b.data_version().unwrap());
    let on_pg = PgWorkspace::connect(&db.target).unwrap();
    let pg_names = query_texts(&on_pg, "SELECT name FROM people ORDER BY id");
    let file_names: Vec<String> = a.people().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(pg_names.len(), names.len());
    for n in &file_names {
        assert!(
            pg_names.contains(n),
            "stored as typed on PostgreSQL too: {:.60}",
            n
        );
    }
    assert!(
        pg_names.iter().any(|n| n.len() > 10_000),
        "the 10 kB name kept whole"
    );
}

#[test]
fn a_nul_character_cannot_go_to_postgresql_and_nothing_is_copied() {
    let dir = tempfile::tempdir().unwrap();
    let src = file_with(
        dir.path(),
        "nul.baton",
        &["fine".into(), "bad\0name".into()],
    );
    let db = TestDb::new();
    let team = Location::Team(Box::new(db.target.clone()));
    let err = copy_workspace(&Location::File(src), &team).unwrap_err();
    assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
    assert!(
        err.message
            .starts_with("people.name (id 2): the text holds a NUL character (U+0000) at byte 3"),
        "{}",
        err.message
    );
    assert!(
        err.message.ends_with("Nothing was copied."),
        "{}",
        err.message
    );
    let ws = PgWorkspace::connect(&db.target).unwrap();
    assert_eq!(query_i64(&ws, "SELECT count(*) FROM people"), 0);
    assert_eq!(
        query_i64(&ws, "SELECT count(*) FROM stages"),
        5,
        "the seed rows are back"
    );
}

#[test]
fn a_copy_into_a_workspace_that_is_not_empty_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = file_with(dir.path(), "a.baton", &["Ana".into()]);
    let db = TestDb::new();
    let team = Location::Team(Box::new(db.target.clone()));
    copy_workspace(&Location::File(src.clone()), &team).unwrap();
    let err = copy_workspace(&Location::File(src.clone()), &team).unwrap_err();
    assert_eq!(err.code, baton_core::ErrorCode::Conflict);
    assert!(
        err.message.contains("is not empty (table "),
        "{}",
        err.message
    );
    assert!(
        err.message
            .contains(" holds 1 rows): copy into an empty workspace"),
        "{}",
        err.message
    );
    // And back: a file with content is refused the same way, and kept.
    let err = copy_workspace(&team, &Location::File(src.clone())).unwrap_err();
    assert_eq!(err.code, baton_core::ErrorCode::Conflict);
    assert_eq!(Workspace::open(&src).unwrap().people().unwrap().len(), 1);
    // A new, empty file is a fine target.
    let empty = dir.path().join("empty.baton");
    drop(Workspace::create(&empty).unwrap());
    copy_workspace(&team, &Location::File(empty.clone())).unwrap();
    assert_eq!(Workspace::open(&empty).unwrap().people().unwrap().len(), 1);
}

#[test]
fn new_rows_after_a_copy_get_fresh_ids() {
    let dir = tempfile::tempdir().unwrap();
    let src = file_with(
        dir.path(),
        "a.baton",
        &["Ana".into(), "Bo".into(), "Cy".into()],
    );
    let file = Workspace::open(&src).unwrap();
    let last = file.people().unwrap().iter().map(|p| p.id).max().unwrap();
    file.delete_person(last, None).unwrap();
    drop(file);
    let db = TestDb::new();
    copy_workspace(
        &Location::File(src),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    let ws = PgWorkspace::connect(&db.target).unwrap();
    let id = query_i64(
        &ws,
        "INSERT INTO people(name, team) VALUES ('Di', 'sales') RETURNING id",
    );
    assert_eq!(id, last, "max id + 1 (SQLite reuses a deleted top id too)");
    let seq = query_i64(
        &ws,
        "INSERT INTO change_log(area, origin) VALUES ('people', 't') RETURNING seq",
    );
    let file_seq: i64 = {
        let c = rusqlite::Connection::open(dir.path().join("a.baton")).unwrap();
        c.query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
    };
    assert_eq!(seq, file_seq + 1, "the change log never reuses a seq");
}

#[test]
fn a_team_database_at_another_schema_version_is_not_copied() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    exec(
        &ws,
        &format!("UPDATE baton_schema SET version = {}", SCHEMA_VERSION - 1),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("out.baton");
    let err = copy_workspace(
        &Location::Team(Box::new(db.target.clone())),
        &Location::File(dst.clone()),
    )
    .unwrap_err();
    assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
    assert!(
        err.message
            .contains(&format!("is at schema version {}", SCHEMA_VERSION - 1)),
        "{}",
        err.message
    );
    assert!(!dst.exists(), "no file was created");
}

/// Run a check on a new file and on a new team database; both must give the same
/// value, which is returned. Each test file's `on_both` wraps this for its own trait.
pub(super) fn alike<T: PartialEq + std::fmt::Debug>(
    on_file: impl FnOnce(&Workspace) -> T,
    on_team: impl FnOnce(&PgWorkspace) -> T,
) -> T {
    let dir = tempfile::tempdir().unwrap();
    let from_file = on_file(&Workspace::create(&dir.path().join("w.baton")).unwrap());
    let db = TestDb::new();
    let from_team = on_team(&PgWorkspace::open(&db.target).unwrap());
    assert_eq!(
        from_file, from_team,
        "the file and the team database answer differently"
    );
    from_file
}

/// [`alike`] for a check written once against every store trait.
fn on_both_backends<T: PartialEq + std::fmt::Debug>(check: impl Fn(&dyn WorkspaceData) -> T) -> T {
    alike(|f| check(f), |t| check(t))
}

#[test]
fn settings_and_the_data_version_behave_alike_on_both_backends() {
    on_both_backends(|ws| {
        assert_eq!(ws.data_version().unwrap(), 0);
        assert_eq!(ws.setting("company").unwrap(), None);
        ws.set_setting("company", "\"O'Brien; $$ Ltd\"").unwrap();
        ws.set_setting("company", "\"Acme\"").unwrap();
        assert_eq!(ws.setting("company").unwrap().as_deref(), Some("\"Acme\""));
        assert_eq!(ws.data_version().unwrap(), 2, "each write bumps it");
        (ws.setting("company").unwrap(), ws.data_version().unwrap())
    });
}

#[test]
fn people_are_listed_and_edited_alike_on_both_backends() {
    let people = on_both_backends(|ws| {
        for (name, team) in [
            ("zoe", Team::Sales),
            ("Élise", Team::Sales),
            ("Bo", Team::Sales),
            ("ana", Team::Sales),
            ("Zed", Team::Sales),
            ("Robert'); DROP TABLE people;--", Team::Marketing),
            ("  Mia  ", Team::Leadership),
        ] {
            ws.add_person(name, team, " Title ").unwrap();
        }
        let err = ws.add_person("   ", Team::Other, "").unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        let bo = ws
            .people()
            .unwrap()
            .into_iter()
            .find(|p| p.name == "Bo")
            .unwrap();
        let bo2 = ws
            .update_person(bo.id, " Bob ", Team::Other, "AE", None)
            .unwrap();
        assert_eq!(
            (bo2.name.as_str(), bo2.team, bo2.title.as_str()),
            ("Bob", Team::Other, "AE")
        );
        let missing = ws
            .update_person(999, "x", Team::Sales, "", None)
            .unwrap_err();
        assert_eq!(missing.code, baton_core::ErrorCode::NotFound);
        assert_eq!(missing.message, "person 999 does not exist");
        ws.delete_person(bo.id, None).unwrap();
        assert_eq!(
            ws.delete_person(bo.id, None).unwrap_err().code,
            baton_core::ErrorCode::NotFound
        );
        assert_eq!(
            ws.person(bo.id).unwrap_err().message,
            format!("person {} does not exist", bo.id)
        );
        ws.people().unwrap()
    });
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    // Byte order within a team, as SQLite's BINARY: capitals first, "É" last.
    assert_eq!(
        names,
        [
            "Mia",
            "Robert'); DROP TABLE people;--",
            "Zed",
            "ana",
            "zoe",
            "Élise"
        ]
    );
    assert!(people.iter().all(|p| p.title == "Title"));
}

#[test]
fn a_team_workspace_is_called_from_the_blocking_pool_of_another_runtime() {
    // What the app does: an async command runs the store call on a blocking thread.
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let app = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let (ws, added) = app
        .block_on(app.spawn_blocking(move || {
            let added = ws.add_person("Ana", Team::Sales, "AE");
            (ws, added)
        }))
        .unwrap();
    assert_eq!(added.unwrap().name, "Ana");
    // Dropped on a blocking thread too (its runtime shuts down there).
    app.block_on(app.spawn_blocking(move || {
        assert_eq!(ws.people().unwrap().len(), 1);
        drop(ws)
    }))
    .unwrap();
}

#[test]
fn stages_and_the_stage_value_map_behave_alike_on_both_backends() {
    let (stages, map, version) = on_both_backends(|ws| {
        ws.add_stage("sal", "Sales Accepted Lead", Some("mql"))
            .unwrap();
        ws.add_stage("renewal", "Renewal", None).unwrap();
        ws.rename_stage("sal", "Accepted").unwrap();
        let dup = ws.add_stage("sal", "Again", None).unwrap_err();
        assert_eq!(dup.code, baton_core::ErrorCode::Conflict);
        assert_eq!(dup.message, "a stage with id \"sal\" already exists");
        assert_eq!(
            ws.add_stage("Bad Id", "x", None).unwrap_err().code,
            baton_core::ErrorCode::InvalidInput
        );
        assert_eq!(
            ws.add_stage("x", "x", Some("nope")).unwrap_err().code,
            baton_core::ErrorCode::NotFound
        );
        assert_eq!(
            ws.rename_stage("nope", "x").unwrap_err().code,
            baton_core::ErrorCode::NotFound
        );
        for (value, stage) in [
            ("Won", "customer"),
            ("MQL", "mql"),
            ("O'Brien; $$", "lead"),
            ("été", "lead"),
            ("Été", "sal"),
            ("abandoned", "lost"),
        ] {
            ws.set_stage_value(value, stage).unwrap();
        }
        // The same value in another case is the same key; the first spelling stays.
        ws.set_stage_value("  WON ", "renewal").unwrap();
        ws.remove_stage_value("mql").unwrap();
        let err = ws.set_stage_value("x", "nope").unwrap_err();
        assert_eq!(
            err.message,
            "\"nope\" is not a stage of this workspace (nor \"lost\")"
        );
        (
            ws.stages().unwrap(),
            ws.stage_value_map().unwrap(),
            ws.data_version().unwrap(),
        )
    });
    let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    // The map sorts ignoring ASCII case (NOCASE), then by bytes: "É" after "z".
    assert_eq!(
        ids,
        [
            "lead",
            "mql",
            "sal",
            "sql",
            "opportunity",
            "customer",
            "renewal"
        ]
    );
    assert_eq!(
        map,
        [
            ("abandoned".to_string(), "lost".to_string()),
            ("O'Brien; $$".into(), "lead".into()),
            ("Won".into(), "renewal".into()),
            ("Été".into(), "sal".into()),
            ("été".into(), "lead".into()),
        ]
    );
    assert_eq!(
        version, 11,
        "every successful write bumped the data version once"
    );
}

#[test]
fn writers_on_two_connections_check_and_write_without_interleaving() {
    // Each add_stage reads the last position, then writes after it: without the
    // workspace write lock, two of them read the same position and one fails.
    let db = TestDb::new();
    drop(PgWorkspace::open(&db.target).unwrap());
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let target = db.target.clone();
            std::thread::spawn(move || {
                let ws = PgWorkspace::open(&target).unwrap();
                std::thread::scope(|s| {
                    for i in 0..4 {
                        let ws = &ws;
                        s.spawn(move || {
                            for j in 0..5 {
                                ws.add_stage(&format!("s{w}_{i}_{j}"), "x", None).unwrap();
                            }
                        });
                    }
                });
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let ws = PgWorkspace::connect(&db.target).unwrap();
    let positions: Vec<u32> = ws.stages().unwrap().iter().map(|s| s.position).collect();
    assert_eq!(positions, (0..45).collect::<Vec<u32>>());
    assert_eq!(ws.data_version().unwrap(), 40);
}

#[test]
fn the_change_log_behaves_alike_on_both_backends() {
    on_both_backends(|ws| {
        assert_eq!(ws.last_change().unwrap(), 0);
        assert!(ws.changes_since(0).unwrap().is_empty());
        let first = ws.log_change("people", Some(3), "app-1").unwrap();
        let second = ws.log_change("settings", None, "cli-'; $$").unwrap();
        assert_eq!((first, second), (1, 2));
        assert_eq!(ws.last_change().unwrap(), 2);
        let since = ws.changes_since(first).unwrap();
        assert_eq!(since.len(), 1);
        assert_eq!(since[0].origin, "cli-'; $$");
        // Only the latest rows are kept; seqs go on rising past the pruned ones.
        for _ in 0..1005 {
            ws.log_change("votes", Some(1), "app-1").unwrap();
        }
        let kept = ws.changes_since(0).unwrap();
        assert_eq!(kept.len(), 500, "at most 500 per call");
        assert_eq!(kept[0].seq, 1007 - 1000 + 1);
        (
            ws.last_change().unwrap(),
            kept,
            ws.changes_since(1000).unwrap(),
        )
    });
}
