//! Upsert, stage history, undo, partial imports, clear errors, date-order decisions, cancel.
mod common;
use baton_core::{Cancel, ErrorCode};
use baton_import::{import_bytes, ImportOptions, Profile};
use common::*;

fn profile() -> ImportOptions {
    let p = Profile::from_json(
        r#"{"name": "crm", "kind": "lead", "record_id": "Id", "stage_column": "Status",
            "stage_values": {"New": "lead", "Qualified": "mql", "Meeting": "sql", "Dead": "lost"},
            "stage_dates": {"mql": "MQL date"}, "created_date": "Created",
            "fields": {"source": "Source", "amount": "Value", "plan": "Plan"},
            "personal": {"email": "Email"}}"#,
    )
    .unwrap();
    ImportOptions {
        profile: Some(p),
        ..Default::default()
    }
}

const WEEK1: &str = "Id,Status,MQL date,Created,Source,Value,Plan,Email\n\
1,New,,2025-01-02,Google,\"1,5\",Pro,a@x.test\n\
2,Qualified,2025-01-10,2025-01-03,google,,,b@x.test\n";
const WEEK2: &str = "Id,Status,MQL date,Created,Source,Value,Plan,Email\n\
1,Qualified,,2025-01-02,,,,a@x.test\n\
2,Meeting,2025-01-10,2025-01-03,LinkedIn,200,,b@x.test\n\
3,Dead,,2025-01-05,,,,c@x.test\n";

#[test]
fn upsert_keeps_stage_history_and_first_seen() {
    let (_d, mut ws) = workspace();
    let o1 = ImportOptions {
        as_of: Some(at("2025-01-15 09:00")),
        ..profile()
    };
    let s1 = import_text(&mut ws, "week1.csv", WEEK1, &o1).unwrap();
    assert_eq!((s1.preset.as_str(), s1.inserted, s1.updated), ("crm", 2, 0));
    let o2 = ImportOptions {
        as_of: Some(at("2025-01-22 09:00")),
        ..profile()
    };
    let s2 = import_text(&mut ws, "week2.csv", WEEK2, &o2).unwrap();
    assert_eq!((s2.inserted, s2.updated), (1, 2));
    let rs = ws.import_records(Some("lead")).unwrap();
    assert_eq!(rs.len(), 3, "no duplicates");
    let r1 = &rs[0];
    assert_eq!(r1.current_stage.as_deref(), Some("mql"));
    assert_eq!(r1.first_seen["lead"], at("2025-01-15 09:00"));
    assert_eq!(r1.first_seen["mql"], at("2025-01-22 09:00"));
    assert_eq!(
        r1.amount,
        Some(1.5),
        "a value missing from the later file is kept"
    );
    assert_eq!(r1.source.as_deref(), Some("Google"));
    assert_eq!(r1.custom["plan"], "Pro");
    assert_eq!(rs[1].source.as_deref(), Some("LinkedIn"));
    assert_eq!(rs[2].outcome, Some(baton_store::Outcome::Lost));
    let history: Vec<Option<String>> = ws
        .stage_history("lead", "1")
        .unwrap()
        .into_iter()
        .map(|h| h.2)
        .collect();
    assert_eq!(history, [Some("lead".to_string()), Some("mql".to_string())]);
    assert!(rs.iter().all(|r| r.personal.is_none()));
}

fn stages_seen(ws: &baton_store::Workspace, id: &str) -> Vec<(i64, Option<String>)> {
    let history = ws.stage_history("lead", id).unwrap();
    history
        .into_iter()
        .map(|(import, _, s)| (import, s))
        .collect()
}

