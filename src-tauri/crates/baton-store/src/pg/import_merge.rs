//! The merge path of an import into a team workspace: the rows of records stored before
//! (or repeated in the file), merged a slice at a time, in file order, by the file's own
//! rule ([`crate::records::merge`]).
//!
//! Per slice, in one round trip each:
//! - the stored records are read by index probes on `UNIQUE (kind, external_id)`
//!   (`external_id = ANY($2)`, the slice's ids bound as one array), never a scan of all
//!   `records`;
//! - a record whose merge changed nothing but `last_import_id` (every row of a weekly
//!   re-import of the same export) gets only that column, in one
//!   `UPDATE … WHERE id = ANY($2)`; one the slice left exactly as stored (already merged
//!   by an earlier slice of this import) gets nothing; the others are written whole from
//!   arrays (`UPDATE … FROM unnest(…)`, a probe of the primary key each). What they hold
//!   afterwards is what the file's writer stores: it writes every merged record whole.
//! - their before-images go through `COPY` into `import_undo`, as the file keeps them.
//!
//! The import's transaction plans its statements generically (`plan_cache_mode =
//! force_generic_plan`, see `begin_import`): a custom plan, made for a 20,000-element
//! array, picks a parallel scan of all `records` (a merge join for the `UPDATE`),
//! several times slower than the probes (measured in docs/team-workspace.md).
//!
//! A slice's record id not stored at all (only a 128-bit hash collision in
//! [`super::import_new`] sends one here) is inserted through the staging table
//! `baton_import_stage`, with the next id in file order.

use super::import_writer::{cells, image, new_record, STORED_TYPES};
use super::pg_err;
use super::records_read::record_columns;
use crate::records::{merge, RecordColumns, RecordRow, Upserted, STORED_COLUMNS};
use crate::Upserts;
use baton_core::{BatonError, Result};
use futures_util::pin_mut;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Statement};

/// The statements of the merge path (prepared once per import).
pub(super) struct MergeStatements {
    stored: Statement,
    copy_stage: Statement,
    insert_new: Statement,
    touch: Statement,
    update: Statement,
    copy_undo: Statement,
}

/// The import a slice belongs to.
pub(super) struct SliceOf<'a> {
    pub kind: &'a str,
    pub import_id: i64,
    pub imported_at: i64,
}

/// The stored columns after the key, as the staging table holds them.
const STAGED_COLUMNS: &str = "current_stage TEXT, outcome TEXT, stage_dates TEXT, first_seen TEXT, created_at BIGINT, closed_at BIGINT, source TEXT, campaign TEXT, owner TEXT, segment TEXT, industry TEXT, country TEXT, company_size BIGINT, amount DOUBLE PRECISION, lost_reason TEXT, custom TEXT, personal TEXT, last_import_id BIGINT";

/// The SQL of the merge path's statements.
pub(super) struct MergeSql {
    pub stored: String,
    pub insert_new: String,
    pub touch: String,
    pub update: String,
}

