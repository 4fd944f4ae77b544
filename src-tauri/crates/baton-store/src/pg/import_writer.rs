//! [`ImportWriting`] on PostgreSQL: an import into a team workspace, in one transaction.
//!
//! A row whose record is new (neither stored for the import's kind nor seen earlier in
//! the file) goes straight into `records` through one binary `COPY` that stays open while
//! the file is read, with the next id ([`super::import_new`]). The other rows (records
//! stored before, or repeated in the file) are buffered and merged by slices, in file
//! order, once that `COPY` is closed: each slice goes through binary `COPY` into a
//! temporary staging table, the stored records are looked up with one join, merged by
//! the file's own rule ([`crate::records::merge`]) and written back through a second
//! staging table. Deferring them changes nothing: a merge only touches its own record,
//! and a new record's id follows the rows before it. Ids, snapshots, undo images,
//! rejects, tracking, unmapped stage values and the data-version bump come out exactly
//! as the file's writer makes them.
//!
//! One import at a time per team workspace: the import's transaction holds an advisory
//! lock ([`IMPORT_LOCK`]); a second import (or an undo) is refused, naming who is
//! importing. The workspace's write lock is only taken at the end, to bump the data
//! version, so other people's edits are not held up while a big file streams in.

use super::import_merge::{merge_slice, MergeStatements, SliceOf};
use super::import_new::{ImportOf, NewRecords};
use super::query::{Tx, WRITE_LOCK};
use super::snapshot_trail::SnapshotTrail;
use super::text_check::refuse_nul;
use super::{pg_err, pool_err, PgWorkspace};
use crate::records::{
    custom_json, first_seen_json, non_empty, stage_dates_json, text_values, EncodedRow,
    ImportCounts, ImportWriting, NewImport, NewReject, Outcome, RecordColumns, RecordRow,
    TextField, Upserted,
};
use crate::{RecordWriter, Upserts};
use baton_core::{BatonError, Cancel, ErrorCode, Result};
use deadpool_postgres::Object;
use futures_util::pin_mut;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Statement;

/// The advisory lock an import (or an undo) holds for its transaction ("BATN" and 2).
pub(crate) const IMPORT_LOCK: i64 = 0x4241_544E_0002;

/// Rows of stored (or repeated) records buffered before a slice is merged.
const SLICE_ROWS: usize = 20_000;

/// Their types, in order (`STORED_COLUMNS`).
pub(super) const STORED_TYPES: [Type; 18] = [
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::FLOAT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
];

/// The statements of one import (its staging table lives as long as its transaction).
struct Statements {
    merge: MergeStatements,
    copy_rejects: Statement,
}

/// A rejected row as `import_rejects` holds it: row number, column, value, reason, raw JSON.
type Reject = (i64, Option<String>, Option<String>, String, String);

/// An import into a team workspace. Dropping it without [`RecordWriter::finish`] rolls
/// everything back.
pub(crate) struct PgImportWriter<'a> {
    ws: &'a PgWorkspace,
    client: Option<Object>,
    stmts: Statements,
    import_id: i64,
    kind: String,
    imported_at: i64,
    /// The highest record id so far: new records get the next ones, in file order, as a
    /// file's rowids do.
    last_id: i64,
    /// Rows of records new to the workspace and the file: straight into `records`.
    new: NewRecords,
    /// The other rows (records stored before, or repeated in the file), merged by slices.
    pending: Vec<RecordRow>,
    /// The snapshots of the new records, while nothing merged ([`SnapshotTrail`]).
    trail: SnapshotTrail,
    rejects: Vec<Reject>,
}

