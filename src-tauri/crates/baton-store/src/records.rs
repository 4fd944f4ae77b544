//! Write path of imported records: one transaction per import, prepared upserts,
//! per-import stage snapshots and before-images for undo (import area, issue 3).

use crate::borrowed_insert::{BorrowedInsert, Param};
use crate::known_values::KnownValues;
pub use crate::known_values::SpellingFilter;
use crate::record_writer::Upserts;
use crate::{DbContext, Workspace};
use baton_core::{BatonError, Cancel, Result};
use rusqlite::{params, Connection, OptionalExtension, Statement};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use baton_core::merge::RecordValues;
pub use baton_core::merge::{Outcome, RecordRow};

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted,
    Updated,
    /// The record id appeared earlier in the same import; this row updated it again.
    Repeated,
}

/// The metadata of an import, written when it starts.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub file_name: String,
    pub preset: String,
    pub kind: String,
    pub encoding: String,
    pub delimiter: String,
    pub imported_at: i64,
    /// JSON of the profile used.
    pub profile: String,
    /// Run in rollback-journal mode when no other connection has the workspace open (see
    /// [`use_rollback_journal`]): faster for big files, but while it runs other
    /// connections cannot open or read the workspace. Only for a workspace nobody else
    /// uses (the CLI); the app never asks, its commands open connections at any time.
    pub rollback_journal: bool,
}

/// Totals written when an import commits.
#[derive(Debug, Clone, Default)]
pub struct ImportCounts {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub rejected: u64,
}

/// A row a partial import could not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewReject<'a> {
    pub row_number: u64,
    pub column: Option<&'a str>,
    pub value: Option<&'a str>,
    pub reason: &'a str,
    /// The row's fields as read.
    pub raw: &'a [String],
}

/// A record's stored columns (those an import may change), used for merging and as the
/// before-image kept for undo.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecordColumns {
    pub current_stage: Option<String>,
    pub outcome: Option<String>,
    pub stage_dates: String,
    pub first_seen: String,
    pub created_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub owner: Option<String>,
    pub segment: Option<String>,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub company_size: Option<i64>,
    pub amount: Option<f64>,
    pub lost_reason: Option<String>,
    pub custom: String,
    pub personal: Option<String>,
    pub last_import_id: i64,
}

pub(crate) const STORED_COLUMNS: &str = "current_stage, outcome, stage_dates, first_seen, created_at, closed_at, source, campaign, owner, segment, industry, country, company_size, amount, lost_reason, custom, personal, last_import_id";

impl RecordColumns {
    pub(crate) fn from_row(r: &rusqlite::Row<'_>, offset: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            current_stage: r.get(offset)?,
            outcome: r.get(offset + 1)?,
            stage_dates: r.get(offset + 2)?,
            first_seen: r.get(offset + 3)?,
            created_at: r.get(offset + 4)?,
            closed_at: r.get(offset + 5)?,
            source: r.get(offset + 6)?,
            campaign: r.get(offset + 7)?,
            owner: r.get(offset + 8)?,
            segment: r.get(offset + 9)?,
            industry: r.get(offset + 10)?,
            country: r.get(offset + 11)?,
            company_size: r.get(offset + 12)?,
            amount: r.get(offset + 13)?,
            lost_reason: r.get(offset + 14)?,
            custom: r.get(offset + 15)?,
            personal: r.get(offset + 16)?,
            last_import_id: r.get(offset + 17)?,
        })
    }

    /// Write every column back to record `id`.
    pub(crate) fn write(&self, stmt: &mut Statement<'_>, id: i64) -> rusqlite::Result<usize> {
        stmt.execute(params![
            self.current_stage,
            self.outcome,
            self.stage_dates,
            self.first_seen,
            self.created_at,
            self.closed_at,
            self.source,
            self.campaign,
            self.owner,
            self.segment,
            self.industry,
            self.country,
            self.company_size,
            self.amount,
            self.lost_reason,
            self.custom,
            self.personal,
            self.last_import_id,
            id
        ])
    }
}

pub(crate) const UPDATE_RECORD_SQL: &str = "UPDATE records SET current_stage = ?1, outcome = ?2, stage_dates = ?3, first_seen = ?4, created_at = ?5, closed_at = ?6, source = ?7, campaign = ?8, owner = ?9, segment = ?10, industry = ?11, country = ?12, company_size = ?13, amount = ?14, lost_reason = ?15, custom = ?16, personal = ?17, last_import_id = ?18 WHERE id = ?19";

/// The text columns whose case variants the importer folds to one spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Source,
    Campaign,
    Owner,
    Segment,
    Industry,
    Country,
    LostReason,
}

impl TextField {
    pub const ALL: [TextField; 7] = [
        TextField::Source,
        TextField::Campaign,
        TextField::Owner,
        TextField::Segment,
        TextField::Industry,
        TextField::Country,
        TextField::LostReason,
    ];
    pub fn column(self) -> &'static str {
        match self {
            TextField::Source => "source",
            TextField::Campaign => "campaign",
            TextField::Owner => "owner",
            TextField::Segment => "segment",
            TextField::Industry => "industry",
            TextField::Country => "country",
            TextField::LostReason => "lost_reason",
        }
    }
}

