//! Workshop sessions with their agenda, participants, decisions and parking lot.

use super::{from_json, to_json, wall_clock_now};
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::{DbContext, Workspace};
use baton_core::workshop::{check_date, format_date, Decision, ParkingItem, Session, SessionInput};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// Sessions with their agenda, participants, decisions and parking lot.
pub trait SessionStore {
    fn create_session(&self, input: &SessionInput) -> Result<Session>;

    /// Change a session's title, date, participants and agenda. `seen`: the
    /// [`Session::row_version`] the change is based on; refused with `conflict` (nothing
    /// changed) when someone changed it since.
    fn update_session(&self, id: i64, input: &SessionInput, seen: Option<i64>) -> Result<Session>;

    fn session(&self, id: i64) -> Result<Session>;

    /// All sessions, newest first.
    fn sessions(&self) -> Result<Vec<Session>>;

    /// Delete a session; `seen` as for [`Self::update_session`].
    fn delete_session(&self, id: i64, seen: Option<i64>) -> Result<()>;

    fn log_decision(&self, session_id: i64, text: &str) -> Result<Session>;

    fn park_topic(&self, session_id: i64, text: &str) -> Result<Session>;

    /// Park a topic with its author's name (`None`: anonymous); returns the item's id.
    fn park_topic_by(&self, session_id: i64, text: &str, by: Option<&str>) -> Result<i64>;

    fn resolve_parked(&self, item_id: i64, resolved: bool) -> Result<()> {
        self.resolve_parked_from(item_id, resolved, None)
    }

    /// [`Self::resolve_parked`] based on `seen`, the item's `row_version` on screen:
    /// refused with `conflict` when someone else resolved or reopened it since.
    fn resolve_parked_from(&self, item_id: i64, resolved: bool, seen: Option<i64>) -> Result<()>;

    /// A parked topic: its session and text.
    fn parked_topic(&self, item_id: i64) -> Result<(i64, String)>;
}