#[test]
fn snapshots_cover_inserted_repeated_and_reinserted_records_only() {
    let (_d, mut ws) = workspace();
    let s1 = import_text(&mut ws, "w1.csv", WEEK1, &profile()).unwrap();
    let repeated = "Id,Status,MQL date,Created,Source,Value,Plan,Email\n\
3,New,,2025-01-05,,,,\n\
3,Qualified,2025-01-12,2025-01-05,,,,\n";
    let s2 = import_text(&mut ws, "rep.csv", repeated, &profile()).unwrap();
    assert_eq!((s2.inserted, s2.updated), (1, 1));
    assert_eq!(
        stages_seen(&ws, "3"),
        [(s2.import_id, Some("mql".to_string()))],
        "one snapshot with the record's final stage"
    );
    ws.undo_import(s2.import_id, 1).unwrap();
    // The next record takes the undone record's row id again.
    let s3 = import_text(
        &mut ws,
        "new.csv",
        "Id,Status,MQL date,Created,Source,Value,Plan,Email\n4,New,,,,,,\n",
        &profile(),
    )
    .unwrap();
    assert_eq!(
        stages_seen(&ws, "4"),
        [(s3.import_id, Some("lead".to_string()))]
    );
    assert_eq!(
        stages_seen(&ws, "1"),
        [(s1.import_id, Some("lead".to_string()))]
    );
    assert_eq!(
        stages_seen(&ws, "2"),
        [(s1.import_id, Some("mql".to_string()))]
    );
}

#[test]
fn undo_restores_the_previous_state_in_order() {
    let (_d, mut ws) = workspace();
    let s1 = import_text(&mut ws, "w1.csv", WEEK1, &profile()).unwrap();
    let after1 = ws.import_records(None).unwrap();
    let v1 = ws.data_version().unwrap();
    let s2 = import_text(&mut ws, "w2.csv", WEEK2, &profile()).unwrap();
    let e = ws.undo_import(s1.import_id, 0).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
    let u = ws.undo_import(s2.import_id, 1).unwrap();
    assert_eq!((u.deleted, u.restored), (1, 2));
    assert_eq!(ws.import_records(None).unwrap(), after1);
    assert!(ws.data_version().unwrap() > v1);
    assert!(ws.imports().unwrap()[0].undone_at.is_some());
    ws.undo_import(s1.import_id, 2).unwrap();
    assert!(ws.import_records(None).unwrap().is_empty());
}

