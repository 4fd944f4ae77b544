//! `baton import` through the real binary: several files, a profile file, partial imports
//! and their rejected rows, and the history (import area, issue 3).

mod common;
use std::path::Path;
use std::process::{Command, Output};

use common::baton_output as baton;

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

const CONTACTS: &str = "Record ID,Lifecycle Stage,Create Date,Original Source\n\
1,Lead,2025-01-02 10:00,Web\n\
2,Marketing Qualified Lead,2025-01-03 11:00,Events\n";
const DEALS: &str = "Record ID,Deal Name,Deal Stage,Create Date,Close Date,Amount\n\
9001,Big deal,Closed Won,2025-02-01,2025-03-01,1200\n\
9002,Small deal,Closed Lost,2025-02-02,2025-03-02,300\n\
9003,Open deal,Contract Sent,2025-02-03,,500\n";

#[test]
fn two_files_give_two_json_lines_and_history_lists_both() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    let (contacts, deals) = (
        dir.path().join("contacts.csv"),
        dir.path().join("deals.csv"),
    );
    std::fs::write(&contacts, CONTACTS).unwrap();
    std::fs::write(&deals, DEALS).unwrap();
    baton(&ws, &["init"]);
    let out = baton(
        &ws,
        &["import", "--json", path_str(&contacts), path_str(&deals)],
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "one JSON object per file");
    assert_eq!(lines[0]["preset"], "hubspot-contacts");
    assert_eq!(lines[0]["inserted"], 2);
    assert_eq!(lines[1]["preset"], "hubspot-deals");
    assert_eq!(lines[1]["inserted"], 3);
    assert_ne!(lines[0]["import_id"], lines[1]["import_id"]);

    let history: Vec<serde_json::Value> =
        serde_json::from_slice(&baton(&ws, &["imports", "--json"]).stdout).unwrap();
    let ids: Vec<&serde_json::Value> = history.iter().map(|i| &i["id"]).collect();
    assert_eq!(
        ids,
        [&lines[1]["import_id"], &lines[0]["import_id"]],
        "newest first"
    );
    assert_eq!(history[1]["file_name"], "contacts.csv");
    assert_eq!(history[0]["file_name"], "deals.csv");
    assert_eq!(history[0]["inserted"], lines[1]["inserted"]);
}

#[test]
fn profile_file_and_partial_import_with_exported_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    let profile = dir.path().join("crm.json");
    std::fs::write(
        &profile,
        r#"{"name": "our-crm", "kind": "lead", "record_id": "Lead Id",
            "stage_column": "Status", "stage_values": {"New": "lead", "Hot": "mql", "Dead": "lost"},
            "created_date": "Created", "fields": {"source": "Origin", "amount": "Value"}}"#,
    )
    .unwrap();
    let file = dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "Lead Id,Status,Created,Origin,Value\n\
         L1,New,2025-01-02,Web,100\n\
         L2,Hot,2025-01-03,Ads,lots\n\
         L3,Dead,2025-01-04,Web,50\n",
    )
    .unwrap();
    baton(&ws, &["init"]);
    let strict = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--profile", path_str(&profile), path_str(&file)])
        .output()
        .unwrap();
    assert!(!strict.status.success(), "a bad row stops a strict import");
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("line 3") && err.contains("\"lots\""), "{err}");

    let out = baton(
        &ws,
        &[
            "import",
            "--json",
            "--allow-partial",
            "--profile",
            path_str(&profile),
            path_str(&file),
        ],
    );
    let s = &json_lines(&out)[0];
    assert_eq!(
        (&s["preset"], &s["inserted"], &s["rejected"]),
        (&"our-crm".into(), &2.into(), &1.into())
    );
    let id = s["import_id"].to_string();
    let rejects = dir.path().join("rejects.csv");
    baton(
        &ws,
        &["import-rejects", &id, "--output", path_str(&rejects)],
    );
    let mut rows = csv::Reader::from_path(&rejects).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    // The export names the line, the column and the value, and keeps the row's fields.
    let row: Vec<&str> = records[0].iter().collect();
    for cell in ["3", "Value", "lots"] {
        assert!(row.contains(&cell), "{cell} missing in {row:?}");
    }
    for value in ["L2", "Ads"] {
        assert!(
            row.iter().any(|c| c.contains(value)),
            "{value} missing in {row:?}"
        );
    }

    let history: Vec<serde_json::Value> =
        serde_json::from_slice(&baton(&ws, &["imports", "--json"]).stdout).unwrap();
    assert_eq!(history.len(), 1, "the refused strict import left no trace");
    assert_eq!(history[0]["preset"], "our-crm");
    assert_eq!(history[0]["rejected"], 1);
}

#[test]
fn sheet_chooses_the_workbook_sheet_for_import_and_preview() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-import/tests/fixtures/multi-sheet.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let preview: serde_json::Value =
        serde_json::from_slice(&baton(&ws, &["import-preview", "--json", path_str(&book)]).stdout)
            .unwrap();
    assert_eq!(preview["sheet"], "Deals", "the first sheet with data");
    assert_eq!(
        preview["sheets"],
        serde_json::json!(["Cover", "Deals", "Leads"])
    );
    let preview: serde_json::Value = serde_json::from_slice(
        &baton(
            &ws,
            &[
                "import-preview",
                "--json",
                "--sheet",
                "Leads",
                path_str(&book),
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(preview["preset"], "zoho-leads");
    let out = baton(
        &ws,
        &["import", "--json", "--sheet", "Leads", path_str(&book)],
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["sheet"], "Leads");
    assert_eq!(lines[0]["preset"], "zoho-leads");
    assert_eq!(lines[0]["encoding"], "XLSX workbook");
    assert_eq!(lines[0]["inserted"], 3);
    let text = baton(&ws, &["import", "--sheet", "Deals", path_str(&book)]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("(zoho-deals, XLSX workbook, sheet \"Deals\"): 3 rows read, 3 inserted"),
        "{text}"
    );
}
