//! Which funnel stages each import can express (`import_tracking`), and which imports
//! wrote each record, so the metrics engine can tell "not tracked" from "not reached".

use crate::records::ImportWriter;
use crate::{DbContext, Workspace};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// A live import and the stages its file can express (`None`: not recorded, every stage).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportTracking {
    pub import_id: i64,
    pub kind: String,
    pub stages: Option<Vec<String>>,
}

const CREATE: &str = "CREATE TABLE IF NOT EXISTS import_tracking (
    import_id INTEGER PRIMARY KEY,
    stages    TEXT NOT NULL
) WITHOUT ROWID";

impl ImportWriter<'_> {
    /// Record the stages this import's file can express (see `import_tracking`).
    pub fn set_tracked_stages(&self, stages: &[String]) -> Result<()> {
        let conn = self.connection();
        // Workspaces written before the table existed get it here.
        conn.execute_batch(CREATE)
            .ctx("recording the stages the file tracks")?;
        let json = serde_json::to_string(stages)
            .map_err(|e| BatonError::internal(format!("serialising tracked stages: {e}")))?;
        conn.execute(
            "INSERT OR REPLACE INTO import_tracking(import_id, stages) VALUES (?1, ?2)",
            params![self.import_id(), json],
        )
        .ctx("recording the stages the file tracks")?;
        Ok(())
    }
}

/// Which stages each import tracked, and which records each import wrote.
pub trait TrackingReads {
    /// Every live import with its kind and tracked stages, oldest first.
    fn live_import_tracking(&self) -> Result<Vec<ImportTracking>>;

    /// Call `each(record id, import id)` for every record each of `imports` wrote.
    fn scan_import_records(&self, imports: &[i64], each: &mut dyn FnMut(i64, i64)) -> Result<()>;
}

impl TrackingReads for Workspace {
    fn live_import_tracking(&self) -> Result<Vec<ImportTracking>> {
        let sql = if self.has_tracking_table()? {
            "SELECT i.id, i.kind, t.stages FROM imports i
             LEFT JOIN import_tracking t ON t.import_id = i.id
             WHERE i.undone_at IS NULL ORDER BY i.id"
        } else {
            "SELECT id, kind, NULL FROM imports WHERE undone_at IS NULL ORDER BY id"
        };
        let mut out = Vec::new();
        for (import_id, kind, json) in self.query_list("reading imports", sql, [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })? {
            let stages = json.and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok());
            out.push(ImportTracking {
                import_id,
                kind,
                stages,
            });
        }
        Ok(out)
    }

    fn scan_import_records(&self, imports: &[i64], each: &mut dyn FnMut(i64, i64)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT record_id FROM import_snapshots WHERE import_id = ?1 ORDER BY record_id",
            )
            .ctx("reading import snapshots")?;
        for &import in imports {
            let mut rows = stmt.query([import]).ctx("reading import snapshots")?;
            while let Some(r) = rows.next().ctx("reading import snapshots")? {
                each(r.get(0).ctx("reading import snapshots")?, import);
            }
        }
        Ok(())
    }
}

impl Workspace {
    fn has_tracking_table(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_tracking'",
                [],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .ctx("reading imports")
    }
}
