//! `#[tauri::command]`s, one module per area; each is registered in `lib.rs`.
pub mod workspace;
pub mod workshop;
pub mod reports;