impl ImportWriting for PgWorkspace {
    fn begin_import(&mut self, meta: &NewImport) -> Result<Box<dyn RecordWriter + '_>> {
        if self.pinned.is_some() {
            return Err(BatonError::internal(
                "an import runs in its own transaction, not inside another",
            ));
        }
        for (what, v) in [
            ("the file name", &meta.file_name),
            ("the preset", &meta.preset),
            ("the record kind", &meta.kind),
            ("the profile", &meta.profile),
        ] {
            refuse_nul(what, v)?;
        }
        let ws: &PgWorkspace = self;
        let what = "starting the import";
        let (client, stmts, import_id, last_id, new) = ws.run(async {
            let client = ws.pool().get().await.map_err(|e| pool_err(ws.shown(), e))?;
            client
                .batch_execute("BEGIN")
                .await
                .map_err(|e| pg_err(what, e))?;
            take_import_lock(&client, &format!("Baton import of {}", meta.file_name)).await?;
            let import_id: i64 = client
                .query_one("SELECT coalesce(max(id), 0) + 1 FROM imports", &[])
                .await
                .map_err(|e| pg_err(what, e))?
                .get(0);
            client
                .execute(
                    "INSERT INTO imports(id, file_name, preset, kind, encoding, delimiter, imported_at, profile)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        &import_id,
                        &meta.file_name,
                        &meta.preset,
                        &meta.kind,
                        &meta.encoding,
                        &meta.delimiter,
                        &meta.imported_at,
                        &meta.profile,
                    ],
                )
                .await
                .map_err(|e| pg_err("recording the import", e))?;
            let last_id: i64 = client
                .query_one("SELECT coalesce(max(id), 0) FROM records", &[])
                .await
                .map_err(|e| pg_err(what, e))?
                .get(0);
            // Read before `prepare` makes the transaction's plans generic: planned for
            // its kind, this is an index scan when the kind is a small part of `records`.
            let new = NewRecords::load(&client, &meta.kind).await?;
            let stmts = prepare(&client).await?;
            Ok((client, stmts, import_id, last_id, new))
        })?;
        Ok(Box::new(PgImportWriter {
            ws,
            client: Some(client),
            stmts,
            import_id,
            kind: meta.kind.clone(),
            imported_at: meta.imported_at,
            last_id,
            new,
            pending: Vec::with_capacity(SLICE_ROWS),
            trail: SnapshotTrail::default(),
            rejects: Vec::new(),
        }))
    }
}

async fn prepare(client: &Object) -> Result<Statements> {
    Ok(Statements {
        merge: MergeStatements::begin(client).await?,
        copy_rejects: client
            .prepare("COPY import_rejects(import_id, row_number, column_name, value, reason, raw) FROM STDIN (FORMAT binary)")
            .await
            .map_err(|e| pg_err("preparing the import", e))?,
    })
}

/// How long an import waits for the one before it before refusing: long enough for the
/// server to see a cancelled or killed importer's connection go (its lock goes with it),
/// short enough that nobody waits on a big import in progress.
const IMPORT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Take the import lock for the caller's transaction, or refuse naming who holds it.
/// `label` is what this transaction shows as its application name meanwhile.
pub(crate) async fn take_import_lock(client: &Tx, label: &str) -> Result<()> {
    let what = "taking the import lock";
    let waited_until = std::time::Instant::now() + IMPORT_LOCK_WAIT;
    let got = loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&IMPORT_LOCK])
            .await
            .map_err(|e| pg_err(what, e))?
            .get(0);
        if got || std::time::Instant::now() >= waited_until {
            break got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    if got {
        client
            .execute(
                "SELECT set_config('application_name', $1, true)",
                &[&clip_ascii(label, 63)],
            )
            .await
            .map_err(|e| pg_err(what, e))?;
        return Ok(());
    }
    let holder = client
        .query_opt(
            "SELECT a.usename::text, a.application_name, to_char(a.xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS')
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1
             ORDER BY a.xact_start LIMIT 1",
            &[&(IMPORT_LOCK >> 32), &(IMPORT_LOCK & 0xFFFF_FFFF)],
        )
        .await
        .map_err(|e| pg_err(what, e))?;
    let who = match holder {
        Some(r) => {
            let user: Option<String> = r.get(0);
            let app: Option<String> = r.get(1);
            let since: Option<String> = r.get(2);
            format!(
                "{} is running \"{}\" on it (since {} UTC)",
                user.unwrap_or_else(|| "someone".into()),
                app.unwrap_or_default(),
                since.unwrap_or_else(|| "?".into())
            )
        }
        None => "someone is importing into it".into(),
    };
    Err(BatonError::new(
        ErrorCode::Conflict,
        format!(
            "another import is running on this team workspace: {who}; try again when it has finished"
        ),
    ))
}

/// `s` in printable ASCII (PostgreSQL shows other characters of an application name as
/// `?`), at most `max` bytes.
fn clip_ascii(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .take(max)
        .collect()
}

