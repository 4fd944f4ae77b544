//! Workspace storage. A workspace is one SQLite file (`.baton`) in WAL mode.
//!
//! This crate is the only place that speaks SQL. Everything above it (import,
//! metrics, reports, the Tauri shell, the CLI) calls the repository traits in
//! [`prelude`] (`use baton_store::prelude::*;`), implemented by the SQLite
//! [`Workspace`], so a later PostgreSQL-backed team workspace can implement the same
//! traits without touching callers (see `repo.rs`).

mod borrowed_insert;
mod changes;
mod config_version;
#[cfg(test)]
mod config_version_tests;
mod dataset;
#[cfg(test)]
mod definition_version_tests;
mod imports;
mod known_values;
mod metrics;
mod migrate;
mod overview;
#[cfg(feature = "postgres")]
pub mod pg;
mod record_writer;
mod records;
mod repo;
mod room;
mod row_version;
#[cfg(test)]
mod row_version_more_tests;
#[cfg(test)]
mod row_version_tests;
mod timer;
mod tracking;
mod tx;
mod unmapped;
mod workshop;
mod workspace;

pub use changes::LoggedChange;
pub use config_version::Config;
pub use dataset::StoredRecord;
pub use imports::{ImportInfo, RejectedRow, UndoSummary};
pub use migrate::{APPLICATION_ID, SCHEMA_VERSION};
pub use record_writer::{RecordWriter, Upserts};
pub use records::{
    EncodedRow, ImportCounts, ImportWriter, NewImport, NewReject, Outcome, RecordRow, RecordView,
    SpellingFilter, TextField, Upserted,
};
pub use timer::unix_millis_now;
pub use tracking::ImportTracking;
pub use workshop::wall_clock_now;
pub use workspace::Workspace;

pub use repo::prelude;
pub use repo::{
    FunnelConfig, RecordsSink, RecordsSource, WorkshopStore, WorkspaceData, WorkspaceStore,
};

use baton_core::{BatonError, ErrorCode};

/// Map a SQLite error to a Baton error with context.
pub(crate) fn db_err(context: &str, e: rusqlite::Error) -> BatonError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            BatonError::new(
                ErrorCode::NotAWorkspace,
                format!("{context}: the file is not a Baton workspace or is damaged ({e})"),
            )
        }
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            BatonError::new(
                ErrorCode::Conflict,
                format!(
                    "{context}: the workspace is busy (an import is probably running); \
                     try again when it finishes"
                ),
            )
        }
        rusqlite::Error::QueryReturnedNoRows => {
            BatonError::not_found(format!("{context}: not found"))
        }
        _ => BatonError::internal(format!("{context}: {e}")),
    }
}

/// Prepare `sql` (cached), run it with `args` and collect every row through `map`;
/// errors name `context` ("reading people: …").
pub(crate) fn query_list<T>(
    conn: &rusqlite::Connection,
    context: &str,
    sql: &str,
    args: impl rusqlite::Params,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> baton_core::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).ctx(context)?;
    let rows = stmt.query_map(args, map).ctx(context)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().ctx(context)
}

impl Workspace {
    /// [`query_list`] on this workspace's connection.
    pub(crate) fn query_list<T>(
        &self,
        context: &str,
        sql: &str,
        args: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> baton_core::Result<Vec<T>> {
        query_list(&self.conn, context, sql, args, map)
    }
}

/// `?`-friendly conversion for the common case inside repository methods.
pub(crate) trait DbContext<T> {
    fn ctx(self, context: &str) -> baton_core::Result<T>;
}

impl<T> DbContext<T> for rusqlite::Result<T> {
    fn ctx(self, context: &str) -> baton_core::Result<T> {
        self.map_err(|e| db_err(context, e))
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn query_list_collects_every_row_and_names_its_context_in_errors() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(n INTEGER); INSERT INTO t VALUES (1), (2), (3);")
            .unwrap();
        let odd: Vec<i64> = query_list(
            &conn,
            "reading t",
            "SELECT n FROM t WHERE n % 2 = ?1 ORDER BY n",
            [1],
            |r| r.get(0),
        )
        .unwrap();
        assert_eq!(odd, [1, 3]);
        let err = query_list(&conn, "reading u", "SELECT n FROM u", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_err();
        assert!(err.message.starts_with("reading u: "), "{}", err.message);
        // A row that does not convert fails the whole list, with the context too.
        let err = query_list(&conn, "reading t as text", "SELECT n FROM t", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap_err();
        assert!(
            err.message.starts_with("reading t as text: "),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_locked_workspace_is_a_conflict_not_an_internal_error() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let err = db_err("saving the goal", busy);
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(err
            .message
            .starts_with("saving the goal: the workspace is busy"));
    }
}