/// A row's JSON columns (stage dates, custom fields), built by
/// [`EncodedRow::encode`] where the row is read, so the writer (the import's
/// bottleneck) only binds them. Reused from row to row.
#[derive(Debug, Clone, Default)]
pub struct EncodedRow {
    stage_dates: String,
    custom: String,
    has_custom: bool,
    /// Bit `i`: the row's value of `TextField::ALL[i]` may be a spelling the writer has
    /// not seen yet (see [`SpellingFilter`]).
    unseen: u8,
}

impl EncodedRow {
    /// Encode `row`'s JSON columns and which of its text values `seen` did not hold
    /// (replacing what was held). Only for rows handed to the writer: `seen` learns them.
    pub fn encode(&mut self, row: &RecordRow, seen: &mut SpellingFilter) {
        stage_dates_json(&row.stage_dates, &mut self.stage_dates);
        self.has_custom = custom_json(&row.custom, &mut self.custom);
        self.unseen = seen.unseen(text_values(row));
    }

    /// `row` encoded for a writer that looks at every text value (no reading thread
    /// filtering them: tests, single rows).
    pub fn unfiltered(row: &RecordRow) -> Self {
        let mut e = Self::default();
        e.encode(row, &mut SpellingFilter::default());
        e.unseen = u8::MAX;
        e
    }

    fn custom(&self) -> &str {
        if self.has_custom {
            &self.custom
        } else {
            "{}"
        }
    }
}

/// An import in progress: a write transaction with prepared statements. Dropping it
/// without [`ImportWriter::finish`] rolls everything back.
pub struct ImportWriter<'a> {
    conn: &'a Connection,
    import_id: i64,
    kind: String,
    imported_at: i64,
    /// One row's insert, and [`INSERT_ROWS`] rows' at once; both bind text in place (see
    /// `borrowed_insert`).
    insert: BorrowedInsert<'a>,
    insert_many: BorrowedInsert<'a>,
    select: Statement<'a>,
    update: Statement<'a>,
    snapshot: Statement<'a>,
    undo: Statement<'a>,
    reject: Statement<'a>,
    /// The JSON columns of rows given to [`ImportWriter::upsert`] unencoded.
    encoded: EncodedRow,
    /// The `first_seen` JSON of each row of a multi-row insert.
    first_seen_bufs: Vec<String>,
    /// Records with a larger id were inserted by this import (rowids grow; the write
    /// transaction excludes other writers): their snapshots are written in one statement
    /// by [`ImportWriter::finish`] instead of one insert per row.
    max_id_before: i64,
    /// The largest record id so far (records are only inserted by this writer during the
    /// import): a multi-row insert that inserted every row gave them the ids after it.
    max_id: i64,
    /// Spellings of the text fields (see `known_values`), kept up to date as rows land.
    known: KnownValues,
    rollback_journal: bool,
    done: bool,
}

/// Starting an import: the writer that upserts records in one transaction, on either
/// backend (see [`crate::RecordWriter`]).
pub trait ImportWriting {
    /// Start an import: opens the write transaction and records the import's metadata.
    fn begin_import(&mut self, meta: &NewImport) -> Result<Box<dyn crate::RecordWriter + '_>>;
}

impl Workspace {
    /// [`ImportWriting::begin_import`] on a file, as the concrete SQLite writer.
    pub fn begin_import(&mut self, meta: &NewImport) -> Result<ImportWriter<'_>> {
        let conn = &self.conn;
        // A bigger page cache for the import's B-tree inserts (negative = KiB); within
        // the importer's 64 MiB budget. Restored in `Drop`.
        conn.execute_batch("PRAGMA cache_size = -24000")
            .ctx("starting the import transaction")?;
        let rollback_journal = meta.rollback_journal && use_rollback_journal(conn);
        // The only foreign keys the import writes point at its own `imports` row, inserted
        // first in the same transaction: checking them costs two lookups per record for
        // nothing. The pragma only takes effect outside a transaction; restored in `Drop`.
        conn.execute_batch("PRAGMA foreign_keys = OFF")
            .ctx("starting the import transaction")?;
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let _ = conn.execute_batch("PRAGMA foreign_keys = ON");
            return Err(e).ctx("starting the import transaction");
        }
        let max_id_before: i64 = conn
            .query_row(MAX_ID_SQL, [], |r| r.get(0))
            .ctx("starting the import transaction")?;
        let mut writer = ImportWriter {
            conn,
            import_id: 0,
            kind: meta.kind.clone(),
            imported_at: meta.imported_at,
            insert: BorrowedInsert::prepare(conn, &insert_sql(1))
                .ctx("preparing record insert")?,
            insert_many: BorrowedInsert::prepare(conn, &insert_sql(INSERT_ROWS))
                .ctx("preparing record insert")?,
            select: conn
                .prepare(&format!("SELECT id, {STORED_COLUMNS} {LOOKUP_SQL}"))
                .ctx("preparing record lookup")?,
            update: conn.prepare(UPDATE_RECORD_SQL).ctx("preparing record update")?,
            snapshot: conn
                .prepare("INSERT OR REPLACE INTO import_snapshots(import_id, record_id, stage) VALUES (?1, ?2, ?3)")
                .ctx("preparing snapshot insert")?,
            undo: conn
                .prepare("INSERT OR IGNORE INTO import_undo(import_id, record_id, before) VALUES (?1, ?2, ?3)")
                .ctx("preparing undo insert")?,
            reject: conn
                .prepare("INSERT OR REPLACE INTO import_rejects(import_id, row_number, column_name, value, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .ctx("preparing reject insert")?,
            encoded: EncodedRow::default(),
            first_seen_bufs: vec![String::with_capacity(64); INSERT_ROWS],
            max_id_before,
            max_id: max_id_before,
            known: KnownValues::load(conn)?,
            rollback_journal,
            done: false,
        };
        conn.execute(
            "INSERT INTO imports(file_name, preset, kind, encoding, delimiter, imported_at, profile) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                meta.file_name,
                meta.preset,
                meta.kind,
                meta.encoding,
                meta.delimiter,
                meta.imported_at,
                meta.profile
            ],
        )
        .ctx("recording the import")?;
        writer.import_id = conn.last_insert_rowid();
        Ok(writer)
    }
}

