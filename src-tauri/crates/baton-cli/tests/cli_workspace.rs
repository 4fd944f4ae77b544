//! `baton init`, `demo` and `overview` through the real binary.
use std::process::{Command, Output};

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn overview_of_a_new_workspace_is_empty_and_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.baton");
    let w = w.to_str().unwrap();
    assert!(baton(&["--workspace", w, "init"]).status.success());
    let out = baton(&["--workspace", w, "overview", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["records"], 0);
    assert_eq!(v["info"]["name"], "w");

    let missing = dir.path().join("missing.baton");
    let out = baton(&["--workspace", missing.to_str().unwrap(), "overview"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not_found"), "{err}");
}

#[test]
fn demo_creates_a_workspace_full_of_imported_records_once() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("demo.baton");
    let w = w.to_str().unwrap();
    let out = baton(&["--workspace", w, "demo", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["info"]["company"], "Larkspur Analytics");
    assert!(created["records"].as_i64().unwrap() > 1000);

    // `overview` reads the same facts back from the file.
    let out = baton(&["--workspace", w, "overview", "--json"]);
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["records"], created["records"]);

    // A second `demo` on the same path refuses to overwrite it.
    let out = baton(&["--workspace", w, "demo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("already exists"));
}
