//! Stage values an import could not map reach the data-quality panel as data the import
//! stored (`import_unmapped_stages`), not parsed back out of its warning sentence: every
//! value with its row count (the warning names ten), gone once mapped or undone.

use baton_core::Cancel;
use baton_import::{import_bytes, ImportOptions, Profile};
use baton_metrics::{quality, Dataset, Filters};
use baton_store::prelude::*;
use baton_store::Workspace;

fn unmapped(ws: &Workspace) -> Vec<(String, u64)> {
    let ds = Dataset::load(ws).unwrap();
    quality(&ds, &Filters::default())
        .unwrap()
        .unmapped_stage_values
        .into_iter()
        .map(|v| (v.value, v.count))
        .collect()
}

#[test]
fn every_unmapped_value_is_listed_until_mapped_or_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let profile = Profile::from_json(
        r#"{"kind": "lead", "record_id": "Id", "stage_column": "Status",
            "stage_values": {"New": "lead"}}"#,
    )
    .unwrap();
    let opts = ImportOptions {
        profile: Some(profile),
        ..Default::default()
    };
    // Twelve values no map names ("Hold" on two rows, one with a comma and quotes).
    let mut text = String::from("Id,Status\n1,New\n2,Hold\n3,Hold\n4,\"Re, \"\"cycled\"\"\"\n");
    for i in 1..=10 {
        text.push_str(&format!("{},Odd {i:02}\n", 10 + i));
    }
    let s = import_bytes(
        &mut ws,
        "leads.csv",
        text.as_bytes(),
        &opts,
        &mut |_| {},
        &Cancel::new(),
    )
    .unwrap();
    let warning = s
        .warnings
        .iter()
        .find(|w| w.starts_with("stage values not mapped"))
        .unwrap();
    assert_eq!(warning.matches("\" (").count(), 10, "{warning}");

    let listed = unmapped(&ws);
    assert_eq!(listed.len(), 12, "{listed:?}");
    assert_eq!(listed[0], ("Hold".to_string(), 2));
    assert!(
        listed.contains(&("Re, \"cycled\"".to_string(), 1)),
        "{listed:?}"
    );
    assert!(listed.contains(&("Odd 10".to_string(), 1)), "{listed:?}");

    // Mapped on the Vocabulary screen (any case): no longer listed.
    ws.set_stage_value("HOLD", "lead").unwrap();
    assert_eq!(unmapped(&ws).len(), 11);

    ws.undo_import(s.import_id, 1).unwrap();
    assert!(unmapped(&ws).is_empty());
    assert!(ws.unmapped_stage_values().unwrap().is_empty());
}
