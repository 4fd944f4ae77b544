//! The Personas screen (`Workspace::match_criteria`, also the report's persona table) and
//! the Funnel (persona filter and breakdown) count the same records for a persona, on
//! records where their field lookups and "reached" rules used to differ: a custom field
//! named in another case, a custom field with a built-in's name (`custom:source`), the
//! `current_stage` spelling, a non-ASCII value in another case, and a lost record dated
//! only at the last stage (it passed MQL on the way).

use baton_core::persona::{Condition, Criteria, PersonaInput};
use baton_core::record::StoredRecord;
use baton_metrics::{funnel, funnel_with_personas, Dataset, Filters, FunnelQuery, PERSONA_FIELD};
use baton_store::prelude::*;
use baton_store::Workspace;

fn rec(id: i64, f: impl FnOnce(&mut StoredRecord)) -> StoredRecord {
    let mut r = StoredRecord {
        id,
        kind: "contact".into(),
        external_id: format!("C{id}"),
        stage_dates: vec![("lead".into(), 1_000 + id)],
        current_stage: Some("lead".into()),
        ..StoredRecord::default()
    };
    f(&mut r);
    r
}

fn records() -> Vec<StoredRecord> {
    vec![
        rec(1, |r| r.custom = vec![("Lead Score".into(), "80".into())]),
        rec(2, |r| {
            r.source = Some("Google".into());
            r.custom = vec![("source".into(), "Fair".into())];
        }),
        rec(3, |r| r.current_stage = Some("mql".into())),
        rec(4, |r| r.industry = Some("ÉCOLE".into())),
        rec(5, |r| r.industry = Some("école".into())),
        rec(6, |r| {
            // Won once, now lost: dated at lead and customer only, it reached MQL.
            r.stage_dates.push(("customer".into(), 9_000));
            r.current_stage = Some("lost".into());
            r.custom = vec![("lead score".into(), "95".into())];
        }),
        rec(7, |r| r.custom = vec![("Lead Score".into(), "10".into())]),
    ]
}

fn one(field: &str, cond: impl FnOnce(String) -> Condition) -> Criteria {
    Criteria {
        all: vec![cond(field.to_string())],
    }
}

#[test]
fn personas_screen_and_funnel_count_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    ws.insert_records_unchecked("contacts.csv", 10_000, &records())
        .unwrap();
    let ds = Dataset::load(&ws).unwrap();
    let cases = [
        // (criteria, records matching, MQLs among them)
        (
            one("lead score", |field| Condition::AtLeast {
                field,
                value: 50.0,
            }),
            2,
            1,
        ),
        (
            one("custom:source", |field| Condition::In {
                field,
                values: vec!["fair".into()],
            }),
            1,
            0,
        ),
        (
            one("current_stage", |field| Condition::In {
                field,
                values: vec!["MQL".into()],
            }),
            1,
            1,
        ),
        (
            one("industry", |field| Condition::In {
                field,
                values: vec!["école".into()],
            }),
            2,
            0,
        ),
        (
            one("Lead Score", |field| Condition::NotIn {
                field,
                values: vec!["80".into()],
            }),
            6,
            2,
        ),
    ];
    let mut personas = Vec::new();
    for (i, (criteria, matching, mqls)) in cases.iter().enumerate() {
        let screen = ws.match_criteria(0, criteria).unwrap();
        let figures = funnel(
            &ds,
            &FunnelQuery {
                filters: Filters {
                    persona: Some(criteria.clone()),
                    ..Filters::default()
                },
                ..FunnelQuery::default()
            },
        )
        .unwrap();
        let what = criteria.describe();
        assert_eq!(screen.leads, *matching, "Personas screen: {what}");
        assert_eq!(figures.records, *matching, "Funnel: {what}");
        assert_eq!(screen.mqls, *mqls, "Personas screen MQLs: {what}");
        assert_eq!(
            figures.stages[1].reached,
            Some(*mqls),
            "Funnel MQLs: {what}"
        );
        if i < 4 {
            personas.push(
                ws.add_persona(&PersonaInput {
                    name: format!("P{i}"),
                    role: String::new(),
                    company_size: String::new(),
                    industry: String::new(),
                    statements: Vec::new(),
                    criteria: criteria.clone(),
                })
                .unwrap(),
            );
        }
    }
    // The breakdown puts each record under its first matching persona: the four
    // personas above match disjoint records, so each group holds what the screen counts.
    let by = funnel_with_personas(
        &ds,
        &FunnelQuery {
            by: Some(PERSONA_FIELD.into()),
            ..FunnelQuery::default()
        },
        &personas,
    )
    .unwrap();
    for (p, m) in personas.iter().zip(ws.persona_matches().unwrap()) {
        let group = by.groups.iter().find(|g| g.key == p.name).unwrap();
        assert_eq!(group.records, m.leads, "{}", p.name);
    }
}
