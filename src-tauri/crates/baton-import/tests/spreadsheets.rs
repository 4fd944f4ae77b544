//! Workbooks (`.xlsx`, `.xls`, `.ods`) import through the same presets, preview, upsert and
//! undo as CSV: each preset's `.xlsx` twin (scripts/gen-spreadsheet-fixtures.py) gives the
//! same records as its CSV fixture, record by record.
use baton_store::prelude::*;
mod common;
use baton_core::ErrorCode;
use baton_import::{preview_file, ColumnType, DateFormat, ImportOptions, ImportSummary};
use baton_store::RecordView;
use common::*;

const PRESETS: [&str; 7] = [
    "hubspot-contacts",
    "hubspot-deals",
    "salesforce-leads",
    "salesforce-opportunities",
    "pipedrive-deals",
    "zoho-leads",
    "zoho-deals",
];

fn records(file: &str, opts: &ImportOptions) -> (ImportSummary, Vec<RecordView>) {
    let (_d, mut ws) = workspace();
    let s =
        import(&mut ws, &fixture(file), opts).unwrap_or_else(|e| panic!("{file}: {}", e.message));
    let mut rs = ws.import_records(None).unwrap();
    for r in rs.iter_mut() {
        // The time each import ran and the row's storage id (a grouped report lists the
        // records in another order): not part of what the file says.
        r.first_seen = Default::default();
        r.id = 0;
    }
    rs.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    (s, rs)
}

fn assert_same_records(csv: &str, sheet: &str) -> Vec<RecordView> {
    let opts = ImportOptions::default();
    let (s1, a) = records(csv, &opts);
    let (s2, b) = records(sheet, &opts);
    assert_eq!(s1.preset, s2.preset, "{sheet}");
    assert_eq!(a.len(), b.len(), "{csv} vs {sheet}");
    assert!(!a.is_empty(), "{csv}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{csv} vs {sheet}, record {}", x.external_id);
    }
    b
}

#[test]
fn every_preset_xlsx_twin_imports_to_the_csv_records() {
    for p in PRESETS {
        assert_same_records(&format!("{p}.csv"), &format!("{p}.xlsx"));
    }
}

#[test]
fn ods_and_xls_twins_import_to_the_csv_records() {
    assert_same_records("hubspot-deals.csv", "hubspot-deals.ods");
    assert_same_records("zoho-deals.csv", "zoho-deals.xls");
}

#[test]
fn importing_the_csv_after_its_xlsx_twin_updates_the_same_records_and_undo_restores() {
    // Record keys made of names and a date (Salesforce leads without an id) match too:
    // the date cell is rendered as the workbook shows it (3/5/2024), as the CSV writes it.
    let (_d, mut ws) = workspace();
    let opts = ImportOptions::default();
    let first = import(&mut ws, &fixture("salesforce-leads.xlsx"), &opts).unwrap();
    assert_eq!(first.inserted, 3, "{first:?}");
    let second = import(&mut ws, &fixture("salesforce-leads.csv"), &opts).unwrap();
    assert_eq!((second.inserted, second.updated), (0, 3), "{second:?}");
    let now = at("2030-01-01 00:00");
    ws.undo_import(second.import_id, now).unwrap();
    ws.undo_import(first.import_id, now).unwrap();
    assert!(ws.import_records(None).unwrap().is_empty());
}

