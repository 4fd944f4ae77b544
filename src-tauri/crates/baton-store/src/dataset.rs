//! The metrics engine's read path: every record as imported, streamed row by row,
//! plus the little metadata the engine needs (agreed stages, snapshot times, which
//! records arrived from more than one file).

use crate::{DbContext, Workspace};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

pub use baton_core::record::StoredRecord;

pub(crate) fn seconds_map(json: &str, what: &str, id: i64) -> Result<Vec<(String, i64)>> {
    if json.is_empty() || json == "{}" {
        return Ok(Vec::new());
    }
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| BatonError::internal(format!("record {id}: {what} is not JSON: {e}")))?;
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| {
            let secs = v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))?;
            Some((k, secs))
        })
        .collect())
}

pub(crate) fn text_map(json: &str, id: i64) -> Result<Vec<(String, String)>> {
    if json.is_empty() || json == "{}" {
        return Ok(Vec::new());
    }
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| {
            BatonError::internal(format!("record {id}: custom fields are not JSON: {e}"))
        })?;
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some((k, s)),
            other => Some((k, other.to_string())),
        })
        .collect())
}

fn to_json_seconds(pairs: &[(String, i64)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::from(*v)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// One row of `SELECT id, kind, external_id, current_stage, …, custom FROM records`.
fn stored_record(r: &rusqlite::Row) -> Result<StoredRecord> {
    let read = || -> rusqlite::Result<_> {
        Ok((
            r.get::<_, i64>(0)?,
            r.get_ref(5)?.as_str().unwrap_or("{}").to_string(),
            r.get_ref(6)?.as_str().unwrap_or("{}").to_string(),
            r.get_ref(18)?.as_str().unwrap_or("{}").to_string(),
        ))
    };
    let (id, dates, seen, custom) = read().ctx("reading records")?;
    let company_size = match r.get_ref(15).ctx("reading records")? {
        rusqlite::types::ValueRef::Integer(i) => Some(i),
        rusqlite::types::ValueRef::Real(f) => Some(f as i64),
        _ => None,
    };
    let amount = match r.get_ref(16).ctx("reading records")? {
        rusqlite::types::ValueRef::Integer(i) => Some(i as f64),
        rusqlite::types::ValueRef::Real(f) => Some(f),
        _ => None,
    };
    let text = |i: usize| -> Result<Option<String>> {
        r.get::<_, Option<String>>(i).ctx("reading records")
    };
    Ok(StoredRecord {
        id,
        kind: r.get(1).ctx("reading records")?,
        external_id: r.get(2).ctx("reading records")?,
        current_stage: text(3)?,
        outcome: text(4)?,
        stage_dates: seconds_map(&dates, "stage_dates", id)?,
        first_seen: seconds_map(&seen, "first_seen", id)?,
        created_at: r.get(7).ctx("reading records")?,
        closed_at: r.get(8).ctx("reading records")?,
        source: text(9)?,
        campaign: text(10)?,
        owner: text(11)?,
        segment: text(12)?,
        industry: text(13)?,
        country: text(14)?,
        company_size,
        amount,
        lost_reason: text(17)?,
        custom: text_map(&custom, id)?,
    })
}

/// Reading the imported records as the metrics engine and reports do.
pub trait RecordReads {
    fn record_count(&self) -> Result<u64>;

    /// The highest record id, `None` without records (cheap, unlike a count).
    fn last_record_id(&self) -> Result<Option<i64>>;

    /// Call `each` with every record, in id order.
    fn scan_records(&self, each: &mut dyn FnMut(StoredRecord)) -> Result<()>;

    /// The live imports whose commits made every data version after `version` (in
    /// commit order), or `None` when anything else changed the data since (an undo, a
    /// stage or map edit, a setting) or an import predates the record of versions.
    fn imports_since(&self, version: i64) -> Result<Option<Vec<i64>>>;

    /// Call `each` with every record the imports `imports` wrote (inserted or
    /// updated), in id order, as it is now.
    fn scan_records_written_by(
        &self,
        imports: &[i64],
        each: &mut dyn FnMut(StoredRecord),
    ) -> Result<()>;

    /// [`Self::records_from_several_files`] among the records the imports `imports` wrote.
    fn several_files_among_written_by(&self, imports: &[i64]) -> Result<Vec<(i64, Vec<String>)>>;

    /// Records that arrived from more than one differently named file (live imports
    /// only), with those file names: `(record id, files)`.
    fn records_from_several_files(&self) -> Result<Vec<(i64, Vec<String>)>>;

    /// The wall clock of the latest live import: the "as of" of the data.
    fn latest_import_time(&self) -> Result<Option<i64>>;
}

impl RecordReads for Workspace {
    fn record_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .ctx("counting records")
    }

    fn last_record_id(&self) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT max(id) FROM records", [], |r| r.get(0))
            .ctx("reading records")
    }

    fn scan_records(&self, each: &mut dyn FnMut(StoredRecord)) -> Result<()> {
        self.scan_records_where("", &[], each)
    }

    fn imports_since(&self, version: i64) -> Result<Option<Vec<i64>>> {
        let now = crate::workspace::WorkspaceState::data_version(self)?;
        let found: Vec<(i64, i64)> = self.query_list(
            "reading imports",
            "SELECT id, data_version FROM imports
             WHERE data_version > ?1 AND undone_at IS NULL ORDER BY data_version, id",
            [version],
            |r| Ok((r.get(0)?, r.get(1)?)),
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
        let list = ids_list(imports);
        self.scan_records_where(
            &format!(
                "WHERE id IN (SELECT record_id FROM import_snapshots WHERE import_id IN ({list}))"
            ),
            &[],
            each,
        )
    }

    fn several_files_among_written_by(&self, imports: &[i64]) -> Result<Vec<(i64, Vec<String>)>> {
        if imports.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids_list(imports);
        self.query_list(
            "reading import snapshots",
            &format!(
                // CROSS JOIN keeps this loop order: the written records, then each
                // live import's snapshot probed by its key (not a scan of them all).
                "SELECT w.record_id, group_concat(DISTINCT i.file_name)
                 FROM import_snapshots w
                 CROSS JOIN imports i
                 CROSS JOIN import_snapshots s
                 WHERE w.import_id IN ({list}) AND i.undone_at IS NULL
                   AND s.import_id = i.id AND s.record_id = w.record_id
                 GROUP BY w.record_id
                 HAVING count(DISTINCT i.file_name) > 1
                 ORDER BY w.record_id"
            ),
            [],
            |r| {
                let files: String = r.get(1)?;
                Ok((r.get(0)?, files.split(',').map(str::to_string).collect()))
            },
        )
    }
    fn records_from_several_files(&self) -> Result<Vec<(i64, Vec<String>)>> {
        self.query_list(
            "reading import snapshots",
            "SELECT s.record_id, group_concat(DISTINCT i.file_name)
                 FROM import_snapshots s JOIN imports i ON i.id = s.import_id
                 WHERE i.undone_at IS NULL
                 GROUP BY s.record_id
                 HAVING count(DISTINCT i.file_name) > 1
                 ORDER BY s.record_id",
            [],
            |r| {
                let files: String = r.get(1)?;
                Ok((r.get(0)?, files.split(',').map(str::to_string).collect()))
            },
        )
    }

    fn latest_import_time(&self) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT max(imported_at) FROM imports WHERE undone_at IS NULL",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()
            .map(Option::flatten)
            .ctx("reading imports")
    }
}

