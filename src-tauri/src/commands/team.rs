//! File → "Connect to a team workspace…": a team workspace on PostgreSQL.
use crate::state::{call, Svc};
use baton_core::team::{TeamAddress, TeamConnection};
use baton_core::Result;

/// Connect to the team workspace at `address` and make it the open workspace.
/// `password`: typed in the dialog (kept in the OS keyring, or for this run), else null.
#[tauri::command]
pub async fn team_connect(
    svc: Svc<'_>,
    address: TeamAddress,
    password: Option<String>,
) -> Result<TeamConnection> {
    call(&svc, move |s| s.connect_team(&address, password.as_deref())).await
}

/// Will a password typed now be remembered (an OS keyring answers)?
#[tauri::command]
pub async fn team_keyring_available(svc: Svc<'_>) -> Result<bool> {
    call(&svc, |s| Ok(s.keyring_available())).await
}

/// The libpq connection string of `address`, never with a password: what the dialog shows
/// for psql or `baton --workspace` (the TLS files included).
#[tauri::command]
pub async fn team_connection_string(address: TeamAddress) -> Result<String> {
    address.conninfo(None)
}
