//! Which team workspace this is, beyond its address: what a client keeps about a team
//! workspace (its metrics dataset, cached on the client) must never be taken for another
//! database reached at the same address (dropped and created again, a cluster set up
//! anew, `baton workspace copy` of another file into it).
//!
//! The identity is two things together:
//! - a random id (`gen_random_uuid()`) in `baton_schema.workspace_id`, written when the
//!   workspace's schema is created, on the first open of a workspace created before it
//!   existed, and anew by `workspace copy` on the target. It goes with the workspace's
//!   own tables (dropping them or the database drops it) and needs no privilege beyond
//!   reading them. PostgreSQL's own identity alone would not do: a database's oid is
//!   handed out again by a cluster set up anew (the first database made in a fresh
//!   cluster always gets the same one), and emptying a database and copying another
//!   file into it keeps both its oid and the cluster's system identifier
//!   (`pg_control_system()`, which PostgreSQL 15 lets any role read, but which managed
//!   services may not offer).
//! - the database's oid, so a dump of the workspace restored into a new database at the
//!   same address (its `baton_schema` row, random id included, comes along) is not
//!   taken for the database it was dumped from either.
//!
//! `baton_schema` is Baton's own bookkeeping (left out of the schema both backends
//! share and of the copy), so the column needs no schema version: a Baton without it
//! reads only `application_id` and `version`.

use super::{pg_err, pool_err, PgWorkspace};
use baton_core::Result;
use deadpool_postgres::Pool;

/// Give the workspace a random id when it has none yet (created before ids existed),
/// under the migration lock so two Batons opening it at once agree on one. A role
/// that may not alter `baton_schema` leaves it without one: nothing is kept for it on
/// the client then, which only costs a full load.
pub(crate) async fn ensure(pool: &Pool, shown: &str) -> Result<()> {
    let mut client = pool.get().await.map_err(|e| pool_err(shown, e))?;
    // Read through the row as JSON: NULL when the column is not there yet (a fresh
    // workspace), where naming it would fail and leave an ERROR in the server's log.
    let row = client
        .query_one(
            "SELECT to_jsonb(s) ->> 'workspace_id' FROM baton_schema s",
            &[],
        )
        .await
        .map_err(|e| pg_err(&format!("reading the identity of {shown}"), e))?;
    if row.get::<_, Option<String>>(0).is_some() {
        return Ok(());
    }
    let given: std::result::Result<(), tokio_postgres::Error> = async {
        let tx = client.transaction().await?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&(crate::APPLICATION_ID as i64)],
        )
        .await?;
        tx.batch_execute(
            "ALTER TABLE baton_schema ADD COLUMN IF NOT EXISTS workspace_id TEXT;
             UPDATE baton_schema SET workspace_id = gen_random_uuid()::text
             WHERE workspace_id IS NULL",
        )
        .await?;
        tx.commit().await
    }
    .await;
    // Not allowed (another owner): no identity, so nothing is kept on the client.
    let _ = given;
    Ok(())
}

/// Give the workspace a new random id (the target of `workspace copy`, inside its
/// transaction): from now on it is another workspace than whatever was here before.
pub(crate) async fn renew(tx: &impl tokio_postgres::GenericClient, shown: &str) -> Result<()> {
    tx.batch_execute(
        "ALTER TABLE baton_schema ADD COLUMN IF NOT EXISTS workspace_id TEXT;
         UPDATE baton_schema SET workspace_id = gen_random_uuid()::text",
    )
    .await
    .map_err(|e| pg_err(&format!("giving {shown} a new identity"), e))
}

impl PgWorkspace {
    /// What tells this workspace from any other ever reached at its address (see the
    /// module doc): its random id and its database's oid; `None` when it has no id
    /// (a role that could not give it one).
    pub fn identity(&self) -> Result<Option<String>> {
        self.run(async {
            let client = self.conn().await?;
            // As in `ensure`: no column (a role that could not add it) reads as NULL.
            let row = client
                .query_one(
                    "SELECT to_jsonb(s) ->> 'workspace_id', d.oid::bigint FROM baton_schema s
                     JOIN pg_database d ON d.datname = current_database()",
                    &[],
                )
                .await
                .map_err(|e| pg_err(&format!("reading the identity of {}", self.shown()), e))?;
            Ok(row
                .get::<_, Option<String>>(0)
                .map(|id| format!("{id} {}", row.get::<_, i64>(1))))
        })
    }
}
