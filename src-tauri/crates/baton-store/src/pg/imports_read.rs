//! [`ImportHistory`] on PostgreSQL: the import list (newest first), one import, its
//! profile and its rejected rows (in file order), as the file reads them.
use super::PgWorkspace;
use crate::imports::{with_warnings, IMPORT_COLUMNS};
use crate::prelude::ImportHistory;
use crate::{ImportInfo, RejectedRow};
use baton_core::{BatonError, Result};
use tokio_postgres::Row;

fn import_info(r: &Row) -> (ImportInfo, String) {
    (
        ImportInfo {
            id: r.get(0),
            file_name: r.get(1),
            preset: r.get(2),
            kind: r.get(3),
            encoding: r.get(4),
            delimiter: r.get(5),
            imported_at: r.get(6),
            rows_read: r.get(7),
            inserted: r.get(8),
            updated: r.get(9),
            rejected: r.get(10),
            warnings: Vec::new(),
            undone_at: r.get(12),
        },
        r.get(11),
    )
}

fn no_import(id: i64) -> BatonError {
    BatonError::not_found(format!("there is no import {id}"))
}

impl ImportHistory for PgWorkspace {
    fn imports(&self) -> Result<Vec<ImportInfo>> {
        self.query_rows(
            "reading import history",
            &format!("SELECT {IMPORT_COLUMNS} FROM imports ORDER BY id DESC"),
            &[],
            import_info,
        )?
        .into_iter()
        .map(with_warnings)
        .collect()
    }

    fn import(&self, id: i64) -> Result<ImportInfo> {
        let row = self
            .query_opt_row(
                "reading an import",
                &format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = $1"),
                &[&id],
                import_info,
            )?
            .ok_or_else(|| no_import(id))?;
        with_warnings(row)
    }

    fn import_profile(&self, id: i64) -> Result<String> {
        self.query_opt_row(
            "reading an import's profile",
            "SELECT profile FROM imports WHERE id = $1",
            &[&id],
            |r| r.get(0),
        )?
        .ok_or_else(|| no_import(id))
    }

    fn import_rejects(&self, id: i64) -> Result<Vec<RejectedRow>> {
        self.import(id)?;
        self.query_rows(
            "reading rejected rows",
            "SELECT row_number, column_name, value, reason, raw FROM import_rejects
             WHERE import_id = $1 ORDER BY row_number",
            &[&id],
            |r| -> Result<RejectedRow> {
                let raw: &str = r.get(4);
                Ok(RejectedRow {
                    row_number: r.get(0),
                    column: r.get(1),
                    value: r.get(2),
                    reason: r.get(3),
                    raw: serde_json::from_str(raw).map_err(|e| {
                        BatonError::internal(format!("stored rejected row is not JSON: {e}"))
                    })?,
                })
            },
        )?
        .into_iter()
        .collect()
    }
}