/// Import ids as an SQL list (they are integers: nothing to quote).
fn ids_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl Workspace {
    fn scan_records_where(
        &self,
        filter: &str,
        params: &[&dyn rusqlite::ToSql],
        each: &mut dyn FnMut(StoredRecord),
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT id, kind, external_id, current_stage, outcome, stage_dates, first_seen,
                        created_at, closed_at, source, campaign, owner, segment, industry, country,
                        company_size, amount, lost_reason, custom
                 FROM records {filter} ORDER BY id"
            ))
            .ctx("reading records")?;
        let mut rows = stmt.query(params).ctx("reading records")?;
        while let Some(r) = rows.next().ctx("reading records")? {
            each(stored_record(r)?);
        }
        Ok(())
    }

    /// Insert records directly, bypassing CSV import: for the metrics benchmark and
    /// store-level tests only (real data goes through `baton-import`). Records are
    /// upserted by `(kind, external_id)` and snapshotted under one new import row.
    #[doc(hidden)]
    pub fn insert_records_unchecked(
        &self,
        file_name: &str,
        imported_at: i64,
        records: &[StoredRecord],
    ) -> Result<i64> {
        self.write_tx("inserting records", |ws| {
let tx = &ws.conn;
        tx.execute(
            "INSERT INTO imports(file_name, preset, kind, encoding, delimiter, imported_at, rows_read, inserted)
             VALUES (?1, 'direct', ?2, 'utf-8', ',', ?3, ?4, ?4)",
            params![
                file_name,
                records.first().map_or("contact", |r| r.kind.as_str()),
                imported_at,
                records.len() as i64
            ],
        )
        .ctx("inserting records")?;
        let import_id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO records(kind, external_id, current_stage, outcome, stage_dates, first_seen,
                        created_at, closed_at, source, campaign, owner, segment, industry, country,
                        company_size, amount, lost_reason, custom, first_import_id, last_import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)
                     ON CONFLICT(kind, external_id) DO UPDATE SET
                        current_stage = excluded.current_stage, outcome = excluded.outcome,
                        stage_dates = excluded.stage_dates, first_seen = excluded.first_seen,
                        last_import_id = excluded.last_import_id
                     RETURNING id",
                )
                .ctx("inserting records")?;
            let mut snap = tx
                .prepare("INSERT OR REPLACE INTO import_snapshots(import_id, record_id, stage) VALUES (?1, ?2, ?3)")
                .ctx("inserting records")?;
            for rec in records {
                let custom: serde_json::Map<String, serde_json::Value> = rec
                    .custom
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                    .collect();
                let id: i64 = ins
                    .query_row(
                        params![
                            rec.kind,
                            rec.external_id,
                            rec.current_stage,
                            rec.outcome,
                            to_json_seconds(&rec.stage_dates),
                            to_json_seconds(&rec.first_seen),
                            rec.created_at,
                            rec.closed_at,
                            rec.source,
                            rec.campaign,
                            rec.owner,
                            rec.segment,
                            rec.industry,
                            rec.country,
                            rec.company_size,
                            rec.amount,
                            rec.lost_reason,
                            serde_json::Value::Object(custom).to_string(),
                            import_id
                        ],
                        |r| r.get(0),
                    )
                    .ctx("inserting records")?;
                snap.execute(params![import_id, id, rec.current_stage])
                    .ctx("inserting records")?;
            }
        }
        Workspace::bump_data_version(tx)?;
        Workspace::stamp_import_version(tx, import_id)?;
        Ok(import_id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn records_round_trip_through_the_read_path() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let rec = StoredRecord {
            kind: "contact".into(),
            external_id: "C-1".into(),
            current_stage: Some("sql".into()),
            stage_dates: vec![("lead".into(), 100), ("sql".into(), 500)],
            first_seen: vec![("mql".into(), 300)],
            source: Some("Google".into()),
            company_size: Some(40),
            amount: Some(1200.5),
            custom: vec![("Lead Score".into(), "87".into())],
            ..StoredRecord::default()
        };
        ws.insert_records_unchecked("a.csv", 1000, std::slice::from_ref(&rec))
            .unwrap();
        ws.insert_records_unchecked("b.csv", 2000, std::slice::from_ref(&rec))
            .unwrap();
        let mut seen = Vec::new();
        ws.scan_records(&mut |r| seen.push(r)).unwrap();
        assert_eq!(seen.len(), 1);
        let got = &seen[0];
        assert_eq!(got.stage_dates, rec.stage_dates);
        assert_eq!(got.first_seen, rec.first_seen);
        assert_eq!(got.custom, rec.custom);
        assert_eq!(got.amount, Some(1200.5));
        assert_eq!(ws.latest_import_time().unwrap(), Some(2000));
        assert_eq!(
            ws.records_from_several_files().unwrap(),
            vec![(got.id, vec!["a.csv".to_string(), "b.csv".to_string()])]
        );
        assert_eq!(ws.stages().unwrap().len(), 5);
    }

    fn contact(id: &str, stage: &str) -> StoredRecord {
        StoredRecord {
            kind: "contact".into(),
            external_id: id.into(),
            current_stage: Some(stage.into()),
            ..StoredRecord::default()
        }
    }

    #[test]
    fn only_imports_since_a_version_can_be_read_as_what_they_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let a = ws
            .insert_records_unchecked(
                "a.csv",
                1000,
                &[contact("C1", "lead"), contact("C2", "lead")],
            )
            .unwrap();
        let v = ws.data_version().unwrap();
        assert_eq!(ws.imports_since(v).unwrap(), Some(vec![]));
        let b = ws
            .insert_records_unchecked("b.csv", 2000, &[contact("C2", "sql"), contact("C3", "mql")])
            .unwrap();
        let c = ws
            .insert_records_unchecked("c.csv", 3000, &[contact("C4", "lead")])
            .unwrap();
        assert_eq!(ws.imports_since(v).unwrap(), Some(vec![b, c]));
        assert_eq!(ws.imports_since(0).unwrap(), Some(vec![a, b, c]));
        let mut written = Vec::new();
        ws.scan_records_written_by(&[b, c], &mut |r| {
            written.push((r.external_id, r.current_stage.unwrap()))
        })
        .unwrap();
        assert_eq!(
            written,
            [
                ("C2".into(), "sql".into()),
                ("C3".into(), "mql".into()),
                ("C4".into(), "lead".into())
            ]
        );
        let c2 = ws.records_from_several_files().unwrap();
        assert_eq!(c2.len(), 1);
        assert_eq!(ws.several_files_among_written_by(&[b, c]).unwrap(), c2);
        assert_eq!(ws.several_files_among_written_by(&[c]).unwrap(), vec![]);
        assert_eq!(ws.last_record_id().unwrap(), Some(4));

        // Anything but an import since the version: the caller must read everything.
        let now = ws.data_version().unwrap();
        ws.set_setting("company", "\"Acme\"").unwrap();
        assert_eq!(ws.imports_since(now).unwrap(), None);
        assert_eq!(ws.imports_since(v).unwrap(), None);
        let now = ws.data_version().unwrap();
        ws.undo_import(c, 4000).unwrap();
        assert_eq!(ws.imports_since(now).unwrap(), None);
    }
}
