//! The change log: one row per committed write made through the application layer,
//! read by other processes on the same workspace to know what to refresh.
use crate::{DbContext, Workspace};
use baton_core::Result;
use rusqlite::params;

/// Rows kept; older ones are pruned on write (a reader that fell further behind
/// refreshes everything).
pub(crate) const KEPT: i64 = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct LoggedChange {
    pub seq: i64,
    pub area: String,
    pub item_id: Option<i64>,
    /// Which process wrote it (so a process skips its own).
    pub origin: String,
}

/// The change log other processes read to know what to refresh.
pub trait ChangeLog {
    /// Log a committed change; returns its sequence number.
    fn log_change(&self, area: &str, item_id: Option<i64>, origin: &str) -> Result<i64>;

    /// The latest change's sequence number (0 when none).
    fn last_change(&self) -> Result<i64>;

    /// Changes after `seq`, oldest first (at most 500 per call).
    fn changes_since(&self, seq: i64) -> Result<Vec<LoggedChange>>;
}

impl ChangeLog for Workspace {
    fn log_change(&self, area: &str, item_id: Option<i64>, origin: &str) -> Result<i64> {
        self.write_tx("logging a change", |ws| {
            ws.conn
                .execute(
                    "INSERT INTO change_log(area, item_id, origin) VALUES (?1, ?2, ?3)",
                    params![area, item_id, origin],
                )
                .ctx("logging a change")?;
            let seq = ws.conn.last_insert_rowid();
            ws.conn
                .execute("DELETE FROM change_log WHERE seq <= ?1", [seq - KEPT])
                .ctx("pruning the change log")?;
            Ok(seq)
        })
    }

    fn last_change(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| {
                r.get(0)
            })
            .ctx("reading the change log")
    }

    fn changes_since(&self, seq: i64) -> Result<Vec<LoggedChange>> {
        self.query_list(
            "reading the change log",
            "SELECT seq, area, item_id, origin FROM change_log WHERE seq > ?1
             ORDER BY seq LIMIT 500",
            [seq],
            |r| {
                Ok(LoggedChange {
                    seq: r.get(0)?,
                    area: r.get(1)?,
                    item_id: r.get(2)?,
                    origin: r.get(3)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_read_back_in_order_and_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        assert_eq!(ws.last_change().unwrap(), 0);
        let a = ws.log_change("goals", Some(3), "p1").unwrap();
        let b = ws.log_change("timer", None, "p2").unwrap();
        let got = ws.changes_since(a - 1).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].area.as_str(), got[0].item_id, got[0].origin.as_str()),
            ("goals", Some(3), "p1")
        );
        assert_eq!((got[1].seq, got[1].item_id), (b, None));
        for _ in 0..KEPT + 5 {
            ws.log_change("goals", None, "p1").unwrap();
        }
        let last = ws.last_change().unwrap();
        let kept = ws.changes_since(0).unwrap();
        assert_eq!(kept.first().unwrap().seq, last - KEPT + 1);
    }
}
