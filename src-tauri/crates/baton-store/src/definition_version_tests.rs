//! Stale definition edits, checked the same way on either backend: on a file here and on
//! a file and a team database in `pg/tests_row_versions.rs`.
use crate::prelude::*;
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::ErrorCode;

fn content(summary: &str, fit: &[&str]) -> DefinitionContent {
    DefinitionContent {
        summary: summary.into(),
        fit: fit.iter().map(|f| f.to_string()).collect(),
        ..Default::default()
    }
}

/// Marketing and sales both open the SQL definition at version 1; sales saves version 2;
/// marketing's edit based on version 1 is refused with `conflict` naming sales's author
/// and what changed, and saves nothing; based on version 2 it saves. The refusals'
/// messages and the versions' summaries at the end.
pub(crate) fn definitions_are_versioned(
    ws: &(impl AgreementStore + ?Sized),
) -> (Vec<String>, Vec<String>) {
    let mut refusals = Vec::new();
    let subject = Subject::Stage {
        stage_id: "sql".into(),
    };
    let id = ws.ensure_agreement(&subject, "SQL").unwrap();
    // A first version written by someone who opened the empty agreement.
    let a = ws
        .edit_definition_from(id, content("Asked for a demo", &[]), Some("Mia"), Some(0))
        .unwrap();
    assert_eq!(a.versions[0].version, 1);
    // Both teams now see version 1; sales changes the summary and the fit criteria.
    ws.edit_definition_from(
        id,
        content("Budget confirmed", &["Company over 50 people"]),
        Some("Sam (sales)"),
        Some(1),
    )
    .unwrap();
    let e = ws
        .edit_definition_from(id, content("Asked for pricing", &[]), Some("Mia"), Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(
        e.message,
        "The definition \"SQL\" was changed by Sam (sales) since you opened version 1 (now version 2: its summary and fit criteria); your edit was not saved: the screen now shows their version"
    );
    refusals.push(e.message);
    let after = ws.agreement(id).unwrap();
    assert_eq!(after.versions.len(), 2, "the refused edit saved nothing");
    assert_eq!(after.versions[0].content.summary, "Budget confirmed");
    // Someone without a name adds version 3: two authors since version 1, each once.
    ws.edit_definition_from(
        id,
        content("Budget confirmed", &["Company over 50 people", "In the EU"]),
        None,
        Some(2),
    )
    .unwrap();
    let e = ws
        .edit_definition_from(id, content("x", &[]), Some("Mia"), Some(1))
        .unwrap_err();
    assert!(
        e.message.contains(
            "changed by Sam (sales) and someone else since you opened version 1 (now version 3: its summary and fit criteria)"
        ),
        "{}",
        e.message
    );
    refusals.push(e.message);
    // An edit from a screen that showed no version yet is stale too.
    let e = ws
        .edit_definition_from(id, content("y", &[]), None, Some(0))
        .unwrap_err();
    assert!(
        e.message.contains("since you opened it (now version 3"),
        "{}",
        e.message
    );
    refusals.push(e.message);
    // Reloaded at version 3, the edit saves; no version stated is not checked.
    ws.edit_definition_from(id, content("Asked for pricing", &[]), Some("Mia"), Some(3))
        .unwrap();
    ws.edit_definition(id, content("Asked for pricing twice", &[]), None)
        .unwrap();
    let summaries = ws
        .agreement(id)
        .unwrap()
        .versions
        .iter()
        .map(|v| v.content.summary.clone())
        .collect();
    (refusals, summaries)
}

#[test]
fn definitions_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    let (refusals, summaries) = definitions_are_versioned(&ws);
    assert_eq!(refusals.len(), 3);
    assert_eq!(
        summaries,
        [
            "Asked for pricing twice",
            "Asked for pricing",
            "Budget confirmed",
            "Budget confirmed",
            "Asked for a demo"
        ]
    );
}
