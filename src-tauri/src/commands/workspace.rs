//! File menu and Overview: which workspace is open, new/open/save as, recent files.
use crate::state::{call, Svc};
use baton_core::workspace::{RecentWorkspace, WorkspaceInfo, WorkspaceOverview};
use baton_core::Result;
use baton_service::session::with_baton_extension;
use std::path::PathBuf;

#[tauri::command]
pub async fn workspace_current(svc: Svc<'_>) -> Result<WorkspaceInfo> {
    call(&svc, |s| s.workspace_info()).await
}

#[tauri::command]
pub async fn workspace_overview(svc: Svc<'_>) -> Result<WorkspaceOverview> {
    call(&svc, |s| s.overview()).await
}

/// Set the company name (blank clears it); returns the updated workspace info.
/// `seen_version`: the name's version the screen showed (`company_version`).
#[tauri::command]
pub async fn workspace_set_company(
    svc: Svc<'_>,
    name: Option<String>,
    seen_version: Option<i64>,
) -> Result<WorkspaceInfo> {
    call(&svc, move |s| s.set_company(name.as_deref(), seen_version)).await
}

#[tauri::command]
pub async fn workspace_new(svc: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    call(&svc, move |s| s.workspace_new(&with_baton_extension(&path))).await
}

#[tauri::command]
pub async fn workspace_open(svc: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    call(&svc, move |s| s.workspace_open(&PathBuf::from(path))).await
}

/// Copy the open workspace to `path` and continue working in the copy.
#[tauri::command]
pub async fn workspace_save_as(svc: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    call(&svc, move |s| {
        s.workspace_save_as(&with_baton_extension(&path))
    })
    .await
}

#[tauri::command]
pub async fn workspace_recent(svc: Svc<'_>) -> Result<Vec<RecentWorkspace>> {
    Ok(svc.recent())
}

/// Switch to the demo workspace (generated on first use).
#[tauri::command]
pub async fn workspace_open_demo(svc: Svc<'_>) -> Result<WorkspaceInfo> {
    call(&svc, |s| s.open_demo()).await
}
