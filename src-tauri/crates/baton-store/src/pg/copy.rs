//! `baton workspace copy FROM TO`: a `.baton` file into an empty team database, or a
//! team database into a new (or empty) file. All or nothing: the target is written in
//! one transaction (rolled back on any error, a file created for it removed); the
//! source is read in one consistent snapshot and must be at this build's schema
//! version; the target must be empty; every table goes through binary COPY; sequences
//! are set past the highest id afterwards; the row counts of every table are compared
//! before the commit and reported.

use super::migrate::read_version;
use super::schema::{reference_shape, ColType, TableShape};
use super::{pg_err, pool_err, PgTarget, PgWorkspace};
use crate::{DbContext, Workspace, APPLICATION_ID, SCHEMA_VERSION};
use baton_core::{BatonError, ErrorCode, Result};
use futures_util::{pin_mut, StreamExt};
use rusqlite::types::Value;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tokio_postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutStream};
use tokio_postgres::types::{ToSql, Type};

/// One end of a copy: a workspace file or a team database.
#[derive(Debug, Clone)]
pub enum Location {
    File(PathBuf),
    Team(Box<PgTarget>),
}

impl Location {
    /// A PostgreSQL connection string (either form) names a team database; anything else
    /// is a file path.
    pub fn parse(s: &str) -> Result<Self> {
        if super::is_connection_string(s) {
            Ok(Location::Team(Box::new(PgTarget::parse(s)?)))
        } else {
            Ok(Location::File(PathBuf::from(s)))
        }
    }

    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Team(t) => t.shown().to_string(),
        }
    }
}

/// How many rows one table holds, in the source and in the target after the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

/// What a copy did: every table's row count (by table name), verified equal on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub schema_version: i32,
    pub tables: Vec<TableCount>,
    pub total_rows: i64,
}

/// Copy the workspace at `from` into the empty workspace at `to` (see the module doc).
pub fn copy_workspace(from: &Location, to: &Location) -> Result<CopyReport> {
    let tables = reference_shape()?;
    let mut counts = match (from, to) {
        (Location::File(src), Location::Team(dst)) => file_to_team(src, dst, &tables)?,
        (Location::Team(src), Location::File(dst)) => team_to_file(src, dst, &tables)?,
        (Location::File(_), Location::File(_)) => {
            return Err(BatonError::invalid(
                "both ends are files: copy a file with File → Save As (or cp); \
                 `workspace copy` goes between a file and a team database",
            ))
        }
        (Location::Team(_), Location::Team(_)) => {
            return Err(BatonError::invalid(
                "both ends are team databases: copy through a file (team → file → team), \
                 or with pg_dump",
            ))
        }
    };
    counts.sort_by(|a, b| a.table.cmp(&b.table));
    Ok(CopyReport {
        from: from.shown(),
        to: to.shown(),
        schema_version: SCHEMA_VERSION,
        total_rows: counts.iter().map(|c| c.rows).sum(),
        tables: counts,
    })
}

/// The tables a new workspace already fills (the migrations' seed rows): the copy
/// replaces their rows with the source's.
const SEEDED: [&str; 2] = ["settings", "stages"];

/// Is a workspace with these row counts and data version empty (nothing written since
/// it was created)? Writes to settings and stages bump the data version.
fn check_empty(shown: &str, counts: &[TableCount], data_version: Option<String>) -> Result<()> {
    let busy = counts
        .iter()
        .find(|c| !SEEDED.contains(&c.table.as_str()) && c.rows > 0);
    let refuse = |what: String| {
        Err(BatonError::conflict(format!(
            "{shown} is not empty ({what}): copy into an empty workspace, nothing was written"
        )))
    };
    if let Some(c) = busy {
        return refuse(format!("table {} holds {} rows", c.table, c.rows));
    }
    let settings = counts
        .iter()
        .find(|c| c.table == "settings")
        .map_or(0, |c| c.rows);
    if settings > 1 || data_version.as_deref().unwrap_or("0") != "0" {
        return refuse("its settings or stages were changed".into());
    }
    Ok(())
}

