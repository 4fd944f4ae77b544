//! [`SessionStore`] on PostgreSQL: sessions newest first (date, then id, as on the
//! file), their participants, decisions and parking lot by id.
use super::agreements::ctx;
use super::row_version::{
    bump_row_version, check_row_version, delete_versioned_row, forget_row_edits,
};
use super::text_check::refuse_nul;
use super::PgWorkspace;
use crate::prelude::SessionStore;
use crate::row_version::changed_fields;
use crate::row_version::{Change, RowEdit};
use crate::workshop::sessions::{
    check_decision, check_topic, session_changes, session_thing, unknown_participant,
};
use crate::workshop::sessions::{no_parked, parked_thing};
use crate::workshop::{from_json, to_json, wall_clock_now};
use baton_core::workshop::{check_date, format_date, Decision, ParkingItem, Session, SessionInput};
use baton_core::{BatonError, Result};
use tokio_postgres::GenericClient;

async fn session_in(c: &impl GenericClient, id: i64) -> Result<Session> {
    let head = c
        .query_opt(
            "SELECT title, date, agenda, row_version FROM sessions WHERE id = $1",
            &[&id],
        )
        .await
        .map_err(ctx("reading session"))?
        .ok_or_else(|| BatonError::not_found(format!("session {id} does not exist")))?;
    let participant_ids = c
        .query(
            "SELECT person_id FROM session_participants WHERE session_id = $1 ORDER BY person_id",
            &[&id],
        )
        .await
        .map_err(ctx("reading session"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let decisions = c
        .query(
            "SELECT id, text, decided_at FROM decisions WHERE session_id = $1 ORDER BY id",
            &[&id],
        )
        .await
        .map_err(ctx("reading decisions"))?
        .iter()
        .map(|r| Decision {
            id: r.get(0),
            text: r.get(1),
            decided_at: r.get(2),
        })
        .collect();
    let parking_lot = c
        .query(
            "SELECT id, text, resolved, author, row_version FROM parking_lot
             WHERE session_id = $1 ORDER BY id",
            &[&id],
        )
        .await
        .map_err(ctx("reading parking lot"))?
        .iter()
        .map(|r| ParkingItem {
            id: r.get(0),
            text: r.get(1),
            resolved: r.get::<_, i64>(2) != 0,
            by: r.get(3),
            row_version: r.get(4),
        })
        .collect();
    Ok(Session {
        id,
        title: head.get(0),
        date: format_date(head.get(1)),
        participant_ids,
        agenda: from_json(head.get(2), "session agenda")?,
        decisions,
        parking_lot,
        row_version: head.get(3),
    })
}

/// The session's title, date (seconds) and agenda (JSON) as stored.
fn checked(input: &SessionInput) -> Result<(&str, i64, String)> {
    input.validate()?;
    let date = check_date("session date", &input.date)?;
    let title = input.title.trim();
    refuse_nul("the session's title", title)?;
    Ok((title, date, to_json(&input.agenda)?))
}

async fn add_participants(c: &impl GenericClient, id: i64, people: &[i64]) -> Result<()> {
    for p in people {
        c.execute(
            "INSERT INTO session_participants(session_id, person_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&id, p],
        )
        .await
        .map_err(|_| unknown_participant(*p))?;
    }
    Ok(())
}

/// Add a parked topic to an existing session, inside the caller's transaction; its id.
async fn park_in(
    c: &impl GenericClient,
    session_id: i64,
    text: &str,
    by: Option<&str>,
) -> Result<i64> {
    session_in(c, session_id).await?;
    Ok(c.query_one(
        "INSERT INTO parking_lot(session_id, text, author) VALUES ($1, $2, $3) RETURNING id",
        &[&session_id, &text.trim(), &by],
    )
    .await
    .map_err(ctx("parking topic"))?
    .get(0))
}

impl SessionStore for PgWorkspace {
    fn create_session(&self, input: &SessionInput) -> Result<Session> {
        let (title, date, agenda) = checked(input)?;
        self.write_tx("creating session", async |tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO sessions(title, date, agenda) VALUES ($1, $2, $3) RETURNING id",
                    &[&title, &date, &agenda],
                )
                .await
                .map_err(ctx("creating session"))?
                .get(0);
            add_participants(&**tx, id, &input.participant_ids).await?;
            session_in(&**tx, id).await
        })
    }

    fn update_session(&self, id: i64, input: &SessionInput, seen: Option<i64>) -> Result<Session> {
        let (title, date, agenda) = checked(input)?;
        self.write_tx("updating session", async |tx| {
            let c = &**tx;
            let old = session_in(c, id).await?;
            let thing = session_thing(&old);
            let edit = RowEdit {
                table: "sessions",
                id,
                thing: &thing,
                seen,
            };
            check_row_version(c, &edit, old.row_version, Change::Edit).await?;
            let fields = session_changes(&old, input, date);
            bump_row_version(c, &edit, old.row_version, &fields).await?;
            tx.execute(
                "UPDATE sessions SET title = $2, date = $3, agenda = $4 WHERE id = $1",
                &[&id, &title, &date, &agenda],
            )
            .await
            .map_err(ctx("updating session"))?;
            tx.execute(
                "DELETE FROM session_participants WHERE session_id = $1",
                &[&id],
            )
            .await
            .map_err(ctx("updating session"))?;
            add_participants(&**tx, id, &input.participant_ids).await?;
            session_in(&**tx, id).await
        })
    }

    fn session(&self, id: i64) -> Result<Session> {
        self.on_conn(async |c| session_in(c, id).await)
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        self.on_conn(async |c| {
            let ids: Vec<i64> = c
                .query("SELECT id FROM sessions ORDER BY date DESC, id DESC", &[])
                .await
                .map_err(ctx("reading sessions"))?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.push(session_in(c, id).await?);
            }
            Ok(out)
        })
    }

    fn delete_session(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting session", async |tx| {
            let c = &**tx;
            let old = session_in(c, id).await?;
            let thing = session_thing(&old);
            let edit = RowEdit {
                table: "sessions",
                id,
                thing: &thing,
                seen,
            };
            delete_versioned_row(c, &edit, old.row_version, "deleting session").await?;
            // Its parked topics went with it (cascade): so does what changed in them.
            for p in &old.parking_lot {
                forget_row_edits(c, "parking_lot", p.id).await?;
            }
            Ok(())
        })
    }

    fn log_decision(&self, session_id: i64, text: &str) -> Result<Session> {
        check_decision(text)?;
        let text = text.trim();
        refuse_nul("the decision", text)?;
        self.write_tx("logging decision", async |tx| {
            session_in(&**tx, session_id).await?;
            tx.execute(
                "INSERT INTO decisions(session_id, text, decided_at) VALUES ($1, $2, $3)",
                &[&session_id, &text, &wall_clock_now()],
            )
            .await
            .map_err(ctx("logging decision"))?;
            session_in(&**tx, session_id).await
        })
    }

    fn park_topic(&self, session_id: i64, text: &str) -> Result<Session> {
        self.park_topic_by(session_id, text, None)?;
        self.session(session_id)
    }

    fn park_topic_by(&self, session_id: i64, text: &str, by: Option<&str>) -> Result<i64> {
        check_topic(text)?;
        refuse_nul("the parking-lot topic", text)?;
        if let Some(by) = by {
            refuse_nul("the topic's author", by)?;
        }
        self.write_tx("parking topic", async |tx| {
            park_in(&**tx, session_id, text, by).await
        })
    }

    fn resolve_parked_from(&self, item_id: i64, resolved: bool, seen: Option<i64>) -> Result<()> {
        self.write_tx("updating parking lot", async |tx| {
            let row = tx
                .query_opt(
                    "SELECT text, resolved, row_version FROM parking_lot WHERE id = $1",
                    &[&item_id],
                )
                .await
                .map_err(ctx("reading the parking lot"))?
                .ok_or_else(|| no_parked(item_id))?;
            let (text, was, version): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
            let thing = parked_thing(&text);
            let edit = RowEdit {
                table: "parking_lot",
                id: item_id,
                thing: &thing,
                seen,
            };
            check_row_version(&**tx, &edit, version, Change::Edit).await?;
            tx.execute(
                "UPDATE parking_lot SET resolved = $2 WHERE id = $1",
                &[&item_id, &i64::from(resolved)],
            )
            .await
            .map_err(ctx("updating parking lot"))?;
            let changed = changed_fields(&[("status", (was != 0) != resolved)]);
            bump_row_version(&**tx, &edit, version, &changed).await?;
            Ok(())
        })
    }

    fn parked_topic(&self, item_id: i64) -> Result<(i64, String)> {
        self.on_conn(async |c| {
            c.query_opt(
                "SELECT session_id, text FROM parking_lot WHERE id = $1",
                &[&item_id],
            )
            .await
            .map_err(ctx("reading the parking lot"))?
            .map(|r| (r.get(0), r.get(1)))
            .ok_or_else(|| BatonError::not_found(format!("parking-lot item {item_id} not found")))
        })
    }
}
