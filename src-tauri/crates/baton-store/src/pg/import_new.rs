//! The records an import creates, streamed straight into `records` through one binary
//! `COPY` that stays open while the file is read: no staging table, no `ON CONFLICT`, no
//! lookup. The server writes them while the importer reads the next rows.
//!
//! A row is new when its record id was neither stored for the import's kind when the
//! import began nor seen earlier in the file. Which ids those are is kept as 128-bit
//! hashes (16 bytes per record id: ~35 MB of table for 1,000,000 records); two ids
//! sharing a hash (odds about 1 in 10^26 for a million ids) would only send the second
//! one's row through the merge path, where it is still inserted, with a later id.

use super::import_writer::STORED_TYPES;
use super::pg_err;
use crate::records::{
    custom_json, first_seen_json, non_empty, stage_dates_json, Outcome, RecordRow, STORED_COLUMNS,
};
use baton_core::Result;
use futures_util::{pin_mut, TryStreamExt};
use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher};
use std::pin::Pin;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Client;

/// The `COPY` of new records.
pub(super) fn copy_sql() -> String {
    format!(
        "COPY records(id, kind, external_id, {STORED_COLUMNS}, first_import_id) FROM STDIN (FORMAT binary)"
    )
}

type Writer = Pin<Box<BinaryCopyInWriter>>;

/// The record ids known so far, and the `COPY` of new records while it is open.
pub(super) struct NewRecords {
    seen: HashSet<u128, Passthrough>,
    copy: Option<Writer>,
    /// Rows written to the open `COPY`.
    sent: u64,
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
            sent: 0,
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
        let what = "writing new records";
        if self.copy.is_none() {
            let sink = client
                .copy_in(&copy_sql())
                .await
                .map_err(|e| pg_err(what, e))?;
            let mut types = vec![Type::INT8, Type::TEXT, Type::TEXT];
            types.extend_from_slice(&STORED_TYPES);
            types.push(Type::INT8);
            self.copy = Some(Box::pin(BinaryCopyInWriter::new(sink, &types)));
        }
        let current_stage = non_empty(&row.current_stage);
        stage_dates_json(&row.stage_dates, &mut self.stage_dates);
        first_seen_json(row, import.imported_at, &mut self.first_seen);
        if self.first_seen.is_empty() {
            self.first_seen.push_str("{}");
        }
        if !custom_json(&row.custom, &mut self.custom) {
            self.custom.clear();
            self.custom.push_str("{}");
        }
        let outcome = row.outcome.map(Outcome::as_str);
        let text = non_empty;
        let cells: [&(dyn ToSql + Sync); 22] = [
            &id,
            &import.kind,
            &row.external_id,
            &current_stage,
            &outcome,
            &self.stage_dates,
            &self.first_seen,
            &row.created_at,
            &row.closed_at,
            &text(&row.source),
            &text(&row.campaign),
            &text(&row.owner),
            &text(&row.segment),
            &text(&row.industry),
            &text(&row.country),
            &row.company_size,
            &row.amount,
            &text(&row.lost_reason),
            &self.custom,
            &text(&row.personal),
            &import.id,
            &import.id,
        ];
        let writer = self.copy.as_mut().expect("opened above");
        writer
            .as_mut()
            .write(&cells)
            .await
            .map_err(|e| pg_err(what, e))?;
        self.sent += 1;
        Ok(())
    }

    /// End the open `COPY` (if any): its records are then visible to the import's
    /// statements. Checks the server stored every row sent.
    pub(super) async fn close(&mut self) -> Result<()> {
        let Some(mut writer) = self.copy.take() else {
            return Ok(());
        };
        let what = "writing new records";
        let stored = writer
            .as_mut()
            .finish()
            .await
            .map_err(|e| pg_err(what, e))?;
        let sent = std::mem::take(&mut self.sent);
        if stored != sent {
            return Err(baton_core::BatonError::internal(format!(
                "{what}: the server stored {stored} of {sent} records"
            )));
        }
        Ok(())
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
