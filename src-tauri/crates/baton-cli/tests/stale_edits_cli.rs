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

#[test]
fn a_stale_definition_edit_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let edit = |summary: &str, seen: &str| {
        vec![
            "definition-edit".to_string(),
            "--stage".into(),
            "sql".into(),
            "--summary".into(),
            summary.into(),
            "--if-version".into(),
            seen.into(),
        ]
    };
    let args = edit("Budget confirmed", "0");
    let a = json(&ws, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(a["versions"][0]["version"], 1);
    let args = edit("Budget and timeline confirmed", "1");
    baton(&ws, &args.iter().map(String::as_str).collect::<Vec<_>>());

    let args = edit("Any demo request", "1");
    let e = refused(&ws, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("since you opened version 1 (now version 2: its summary)")
            && e.contains("your edit was not saved"),
        "{e}"
    );
    let all = json(&ws, &["agreements"]);
    let sql = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["subject"]["stage_id"] == "sql")
        .unwrap();
    assert_eq!(sql["versions"][0]["version"], 2, "nothing saved");
    assert_eq!(
        sql["versions"][0]["content"]["summary"],
        "Budget and timeline confirmed"
    );
}

#[test]
fn a_stale_campaign_edit_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let c = json(
        &ws,
        &["campaign-add", "Spring webinar", "--channel", "webinar"],
    );
    let id = c["id"].to_string();
    assert_eq!(c["row_version"], 1);
    let edited = json(
        &ws,
        &[
            "campaign-edit",
            &id,
            "--sales-input",
            "20 demos by May",
            "--if-version",
            "1",
        ],
    );
    assert_eq!(edited["row_version"], 2);
    assert_eq!(edited["channel"], "webinar", "fields not given stay");

    let e = refused(
        &ws,
        &[
            "campaign-edit",
            &id,
            "--channel",
            "email",
            "--if-version",
            "1",
        ],
    );
    assert!(
        e.contains("Campaign \"Spring webinar\" was changed by someone else since you opened it (its sales input)"),
        "{e}"
    );
    let now = &json(&ws, &["campaigns"])["campaigns"][0];
    assert_eq!(
        (&now["channel"], &now["row_version"]),
        (&"webinar".into(), &2.into())
    );
    // Without --if-version the edit is based on what the command just read.
    let renamed = json(&ws, &["campaign-edit", &id, "--name", "Spring webinar 2"]);
    assert_eq!(renamed["row_version"], 3);
}

#[test]
fn a_stale_parked_topic_resolve_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let s = json(
        &ws,
        &[
            "decision-add",
            "MQLs need a demo request",
            "--date",
            "2026-11-20",
        ],
    );
    let session = s["id"].to_string();
    let item = json(&ws, &["park", "Who owns routing?", "--session", &session]);
    let id = item["id"].to_string();
    assert_eq!(item["row_version"], 1);
    baton(&ws, &["park-resolve", &id, "--if-version", "1"]);

    let e = refused(&ws, &["park-resolve", &id, "--reopen", "--if-version", "1"]);
    assert!(
        e.contains(
            "Parked topic \"Who owns routing?\" was changed by someone else since you opened it"
        ),
        "{e}"
    );
    let parked = &json(&ws, &["sessions"])[0]["parking_lot"][0];
    assert_eq!(
        (&parked["resolved"], &parked["row_version"]),
        (&true.into(), &2.into())
    );
    baton(&ws, &["park-resolve", &id, "--reopen", "--if-version", "2"]);
    let parked = &json(&ws, &["sessions"])[0]["parking_lot"][0];
    assert_eq!(parked["resolved"], false);
}

#[test]
fn a_stale_company_name_change_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let shown = json(&ws, &["settings"]);
    assert_eq!(shown["company_version"], 1);
    let set = json(&ws, &["settings", "--company", "Acme", "--if-version", "1"]);
    assert_eq!(
        (&set["company"], &set["company_version"]),
        (&"Acme".into(), &2.into())
    );
    let e = refused(
        &ws,
        &["settings", "--company", "Acme Ltd", "--if-version", "1"],
    );
    assert!(
        e.contains(
            "The company name was changed by someone else since you opened it (now \"Acme\")"
        ),
        "{e}"
    );
    assert_eq!(json(&ws, &["settings"])["company"], "Acme");
}

#[test]
fn a_stale_stage_rename_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    assert_eq!(json(&ws, &["stages"])["stages_version"], 1);
    baton(&ws, &["stage-rename", "sql", "SQL", "--if-version", "1"]);
    let e = refused(&ws, &["stage-rename", "mql", "MQL", "--if-version", "1"]);
    assert!(
        e.contains("The stages were changed by someone else since you opened them (stage \"Sales Qualified Lead\" renamed to \"SQL\")"),
        "{e}"
    );
    let now = json(&ws, &["stages"]);
    assert_eq!(now["stages_version"], 2);
    assert_eq!(now["stages"][1]["name"], "Marketing Qualified Lead");
    assert_eq!(now["stages"][2]["name"], "SQL");
}

#[test]
fn a_stale_business_hours_change_from_the_cli_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    baton(&ws, &["init"]);
    let shown = json(&ws, &["sla", "hours"]);
    let seen = shown["row_version"].to_string();
    let set = json(
        &ws,
        &["sla", "hours", "--start", "08:00", "--if-version", &seen],
    );
    assert_eq!(set["start_minute"], 480);
    assert_ne!(set["row_version"], shown["row_version"], "the change bumps");
    let e = refused(
        &ws,
        &["sla", "hours", "--end", "17:30", "--if-version", &seen],
    );
    assert!(
        e.contains("changed by someone else since you opened"),
        "{e}"
    );
    let now = json(&ws, &["sla", "hours"]);
    assert_eq!(
        (&now["start_minute"], &now["end_minute"]),
        (&480.into(), &shown["end_minute"]),
        "the stale change saved nothing"
    );
    // Without --if-version the change is based on what the command just read.
    let later = json(&ws, &["sla", "hours", "--end", "16:00"]);
    assert_eq!(later["end_minute"], 960);
}
