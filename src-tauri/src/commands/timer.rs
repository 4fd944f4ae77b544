//! The workshop timer: stored in the workspace so it outlives the screen that runs it.
use crate::state::AppState;
use baton_core::timer::TimerView;
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::unix_millis_now;
use tauri::State;

#[tauri::command]
pub async fn timer_get(state: State<'_, AppState>) -> Result<Option<TimerView>> {
    state.with_workspace(|ws| ws.timer(unix_millis_now())).await
}

#[tauri::command]
pub async fn timer_select(
    state: State<'_, AppState>,
    session_id: i64,
    block: u32,
) -> Result<TimerView> {
    state
        .with_workspace(move |ws| ws.timer_select(session_id, block, unix_millis_now()))
        .await
}

#[tauri::command]
pub async fn timer_start(state: State<'_, AppState>) -> Result<TimerView> {
    state
        .with_workspace(|ws| ws.timer_start(unix_millis_now()))
        .await
}

#[tauri::command]
pub async fn timer_pause(state: State<'_, AppState>) -> Result<TimerView> {
    state
        .with_workspace(|ws| ws.timer_pause(unix_millis_now()))
        .await
}
