//! The record-side reads on PostgreSQL: [`RecordReads`] (the metrics dataset's stream of
//! records), [`RecordViews`], [`TrackingReads`] and [`UnmappedStages`]. Same rows, same
//! order and the same JSON text as the file's queries (JSON columns are `TEXT`, decoded
//! by the file's own helpers).
use super::{pg_err, pool_err, PgWorkspace};
use crate::dataset::{seconds_map, text_map};
use crate::prelude::{RecordReads, RecordViews, TrackingReads, UnmappedStages, WorkspaceState};
use crate::records::{record_view, RecordColumns, STORED_COLUMNS};
use crate::{ImportTracking, RecordView, StoredRecord};
use baton_core::Result;
use futures_util::{pin_mut, TryStreamExt};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

const RECORD_COLUMNS: &str =
    "id, kind, external_id, current_stage, outcome, stage_dates, first_seen,
    created_at, closed_at, source, campaign, owner, segment, industry, country,
    company_size, amount, lost_reason, custom";

/// One row of `SELECT {RECORD_COLUMNS} FROM records`.
fn stored_record(r: &Row) -> Result<StoredRecord> {
    let id: i64 = r.get(0);
    Ok(StoredRecord {
        id,
        kind: r.get(1),
        external_id: r.get(2),
        current_stage: r.get(3),
        outcome: r.get(4),
        stage_dates: seconds_map(r.get(5), "stage_dates", id)?,
        first_seen: seconds_map(r.get(6), "first_seen", id)?,
        created_at: r.get(7),
        closed_at: r.get(8),
        source: r.get(9),
        campaign: r.get(10),
        owner: r.get(11),
        segment: r.get(12),
        industry: r.get(13),
        country: r.get(14),
        company_size: r.get(15),
        amount: r.get(16),
        lost_reason: r.get(17),
        custom: text_map(r.get(18), id)?,
    })
}

/// [`RecordColumns`] from `STORED_COLUMNS` starting at column `at`.
pub(super) fn record_columns(r: &Row, at: usize) -> RecordColumns {
    RecordColumns {
        current_stage: r.get(at),
        outcome: r.get(at + 1),
        stage_dates: r.get(at + 2),
        first_seen: r.get(at + 3),
        created_at: r.get(at + 4),
        closed_at: r.get(at + 5),
        source: r.get(at + 6),
        campaign: r.get(at + 7),
        owner: r.get(at + 8),
        segment: r.get(at + 9),
        industry: r.get(at + 10),
        country: r.get(at + 11),
        company_size: r.get(at + 12),
        amount: r.get(at + 13),
        lost_reason: r.get(at + 14),
        custom: r.get(at + 15),
        personal: r.get(at + 16),
        last_import_id: r.get(at + 17),
    }
}

/// The file names of the records that arrived from more than one differently named file:
/// `group_concat(DISTINCT file_name)` on the file lists each name once, in the order its
/// first import was made; the same here, joined and split the same way.
fn several_files(r: &Row) -> (i64, Vec<String>) {
    let files: String = r.get(1);
    (r.get(0), files.split(',').map(str::to_string).collect())
}

impl PgWorkspace {
    /// Stream the rows of `sql` to `each`, one at a time (a million records are never
    /// held at once).
    fn stream_rows(
        &self,
        context: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        self.run(async {
            let client = self
                .pool()
                .get()
                .await
                .map_err(|e| pool_err(self.shown(), e))?;
            let stmt = client
                .prepare_cached(sql)
                .await
                .map_err(|e| pg_err(context, e))?;
            let rows = client
                .query_raw(&stmt, params.iter().copied())
                .await
                .map_err(|e| pg_err(context, e))?;
            pin_mut!(rows);
            while let Some(row) = rows.try_next().await.map_err(|e| pg_err(context, e))? {
                each(&row)?;
            }
            Ok(())
        })
    }

    fn scan_records_where(
        &self,
        filter: &str,
        params: &[&(dyn ToSql + Sync)],
        each: &mut dyn FnMut(StoredRecord),
    ) -> Result<()> {
        self.stream_rows(
            "reading records",
            &format!("SELECT {RECORD_COLUMNS} FROM records {filter} ORDER BY id"),
            params,
            &mut |r| {
                each(stored_record(r)?);
                Ok(())
            },
        )
    }
}

impl RecordReads for PgWorkspace {
    fn record_count(&self) -> Result<u64> {
        Ok(self
            .query_rows(
                "counting records",
                "SELECT count(*) FROM records",
                &[],
                |r| r.get::<_, i64>(0),
            )?
            .first()
            .map_or(0, |n| *n as u64))
    }

