//! A workbook's preview goes through the same kept rows (`Sample`, `PreviewCache`) as a
//! CSV's: the sheet chosen is part of what is kept, typed date cells are kept with the rows,
//! and "what this mapping will import" drops subtotal rows as the import does.
mod common;
use baton_import::{ColumnType, ImportOptions, PreviewCache, PreviewContext, Sample};
use common::*;
use std::sync::Arc;

#[test]
fn the_kept_rows_are_those_of_the_sheet_chosen() {
    let path = fixture("multi-sheet.xlsx");
    let cache = PreviewCache::default();
    let cx = PreviewContext::default();
    let deals = cache
        .preview(&path, &ImportOptions::default(), &cx)
        .unwrap();
    assert_eq!(deals.sheet.as_deref(), Some("Deals"));
    assert_eq!(deals.sheets, ["Cover", "Deals", "Leads"]);
    let first = cache.sample(&path, None).unwrap();
    // A mapping change on the same sheet re-maps the rows already read.
    let forced = ImportOptions {
        preset: Some("zoho-deals".into()),
        ..ImportOptions::default()
    };
    assert_eq!(cache.preview(&path, &forced, &cx).unwrap(), deals);
    assert!(Arc::ptr_eq(&first, &cache.sample(&path, None).unwrap()));
    // Another sheet is another table: read, not the rows kept from "Deals".
    let leads_opts = ImportOptions {
        sheet: Some("Leads".into()),
        ..ImportOptions::default()
    };
    let leads = cache.preview(&path, &leads_opts, &cx).unwrap();
    assert_eq!(leads.sheet.as_deref(), Some("Leads"));
    assert_eq!(leads.preset.as_deref(), Some("zoho-leads"));
    assert_eq!(
        leads,
        baton_import::preview_file(&path, &leads_opts).unwrap()
    );
    let w = leads.would_import.unwrap();
    assert_eq!((w.kind.as_str(), w.records, w.rejected), ("lead", 3, 0));
}

#[test]
fn the_summary_of_a_grouped_report_drops_its_subtotals_as_the_import_does() {
    let path = fixture("salesforce-opportunities-report.xlsx");
    let p = PreviewCache::default()
        .preview(&path, &ImportOptions::default(), &PreviewContext::default())
        .unwrap();
    let w = p.would_import.unwrap();
    assert_eq!(
        (w.rows, w.records, w.rejected, w.skipped),
        (8, 3, 0, 5),
        "3 records; 2 subtotals, the total and 2 footer lines skipped: {:?}",
        w.rejects
    );
    let (_d, mut ws) = workspace();
    let s = import(&mut ws, &path, &ImportOptions::default()).unwrap();
    assert_eq!((s.rows_read, s.inserted, s.rejected), (8, w.records, 0));
}

const DEALS_HEADER: [&str; 13] = [
    "Record ID",
    "Deal Name",
    "Last Activity Date",
    "State",
    "Deal Stage",
    "Close Date",
    "Deal owner",
    "Amount",
    "Create Date",
    "Pipeline",
    "Date entered \"Appointment Scheduled (Sales Pipeline)\"",
    "Date entered \"Closed Won (Sales Pipeline)\"",
    "Date entered \"Closed Lost (Sales Pipeline)\"",
];

/// A HubSpot deals sheet of one row whose Close Date cell displays as text no date rule
/// reads ("30. 4. 2025"); `typed` keeps the cell's date beside it, as a workbook gives it.
fn deals_sample(typed: bool) -> Sample {
    let header: Vec<String> = DEALS_HEADER.iter().map(|s| s.to_string()).collect();
    let mut s = Sample::new(
        "deals.xlsx",
        "XLSX workbook".into(),
        String::new(),
        1,
        header,
        DEALS_HEADER.len(),
    );
    s.set_sheet("Deals".into(), vec!["Deals".into()]);
    let row = [
        "9001",
        "Acme renewal",
        "",
        "",
        "Closed Won",
        "30. 4. 2025",
        "Alice Martin",
        "12000.5",
        "",
        "Sales Pipeline",
        "",
        "",
        "",
    ];
    let dates = if typed {
        vec![(5, at("2025-04-30 00:00"))]
    } else {
        Vec::new()
    };
    s.push_row(2, &row, &dates, None, false);
    s
}

#[test]
fn typed_date_cells_are_kept_with_the_rows_and_mapped_as_they_are() {
    let cx = PreviewContext::default();
    let p = deals_sample(true)
        .preview(&ImportOptions::default(), &cx)
        .unwrap();
    assert_eq!(p.preset.as_deref(), Some("hubspot-deals"));
    assert_eq!((p.sheet.as_deref(), p.sheets.len()), (Some("Deals"), 1));
    let close = p.columns.iter().find(|c| c.name == "Close Date").unwrap();
    assert_eq!(
        (close.column_type, close.date_format),
        (ColumnType::Date, None)
    );
    let w = p.would_import.unwrap();
    assert_eq!((w.records, w.rejected, w.won), (1, 0, 1), "{:?}", w.rejects);
    // The same text without the typed date is not a date: the row would be rejected.
    let w = deals_sample(false)
        .preview(&ImportOptions::default(), &cx)
        .unwrap()
        .would_import
        .unwrap();
    assert_eq!((w.records, w.rejected), (0, 1));
}
