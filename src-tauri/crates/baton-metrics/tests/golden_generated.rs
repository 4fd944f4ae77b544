//! The engine against figures computed independently by `scripts/golden_funnel.py`
//! (plain Python with the csv module) for a generated 4,000-record export plus a
//! later export that moves some records on without dates (a re-imported snapshot).
//! Both files go through the real import path.

use baton_core::sla::{Clock, SlaClause, SlaTarget};
use baton_core::Cancel;
use baton_import::{import_file, ImportOptions, Profile};
use baton_metrics::dataset::parse_date;
use baton_metrics::*;
use baton_store::prelude::*;
use baton_store::Workspace;
use serde_json::Value;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn close(actual: Option<f64>, expected: &Value) -> bool {
    match (actual, expected.as_f64()) {
        (None, None) => true,
        (Some(a), Some(e)) => (a - e).abs() < 1e-6,
        _ => false,
    }
}

fn u64s(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

#[test]
fn engine_matches_the_independent_script() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("generated_expected.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
    let profile =
        Profile::from_json(&std::fs::read_to_string(fixture("small_profile.json")).unwrap())
            .unwrap();
    for (file, as_of) in [
        ("generated.csv", "2025-07-01"),
        ("generated_week2.csv", "2025-07-08"),
    ] {
        let opts = ImportOptions {
            profile: Some(profile.clone()),
            as_of: parse_date(as_of),
            ..ImportOptions::default()
        };
        import_file(&mut ws, &fixture(file), &opts, &mut |_| {}, &Cancel::new()).unwrap();
    }
    let ds = Dataset::load(&ws).unwrap();
    assert_eq!(ds.len() as u64, expected["records"].as_u64().unwrap());

    let f = funnel(
        &ds,
        &FunnelQuery {
            by: Some("source".into()),
            ..FunnelQuery::default()
        },
    )
    .unwrap();
    let e = &expected["funnel"];
    assert_eq!(
        f.stages
            .iter()
            .map(|s| s.reached.unwrap_or(0))
            .collect::<Vec<_>>(),
        u64s(&e["reached"])
    );
    assert_eq!(
        f.stages.iter().map(|s| s.skipped).collect::<Vec<_>>(),
        u64s(&e["skipped"])
    );
    assert_eq!(
        (f.outcomes.won, f.outcomes.lost, f.outcomes.open),
        (
            e["won"].as_u64().unwrap(),
            e["lost"].as_u64().unwrap(),
            e["open"].as_u64().unwrap()
        )
    );
    let by_source = expected["by_source"].as_object().unwrap();
    assert_eq!(f.groups.len(), by_source.len());
    for g in &f.groups {
        assert_eq!(
            g.stages
                .iter()
                .map(|s| s.reached.unwrap_or(0))
                .collect::<Vec<_>>(),
            u64s(&by_source[&g.key]),
            "source {}",
            g.key
        );
    }

    for (key, from, to) in [
        ("velocity_lead_mql", "lead", "mql"),
        ("velocity_mql_sql", "mql", "sql"),
    ] {
        let v = velocity(
            &ds,
            &VelocityQuery {
                from: from.into(),
                to: to.into(),
                ..VelocityQuery::default()
            },
        )
        .unwrap();
        let e = &expected[key];
        assert_eq!(v.n, e["n"].as_u64().unwrap(), "{key}");
        assert_eq!(
            v.backward_excluded,
            e["backward"].as_u64().unwrap(),
            "{key}"
        );
        assert!(close(v.median_days, &e["median_days"]), "{key}: {v:?}");
        assert!(close(v.p90_days, &e["p90_days"]), "{key}: {v:?}");
    }

    let hours = ws.business_hours().unwrap();
    for (key, to, within, clock) in [
        (
            "sla_mql_sql_24h_business",
            SlaTarget::Stage("sql".into()),
            24,
            Clock::Business,
        ),
        (
            "sla_mql_sql_48h_calendar",
            SlaTarget::Stage("sql".into()),
            48,
            Clock::Calendar,
        ),
        (
            "sla_mql_first_touch_4h_calendar",
            SlaTarget::Field("first_touch".into()),
            4,
            Clock::Calendar,
        ),
    ] {
        let clause = SlaClause {
            id: 1,
            name: key.into(),
            from_stage: "mql".into(),
            to,
            within_seconds: within * 3600,
            clock,
        };
        let r = sla_report(&ds, &clause, &hours, &Filters::default(), None).unwrap();
        let e = &expected[key];
        assert_eq!(
            (r.due, r.met, r.breached, r.open_late),
            (
                e["due"].as_u64().unwrap(),
                e["met"].as_u64().unwrap(),
                e["breached"].as_u64().unwrap(),
                e["open_late"].as_u64().unwrap()
            ),
            "{key}"
        );
        assert_eq!(
            r.answered_undated,
            e["answered_undated"].as_u64().unwrap(),
            "{key}"
        );
        assert!(close(r.pct_met, &e["pct_met"]), "{key}");
        assert!(
            close(r.median_hours, &e["median_hours"]),
            "{key}: {:?}",
            r.median_hours
        );
        assert!(
            close(r.p95_hours, &e["p95_hours"]),
            "{key}: {:?}",
            r.p95_hours
        );
    }

    let q = quality(&ds, &Filters::default()).unwrap();
    let e = &expected["quality"];
    assert_eq!(q.backward, e["backward"].as_u64().unwrap());
    assert_eq!(q.no_dates, e["no_dates"].as_u64().unwrap());
    assert_eq!(q.several_files, e["several_files"].as_u64().unwrap());
}
