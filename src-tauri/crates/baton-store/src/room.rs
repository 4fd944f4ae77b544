//! The room: its token, step and lock, its participants (a person reached by the
//! SHA-256 of a secret; the secret itself is never stored) and the log of client action
//! ids that makes every participant action idempotent.

use crate::workshop::{team_of, wall_clock_now};
use crate::{DbContext, Workspace};
use baton_core::room::{RoomMember, RoomRecord, RoomStep};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// The room of a workspace.
pub trait RoomStore {
    /// The room, if one was ever opened in this workspace.
    fn room(&self) -> Result<Option<RoomRecord>>;

    /// Open the room. The first time it is created with `new_token`; afterwards the
    /// stored token is kept (a restarted host keeps its URL). `session_id` replaces the
    /// room's session when given.
    fn open_room(&self, new_token: &str, session_id: Option<i64>) -> Result<RoomRecord>;

    /// Close the room (its token and participants are kept for the next open).
    fn close_room(&self) -> Result<()>;

    fn set_room_locked(&self, locked: bool) -> Result<()>;

    fn set_room_step(&self, step: &RoomStep) -> Result<()>;

    fn set_room_anonymous_parking(&self, allowed: bool) -> Result<()>;

    /// Add a participant for `person_id` reached by `secret_hash`; returns its id.
    fn add_room_participant(&self, person_id: i64, secret_hash: &str) -> Result<i64>;

    /// The participant whose secret hashes to `secret_hash`.
    fn room_participant_by_hash(&self, secret_hash: &str) -> Result<Option<RoomMember>>;

    /// Every participant, removed ones too, in join order.
    fn room_participants(&self) -> Result<Vec<RoomMember>>;

    /// Participants not removed.
    fn room_participant_count(&self) -> Result<u32>;

    /// Remove a participant: their secret stops working.
    fn remove_room_participant(&self, id: i64) -> Result<()>;

    /// Add a person to a session's participants (no-op when already in).
    fn add_session_participant(&self, session_id: i64, person_id: i64) -> Result<()>;

    /// The reply stored for a participant's action id, if that action already ran.
    fn room_action_reply(&self, participant_id: i64, action_id: &str) -> Result<Option<String>>;

    /// Remember the reply of a participant's action id.
    fn record_room_action(&self, participant_id: i64, action_id: &str, reply: &str) -> Result<()>;
}

/// The room as stored: (token, session), the flags (open, locked, anonymous parking) and
/// its step (JSON).
pub(crate) fn room_record_of(
    (token, session_id): (String, Option<i64>),
    (open, locked, anonymous_parking): (bool, bool, bool),
    step: &str,
) -> Result<RoomRecord> {
    Ok(RoomRecord {
        token,
        session_id,
        open,
        locked,
        step: serde_json::from_str(step)
            .map_err(|e| BatonError::internal(format!("the room's step is damaged: {e}")))?,
        anonymous_parking,
    })
}

/// A step as the room stores it (JSON).
pub(crate) fn step_json(step: &RoomStep) -> Result<String> {
    serde_json::to_string(step).map_err(|e| BatonError::internal(format!("encoding the step: {e}")))
}

/// A participant id the room does not have.
pub(crate) fn not_in_room(id: i64) -> BatonError {
    BatonError::not_found(format!("participant {id} is not in the room"))
}

const MEMBER_SQL: &str = "SELECT rp.id, rp.person_id, p.name, p.team, rp.removed
     FROM room_participants rp JOIN people p ON p.id = rp.person_id";

fn member(r: &rusqlite::Row<'_>) -> rusqlite::Result<RoomMember> {
    Ok(RoomMember {
        id: r.get(0)?,
        person_id: r.get(1)?,
        name: r.get(2)?,
        team: team_of(&r.get::<_, String>(3)?),
        removed: r.get(4)?,
    })
}

impl RoomStore for Workspace {
    fn room(&self) -> Result<Option<RoomRecord>> {
        let row: Option<(String, Option<i64>, bool, bool, String, bool)> = self
            .conn
            .query_row(
                "SELECT token, session_id, open, locked, step, anonymous_parking FROM room WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .ctx("reading the room")?;
        row.map(
            |(token, session_id, open, locked, step, anonymous_parking)| {
                room_record_of(
                    (token, session_id),
                    (open, locked, anonymous_parking),
                    &step,
                )
            },
        )
        .transpose()
    }

    fn open_room(&self, new_token: &str, session_id: Option<i64>) -> Result<RoomRecord> {
        self.write_tx("opening the room", |ws| {
            ws.conn
                .execute(
                    "INSERT INTO room(id, token) VALUES (1, ?1) ON CONFLICT(id) DO NOTHING",
                    [new_token],
                )
                .ctx("opening the room")?;
            if let Some(id) = session_id {
                ws.conn
                    .execute("UPDATE room SET session_id = ?1 WHERE id = 1", [id])
                    .ctx("opening the room")?;
            }
            ws.conn
                .execute("UPDATE room SET open = 1 WHERE id = 1", [])
                .ctx("opening the room")?;
            ws.room()?
                .ok_or_else(|| BatonError::internal("the room was not saved"))
        })
    }

    fn close_room(&self) -> Result<()> {
        self.conn
            .execute("UPDATE room SET open = 0 WHERE id = 1", [])
            .ctx("closing the room")?;
        Ok(())
    }

    fn set_room_locked(&self, locked: bool) -> Result<()> {
        one_room(
            self.conn
                .execute("UPDATE room SET locked = ?1 WHERE id = 1", [locked])
                .ctx("locking the room")?,
        )
    }

    fn set_room_step(&self, step: &RoomStep) -> Result<()> {
        let json = step_json(step)?;
        one_room(
            self.conn
                .execute("UPDATE room SET step = ?1 WHERE id = 1", [json])
                .ctx("changing the room's step")?,
        )
    }

    fn set_room_anonymous_parking(&self, allowed: bool) -> Result<()> {
        one_room(
            self.conn
                .execute(
                    "UPDATE room SET anonymous_parking = ?1 WHERE id = 1",
                    [allowed],
                )
                .ctx("changing the parking lot setting")?,
        )
    }

    fn add_room_participant(&self, person_id: i64, secret_hash: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO room_participants(person_id, secret_hash, joined_at) VALUES (?1, ?2, ?3)",
                params![person_id, secret_hash, wall_clock_now()],
            )
            .ctx("joining the room")?;
        Ok(self.conn.last_insert_rowid())
    }