/// Read the file's header without migrating it: it must be a Baton workspace at this
/// build's schema version.
fn open_source_file(path: &Path) -> Result<rusqlite::Connection> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(BatonError::not_found(format!("no workspace at {shown}")));
    }
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| BatonError::io(format!("opening {shown}"), e))?;
    let header = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0));
    let app_id = header.map_err(|e| {
        BatonError::new(
            ErrorCode::NotAWorkspace,
            format!("{shown} is not a Baton workspace ({e})"),
        )
    })?;
    if app_id != APPLICATION_ID {
        return Err(BatonError::new(
            ErrorCode::NotAWorkspace,
            format!("{shown} is not a Baton workspace"),
        ));
    }
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ctx(&shown)?;
    same_version(version, &shown)?;
    Ok(conn)
}

/// A source at another schema version is refused: it is copied as it is, never migrated.
fn same_version(version: i32, shown: &str) -> Result<()> {
    super::migrate::check_not_newer(version, shown)?;
    if version != SCHEMA_VERSION {
        return Err(BatonError::invalid(format!(
            "{shown} is at schema version {version}; this Baton copies version {SCHEMA_VERSION} only. \
             Open it once with this Baton (which brings it up to date), then copy it."
        )));
    }
    Ok(())
}

fn quoted_columns(t: &TableShape) -> String {
    t.columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pg_type(ty: ColType) -> Type {
    match ty {
        ColType::Integer => Type::INT8,
        ColType::Real => Type::FLOAT8,
        ColType::Text => Type::TEXT,
    }
}

/// Which row: its primary key's values (`id 7`, `import_id 1, row_number 3`).
fn row_label(t: &TableShape, values: &[Value]) -> String {
    let key: Vec<String> = t
        .primary_key
        .iter()
        .filter_map(|k| {
            let i = t.columns.iter().position(|c| &c.name == k)?;
            let v = match &values[i] {
                Value::Integer(n) => n.to_string(),
                Value::Text(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
                other => format!("{other:?}"),
            };
            Some(format!("{k} {v}"))
        })
        .collect();
    if key.is_empty() {
        "a row".into()
    } else {
        key.join(", ")
    }
}

/// One SQLite value as the PostgreSQL column's type; what cannot be stored there is
/// named (table, row, column, what was found).
fn to_pg(
    t: &TableShape,
    col: usize,
    value: Value,
    row: &dyn Fn() -> String,
) -> Result<Box<dyn ToSql + Sync + Send>> {
    let c = &t.columns[col];
    let bad = |found: &str| {
        BatonError::invalid(format!(
            "{}.{} ({}): found {found}, expected {:?}; nothing was copied",
            t.name,
            c.name,
            row(),
            c.ty
        ))
    };
    Ok(match (c.ty, value) {
        (ColType::Integer, Value::Null) => Box::new(None::<i64>),
        (ColType::Real, Value::Null) => Box::new(None::<f64>),
        (ColType::Text, Value::Null) => Box::new(None::<String>),
        (ColType::Integer, Value::Integer(n)) => Box::new(Some(n)),
        (ColType::Integer, Value::Real(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            Box::new(Some(f as i64))
        }
        (ColType::Real, Value::Real(f)) => Box::new(Some(f)),
        (ColType::Real, Value::Integer(n)) => Box::new(Some(n as f64)),
        (ColType::Text, Value::Text(s)) => {
            if let Some(at) = s.find('\0') {
                return Err(BatonError::invalid(format!(
                    "{}.{} ({}): the text holds a NUL character (U+0000) at byte {at}, which \
                     PostgreSQL text cannot store; remove it in the file first. Nothing was copied.",
                    t.name,
                    c.name,
                    row()
                )));
            }
            Box::new(Some(s))
        }
        (_, Value::Text(s)) => {
            return Err(bad(&format!(
                "the text {:?}",
                s.chars().take(40).collect::<String>()
            )))
        }
        (_, Value::Blob(b)) => return Err(bad(&format!("{} bytes of binary data", b.len()))),
        (_, v) => return Err(bad(&format!("{v:?}"))),
    })
}

fn file_to_team(src: &Path, dst: &PgTarget, tables: &[TableShape]) -> Result<Vec<TableCount>> {
    let conn = open_source_file(src)?;
    let src_shown = src.display().to_string();
    // One snapshot of the file for the whole copy (WAL: writers may go on meanwhile).
    conn.execute_batch("BEGIN").ctx(&src_shown)?;
    let mut source_counts = Vec::new();
    for t in tables {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM \"{}\"", t.name), [], |r| {
                r.get(0)
            })
            .ctx(&format!("counting {} in {src_shown}", t.name))?;
        source_counts.push(TableCount {
            table: t.name.clone(),
            rows: n,
        });
    }
    let sequences: HashMap<String, i64> = {
        let has: bool = conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_sequence'",
                [],
                |r| r.get(0),
            )
            .ctx(&src_shown)?;
        if has {
            crate::query_list(
                &conn,
                &src_shown,
                "SELECT name, seq FROM sqlite_sequence",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect()
        } else {
            HashMap::new()
        }
    };
    let ws = PgWorkspace::open(dst)?;
    let shown = ws.shown().to_string();
    let result = ws.run(async {
        let mut client = ws.pool().get().await.map_err(|e| pool_err(&shown, e))?;
        let err = |what: String| move |e| pg_err(&what, e);
        let tx = client
            .transaction()
            .await
            .map_err(err(format!("starting the copy into {shown}")))?;
        // One copy at a time into a database, and nobody writes to its tables meanwhile.
        let names: Vec<String> = tables.iter().map(|t| format!("\"{}\"", t.name)).collect();
        tx.batch_execute(&format!(
            "LOCK TABLE {} IN EXCLUSIVE MODE",
            names.join(", ")
        ))
        .await
        .map_err(err(format!("locking the tables of {shown}")))?;
        let before = pg_counts(&*tx, tables, &shown).await?;
        let data_version: Option<String> = tx
            .query_opt("SELECT value FROM settings WHERE key = 'data_version'", &[])
            .await
            .map_err(err(format!("reading {shown}")))?
            .map(|r| r.get(0));
        check_empty(&shown, &before, data_version)?;
        for t in SEEDED {
            tx.batch_execute(&format!("DELETE FROM \"{t}\""))
                .await
                .map_err(err(format!("clearing {t} in {shown}")))?;
        }
        for t in tables {
            copy_table_in(&conn, &tx, t, &shown).await?;
        }
        let after = pg_counts(&*tx, tables, &shown).await?;
        verify(&source_counts, &after, &src_shown, &shown)?;
        set_sequences(&tx, &shown, &sequences).await?;
        // Another workspace now: nothing a client kept for this address may be used.
        super::identity::renew(&*tx, &shown).await?;
        tx.commit()
            .await
            .map_err(err(format!("committing the copy into {shown}")))?;
        Ok(after)
    });
    let _ = conn.execute_batch("ROLLBACK");
    result
}

async fn copy_table_in(
    conn: &rusqlite::Connection,
    tx: &deadpool_postgres::Transaction<'_>,
    t: &TableShape,
    shown: &str,
) -> Result<()> {
    let src_ctx = format!("reading {}", t.name);
    let order = if t.primary_key.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", t.primary_key.join(", "))
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM \"{}\"{order}",
            quoted_columns(t),
            t.name
        ))
        .ctx(&src_ctx)?;
    let mut rows = stmt.query([]).ctx(&src_ctx)?;
    let sink = tx
        .copy_in(&format!(
            "COPY \"{}\" ({}) FROM STDIN (FORMAT binary)",
            t.name,
            quoted_columns(t)
        ))
        .await
        .map_err(|e| pg_err(&format!("copying {} into {shown}", t.name), e))?;
    let types: Vec<Type> = t.columns.iter().map(|c| pg_type(c.ty)).collect();
    let writer = BinaryCopyInWriter::new(sink, &types);
    pin_mut!(writer);
    while let Some(row) = rows.next().ctx(&src_ctx)? {
        let values: Vec<Value> = (0..t.columns.len())
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<_>>()
            .ctx(&src_ctx)?;
        let label = || row_label(t, &values);
        let cells = values
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, v)| to_pg(t, i, v, &label))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c.as_ref() as _).collect();
        writer
            .as_mut()
            .write(&refs)
            .await
            .map_err(|e| pg_err(&format!("copying {} ({}) into {shown}", t.name, label()), e))?;
    }
    writer
        .finish()
        .await
        .map_err(|e| pg_err(&format!("copying {} into {shown}", t.name), e))?;
    Ok(())
}

