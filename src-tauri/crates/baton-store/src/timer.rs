//! The workshop timer's storage (workshop area, table `workshop_timer`): at most one
//! timer per workspace, on one agenda block of one session. Every method takes the
//! current instant (`now_ms`, Unix milliseconds) so callers and tests control time;
//! [`unix_millis_now`] gives the real one.

use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::timer::{TimerState, TimerView};
use baton_core::workshop::AgendaBlock;
use baton_core::{BatonError, ErrorCode, Result};
use rusqlite::{params, OptionalExtension};

/// Now as Unix milliseconds (UTC): the timer's clock.
pub fn unix_millis_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The workshop timer shared by every window.
pub trait TimerStore {
    /// The timer as it stands at `now_ms`, or `None` when no block was selected (or its
    /// session was deleted).
    fn timer(&self, now_ms: i64) -> Result<Option<TimerView>>;

    /// Time agenda block `block` of session `session_id`: stopped, its whole length left.
    /// Selecting the block already selected resets it.
    fn timer_select(&self, session_id: i64, block: u32, now_ms: i64) -> Result<TimerView>;

    /// Start (or resume) the selected block's countdown at `now_ms`.
    fn timer_start(&self, now_ms: i64) -> Result<TimerView>;

    /// Pause the countdown at `now_ms`, keeping the time left.
    fn timer_pause(&self, now_ms: i64) -> Result<TimerView>;
}

impl TimerStore for Workspace {
    fn timer(&self, now_ms: i64) -> Result<Option<TimerView>> {
        let Some((state, title)) = self.timer_state()? else {
            return Ok(None);
        };
        Ok(Some(state.view(now_ms, &title)))
    }

    fn timer_select(&self, session_id: i64, block: u32, now_ms: i64) -> Result<TimerView> {
        let session = self.session(session_id)?;
        self.write_timer(&selected_block(
            session_id,
            &session.title,
            &session.agenda,
            block,
        )?)?;
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

impl Workspace {
    fn timer_or_conflict(&self, now_ms: i64) -> Result<TimerView> {
        self.timer(now_ms)?.ok_or_else(no_timer)
    }

    fn change_timer(&self, change: impl FnOnce(&mut TimerState)) -> Result<()> {
        let (mut state, _) = self.timer_state()?.ok_or_else(no_timer)?;
        change(&mut state);
        self.write_timer(&state)
    }

    fn timer_state(&self) -> Result<Option<(TimerState, String)>> {
        self.conn
            .query_row(
                "SELECT t.session_id, t.block, t.block_title, t.duration_ms, t.started_at_ms,
                        t.paused_remaining_ms, s.title
                 FROM workshop_timer t JOIN sessions s ON s.id = t.session_id
                 WHERE t.id = 1",
                [],
                |r| {
                    Ok((
                        TimerState {
                            session_id: r.get(0)?,
                            block: r.get(1)?,
                            block_title: r.get(2)?,
                            duration_ms: r.get(3)?,
                            started_at_ms: r.get(4)?,
                            paused_remaining_ms: r.get(5)?,
                        },
                        r.get(6)?,
                    ))
                },
            )
            .optional()
            .ctx("reading the workshop timer")
    }

    fn write_timer(&self, t: &TimerState) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO workshop_timer
                   (id, session_id, block, block_title, duration_ms, started_at_ms, paused_remaining_ms)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    t.session_id,
                    t.block,
                    t.block_title,
                    t.duration_ms,
                    t.started_at_ms,
                    t.paused_remaining_ms
                ],
            )
            .ctx("saving the workshop timer")?;
        Ok(())
    }
}

/// A stopped timer on block `block` of a session's agenda, its whole length left;
/// refused when the agenda has no such block.
pub(crate) fn selected_block(
    session_id: i64,
    session_title: &str,
    agenda: &[AgendaBlock],
    block: u32,
) -> Result<TimerState> {
    let b = agenda.get(block as usize).ok_or_else(|| {
        BatonError::invalid(format!(
            "session \"{session_title}\" has {} agenda blocks; there is no block {}",
            agenda.len(),
            block + 1
        ))
    })?;
    Ok(TimerState::new(session_id, block, &b.title, b.minutes))
}

