//! File menu and Overview: which workspace is open, new/open/save as, recent files.
use crate::state::{blocking, with_workspace, Svc};
use baton_core::workspace::{RecentWorkspace, WorkspaceInfo, WorkspaceOverview};
use baton_core::Result;
use baton_service::session::with_baton_extension;
use baton_store::Workspace;
use std::path::PathBuf;

#[tauri::command]
pub async fn workspace_current(state: Svc<'_>) -> Result<WorkspaceInfo> {
    with_workspace(&state, |ws| ws.info()).await
}

#[tauri::command]
pub async fn workspace_overview(state: Svc<'_>) -> Result<WorkspaceOverview> {
    with_workspace(&state, |ws| ws.overview()).await
}

/// Set the company name (blank clears it); returns the updated workspace info.
#[tauri::command]
pub async fn workspace_set_company(state: Svc<'_>, name: Option<String>) -> Result<WorkspaceInfo> {
    with_workspace(&state, move |ws| ws.set_company(name.as_deref())).await
}

#[tauri::command]
pub async fn workspace_new(state: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    let path = with_baton_extension(&path);
    let info = blocking(move || Workspace::create(&path)?.info()).await?;
    state.session().switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

#[tauri::command]
pub async fn workspace_open(state: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    let info = blocking(move || Workspace::open(&PathBuf::from(path))?.info()).await?;
    state.session().switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

/// Copy the open workspace to `path` and continue working in the copy.
#[tauri::command]
pub async fn workspace_save_as(state: Svc<'_>, path: String) -> Result<WorkspaceInfo> {
    let dest = with_baton_extension(&path);
    let info = with_workspace(&state, move |ws| {
        ws.save_as(&dest)?;
        Workspace::open(&dest)?.info()
    })
    .await?;
    state.session().switch_to(&PathBuf::from(&info.path))?;
    Ok(info)
}

#[tauri::command]
pub async fn workspace_recent(state: Svc<'_>) -> Result<Vec<RecentWorkspace>> {
    Ok(state.session().recent())
}

/// Switch to the demo workspace (generated on first use).
#[tauri::command]
pub async fn workspace_open_demo(state: Svc<'_>) -> Result<WorkspaceInfo> {
    state.session().use_demo()?;
    with_workspace(&state, |ws| ws.info()).await
}
