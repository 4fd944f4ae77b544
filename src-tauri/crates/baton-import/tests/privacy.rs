//! Privacy by default: without an opt-in no name, e-mail or phone reaches the workspace
//! file, not through a record key made of personal columns nor through a rejected row.
use baton_store::prelude::*;
mod common;
use baton_import::{ImportOptions, PersonalData};
use common::*;

const LEADS: &str = "Lead Owner,First Name,Last Name,Company / Account,Lead Source,Lead Status,Created Date,Email,Phone\n\
Alice Martin,Zephyrine,Quattlebaum,Acme,Web,Open - Not Contacted,3/15/2024,zephyrine.q@example.test,+33 6 12 34 56 78\n\
Alice Martin,Ignatius,Wrenfield,Globex,Web,Working - Contacted,3/16/2024,ig.wrenfield@example.test,+1 555 0100\n\
Bruno Keller,Bartholomew,Fitzwilliam,Initech,Trade Show,Open - Not Contacted,soon,bart@fitzwilliam.test,+44 20 7946 0018\n";

const PERSONAL: &[&str] = &[
    "zephyrine",
    "quattlebaum",
    "ignatius",
    "wrenfield",
    "bartholomew",
    "fitzwilliam",
    "example.test",
    "12 34 56",
    "555 0100",
    "7946 0018",
];

/// Every text or blob value of every table, as (table, column, text).
fn every_stored_text(path: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for (i, name) in names.iter().enumerate() {
                let text = match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        String::from_utf8_lossy(b).into_owned()
                    }
                    _ => continue,
                };
                out.push((t.clone(), name.clone(), text));
            }
        }
    }
    out
}

#[test]
fn no_personal_value_reaches_the_workspace_without_opt_in() {
    let (dir, mut ws) = workspace();
    let path = dir.path().join("w.baton");
    let partial = ImportOptions {
        allow_partial: true,
        ..Default::default()
    };
    let preview = baton_import::preview_bytes("leads.csv", LEADS.as_bytes(), &partial).unwrap();
    assert!(
        preview
            .warnings
            .iter()
            .any(|w| w.contains("First Name + Last Name") && w.contains("SHA-256")),
        "{:?}",
        preview.warnings
    );
    let s = import_text(&mut ws, "leads.csv", LEADS, &partial).unwrap();
    assert_eq!(
        (s.preset.as_str(), s.inserted, s.rejected),
        ("salesforce-leads", 2, 1)
    );
    // The key made of names is stored hashed, and still upserts on the next import.
    let ids: Vec<String> = ws
        .import_records(None)
        .unwrap()
        .into_iter()
        .map(|r| r.external_id)
        .collect();
    assert_eq!(
        ids,
        [
            sha256_hex("Zephyrine|Quattlebaum|Acme|3/15/2024"),
            sha256_hex("Ignatius|Wrenfield|Globex|3/16/2024")
        ]
    );
    let again = import_text(&mut ws, "leads.csv", LEADS, &partial).unwrap();
    assert_eq!((again.inserted, again.updated), (0, 2));
    // The rejected row keeps its other cells, so it can still be fixed.
    let rej = &ws.import_rejects(s.import_id).unwrap()[0];
    assert_eq!(rej.value.as_deref(), Some("soon"));
    assert_eq!(
        rej.raw,
        [
            "Bruno Keller",
            "",
            "",
            "Initech",
            "Trade Show",
            "Open - Not Contacted",
            "soon",
            "",
            ""
        ]
    );
    drop(ws);
    let stored = every_stored_text(&path);
    assert!(stored.iter().any(|(t, _, _)| t == "import_rejects"));
    for (table, column, text) in &stored {
        let lower = text.to_lowercase();
        for p in PERSONAL {
            assert!(
                !lower.contains(p),
                "{p:?} stored in {table}.{column}: {text}"
            );
        }
    }
    let bytes = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_lowercase();
    for p in PERSONAL {
        assert!(
            !bytes.contains(p),
            "{p:?} is somewhere in the workspace file"
        );
    }
}

