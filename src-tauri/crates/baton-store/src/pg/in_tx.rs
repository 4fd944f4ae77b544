//! What the workshop areas (action items, dot votes, campaigns, timer, room) check inside
//! their write transaction on PostgreSQL: that a referenced row exists (worded as the
//! file's stores word it).
use super::query::Params;
use super::{pg_err, PgWorkspace};
use crate::workshop::from_json;
use baton_core::workshop::AgendaBlock;
use baton_core::{BatonError, Result};
use tokio_postgres::GenericClient;

/// The name of person `id`; not found as `PeopleStore::person` words it.
pub(super) async fn person_name(client: &impl GenericClient, id: i64) -> Result<String> {
    client
        .query_opt("SELECT name FROM people WHERE id = $1", &[&id])
        .await
        .map_err(|e| pg_err("reading person", e))?
        .map(|r| r.get(0))
        .ok_or_else(|| BatonError::not_found(format!("person {id} does not exist")))
}

/// Session `id`'s title and agenda; not found as `SessionStore::session` words it.
pub(super) async fn session_agenda(
    client: &impl GenericClient,
    id: i64,
) -> Result<(String, Vec<AgendaBlock>)> {
    let row = client
        .query_opt("SELECT title, agenda FROM sessions WHERE id = $1", &[&id])
        .await
        .map_err(|e| pg_err("reading session", e))?
        .ok_or_else(|| BatonError::not_found(format!("session {id} does not exist")))?;
    Ok((row.get(0), from_json(row.get(1), "session agenda")?))
}

/// Fail unless persona `id` exists, as `PersonaStore::persona` words it.
pub(super) async fn require_persona(client: &impl GenericClient, id: i64) -> Result<()> {
    client
        .query_opt("SELECT 1 FROM personas WHERE id = $1", &[&id])
        .await
        .map_err(|e| pg_err("reading persona", e))?
        .map(|_| ())
        .ok_or_else(|| BatonError::not_found(format!("persona {id} does not exist")))
}

impl PgWorkspace {
    /// Run one statement in a write transaction; the number of rows it changed.
    pub(super) fn write_stmt(&self, context: &str, sql: &str, params: Params<'_>) -> Result<u64> {
        self.write_tx(context, async |tx| {
            tx.execute(sql, params)
                .await
                .map_err(|e| pg_err(context, e))
        })
    }
}
