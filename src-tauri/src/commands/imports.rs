//! Imports: preview, import with progress and cancel, history, undo, rejected rows, profiles.
use crate::state::{blocking, with_workspace, Svc};
use baton_core::{BatonError, Cancel, Progress, Result};
use baton_import::{
    ImportOptions, ImportPreview, ImportSummary, PresetInfo, PreviewCache, PreviewContext, Profile,
};
use baton_store::{ImportInfo, UndoSummary};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;
use tauri::State;

/// The running import's cancel flag, and the rows of the file last previewed (a mapping
/// change re-maps them instead of reading the file again).
#[derive(Default)]
pub struct ImportState {
    cancel: Mutex<Cancel>,
    preview: Arc<PreviewCache>,
}

type S<'a> = Svc<'a>;

#[tauri::command]
pub async fn imports_presets() -> Result<Vec<PresetInfo>> {
    Ok(baton_import::preset_list())
}

/// What importing `path` would read and produce, mapped with the open workspace's stages
/// and stage value map (the defaults when none is open).
#[tauri::command]
pub async fn imports_preview(
    state: S<'_>,
    imports: State<'_, ImportState>,
    path: String,
    options: ImportOptions,
) -> Result<ImportPreview> {
    let cx = with_workspace(&state, |ws| PreviewContext::of_workspace(ws))
        .await
        .unwrap_or_default();
    let cache = imports.preview.clone();
    blocking(move || cache.preview(&PathBuf::from(path), &options, &cx)).await
}

/// Import a file; progress goes through `on_progress`, `imports_cancel` stops it (nothing is written).
#[tauri::command]
pub async fn imports_run(
    state: S<'_>,
    imports: State<'_, ImportState>,
    path: String,
    options: ImportOptions,
    on_progress: Channel<Progress>,
) -> Result<ImportSummary> {
    let cancel = Cancel::new();
    *imports
        .cancel
        .lock()
        .map_err(|_| BatonError::internal("import state poisoned"))? = cancel.clone();
    with_workspace(&state, move |ws| {
        let mut report = |p: Progress| {
            let _ = on_progress.send(p);
        };
        baton_import::import_file(ws, &PathBuf::from(path), &options, &mut report, &cancel)
    })
    .await
}

#[tauri::command]
pub async fn imports_cancel(imports: State<'_, ImportState>) -> Result<()> {
    imports
        .cancel
        .lock()
        .map_err(|_| BatonError::internal("import state poisoned"))?
        .cancel();
    Ok(())
}

#[tauri::command]
pub async fn imports_history(state: S<'_>) -> Result<Vec<ImportInfo>> {
    with_workspace(&state, |ws| ws.imports()).await
}

#[tauri::command]
pub async fn imports_undo(state: S<'_>, id: i64) -> Result<UndoSummary> {
    let now = chrono::Local::now().naive_local().and_utc().timestamp();
    with_workspace(&state, move |ws| ws.undo_import(id, now)).await
}

/// Write an import's rejected rows as CSV to `dest`: the columns of the report's
/// `rejected_rows.csv`, formulas neutralized; `options` default to a BOM and commas (Excel).
#[tauri::command]
pub async fn imports_export_rejects(
    state: S<'_>,
    id: i64,
    dest: String,
    options: Option<baton_report::CsvOptions>,
) -> Result<()> {
    let table = with_workspace(&state, move |ws| {
        baton_report::exports::import_rejected_rows(ws, id)
    })
    .await?;
    let opts = options.unwrap_or(baton_report::CsvOptions {
        bom: true,
        delimiter: ',',
    });
    blocking(move || baton_report::csv_out::write_table_file(&table, &PathBuf::from(dest), &opts))
        .await
}

#[tauri::command]
pub async fn imports_save_profile(profile: Profile, dest: String) -> Result<()> {
    blocking(move || {
        std::fs::write(&dest, profile.to_json_pretty()).map_err(|e| BatonError::io(&dest, e))
    })
    .await
}

#[tauri::command]
pub async fn imports_load_profile(path: String) -> Result<Profile> {
    blocking(move || {
        let text = std::fs::read_to_string(&path).map_err(|e| BatonError::io(&path, e))?;
        Profile::from_json(&text)
    })
    .await
}