/// Records as the import screens show them: per kind, with their stage history.
pub trait RecordViews {
    /// Records of one kind ordered by id (all kinds when `kind` is `None`).
    fn import_records(&self, kind: Option<&str>) -> Result<Vec<RecordView>>;

    /// The stage each import saw a record at, oldest import first (live imports only).
    fn stage_history(
        &self,
        kind: &str,
        external_id: &str,
    ) -> Result<Vec<(i64, i64, Option<String>)>>;

    /// A record's id by its CRM id, if stored.
    fn record_id(&self, kind: &str, external_id: &str) -> Result<Option<i64>>;
}

impl RecordViews for Workspace {
    fn import_records(&self, kind: Option<&str>) -> Result<Vec<RecordView>> {
        let mut out = Vec::new();
        for (id, kind, external_id, first_import_id, s) in self.query_list("reading records", &format!(
                "SELECT id, kind, external_id, first_import_id, {STORED_COLUMNS} FROM records WHERE ?1 IS NULL OR kind = ?1 ORDER BY id"
            ), [kind], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    RecordColumns::from_row(r, 4)?,
                ))
            })? {
            out.push(record_view(id, kind, external_id, first_import_id, s)?);
        }
        Ok(out)
    }

    fn stage_history(
        &self,
        kind: &str,
        external_id: &str,
    ) -> Result<Vec<(i64, i64, Option<String>)>> {
        self.query_list(
            "reading stage history",
            "SELECT i.id, i.imported_at, s.stage FROM import_snapshots s
                 JOIN imports i ON i.id = s.import_id
                 JOIN records r ON r.id = s.record_id
                 WHERE r.kind = ?1 AND r.external_id = ?2 AND i.undone_at IS NULL
                 ORDER BY i.imported_at, i.id",
            [kind, external_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn record_id(&self, kind: &str, external_id: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM records WHERE kind = ?1 AND external_id = ?2",
                [kind, external_id],
                |r| r.get(0),
            )
            .optional()
            .ctx("looking up a record")
    }
}

/// A record as the import screens show it, from its stored columns (both backends).
pub(crate) fn record_view(
    id: i64,
    kind: String,
    external_id: String,
    first_import_id: i64,
    s: RecordColumns,
) -> Result<RecordView> {
    Ok(RecordView {
        id,
        kind,
        external_id,
        outcome: s.outcome.as_deref().and_then(Outcome::parse),
        current_stage: s.current_stage,
        stage_dates: parse_map(&s.stage_dates, "stage_dates")?,
        first_seen: parse_map(&s.first_seen, "first_seen")?,
        created_at: s.created_at,
        closed_at: s.closed_at,
        source: s.source,
        campaign: s.campaign,
        owner: s.owner,
        segment: s.segment,
        industry: s.industry,
        country: s.country,
        company_size: s.company_size,
        amount: s.amount,
        lost_reason: s.lost_reason,
        custom: parse_map(&s.custom, "custom")?,
        personal: match s.personal {
            Some(p) => Some(parse_map(&p, "personal")?),
            None => None,
        },
        first_import_id,
        last_import_id: s.last_import_id,
    })
}

impl<'a> ImportWriter<'a> {
    pub fn import_id(&self) -> i64 {
        self.import_id
    }

    pub(crate) fn connection(&self) -> &Connection {
        self.conn
    }

    /// The spellings already stored for a text field, oldest first, to fold case variants.
    pub fn known_values(&self, field: TextField) -> Result<Vec<String>> {
        Ok(self.known.values(field))
    }

    /// A filter holding the stored spellings, for the thread that encodes rows
    /// ([`EncodedRow::encode`]): the writer then only looks at values it flags.
    pub fn spelling_filter(&self) -> SpellingFilter {
        self.known.filter()
    }

    /// Insert the record or merge it into the stored one with the same id; snapshot its stage.
    pub fn upsert(&mut self, row: &RecordRow) -> Result<Upserted> {
        let mut encoded = std::mem::take(&mut self.encoded);
        encoded.encode(row, &mut SpellingFilter::default());
        encoded.unseen = u8::MAX; // no filter: the writer looks at every value
        let out = self.upsert_encoded(row, &encoded);
        self.encoded = encoded;
        out
    }

    /// [`ImportWriter::upsert`] of a row whose JSON columns `encoded` holds (encoded from
    /// this row).
    pub fn upsert_encoded(&mut self, row: &RecordRow, encoded: &EncodedRow) -> Result<Upserted> {
        let first_seen = &mut self.first_seen_bufs[0];
        first_seen_json(row, self.imported_at, first_seen);
        let mut params = [Param::Null; 2 + ROW_PARAMS];
        params[0] = Param::Text(&self.kind);
        params[1] = Param::Int(self.import_id);
        row_params(row, encoded, json_or_empty(first_seen), &mut params[2..]);
        let inserted = self.insert.execute(&params).ctx("inserting a record")?;
        if inserted == 1 {
            // Its snapshot is written by `finish` (id > max_id_before).
            let id = self.conn.last_insert_rowid();
            self.max_id = self.max_id.max(id);
            self.learn_inserted(row, encoded, id);
            return Ok(Upserted::Inserted);
        }
        self.update_existing(row)
    }

    /// [`ImportWriter::upsert_encoded`] of each row, in order, adding what each did to
    /// `tally`. Rows go [`INSERT_ROWS`] at a time into one `INSERT` (a fraction of the
    /// per-statement work of one insert per row); when some of them were stored already,
    /// those are found and merged after it, in order.
    pub fn upsert_rows(
        &mut self,
        rows: &[(&RecordRow, &EncodedRow)],
        tally: &mut Upserts,
    ) -> Result<()> {
        let mut chunks = rows.chunks_exact(INSERT_ROWS);
        for chunk in &mut chunks {
            self.upsert_chunk(chunk, tally)?;
        }
        for (row, encoded) in chunks.remainder() {
            tally.add(self.upsert_encoded(row, encoded)?);
        }
        Ok(())
    }

    fn upsert_chunk(
        &mut self,
        chunk: &[(&RecordRow, &EncodedRow)],
        tally: &mut Upserts,
    ) -> Result<()> {
        for ((row, _), buf) in chunk.iter().zip(&mut self.first_seen_bufs) {
            first_seen_json(row, self.imported_at, buf);
        }
        let mut params = [Param::Null; 2 + ROW_PARAMS * INSERT_ROWS];
        params[0] = Param::Text(&self.kind);
        params[1] = Param::Int(self.import_id);
        for (k, ((row, encoded), first_seen)) in chunk.iter().zip(&self.first_seen_bufs).enumerate()
        {
            let at = 2 + k * ROW_PARAMS;
            row_params(
                row,
                encoded,
                json_or_empty(first_seen),
                &mut params[at..at + ROW_PARAMS],
            );
        }
        let before = self.max_id;
        let inserted = self.insert_many.execute(&params).ctx("inserting records")?;
        if inserted > 0 {
            self.max_id = self.max_id.max(self.conn.last_insert_rowid());
        }
        if inserted == chunk.len() {
            // Every row is a new record; rowids are handed out in order after the largest.
            let consecutive = self.max_id == before + chunk.len() as i64;
            for (k, (row, encoded)) in chunk.iter().enumerate() {
                tally.add(Upserted::Inserted);
                if encoded.unseen != 0 {
                    let id = if consecutive {
                        before + 1 + k as i64
                    } else {
                        self.record_id_of(&row.external_id)?.unwrap_or(before)
                    };
                    self.learn_inserted(row, encoded, id);
                }
            }
            return Ok(());
        }
        // Some rows named records stored before (or earlier in this chunk): the others
        // were inserted, these are merged now, in the file's order.
        for (k, (row, encoded)) in chunk.iter().enumerate() {
            let repeat = chunk[..k]
                .iter()
                .any(|(r, _)| r.external_id == row.external_id);
            let id = if repeat {
                None
            } else {
                self.record_id_of(&row.external_id)?
            };
            match id {
                Some(id) if id > before => {
                    tally.add(Upserted::Inserted);
                    self.learn_inserted(row, encoded, id);
                }
                _ => tally.add(self.update_existing(row)?),
            }
        }
        Ok(())
    }

    /// Record `id` was inserted from `row`: learn its new spellings.
    fn learn_inserted(&mut self, row: &RecordRow, encoded: &EncodedRow, id: i64) {
        if encoded.unseen != 0 {
            for (i, v) in text_values(row).into_iter().enumerate() {
                if encoded.unseen & (1 << i) != 0 {
                    self.known.inserted(i, v, || id);
                }
            }
        }
    }

    fn record_id_of(&mut self, external_id: &str) -> Result<Option<i64>> {
        self.select
            .query_row(params![self.kind, external_id], |r| r.get(0))
            .optional()
            .ctx("looking up a record")
    }

    fn update_existing(&mut self, row: &RecordRow) -> Result<Upserted> {
        let (id, before) = self
            .select
            .query_row(params![self.kind, row.external_id], |r| {
                Ok((r.get::<_, i64>(0)?, RecordColumns::from_row(r, 1)?))
            })
            .ctx("reading the stored record")?;
        let repeated = before.last_import_id == self.import_id;
        let merged = merge(&before, row, self.import_id, self.imported_at)?;
        merged
            .write(&mut self.update, id)
            .ctx("updating a record")?;
        for (i, (b, a)) in before
            .text_values()
            .into_iter()
            .zip(merged.text_values())
            .enumerate()
        {
            self.known.updated(i, b, a, id);
        }
        if before.last_import_id != self.import_id {
            let image = serde_json::to_string(&before)
                .map_err(|e| BatonError::internal(format!("serialising an undo image: {e}")))?;
            self.undo
                .execute(params![self.import_id, id, image])
                .ctx("keeping an undo image")?;
        }
        self.snapshot
            .execute(params![self.import_id, id, merged.current_stage])
            .ctx("writing a stage snapshot")?;
        Ok(if repeated {
            Upserted::Repeated
        } else {
            Upserted::Updated
        })
    }

    /// Keep a row the import could not read (partial imports).
    pub fn reject(&mut self, r: &NewReject<'_>) -> Result<()> {
        let raw = serde_json::to_string(r.raw)
            .map_err(|e| BatonError::internal(format!("serialising a rejected row: {e}")))?;
        self.reject
            .execute(params![
                self.import_id,
                r.row_number as i64,
                r.column,
                r.value,
                r.reason,
                raw
            ])
            .ctx("keeping a rejected row")?;
        Ok(())
    }

    /// Record the totals, bump the data version and commit. A cancel seen before the
    /// commit rolls everything back instead.
    pub fn finish(
        mut self,
        counts: &ImportCounts,
        warnings: &[String],
        cancel: &Cancel,
    ) -> Result<()> {
        let check = || {
            if cancel.is_cancelled() {
                Err(BatonError::cancelled())
            } else {
                Ok(())
            }
        };
        check()?;
        // Snapshots of the records this import inserted, in rowid order (appends to the
        // snapshot B-tree), in slices so a cancel is seen within a fraction of a second.
        // A record inserted then updated again by a repeated row already has its
        // snapshot; REPLACE writes the same final stage.
        let max_id: i64 = self
            .conn
            .query_row(MAX_ID_SQL, [], |r| r.get(0))
            .ctx("writing stage snapshots")?;
        let mut from = self.max_id_before;
        while from < max_id {
            let to = from.saturating_add(SNAPSHOT_SLICE).min(max_id);
            self.conn
                .execute(SNAPSHOTS_SQL, params![self.import_id, from, to])
                .ctx("writing stage snapshots")?;
            from = to;
            check()?;
        }
        let warnings = serde_json::to_string(warnings)
            .map_err(|e| BatonError::internal(format!("serialising warnings: {e}")))?;
        self.conn
            .execute(
                "UPDATE imports SET rows_read = ?2, inserted = ?3, updated = ?4, rejected = ?5, warnings = ?6 WHERE id = ?1",
                params![
                    self.import_id,
                    counts.rows_read as i64,
                    counts.inserted as i64,
                    counts.updated as i64,
                    counts.rejected as i64,
                    warnings
                ],
            )
            .ctx("recording the import totals")?;
        Workspace::bump_data_version(self.conn)?;
        Workspace::stamp_import_version(self.conn, self.import_id)?;
        self.known.save(self.conn)?;
        check()?;
        self.conn
            .execute_batch("COMMIT")
            .ctx("committing the import")?;
        self.done = true;
        Ok(())
    }
}

const MAX_ID_SQL: &str = "SELECT coalesce(max(id), 0) FROM records";
const SNAPSHOTS_SQL: &str = "INSERT OR REPLACE INTO import_snapshots(import_id, record_id, stage)
     SELECT ?1, id, current_stage FROM records WHERE id > ?2 AND id <= ?3";
const LOOKUP_SQL: &str = "FROM records WHERE kind = ?1 AND external_id = ?2";

/// Rows per multi-row record insert.
const INSERT_ROWS: usize = 32;
/// Parameters each row binds (the kind, `?1`, and the import id, `?2`, are shared).
const ROW_PARAMS: usize = 18;

/// `INSERT INTO records … VALUES (…), (…) ON CONFLICT DO NOTHING` of `rows` rows: `?1` the
/// kind, `?2` the import id, then [`ROW_PARAMS`] per row in the order of [`row_params`].
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO records(kind, external_id, current_stage, outcome, stage_dates, first_seen, created_at, closed_at, source, campaign, owner, segment, industry, country, company_size, amount, lost_reason, custom, personal, first_import_id, last_import_id) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?1");
        for c in 0..ROW_PARAMS {
            let _ = write!(sql, ", ?{}", 3 + r * ROW_PARAMS + c);
        }
        sql.push_str(", ?2, ?2)");
    }
    sql.push_str(" ON CONFLICT(kind, external_id) DO NOTHING");
    sql
}

