//! Workspace storage. A workspace is one SQLite file (`.baton`) in WAL mode.
//!
//! This crate is the only place that speaks SQL. Everything above it (import,
//! metrics, reports, the Tauri shell, the CLI) calls typed methods on
//! [`Workspace`], so a later PostgreSQL-backed team workspace can implement the
//! same methods without touching callers.

mod changes;
mod dataset;
mod imports;
mod metrics;
mod migrate;
mod overview;
mod records;
mod timer;
mod tracking;
mod tx;
mod workshop;
mod workspace;

pub use changes::LoggedChange;
pub use dataset::StoredRecord;
pub use imports::{ImportInfo, RejectedRow, UndoSummary};
pub use migrate::{APPLICATION_ID, SCHEMA_VERSION};
pub use records::{
    ImportCounts, ImportWriter, NewImport, NewReject, Outcome, RecordRow, RecordView, TextField,
    Upserted,
};
pub use timer::unix_millis_now;
pub use tracking::ImportTracking;
pub use workshop::{record_field, wall_clock_now};
pub use workspace::Workspace;

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