impl SessionStore for Workspace {
    fn create_session(&self, input: &SessionInput) -> Result<Session> {
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
            .map_err(|_| unknown_participant(*p))?;
            }
            Ok(id)
        })?;
        self.session(id)
    }

    fn update_session(&self, id: i64, input: &SessionInput, seen: Option<i64>) -> Result<Session> {
        input.validate()?;
        let date = check_date("session date", &input.date)?;
        self.write_tx("updating session", |ws| {
            let old = ws.session(id)?;
            let thing = session_thing(&old);
            let edit = RowEdit {
                table: "sessions",
                id,
                thing: &thing,
                seen,
            };
            ws.check_row_version(&edit, old.row_version, Change::Edit)?;
            ws.bump_row_version(&edit, old.row_version, &session_changes(&old, input, date))?;
            let tx = &ws.conn;
            tx.execute(
                "UPDATE sessions SET title = ?2, date = ?3, agenda = ?4 WHERE id = ?1",
                params![id, input.title.trim(), date, to_json(&input.agenda)?],
            )
            .ctx("updating session")?;
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
            .map_err(|_| unknown_participant(*p))?;
            }
            ws.session(id)
        })
    }

    fn session(&self, id: i64) -> Result<Session> {
        let (title, date, agenda, row_version): (String, i64, String, i64) = self
            .conn
            .query_row(
                "SELECT title, date, agenda, row_version FROM sessions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .ctx("reading session")?
            .ok_or_else(|| BatonError::not_found(format!("session {id} does not exist")))?;
        let ids = |sql: &str| -> Result<Vec<i64>> {
            self.query_list("reading session", sql, [id], |r| r.get(0))
        };
        let participant_ids = ids(
            "SELECT person_id FROM session_participants WHERE session_id = ?1 ORDER BY person_id",
        )?;
        let decisions = self.query_list(
            "reading decisions",
            "SELECT id, text, decided_at FROM decisions WHERE session_id = ?1 ORDER BY id",
            [id],
            |r| {
                Ok(Decision {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    decided_at: r.get(2)?,
                })
            },
        )?;
        let parking_lot = self.query_list(
            "reading parking lot",
            "SELECT id, text, resolved, author, row_version FROM parking_lot
             WHERE session_id = ?1 ORDER BY id",
            [id],
            |r| {
                Ok(ParkingItem {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    resolved: r.get(2)?,
                    by: r.get(3)?,
                    row_version: r.get(4)?,
                })
            },
        )?;
        Ok(Session {
            id,
            title,
            date: format_date(date),
            participant_ids,
            agenda: from_json(&agenda, "session agenda")?,
            decisions,
            parking_lot,
            row_version,
        })
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        let ids: Vec<i64> = {
            self.query_list(
                "reading sessions",
                "SELECT id FROM sessions ORDER BY date DESC, id DESC",
                [],
                |r| r.get(0),
            )?
        };
        ids.into_iter().map(|id| self.session(id)).collect()
    }

    fn delete_session(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting session", |ws| {
            let old = ws.session(id)?;
            let thing = session_thing(&old);
            let edit = RowEdit {
                table: "sessions",
                id,
                thing: &thing,
                seen,
            };
            ws.delete_versioned_row(&edit, old.row_version, "deleting session")?;
            // Its parked topics went with it (cascade): so does what changed in them.
            for p in &old.parking_lot {
                ws.forget_row_edits("parking_lot", p.id)?;
            }
            Ok(())
        })
    }

    fn log_decision(&self, session_id: i64, text: &str) -> Result<Session> {
        check_decision(text)?;
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO decisions(session_id, text, decided_at) VALUES (?1, ?2, ?3)",
                params![session_id, text.trim(), wall_clock_now()],
            )
            .ctx("logging decision")?;
        self.session(session_id)
    }

    fn park_topic(&self, session_id: i64, text: &str) -> Result<Session> {
        self.park_topic_by(session_id, text, None)?;
        self.session(session_id)
    }

    fn park_topic_by(&self, session_id: i64, text: &str, by: Option<&str>) -> Result<i64> {
        check_topic(text)?;
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO parking_lot(session_id, text, author) VALUES (?1, ?2, ?3)",
                params![session_id, text.trim(), by],
            )
            .ctx("parking topic")?;
        Ok(self.conn.last_insert_rowid())
    }

    fn resolve_parked_from(&self, item_id: i64, resolved: bool, seen: Option<i64>) -> Result<()> {
        self.write_tx("updating parking lot", |ws| {
            let (text, was, version): (String, bool, i64) = ws
                .conn
                .query_row(
                    "SELECT text, resolved, row_version FROM parking_lot WHERE id = ?1",
                    [item_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .ctx("reading the parking lot")?
                .ok_or_else(|| no_parked(item_id))?;
            let thing = parked_thing(&text);
            let edit = RowEdit {
                table: "parking_lot",
                id: item_id,
                thing: &thing,
                seen,
            };
            ws.check_row_version(&edit, version, Change::Edit)?;
            ws.conn
                .execute(
                    "UPDATE parking_lot SET resolved = ?2 WHERE id = ?1",
                    params![item_id, resolved],
                )
                .ctx("updating parking lot")?;
            ws.bump_row_version(
                &edit,
                version,
                &changed_fields(&[("status", was != resolved)]),
            )?;
            Ok(())
        })
    }

    fn parked_topic(&self, item_id: i64) -> Result<(i64, String)> {
        self.conn
            .query_row(
                "SELECT session_id, text FROM parking_lot WHERE id = ?1",
                [item_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ctx("reading the parking lot")?
            .ok_or_else(|| BatonError::not_found(format!("parking-lot item {item_id} not found")))
    }
}

/// A parked topic as its conflict message names it.
pub(crate) fn parked_thing(text: &str) -> String {
    format!("Parked topic \"{text}\"")
}

/// A parking-lot item that is not there.
pub(crate) fn no_parked(item_id: i64) -> BatonError {
    BatonError::not_found(format!("parking-lot item {item_id} not found"))
}

/// A decision's text is not empty.
pub(crate) fn check_decision(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(BatonError::invalid("the decision is empty"));
    }
    Ok(())
}

/// A parked topic: not empty, at most 500 characters.
pub(crate) fn check_topic(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(BatonError::invalid("the parking-lot topic is empty"));
    }
    if text.trim().chars().count() > 500 {
        return Err(BatonError::invalid(
            "the parking-lot topic is longer than 500 characters; shorten it",
        ));
    }
    Ok(())
}

/// The error when a session participant is not a known person.
pub(crate) fn unknown_participant(p: i64) -> BatonError {
    BatonError::invalid(format!("participant {p} is not a known person"))
}

/// A session as its conflict message names it.
pub(crate) fn session_thing(s: &Session) -> String {
    format!("Session \"{}\"", s.title)
}

/// What an update of `old` to `input` changes (participants compared as a set).
pub(crate) fn session_changes(old: &Session, input: &SessionInput, date: i64) -> Vec<&'static str> {
    let mut people = input.participant_ids.clone();
    people.sort_unstable();
    people.dedup();
    changed_fields(&[
        ("title", old.title != input.title.trim()),
        ("date", old.date != format_date(date)),
        ("participants", old.participant_ids != people),
        ("agenda", old.agenda != input.agenda),
    ])
}