async fn pg_counts(
    client: &impl tokio_postgres::GenericClient,
    tables: &[TableShape],
    shown: &str,
) -> Result<Vec<TableCount>> {
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM \"{}\"", t.name), &[])
            .await
            .map_err(|e| pg_err(&format!("counting {} in {shown}", t.name), e))?
            .get(0);
        out.push(TableCount {
            table: t.name.clone(),
            rows: n,
        });
    }
    Ok(out)
}

/// The target holds exactly the source's row count in every table, or the copy fails.
fn verify(source: &[TableCount], target: &[TableCount], from: &str, to: &str) -> Result<()> {
    for (s, t) in source.iter().zip(target) {
        if s != t {
            return Err(BatonError::internal(format!(
                "copy check failed: {} has {} rows in {from} but {} in {to}; nothing was written",
                s.table, s.rows, t.rows
            )));
        }
    }
    Ok(())
}

/// Set every identity's sequence past the highest id copied (and past SQLite's
/// AUTOINCREMENT high-water mark), so new rows get fresh ids.
async fn set_sequences(
    tx: &deadpool_postgres::Transaction<'_>,
    shown: &str,
    autoincrement: &HashMap<String, i64>,
) -> Result<()> {
    let err = |e| pg_err(&format!("setting the id sequences of {shown}"), e);
    let identities = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
            &[],
        )
        .await
        .map_err(err)?;
    for row in identities {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        let floor = autoincrement.get(&table).copied().unwrap_or(0);
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), \
                 GREATEST(COALESCE(max(\"{column}\"), 0), $3::bigint) + 1, false) FROM \"{table}\""
            ),
            &[&format!("\"{table}\""), &column, &floor],
        )
        .await
        .map_err(err)?;
    }
    Ok(())
}

