//! The workshop timer: stored in the workspace so it outlives the screen that runs it.
//! Each change publishes [`Area::Timer`].
use crate::{no_id, Area, Service};
use baton_core::timer::TimerView;
use baton_core::Result;
use baton_store::unix_millis_now;

impl Service {
    pub fn timer(&self) -> Result<Option<TimerView>> {
        self.read(|ws| ws.timer(unix_millis_now()))
    }

    /// Put block `block` of session `session_id` on the timer (stopped, full length).
    pub fn timer_select(&self, session_id: i64, block: u32) -> Result<TimerView> {
        self.write(Area::Timer, no_id, |ws| {
            ws.timer_select(session_id, block, unix_millis_now())
        })
    }

    pub fn timer_start(&self) -> Result<TimerView> {
        self.write(Area::Timer, no_id, |ws| ws.timer_start(unix_millis_now()))
    }

    pub fn timer_pause(&self) -> Result<TimerView> {
        self.write(Area::Timer, no_id, |ws| ws.timer_pause(unix_millis_now()))
    }
}
