//! `#[tauri::command]`s, one module per area; each is registered in `lib.rs`.
pub mod imports;
pub mod metrics;
pub mod reports;
pub mod room;
pub mod team;
pub mod timer;
pub mod workshop;
pub mod workspace;