/// A row's values for its [`ROW_PARAMS`] insert parameters (text bound in place).
fn row_params<'r>(
    row: &'r RecordRow,
    encoded: &'r EncodedRow,
    first_seen: &'r str,
    out: &mut [Param<'r>],
) {
    let values: [Param<'r>; ROW_PARAMS] = [
        Param::Text(&row.external_id),
        non_empty(&row.current_stage).into(),
        row.outcome.map(Outcome::as_str).into(),
        Param::Text(&encoded.stage_dates),
        Param::Text(first_seen),
        row.created_at.into(),
        row.closed_at.into(),
        non_empty(&row.source).into(),
        non_empty(&row.campaign).into(),
        non_empty(&row.owner).into(),
        non_empty(&row.segment).into(),
        non_empty(&row.industry).into(),
        non_empty(&row.country).into(),
        row.company_size.into(),
        row.amount.into(),
        non_empty(&row.lost_reason).into(),
        Param::Text(encoded.custom()),
        non_empty(&row.personal).into(),
    ];
    out.copy_from_slice(&values);
}

/// The `first_seen` JSON of a new record from `row`: the import's time at the row's stage
/// when the file gives no date for it (empty when it has no stage or a date).
pub(crate) fn first_seen_json(row: &RecordRow, imported_at: i64, out: &mut String) {
    out.clear();
    let Some(stage) = non_empty(&row.current_stage) else {
        return;
    };
    let dated = row
        .stage_dates
        .iter()
        .any(|(s, d)| s == stage && d.is_some());
    if !dated {
        out.push_str("{\"");
        out.push_str(stage);
        out.push_str("\":");
        push_i64(out, imported_at);
        out.push('}');
    }
}