pub(crate) fn no_timer() -> BatonError {
    BatonError::new(
        ErrorCode::Conflict,
        "no agenda block is selected: pick a block of a session on the Workshop screen first",
    )
}

#[cfg(test)]
mod tests {

    use super::*;
    use baton_core::workshop::{AgendaBlock, SessionInput};

    const T0: i64 = 1_800_000_000_000;

    fn session(ws: &mut Workspace, title: &str) -> i64 {
        let input = SessionInput {
            title: title.into(),
            date: "2026-12-06".into(),
            participant_ids: vec![],
            agenda: vec![
                AgendaBlock {
                    title: "Diagnostic".into(),
                    minutes: 30,
                },
                AgendaBlock {
                    title: "Personas".into(),
                    minutes: 1,
                },
            ],
        };
        ws.create_session(&input).unwrap().id
    }

    #[test]
    fn a_running_timer_is_read_back_by_another_connection_later() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.baton");
        let mut ws = Workspace::create(&path).unwrap();
        let id = session(&mut ws, "Kick-off");
        assert_eq!(
            ws.timer(T0).unwrap(),
            None,
            "no timer before a block is selected"
        );
        ws.timer_select(id, 0, T0).unwrap();
        let started = ws.timer_start(T0 + 1_000).unwrap();
        assert!(started.running);
        assert_eq!(started.remaining_ms, 30 * 60_000);
        drop(ws);

        // A window reload (or a phone) opens the workspace again: the timer ran on.
        let again = Workspace::open(&path).unwrap();
        let v = again.timer(T0 + 61_000).unwrap().expect("timer kept");
        assert_eq!(v.session_id, id);
        assert_eq!(v.session_title, "Kick-off");
        assert_eq!((v.block, v.block_title.as_str()), (0, "Diagnostic"));
        assert_eq!(v.duration_ms, 30 * 60_000);
        assert_eq!(v.remaining_ms, 30 * 60_000 - 60_000);
        assert!(v.running && !v.ended);
    }

    #[test]
    fn pause_keeps_the_time_left_and_reselecting_resets() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let id = session(&mut ws, "Kick-off");
        ws.timer_select(id, 0, T0).unwrap();
        ws.timer_start(T0).unwrap();
        let paused = ws.timer_pause(T0 + 10_000).unwrap();
        assert!(!paused.running);
        assert_eq!(
            ws.timer(T0 + 900_000).unwrap().unwrap().remaining_ms,
            1_790_000
        );
        ws.timer_start(T0 + 900_000).unwrap();
        assert_eq!(
            ws.timer(T0 + 905_000).unwrap().unwrap().remaining_ms,
            1_785_000
        );
        let reset = ws.timer_select(id, 0, T0 + 906_000).unwrap();
        assert_eq!((reset.remaining_ms, reset.running), (1_800_000, false));
    }

    #[test]
    fn the_end_is_seen_by_whoever_reads_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let id = session(&mut ws, "Kick-off");
        ws.timer_select(id, 1, T0).unwrap();
        ws.timer_start(T0).unwrap();
        let v = ws.timer(T0 + 60_000).unwrap().unwrap();
        assert!(v.ended && !v.running);
        assert_eq!((v.remaining_ms, v.block_title.as_str()), (0, "Personas"));
    }

    #[test]
    fn a_block_the_agenda_lacks_and_a_start_without_a_block_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let id = session(&mut ws, "Kick-off");
        let e = ws.timer_select(id, 2, T0).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("no block 3"), "{}", e.message);
        assert_eq!(
            ws.timer_select(id + 9, 0, T0).unwrap_err().code,
            ErrorCode::NotFound
        );
        assert_eq!(ws.timer_start(T0).unwrap_err().code, ErrorCode::Conflict);
    }

    #[test]
    fn deleting_the_session_removes_its_timer() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let id = session(&mut ws, "Kick-off");
        ws.timer_select(id, 0, T0).unwrap();
        ws.timer_start(T0).unwrap();
        ws.delete_session(id, None).unwrap();
        assert_eq!(ws.timer(T0).unwrap(), None);
    }
}
