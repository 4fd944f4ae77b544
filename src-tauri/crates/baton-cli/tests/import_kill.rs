//! An import is one transaction: killing the `baton` process mid-import leaves the
//! workspace exactly as it was (import area, issue 3).
use baton_store::prelude::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn baton() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baton"))
}

fn write_contacts(path: &std::path::Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "Record ID,Lifecycle Stage,Contact owner,Original Source,Create Date,Became a Lead Date,Became a Marketing Qualified Lead Date").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},Marketing Qualified Lead,Owner {},Source {},2025-01-02 10:00,2025-01-02 10:00,2025-01-09 11:30", i % 7, i % 5).unwrap();
    }
}

fn state(ws: &std::path::Path) -> (i64, usize, Vec<baton_store::RecordView>) {
    let w = baton_store::Workspace::open(ws).unwrap();
    (
        w.data_version().unwrap(),
        w.imports().unwrap().len(),
        w.import_records(None).unwrap(),
    )
}

#[test]
fn killing_the_cli_mid_import_leaves_the_workspace_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    let (small, big) = (dir.path().join("small.csv"), dir.path().join("big.csv"));
    write_contacts(&small, 10);
    write_contacts(&big, 400_000);
    assert!(baton()
        .arg("--workspace")
        .arg(&ws)
        .arg("init")
        .status()
        .unwrap()
        .success());
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--json"])
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["inserted"], 10);
    let before = state(&ws);

    let mut child = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--progress"])
        .arg(&big)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Wait until rows are being written, then kill -9.
    let mut killed_mid_way = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done: u64 = line
            .strip_prefix("progress: importing ")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if done > 0 {
            child.kill().unwrap();
            killed_mid_way = true;
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        killed_mid_way && !status.success(),
        "the import finished before it could be killed"
    );
    assert_eq!(state(&ws), before);
    // And the workspace still takes imports.
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--json"])
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ambiguous_dates_are_refused_without_date_format() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    let file = dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "Record ID,Lifecycle Stage,Create Date\n1,Lead,01/03/2024\n2,Lead,02/04/2024\n",
    )
    .unwrap();
    assert!(baton()
        .arg("--workspace")
        .arg(&ws)
        .arg("init")
        .status()
        .unwrap()
        .success());
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ambiguous_date_format")
            && err.contains("Create Date")
            && err.contains("--date-format"),
        "{err}"
    );
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--date-format", "dmy", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "import_id",
        "preset",
        "encoding",
        "delimiter",
        "rows_read",
        "inserted",
        "updated",
        "rejected",
        "warnings",
    ] {
        assert!(s.get(key).is_some(), "missing {key}");
    }
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["undo-import", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