impl MergeSql {
    pub(super) fn new() -> Self {
        let columns: Vec<&str> = STORED_COLUMNS.split(", ").collect();
        let prefixed = |p: &str| {
            columns
                .iter()
                .map(|c| format!("{p}.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // `unnest` of one array per column, typed as `STORED_TYPES`.
        let arrays = std::iter::once("$1::bigint[]".to_string())
            .chain(STORED_TYPES.iter().enumerate().map(|(i, t)| {
                let t = match *t {
                    Type::INT8 => "bigint",
                    Type::FLOAT8 => "double precision",
                    _ => "text",
                };
                format!("${}::{t}[]", i + 2)
            }))
            .collect::<Vec<_>>()
            .join(", ");
        let set = columns
            .iter()
            .map(|c| format!("{c} = m.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            stored: format!(
                "SELECT r.external_id, r.id, {} FROM records r
                 WHERE r.kind = $1 AND r.external_id = ANY($2::text[])",
                prefixed("r")
            ),
            // Only the records not stored yet, numbered in file order after the highest
            // id (a file's rowids), so no id is used up by a row that conflicts.
            insert_new: format!(
                "INSERT INTO records(id, kind, external_id, {STORED_COLUMNS}, first_import_id)
                 SELECT $2 + row_number() OVER (ORDER BY s.seq), $1, s.external_id, {}, $3
                 FROM baton_import_stage s
                 WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = $1 AND r.external_id = s.external_id)
                 ON CONFLICT (kind, external_id) DO NOTHING",
                prefixed("s")
            ),
            touch: "UPDATE records SET last_import_id = $1 WHERE id = ANY($2::bigint[])".into(),
            update: format!(
                "UPDATE records r SET {set} FROM unnest({arrays}) AS m(id, {STORED_COLUMNS})
                 WHERE r.id = m.id"
            ),
        }
    }
}

impl MergeStatements {
    /// In the import's transaction: its staging table, its planning and its statements.
    pub(super) async fn begin(client: &Client) -> Result<Self> {
        let what = "preparing the import";
        client
            .batch_execute(&format!(
                "CREATE TEMP TABLE baton_import_stage (seq BIGINT, external_id TEXT, {STAGED_COLUMNS}) ON COMMIT DROP;
                 SET LOCAL plan_cache_mode = force_generic_plan;"
            ))
            .await
            .map_err(|e| pg_err(what, e))?;
        let p =
            |sql: String| async move { client.prepare(&sql).await.map_err(|e| pg_err(what, e)) };
        let sql = MergeSql::new();
        Ok(Self {
            stored: p(sql.stored).await?,
            copy_stage: p("COPY baton_import_stage FROM STDIN (FORMAT binary)".into()).await?,
            insert_new: p(sql.insert_new).await?,
            touch: p(sql.touch).await?,
            update: p(sql.update).await?,
            copy_undo: p(
                "COPY import_undo(import_id, record_id, before) FROM STDIN (FORMAT binary)".into(),
            )
            .await?,
        })
    }
}

/// A record the slice wrote, as it stands after the slice's rows.
struct Current {
    id: i64,
    cols: RecordColumns,
    /// What `records` holds for it when the slice's rows are merged: the stored columns,
    /// or those a new record was inserted with.
    written: RecordColumns,
}

/// What a slice leaves to write for one record.
#[derive(Debug, PartialEq, Eq)]
enum Write {
    Nothing,
    /// Only `last_import_id` differs.
    ImportId,
    Whole,
}

fn what_to_write(now: &RecordColumns, mut written: RecordColumns) -> Write {
    if *now == written {
        return Write::Nothing;
    }
    written.last_import_id = now.last_import_id;
    if *now == written {
        Write::ImportId
    } else {
        Write::Whole
    }
}

/// Merge one slice of rows (in file order) into `records`; new records get ids after
/// `last_id`, which moves past them. Adds what each row did to `tally`.
pub(super) async fn merge_slice(
    client: &Client,
    st: &MergeStatements,
    of: &SliceOf<'_>,
    last_id: &mut i64,
    rows: &[RecordRow],
    tally: &mut Upserts,
) -> Result<()> {
    let what = "writing records";
    let err = |e| pg_err(what, e);
    // Each record's first row of the slice, in file order.
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    let mut keys: Vec<&str> = Vec::with_capacity(rows.len());
    let mut first_rows: Vec<usize> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if let Entry::Vacant(e) = first.entry(row.external_id.as_str()) {
            e.insert(keys.len());
            keys.push(&row.external_id);
            first_rows.push(i);
        }
    }
    let mut stored: Vec<Option<(i64, RecordColumns)>> = vec![None; keys.len()];
    for r in client
        .query(&st.stored, &[&of.kind, &keys])
        .await
        .map_err(err)?
    {
        let key: &str = r.get(0);
        let seq = *first.get(key).ok_or_else(|| {
            BatonError::internal(format!(
                "{what}: the server returned record {key:?}, not asked for"
            ))
        })?;
        stored[seq] = Some((r.get(1), record_columns(&r, 2)));
    }
    // Records not stored at all: inserted with their first row, numbered in file order.
    let fresh: Vec<(usize, RecordColumns)> = (0..keys.len())
        .filter(|&seq| stored[seq].is_none())
        .map(|seq| {
            let row = &rows[first_rows[seq]];
            (seq, new_record(row, of.imported_at, of.import_id))
        })
        .collect();
    let mut fresh_cols: HashMap<usize, RecordColumns> = HashMap::new();
    if !fresh.is_empty() {
        let sink = client.copy_in(&st.copy_stage).await.map_err(err)?;
        let mut types = vec![Type::INT8, Type::TEXT];
        types.extend_from_slice(&STORED_TYPES);
        let writer = BinaryCopyInWriter::new(sink, &types);
        pin_mut!(writer);
        for (seq, cols) in &fresh {
            let s = *seq as i64;
            let mut cell: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(20);
            cell.push(&s);
            cell.push(&keys[*seq]);
            cells(cols, &mut cell);
            writer.as_mut().write(&cell).await.map_err(err)?;
        }
        writer.finish().await.map_err(err)?;
        let inserted = client
            .execute(&st.insert_new, &[&of.kind, &*last_id, &of.import_id])
            .await
            .map_err(err)?;
        client
            .batch_execute("TRUNCATE baton_import_stage")
            .await
            .map_err(err)?;
        if inserted != fresh.len() as u64 {
            return Err(BatonError::internal(format!(
                "{what}: {inserted} inserted where {} were new",
                fresh.len()
            )));
        }
        fresh_cols.extend(fresh);
    }
    // The file's rule, row by row in file order.
    let mut current: HashMap<&str, Current> = HashMap::with_capacity(keys.len());
    let mut undo: Vec<(i64, String)> = Vec::new();
    let mut new = 0i64;
    for row in rows {
        let key = row.external_id.as_str();
        if let Some(c) = current.get_mut(key) {
            let repeated = c.cols.last_import_id == of.import_id;
            if !repeated {
                undo.push((c.id, image(&c.cols)?));
            }
            c.cols = merge(&c.cols, row, of.import_id, of.imported_at)?;
            tally.add(if repeated {
                Upserted::Repeated
            } else {
                Upserted::Updated
            });
            continue;
        }
        let seq = first[key];
        let now = match stored[seq].take() {
            Some((id, before)) => {
                let repeated = before.last_import_id == of.import_id;
                if !repeated {
                    undo.push((id, image(&before)?));
                }
                tally.add(if repeated {
                    Upserted::Repeated
                } else {
                    Upserted::Updated
                });
                Current {
                    id,
                    cols: merge(&before, row, of.import_id, of.imported_at)?,
                    written: before,
                }
            }
            None => {
                new += 1;
                tally.add(Upserted::Inserted);
                let cols = fresh_cols.remove(&seq).expect("staged once");
                Current {
                    id: *last_id + new,
                    written: cols.clone(),
                    cols,
                }
            }
        };
        current.insert(key, now);
    }
    *last_id += new;
    let mut touched: Vec<i64> = Vec::new();
    let mut whole: Vec<(i64, RecordColumns)> = Vec::new();
    for Current { id, cols, written } in current.into_values() {
        match what_to_write(&cols, written) {
            Write::Nothing => {}
            Write::ImportId => touched.push(id),
            Write::Whole => whole.push((id, cols)),
        }
    }
    if !touched.is_empty() {
        touched.sort_unstable();
        client
            .execute(&st.touch, &[&of.import_id, &touched])
            .await
            .map_err(err)?;
    }
    if !whole.is_empty() {
        whole.sort_unstable_by_key(|(id, _)| *id);
        update_whole(client, &st.update, &whole)
            .await
            .map_err(err)?;
    }
    if !undo.is_empty() {
        let what = "keeping an undo image";
        let sink = client
            .copy_in(&st.copy_undo)
            .await
            .map_err(|e| pg_err(what, e))?;
        let writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::TEXT]);
        pin_mut!(writer);
        for (id, before) in &undo {
            writer
                .as_mut()
                .write(&[&of.import_id, id, before])
                .await
                .map_err(|e| pg_err(what, e))?;
        }
        writer.finish().await.map_err(|e| pg_err(what, e))?;
    }
    Ok(())
}

