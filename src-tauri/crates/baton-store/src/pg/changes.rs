//! [`ChangeLog`] on PostgreSQL. Sequence numbers come from the identity of `change_log`;
//! a change is logged under the workspace write lock (`write_tx`), so sequence order is
//! commit order and a reader that remembers the last seq it saw misses nothing.
use super::{pg_err, PgWorkspace};
use crate::changes::KEPT;
use crate::prelude::ChangeLog;
use crate::LoggedChange;
use baton_core::{BatonError, Result};

impl ChangeLog for PgWorkspace {
    fn log_change(&self, area: &str, item_id: Option<i64>, origin: &str) -> Result<i64> {
        self.write_tx("logging a change", async |tx| {
            let seq: i64 = tx
                .query_one(
                    "INSERT INTO change_log(area, item_id, origin) VALUES ($1, $2, $3) RETURNING seq",
                    &[&area, &item_id, &origin],
                )
                .await
                .map_err(|e| pg_err("logging a change", e))?
                .get(0);
            tx.execute("DELETE FROM change_log WHERE seq <= $1", &[&(seq - KEPT)])
                .await
                .map_err(|e| pg_err("pruning the change log", e))?;
            // Delivered to every listener when (and only if) the transaction commits.
            tx.execute("SELECT pg_notify($1, $2)", &[&super::listen::CHANNEL, &seq.to_string()])
                .await
                .map_err(|e| pg_err("announcing a change", e))?;
            Ok(seq)
        })
    }

    fn last_change(&self) -> Result<i64> {
        self.query_opt_row(
            "reading the change log",
            "SELECT coalesce(max(seq), 0)::bigint FROM change_log",
            &[],
            |r| r.get::<_, i64>(0),
        )?
        .ok_or_else(|| BatonError::internal("reading the change log: no row"))
    }

    fn changes_since(&self, seq: i64) -> Result<Vec<LoggedChange>> {
        self.query_rows(
            "reading the change log",
            "SELECT seq, area, item_id, origin FROM change_log WHERE seq > $1 ORDER BY seq LIMIT 500",
            &[&seq],
            |r| LoggedChange {
                seq: r.get(0),
                area: r.get(1),
                item_id: r.get(2),
                origin: r.get(3),
            },
        )
    }
}
