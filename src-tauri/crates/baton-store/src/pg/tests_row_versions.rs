//! Row versions on both backends (feature `pg-tests`): the same stale and current edits
//! give the same refusals, messages and rows on a file and on a team database.
use super::tests::alike;
use crate::row_version_tests::{
    actions_are_versioned, people_are_versioned, personas_are_versioned, sessions_are_versioned,
};

#[test]
fn stale_persona_edits_are_refused_alike_on_both_backends() {
    let (personas, refusals) = alike(personas_are_versioned, personas_are_versioned);
    assert_eq!(personas.len(), 1);
    assert_eq!(refusals.len(), 3);
}

#[test]
fn stale_action_item_edits_are_refused_alike_on_both_backends() {
    let (items, refusals) = alike(actions_are_versioned, actions_are_versioned);
    assert_eq!(items.len(), 1);
    assert_eq!(refusals.len(), 2);
}

#[test]
fn stale_people_edits_are_refused_alike_on_both_backends() {
    let (people, refusals) = alike(people_are_versioned, people_are_versioned);
    assert_eq!(people.len(), 1);
    assert!(
        refusals[1].contains("it was not deleted"),
        "{}",
        refusals[1]
    );
}

#[test]
fn stale_session_edits_are_refused_alike_on_both_backends() {
    let (sessions, refusals) = alike(sessions_are_versioned, sessions_are_versioned);
    assert_eq!(sessions.len(), 1);
    assert!(
        refusals[1].contains("it was not deleted"),
        "{}",
        refusals[1]
    );
}

#[test]
fn stale_definition_edits_are_refused_alike_on_both_backends() {
    use crate::definition_version_tests::definitions_are_versioned;
    let (refusals, summaries) = alike(definitions_are_versioned, definitions_are_versioned);
    assert_eq!(refusals.len(), 3);
    assert_eq!(summaries.len(), 5);
}

#[test]
fn stale_campaign_edits_are_refused_alike_on_both_backends() {
    use crate::row_version_more_tests::campaigns_are_versioned;
    let (campaigns, refusals) = alike(campaigns_are_versioned, campaigns_are_versioned);
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0].row_version, 5);
    assert_eq!(refusals.len(), 2);
}

#[test]
fn stale_parking_lot_resolutions_are_refused_alike_on_both_backends() {
    use crate::row_version_more_tests::parked_topics_are_versioned;
    let (items, refusals) = alike(parked_topics_are_versioned, parked_topics_are_versioned);
    assert_eq!(items.len(), 1);
    assert_eq!(refusals.len(), 1);
}

#[test]
fn stale_stage_map_hours_and_company_changes_are_refused_alike_on_both_backends() {
    use crate::config_version_tests::config_is_versioned;
    let refusals = alike(config_is_versioned, config_is_versioned);
    assert_eq!(refusals.len(), 7);
}