fn json_or_empty(json: &str) -> &str {
    if json.is_empty() {
        "{}"
    } else {
        json
    }
}

/// The statements on `records` an import runs besides each row's insert and update
/// (tests check none of them visits every record).
#[cfg(test)]
pub(crate) fn per_import_sql() -> [String; 3] {
    [
        MAX_ID_SQL.into(),
        SNAPSHOTS_SQL.into(),
        format!("SELECT id {LOOKUP_SQL}"),
    ]
}

/// Records per snapshot statement at the end of an import.
const SNAPSHOT_SLICE: i64 = 32_768;

impl Drop for ImportWriter<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let _ = self
            .conn
            .execute_batch("PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON");
        if self.rollback_journal {
            // Back to the workspace's normal mode (see `use_rollback_journal`).
            let _ = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
            let _ = self.conn.execute_batch("PRAGMA synchronous = NORMAL");
        }
    }
}

/// A big import in WAL mode writes every page twice (to the WAL, then the checkpoint
/// copies it into the file). When no other connection has the workspace open, the import
/// runs in rollback-journal mode instead: pages it appends are written once, and the
/// journal (synchronous = FULL) keeps it all-or-nothing, including when the process is
/// killed (the next open rolls the hot journal back). With other connections open, the
/// switch is refused at once and the import stays in WAL mode. Only when the import asks
/// ([`NewImport::rollback_journal`]): connections opened after the switch wait for the
/// import to end, so the app (one connection per command) never asks.
fn use_rollback_journal(conn: &Connection) -> bool {
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let mode: rusqlite::Result<String> =
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    let switched = matches!(mode, Ok(m) if m.eq_ignore_ascii_case("delete"));
    if switched {
        let _ = conn.execute_batch("PRAGMA synchronous = FULL");
    }
    switched
}

