//! The CLI on a team workspace (`--workspace postgres://…`) gives the same answers as
//! on the file it was copied from: every `--json` figure, every CSV export and the
//! report's text; writes land alike; the copy back to a file answers alike again.
//! Feature `pg-tests`: run through scripts/with-pg.sh, which starts a throwaway server.
mod common;

use baton_store::pg::testing::TestDb;
use common::{baton, json_without_location as json_of, pdf_text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every read the CLI offers, on the demo's data.
const READS: &[&[&str]] = &[
    &["overview"],
    &["settings"],
    &["imports"],
    &["funnel"],
    &["funnel", "--by", "source"],
    &["funnel", "--by", "owner", "--kind", "all"],
    &["funnel", "--by", "segment", "--where", "industry=Software"],
    &["velocity", "--from", "mql", "--to", "sql", "--by", "source"],
    &["sla"],
    &["goals"],
    &["impact"],
    &["target-calc", "--revenue", "1000000"],
    &["quality"],
    &["drill", "reached:sql"],
    &["drill", "skipped:mql"],
    &["definition-check", "--stage", "mql"],
    &["people"],
    &["personas"],
    &["agreements"],
    &["campaigns"],
    &["diagnostic"],
    &["diagnostic-trend"],
    &["actions"],
    &["sessions"],
];

fn assert_same_reads(file: &Path, team: &Path, when: &str, writes_since: Option<i64>) {
    for args in READS {
        let (mut a, mut b) = (json_of(file, args), json_of(team, args));
        if let Some(t0) = writes_since {
            mask_write_times(&mut a, t0);
            mask_write_times(&mut b, t0);
        }
        assert_eq!(
            a, b,
            "baton {args:?} differs between the file and the team workspace {when}"
        );
    }
}

/// The same write made a second later on the other workspace stamps another second:
/// times (`…_at`) from `t0` on become "written in this test".
fn mask_write_times(v: &mut Value, t0: i64) {
    match v {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                if key.ends_with("_at") && value.as_i64().is_some_and(|t| t >= t0) {
                    *value = Value::from("written in this test");
                } else {
                    mask_write_times(value, t0);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| mask_write_times(i, t0)),
        _ => {}
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Every file `baton export --csv` writes, by name, byte for byte.
fn exports(ws: &Path, dir: &Path) -> Vec<(String, Vec<u8>)> {
    baton(ws, &["export", "--csv", dir.to_str().unwrap()]);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn report_text(ws: &Path, pdf: &Path) -> String {
    baton(ws, &["report", "--pdf", pdf.to_str().unwrap()]);
    pdf_text(pdf)
}

/// The demo in a file, and the same workspace copied into a new team database.
fn demo_file_and_its_team_copy() -> (tempfile::TempDir, PathBuf, TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.baton");
    baton(&file, &["demo"]);
    let db = TestDb::new();
    baton(
        &file,
        &["workspace", "copy", file.to_str().unwrap(), &db.url],
    );
    (dir, file, db)
}

#[test]
fn a_team_workspace_answers_every_read_export_and_report_as_its_file_does() {
    let (dir, file, db) = demo_file_and_its_team_copy();
    let team = Path::new(&db.url);

    assert_same_reads(&file, team, "after the copy", None);

    let from_file = exports(&file, &dir.path().join("csv-file"));
    let from_team = exports(team, &dir.path().join("csv-team"));
    assert!(
        from_file.len() >= 7,
        "{:?}",
        from_file.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (other, b)) in from_file.iter().zip(&from_team) {
        assert_eq!(name, other);
        assert!(
            a == b,
            "{name} differs between the file and the team workspace"
        );
    }
    assert_eq!(from_file.len(), from_team.len());

    let text = report_text(&file, &dir.path().join("file.pdf"));
    assert!(text.len() > 1000);
    assert_eq!(text, report_text(team, &dir.path().join("team.pdf")));
}

#[test]
fn writes_land_alike_on_a_team_workspace_and_survive_the_copy_back() {
    let (dir, file, db) = demo_file_and_its_team_copy();
    let team = Path::new(&db.url);

    // The same use cases on both: each goes through the service's one transaction.
    let t0 = now();
    let writes: &[&[&str]] = &[
        &["settings", "--company", "Team & Co; \"quoted\" $$"],
        &[
            "person-add",
            "Zoë O'Brien",
            "--team",
            "marketing",
            "--title",
            "Ops",
        ],
        &[
            "decision-add",
            "MQL needs a demo request",
            "--title",
            "Kick-off",
            "--date",
            "2026-11-20",
        ],
        &[
            "action-add",
            "Review the SLA; weekly",
            "--owner",
            "Zoë O'Brien",
            "--due",
            "2026-12-31",
        ],
        &[
            "definition-edit",
            "--stage",
            "sql",
            "--summary",
            "Sales accepted it; budget & timing known",
        ],
        &[
            "goals",
            "add",
            "--name",
            "Q1 SQLs",
            "--metric",
            "reached:sql",
            "--target",
            "120",
            "--period",
            "2026-Q1",
            "--team",
            "marketing",
        ],
        // Refused alike: an unknown stage.
        &["definition-edit", "--stage", "nope", "--summary", "x"],
    ];
    for args in writes {
        let on_file = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env("BATON_CACHE_DIR", common::cache_dir())
            .arg("--workspace")
            .arg(&file)
            .args(*args)
            .output()
            .unwrap();
        let on_team = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env("BATON_CACHE_DIR", common::cache_dir())
            .arg("--workspace")
            .arg(team)
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(
            (
                on_file.status.success(),
                String::from_utf8_lossy(&on_file.stderr)
            ),
            (
                on_team.status.success(),
                String::from_utf8_lossy(&on_team.stderr)
            ),
            "baton {args:?} answered differently"
        );
    }
    assert_same_reads(&file, team, "after the same writes", Some(t0));

    let back = dir.path().join("back.baton");
    baton(
        &file,
        &["workspace", "copy", &db.url, back.to_str().unwrap()],
    );
    assert_same_reads(
        &file,
        &back,
        "after copying the team workspace back to a file",
        Some(t0),
    );
}

/// A CRM export of the import crate's fixtures.
fn export(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-import/tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// What `baton import FILE --json` printed (wall clock fixed by `--as-of`).
fn import_json(ws: &Path, file: &str) -> Value {
    serde_json::from_str(&baton(
        ws,
        &["import", "--as-of", "2024-06-01", &export(file), "--json"],
    ))
    .unwrap()
}

#[test]
fn imports_and_their_undo_on_a_team_workspace_answer_as_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.baton");
    let db = TestDb::new();
    let team = Path::new(&db.url);
    baton(&file, &["init"]);
    baton(team, &["init"]);
    // Contacts, then the same contacts with more dates (updates), deals twice (the
    // second an Excel re-save of the first), leads.
    let files = [
        "hubspot-contacts.csv",
        "hubspot-contacts-date-entered.csv",
        "hubspot-deals.csv",
        "hubspot-deals-excel.csv",
        "salesforce-leads.csv",
    ];
    for f in files {
        let on_file = import_json(&file, f);
        assert_eq!(on_file, import_json(team, f), "baton import {f}");
    }
    let reads: &[&[&str]] = &[
        &["funnel", "--by", "source"],
        &["funnel", "--by", "owner", "--kind", "all"],
        &["imports"],
        &["quality"],
        &["overview"],
        &["velocity", "--from", "mql", "--to", "sql"],
    ];
    let t0 = now();
    let same = |when: &str| {
        for args in reads {
            let (mut a, mut b) = (json_of(&file, args), json_of(team, args));
            // An undo stamps the second it ran.
            mask_write_times(&mut a, t0);
            mask_write_times(&mut b, t0);
            assert_eq!(
                a, b,
                "baton {args:?} differs between the file and the team workspace {when}"
            );
        }
    };
    same("after the imports");
    // What the comparison saw.
    let imports = json_of(team, &["imports"]);
    let imports = imports.as_array().unwrap();
    assert_eq!(imports.len(), files.len());
    assert!(
        imports.iter().any(|i| i["updated"].as_i64() > Some(0)),
        "{imports:?}"
    );
    let funnel = json_of(team, &["funnel", "--by", "source"]);
    assert!(funnel.to_string().contains("\"source\""), "{funnel}");
    // Undoing the deals' first import while their second is live is refused alike.
    let refused = |ws: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env("BATON_CACHE_DIR", common::cache_dir())
            .arg("--workspace")
            .arg(ws)
            .args(["undo-import", "3"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = refused(&file);
    assert!(e.contains("undo import 4 first"), "{e}");
    assert_eq!(e, refused(team));
    same("after a refused undo");
    // Undo: the newest import, then the deals' second import, alike on both.
    for id in ["5", "4"] {
        let a = baton(&file, &["undo-import", id]);
        let b = baton(team, &["undo-import", id]);
        assert_eq!(a, b, "undo-import {id}");
        same(&format!("after undoing import {id}"));
    }
    let imports = json_of(team, &["imports"]);
    let undone: Vec<i64> = imports
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["undone_at"].is_null())
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(undone, [5, 4], "{imports}");
}

#[test]
fn a_wrong_team_database_is_named_without_its_password() {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .env("BATON_CACHE_DIR", common::cache_dir())
        .args([
            "--workspace",
            "postgres://ana:s3cret@127.0.0.1:1/nowhere",
            "overview",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("127.0.0.1:1/nowhere"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

/// A contacts export of `rows` rows (as `import_kill.rs` writes it).
fn write_contacts(path: &Path, rows: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "Record ID,Lifecycle Stage,Contact owner,Original Source,Create Date,Became a Lead Date,Became a Marketing Qualified Lead Date").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},Marketing Qualified Lead,Owner {},Source {},2025-01-02 10:00,2025-01-02 10:00,2025-01-09 11:30", i % 7, i % 5).unwrap();
    }
}

#[test]
fn killing_the_cli_mid_import_leaves_the_team_workspace_unchanged() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let (small, big) = (dir.path().join("small.csv"), dir.path().join("big.csv"));
    write_contacts(&small, 10);
    write_contacts(&big, 300_000);
    let db = TestDb::new();
    let team = Path::new(&db.url);
    baton(team, &["init"]);
    baton(team, &["import", small.to_str().unwrap()]);
    let state = || {
        [
            &["imports"][..],
            &["overview"],
            &["funnel", "--by", "source"],
        ]
        .map(|args| json_of(team, args))
    };
    let before = state();
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .env("BATON_CACHE_DIR", common::cache_dir())
        .arg("--workspace")
        .arg(team)
        .args(["import", "--progress"])
        .arg(&big)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let total = std::fs::metadata(&big).unwrap().len();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Kill -9 once a third of the file is read: slices of rows have gone through COPY.
    let mut killed_mid_way = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done: u64 = line
            .strip_prefix("progress: importing ")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if done > total / 3 {
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
    assert_eq!(state(), before);
    // The server rolls the killed import back when it sees its connection go; the team
    // workspace then takes imports again (its import lock freed).
    let started = std::time::Instant::now();
    loop {
        let out = Command::new(env!("CARGO_BIN_EXE_baton"))
            .env("BATON_CACHE_DIR", common::cache_dir())
            .arg("--workspace")
            .arg(team)
            .args(["import", "--json"])
            .arg(&small)
            .output()
            .unwrap();
        if out.status.success() {
            let s: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                (s["import_id"].as_i64(), s["updated"].as_i64()),
                (Some(2), Some(10))
            );
            break;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("another import is running"), "{err}");
        assert!(started.elapsed().as_secs() < 10, "{err}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
