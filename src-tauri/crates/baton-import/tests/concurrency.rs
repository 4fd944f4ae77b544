//! The app's way of importing: other connections open and read the workspace while an
//! import runs, and Cancel is honoured within 200 ms, leaving the workspace unchanged.
use baton_store::prelude::*;
mod common;
use baton_core::{Cancel, ErrorCode, Progress};
use baton_import::{import_bytes, ImportOptions, Profile};
use baton_store::Workspace;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn opts() -> ImportOptions {
    let p = Profile::from_json(
        r#"{"kind": "lead", "record_id": "Id", "created_date": "Created", "fields": {"source": "Source"}}"#,
    )
    .unwrap();
    ImportOptions {
        profile: Some(p),
        ..Default::default()
    }
}

fn big_file(rows: usize) -> String {
    let mut text = String::from("Id,Created,Source\n");
    for i in 0..rows {
        text.push_str(&format!("{i},2024-01-{:02},Source {}\n", i % 28 + 1, i % 9));
    }
    text
}

/// Workspace facts an import must not change when it does not land.
fn state(ws: &Workspace) -> (i64, usize, usize) {
    (
        ws.data_version().unwrap(),
        ws.imports().unwrap().len(),
        ws.import_records(None).unwrap().len(),
    )
}

#[test]
fn another_connection_opens_and_reads_while_an_import_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    let mut ws = Workspace::create(&path).unwrap();
    let text = big_file(100_000);
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let importer = std::thread::spawn(move || {
        let mut hold = Some((started_tx, go_rx));
        let mut progress = |p: Progress| {
            // Rows are being written inside the import's transaction: pause it there.
            if p.phase == "importing" && p.done > 0 {
                if let Some((started, go)) = hold.take() {
                    started.send(()).unwrap();
                    go.recv().unwrap();
                }
            }
        };
        let s = import_bytes(
            &mut ws,
            "big.csv",
            text.as_bytes(),
            &opts(),
            &mut progress,
            &Cancel::new(),
        );
        (s, ws)
    });
    started_rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the import reported rows written");
    let t = Instant::now();
    let other = Workspace::open(&path)
        .unwrap_or_else(|e| panic!("opening during an import: {:?} {}", e.code, e.message));
    assert_eq!(
        state(&other),
        (0, 0, 0),
        "the running import is not visible yet"
    );
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "the open did not wait on a lock"
    );
    go_tx.send(()).unwrap();
    let (s, ws) = importer.join().unwrap();
    let s = s.unwrap();
    assert_eq!(s.inserted, 100_000);
    assert_eq!(state(&other), state(&ws));
    assert_eq!(other.imports().unwrap()[0].id, s.import_id);
}

/// Which progress report to cancel at.
type When = fn(&Progress) -> bool;

/// Start a 200k-row import on a thread, cancel it at the first progress report matching
/// `when`, and return (result, time from cancel to return, workspace).
fn cancel_at(
    when: When,
) -> (
    baton_core::Result<baton_import::ImportSummary>,
    Duration,
    Workspace,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let text = big_file(200_000);
    let cancel = Cancel::new();
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let c = cancel.clone();
    let importer = std::thread::spawn(move || {
        let mut seen = Some(seen_tx);
        let mut progress = |p: Progress| {
            if when(&p) {
                if let Some(s) = seen.take() {
                    s.send(()).unwrap();
                }
            }
        };
        let r = import_bytes(
            &mut ws,
            "big.csv",
            text.as_bytes(),
            &opts(),
            &mut progress,
            &c,
        );
        (r, Instant::now(), ws)
    });
    seen_rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the progress report came");
    let cancelled_at = Instant::now();
    cancel.cancel();
    let (r, returned_at, ws) = importer.join().unwrap();
    (
        r,
        returned_at.saturating_duration_since(cancelled_at),
        ws,
        dir,
    )
}

#[test]
fn cancel_is_honoured_within_200_ms_and_changes_nothing() {
    let cases: [(&str, When); 2] = [
        ("first report", |_| true),
        ("rows being written", |p| {
            p.phase == "importing" && p.done > 0
        }),
    ];
    for (name, when) in cases {
        let (r, latency, ws, _dir) = cancel_at(when);
        let e = r.expect_err(name);
        assert_eq!(e.code, ErrorCode::Cancelled, "{name}: {}", e.message);
        assert!(
            latency <= Duration::from_millis(200),
            "{name}: returned {latency:?} after the cancel"
        );
        assert_eq!(state(&ws), (0, 0, 0), "{name}");
    }
}

#[test]
fn cancel_while_saving_rolls_back_instead_of_committing() {
    let (_d, mut ws) = common::workspace();
    let cancel = Cancel::new();
    let c = cancel.clone();
    let mut phases = Vec::new();
    let r = import_bytes(
        &mut ws,
        "f.csv",
        big_file(5_000).as_bytes(),
        &opts(),
        &mut |p| {
            if p.phase == "saving" {
                c.cancel();
            }
            phases.push(p.phase);
        },
        &cancel,
    );
    assert_eq!(r.expect_err("cancelled").code, ErrorCode::Cancelled);
    assert!(phases.iter().any(|p| p == "saving"), "{phases:?}");
    assert_eq!(state(&ws), (0, 0, 0));
}