/// A file row's text fields, in the order of [`TextField::ALL`].
pub(crate) fn text_values(row: &RecordRow) -> [&str; 7] {
    [
        &row.source,
        &row.campaign,
        &row.owner,
        &row.segment,
        &row.industry,
        &row.country,
        &row.lost_reason,
    ]
}

impl RecordColumns {
    /// The stored text fields, in the order of [`TextField::ALL`].
    fn text_values(&self) -> [Option<&str>; 7] {
        [
            self.source.as_deref(),
            self.campaign.as_deref(),
            self.owner.as_deref(),
            self.segment.as_deref(),
            self.industry.as_deref(),
            self.country.as_deref(),
            self.lost_reason.as_deref(),
        ]
    }
}

pub(crate) fn non_empty(s: &str) -> Option<&str> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// `{"lead":123,"mql":456}`; stage ids are `[a-z0-9_]`, so no escaping is needed.
pub(crate) fn stage_dates_json(dates: &[(String, Option<i64>)], out: &mut String) {
    out.clear();
    out.push('{');
    for (stage, date) in dates {
        if let Some(d) = date {
            if out.len() > 1 {
                out.push(',');
            }
            out.push('"');
            out.push_str(stage);
            out.push_str("\":");
            push_i64(out, *d);
        }
    }
    out.push('}');
}

/// Decimal digits of `v`, without `fmt`'s machinery (runs several times per row).
pub(crate) fn push_i64(out: &mut String, v: i64) {
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[i..]).expect("ASCII digits"));
}

/// `{"field":"value",…}` of the custom fields that have a value, keys sorted as in a
/// JSON object from a `BTreeMap` (the importer's slots are sorted by name already).
pub(crate) fn custom_json(custom: &[(String, Option<String>)], out: &mut String) -> bool {
    out.clear();
    if custom.iter().all(|(_, v)| v.is_none()) {
        return false;
    }
    out.push('{');
    for (k, v) in custom {
        if let Some(v) = v {
            if out.len() > 1 {
                out.push(',');
            }
            push_json_string(out, k);
            out.push(':');
            push_json_string(out, v);
        }
    }
    out.push('}');
    true
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn parse_map<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &str,
) -> Result<BTreeMap<String, T>> {
    serde_json::from_str(json)
        .map_err(|e| BatonError::internal(format!("stored {what} is not valid JSON: {e}")))
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| BatonError::internal(format!("serialising: {e}")))
}