fn team_to_file(src: &PgTarget, dst: &Path, tables: &[TableShape]) -> Result<Vec<TableCount>> {
    let source = PgWorkspace::connect(src)?;
    let src_shown = source.shown().to_string();
    let dst_shown = dst.display().to_string();
    // Refuse before creating anything.
    source.run(async {
        let client = source
            .pool()
            .get()
            .await
            .map_err(|e| pool_err(&src_shown, e))?;
        same_version(read_version(&**client, &src_shown).await?, &src_shown)
    })?;
    let created = !dst.exists();
    let ws = if created {
        Workspace::create(dst)?
    } else {
        Workspace::open(dst)?
    };
    let result = copy_into_file(&source, &ws, tables, &src_shown, &dst_shown);
    drop(ws);
    if result.is_err() && created {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = dst.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    result
}

fn copy_into_file(
    source: &PgWorkspace,
    ws: &Workspace,
    tables: &[TableShape],
    src_shown: &str,
    dst_shown: &str,
) -> Result<Vec<TableCount>> {
    let before = sqlite_counts(&ws.conn, tables, dst_shown)?;
    ws.write_tx(&format!("copying into {dst_shown}"), |ws| {
        let data_version: Option<String> = {
            use crate::prelude::WorkspaceState;
            ws.setting("data_version")?
        };
        check_empty(dst_shown, &before, data_version)?;
        for t in SEEDED {
            ws.conn
                .execute(&format!("DELETE FROM \"{t}\""), [])
                .ctx(&format!("clearing {t} in {dst_shown}"))?;
        }
        let source_counts = source.run(async {
            let mut client = source
                .pool()
                .get()
                .await
                .map_err(|e| pool_err(src_shown, e))?;
            let tx = client
                .build_transaction()
                .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(|e| pg_err(&format!("reading {src_shown}"), e))?;
            same_version(read_version(&*tx, src_shown).await?, src_shown)?;
            let counts = pg_counts(&*tx, tables, src_shown).await?;
            for t in tables {
                copy_table_out(&tx, &ws.conn, t, src_shown, dst_shown).await?;
            }
            Ok(counts)
        })?;
        let after = sqlite_counts(&ws.conn, tables, dst_shown)?;
        verify(&source_counts, &after, src_shown, dst_shown)?;
        Ok(after)
    })
}

async fn copy_table_out(
    tx: &deadpool_postgres::Transaction<'_>,
    conn: &rusqlite::Connection,
    t: &TableShape,
    src_shown: &str,
    dst_shown: &str,
) -> Result<()> {
    let order = if t.primary_key.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", t.primary_key.join(", "))
    };
    let stream = tx
        .copy_out(&format!(
            "COPY (SELECT {} FROM \"{}\"{order}) TO STDOUT (FORMAT binary)",
            quoted_columns(t),
            t.name
        ))
        .await
        .map_err(|e| pg_err(&format!("reading {} from {src_shown}", t.name), e))?;
    let types: Vec<Type> = t.columns.iter().map(|c| pg_type(c.ty)).collect();
    let rows = BinaryCopyOutStream::new(stream, &types);
    pin_mut!(rows);
    let placeholders: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
    let dst_ctx = format!("writing {} into {dst_shown}", t.name);
    let mut insert = conn
        .prepare(&format!(
            "INSERT INTO \"{}\" ({}) VALUES ({})",
            t.name,
            quoted_columns(t),
            placeholders.join(", ")
        ))
        .ctx(&dst_ctx)?;
    while let Some(row) = rows.next().await {
        let row = row.map_err(|e| pg_err(&format!("reading {} from {src_shown}", t.name), e))?;
        let values = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = match c.ty {
                    ColType::Integer => row
                        .try_get::<Option<i64>>(i)
                        .map(|v| v.map_or(Value::Null, Value::Integer)),
                    ColType::Real => row
                        .try_get::<Option<f64>>(i)
                        .map(|v| v.map_or(Value::Null, Value::Real)),
                    ColType::Text => row
                        .try_get::<Option<String>>(i)
                        .map(|v| v.map_or(Value::Null, Value::Text)),
                };
                v.map_err(|e| {
                    pg_err(
                        &format!("reading {}.{} from {src_shown}", t.name, c.name),
                        e,
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        insert
            .execute(rusqlite::params_from_iter(values.iter()))
            .ctx(&dst_ctx)?;
    }
    Ok(())
}

fn sqlite_counts(
    conn: &rusqlite::Connection,
    tables: &[TableShape],
    shown: &str,
) -> Result<Vec<TableCount>> {
    tables
        .iter()
        .map(|t| {
            let rows: i64 = conn
                .query_row(&format!("SELECT count(*) FROM \"{}\"", t.name), [], |r| {
                    r.get(0)
                })
                .ctx(&format!("counting {} in {shown}", t.name))?;
            Ok(TableCount {
                table: t.name.clone(),
                rows,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, i64)]) -> Vec<TableCount> {
        pairs
            .iter()
            .map(|(t, n)| TableCount {
                table: t.to_string(),
                rows: *n,
            })
            .collect()
    }

    #[test]
    fn a_new_workspace_is_empty_and_one_with_rows_or_changed_settings_is_not() {
        let fresh = counts(&[("settings", 1), ("stages", 5), ("records", 0)]);
        check_empty("w", &fresh, Some("0".into())).unwrap();
        let err = check_empty(
            "w",
            &counts(&[("settings", 1), ("records", 3)]),
            Some("0".into()),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert_eq!(
            err.message,
            "w is not empty (table records holds 3 rows): copy into an empty workspace, nothing was written"
        );
        let err = check_empty("w", &fresh, Some("4".into())).unwrap_err();
        assert!(
            err.message.contains("settings or stages were changed"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_file_at_another_schema_version_is_refused_unmigrated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.baton");
        drop(Workspace::create(&p).unwrap());
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION - 1))
            .unwrap();
        drop(c);
        let err = open_source_file(&p).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            err.message
                .contains(&format!("schema version {}", SCHEMA_VERSION - 1)),
            "{}",
            err.message
        );
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        drop(c);
        assert_eq!(
            open_source_file(&p).unwrap_err().code,
            ErrorCode::WorkspaceTooNew
        );
        let v: i32 = rusqlite::Connection::open(&p)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1, "the source was left as it was");
    }

    #[test]
    fn two_files_or_two_databases_are_not_a_copy() {
        let a = Location::File("a.baton".into());
        let b = Location::File("b.baton".into());
        assert!(copy_workspace(&a, &b)
            .unwrap_err()
            .message
            .contains("Save As"));
    }
}
