//! The management report: preview (progress, cancel), save exactly the PDF that was
//! previewed, write a PDF straight away, CSV exports. The kept PDF belongs to the
//! workspace it was typeset from: once another workspace is open it is dropped, never
//! saved as the new one's report.
use crate::{JobKind, Service};
use baton_core::{BatonError, Progress, Result};
use baton_report::{CsvOptions, ReportPreview, ReportRequest};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The last previewed PDF and the workspace file it was typeset from.
#[derive(Default)]
pub(crate) struct Kept(Mutex<Option<(Option<String>, Vec<u8>)>>);

impl Kept {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Option<String>, Vec<u8>)>> {
        // A panic while holding the lock leaves nothing half-written: the value is whole.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A report written to a file.
#[derive(Debug, Clone, Serialize)]
pub struct ReportWritten {
    pub pdf: PathBuf,
    pub pages: usize,
    pub bytes: usize,
}

impl Service {
    /// Typeset the report with its pages as SVG, and keep the PDF for
    /// [`Service::report_save`]. [`Service::report_cancel`] stops it.
    pub fn report_preview(
        &self,
        request: &ReportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ReportPreview> {
        let cancel = self.jobs().start(JobKind::Report);
        let workspace = self.session().current_key();
        let rendered =
            self.read(|ws| baton_report::generate(ws, request, true, progress, &cancel))?;
        let preview = ReportPreview {
            pages: rendered.svg_pages,
            pdf_bytes: rendered.pdf.len() as u64,
        };
        *self.0.report.lock() = Some((workspace, rendered.pdf));
        Ok(preview)
    }

    /// Stop the running preview; false when none was started.
    pub fn report_cancel(&self) -> bool {
        self.jobs().cancel(JobKind::Report)
    }

    /// Write the previewed PDF to `path`; refused when nothing of the open workspace
    /// was previewed.
    pub fn report_save(&self, path: &Path) -> Result<()> {
        let pdf = self
            .kept_report()
            .ok_or_else(|| BatonError::conflict("preview the report before saving it"))?;
        std::fs::write(path, pdf).map_err(|e| BatonError::io(path.display(), e))
    }

    /// Typeset the report and write it to `out` (no preview, nothing kept).
    pub fn report_write(&self, request: &ReportRequest, out: &Path) -> Result<ReportWritten> {
        let rendered = self.read(|ws| {
            baton_report::generate(ws, request, false, &mut |_| {}, &baton_core::Cancel::new())
        })?;
        std::fs::write(out, &rendered.pdf).map_err(|e| BatonError::io(out.display(), e))?;
        Ok(ReportWritten {
            pdf: out.to_path_buf(),
            pages: rendered.page_count,
            bytes: rendered.pdf.len(),
        })
    }

    /// Write every CSV export into `dir` (created if missing); returns the files written.
    pub fn export_csv(&self, dir: &Path, period: &str, opts: &CsvOptions) -> Result<Vec<PathBuf>> {
        self.read(|ws| baton_report::exports::export_workspace(ws, period, dir, opts))
    }

    /// The kept PDF if it was typeset from the open workspace; one of another workspace
    /// is dropped for good.
    fn kept_report(&self) -> Option<Vec<u8>> {
        let current = self.session().current_key();
        let mut kept = self.0.report.lock();
        if kept.as_ref().is_some_and(|(ws, _)| *ws != current) {
            *kept = None;
        }
        kept.as_ref().map(|(_, pdf)| pdf.clone())
    }

    pub(crate) fn forget_report(&self) {
        *self.0.report.lock() = None;
    }
}
