//! Stage values an import could not map (`import_unmapped_stages`): written by the import
//! in its transaction, removed by its undo, read by the metrics engine's data-quality panel.

use crate::records::ImportWriter;
use crate::{DbContext, Workspace};
use baton_core::Result;
use rusqlite::{params, Connection, OptionalExtension};

const CREATE: &str = "CREATE TABLE IF NOT EXISTS import_unmapped_stages (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    value     TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    PRIMARY KEY (import_id, value)
) WITHOUT ROWID";

impl ImportWriter<'_> {
    /// Record the stage values this import's rows carried that no map named, with the
    /// number of rows of each.
    pub fn set_unmapped_stages(&self, values: &[(String, u64)]) -> Result<()> {
        let conn = self.connection();
        let what = "recording the unmapped stage values";
        // Workspaces written before the table existed get it here.
        conn.execute_batch(CREATE).ctx(what)?;
        let mut stmt = conn
            .prepare(
                "INSERT INTO import_unmapped_stages(import_id, value, rows) VALUES (?1, ?2, ?3)
                 ON CONFLICT(import_id, value) DO UPDATE SET rows = rows + excluded.rows",
            )
            .ctx(what)?;
        for (value, rows) in values {
            stmt.execute(params![self.import_id(), value, *rows as i64])
                .ctx(what)?;
        }
        Ok(())
    }
}

fn has_table(conn: &Connection) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_unmapped_stages'",
        [],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .ctx("reading unmapped stage values")
}

/// Stage values the imports could not map.
pub trait UnmappedStages {
    /// Stage values the live imports could not map, with their rows summed over the
    /// imports; most rows first, then by value. (Values mapped on the Vocabulary screen
    /// since are still listed: the caller sets them aside, case-folded.)
    fn unmapped_stage_values(&self) -> Result<Vec<(String, u64)>>;
}

impl UnmappedStages for Workspace {
    fn unmapped_stage_values(&self) -> Result<Vec<(String, u64)>> {
        if !has_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let what = "reading unmapped stage values";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT u.value, sum(u.rows) FROM import_unmapped_stages u
                 JOIN imports i ON i.id = u.import_id
                 WHERE i.undone_at IS NULL
                 GROUP BY u.value ORDER BY sum(u.rows) DESC, u.value",
            )
            .ctx(what)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .ctx(what)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().ctx(what)
    }
}

impl Workspace {
    /// Remove an import's unmapped stage values (its undo).
    pub(crate) fn delete_unmapped_stages(conn: &Connection, import_id: i64) -> Result<()> {
        if has_table(conn)? {
            conn.execute(
                "DELETE FROM import_unmapped_stages WHERE import_id = ?1",
                [import_id],
            )
            .ctx("deleting unmapped stage values")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::{ImportCounts, NewImport, Workspace};
    use baton_core::Cancel;

    fn rows(ws: &Workspace) -> i64 {
        ws.conn
            .query_row("SELECT count(*) FROM import_unmapped_stages", [], |r| {
                r.get(0)
            })
            .unwrap()
    }

    #[test]
    fn an_import_writes_its_unmapped_values_and_its_undo_removes_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let mut ids = Vec::new();
        for values in [vec![("Hold", 2), ("Nurture", 1)], vec![("Hold", 3)]] {
            let w = ws
                .begin_import(&NewImport {
                    file_name: "leads.csv".into(),
                    preset: "profile".into(),
                    kind: "lead".into(),
                    encoding: "utf-8".into(),
                    delimiter: ",".into(),
                    imported_at: 0,
                    profile: "{}".into(),
                    rollback_journal: false,
                })
                .unwrap();
            let values: Vec<(String, u64)> =
                values.iter().map(|(v, n)| (v.to_string(), *n)).collect();
            w.set_unmapped_stages(&values).unwrap();
            ids.push(w.import_id());
            w.finish(&ImportCounts::default(), &[], &Cancel::new())
                .unwrap();
        }
        assert_eq!(
            ws.unmapped_stage_values().unwrap(),
            vec![("Hold".to_string(), 5), ("Nurture".to_string(), 1)]
        );
        ws.undo_import(ids[1], 1).unwrap();
        assert_eq!(rows(&ws), 2, "the undone import's row is gone");
        assert_eq!(
            ws.unmapped_stage_values().unwrap(),
            vec![("Hold".to_string(), 2), ("Nurture".to_string(), 1)]
        );
    }

    #[test]
    fn a_cancelled_import_leaves_no_values() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        {
            let w = ws
                .begin_import(&NewImport {
                    file_name: "leads.csv".into(),
                    preset: "profile".into(),
                    kind: "lead".into(),
                    encoding: "utf-8".into(),
                    delimiter: ",".into(),
                    imported_at: 0,
                    profile: "{}".into(),
                    rollback_journal: false,
                })
                .unwrap();
            w.set_unmapped_stages(&[("Hold".into(), 1)]).unwrap();
            let cancel = Cancel::new();
            cancel.cancel();
            assert!(w.finish(&ImportCounts::default(), &[], &cancel).is_err());
        }
        assert_eq!(rows(&ws), 0, "written in the import's transaction");
    }
}
