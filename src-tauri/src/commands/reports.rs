//! Reports screen: preview (progress through a channel), save exactly the previewed
//! PDF, export CSVs; the service keeps the PDF and drops it when another workspace opens.
use crate::state::{call, Svc};
use baton_core::{Progress, Result};
use baton_report::{CsvOptions, ReportPreview, ReportRequest};
use std::path::PathBuf;
use tauri::ipc::Channel;

#[tauri::command]
pub async fn report_preview(
    svc: Svc<'_>,
    request: ReportRequest,
    on_progress: Channel<Progress>,
) -> Result<ReportPreview> {
    call(&svc, move |s| {
        s.report_preview(&request, &mut |p| drop(on_progress.send(p)))
    })
    .await
}

#[tauri::command]
pub async fn report_cancel(svc: Svc<'_>) -> Result<()> {
    svc.report_cancel();
    Ok(())
}

/// Write the previewed PDF to `path`.
#[tauri::command]
pub async fn report_save(svc: Svc<'_>, path: String) -> Result<()> {
    call(&svc, move |s| s.report_save(&PathBuf::from(path))).await
}

/// Write every CSV export into `dir`; returns the files written.
#[tauri::command]
pub async fn report_export_csv(
    svc: Svc<'_>,
    dir: String,
    period: String,
    options: CsvOptions,
) -> Result<Vec<String>> {
    let files = call(&svc, move |s| {
        s.export_csv(&PathBuf::from(dir), &period, &options)
    })
    .await?;
    Ok(files.iter().map(|f| f.display().to_string()).collect())
}
