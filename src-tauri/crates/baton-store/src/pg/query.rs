//! Running one statement on a pooled connection from the store's synchronous methods.
use super::{pg_err, pool_err, PgWorkspace};
use baton_core::Result;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

/// The advisory lock every write transaction takes ("BATN" and 1).
const WRITE_LOCK: i64 = 0x4241_544E_0001;

/// Parameters as tokio-postgres takes them.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl PgWorkspace {
    /// Every row of `sql`, mapped; errors name `context`.
    pub(crate) fn query_rows<T>(
        &self,
        context: &str,
        sql: &str,
        params: Params<'_>,
        map: impl Fn(&Row) -> T,
    ) -> Result<Vec<T>> {
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
    /// `f` checks still holds when it writes, whoever else writes to the database.
    pub(crate) fn write_tx<T>(
        &self,
        context: &str,
        f: impl AsyncFnOnce(&deadpool_postgres::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(async {
            let mut client = self
                .pool()
                .get()
                .await
                .map_err(|e| pool_err(self.shown(), e))?;
            let tx = client.transaction().await.map_err(|e| pg_err(context, e))?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await
                .map_err(|e| pg_err(context, e))?;
            let value = f(&tx).await?;
            tx.commit().await.map_err(|e| pg_err(context, e))?;
            Ok(value)
        })
    }
}