#[test]
fn salesforce_formatted_report_header_below_title_rows_and_subtotals_dropped() {
    let p = preview_file(
        &fixture("salesforce-opportunities-report.xlsx"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(p.preset.as_deref(), Some("salesforce-opportunities"));
    assert_eq!(
        p.header_line, 7,
        "title, As of, filter lines and a blank row"
    );
    assert_eq!(p.columns[0].name, "Type");
    assert_eq!(p.sheet.as_deref(), Some("Opportunities by Type"));
    // The group column is merged down its rows: each row reads the group's value.
    let initech = p.rows.iter().find(|r| r[2] == "Initech").unwrap();
    assert_eq!(initech[0], "Existing Customer");
    let rs = assert_same_records(
        "salesforce-opportunities.csv",
        "salesforce-opportunities-report.xlsx",
    );
    assert_eq!(rs.len(), 3);
    let (s, _) = records(
        "salesforce-opportunities-report.xlsx",
        &ImportOptions::default(),
    );
    assert_eq!(
        s.rows_read, 8,
        "3 records, 2 subtotals, total, 2 footer lines"
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.starts_with("skipped 5 footer/total row(s)")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn an_ods_report_reads_its_merged_group_column_on_every_row() {
    // LibreOffice's .ods twin of the formatted report: the group cell spans its rows
    // (`table:number-rows-spanned`), the rows below hold covered cells.
    let p = preview_file(
        &fixture("salesforce-opportunities-report.ods"),
        &ImportOptions::default(),
    )
    .unwrap();
    let initech = p.rows.iter().find(|r| r[2] == "Initech").unwrap();
    assert_eq!(initech[0], "Existing Customer");
    // Same records as the CSV, but for the id: it is made from the close date, which an
    // .ods date cell gives as 2024-03-05 where the CSV writes 3/5/2024.
    let without_ids = |file: &str| {
        let (_, mut rs) = records(file, &ImportOptions::default());
        rs.iter_mut().for_each(|r| r.external_id.clear());
        rs.sort_by(|a, b| a.amount.partial_cmp(&b.amount).unwrap());
        rs
    };
    let ods = without_ids("salesforce-opportunities-report.ods");
    assert_eq!(ods.len(), 3);
    assert_eq!(ods, without_ids("salesforce-opportunities.csv"));
}

#[test]
fn typed_cells_are_taken_as_they_are() {
    let p = preview_file(&fixture("hubspot-deals.xlsx"), &ImportOptions::default()).unwrap();
    assert_eq!(p.encoding, "XLSX workbook");
    assert_eq!(p.delimiter, "");
    let close = p.columns.iter().find(|c| c.name == "Close Date").unwrap();
    assert_eq!(close.column_type, ColumnType::Date);
    assert_eq!(
        close.date_format, None,
        "a date cell has no format to decide"
    );
    let amount = p.columns.iter().find(|c| c.name == "Amount").unwrap();
    assert_eq!(amount.column_type, ColumnType::Number);
    // Shown as the workbook shows them.
    assert_eq!(p.rows[0][2], "2025-04-08 17:19");
    assert_eq!(p.rows[0][7], "12000.5");
}

#[test]
fn dates_typed_in_as_text_go_through_the_date_rules() {
    // "20/9/2026" and "30/10/2026" are text cells beside a date cell: read as D/M/YYYY.
    let rs = assert_same_records("zoho-deals.csv", "zoho-deals-text-dates.xlsx");
    assert_eq!(rs.len(), 3);
    let p = preview_file(
        &fixture("zoho-deals-text-dates.xlsx"),
        &ImportOptions::default(),
    )
    .unwrap();
    let closing = p.columns.iter().find(|c| c.name == "Closing Date").unwrap();
    assert_eq!(closing.column_type, ColumnType::Date);
    assert_eq!(
        closing.date_format,
        Some(DateFormat::Dmy),
        "decided by the text"
    );
    assert_eq!(p.rows[1][6], "20/9/2026", "text as typed in");
}

#[test]
fn the_first_sheet_with_data_is_read_unless_one_is_chosen() {
    let path = fixture("multi-sheet.xlsx");
    let p = preview_file(&path, &ImportOptions::default()).unwrap();
    assert_eq!(p.sheets, ["Cover", "Deals", "Leads"]);
    assert_eq!(p.sheet.as_deref(), Some("Deals"));
    assert_eq!(p.preset.as_deref(), Some("zoho-deals"));
    let leads = ImportOptions {
        sheet: Some("leads".into()),
        ..ImportOptions::default()
    };
    let p = preview_file(&path, &leads).unwrap();
    assert_eq!(p.sheet.as_deref(), Some("Leads"));
    assert_eq!(p.preset.as_deref(), Some("zoho-leads"));
    let (_d, mut ws) = workspace();
    let s = import(&mut ws, &path, &leads).unwrap();
    assert_eq!(
        (s.preset.as_str(), s.sheet.as_deref()),
        ("zoho-leads", Some("Leads"))
    );
    assert_eq!(s.inserted, 3);
    let missing = ImportOptions {
        sheet: Some("Contacts".into()),
        ..ImportOptions::default()
    };
    let e = preview_file(&path, &missing).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(
        e.message
            .contains("multi-sheet.xlsx: no sheet named \"Contacts\"; its sheets are \"Cover\", \"Deals\", \"Leads\""),
        "{}",
        e.message
    );
}

#[test]
fn damaged_empty_and_password_protected_workbooks_are_refused_clearly() {
    let (_d, mut ws) = workspace();
    let opts = ImportOptions::default();
    let e = import(&mut ws, &fixture("damaged.xlsx"), &opts).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message
            .starts_with("damaged.xlsx: not a readable XLSX workbook (")
            && e.message.contains("damaged or only partly downloaded"),
        "{}",
        e.message
    );
    let e = import(&mut ws, &fixture("empty-workbook.xlsx"), &opts).unwrap_err();
    assert!(
        e.message.contains(
            "empty-workbook.xlsx: the workbook is empty: no data in its sheet(s) \"Sheet1\""
        ),
        "{}",
        e.message
    );
    // The .xlsx is encrypted as Excel does it (scripts/gen-spreadsheet-fixtures.py).
    for f in [
        "password-protected.ods",
        "password-protected.xls",
        "password-protected.xlsx",
    ] {
        let e = import(&mut ws, &fixture(f), &opts).unwrap_err();
        assert_eq!(e.code, ErrorCode::PasswordProtected, "{f}: {}", e.message);
        assert!(
            e.message
                .starts_with(&format!("{f}: the workbook is protected with a password")),
            "{}",
            e.message
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("nothing.xlsx");
    std::fs::write(&zero, b"").unwrap();
    let e = import(&mut ws, &zero, &opts).unwrap_err();
    assert!(
        e.message.contains("nothing.xlsx: the file is empty"),
        "{}",
        e.message
    );
    assert!(ws.imports().unwrap().is_empty(), "nothing was imported");
}

#[test]
fn a_bad_row_in_a_workbook_names_the_sheet_and_row_and_nothing_lands() {
    let (_d, mut ws) = workspace();
    let path = fixture("hubspot-deals-bad-amount.xlsx");
    let e = import(&mut ws, &path, &ImportOptions::default()).unwrap_err();
    assert!(
        e.message.starts_with(
            "hubspot-deals-bad-amount.xlsx, sheet \"Deals\", row at line 3, column \"Amount\": found \"five thousand\""
        ),
        "{}",
        e.message
    );
    assert!(ws.imports().unwrap().is_empty());
    assert!(ws.import_records(None).unwrap().is_empty());
    let partial = ImportOptions {
        allow_partial: true,
        ..ImportOptions::default()
    };
    let s = import(&mut ws, &path, &partial).unwrap();
    assert_eq!((s.inserted, s.rejected), (2, 1), "{s:?}");
}

/// A minimal `.xlsx` of inline-string cells, with the given merged regions (`A1:B2` refs).
fn write_xlsx(path: &std::path::Path, rows: &[Vec<String>], merges: &[&str]) {
    use std::io::Write;
    let col = |i: usize| ((b'A' + i as u8) as char).to_string();
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    sheet.push_str(&format!(
        r#"<dimension ref="A1:{}{}"/><sheetData>"#,
        col(width - 1),
        rows.len()
    ));
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.push_str(&format!(
                r#"<c r="{}{}" t="inlineStr"><is><t>{v}</t></is></c>"#,
                col(c),
                r + 1
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData>");
    if !merges.is_empty() {
        sheet.push_str(&format!(r#"<mergeCells count="{}">"#, merges.len()));
        for m in merges {
            sheet.push_str(&format!(r#"<mergeCell ref="{m}"/>"#));
        }
        sheet.push_str("</mergeCells>");
    }
    sheet.push_str("</worksheet>");
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn merged_cells_are_read_in_a_sheet_of_any_size() {
    // 60,000 rows (a grouped report that big): the source column is merged down the last
    // ten rows, and the sheet lists that region after every cell.
    const ROWS: usize = 60_000;
    let mut rows = vec![vec![
        "Record ID".to_string(),
        "Email".into(),
        "Lifecycle Stage".into(),
        "Original Source".into(),
        "Create Date".into(),
    ]];
    for i in 1..=ROWS {
        let source = if i > ROWS - 10 && i != ROWS - 9 {
            String::new()
        } else if i == ROWS - 9 {
            "Paid Search".into()
        } else {
            "Organic Search".into()
        };
        rows.push(vec![
            i.to_string(),
            format!("p{i}@example.com"),
            "Lead".into(),
            source,
            "2025-01-06 09:15".into(),
        ]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-report.xlsx");
    let last = ROWS + 1;
    write_xlsx(&path, &rows, &[&format!("D{}:D{last}", last - 9)]);
    let (_d, mut ws) = workspace();
    let s = import(&mut ws, &path, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(s.rows_read as usize, ROWS);
    let rs = ws.import_records(None).unwrap();
    let source = |id: usize| {
        rs.iter()
            .find(|r| r.external_id == id.to_string())
            .and_then(|r| r.source.clone())
    };
    for id in ROWS - 9..=ROWS {
        assert_eq!(source(id).as_deref(), Some("Paid Search"), "record {id}");
    }
    assert_eq!(source(ROWS - 10).as_deref(), Some("Organic Search"));
    assert_eq!(source(1).as_deref(), Some("Organic Search"));
}
