//! "Did the agreement work?" against figures computed independently by
//! `scripts/golden_definition.py` (plain Python) on the generated 3,000-contact export:
//! before/after an MQL definition agreed on a fixed day, with a 30-day maturity window.

mod common;

use baton_core::agreement::{
    Agreement, DefinitionContent, DefinitionVersion, SignOff, Subject, VersionStatus,
};
use baton_core::sla::BusinessHours;
use baton_core::workshop::Team;
use baton_metrics::dataset::parse_date;
use baton_metrics::impact::{impact, ImpactInput, ImpactSide};
use common::{definition_dataset, expected};
use serde_json::Value;

fn same_side(actual: &ImpactSide, expected: &Value, what: &str) {
    assert_eq!(actual.n, expected["n"].as_u64().unwrap(), "{what}: n");
    let close = |a: Option<f64>, e: Option<f64>, part: &str| match (a, e) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!((a - e).abs() < 1e-9, "{what} {part}: {a} vs {e}"),
        other => panic!("{what} {part}: {other:?}"),
    };
    close(actual.value, expected["rate"].as_f64(), "rate");
    close(actual.low, expected["interval"][0].as_f64(), "low");
    close(actual.high, expected["interval"][1].as_f64(), "high");
}

fn agreed_on(day: &str) -> Agreement {
    let at = parse_date(day).unwrap();
    Agreement {
        id: 1,
        subject: Subject::Stage {
            stage_id: "mql".into(),
        },
        title: "MQL".into(),
        versions: vec![DefinitionVersion {
            version: 1,
            content: DefinitionContent::default(),
            author: None,
            note: String::new(),
            created_at: at - 86_400,
            sign_offs: vec![
                SignOff {
                    person_id: 1,
                    name: "Sam".into(),
                    team: Team::Sales,
                    signed_at: at - 3_600,
                },
                SignOff {
                    person_id: 2,
                    name: "Mia".into(),
                    team: Team::Marketing,
                    signed_at: at,
                },
            ],
            status: VersionStatus::Agreed,
            terms: vec![],
        }],
        agreed: true,
        last_agreed_version: Some(1),
        missing_sides: vec![],
        current_terms: vec![],
        terms_changed: false,
    }
}

#[test]
fn before_and_after_match_the_independent_script() {
    let expected = expected("impact_expected.json");
    let dir = tempfile::tempdir().unwrap();
    let ds = definition_dataset(dir.path(), expected["as_of"].as_str().unwrap());
    let report = impact(
        &ds,
        &ImpactInput {
            agreements: &[agreed_on(expected["agreed"].as_str().unwrap())],
            clauses: &[],
            goals: &[],
            hours: &BusinessHours::default(),
            window_days: expected["window_days"].as_u64().unwrap() as u32,
        },
    )
    .unwrap();
    let a = &report.agreements[0];
    let (to_sql, days_to_sql, to_customer) = (&a.figures[0], &a.figures[1], &a.figures[2]);
    let e_sql = &expected["figures"][0];
    let e_customer = &expected["figures"][1];
    same_side(&to_sql.before, &e_sql["before"], "MQL → SQL before");
    same_side(&to_sql.after, &e_sql["after"], "MQL → SQL after");
    same_side(
        &to_customer.before,
        &e_customer["before"],
        "MQL → customer before",
    );
    same_side(
        &to_customer.after,
        &e_customer["after"],
        "MQL → customer after",
    );
    for (side, e) in [
        (&days_to_sql.before, &e_sql["before"]),
        (&days_to_sql.after, &e_sql["after"]),
    ] {
        assert_eq!(
            side.n,
            e["k"].as_u64().unwrap(),
            "median over the converted"
        );
        let (a, e) = (side.value.unwrap(), e["median_days"].as_f64().unwrap());
        assert!((a - e).abs() < 1e-9, "median days {a} vs {e}");
    }
    let note = |start: &str| a.notes.iter().any(|n| n.starts_with(start));
    assert!(
        note(&format!("{} records entered", e_sql["young"])),
        "{:?}",
        a.notes
    );
    assert!(
        note(&format!("{} records reached", e_sql["undated_entry"])),
        "{:?}",
        a.notes
    );
    assert!(
        note(&format!("{} records reached", e_sql["untimed"])),
        "{:?}",
        a.notes
    );
}
