//! A partial import keeps bad rows aside, but not most of the file: when more than half of
//! the rows would be rejected the file is almost certainly misread, and the import is
//! refused unless forced.
use baton_store::prelude::*;
mod common;
use baton_core::ErrorCode;
use baton_import::ImportOptions;
use common::*;

const HEADER: &str = "Record ID,Lifecycle Stage,Create Date\n";

fn file(good: usize, bad: usize) -> String {
    let mut text = HEADER.to_string();
    for i in 0..good {
        text.push_str(&format!("{},Lead,2025-01-02\n", 100 + i));
    }
    for i in 0..bad {
        text.push_str(&format!("{},Lead,someday\n", 200 + i));
    }
    text
}

fn partial(force: bool) -> ImportOptions {
    ImportOptions {
        allow_partial: true,
        force,
        ..Default::default()
    }
}

#[test]
fn more_than_half_rejected_is_refused_unless_forced() {
    let (_d, mut ws) = workspace();
    let e = import_text(&mut ws, "mostly-bad.csv", &file(1, 3), &partial(false)).unwrap_err();
    assert_eq!(e.code, ErrorCode::TooManyRejected, "{}", e.message);
    assert!(
        e.message
            .starts_with("mostly-bad.csv: 3 of 4 rows could not be read")
            && e.message.contains("line 3, column \"Create Date\"")
            && e.message.contains("only 1 would be imported")
            && e.message.contains("Nothing was imported"),
        "{}",
        e.message
    );
    assert!(ws.imports().unwrap().is_empty());
    assert!(ws.import_records(None).unwrap().is_empty());

    let s = import_text(&mut ws, "mostly-bad.csv", &file(1, 3), &partial(true)).unwrap();
    assert_eq!((s.inserted, s.rejected), (1, 3));
}

#[test]
fn half_or_fewer_rejected_imports_the_rest() {
    let (_d, mut ws) = workspace();
    let s = import_text(&mut ws, "half.csv", &file(2, 2), &partial(false)).unwrap();
    assert_eq!((s.inserted, s.rejected), (2, 2));
    // Without --allow-partial the first bad row still stops the import, as before.
    let e = import_text(&mut ws, "half.csv", &file(2, 2), &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
}
