//! Baton's management report and CSV exports. Tauri-free: used by the app's
//! Reports screen and by `baton report` / `baton export`.
//!
//! Pipeline: [`gather`] fills a [`ReportData`] from a workspace (the same
//! engine calls as the rest of Baton, e.g. `baton funnel --json`), then
//! [`render`] typesets it with typst (`template/report.typ`) into a PDF and,
//! for the preview, SVG pages. [`exports`] builds the CSV tables, written by
//! [`csv_out`] with spreadsheet-injection protection.

pub mod csv_out;
pub mod exports;
pub mod format;
pub mod gather;
pub mod model;
pub mod period;
mod typeset;

#[cfg(any(test, feature = "spreadsheet-check"))]
pub mod libreoffice;
#[cfg(test)]
mod pdf_tests;
#[cfg(test)]
mod sample;

pub use csv_out::{CsvOptions, Table};
pub use model::{Paper, ReportData, SectionId};
pub use period::Period;

use baton_core::{BatonError, Cancel, Progress, ProgressFn, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRequest {
    /// `2025-Q3`, `2025-09`, `2025` or `all`.
    pub period: String,
    /// Sections to include, in any order (printed in the report's order);
    /// empty means all.
    pub sections: Vec<SectionId>,
    pub paper: Paper,
}

impl Default for ReportRequest {
    fn default() -> Self {
        Self {
            period: "all".into(),
            sections: Vec::new(),
            paper: Paper::A4,
        }
    }
}

impl ReportRequest {
    /// The chosen sections in report order, all of them if none was chosen.
    pub fn sections_in_order(&self) -> Vec<SectionId> {
        if self.sections.is_empty() {
            return SectionId::ALL.to_vec();
        }
        SectionId::ALL
            .into_iter()
            .filter(|s| self.sections.contains(s))
            .collect()
    }
}

/// What the Reports screen shows before saving: the pages as SVG.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReportPreview {
    /// One standalone SVG document per page.
    pub pages: Vec<String>,
    #[ts(type = "number")]
    pub pdf_bytes: u64,
}

/// A typeset report.
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// One SVG document per page, when a preview was asked for.
    pub svg_pages: Vec<String>,
    pub page_count: usize,
}

/// Typeset `data` into a PDF (and SVG pages when `with_preview`).
pub fn render(
    data: &ReportData,
    with_preview: bool,
    progress: ProgressFn,
    cancel: &Cancel,
) -> Result<Rendered> {
    const STEPS: u64 = 3;
    let step = |p: &mut dyn FnMut(Progress), phase: &str, done: u64| {
        p(Progress {
            phase: phase.into(),
            done,
            total: Some(STEPS),
        })
    };
    step(progress, "typesetting", 1);
    let doc = typeset::layout(data)?;
    if cancel.is_cancelled() {
        return Err(BatonError::cancelled());
    }
    step(progress, "writing pdf", 2);
    let pdf = typeset::pdf(&doc)?;
    let svg_pages = if with_preview {
        if cancel.is_cancelled() {
            return Err(BatonError::cancelled());
        }
        typeset::svg_pages(&doc)
    } else {
        Vec::new()
    };
    step(progress, "done", 3);
    Ok(Rendered {
        pdf,
        svg_pages,
        page_count: doc.pages().len(),
    })
}

/// Gather the workspace's figures and typeset the report in one call.
pub fn generate(
    ws: &dyn baton_store::WorkspaceData,
    request: &ReportRequest,
    with_preview: bool,
    progress: ProgressFn,
    cancel: &Cancel,
) -> Result<Rendered> {
    progress(Progress {
        phase: "gathering".into(),
        done: 0,
        total: Some(3),
    });
    let data = gather::report_data(ws, request, today())?;
    if cancel.is_cancelled() {
        return Err(BatonError::cancelled());
    }
    render(&data, with_preview, progress, cancel)
}

/// Today's date on the local wall clock, `YYYY-MM-DD`.
pub fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}
