use crate::DbContext;
use baton_core::{BatonError, ErrorCode, Result};
use rusqlite::Connection;

/// `PRAGMA application_id` of every Baton workspace ("BATN").
pub const APPLICATION_ID: i32 = 0x4241_544E;

/// Migrations in order; migration `i` takes the schema from version `i` to `i + 1`.
/// Each area keeps its tables in its own file under `schema/`.
const MIGRATIONS: &[&[&str]] = &[
    &[
        include_str!("../schema/001_settings.sql"),
        include_str!("../schema/001_records.sql"),
        include_str!("../schema/001_metrics.sql"),
        include_str!("../schema/001_workshop.sql"),
    ],
    &[
        include_str!("../schema/002_diagnostic_privacy.sql"),
        include_str!("../schema/002_change_log.sql"),
    ],
    &[include_str!("../schema/003_room.sql")],
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Bring the schema up to [`SCHEMA_VERSION`] in one transaction: a crash leaves
/// the file at its old version, never half-migrated. A newer file is refused.
pub(crate) fn migrate(conn: &mut Connection, path_for_messages: &str) -> Result<()> {
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .ctx(path_for_messages)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ctx(path_for_messages)?;
    if app_id != APPLICATION_ID {
        let has_tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .ctx(path_for_messages)?;
        if app_id != 0 || has_tables > 0 {
            return Err(BatonError::new(
                ErrorCode::NotAWorkspace,
                format!("{path_for_messages} is an SQLite database but not a Baton workspace"),
            ));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(BatonError::new(
            ErrorCode::WorkspaceTooNew,
            format!(
                "{path_for_messages} was written by a newer Baton (schema version {version}; this Baton knows up to {SCHEMA_VERSION}). Update Baton to open it; the file was left untouched."
            ),
        ));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction().ctx("starting migration")?;
    for (i, steps) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        for sql in *steps {
            tx.execute_batch(sql)
                .ctx(&format!("migrating schema to version {}", i + 1))?;
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
    ))
    .ctx("recording schema version")?;
    tx.commit().ctx("committing migration")?;
    Ok(())
}