/// The stored record updated with a file row, by the one merge rule
/// ([`baton_core::merge::merge`]): decode the columns, merge, encode.
pub(crate) fn merge(
    before: &RecordColumns,
    row: &RecordRow,
    import_id: i64,
    imported_at: i64,
) -> Result<RecordColumns> {
    let merged = baton_core::merge::merge(&before.values()?, row, imported_at)?;
    RecordColumns::from_values(merged, import_id)
}

impl RecordColumns {
    /// The columns decoded (JSON maps parsed).
    fn values(&self) -> Result<RecordValues> {
        Ok(RecordValues {
            current_stage: self.current_stage.clone(),
            outcome: self.outcome.clone(),
            stage_dates: parse_map(&self.stage_dates, "stage_dates")?,
            first_seen: parse_map(&self.first_seen, "first_seen")?,
            created_at: self.created_at,
            closed_at: self.closed_at,
            source: self.source.clone(),
            campaign: self.campaign.clone(),
            owner: self.owner.clone(),
            segment: self.segment.clone(),
            industry: self.industry.clone(),
            country: self.country.clone(),
            company_size: self.company_size,
            amount: self.amount,
            lost_reason: self.lost_reason.clone(),
            custom: parse_map(&self.custom, "custom")?,
            personal: match &self.personal {
                Some(p) => Some(parse_map(p, "personal")?),
                None => None,
            },
        })
    }

    /// Encode merged values as columns written by import `import_id`.
    fn from_values(v: RecordValues, import_id: i64) -> Result<Self> {
        Ok(RecordColumns {
            current_stage: v.current_stage,
            outcome: v.outcome,
            stage_dates: to_json(&v.stage_dates)?,
            first_seen: to_json(&v.first_seen)?,
            created_at: v.created_at,
            closed_at: v.closed_at,
            source: v.source,
            campaign: v.campaign,
            owner: v.owner,
            segment: v.segment,
            industry: v.industry,
            country: v.country,
            company_size: v.company_size,
            amount: v.amount,
            lost_reason: v.lost_reason,
            custom: to_json(&v.custom)?,
            personal: v.personal.as_ref().map(to_json).transpose()?,
            last_import_id: import_id,
        })
    }
}

