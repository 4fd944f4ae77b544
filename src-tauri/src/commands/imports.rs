//! Imports: preview, import with progress and cancel, history, undo, rejected rows, profiles.
use crate::state::{call, Svc};
use baton_core::{Progress, Result};
use baton_import::{ImportOptions, ImportPreview, ImportSummary, PresetInfo, Profile};
use baton_report::CsvOptions;
use baton_store::{ImportInfo, UndoSummary};
use std::path::PathBuf;
use tauri::ipc::Channel;

#[tauri::command]
pub async fn imports_presets(svc: Svc<'_>) -> Result<Vec<PresetInfo>> {
    Ok(svc.import_presets())
}

/// What importing `path` would read and produce, mapped with the open workspace's stages
/// and stage value map.
#[tauri::command]
pub async fn imports_preview(
    svc: Svc<'_>,
    path: String,
    options: ImportOptions,
) -> Result<ImportPreview> {
    call(&svc, move |s| {
        s.import_preview(&PathBuf::from(path), &options)
    })
    .await
}

/// Import a file; progress goes through `on_progress`, `imports_cancel` stops it (nothing is written).
#[tauri::command]
pub async fn imports_run(
    svc: Svc<'_>,
    path: String,
    options: ImportOptions,
    on_progress: Channel<Progress>,
) -> Result<ImportSummary> {
    call(&svc, move |s| {
        s.import_run(&PathBuf::from(path), &options, &mut |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
}

#[tauri::command]
pub async fn imports_cancel(svc: Svc<'_>) -> Result<()> {
    svc.import_cancel();
    Ok(())
}

#[tauri::command]
pub async fn imports_history(svc: Svc<'_>) -> Result<Vec<ImportInfo>> {
    call(&svc, |s| s.imports()).await
}

#[tauri::command]
pub async fn imports_undo(svc: Svc<'_>, id: i64) -> Result<UndoSummary> {
    call(&svc, move |s| s.import_undo(id)).await
}

/// Write an import's rejected rows as CSV to `dest`; `options` default to a BOM and
/// commas (Excel).
#[tauri::command]
pub async fn imports_export_rejects(
    svc: Svc<'_>,
    id: i64,
    dest: String,
    options: Option<CsvOptions>,
) -> Result<()> {
    let opts = options.unwrap_or(CsvOptions {
        bom: true,
        delimiter: ',',
    });
    call(&svc, move |s| {
        s.import_rejects_save(id, &PathBuf::from(dest), &opts)
    })
    .await
}

#[tauri::command]
pub async fn imports_save_profile(svc: Svc<'_>, profile: Profile, dest: String) -> Result<()> {
    call(&svc, move |s| {
        s.profile_save(&profile, &PathBuf::from(dest))
    })
    .await
}

#[tauri::command]
pub async fn imports_load_profile(svc: Svc<'_>, path: String) -> Result<Profile> {
    call(&svc, move |s| s.profile_load(&PathBuf::from(path))).await
}
