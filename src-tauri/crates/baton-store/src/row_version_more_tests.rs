//! Row versions on campaigns (and the rows after them), checked the same way on either
//! backend: on a file here and on a file and a team database in `pg/tests_row_versions.rs`.
use crate::prelude::*;
use baton_core::workshop::Campaign;
use baton_core::ErrorCode;

/// A stale update and delete of a campaign are refused with `conflict` naming what
/// changed and change nothing; current ones bump; saving it again by name with other
/// values bumps too; no version stated is not checked. The campaigns at the end and the
/// refusals' messages.
pub(crate) fn campaigns_are_versioned(
    ws: &(impl CampaignStore + ?Sized),
) -> (Vec<Campaign>, Vec<String>) {
    let mut refusals = Vec::new();
    let c = ws
        .save_campaign("Spring webinar", None, "Webinar", "")
        .unwrap();
    assert_eq!(c.row_version, 1);
    // Marketing and sales both see version 1; marketing renames it and changes its channel.
    let a = ws
        .update_campaign_from(c.id, "Spring webinar (EU)", None, "Events", "", Some(1))
        .unwrap();
    assert_eq!(a.row_version, 2, "a change bumps the version");
    let e = ws
        .update_campaign_from(c.id, "Spring webinar", None, "Webinar", "20 SQLs", Some(1))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(
        e.message,
        "Campaign \"Spring webinar (EU)\" was changed by someone else since you opened it (its name and channel); your edit was not saved: the screen now shows their version"
    );
    refusals.push(e.message);
    let e = ws.delete_campaign_from(c.id, Some(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("it was not deleted"), "{}", e.message);
    refusals.push(e.message);
    assert_eq!(
        ws.campaigns().unwrap(),
        std::slice::from_ref(&a),
        "the refusals changed nothing"
    );
    // Saving what is there keeps the version; saving by name with new values bumps it.
    let same = ws
        .update_campaign_from(c.id, "Spring webinar (EU)", None, "Events", "", Some(2))
        .unwrap();
    assert_eq!(same.row_version, 2);
    assert_eq!(
        ws.save_campaign("spring webinar (eu)", None, "Events", "")
            .unwrap()
            .row_version,
        2
    );
    let upserted = ws
        .save_campaign("Spring webinar (EU)", None, "Events", "20 SQLs")
        .unwrap();
    assert_eq!(upserted.row_version, 3);
    // Sales, reloaded at version 3, edits; no version stated is not checked.
    let b = ws
        .update_campaign_from(
            c.id,
            "Spring webinar (EU)",
            None,
            "Events",
            "25 SQLs",
            Some(3),
        )
        .unwrap();
    assert_eq!(b.row_version, 4);
    ws.update_campaign(c.id, "Spring webinar (EU)", None, "Events", "30 SQLs")
        .unwrap();
    let gone = ws.save_campaign("Old ads", None, "", "").unwrap();
    ws.delete_campaign_from(gone.id, Some(gone.row_version))
        .unwrap();
    (ws.campaigns().unwrap(), refusals)
}

#[test]
fn campaigns_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    let (campaigns, refusals) = campaigns_are_versioned(&ws);
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0].row_version, 5);
    assert_eq!(campaigns[0].sales_input, "30 SQLs");
    assert_eq!(refusals.len(), 2);
}

/// Resolving a parked topic based on a version someone else changed since (they resolved
/// it, or reopened it) is refused with `conflict` and changes nothing; a current one
/// bumps; resolving what is already resolved keeps the version; deleting the session
/// forgets what changed in its topics, so a new topic that gets the same id starts clean.
/// The parking lot at the end and the refusals' messages.
pub(crate) fn parked_topics_are_versioned(
    ws: &(impl SessionStore + ?Sized),
) -> (Vec<baton_core::workshop::ParkingItem>, Vec<String>) {
    use baton_core::workshop::SessionInput;
    let input = SessionInput {
        title: "Workshop 1".into(),
        date: "2026-03-02".into(),
        participant_ids: Vec::new(),
        agenda: Vec::new(),
    };
    let s = ws.create_session(&input).unwrap();
    let s = ws.park_topic(s.id, "Who owns recycled leads?").unwrap();
    let item = s.parking_lot[0].clone();
    assert_eq!(item.row_version, 1);
    // Both facilitators see it open; one resolves it.
    ws.resolve_parked_from(item.id, true, Some(1)).unwrap();
    let e = ws.resolve_parked_from(item.id, false, Some(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(
        e.message,
        "Parked topic \"Who owns recycled leads?\" was changed by someone else since you opened it (its status); your edit was not saved: the screen now shows their version"
    );
    let after = ws.session(s.id).unwrap().parking_lot;
    assert!(after[0].resolved, "the refused reopening changed nothing");
    assert_eq!(after[0].row_version, 2);
    // Resolving it again (no version stated) changes nothing and keeps the version.
    ws.resolve_parked(item.id, true).unwrap();
    assert_eq!(ws.session(s.id).unwrap().parking_lot[0].row_version, 2);
    ws.resolve_parked_from(item.id, false, Some(2)).unwrap();
    let end = ws.session(s.id).unwrap().parking_lot;
    assert_eq!(end[0].row_version, 3);
    assert_eq!(
        ws.resolve_parked_from(99, true, Some(1)).unwrap_err().code,
        ErrorCode::NotFound
    );
    // The session goes, with its topic and what changed in it.
    ws.delete_session(s.id, None).unwrap();
    let s2 = ws.create_session(&input).unwrap();
    let s2 = ws.park_topic(s2.id, "Again").unwrap();
    let again = &s2.parking_lot[0];
    ws.resolve_parked_from(again.id, true, Some(1)).unwrap();
    (end, vec![e.message])
}

#[test]
fn parked_topics_are_versioned_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
    let (items, refusals) = parked_topics_are_versioned(&ws);
    assert_eq!(items.len(), 1);
    assert!(!items[0].resolved);
    assert_eq!(refusals.len(), 1);
}
