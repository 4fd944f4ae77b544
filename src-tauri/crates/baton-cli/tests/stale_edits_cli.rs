//! The CLI edits rows with their version: `persona-edit`, `persona-delete` and
//! `action-status` take `--if-version`, and a stale one is refused (`conflict`, exit
//! non-zero, the message naming what changed) without changing anything.
mod common;

use common::baton;
use std::process::Command;

fn json(ws: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&baton(ws, &args)).unwrap()
}

/// `baton --workspace WS ARGS…`, which must fail: its stderr.
fn refused(ws: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "baton {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_stale_persona_edit_or_delete_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let p = json(&ws, &["persona-add", "Ops Olivia", "--role", "COO"]);
    let id = p["id"].to_string();
    assert_eq!(p["row_version"], 1);

    let edited = json(
        &ws,
        &[
            "persona-edit",
            &id,
            "--role",
            "Head of operations",
            "--if-version",
            "1",
        ],
    );
    assert_eq!(edited["row_version"], 2);
    assert_eq!(edited["name"], "Ops Olivia", "fields not given stay");

    let e = refused(
        &ws,
        &[
            "persona-edit",
            &id,
            "--name",
            "Ops Oliver",
            "--if-version",
            "1",
        ],
    );
    assert!(
        e.contains(
            "Persona \"Ops Olivia\" was changed by someone else since you opened it (its role)"
        ),
        "{e}"
    );
    let e = refused(&ws, &["persona-delete", &id, "--if-version", "1"]);
    assert!(e.contains("it was not deleted"), "{e}");
    let now = &json(&ws, &["personas"])[0]["persona"];
    assert_eq!(
        (&now["name"], &now["row_version"]),
        (&"Ops Olivia".into(), &2.into())
    );

    // Without --if-version the edit is based on what the command just read.
    let renamed = json(&ws, &["persona-edit", &id, "--name", "Ops Oliver"]);
    assert_eq!(renamed["row_version"], 3);
    baton(&ws, &["persona-delete", &id, "--if-version", "3"]);
    assert_eq!(json(&ws, &["personas"]), serde_json::json!([]));
}

#[test]
fn a_stale_action_status_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let a = json(&ws, &["action-add", "Draft reject codes"]);
    let id = a["id"].to_string();
    baton(
        &ws,
        &["action-status", &id, "in_progress", "--if-version", "1"],
    );
    let e = refused(&ws, &["action-status", &id, "done", "--if-version", "1"]);
    assert!(
        e.contains("Action item \"Draft reject codes\" was changed by someone else since you opened it (its status)"),
        "{e}"
    );
    let items = json(&ws, &["actions"]);
    assert_eq!(
        (&items[0]["status"], &items[0]["row_version"]),
        (&"in_progress".into(), &2.into())
    );
}