/// The columns a new record gets from its first row: the same text the file's writer
/// binds (`ImportWriter::upsert`).
pub(super) fn new_record(row: &RecordRow, imported_at: i64, import_id: i64) -> RecordColumns {
    let current_stage = non_empty(&row.current_stage);
    let mut stage_dates = String::new();
    stage_dates_json(&row.stage_dates, &mut stage_dates);
    let mut first_seen = String::new();
    first_seen_json(row, imported_at, &mut first_seen);
    if first_seen.is_empty() {
        first_seen.push_str("{}");
    }
    let mut custom = String::new();
    if !custom_json(&row.custom, &mut custom) {
        custom = "{}".into();
    }
    let text = |s: &str| non_empty(s).map(str::to_string);
    RecordColumns {
        current_stage: current_stage.map(str::to_string),
        outcome: row.outcome.map(|o| Outcome::as_str(o).to_string()),
        stage_dates,
        first_seen,
        created_at: row.created_at,
        closed_at: row.closed_at,
        source: text(&row.source),
        campaign: text(&row.campaign),
        owner: text(&row.owner),
        segment: text(&row.segment),
        industry: text(&row.industry),
        country: text(&row.country),
        company_size: row.company_size,
        amount: row.amount,
        lost_reason: text(&row.lost_reason),
        custom,
        personal: text(&row.personal),
        last_import_id: import_id,
    }
}

/// A record's text holding NUL is refused, naming the record and the field.
fn check_row(row: &RecordRow) -> Result<()> {
    // Every row of an import comes through here: look for a NUL first, and only spell
    // out where it is when there is one.
    if !text_fields(row).any(holds_nul)
        && !row
            .custom
            .iter()
            .any(|(_, v)| v.as_deref().is_some_and(holds_nul))
    {
        return Ok(());
    }
    let id = &row.external_id;
    refuse_nul("a record id", id)?;
    for (field, v) in text_field_names().zip(text_fields(row).skip(1)) {
        refuse_nul(&format!("record {id:?}, {field}"), v)?;
    }
    for (k, v) in &row.custom {
        refuse_nul(
            &format!("record {id:?}, field {k:?}"),
            v.as_deref().unwrap_or(""),
        )?;
    }
    Ok(())
}

/// A record's id, then its text fields in [`text_field_names`] order.
fn text_fields(row: &RecordRow) -> impl Iterator<Item = &str> {
    [row.external_id.as_str(), row.current_stage.as_str()]
        .into_iter()
        .chain(text_values(row))
        .chain([row.personal.as_str()])
}

/// The names of a record's text fields after its id, as [`text_fields`] gives them.
fn text_field_names() -> impl Iterator<Item = &'static str> {
    ["stage"]
        .into_iter()
        .chain(TextField::ALL.map(TextField::column))
        .chain(["personal data"])
}

fn holds_nul(text: &str) -> bool {
    text.as_bytes().contains(&0)
}

/// The cells of `id` (when some) and `c`, in `STORED_COLUMNS` order.
pub(super) fn cells<'a>(c: &'a RecordColumns, out: &mut Vec<&'a (dyn ToSql + Sync)>) {
    out.extend_from_slice(&[
        &c.current_stage as &(dyn ToSql + Sync),
        &c.outcome,
        &c.stage_dates,
        &c.first_seen,
        &c.created_at,
        &c.closed_at,
        &c.source,
        &c.campaign,
        &c.owner,
        &c.segment,
        &c.industry,
        &c.country,
        &c.company_size,
        &c.amount,
        &c.lost_reason,
        &c.custom,
        &c.personal,
        &c.last_import_id,
    ]);
}