/// A stored record as the import area shows it (tests, CLI, preview of history).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordView {
    pub id: i64,
    pub kind: String,
    pub external_id: String,
    pub current_stage: Option<String>,
    pub outcome: Option<Outcome>,
    pub stage_dates: BTreeMap<String, i64>,
    pub first_seen: BTreeMap<String, i64>,
    pub created_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub owner: Option<String>,
    pub segment: Option<String>,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub company_size: Option<i64>,
    pub amount: Option<f64>,
    pub lost_reason: Option<String>,
    pub custom: BTreeMap<String, String>,
    pub personal: Option<BTreeMap<String, String>>,
    pub first_import_id: i64,
    pub last_import_id: i64,
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::prelude::*;
    use baton_core::{fields, Cancel};

    /// The stored text columns are the imported text fields of `baton_core::fields`.
    #[test]
    fn text_fields_are_the_core_text_columns() {
        let stored: Vec<&str> = TextField::ALL.iter().map(|f| f.column()).collect();
        assert_eq!(stored, fields::text_columns().collect::<Vec<_>>());
    }

    /// Persona criteria read every built-in field a record holds (not `persona`, which
    /// is what the criteria decide).
    #[test]
    fn record_field_reads_every_builtin_field() {
        let r = crate::StoredRecord {
            kind: "deal".into(),
            current_stage: Some("sql".into()),
            source: Some("Ads".into()),
            campaign: Some("Spring".into()),
            owner: Some("Ann".into()),
            segment: Some("ENT".into()),
            industry: Some("Software".into()),
            country: Some("FR".into()),
            company_size: Some(120),
            amount: Some(5000.0),
            lost_reason: Some("Price".into()),
            ..Default::default()
        };
        for f in fields::RECORD_FIELDS.iter().filter(|f| f.id != "persona") {
            let field = baton_core::record::resolve_field(f.id);
            assert!(r.field(field).is_some(), "{}", f.id);
        }
        assert_eq!(
            r.field(baton_core::record::resolve_field("company_size"))
                .as_deref(),
            Some("120")
        );
    }

    /// A file row for the chunked-insert tests.
    fn file_row(id: &str, stage: &str, source: &str, owner: &str, date: Option<i64>) -> RecordRow {
        RecordRow {
            external_id: id.into(),
            has_stage_info: !stage.is_empty(),
            current_stage: stage.into(),
            stage_dates: vec![("lead".into(), date), ("customer".into(), None)],
            source: source.into(),
            owner: owner.into(),
            custom: vec![("plan".into(), Some(format!("p-{id}")))],
            ..Default::default()
        }
    }

    fn import_meta() -> NewImport {
        NewImport {
            file_name: "f.csv".into(),
            preset: "profile".into(),
            kind: "contact".into(),
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            imported_at: 1_000,
            profile: "{}".into(),
            rollback_journal: false,
        }
    }

    /// Import `rows` as the importer does (rows encoded with the writer's spelling filter),
    /// in slices through `upsert_rows` (`chunked`) or one `upsert_encoded` per row.
    fn import_rows(ws: &mut Workspace, rows: &[RecordRow], chunked: bool) -> Upserts {
        let mut w = ws.begin_import(&import_meta()).unwrap();
        let mut filter = w.spelling_filter();
        let encoded: Vec<EncodedRow> = rows
            .iter()
            .map(|r| {
                let mut e = EncodedRow::default();
                e.encode(r, &mut filter);
                e
            })
            .collect();
        let pairs: Vec<(&RecordRow, &EncodedRow)> = rows.iter().zip(&encoded).collect();
        let mut tally = Upserts::default();
        if chunked {
            for slice in pairs.chunks(100) {
                w.upsert_rows(slice, &mut tally).unwrap();
            }
        } else {
            for (r, e) in &pairs {
                tally.add(w.upsert_encoded(r, e).unwrap());
            }
        }
        w.finish(&ImportCounts::default(), &[], &Cancel::new())
            .unwrap();
        tally
    }

    type State = (
        Vec<RecordView>,
        Vec<Vec<(i64, i64, Option<String>)>>,
        Vec<Vec<String>>,
    );

    /// Everything an import leaves that later screens read: records (with their ids),
    /// stage histories, and the spellings the next import is given.
    fn state(ws: &mut Workspace) -> State {
        let records = ws.import_records(None).unwrap();
        let history = records
            .iter()
            .map(|r| ws.stage_history(&r.kind, &r.external_id).unwrap())
            .collect();
        let w = ws.begin_import(&import_meta()).unwrap();
        let known = TextField::ALL
            .iter()
            .map(|f| w.known_values(*f).unwrap())
            .collect();
        drop(w);
        (records, history, known)
    }

    /// Rows inserted 32 at a time leave exactly what one insert per row leaves, whether
    /// every row of a statement is new or some were stored before or repeat an earlier row
    /// of the same statement; an undo then restores the same records.
    #[test]
    fn rows_inserted_in_chunks_match_rows_inserted_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let first: Vec<RecordRow> = (0..40)
            .map(|i| {
                file_row(
                    &format!("c{i}"),
                    "lead",
                    &format!("S{}", i % 3),
                    "",
                    Some(i),
                )
            })
            .collect();
        let mut second: Vec<RecordRow> = Vec::new();
        for i in 0..150 {
            second.push(match i % 10 {
                // A record of the first import: merged (stage moves, owner filled in).
                3 => file_row(
                    &format!("c{}", i % 40),
                    "customer",
                    "",
                    &format!("O{}", i % 4),
                    None,
                ),
                // The record a few rows up (often in the same statement): merged again.
                7 => file_row(&format!("n{}", i - 2), "lead", "s0", "Ann", Some(5)),
                _ => file_row(
                    &format!("n{i}"),
                    "lead",
                    &format!("S{}", i % 5),
                    "",
                    Some(i),
                ),
            });
        }
        // Every row new (whole statements inserted at once), then the mixed file.
        let third: Vec<RecordRow> = (0..64)
            .map(|i| file_row(&format!("m{i}"), "", &format!("T{i}"), "Bo", None))
            .collect();
        let mut outcomes = Vec::new();
        for chunked in [false, true] {
            let path = dir.path().join(format!("{chunked}.baton"));
            let mut ws = Workspace::create(&path).unwrap();
            let tallies = [
                import_rows(&mut ws, &first, chunked),
                import_rows(&mut ws, &third, chunked),
                import_rows(&mut ws, &second, chunked),
            ];
            let after = state(&mut ws);
            let last = ws.imports().unwrap()[0].id;
            ws.undo_import(last, 2_000).unwrap();
            outcomes.push((tallies, after, state(&mut ws)));
        }
        let (one_by_one, chunked) = (&outcomes[0], &outcomes[1]);
        assert_eq!(one_by_one.0[2].inserted, 120);
        assert_eq!(one_by_one.0[2].updated, 30);
        assert!(one_by_one.0[2].repeated > 0);
        assert_eq!(chunked.0, one_by_one.0, "what each import did");
        assert_eq!(chunked.1, one_by_one.1, "after the imports");
        assert_eq!(chunked.2, one_by_one.2, "after undoing the last one");
    }

    #[test]
    fn push_i64_matches_display() {
        for v in [
            0,
            7,
            -7,
            10,
            1_704_067_200,
            -1_704_067_200,
            i64::MIN,
            i64::MAX,
        ] {
            let mut out = String::from("x");
            push_i64(&mut out, v);
            assert_eq!(out, format!("x{v}"));
        }
    }

    #[test]
    fn custom_json_escapes_and_matches_serde() {
        let custom = vec![
            ("a".to_string(), Some("x \"q\" \\ \n\u{1}é".to_string())),
            ("b".to_string(), None),
            ("c".to_string(), Some("2".to_string())),
        ];
        let mut out = String::new();
        assert!(custom_json(&custom, &mut out));
        let parsed: BTreeMap<String, String> = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["a"], "x \"q\" \\ \n\u{1}é");
        assert_eq!(parsed["c"], "2");
        assert!(!parsed.contains_key("b"));
        assert!(!custom_json(&[("a".into(), None)], &mut out));
    }
}
