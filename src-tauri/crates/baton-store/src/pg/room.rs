//! [`RoomStore`] on PostgreSQL: the one `room` row (id 1), its participants (a person
//! reached by the SHA-256 of a secret, `secret_hash UNIQUE`; the secret is never stored)
//! and the action log (`PRIMARY KEY (participant_id, action_id)`: an action id recorded
//! twice is refused, so a replay is answered from the log, never run again).
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::prelude::RoomStore;
use crate::room::{not_in_room, one_room, room_record_of, step_json};
use crate::workshop::{team_of, wall_clock_now};
use baton_core::room::{RoomMember, RoomRecord, RoomStep};
use baton_core::{BatonError, Result};
use tokio_postgres::Row;

const MEMBER_SQL: &str = "SELECT rp.id, rp.person_id, p.name, p.team, rp.removed
     FROM room_participants rp JOIN people p ON p.id = rp.person_id";

fn member(r: &Row) -> RoomMember {
    RoomMember {
        id: r.get(0),
        person_id: r.get(1),
        name: r.get(2),
        team: team_of(r.get(3)),
        removed: r.get::<_, i64>(4) != 0,
    }
}

fn room_row(r: &Row) -> Result<RoomRecord> {
    let flag = |i: usize| r.get::<_, i64>(i) != 0;
    room_record_of((r.get(0), r.get(1)), (flag(2), flag(3), flag(5)), r.get(4))
}

const ROOM_SQL: &str =
    "SELECT token, session_id, open, locked, step, anonymous_parking FROM room WHERE id = 1";

impl RoomStore for PgWorkspace {
    fn room(&self) -> Result<Option<RoomRecord>> {
        self.query_opt_row("reading the room", ROOM_SQL, &[], room_row)?
            .transpose()
    }

    fn open_room(&self, new_token: &str, session_id: Option<i64>) -> Result<RoomRecord> {
        refuse_nul("the room's token", new_token)?;
        self.write_tx("opening the room", async |tx| {
            let ctx = |e| pg_err("opening the room", e);
            tx.execute(
                "INSERT INTO room(id, token) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
                &[&new_token],
            )
            .await
            .map_err(ctx)?;
            if let Some(id) = session_id {
                tx.execute("UPDATE room SET session_id = $1 WHERE id = 1", &[&id])
                    .await
                    .map_err(ctx)?;
            }
            tx.execute("UPDATE room SET open = 1 WHERE id = 1", &[])
                .await
                .map_err(ctx)?;
            let row = tx.query_opt(ROOM_SQL, &[]).await.map_err(ctx)?;
            row.map(|r| room_row(&r))
                .transpose()?
                .ok_or_else(|| BatonError::internal("the room was not saved"))
        })
    }

    fn close_room(&self) -> Result<()> {
        self.write_stmt(
            "closing the room",
            "UPDATE room SET open = 0 WHERE id = 1",
            &[],
        )?;
        Ok(())
    }

    fn set_room_locked(&self, locked: bool) -> Result<()> {
        one_room(self.write_stmt(
            "locking the room",
            "UPDATE room SET locked = $1 WHERE id = 1",
            &[&i64::from(locked)],
        )? as usize)
    }

    fn set_room_step(&self, step: &RoomStep) -> Result<()> {
        let json = step_json(step)?;
        one_room(self.write_stmt(
            "changing the room's step",
            "UPDATE room SET step = $1 WHERE id = 1",
            &[&json],
        )? as usize)
    }

    fn set_room_anonymous_parking(&self, allowed: bool) -> Result<()> {
        one_room(self.write_stmt(
            "changing the parking lot setting",
            "UPDATE room SET anonymous_parking = $1 WHERE id = 1",
            &[&i64::from(allowed)],
        )? as usize)
    }

    fn add_room_participant(&self, person_id: i64, secret_hash: &str) -> Result<i64> {
        refuse_nul("the participant's secret hash", secret_hash)?;
        self.write_tx("joining the room", async |tx| {
            let row = tx
                .query_one(
                    "INSERT INTO room_participants(person_id, secret_hash, joined_at)
                     VALUES ($1, $2, $3) RETURNING id",
                    &[&person_id, &secret_hash, &wall_clock_now()],
                )
                .await
                .map_err(|e| pg_err("joining the room", e))?;
            Ok(row.get::<_, i64>(0))
        })
    }

    fn room_participant_by_hash(&self, secret_hash: &str) -> Result<Option<RoomMember>> {
        if secret_hash.contains('\0') {
            return Ok(None); // no stored hash holds one
        }
        self.query_opt_row(
            "reading the participant",
            &format!("{MEMBER_SQL} WHERE rp.secret_hash = $1"),
            &[&secret_hash],
            member,
        )
    }

    fn room_participants(&self) -> Result<Vec<RoomMember>> {
        self.query_rows(
            "reading the room's participants",
            &format!("{MEMBER_SQL} ORDER BY rp.id"),
            &[],
            member,
        )
    }

    fn room_participant_count(&self) -> Result<u32> {
        self.query_opt_row(
            "counting the room's participants",
            "SELECT count(*) FROM room_participants WHERE removed = 0",
            &[],
            |r| r.get::<_, i64>(0) as u32,
        )
        .map(|n| n.unwrap_or(0))
    }

    fn remove_room_participant(&self, id: i64) -> Result<()> {
        let n = self.write_stmt(
            "removing the participant",
            "UPDATE room_participants SET removed = 1 WHERE id = $1",
            &[&id],
        )?;
        if n == 0 {
            return Err(not_in_room(id));
        }
        Ok(())
    }

    fn add_session_participant(&self, session_id: i64, person_id: i64) -> Result<()> {
        self.write_stmt(
            "adding the participant to the session",
            "INSERT INTO session_participants(session_id, person_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&session_id, &person_id],
        )?;
        Ok(())
    }

    fn room_action_reply(&self, participant_id: i64, action_id: &str) -> Result<Option<String>> {
        if action_id.contains('\0') {
            return Ok(None); // never recorded: recording refuses it
        }
        self.query_opt_row(
            "reading the action log",
            "SELECT reply FROM room_actions WHERE participant_id = $1 AND action_id = $2",
            &[&participant_id, &action_id],
            |r| r.get(0),
        )
    }

    fn record_room_action(&self, participant_id: i64, action_id: &str, reply: &str) -> Result<()> {
        refuse_nul("the action id", action_id)?;
        refuse_nul("the action's reply", reply)?;
        self.write_stmt(
            "recording the action",
            "INSERT INTO room_actions(participant_id, action_id, reply) VALUES ($1, $2, $3)",
            &[&participant_id, &action_id, &reply],
        )?;
        Ok(())
    }
}