impl PgImportWriter<'_> {
    fn client(&self) -> &Object {
        self.client.as_ref().expect("the writer's connection")
    }

    /// Send the buffered rows and rejects; add what the rows did to `tally`.
    async fn send(&mut self, tally: &mut Upserts) -> Result<()> {
        // The new records sent so far become visible to the statements below.
        self.new.close().await?;
        let mut rows = std::mem::take(&mut self.pending);
        let rejects = std::mem::take(&mut self.rejects);
        let client = self.client.as_ref().expect("the writer's connection");
        let st = &self.stmts;
        if !rows.is_empty() {
            self.trail.give_up();
            let of = SliceOf {
                kind: &self.kind,
                import_id: self.import_id,
                imported_at: self.imported_at,
            };
            merge_slice(client, &st.merge, &of, &mut self.last_id, &rows, tally).await?;
        }
        // Its room is kept for the next slice.
        rows.clear();
        self.pending = rows;
        if !rejects.is_empty() {
            let what = "keeping a rejected row";
            let sink = client
                .copy_in(&st.copy_rejects)
                .await
                .map_err(|e| pg_err(what, e))?;
            let writer = BinaryCopyInWriter::new(
                sink,
                &[
                    Type::INT8,
                    Type::INT8,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                ],
            );
            pin_mut!(writer);
            for (n, column, value, reason, raw) in &rejects {
                writer
                    .as_mut()
                    .write(&[&self.import_id, n, column, value, reason, raw])
                    .await
                    .map_err(|e| pg_err(what, e))?;
            }
            writer.finish().await.map_err(|e| pg_err(what, e))?;
        }
        Ok(())
    }

    async fn commit(
        &mut self,
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
        let client = self.client();
        let id = self.import_id;
        if self.trail.is_whole() {
            self.trail.copy(client, id).await?;
        } else {
            client
                .execute(
                    "INSERT INTO import_snapshots(import_id, record_id, stage)
                     SELECT $1, id, current_stage FROM records WHERE last_import_id = $1",
                    &[&id],
                )
                .await
                .map_err(|e| pg_err("writing stage snapshots", e))?;
        }
        check()?;
        let warnings = serde_json::to_string(warnings)
            .map_err(|e| BatonError::internal(format!("serialising warnings: {e}")))?;
        client
            .execute(
                "UPDATE imports SET rows_read = $2, inserted = $3, updated = $4, rejected = $5, warnings = $6 WHERE id = $1",
                &[
                    &id,
                    &(counts.rows_read as i64),
                    &(counts.inserted as i64),
                    &(counts.updated as i64),
                    &(counts.rejected as i64),
                    &warnings,
                ],
            )
            .await
            .map_err(|e| pg_err("recording the import totals", e))?;
        let what = "committing the import";
        // Only now the workspace's write lock: the data version moves in commit order.
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .await
            .map_err(|e| pg_err(what, e))?;
        super::state::bump_data_version(client).await?;
        client
            .execute(
                "UPDATE imports SET data_version =
                    (SELECT value::bigint FROM settings WHERE key = 'data_version')
                 WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(|e| pg_err("recording the import's data version", e))?;
        // Ids were given explicitly: the identity sequences move past them.
        client
            .batch_execute(
                "SELECT setval(pg_get_serial_sequence('records', 'id'), coalesce(max(id), 0) + 1, false) FROM records;
                 SELECT setval(pg_get_serial_sequence('imports', 'id'), coalesce(max(id), 0) + 1, false) FROM imports;",
            )
            .await
            .map_err(|e| pg_err(what, e))?;
        check()?;
        client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| pg_err(what, e))?;
        Ok(())
    }
}

/// The before-image kept for undo, as the file keeps it.
pub(super) fn image(c: &RecordColumns) -> Result<String> {
    serde_json::to_string(c)
        .map_err(|e| BatonError::internal(format!("serialising an undo image: {e}")))
}

