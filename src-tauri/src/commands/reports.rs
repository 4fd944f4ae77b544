//! Reports screen: typeset the report off the main thread (progress through a
//! channel), keep the PDF that was previewed, save exactly that PDF, export CSVs.
//! The kept PDF belongs to the workspace it was made from: once another
//! workspace is open it is dropped, never saved as the new one's report.
use crate::state::{blocking, with_workspace, Svc};
use baton_core::{BatonError, Cancel, Progress, Result};
use baton_report::{CsvOptions, ReportPreview, ReportRequest};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::State;

/// The last previewed PDF (what "Save" writes) and the cancel flag of the run.
#[derive(Default)]
pub struct ReportState {
    last_pdf: Mutex<Option<Previewed>>,
    cancel: Mutex<Cancel>,
}

/// A previewed PDF and the workspace file it was typeset from.
struct Previewed {
    workspace: Option<PathBuf>,
    pdf: Vec<u8>,
}

impl ReportState {
    fn keep(&self, workspace: Option<PathBuf>, pdf: Vec<u8>) {
        *self.last_pdf.lock().expect("report lock") = Some(Previewed { workspace, pdf });
    }

    /// The kept PDF if it was made from `workspace`; a PDF of another workspace
    /// is dropped.
    fn pdf_for(&self, workspace: &Option<PathBuf>) -> Option<Vec<u8>> {
        let mut kept = self.last_pdf.lock().expect("report lock");
        if kept.as_ref().is_some_and(|k| k.workspace != *workspace) {
            *kept = None;
        }
        kept.as_ref().map(|k| k.pdf.clone())
    }
}

#[tauri::command]
pub async fn report_preview(
    state: Svc<'_>,
    reports: State<'_, ReportState>,
    request: ReportRequest,
    on_progress: Channel<Progress>,
) -> Result<ReportPreview> {
    let cancel = Cancel::new();
    *reports.cancel.lock().expect("report lock") = cancel.clone();
    let workspace = state.session().current_path();
    let rendered = with_workspace(&state, move |ws| {
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
    reports.keep(workspace, rendered.pdf);
    Ok(preview)
}

#[tauri::command]
pub async fn report_cancel(reports: State<'_, ReportState>) -> Result<()> {
    reports.cancel.lock().expect("report lock").cancel();
    Ok(())
}

/// Write the previewed PDF to `path`.
#[tauri::command]
pub async fn report_save(
    state: Svc<'_>,
    reports: State<'_, ReportState>,
    path: String,
) -> Result<()> {
    let pdf = reports
        .pdf_for(&state.session().current_path())
        .ok_or_else(|| BatonError::conflict("preview the report before saving it"))?;
    blocking(move || std::fs::write(&path, pdf).map_err(|e| BatonError::io(&path, e))).await
}

/// Write every CSV export into `dir`; returns the files written.
#[tauri::command]
pub async fn report_export_csv(
    state: Svc<'_>,
    dir: String,
    period: String,
    options: CsvOptions,
) -> Result<Vec<String>> {
    let files = with_workspace(&state, move |ws| {
        baton_report::exports::export_workspace(ws, &period, &PathBuf::from(dir), &options)
    })
    .await?;
    Ok(files.iter().map(|f| f.display().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_previewed_pdf_is_saved_only_for_its_workspace() {
        let state = ReportState::default();
        let a = Some(PathBuf::from("/w/a.baton"));
        let b = Some(PathBuf::from("/w/b.baton"));
        state.keep(a.clone(), b"%PDF a".to_vec());
        assert_eq!(state.pdf_for(&a).as_deref(), Some(&b"%PDF a"[..]));
        assert_eq!(state.pdf_for(&b), None);
        // Dropped for good: reopening the first workspace does not bring it back.
        assert_eq!(state.pdf_for(&a), None);
    }
}
