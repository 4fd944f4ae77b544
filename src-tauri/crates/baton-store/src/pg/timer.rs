//! [`TimerStore`] on PostgreSQL: the one `workshop_timer` row (id 1). Selecting, starting
//! and pausing read the timer and write it back in one write transaction.
use super::in_tx::session_agenda;
use super::{pg_err, PgWorkspace};
use crate::prelude::TimerStore;
use crate::timer::{no_timer, selected_block};
use baton_core::timer::{TimerState, TimerView};
use baton_core::Result;
use tokio_postgres::GenericClient;

/// The timer and its session's title, if a block is selected (and its session exists).
async fn timer_state(client: &impl GenericClient) -> Result<Option<(TimerState, String)>> {
    let row = client
        .query_opt(
            "SELECT t.session_id, t.block, t.block_title, t.duration_ms, t.started_at_ms,
                    t.paused_remaining_ms, s.title
             FROM workshop_timer t JOIN sessions s ON s.id = t.session_id
             WHERE t.id = 1",
            &[],
        )
        .await
        .map_err(|e| pg_err("reading the workshop timer", e))?;
    Ok(row.map(|r| {
        (
            TimerState {
                session_id: r.get(0),
                block: r.get::<_, i64>(1) as u32,
                block_title: r.get(2),
                duration_ms: r.get(3),
                started_at_ms: r.get(4),
                paused_remaining_ms: r.get(5),
            },
            r.get(6),
        )
    }))
}

/// Write the timer (the one row, replaced).
async fn write_timer(client: &impl GenericClient, t: &TimerState) -> Result<()> {
    client
        .execute(
            "INSERT INTO workshop_timer
               (id, session_id, block, block_title, duration_ms, started_at_ms, paused_remaining_ms)
             VALUES (1, $1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET session_id = excluded.session_id,
               block = excluded.block, block_title = excluded.block_title,
               duration_ms = excluded.duration_ms, started_at_ms = excluded.started_at_ms,
               paused_remaining_ms = excluded.paused_remaining_ms",
            &[
                &t.session_id,
                &i64::from(t.block),
                &t.block_title,
                &t.duration_ms,
                &t.started_at_ms,
                &t.paused_remaining_ms,
            ],
        )
        .await
        .map_err(|e| pg_err("saving the workshop timer", e))?;
    Ok(())
}

impl PgWorkspace {
    fn timer_or_conflict(&self, now_ms: i64) -> Result<TimerView> {
        self.timer(now_ms)?.ok_or_else(no_timer)
    }

    fn change_timer(&self, change: impl FnOnce(&mut TimerState)) -> Result<()> {
        self.write_tx("changing the workshop timer", async |tx| {
            let (mut state, _) = timer_state(&**tx).await?.ok_or_else(no_timer)?;
            change(&mut state);
            write_timer(&**tx, &state).await
        })
    }
}

impl TimerStore for PgWorkspace {
    fn timer(&self, now_ms: i64) -> Result<Option<TimerView>> {
        let state = self.run(async {
            let client = self.conn().await?;
            timer_state(&**client).await
        })?;
        Ok(state.map(|(state, title)| state.view(now_ms, &title)))
    }

    fn timer_select(&self, session_id: i64, block: u32, now_ms: i64) -> Result<TimerView> {
        self.write_tx("selecting the timed block", async |tx| {
            let (title, agenda) = session_agenda(&**tx, session_id).await?;
            write_timer(&**tx, &selected_block(session_id, &title, &agenda, block)?).await
        })?;
        self.timer_or_conflict(now_ms)
    }

    fn timer_start(&self, now_ms: i64) -> Result<TimerView> {
        self.change_timer(|t| t.start(now_ms))?;
        self.timer_or_conflict(now_ms)
    }

    fn timer_pause(&self, now_ms: i64) -> Result<TimerView> {
        self.change_timer(|t| t.pause(now_ms))?;
        self.timer_or_conflict(now_ms)
    }
}