    fn room_participant_by_hash(&self, secret_hash: &str) -> Result<Option<RoomMember>> {
        self.conn
            .query_row(
                &format!("{MEMBER_SQL} WHERE rp.secret_hash = ?1"),
                [secret_hash],
                member,
            )
            .optional()
            .ctx("reading the participant")
    }

    fn room_participants(&self) -> Result<Vec<RoomMember>> {
        self.query_list(
            "reading the room's participants",
            &format!("{MEMBER_SQL} ORDER BY rp.id"),
            [],
            member,
        )
    }

    fn room_participant_count(&self) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT count(*) FROM room_participants WHERE removed = 0",
                [],
                |r| r.get(0),
            )
            .ctx("counting the room's participants")
    }

    fn remove_room_participant(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE room_participants SET removed = 1 WHERE id = ?1",
                [id],
            )
            .ctx("removing the participant")?;
        if n == 0 {
            return Err(not_in_room(id));
        }
        Ok(())
    }

    fn add_session_participant(&self, session_id: i64, person_id: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO session_participants(session_id, person_id) VALUES (?1, ?2)",
                params![session_id, person_id],
            )
            .ctx("adding the participant to the session")?;
        Ok(())
    }

    fn room_action_reply(&self, participant_id: i64, action_id: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT reply FROM room_actions WHERE participant_id = ?1 AND action_id = ?2",
                params![participant_id, action_id],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading the action log")
    }

    fn record_room_action(&self, participant_id: i64, action_id: &str, reply: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO room_actions(participant_id, action_id, reply) VALUES (?1, ?2, ?3)",
                params![participant_id, action_id, reply],
            )
            .ctx("recording the action")?;
        Ok(())
    }
}

pub(crate) fn one_room(changed: usize) -> Result<()> {
    if changed == 0 {
        return Err(BatonError::not_found("no room has been opened yet"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use baton_core::workshop::Team;

    #[test]
    fn the_room_keeps_its_token_and_only_secret_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.baton");
        let ws = Workspace::create(&path).unwrap();
        assert!(ws.room().unwrap().is_none());
        assert!(ws.set_room_locked(true).is_err());
        let r = ws.open_room("tok-1", None).unwrap();
        assert_eq!((r.token.as_str(), r.open), ("tok-1", true));
        ws.close_room().unwrap();
        // Reopening keeps the first token.
        assert_eq!(ws.open_room("tok-2", None).unwrap().token, "tok-1");
        let ana = ws.add_person("Ana", Team::Sales, "").unwrap();
        let id = ws.add_room_participant(ana.id, "hash-a").unwrap();
        ws.set_room_step(&RoomStep::Vote { vote_id: 4 }).unwrap();
        drop(ws);

        let ws = Workspace::open(&path).unwrap();
        assert_eq!(
            ws.room().unwrap().unwrap().step,
            RoomStep::Vote { vote_id: 4 }
        );
        let m = ws.room_participant_by_hash("hash-a").unwrap().unwrap();
        assert_eq!((m.id, m.name.as_str(), m.removed), (id, "Ana", false));
        assert!(ws.room_participant_by_hash("other").unwrap().is_none());
        // A second participant cannot reuse the hash.
        assert!(ws.add_room_participant(ana.id, "hash-a").is_err());
        ws.remove_room_participant(id).unwrap();
        assert!(
            ws.room_participant_by_hash("hash-a")
                .unwrap()
                .unwrap()
                .removed
        );
        assert_eq!(ws.room_participant_count().unwrap(), 0);

        assert!(ws.room_action_reply(id, "a1").unwrap().is_none());
        ws.record_room_action(id, "a1", "{\"ok\":true}").unwrap();
        assert_eq!(
            ws.room_action_reply(id, "a1").unwrap().unwrap(),
            "{\"ok\":true}"
        );
        assert!(ws.record_room_action(id, "a1", "{}").is_err());
    }
}
