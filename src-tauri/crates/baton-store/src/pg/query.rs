//! Running statements from the store's synchronous methods: on a pooled connection, or,
//! inside [`PgWorkspace::transaction`], on the connection holding that transaction.
use super::{pg_err, pool_err, PgWorkspace};
use baton_core::Result;
use deadpool_postgres::Object;
use std::ops::Deref;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

/// The advisory lock every write transaction takes ("BATN" and 1).
pub(crate) const WRITE_LOCK: i64 = 0x4241_544E_0001;

/// Parameters as tokio-postgres takes them.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// What the statements of a write run on: a connection inside an open transaction
/// (`execute`, `query`, `query_one`, `prepare_cached`… as on any client).
pub(crate) type Tx = deadpool_postgres::ClientWrapper;

/// A connection for one call: taken from the pool, or the transaction's pinned one.
#[allow(clippy::large_enum_variant)] // one per call, on the stack: boxing would allocate each time
pub(crate) enum Conn<'a> {
    Pooled(Object),
    Pinned(&'a Object),
}

impl Deref for Conn<'_> {
    type Target = Tx;
    fn deref(&self) -> &Tx {
        match self {
            Conn::Pooled(o) => o,
            Conn::Pinned(o) => o,
        }
    }
}

/// Rolls back what a write left open when it did not finish (an error, or a panic
/// unwinding through it): a pooled connection is dropped rather than returned to the
/// pool mid-transaction (the server rolls it back); a pinned one is rolled back to its
/// savepoint by the caller's error path, or dropped with the transaction's view.
struct Unfinished<'a> {
    conn: Option<Conn<'a>>,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(Conn::Pooled(o)) = self.conn.take() {
            drop(Object::take(o));
        }
    }
}

impl PgWorkspace {
    /// The connection a call runs on.
    pub(crate) async fn conn(&self) -> Result<Conn<'_>> {
        match &self.pinned {
            Some(o) => Ok(Conn::Pinned(o)),
            None => Ok(Conn::Pooled(
                self.pool()
                    .get()
                    .await
                    .map_err(|e| pool_err(self.shown(), e))?,
            )),
        }
    }

    /// Every row of `sql`, mapped; errors name `context`.
    pub(crate) fn query_rows<T>(
        &self,
        context: &str,
        sql: &str,
        params: Params<'_>,
        map: impl Fn(&Row) -> T,
    ) -> Result<Vec<T>> {
        self.run(async {
            let client = self.conn().await?;
            let stmt = client
                .prepare_cached(sql)
                .await
                .map_err(|e| pg_err(context, e))?;
            let rows = client
                .query(&stmt, params)
                .await
                .map_err(|e| pg_err(context, e))?;
            Ok(rows.iter().map(&map).collect())
        })
    }

    /// The row of `sql`, if any.
    pub(crate) fn query_opt_row<T>(
        &self,
        context: &str,
        sql: &str,
        params: Params<'_>,
        map: impl Fn(&Row) -> T,
    ) -> Result<Option<T>> {
        Ok(self
            .query_rows(context, sql, params, map)?
            .into_iter()
            .next())
    }

    /// Run the statements of `f` in one write transaction on one connection, committed
    /// when `f` returns `Ok`, rolled back otherwise. Like the file's `BEGIN IMMEDIATE`, it
    /// first takes the workspace's write lock (a transaction-level advisory lock), so what
    /// `f` checks still holds when it writes, whoever else writes to the database. Inside
    /// [`PgWorkspace::transaction`] it is a savepoint of that transaction, as the file's
    /// `write_tx` is inside an outer one.
    pub(crate) fn write_tx<T>(
        &self,
        context: &str,
        f: impl AsyncFnOnce(&Tx) -> Result<T>,
    ) -> Result<T> {
        let nested = self.pinned.is_some();
        let (begin, commit, rollback) = if nested {
            (
                "SAVEPOINT baton_write",
                "RELEASE SAVEPOINT baton_write",
                "ROLLBACK TO SAVEPOINT baton_write; RELEASE SAVEPOINT baton_write",
            )
        } else {
            ("BEGIN", "COMMIT", "ROLLBACK")
        };
        self.run(async {
            let mut open = Unfinished {
                conn: Some(self.conn().await?),
            };
            let (result, ended) = {
                let client: &Tx = open.conn.as_deref().expect("just set");
                client
                    .batch_execute(begin)
                    .await
                    .map_err(|e| pg_err(context, e))?;
                if !nested {
                    client
                        .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                        .await
                        .map_err(|e| pg_err(context, e))?;
                }
                match f(client).await {
                    Ok(value) => match client.batch_execute(commit).await {
                        Ok(()) => (Ok(value), true),
                        Err(e) => (Err(pg_err(context, e)), false),
                    },
                    Err(e) => (Err(e), client.batch_execute(rollback).await.is_ok()),
                }
            };
            if ended {
                // Out of the transaction: a pooled connection goes back to the pool.
                open.conn = None;
            }
            result
        })
    }

    /// Run `f` in one write transaction: every call `f` makes on the view it gets runs
    /// on the same connection, inside that transaction (each `write_tx` a savepoint), so
    /// several store calls commit together or not at all, under the write lock. The
    /// service's use cases run their checks, writes and change-log entry this way, as
    /// they do in one `BEGIN IMMEDIATE` on a file.
    pub fn transaction<T>(
        &self,
        what: &str,
        f: impl FnOnce(&PgWorkspace) -> Result<T>,
    ) -> Result<T> {
        if let Some(client) = &self.pinned {
            let savepoint = |sql: &'static str| {
                self.run(async { client.batch_execute(sql).await.map_err(|e| pg_err(what, e)) })
            };
            savepoint("SAVEPOINT baton_tx")?;
            let out = f(self);
            savepoint(if out.is_ok() {
                "RELEASE SAVEPOINT baton_tx"
            } else {
                "ROLLBACK TO SAVEPOINT baton_tx; RELEASE SAVEPOINT baton_tx"
            })?;
            return out;
        }
        let client = self.run(async {
            let client = self
                .pool()
                .get()
                .await
                .map_err(|e| pool_err(self.shown(), e))?;
            client
                .batch_execute("BEGIN")
                .await
                .map_err(|e| pg_err(what, e))?;
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await
                .map_err(|e| pg_err(what, e))?;
            Ok(client)
        })?;
        let mut view = PgWorkspace {
            rt: self.rt.clone(),
            pool: self.pool.clone(),
            target: self.target.clone(),
            tls: self.tls.clone(),
            pinned: Some(client),
        };
        // A panic in `f` drops the view, and with it the connection (see `Drop`).
        let out = f(&view);
        let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = view.run(async {
            let client = view.pinned.as_ref().expect("pinned above");
            client.batch_execute(end).await.map_err(|e| pg_err(what, e))
        });
        if ended.is_ok() {
            // Back to the pool, out of any transaction.
            drop(view.pinned.take());
        }
        let value = out?;
        ended?;
        Ok(value)
    }
}

impl Drop for PgWorkspace {
    fn drop(&mut self) {
        // A transaction's connection still pinned here did not end cleanly: drop it
        // instead of returning it to the pool with the transaction open.
        if let Some(o) = self.pinned.take() {
            drop(Object::take(o));
        }
    }
}
