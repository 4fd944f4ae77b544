//! `baton workspace copy` between a workspace file and a PostgreSQL team database
//! (feature `pg-tests`: run through scripts/with-pg.sh, which starts a throwaway server).
mod common;

use baton_store::pg::testing::TestDb;
use common::{baton, json_without_location as json_of};
use serde_json::Value;
use std::process::Command;

/// `baton ARGS…` (no --workspace), its status, stdout and stderr.
fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .env("BATON_CACHE_DIR", common::cache_dir())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn copy_json(from: &str, to: &str) -> Value {
    let (ok, out, err) = run(&["workspace", "copy", from, to, "--json"]);
    assert!(ok, "copy {from} → {to}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_demo_goes_to_a_team_database_and_back_with_the_same_rows_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.baton");
    baton(&demo, &["demo"]);
    let db = TestDb::new();
    let to_team = copy_json(demo.to_str().unwrap(), &db.url);
    assert_eq!(to_team["to"], db.target.shown());
    let back = dir.path().join("back.baton");
    let to_file = copy_json(&db.url, back.to_str().unwrap());
    // The same row count in every table, each way; the demo has rows to count.
    assert_eq!(to_team["tables"], to_file["tables"]);
    assert_eq!(to_team["total_rows"], to_file["total_rows"]);
    let rows = |t: &str| {
        to_team["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["table"] == t)
            .unwrap_or_else(|| panic!("{t} reported"))["rows"]
            .as_i64()
            .unwrap()
    };
    let records: i64 = json_of(&demo, &["overview"])["records"].as_i64().unwrap();
    assert!(records > 100, "{records}");
    assert_eq!(rows("records"), records);
    assert!(rows("goals") > 0 && rows("agreements") > 0 && rows("import_snapshots") > 0);
    for args in [
        &["overview"][..],
        &["funnel", "--by", "source"],
        &["goals"],
        &["agreements"],
    ] {
        assert_eq!(
            json_of(&demo, args),
            json_of(&back, args),
            "baton {args:?} differs after file → team → file"
        );
    }
    // The human report names both ends and every table.
    let db2 = TestDb::new();
    let (ok, out, _) = run(&["workspace", "copy", back.to_str().unwrap(), &db2.url]);
    assert!(ok);
    assert!(
        out.starts_with(&format!(
            "copied {} → {}",
            back.display(),
            db2.target.shown()
        )),
        "{out}"
    );
    assert!(out.contains("the counts match on both sides"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["records", &records.to_string()]),
        "{out}"
    );
}

#[test]
fn copying_into_a_team_database_that_is_not_empty_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.baton");
    baton(&a, &["init"]);
    baton(&a, &["settings", "--company", "Acme"]);
    let db = TestDb::new();
    copy_json(a.to_str().unwrap(), &db.url);
    let b = dir.path().join("b.baton");
    baton(&b, &["demo"]);
    let (ok, _, err) = run(&["workspace", "copy", b.to_str().unwrap(), &db.url]);
    assert!(!ok);
    assert!(err.starts_with("baton: error[conflict]: "), "{err}");
    assert!(err.contains("is not empty"), "{err}");
    // Still Acme's: copied back, it has no records and its company.
    let back = dir.path().join("back.baton");
    copy_json(&db.url, back.to_str().unwrap());
    let o = json_of(&back, &["overview"]);
    assert_eq!(o["records"], 0);
    assert_eq!(o["info"]["company"], "Acme");
}

#[test]
fn a_file_into_an_existing_file_or_a_bad_connection_string_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.baton");
    baton(&a, &["init"]);
    let (ok, _, err) = run(&["workspace", "copy", a.to_str().unwrap(), "b.baton"]);
    assert!(!ok);
    assert!(err.contains("Save As"), "{err}");
    let (ok, _, err) = run(&[
        "workspace",
        "copy",
        a.to_str().unwrap(),
        "postgres://x@h/d?sslmode=bogus",
    ]);
    assert!(!ok);
    assert!(
        err.starts_with("baton: error[invalid_input]: sslmode=bogus"),
        "{err}"
    );
}
