//! Workshop sessions with their agenda, participants, decisions and parking lot.

use super::{changed_one, from_json, to_json, wall_clock_now};
use crate::{DbContext, Workspace};
use baton_core::workshop::{check_date, format_date, Decision, ParkingItem, Session, SessionInput};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

impl Workspace {
    pub fn create_session(&self, input: &SessionInput) -> Result<Session> {
        input.validate()?;
        let date = check_date("session date", &input.date)?;
        let id = self.write_tx("creating session", |ws| {
            let tx = &ws.conn;
            tx.execute(
                "INSERT INTO sessions(title, date, agenda) VALUES (?1, ?2, ?3)",
                params![input.title.trim(), date, to_json(&input.agenda)?],
            )
            .ctx("creating session")?;
            let id = tx.last_insert_rowid();
            for p in &input.participant_ids {
                tx.execute(
                "INSERT OR IGNORE INTO session_participants(session_id, person_id) VALUES (?1, ?2)",
                params![id, p],
            )
            .map_err(|_| BatonError::invalid(format!("participant {p} is not a known person")))?;
            }
            Ok(id)
        })?;
        self.session(id)
    }

    pub fn update_session(&self, id: i64, input: &SessionInput) -> Result<Session> {
        input.validate()?;
        let date = check_date("session date", &input.date)?;
        self.write_tx("updating session", |ws| {
            let tx = &ws.conn;
            let n = tx
                .execute(
                    "UPDATE sessions SET title = ?2, date = ?3, agenda = ?4 WHERE id = ?1",
                    params![id, input.title.trim(), date, to_json(&input.agenda)?],
                )
                .ctx("updating session")?;
            changed_one(n, &format!("session {id}"))?;
            tx.execute(
                "DELETE FROM session_participants WHERE session_id = ?1",
                [id],
            )
            .ctx("updating session")?;
            for p in &input.participant_ids {
                tx.execute(
                "INSERT OR IGNORE INTO session_participants(session_id, person_id) VALUES (?1, ?2)",
                params![id, p],
            )
            .map_err(|_| BatonError::invalid(format!("participant {p} is not a known person")))?;
            }
            ws.session(id)
        })
    }

    pub fn session(&self, id: i64) -> Result<Session> {
        let (title, date, agenda): (String, i64, String) = self
            .conn
            .query_row(
                "SELECT title, date, agenda FROM sessions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .ctx("reading session")?
            .ok_or_else(|| BatonError::not_found(format!("session {id} does not exist")))?;
        let ids = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = self.conn.prepare(sql).ctx("reading session")?;
            let rows = stmt.query_map([id], |r| r.get(0)).ctx("reading session")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading session")
        };
        let participant_ids = ids(
            "SELECT person_id FROM session_participants WHERE session_id = ?1 ORDER BY person_id",
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, text, decided_at FROM decisions WHERE session_id = ?1 ORDER BY id")
            .ctx("reading decisions")?;
        let decisions = stmt
            .query_map([id], |r| {
                Ok(Decision {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    decided_at: r.get(2)?,
                })
            })
            .ctx("reading decisions")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading decisions")?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, text, resolved FROM parking_lot WHERE session_id = ?1 ORDER BY id")
            .ctx("reading parking lot")?;
        let parking_lot = stmt
            .query_map([id], |r| {
                Ok(ParkingItem {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    resolved: r.get(2)?,
                })
            })
            .ctx("reading parking lot")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading parking lot")?;
        Ok(Session {
            id,
            title,
            date: format_date(date),
            participant_ids,
            agenda: from_json(&agenda, "session agenda")?,
            decisions,
            parking_lot,
        })
    }

    /// All sessions, newest first.
    pub fn sessions(&self) -> Result<Vec<Session>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM sessions ORDER BY date DESC, id DESC")
                .ctx("reading sessions")?;
            let rows = stmt.query_map([], |r| r.get(0)).ctx("reading sessions")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading sessions")?
        };
        ids.into_iter().map(|id| self.session(id)).collect()
    }

    pub fn delete_session(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM sessions WHERE id = ?1", [id])
            .ctx("deleting session")?;
        changed_one(n, &format!("session {id}"))?;
        Ok(())
    }

    pub fn log_decision(&self, session_id: i64, text: &str) -> Result<Session> {
        if text.trim().is_empty() {
            return Err(BatonError::invalid("the decision is empty"));
        }
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO decisions(session_id, text, decided_at) VALUES (?1, ?2, ?3)",
                params![session_id, text.trim(), wall_clock_now()],
            )
            .ctx("logging decision")?;
        self.session(session_id)
    }

    pub fn park_topic(&self, session_id: i64, text: &str) -> Result<Session> {
        if text.trim().is_empty() {
            return Err(BatonError::invalid("the parking-lot topic is empty"));
        }
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO parking_lot(session_id, text) VALUES (?1, ?2)",
                params![session_id, text.trim()],
            )
            .ctx("parking topic")?;
        self.session(session_id)
    }

    pub fn resolve_parked(&self, item_id: i64, resolved: bool) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE parking_lot SET resolved = ?2 WHERE id = ?1",
                params![item_id, resolved],
            )
            .ctx("updating parking lot")?;
        changed_one(n, &format!("parking-lot item {item_id}"))?;
        Ok(())
    }
}
