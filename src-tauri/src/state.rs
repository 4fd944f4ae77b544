//! The window's hold on the application layer: the [`Service`] in Tauri's state, and
//! [`call`], which runs one service function off the main thread.
use baton_core::{BatonError, Result};
use baton_service::Service;

/// What every command takes to reach the service.
pub type Svc<'a> = tauri::State<'a, Service>;

/// Run blocking work (SQLite, files) on the blocking thread pool.
pub async fn blocking<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| BatonError::internal(format!("background task failed: {e}")))?
}

/// Run one service call on the blocking pool.
pub async fn call<T, F>(svc: &Service, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Service) -> Result<T> + Send + 'static,
{
    let svc = svc.clone();
    blocking(move || work(&svc)).await
}
