//! The room: participants join from their own browsers over the LAN (issue 12).
//! The server is `baton-room`; each command is one call.
use crate::state::{call, Svc};
use baton_core::room::{RoomInterface, RoomStatus, RoomStep};
use baton_core::{BatonError, Result};
use baton_room::{RoomConfig, RoomHost};

pub type Host<'a> = tauri::State<'a, RoomHost>;

#[tauri::command]
pub async fn room_interfaces() -> Result<Vec<RoomInterface>> {
    baton_room::interfaces()
}

#[tauri::command]
pub async fn room_open(
    svc: Svc<'_>,
    host: Host<'_>,
    bind: String,
    port: Option<u16>,
    session_id: Option<i64>,
) -> Result<RoomStatus> {
    let ip = bind
        .parse()
        .map_err(|_| BatonError::invalid(format!("\"{bind}\" is not an interface address")))?;
    let config = RoomConfig {
        port,
        session_id,
        ..RoomConfig::new(ip)
    };
    host.open(svc.inner().clone(), config).await
}

#[tauri::command]
pub async fn room_close(host: Host<'_>) -> Result<()> {
    host.close().await
}

#[tauri::command]
pub async fn room_status(svc: Svc<'_>, host: Host<'_>) -> Result<RoomStatus> {
    host.status(&svc).await
}

#[tauri::command]
pub async fn room_lock(svc: Svc<'_>, host: Host<'_>, locked: bool) -> Result<RoomStatus> {
    call(&svc, move |s| s.room_lock(locked)).await?;
    host.status(&svc).await
}

#[tauri::command]
pub async fn room_remove(svc: Svc<'_>, host: Host<'_>, participant_id: i64) -> Result<RoomStatus> {
    call(&svc, move |s| s.room_remove(participant_id)).await?;
    host.status(&svc).await
}

#[tauri::command]
pub async fn room_step(svc: Svc<'_>, host: Host<'_>, step: RoomStep) -> Result<RoomStatus> {
    call(&svc, move |s| s.room_step(step)).await?;
    host.status(&svc).await
}

#[tauri::command]
pub async fn room_anonymous_parking(
    svc: Svc<'_>,
    host: Host<'_>,
    allowed: bool,
) -> Result<RoomStatus> {
    call(&svc, move |s| s.room_anonymous_parking(allowed)).await?;
    host.status(&svc).await
}
