//! The report through the service: preview with progress, save exactly what was
//! previewed, cancel, write straight away, CSV exports.
mod common;
use baton_core::ErrorCode;
use baton_report::{CsvOptions, ReportRequest};
use common::*;

#[test]
fn a_preview_reports_progress_and_save_writes_that_pdf() {
    let (dir, svc) = service();
    let file = leads_file(dir.path(), "leads.csv", 0, 40);
    svc.import_run(&file, &leads_profile(), &mut |_| {})
        .unwrap();
    let out = dir.path().join("report.pdf");
    assert_eq!(
        svc.report_save(&out).unwrap_err().code,
        ErrorCode::Conflict,
        "nothing previewed yet"
    );

    let mut phases = Vec::new();
    let preview = svc
        .report_preview(&ReportRequest::default(), &mut |p| phases.push(p.phase))
        .unwrap();
    assert!(!preview.pages.is_empty());
    assert_eq!(phases.first().map(String::as_str), Some("gathering"));
    assert_eq!(phases.last().map(String::as_str), Some("done"));
    svc.report_save(&out).unwrap();
    let pdf = std::fs::read(&out).unwrap();
    assert_eq!(pdf.len() as u64, preview.pdf_bytes);
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn a_cancelled_preview_keeps_nothing() {
    let (dir, svc) = service();
    let canceller = svc.clone();
    let e = svc
        .report_preview(&ReportRequest::default(), &mut |p| {
            if p.phase == "gathering" {
                assert!(canceller.report_cancel());
            }
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    let out = dir.path().join("report.pdf");
    assert_eq!(svc.report_save(&out).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn the_report_and_the_csv_exports_are_written_to_files() {
    let (dir, svc) = service();
    let file = leads_file(dir.path(), "leads.csv", 0, 40);
    svc.import_run(&file, &leads_profile(), &mut |_| {})
        .unwrap();
    let out = dir.path().join("direct.pdf");
    let written = svc.report_write(&ReportRequest::default(), &out).unwrap();
    assert!(written.pages > 0);
    assert_eq!(std::fs::read(&out).unwrap().len(), written.bytes);

    let files = svc
        .export_csv(
            &dir.path().join("csv"),
            "all",
            &CsvOptions {
                bom: false,
                delimiter: ';',
            },
        )
        .unwrap();
    assert!(files.iter().any(|f| f.ends_with("funnel.csv")), "{files:?}");
    assert!(files.iter().all(|f| f.is_file()));
}