#[test]
fn opted_in_personal_data_is_kept_in_keys_and_rejects_as_chosen() {
    let plain = ImportOptions {
        allow_partial: true,
        personal: PersonalData::Plain,
        ..Default::default()
    };
    let (_d, mut ws) = workspace();
    let s = import_text(&mut ws, "leads.csv", LEADS, &plain).unwrap();
    let rs = ws.import_records(None).unwrap();
    assert_eq!(rs[0].external_id, "Zephyrine|Quattlebaum|Acme|3/15/2024");
    assert_eq!(
        ws.import_rejects(s.import_id).unwrap()[0].raw[1],
        "Bartholomew"
    );

    let hashed = ImportOptions {
        personal: PersonalData::Hashed,
        ..plain
    };
    let (_d, mut ws) = workspace();
    let s = import_text(&mut ws, "leads.csv", LEADS, &hashed).unwrap();
    let rs = ws.import_records(None).unwrap();
    assert_eq!(
        rs[0].external_id,
        sha256_hex("Zephyrine|Quattlebaum|Acme|3/15/2024")
    );
    let raw = &ws.import_rejects(s.import_id).unwrap()[0].raw;
    assert_eq!(raw[1], baton_import::hash_personal("Bartholomew"));
    assert_eq!(raw[7], baton_import::hash_personal("bart@fitzwilliam.test"));
    assert_eq!(raw[3], "Initech");
}

/// An e-mail or phone in an id or text column is personal data too: without an opt-in it
/// is stored as a SHA-256 hash (ids still upsert), never as read, and the import says so.
#[test]
fn e_mails_and_phones_in_id_and_text_columns_are_hashed_without_opt_in() {
    let text = "Contact,Owner,Source,Notes,Status\n\
zephyrine.q@example.test,Alice Martin,Web,call +33 6 12 34 56 78,New\n\
+1 555 0100,ig.wrenfield@example.test,Web,,New\n\
C-3,Bruno Keller,+44 20 7946 0018,bart@fitzwilliam.test,New\n";
    let profile = baton_import::Profile::from_json(
        r#"{"kind": "lead", "record_id": "Contact", "stage_column": "Status",
            "stage_values": {"New": "lead"},
            "fields": {"owner": "Owner", "source": "Source", "notes": "Notes"}}"#,
    )
    .unwrap();
    for personal in [PersonalData::Skip, PersonalData::Hashed] {
        let (dir, mut ws) = workspace();
        let opts = ImportOptions {
            profile: Some(profile.clone()),
            personal,
            ..Default::default()
        };
        let s = import_text(&mut ws, "ids.csv", text, &opts).unwrap();
        assert_eq!((s.inserted, s.rejected), (3, 0), "{personal:?}");
        let warned = |col: &str| {
            s.warnings.iter().any(|w| {
                w.contains(&format!("column \"{col}\""))
                    && w.contains("looked like an e-mail address or a phone number")
            })
        };
        assert!(
            warned("Contact") && warned("Owner") && warned("Notes") && warned("Source"),
            "{:?}",
            s.warnings
        );
        let ids: Vec<String> = ws
            .import_records(None)
            .unwrap()
            .into_iter()
            .map(|r| r.external_id)
            .collect();
        assert!(ids.contains(&baton_import::hash_personal("zephyrine.q@example.test")));
        assert!(ids.contains(&baton_import::hash_personal("+1 555 0100")));
        assert!(ids.contains(&"C-3".to_string()), "{ids:?}");
        drop(ws);
        for (t, c, v) in every_stored_text(&dir.path().join("w.baton")) {
            let lower = v.to_lowercase();
            for p in PERSONAL {
                assert!(!lower.contains(p), "{personal:?}: {t}.{c} holds {v:?}");
            }
        }
        // The same file again updates the same (hashed) records.
        let mut ws = baton_store::Workspace::open(&dir.path().join("w.baton")).unwrap();
        let again = import_text(&mut ws, "ids.csv", text, &opts).unwrap();
        assert_eq!((again.inserted, again.updated), (0, 3));
    }
    // Stored as read only when the import opts in.
    let (_d, mut ws) = workspace();
    let plain = ImportOptions {
        profile: Some(profile),
        personal: PersonalData::Plain,
        ..Default::default()
    };
    import_text(&mut ws, "ids.csv", text, &plain).unwrap();
    let ids: Vec<String> = ws
        .import_records(None)
        .unwrap()
        .into_iter()
        .map(|r| r.external_id)
        .collect();
    assert!(
        ids.contains(&"zephyrine.q@example.test".to_string()),
        "{ids:?}"
    );
}