impl RecordWriter for PgImportWriter<'_> {
    fn import_id(&self) -> i64 {
        self.import_id
    }

    fn known_values(&self, field: TextField) -> Result<Vec<String>> {
        // Asked before the first rows (the importer does): no `COPY` is open yet.
        let col = field.column();
        let sql = format!(
            "SELECT {col} FROM records WHERE {col} IS NOT NULL GROUP BY {col} ORDER BY min(id) LIMIT 100000"
        );
        self.ws.run(async {
            let rows = self
                .client()
                .query(&sql, &[])
                .await
                .map_err(|e| pg_err("reading known values", e))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn upsert_rows(
        &mut self,
        rows: &[(&RecordRow, &EncodedRow)],
        tally: &mut Upserts,
    ) -> Result<()> {
        // The COPY encodes the rows itself; the file's encoding is not used here.
        let ws = self.ws;
        ws.run(async {
            for (row, _) in rows {
                check_row(row)?;
                if !self.new.is_new(&row.external_id) {
                    self.pending.push((*row).clone());
                    continue;
                }
                // A new record: the next id, in file order (a file's rowids).
                self.last_id += 1;
                let import = ImportOf {
                    id: self.import_id,
                    kind: &self.kind,
                    imported_at: self.imported_at,
                };
                let client = self.client.as_ref().expect("the writer's connection");
                self.new.write(client, self.last_id, row, &import).await?;
                self.trail.push(self.last_id, non_empty(&row.current_stage));
                tally.add(Upserted::Inserted);
            }
            if self.pending.len() >= SLICE_ROWS {
                self.send(tally).await?;
            }
            Ok(())
        })
    }

    fn flush(&mut self, tally: &mut Upserts) -> Result<()> {
        let ws = self.ws;
        ws.run(self.send(tally))
    }

    fn reject(&mut self, r: &NewReject<'_>) -> Result<()> {
        let what = format!("rejected row {}", r.row_number);
        refuse_nul(&what, r.column.unwrap_or(""))?;
        refuse_nul(&what, r.value.unwrap_or(""))?;
        refuse_nul(&what, r.reason)?;
        let raw = serde_json::to_string(r.raw)
            .map_err(|e| BatonError::internal(format!("serialising a rejected row: {e}")))?;
        self.rejects.push((
            r.row_number as i64,
            r.column.map(str::to_string),
            r.value.map(str::to_string),
            r.reason.to_string(),
            raw,
        ));
        Ok(())
    }

    fn set_tracked_stages(&mut self, stages: &[String]) -> Result<()> {
        let json = serde_json::to_string(stages)
            .map_err(|e| BatonError::internal(format!("serialising tracked stages: {e}")))?;
        let what = "recording the stages the file tracks";
        let ws = self.ws;
        ws.run(async {
            self.new.close().await?;
            self.client()
                .execute(
                    "INSERT INTO import_tracking(import_id, stages) VALUES ($1, $2)
                     ON CONFLICT (import_id) DO UPDATE SET stages = excluded.stages",
                    &[&self.import_id, &json],
                )
                .await
                .map_err(|e| pg_err(what, e))?;
            Ok(())
        })
    }

    fn set_unmapped_stages(&mut self, values: &[(String, u64)]) -> Result<()> {
        let what = "recording the unmapped stage values";
        for (v, _) in values {
            refuse_nul("an unmapped stage value", v)?;
        }
        let ws = self.ws;
        ws.run(async {
            self.new.close().await?;
            let client = self.client();
            let stmt = client
                .prepare(
                    "INSERT INTO import_unmapped_stages(import_id, value, rows) VALUES ($1, $2, $3)
                     ON CONFLICT (import_id, value) DO UPDATE SET rows = import_unmapped_stages.rows + excluded.rows",
                )
                .await
                .map_err(|e| pg_err(what, e))?;
            for (value, rows) in values {
                client
                    .execute(&stmt, &[&self.import_id, value, &(*rows as i64)])
                    .await
                    .map_err(|e| pg_err(what, e))?;
            }
            Ok(())
        })
    }

    fn finish(
        mut self: Box<Self>,
        counts: &ImportCounts,
        warnings: &[String],
        cancel: &Cancel,
    ) -> Result<()> {
        let mut tally = Upserts::default();
        self.flush(&mut tally)?;
        let ws = self.ws;
        ws.run(self.commit(counts, warnings, cancel))?;
        // Committed: the connection goes back to the pool.
        drop(self.client.take());
        Ok(())
    }
}

impl Drop for PgImportWriter<'_> {
    fn drop(&mut self) {
        // Not committed (an error, a cancel, a panic): the connection is closed rather
        // than returned to the pool, and the server rolls the transaction back.
        if let Some(client) = self.client.take() {
            drop(Object::take(client));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_any_text_of_a_row_is_refused_naming_the_field() {
        let clean = RecordRow {
            external_id: "K-1".into(),
            current_stage: "lead".into(),
            source: "Ads".into(),
            custom: vec![("plan".into(), Some("pro".into())), ("tier".into(), None)],
            personal: "{\"email\":\"a@b.c\"}".into(),
            ..RecordRow::default()
        };
        assert!(check_row(&clean).is_ok());
        type Spoil = fn(&mut RecordRow);
        let cases: [(&str, Spoil); 12] = [
            ("a record id", |r| r.external_id = "K\0".into()),
            ("record \"K-1\", stage", |r| r.current_stage = "\0".into()),
            ("record \"K-1\", source", |r| r.source = "A\0ds".into()),
            ("record \"K-1\", campaign", |r| r.campaign = "\0".into()),
            ("record \"K-1\", owner", |r| r.owner = "\0".into()),
            ("record \"K-1\", segment", |r| r.segment = "\0".into()),
            ("record \"K-1\", industry", |r| r.industry = "\0".into()),
            ("record \"K-1\", country", |r| r.country = "\0".into()),
            ("record \"K-1\", lost_reason", |r| {
                r.lost_reason = "\0".into()
            }),
            ("record \"K-1\", personal data", |r| {
                r.personal = "\0".into()
            }),
            ("record \"K-1\", field \"plan\"", |r| {
                r.custom[0].1 = Some("p\0".into())
            }),
            ("record \"K-1\", field \"tier\"", |r| {
                r.custom[1].1 = Some("\0".into())
            }),
        ];
        for (named, spoil) in cases {
            let mut row = clean.clone();
            spoil(&mut row);
            let e = check_row(&row).expect_err(named);
            assert!(
                e.to_string()
                    .starts_with(&format!("{named}: the text holds a NUL")),
                "{named}: {e}"
            );
        }
    }
}