#[test]
fn a_bad_row_stops_the_import_with_file_row_column_value_and_expectation() {
    let (_d, mut ws) = workspace();
    let text = "Id,Status,MQL date,Created,Source,Value,Plan,Email\n1,New,,2025-01-02,,,,\n2,New,,next tuesday,,,,\n";
    let e = import_text(&mut ws, "bad.csv", text, &profile()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    for part in [
        "bad.csv",
        "line 3",
        "\"Created\"",
        "\"next tuesday\"",
        "expected a date",
    ] {
        assert!(e.message.contains(part), "{part} missing in: {}", e.message);
    }
    assert!(ws.imports().unwrap().is_empty() && ws.import_records(None).unwrap().is_empty());
}

#[test]
fn partial_import_keeps_rejected_rows_with_reasons() {
    let (_d, mut ws) = workspace();
    let text = "Id,Status,MQL date,Created,Source,Value,Plan,Email\n1,New,,2025-01-02,,,,\n2,New,,2025-01-02,,lots,,\n,New,,2025-01-02,x,,,\n";
    // Two of three rows rejected: refused unless forced (tests/partial.rs).
    let opts = ImportOptions {
        allow_partial: true,
        force: true,
        ..profile()
    };
    let s = import_text(&mut ws, "p.csv", text, &opts).unwrap();
    assert_eq!((s.inserted, s.rejected), (1, 2));
    let rej = ws.import_rejects(s.import_id).unwrap();
    assert_eq!(rej[0].row_number, 3);
    assert_eq!(rej[0].column.as_deref(), Some("Value"));
    assert_eq!(rej[0].value.as_deref(), Some("lots"));
    assert!(rej[1].reason.contains("record id"));
}

fn dates_profile() -> ImportOptions {
    let p = Profile::from_json(r#"{"record_id": "Id", "created_date": "Created"}"#).unwrap();
    ImportOptions {
        profile: Some(p),
        ..Default::default()
    }
}

#[test]
fn ambiguous_column_is_refused_until_the_user_chooses() {
    let (_d, mut ws) = workspace();
    let text = "Id,Created\n1,01/03/2024\n2,02/04/2024\n";
    let e = import_text(&mut ws, "amb.csv", text, &dates_profile()).unwrap_err();
    assert_eq!(e.code, ErrorCode::AmbiguousDateFormat);
    assert!(e.message.contains("\"Created\""), "{}", e.message);
    let p = baton_import::preview_bytes("amb.csv", text.as_bytes(), &dates_profile()).unwrap();
    assert_eq!(p.ambiguous_date_columns, ["Created"]);
    let opts = ImportOptions {
        date_format: Some("dmy".into()),
        ..dates_profile()
    };
    import_text(&mut ws, "amb.csv", text, &opts).unwrap();
    assert_eq!(
        ws.import_records(None).unwrap()[0].created_at,
        Some(at("2024-03-01 00:00"))
    );
}

#[test]
fn order_decided_late_in_the_column_rereads_earlier_rows() {
    let (_d, mut ws) = workspace();
    let mut text = String::from("Id,Created\n");
    for i in 0..20_000 {
        text.push_str(&format!("{i},01/03/2024\n"));
    }
    text.push_str("late,25/03/2024\n");
    let s = import_text(&mut ws, "late.csv", &text, &dates_profile()).unwrap();
    assert_eq!(s.inserted, 20_001);
    let rs = ws.import_records(None).unwrap();
    assert_eq!(
        rs[0].created_at,
        Some(at("2024-03-01 00:00")),
        "read as D/M after the last row decided"
    );
}

#[test]
fn unknown_file_is_refused_with_its_columns() {
    let (_d, mut ws) = workspace();
    let e = import_text(
        &mut ws,
        "x.csv",
        "foo,bar\n1,2\n",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, baton_core::ErrorCode::UnknownFormat);
    assert!(
        e.message.contains("not recognised") && e.message.contains("\"foo\""),
        "{}",
        e.message
    );
    let p = Profile::from_json(r#"{"record_id": "Missing"}"#).unwrap();
    let e = import_text(
        &mut ws,
        "x.csv",
        "foo,bar\n1,2\n",
        &ImportOptions {
            profile: Some(p),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.message.contains("\"Missing\""), "{}", e.message);
}

#[test]
fn excel_scientific_ids_are_refused() {
    let (_d, mut ws) = workspace();
    let e = import_text(
        &mut ws,
        "x.csv",
        "Id,Created\n1.23457E+11,2024-01-01\n",
        &dates_profile(),
    )
    .unwrap_err();
    assert!(e.message.contains("scientific notation"), "{}", e.message);
}

/// Every record as the metrics read it, in id order.
fn all_records(ws: &baton_store::Workspace) -> Vec<baton_store::StoredRecord> {
    let mut out = Vec::new();
    ws.scan_records(&mut |r| out.push(r)).unwrap();
    out
}

#[test]
fn cancel_leaves_the_workspace_unchanged() {
    let (_d, mut ws) = workspace();
    // What was there before: two records from an earlier import.
    import_text(&mut ws, "week1.csv", WEEK1, &profile()).unwrap();
    let before = (
        all_records(&ws),
        ws.imports().unwrap(),
        ws.data_version().unwrap(),
    );
    assert_eq!(before.0.len(), 2);
    // A file big enough to report progress while it writes: it updates both records
    // and adds many more.
    let mut text = String::from("Id,Status,MQL date,Created,Source,Value,Plan,Email\n");
    for i in 1..=200_000 {
        text.push_str(&format!(
            "{i},Meeting,,2025-01-02,Partner,9,Team,p{i}@x.test\n"
        ));
    }
    let cancel = Cancel::new();
    let c2 = cancel.clone();
    let mut written_before_cancel = 0;
    let e = import_bytes(
        &mut ws,
        "big.csv",
        text.as_bytes(),
        &profile(),
        &mut |p| {
            // Cancel once rows were written inside the import's transaction.
            if p.phase == "importing" && p.done > 0 && !cancel.is_cancelled() {
                written_before_cancel = p.done;
                c2.cancel();
            }
        },
        &cancel,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(
        written_before_cancel > 0,
        "cancelled before any row was written"
    );
    let after = (
        all_records(&ws),
        ws.imports().unwrap(),
        ws.data_version().unwrap(),
    );
    assert_eq!(after.0.len(), before.0.len());
    assert_eq!(after, before);
    // And the workspace takes the next import as usual.
    import_text(&mut ws, "week2.csv", WEEK2, &profile()).unwrap();
}

#[test]
fn a_quote_never_closed_stops_the_import_with_file_line_and_column() {
    let (_d, mut ws) = workspace();
    let text = "Id,Created,Plan\n1,2024-01-01,Pro\n2,2024-01-02,\"Team\n3,2024-01-03,Pro\n";
    let p = Profile::from_json(r#"{"record_id": "Id", "fields": {"plan": "Plan"}}"#).unwrap();
    let opts = ImportOptions {
        profile: Some(p),
        allow_partial: true,
        ..Default::default()
    };
    let e = import_text(&mut ws, "q.csv", text, &opts).unwrap_err();
    assert!(
        e.message
            .contains("q.csv, line 3, column \"Plan\": the quote opened on line 3 is never closed"),
        "{}",
        e.message
    );
    assert!(ws.imports().unwrap().is_empty());
}

#[test]
fn a_quote_closed_rows_later_is_a_bad_row_not_a_silent_merge() {
    let (_d, mut ws) = workspace();
    // The quote opened on line 3 swallows line 4 and closes at the start of line 5's value.
    let text = "Id,Plan,Seats\n1,Pro,5\n2,\"Team,6\n3,Pro,7\n4,\"Pro\",8\n5,Team,9\n";
    let p =
        Profile::from_json(r#"{"record_id": "Id", "fields": {"plan": "Plan", "seats": "Seats"}}"#)
            .unwrap();
    let strict = ImportOptions {
        profile: Some(p),
        ..Default::default()
    };
    let e = import_text(&mut ws, "q.csv", text, &strict).unwrap_err();
    assert!(
        e.message.contains("line 3") && e.message.contains("closes on line 5"),
        "{}",
        e.message
    );
    let partial = ImportOptions {
        allow_partial: true,
        ..strict
    };
    let s = import_text(&mut ws, "q.csv", text, &partial).unwrap();
    assert_eq!((s.inserted, s.rejected), (2, 1));
    assert_eq!(ws.import_rejects(s.import_id).unwrap()[0].row_number, 3);
}

#[test]
fn a_profile_maps_values_to_a_stage_the_workspace_added() {
    let p = Profile::from_json(
        r#"{"kind": "lead", "record_id": "Id", "stage_column": "Status",
            "stage_values": {"New": "lead", "Meeting booked": "sal", "Won": "customer"},
            "stage_dates": {"sal": "Meeting date"}}"#,
    )
    .unwrap();
    let opts = ImportOptions {
        profile: Some(p),
        ..Default::default()
    };
    let text = "Id,Status,Meeting date\n1,New,\n2,Meeting booked,2025-03-04\n";
    let (_d, mut ws) = workspace();
    let e = import_text(&mut ws, "sal.csv", text, &opts).unwrap_err();
    assert!(
        e.message.contains("\"sal\"") && e.message.contains("does not have"),
        "{}",
        e.message
    );
    ws.add_stage("sal", "Sales accepted", Some("mql")).unwrap();
    let s = import_text(&mut ws, "sal.csv", text, &opts).unwrap();
    assert_eq!(s.inserted, 2);
    let rs = ws.import_records(None).unwrap();
    assert_eq!(rs[1].current_stage.as_deref(), Some("sal"));
    assert_eq!(rs[1].stage_dates["sal"], at("2025-03-04 00:00"));
    assert_eq!(rs[1].outcome, None, "sal is not the last stage");
    assert_eq!(rs[0].current_stage.as_deref(), Some("lead"));
}

#[test]
fn the_preview_lists_every_value_of_a_low_cardinality_column() {
    // A stage value first seen on row 40, past the rows the preview shows.
    let mut text = String::from("Id,Status\n");
    for i in 1..=60 {
        let status = match i {
            40 => "Dead",
            _ if i % 2 == 0 => "new",
            _ => "New",
        };
        text.push_str(&format!("{i},{status}\n"));
    }
    let p =
        baton_import::preview_bytes("s.csv", text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(p.rows.len() < 40, "the value must lie past the rows shown");
    let column = |name: &str| p.columns.iter().find(|c| c.name == name).unwrap();
    assert_eq!(
        column("Status").values.as_deref(),
        Some(&["New".to_string(), "Dead".to_string()][..]),
        "case variants fold to the first spelling"
    );
    assert_eq!(column("Id").values, None, "60 distinct ids are not listed");
}