/// Write `records` whole, one array per column.
async fn update_whole(
    client: &Client,
    update: &Statement,
    records: &[(i64, RecordColumns)],
) -> std::result::Result<u64, tokio_postgres::Error> {
    fn col<'a, T>(
        records: &'a [(i64, RecordColumns)],
        f: impl Fn(&'a RecordColumns) -> T,
    ) -> Vec<T> {
        records.iter().map(|(_, c)| f(c)).collect()
    }
    fn opt<'a>(
        records: &'a [(i64, RecordColumns)],
        f: impl Fn(&'a RecordColumns) -> &'a Option<String>,
    ) -> Vec<Option<&'a str>> {
        records.iter().map(|(_, c)| f(c).as_deref()).collect()
    }
    let text = |f: fn(&RecordColumns) -> &Option<String>| opt(records, f);
    let ids: Vec<i64> = records.iter().map(|(id, _)| *id).collect();
    let current_stage = text(|c| &c.current_stage);
    let outcome = text(|c| &c.outcome);
    let stage_dates = col(records, |c| c.stage_dates.as_str());
    let first_seen = col(records, |c| c.first_seen.as_str());
    let created_at = col(records, |c| c.created_at);
    let closed_at = col(records, |c| c.closed_at);
    let source = text(|c| &c.source);
    let campaign = text(|c| &c.campaign);
    let owner = text(|c| &c.owner);
    let segment = text(|c| &c.segment);
    let industry = text(|c| &c.industry);
    let country = text(|c| &c.country);
    let company_size = col(records, |c| c.company_size);
    let amount = col(records, |c| c.amount);
    let lost_reason = text(|c| &c.lost_reason);
    let custom = col(records, |c| c.custom.as_str());
    let personal = text(|c| &c.personal);
    let last_import_id = col(records, |c| c.last_import_id);
    // In `STORED_COLUMNS` order, after the ids.
    let params: [&(dyn ToSql + Sync); 19] = [
        &ids,
        &current_stage,
        &outcome,
        &stage_dates,
        &first_seen,
        &created_at,
        &closed_at,
        &source,
        &campaign,
        &owner,
        &segment,
        &industry,
        &country,
        &company_size,
        &amount,
        &lost_reason,
        &custom,
        &personal,
        &last_import_id,
    ];
    client.execute(update, &params).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_that_only_moves_the_import_id_writes_only_it() {
        let stored = RecordColumns {
            current_stage: Some("mql".into()),
            stage_dates: "{}".into(),
            first_seen: "{\"mql\":1}".into(),
            custom: "{}".into(),
            last_import_id: 1,
            ..Default::default()
        };
        let now = RecordColumns {
            last_import_id: 2,
            ..stored.clone()
        };
        assert_eq!(what_to_write(&now, stored.clone()), Write::ImportId);
        assert_eq!(what_to_write(&now, now.clone()), Write::Nothing);
        let changed = RecordColumns {
            owner: Some("Ana".into()),
            ..now.clone()
        };
        assert_eq!(what_to_write(&changed, stored.clone()), Write::Whole);
        assert_eq!(what_to_write(&changed, now), Write::Whole);
    }
}
