//! Reports screen: typeset the report off the main thread (progress through a
//! channel), keep the PDF that was previewed, save exactly that PDF, export CSVs.
use crate::state::{blocking, AppState};
use baton_core::{BatonError, Cancel, Progress, Result};
use baton_report::{CsvOptions, ReportPreview, ReportRequest};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::State;

/// The last previewed PDF (what "Save" writes) and the cancel flag of the run.
#[derive(Default)]
pub struct ReportState {
    last_pdf: Mutex<Option<Vec<u8>>>,
    cancel: Mutex<Cancel>,
}

#[tauri::command]
pub async fn report_preview(
    state: State<'_, AppState>,
    reports: State<'_, ReportState>,
    request: ReportRequest,
    on_progress: Channel<Progress>,
) -> Result<ReportPreview> {
    let cancel = Cancel::new();
    *reports.cancel.lock().expect("report lock") = cancel.clone();
    let rendered = state
        .with_workspace(move |ws| {
            baton_report::generate(
                ws,
                &request,
                true,
                &mut |p| drop(on_progress.send(p)),
                &cancel,
            )
        })
        .await?;
    let preview = ReportPreview {
        pages: rendered.svg_pages,
        pdf_bytes: rendered.pdf.len() as u64,
    };
    *reports.last_pdf.lock().expect("report lock") = Some(rendered.pdf);
    Ok(preview)
}

#[tauri::command]
pub async fn report_cancel(reports: State<'_, ReportState>) -> Result<()> {
    reports.cancel.lock().expect("report lock").cancel();
    Ok(())
}

/// Write the previewed PDF to `path`.
#[tauri::command]
pub async fn report_save(reports: State<'_, ReportState>, path: String) -> Result<()> {
    let pdf = reports.last_pdf.lock().expect("report lock").clone();
    let pdf = pdf.ok_or_else(|| BatonError::conflict("preview the report before saving it"))?;
    blocking(move || std::fs::write(&path, pdf).map_err(|e| BatonError::io(&path, e))).await
}

/// Write every CSV export into `dir`; returns the files written.
#[tauri::command]
pub async fn report_export_csv(
    state: State<'_, AppState>,
    dir: String,
    period: String,
    options: CsvOptions,
) -> Result<Vec<String>> {
    let files = state
        .with_workspace(move |ws| {
            baton_report::exports::export_workspace(ws, &period, &PathBuf::from(dir), &options)
        })
        .await?;
    Ok(files.iter().map(|f| f.display().to_string()).collect())
}
