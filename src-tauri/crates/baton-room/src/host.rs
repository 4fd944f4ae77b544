//! The window's hold on its room: at most one running at a time, opened, queried and
//! closed from async commands (and closed when the app quits).
use crate::{qr_svg, RoomConfig, RoomHandle, RoomServer};
use baton_core::room::RoomStatus;
use baton_core::{BatonError, Result};
use baton_service::Service;
use tokio::sync::Mutex;

#[derive(Default)]
pub struct RoomHost(Mutex<Option<RoomHandle>>);

impl RoomHost {
    /// Open the room (closing one already open first, e.g. on another interface).
    pub async fn open(&self, service: Service, config: RoomConfig) -> Result<RoomStatus> {
        let mut slot = self.0.lock().await;
        if let Some(old) = slot.take() {
            old.stop().await?;
        }
        *slot = Some(RoomServer::start(service.clone(), config).await?);
        drop(slot);
        self.status(&service).await
    }

    /// Close the room if it is open; participants are told.
    pub async fn close(&self) -> Result<()> {
        match self.0.lock().await.take() {
            Some(h) => h.stop().await,
            None => Ok(()),
        }
    }

    /// The facilitator's view: URL, QR code and who is connected while open; the
    /// stored participants (none connected) while closed.
    pub async fn status(&self, service: &Service) -> Result<RoomStatus> {
        let (url, connected) = match self.0.lock().await.as_ref() {
            Some(h) => (Some(h.url().to_string()), h.connected()),
            None => (None, Vec::new()),
        };
        let svc = service.clone();
        tokio::task::spawn_blocking(move || status(&svc, url, &connected))
            .await
            .map_err(|e| BatonError::internal(e.to_string()))?
    }
}

/// The service's room status with the serving URL, its QR code and live connections.
pub fn status(service: &Service, url: Option<String>, connected: &[i64]) -> Result<RoomStatus> {
    let mut s = service.room_status(&|id| connected.contains(&id))?;
    s.open = s.open && url.is_some();
    s.qr_svg = url.as_deref().map(qr_svg).transpose()?;
    s.url = url;
    Ok(s)
}
