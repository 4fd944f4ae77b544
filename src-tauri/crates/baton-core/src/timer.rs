//! The workshop timer: one per workspace, counting down one agenda block of a session.
//!
//! It belongs to the workshop session, not to a screen: the workspace stores it, so it
//! runs on while the facilitator moves between screens, reloads the window or presents,
//! and any reader (the window today, participants' phones later) sees the same time.
//! Its instants are Unix milliseconds (UTC), not wall-clock dates: a countdown measures
//! elapsed time, which a change of the clock's zone must not shift.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the workspace stores about the timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerState {
    pub session_id: i64,
    /// Index of the agenda block in the session's agenda.
    pub block: u32,
    /// The block's title when it was selected.
    pub block_title: String,
    /// The block's length.
    pub duration_ms: i64,
    /// When the current run started; `None` while paused or not started yet.
    pub started_at_ms: Option<i64>,
    /// Time left at `started_at_ms` while running, or time left now while paused.
    pub paused_remaining_ms: i64,
}

impl TimerState {
    /// A block selected and not started: its whole length left.
    pub fn new(session_id: i64, block: u32, block_title: &str, minutes: u32) -> Self {
        let duration_ms = i64::from(minutes) * 60_000;
        Self {
            session_id,
            block,
            block_title: block_title.to_string(),
            duration_ms,
            started_at_ms: None,
            paused_remaining_ms: duration_ms,
        }
    }

    pub fn running(&self) -> bool {
        self.started_at_ms.is_some()
    }

    /// Time left at `now_ms`, never below zero (a clock set back counts as no time passed).
    pub fn remaining_at(&self, now_ms: i64) -> i64 {
        match self.started_at_ms {
            Some(start) => (self.paused_remaining_ms - (now_ms - start).max(0)).max(0),
            None => self.paused_remaining_ms.max(0),
        }
    }

    /// Start or resume at `now_ms`. A block whose time is up starts again from its full
    /// length; a running timer is left as it is.
    pub fn start(&mut self, now_ms: i64) {
        if self.running() && self.remaining_at(now_ms) > 0 {
            return;
        }
        if self.remaining_at(now_ms) == 0 {
            self.paused_remaining_ms = self.duration_ms;
        }
        self.started_at_ms = Some(now_ms);
    }

    /// Pause at `now_ms`, keeping the time left.
    pub fn pause(&mut self, now_ms: i64) {
        self.paused_remaining_ms = self.remaining_at(now_ms);
        self.started_at_ms = None;
    }

    /// What readers are shown at `now_ms`.
    pub fn view(&self, now_ms: i64, session_title: &str) -> TimerView {
        let remaining_ms = self.remaining_at(now_ms);
        TimerView {
            session_id: self.session_id,
            session_title: session_title.to_string(),
            block: self.block,
            block_title: self.block_title.clone(),
            duration_ms: self.duration_ms,
            running: self.running() && remaining_ms > 0,
            remaining_ms,
            ended: remaining_ms == 0,
        }
    }
}

/// The timer as the UI shows it, computed when it is read. A reader counts down locally
/// from `remaining_ms` and reads it again now and then to stay in step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimerView {
    #[ts(type = "number")]
    pub session_id: i64,
    pub session_title: String,
    pub block: u32,
    pub block_title: String,
    #[ts(type = "number")]
    pub duration_ms: i64,
    /// Counting down now (not paused, time not up).
    pub running: bool,
    #[ts(type = "number")]
    pub remaining_ms: i64,
    /// The block's time is up.
    pub ended: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn a_selected_block_waits_with_its_whole_length() {
        let t = TimerState::new(3, 1, "Personas", 60);
        let v = t.view(T0 + 600_000, "Workshop");
        assert_eq!(
            (v.remaining_ms, v.running, v.ended),
            (3_600_000, false, false)
        );
        assert_eq!(
            (v.session_id, v.block, v.block_title.as_str()),
            (3, 1, "Personas")
        );
    }

    #[test]
    fn a_running_block_counts_down_pauses_and_resumes() {
        let mut t = TimerState::new(3, 0, "Diagnostic", 30);
        t.start(T0);
        assert_eq!(t.remaining_at(T0 + 61_000), 30 * 60_000 - 61_000);
        t.pause(T0 + 61_000);
        assert_eq!(
            t.remaining_at(T0 + 500_000),
            30 * 60_000 - 61_000,
            "paused time stands still"
        );
        t.start(T0 + 500_000);
        assert_eq!(t.remaining_at(T0 + 510_000), 30 * 60_000 - 71_000);
        t.start(T0 + 520_000);
        assert_eq!(
            t.remaining_at(T0 + 520_000),
            30 * 60_000 - 81_000,
            "start while running changes nothing"
        );
    }

    #[test]
    fn time_is_up_at_zero_and_a_new_start_begins_again() {
        let mut t = TimerState::new(3, 0, "Decisions", 1);
        t.start(T0);
        let v = t.view(T0 + 90_000, "");
        assert_eq!((v.remaining_ms, v.running, v.ended), (0, false, true));
        t.start(T0 + 90_000);
        assert_eq!(t.remaining_at(T0 + 100_000), 50_000);
    }

    #[test]
    fn a_clock_set_back_does_not_add_time() {
        let mut t = TimerState::new(3, 0, "Decisions", 1);
        t.start(T0);
        assert_eq!(t.remaining_at(T0 - 5_000), 60_000);
    }
}
