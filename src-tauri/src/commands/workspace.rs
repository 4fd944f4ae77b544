//! File menu and Overview: which workspace is open, new/open/save as, recent files.
use crate::state::{blocking, with_baton_extension, AppState};
use baton_core::workspace::{RecentWorkspace, WorkspaceInfo, WorkspaceOverview};
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::Workspace;
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn workspace_current(state: State<'_, AppState>) -> Result<WorkspaceInfo> {
    state.with_workspace(|ws| ws.info()).await
}

#[tauri::command]
pub async fn workspace_overview(state: State<'_, AppState>) -> Result<WorkspaceOverview> {
    state.with_workspace(|ws| ws.overview()).await
}

/// Set the company name (blank clears it); returns the updated workspace info.
#[tauri::command]
pub async fn workspace_set_company(
    state: State<'_, AppState>,
    name: Option<String>,
) -> Result<WorkspaceInfo> {
    state
        .with_workspace(move |ws| ws.set_company(name.as_deref()))
        .await
}

#[tauri::command]
pub async fn workspace_new(state: State<'_, AppState>, path: String) -> Result<WorkspaceInfo> {
    let path = with_baton_extension(&path);
    let info = blocking(move || Workspace::create(&path)?.info()).await?;
    state.switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

#[tauri::command]
pub async fn workspace_open(state: State<'_, AppState>, path: String) -> Result<WorkspaceInfo> {
    let info = blocking(move || Workspace::open(&PathBuf::from(path))?.info()).await?;
    state.switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

/// Copy the open workspace to `path` and continue working in the copy.
#[tauri::command]
pub async fn workspace_save_as(state: State<'_, AppState>, path: String) -> Result<WorkspaceInfo> {
    let dest = with_baton_extension(&path);
    let info = state
        .with_workspace(move |ws| {
            ws.save_as(&dest)?;
            Workspace::open(&dest)?.info()
        })
        .await?;
    state.switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

#[tauri::command]
pub async fn workspace_recent(state: State<'_, AppState>) -> Result<Vec<RecentWorkspace>> {
    Ok(state.recent())
}

/// Switch to the demo workspace (generated on first use).
#[tauri::command]
pub async fn workspace_open_demo(state: State<'_, AppState>) -> Result<WorkspaceInfo> {
    state.use_demo();
    state.with_workspace(|ws| ws.info()).await
}
