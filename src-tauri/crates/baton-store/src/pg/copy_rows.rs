//! Rows in PostgreSQL's binary `COPY` format, sent in chunks of [`CHUNK`] bytes.
//!
//! tokio-postgres's `BinaryCopyInWriter` sends, and flushes, every 4 KiB: ~60,000 hand-offs
//! to the connection's task and as many socket writes for a 1,000,000-row import, each
//! cell through `ToSql`'s dynamic checks. An import's hot `COPY`s (new records, their
//! snapshots) write their few column types here directly instead.
//!
//! Format (PostgreSQL docs, "COPY", "Binary Format"): a header, then per row the number of
//! fields (i16) and per field its length (i32, -1 for NULL) and bytes; `text` is its UTF-8
//! bytes, `bigint` and `double precision` 8 bytes big-endian; an i16 -1 ends the data.

use super::pg_err;
use baton_core::{BatonError, Result};
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::SinkExt;
use std::pin::Pin;
use tokio_postgres::{Client, CopyInSink};

/// Bytes gathered before they go to the server.
const CHUNK: usize = 256 * 1024;

const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0";

/// One open `COPY … FROM STDIN (FORMAT binary)`; dropping it unfinished aborts the `COPY`
/// (and so the transaction).
pub(super) struct CopyRows {
    sink: Pin<Box<CopyInSink<Bytes>>>,
    buf: BytesMut,
    rows: u64,
    /// What the `COPY` writes, for errors.
    what: &'static str,
}

impl CopyRows {
    /// Start `sql` (a `COPY … FROM STDIN (FORMAT binary)`).
    pub(super) async fn open(client: &Client, sql: &str, what: &'static str) -> Result<Self> {
        let sink = client.copy_in(sql).await.map_err(|e| pg_err(what, e))?;
        let mut buf = BytesMut::with_capacity(CHUNK + 4096);
        buf.put_slice(HEADER);
        buf.put_i32(0); // flags
        buf.put_i32(0); // header extension
        Ok(Self {
            sink: Box::pin(sink),
            buf,
            rows: 0,
            what,
        })
    }

    /// Begin a row of `fields` fields; write each with the methods below, then
    /// [`CopyRows::end_row`].
    pub(super) fn row(&mut self, fields: i16) {
        self.buf.put_i16(fields);
    }

    pub(super) fn text(&mut self, v: &str) {
        self.buf.put_i32(field_len(v.len()));
        self.buf.put_slice(v.as_bytes());
    }

    pub(super) fn opt_text(&mut self, v: Option<&str>) {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    pub(super) fn int8(&mut self, v: i64) {
        self.buf.put_i32(8);
        self.buf.put_i64(v);
    }

    pub(super) fn opt_int8(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.int8(v),
            None => self.null(),
        }
    }

    pub(super) fn opt_float8(&mut self, v: Option<f64>) {
        match v {
            Some(v) => {
                self.buf.put_i32(8);
                self.buf.put_f64(v);
            }
            None => self.null(),
        }
    }

    fn null(&mut self) {
        self.buf.put_i32(-1);
    }

    /// End the row; the gathered rows go to the server once they fill a chunk.
    pub(super) async fn end_row(&mut self) -> Result<()> {
        self.rows += 1;
        if self.buf.len() >= CHUNK {
            let chunk = self.buf.split().freeze();
            let what = self.what;
            self.sink.send(chunk).await.map_err(|e| pg_err(what, e))?;
        }
        Ok(())
    }

    /// End the `COPY`; checks the server stored every row written.
    pub(super) async fn finish(mut self) -> Result<u64> {
        let what = self.what;
        self.buf.put_i16(-1);
        let rest = self.buf.split().freeze();
        self.sink.send(rest).await.map_err(|e| pg_err(what, e))?;
        let stored = self
            .sink
            .as_mut()
            .finish()
            .await
            .map_err(|e| pg_err(what, e))?;
        if stored != self.rows {
            return Err(BatonError::internal(format!(
                "{what}: the server stored {stored} of {} rows",
                self.rows
            )));
        }
        Ok(stored)
    }
}

/// A field's length as the format writes it. The importer caps a row at 16 MiB, far below
/// the format's 2 GiB.
fn field_len(len: usize) -> i32 {
    i32::try_from(len).expect("a field of a row capped at 16 MiB")
}
