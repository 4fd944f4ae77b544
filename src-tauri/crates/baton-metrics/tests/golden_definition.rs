//! The definition check against figures computed independently by
//! `scripts/golden_definition.py` (plain Python with the csv module) for a generated
//! 3,000-contact export, imported through the real import path.

mod common;

use baton_core::definition::DefinitionCriteria;
use baton_metrics::stats::Rate;
use baton_metrics::*;
use common::{definition_dataset, expected};
use serde_json::Value;

fn same_rate(actual: &Rate, expected: &Value, what: &str) {
    assert_eq!(actual.k, expected["k"].as_u64().unwrap(), "{what}: k");
    assert_eq!(actual.n, expected["n"].as_u64().unwrap(), "{what}: n");
    match (actual.rate, expected["rate"].as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!((a - e).abs() < 1e-9, "{what}: {a} vs {e}"),
        other => panic!("{what}: {other:?}"),
    }
    let interval = &expected["interval"];
    if interval.is_null() {
        assert_eq!((actual.low, actual.high), (None, None), "{what}");
    } else {
        let lo = interval[0].as_f64().unwrap();
        let hi = interval[1].as_f64().unwrap();
        assert!((actual.low.unwrap() - lo).abs() < 1e-9, "{what}: low");
        assert!((actual.high.unwrap() - hi).abs() < 1e-9, "{what}: high");
    }
}

#[test]
fn definition_check_matches_the_independent_script() {
    let expected = expected("definition_expected.json");
    let dir = tempfile::tempdir().unwrap();
    let ds = definition_dataset(dir.path(), "2025-07-01");
    let period = &expected["period"];
    let checks = expected["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 4);
    for e in checks {
        let what = format!("{} / {}", e["name"], e["stage"]);
        let criteria: DefinitionCriteria = serde_json::from_value(e["criteria"].clone()).unwrap();
        let c = check_definition(
            &ds,
            &DefinitionQuery {
                stage: e["stage"].as_str().unwrap().into(),
                criteria,
                from: Some(period[0].as_str().unwrap().into()),
                to: Some(period[1].as_str().unwrap().into()),
            },
        )
        .unwrap();
        let n = |k: &str| e[k].as_u64().unwrap();
        assert_eq!(
            (c.records, c.meets, c.others),
            (n("records"), n("meets"), n("others")),
            "{what}"
        );
        assert_eq!(
            (c.crm_marked, c.crm_marked_and_meets),
            (n("crm_marked"), n("crm_marked_and_meets")),
            "{what}"
        );
        same_rate(c.meets_next.as_ref().unwrap(), &e["meets_next"], &what);
        same_rate(c.others_next.as_ref().unwrap(), &e["others_next"], &what);
        same_rate(&c.meets_customer, &e["meets_customer"], &what);
        same_rate(&c.others_customer, &e["others_customer"], &what);
        same_rate(&c.marked_meeting, &e["marked_meeting"], &what);
        same_rate(&c.meets_unmarked, &e["meets_unmarked"], &what);
        let months: Vec<(String, u64, u64)> = e["by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["month"].as_str().unwrap().to_string(),
                    m["records"].as_u64().unwrap(),
                    m["meets"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            c.by_month
                .iter()
                .map(|m| (m.month.clone(), m.records, m.meets))
                .collect::<Vec<_>>(),
            months,
            "{what}"
        );
    }
}
