//! The workshop timer: stored in the workspace so it outlives the screen that runs it.
use crate::state::{call, Svc};
use baton_core::timer::TimerView;
use baton_core::Result;

#[tauri::command]
pub async fn timer_get(svc: Svc<'_>) -> Result<Option<TimerView>> {
    call(&svc, |s| s.timer()).await
}

#[tauri::command]
pub async fn timer_select(svc: Svc<'_>, session_id: i64, block: u32) -> Result<TimerView> {
    call(&svc, move |s| s.timer_select(session_id, block)).await
}

#[tauri::command]
pub async fn timer_start(svc: Svc<'_>) -> Result<TimerView> {
    call(&svc, |s| s.timer_start()).await
}

#[tauri::command]
pub async fn timer_pause(svc: Svc<'_>) -> Result<TimerView> {
    call(&svc, |s| s.timer_pause()).await
}
