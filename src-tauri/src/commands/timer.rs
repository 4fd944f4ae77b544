//! The workshop timer: stored in the workspace so it outlives the screen that runs it.
use crate::state::{with_workspace, Svc};
use baton_core::timer::TimerView;
use baton_core::Result;
use baton_store::unix_millis_now;

#[tauri::command]
pub async fn timer_get(state: Svc<'_>) -> Result<Option<TimerView>> {
    with_workspace(&state, |ws| ws.timer(unix_millis_now())).await
}

#[tauri::command]
pub async fn timer_select(state: Svc<'_>, session_id: i64, block: u32) -> Result<TimerView> {
    with_workspace(&state, move |ws| {
        ws.timer_select(session_id, block, unix_millis_now())
    })
    .await
}

#[tauri::command]
pub async fn timer_start(state: Svc<'_>) -> Result<TimerView> {
    with_workspace(&state, |ws| ws.timer_start(unix_millis_now())).await
}

#[tauri::command]
pub async fn timer_pause(state: Svc<'_>) -> Result<TimerView> {
    with_workspace(&state, |ws| ws.timer_pause(unix_millis_now())).await
}
