//! The records an import creates, streamed straight into `records` through one binary
//! `COPY` that stays open while the file is read: no staging table, no `ON CONFLICT`, no
//! lookup. The server writes them while the importer reads the next rows.
//!
//! A row is new when its record id was neither stored for the import's kind when the
//! import began nor seen earlier in the file. Which ids those are is kept as 128-bit
//! hashes (16 bytes per record id: ~35 MB of table for 1,000,000 records); two ids
//! sharing a hash (odds about 1 in 10^26 for a million ids) would only send the second
//! one's row through the merge path, where it is still inserted, with a later id.

use super::copy_rows::CopyRows;
use super::pg_err;
use crate::records::{
    custom_json, first_seen_json, non_empty, stage_dates_json, Outcome, RecordRow, STORED_COLUMNS,
};
use baton_core::Result;
use futures_util::{pin_mut, TryStreamExt};
use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher};
use tokio_postgres::types::ToSql;
use tokio_postgres::Client;

/// The `COPY` of new records.
pub(super) fn copy_sql() -> String {
    format!(
        "COPY records(id, kind, external_id, {STORED_COLUMNS}, first_import_id) FROM STDIN (FORMAT binary)"
    )
}

/// The record ids known so far, and the `COPY` of new records while it is open.
pub(super) struct NewRecords {
    seen: HashSet<u128, Passthrough>,
    copy: Option<CopyRows>,
    /// The JSON columns of the row being written.
    stage_dates: String,
    first_seen: String,
    custom: String,
}

/// The import new records belong to.
pub(super) struct ImportOf<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub imported_at: i64,
}

impl NewRecords {
    /// The record ids stored for `kind` (streamed, never all held as text).
    pub(super) async fn load(client: &Client, kind: &str) -> Result<Self> {
        let what = "reading the stored record ids";
        let rows = client
            .query_raw(
                "SELECT external_id FROM records WHERE kind = $1",
                [&kind as &(dyn ToSql + Sync)],
            )
            .await
            .map_err(|e| pg_err(what, e))?;
        pin_mut!(rows);
        let mut seen = HashSet::with_hasher(Passthrough);
        while let Some(r) = rows.try_next().await.map_err(|e| pg_err(what, e))? {
            seen.insert(key_hash(r.get::<_, &str>(0)));
        }
        Ok(Self {
            seen,
            copy: None,
            stage_dates: String::new(),
            first_seen: String::new(),
            custom: String::new(),
        })
    }

    /// Whether `external_id` is new to the workspace and the file so far (it is known
    /// from now on).
    pub(super) fn is_new(&mut self, external_id: &str) -> bool {
        self.seen.insert(key_hash(external_id))
    }

    /// Send the record `row` creates through the `COPY` (opening it when it is closed):
    /// the text the file's writer binds (`ImportWriter::upsert`), encoded into buffers
    /// kept from row to row.
    pub(super) async fn write(
        &mut self,
        client: &Client,
        id: i64,
        row: &RecordRow,
        import: &ImportOf<'_>,
    ) -> Result<()> {
        if self.copy.is_none() {
            self.copy = Some(CopyRows::open(client, &copy_sql(), "writing new records").await?);
        }
        stage_dates_json(&row.stage_dates, &mut self.stage_dates);
        first_seen_json(row, import.imported_at, &mut self.first_seen);
        if self.first_seen.is_empty() {
            self.first_seen.push_str("{}");
        }
        if !custom_json(&row.custom, &mut self.custom) {
            self.custom.clear();
            self.custom.push_str("{}");
        }
        let text = non_empty;
        let copy = self.copy.as_mut().expect("opened above");
        copy.row(22);
        copy.int8(id);
        copy.text(import.kind);
        copy.text(&row.external_id);
        copy.opt_text(text(&row.current_stage));
        copy.opt_text(row.outcome.map(Outcome::as_str));
        copy.text(&self.stage_dates);
        copy.text(&self.first_seen);
        copy.opt_int8(row.created_at);
        copy.opt_int8(row.closed_at);
        copy.opt_text(text(&row.source));
        copy.opt_text(text(&row.campaign));
        copy.opt_text(text(&row.owner));
        copy.opt_text(text(&row.segment));
        copy.opt_text(text(&row.industry));
        copy.opt_text(text(&row.country));
        copy.opt_int8(row.company_size);
        copy.opt_float8(row.amount);
        copy.opt_text(text(&row.lost_reason));
        copy.text(&self.custom);
        copy.opt_text(text(&row.personal));
        copy.int8(import.id);
        copy.int8(import.id);
        copy.end_row().await
    }

    /// End the open `COPY` (if any): its records are then visible to the import's
    /// statements. Checks the server stored every row sent.
    pub(super) async fn close(&mut self) -> Result<()> {
        match self.copy.take() {
            Some(copy) => copy.finish().await.map(|_| ()),
            None => Ok(()),
        }
    }
}

/// A record id's 128-bit hash: SipHash with fixed keys, twice, with different keys.
fn key_hash(external_id: &str) -> u128 {
    let half = |salt: u64| {
        // Deprecated only in favour of DefaultHasher, whose algorithm is not promised
        // to stay the same; any fixed SipHash does here.
        #[allow(deprecated)]
        let mut h = std::hash::SipHasher::new_with_keys(0x6261_746f_6e00, salt);
        external_id.hash(&mut h);
        h.finish()
    };
    ((half(1) as u128) << 64) | half(2) as u128
}

/// The set's own hashing: the keys are hashes already.
#[derive(Clone, Copy, Default)]
struct Passthrough;

impl BuildHasher for Passthrough {
    type Hasher = PassthroughHasher;
    fn build_hasher(&self) -> PassthroughHasher {
        PassthroughHasher(0)
    }
}

struct PassthroughHasher(u64);

impl Hasher for PassthroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ *b as u64;
        }
    }
    fn write_u128(&mut self, i: u128) {
        self.0 = i as u64 ^ (i >> 64) as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hash_apart_and_alike() {
        assert_eq!(key_hash("K-1"), key_hash("K-1"));
        assert_ne!(key_hash("K-1"), key_hash("K-2"));
        assert_ne!(key_hash(""), key_hash("K-1"));
        let mut set = HashSet::with_hasher(Passthrough);
        for i in 0..10_000 {
            assert!(set.insert(key_hash(&format!("K-{i}"))));
        }
        assert!(!set.insert(key_hash("K-42")));
    }
}