    fn last_record_id(&self) -> Result<Option<i64>> {
        Ok(self
            .query_opt_row("reading records", "SELECT max(id) FROM records", &[], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .flatten())
    }

    fn scan_records(&self, each: &mut dyn FnMut(StoredRecord)) -> Result<()> {
        self.scan_records_where("", &[], each)
    }

    fn imports_since(&self, version: i64) -> Result<Option<Vec<i64>>> {
        let now = self.data_version()?;
        let found: Vec<(i64, i64)> = self.query_rows(
            "reading imports",
            "SELECT id, data_version FROM imports
             WHERE data_version > $1 AND undone_at IS NULL ORDER BY data_version, id",
            &[&version],
            |r| (r.get(0), r.get(1)),
        )?;
        let every_step = found.len() as i64 == now - version
            && found
                .iter()
                .zip(version + 1..)
                .all(|((_, v), want)| *v == want);
        Ok(every_step.then(|| found.into_iter().map(|(id, _)| id).collect()))
    }

    fn scan_records_written_by(
        &self,
        imports: &[i64],
        each: &mut dyn FnMut(StoredRecord),
    ) -> Result<()> {
        if imports.is_empty() {
            return Ok(());
        }
        self.scan_records_where(
            "WHERE id IN (SELECT record_id FROM import_snapshots WHERE import_id = ANY($1))",
            &[&imports],
            each,
        )
    }

    fn several_files_among_written_by(&self, imports: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        if imports.is_empty() {
            return Ok(Vec::new());
        }
        self.query_rows(
            "reading import snapshots",
            "SELECT record_id, string_agg(file_name, ',' ORDER BY first_import)
             FROM (SELECT w.record_id, i.file_name, min(i.id) AS first_import
                   FROM (SELECT DISTINCT record_id FROM import_snapshots
                         WHERE import_id = ANY($1)) w
                   JOIN import_snapshots s ON s.record_id = w.record_id
                   JOIN imports i ON i.id = s.import_id
                   WHERE i.undone_at IS NULL
                   GROUP BY w.record_id, i.file_name) f
             GROUP BY record_id HAVING count(*) > 1
             ORDER BY record_id",
            &[&imports],
            several_files,
        )
    }

    fn records_from_several_files(&self) -> Result<Vec<(i64, Vec<String>)>> {
        self.query_rows(
            "reading import snapshots",
            "SELECT record_id, string_agg(file_name, ',' ORDER BY first_import)
             FROM (SELECT s.record_id, i.file_name, min(i.id) AS first_import
                   FROM import_snapshots s JOIN imports i ON i.id = s.import_id
                   WHERE i.undone_at IS NULL
                   GROUP BY s.record_id, i.file_name) f
             GROUP BY record_id HAVING count(*) > 1
             ORDER BY record_id",
            &[],
            several_files,
        )
    }

    fn latest_import_time(&self) -> Result<Option<i64>> {
        Ok(self
            .query_opt_row(
                "reading imports",
                "SELECT max(imported_at) FROM imports WHERE undone_at IS NULL",
                &[],
                |r| r.get::<_, Option<i64>>(0),
            )?
            .flatten())
    }
}

impl RecordViews for PgWorkspace {
    fn import_records(&self, kind: Option<&str>) -> Result<Vec<RecordView>> {
        if kind.is_some_and(|k| k.contains('\0')) {
            // No kind stored here can hold a NUL: no record is of that kind.
            return Ok(Vec::new());
        }
        let rows = self.query_rows(
            "reading records",
            &format!(
                "SELECT id, kind, external_id, first_import_id, {STORED_COLUMNS} FROM records
                 WHERE $1::text IS NULL OR kind = $1 ORDER BY id"
            ),
            &[&kind],
            |r| (r.get(0), r.get(1), r.get(2), r.get(3), record_columns(r, 4)),
        )?;
        rows.into_iter()
            .map(|(id, kind, external_id, first, s)| record_view(id, kind, external_id, first, s))
            .collect()
    }

    fn stage_history(
        &self,
        kind: &str,
        external_id: &str,
    ) -> Result<Vec<(i64, i64, Option<String>)>> {
        if kind.contains('\0') || external_id.contains('\0') {
            return Ok(Vec::new());
        }
        self.query_rows(
            "reading stage history",
            "SELECT i.id, i.imported_at, s.stage FROM import_snapshots s
                 JOIN imports i ON i.id = s.import_id
                 JOIN records r ON r.id = s.record_id
                 WHERE r.kind = $1 AND r.external_id = $2 AND i.undone_at IS NULL
                 ORDER BY i.imported_at, i.id",
            &[&kind, &external_id],
            |r| (r.get(0), r.get(1), r.get(2)),
        )
    }

    fn record_id(&self, kind: &str, external_id: &str) -> Result<Option<i64>> {
        if kind.contains('\0') || external_id.contains('\0') {
            return Ok(None);
        }
        self.query_opt_row(
            "looking up a record",
            "SELECT id FROM records WHERE kind = $1 AND external_id = $2",
            &[&kind, &external_id],
            |r| r.get(0),
        )
    }
}

impl TrackingReads for PgWorkspace {
    fn live_import_tracking(&self) -> Result<Vec<ImportTracking>> {
        let rows: Vec<(i64, String, Option<String>)> = self.query_rows(
            "reading imports",
            "SELECT i.id, i.kind, t.stages FROM imports i
             LEFT JOIN import_tracking t ON t.import_id = i.id
             WHERE i.undone_at IS NULL ORDER BY i.id",
            &[],
            |r| (r.get(0), r.get(1), r.get(2)),
        )?;
        Ok(rows
            .into_iter()
            .map(|(import_id, kind, json)| ImportTracking {
                import_id,
                kind,
                stages: json.and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok()),
            })
            .collect())
    }

    fn scan_import_records(&self, imports: &[i64], each: &mut dyn FnMut(i64, i64)) -> Result<()> {
        for &import in imports {
            self.stream_rows(
                "reading import snapshots",
                "SELECT record_id FROM import_snapshots WHERE import_id = $1 ORDER BY record_id",
                &[&import],
                &mut |r| {
                    each(r.get(0), import);
                    Ok(())
                },
            )?;
        }
        Ok(())
    }
}

impl UnmappedStages for PgWorkspace {
    fn unmapped_stage_values(&self) -> Result<Vec<(String, u64)>> {
        self.query_rows(
            "reading unmapped stage values",
            r#"SELECT u.value, sum(u.rows)::bigint FROM import_unmapped_stages u
               JOIN imports i ON i.id = u.import_id
               WHERE i.undone_at IS NULL
               GROUP BY u.value ORDER BY sum(u.rows) DESC, u.value COLLATE "C""#,
            &[],
            |r| (r.get(0), r.get::<_, i64>(1) as u64),
        )
    }
}
