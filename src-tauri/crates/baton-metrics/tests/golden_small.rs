//! Golden figures for `tests/fixtures/small.csv`, imported through the real import
//! path. Every expected number below was worked out by hand from the CSV; the working
//! is in the comments (2025-01-06 is a Monday; business hours Mon–Fri 09:00–17:00).
//!
//! R1 won:   lead 01-06 09:00, mql 01-07 10:00, sql 01-08 10:00, opp 01-10 10:00, won 01-20
//! R2 opp:   lead 01-06 10:00, mql 01-06 12:00, (sql skipped), opp 01-09 12:00
//! R3 lost:  lead 01-07 00:00, mql 01-08 09:00
//! R4 sql:   lead 01-10 16:00 (Fri), mql 01-10 16:00, sql 01-13 10:00 (Mon)
//! R5 mql:   lead 01-20, mql 01-15 — backward
//! R6 lead:  no dates; re-imported a week later at MQL (no date): a snapshot
//! R7 "Nurture" (not mapped): lead 02-03
//! R8 won:   lead 02-01, won 02-10 — mql, sql, opportunity skipped
//! R9 sql:   (small_undated.csv, SLA test only) lead 01-14 09:00, mql 01-14 10:00, at SQL
//!           with no SQL date: it reached SQL at an unknown time

use baton_core::goal::{GoalInput, GoalMetric, GoalPeriod};
use baton_core::sla::{Clock, SlaClauseInput, SlaTarget};
use baton_core::{Cancel, ErrorCode};
use baton_import::{import_file, ImportOptions, Profile};
use baton_metrics::dataset::parse_date;
use baton_metrics::drill::{DrillQuery, DrillTarget, GroupRef};
use baton_metrics::goals::GoalStatus;
use baton_metrics::*;
use baton_store::Workspace;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn import(ws: &mut Workspace, file: &str, as_of: &str) {
    let profile =
        Profile::from_json(&std::fs::read_to_string(fixture("small_profile.json")).unwrap())
            .unwrap();
    let opts = ImportOptions {
        profile: Some(profile),
        as_of: parse_date(as_of),
        ..ImportOptions::default()
    };
    import_file(ws, &fixture(file), &opts, &mut |_| {}, &Cancel::new()).unwrap();
}

fn workspace(dir: &Path, reimport: bool) -> Workspace {
    let mut ws = Workspace::create(&dir.join("w.baton")).unwrap();
    import(&mut ws, "small.csv", "2025-03-01");
    if reimport {
        import(&mut ws, "small_week2.csv", "2025-03-08");
    }
    ws
}

fn reached(r: &FunnelReport) -> Vec<u64> {
    r.stages.iter().map(|s| s.reached.unwrap_or(0)).collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn funnel_counts_skipped_stages_and_lost_records() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), false);
    let ds = Dataset::load(&ws).unwrap();
    let r = funnel(&ds, &FunnelQuery::default()).unwrap();
    // highest stage: R6,R7 lead; R3(lost),R5 mql; R4 sql; R2 opp; R1,R8 customer
    assert_eq!(reached(&r), vec![8, 6, 4, 3, 2]);
    let of_prev: Vec<Option<f64>> = r.stages.iter().map(|s| s.pct_of_previous).collect();
    assert_eq!(of_prev[0], None);
    assert!(close(of_prev[1], 0.75) && close(of_prev[2], 4.0 / 6.0) && close(of_prev[3], 0.75));
    assert!(close(r.stages[4].pct_of_first, 0.25));
    assert_eq!(
        r.stages.iter().map(|s| s.drop_off).collect::<Vec<_>>(),
        vec![0, 2, 2, 1, 1]
    );
    // skipped: R8 mql+sql+opp, R2 sql
    assert_eq!(
        r.stages.iter().map(|s| s.skipped).collect::<Vec<_>>(),
        vec![0, 1, 2, 1, 0]
    );
    assert_eq!(
        (r.outcomes.won, r.outcomes.lost, r.outcomes.open),
        (2, 1, 5)
    );
}

#[test]
fn breakdown_folds_case_variants_and_filters_by_entry_date() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), false);
    let ds = Dataset::load(&ws).unwrap();
    let r = funnel(
        &ds,
        &FunnelQuery {
            by: Some("source".into()),
            ..FunnelQuery::default()
        },
    )
    .unwrap();
    let keys: Vec<(&str, u64)> = r
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.records))
        .collect();
    // Google = R1, R2 ("google"), R4, R8
    assert_eq!(keys, vec![("Google", 4), ("Event", 2), ("Webinar", 2)]);
    assert_eq!(reached_of(&r.groups[0].stages), vec![4, 4, 4, 3, 2]);
    assert_eq!(reached_of(&r.groups[1].stages), vec![2, 2, 0, 0, 0]);
    // Entry = first dated stage: on/after Feb 1 only R7 (02-03) and R8 (02-01).
    let feb = funnel(
        &ds,
        &FunnelQuery {
            filters: Filters {
                entry_from: Some("2025-02-01".into()),
                ..Filters::default()
            },
            trend: Some(Granularity::Month),
            ..FunnelQuery::default()
        },
    )
    .unwrap();
    assert_eq!(reached(&feb), vec![2, 1, 1, 1, 1]);
    assert_eq!(feb.trend.len(), 1);
    assert_eq!(feb.trend[0].key, "2025-02");
    // Segment ENT: R3, R4, R7, R8
    let ent = funnel(
        &ds,
        &FunnelQuery {
            filters: Filters::default().field("segment", "ent"),
            ..FunnelQuery::default()
        },
    )
    .unwrap();
    assert_eq!(reached(&ent), vec![4, 3, 2, 1, 1]);
}

fn reached_of(stages: &[baton_metrics::funnel::StageFigures]) -> Vec<u64> {
    stages.iter().map(|s| s.reached.unwrap_or(0)).collect()
}

#[test]
fn reimported_snapshot_moves_a_record_on() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), true);
    let ds = Dataset::load(&ws).unwrap();
    let r = funnel(&ds, &FunnelQuery::default()).unwrap();
    // R6 was seen at MQL (no date) in the second export: mql 6 → 7.
    assert_eq!(reached(&r), vec![8, 7, 4, 3, 2]);
    let q = quality(&ds, &Filters::default()).unwrap();
    assert_eq!(q.several_files, 1, "R6 came from two files");
    assert_eq!(q.several_files_samples[0].external_id, "R6");
    assert_eq!(q.backward, 1);
    assert_eq!(q.backward_samples[0].external_id, "R5");
    assert_eq!(q.no_dates, 1);
    assert_eq!(q.skipped_records, 2);
    assert_eq!(q.unmapped_stage_values.len(), 1);
    assert_eq!(q.unmapped_stage_values[0].value, "Nurture");
}

#[test]
fn velocity_uses_wall_clock_and_skips_backward_dates() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), false);
    let ds = Dataset::load(&ws).unwrap();
    let v = |from: &str, to: &str| {
        velocity(
            &ds,
            &VelocityQuery {
                from: from.into(),
                to: to.into(),
                ..VelocityQuery::default()
            },
        )
        .unwrap()
    };
    // mql→sql: R1 1 day, R4 2.75 days → median 1.875, p90 1 + 0.9 × 1.75 = 2.575
    let m = v("mql", "sql");
    assert_eq!(m.n, 2);
    assert!(close(m.median_days, 1.875) && close(m.p90_days, 2.575));
    // lead→mql: R4 0h, R2 2h, R1 25h, R3 33h; R5 backward.
    // median (2+25)/2 h = 0.5625 d; p90 at rank 2.7: 25 + 0.7 × 8 = 30.6 h = 1.275 d
    let l = v("lead", "mql");
    assert_eq!((l.n, l.backward_excluded), (4, 1));
    assert!(
        close(l.median_days, 0.5625) && close(l.p90_days, 1.275),
        "{l:?}"
    );
    // The Funnel screen's one-pass table gives the same figures per pair.
    let steps = velocity_steps(&ds, &Filters::default()).unwrap();
    let pairs: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| (s.from.as_str(), s.to.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("lead", "mql"),
            ("mql", "sql"),
            ("sql", "opportunity"),
            ("opportunity", "customer"),
            ("lead", "customer")
        ]
    );
    for s in &steps {
        assert_eq!(s, &v(&s.from, &s.to));
    }
    assert_eq!(
        velocity(
            &ds,
            &VelocityQuery {
                from: "sql".into(),
                to: "mql".into(),
                ..VelocityQuery::default()
            }
        )
        .unwrap_err()
        .code,
        ErrorCode::InvalidInput
    );
}

#[test]
fn sla_on_business_hours_across_a_weekend() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = workspace(dir.path(), false);
    let add = |ws: &mut Workspace, to: SlaTarget, secs: i64, clock: Clock| {
        ws.add_sla_clause(&SlaClauseInput {
            name: String::new(),
            from_stage: "mql".into(),
            to,
            within_seconds: secs,
            clock,
        })
        .unwrap()
    };
    let business = add(
        &mut ws,
        SlaTarget::Stage("sql".into()),
        20 * 3600,
        Clock::Business,
    );
    let calendar = add(
        &mut ws,
        SlaTarget::Stage("sql".into()),
        48 * 3600,
        Clock::Calendar,
    );
    let touch = add(
        &mut ws,
        SlaTarget::Field("first_touch".into()),
        4 * 3600,
        Clock::Calendar,
    );
    import(&mut ws, "small_undated.csv", "2025-03-01");
    let ds = Dataset::load(&ws).unwrap();
    let hours = ws.business_hours().unwrap();
    let report = |c| sla_report(&ds, c, &hours, &Filters::default(), None).unwrap();

    // Business clock, 20h: R1 Tue 10:00→Wed 10:00 = 7+1 = 8h met; R2 stops at its
    // opportunity date (sql skipped): Mon 12:00→Thu 12:00 = 5+8+8+3 = 24h breached;
    // R4 Fri 16:00→Mon 10:00 = 1+1 = 2h met across the weekend; R3, R5 never reached
    // sql and are long past 20 working hours at "as of" (2025-03-01): open and late.
    // R9 is at SQL with no date from SQL on: answered, time unknown — not due, not late.
    let b = report(&business);
    assert_eq!((b.due, b.met, b.breached, b.open_late), (5, 2, 1, 2));
    assert_eq!(b.answered_undated, 1);
    assert!(close(b.pct_met, 0.4));
    // answered 2, 8, 24 h: median 8; p95 at rank 1.9: 8 + 0.9 × 16 = 22.4
    assert!(
        close(b.median_hours, 8.0) && close(b.p95_hours, 22.4),
        "{b:?}"
    );
    let ann = b.by_owner.iter().find(|o| o.key == "Ann").unwrap();
    assert_eq!((ann.due, ann.met, ann.breaches), (3, 1, 2)); // R1 met, R3 and R5 late
                                                             // Bob: R2 breached, R4 met; his R9 is not a breach.
    let bob = b.by_owner.iter().find(|o| o.key == "Bob").unwrap();
    assert_eq!((bob.due, bob.met, bob.breaches), (2, 1, 1));
    let late: Vec<&str> = b
        .open_breaches
        .iter()
        .map(|o| o.external_id.as_str())
        .collect();
    assert_eq!(late, vec!["R3", "R5"], "oldest first");

    // Calendar clock, 48h: R1 24h met; R2 72h and R4 66h breached; R9 undated.
    let c = report(&calendar);
    assert_eq!((c.met, c.breached, c.open_late), (1, 2, 2));
    assert_eq!(c.answered_undated, 1);
    assert!(close(c.median_hours, 66.0) && close(c.p95_hours, 71.4));

    // To a first-touch field, 4h: R1 1h met, R2 8h breached, R3 R4 R5 R9 no touch,
    // late (a field has no stage to have reached).
    let t = report(&touch);
    assert_eq!((t.met, t.breached, t.open_late), (1, 1, 4));
    assert_eq!((t.answered_undated, t.unreadable_dates), (0, 0));

    // Drill-down lists exactly the records behind the figure.
    let d = drill(
        &ds,
        &DrillQuery {
            filters: Filters::default(),
            target: DrillTarget::Sla {
                clause_id: business.id,
                verdict: "breached".into(),
            },
            group: None,
            cohort: None,
            limit: None,
            counting: None,
        },
        &ws.sla_clauses().unwrap(),
        &hours,
    )
    .unwrap();
    assert_eq!(
        d.records
            .iter()
            .map(|r| r.external_id.as_str())
            .collect::<Vec<_>>(),
        vec!["R2"]
    );
    let undated = drill(
        &ds,
        &DrillQuery {
            filters: Filters::default(),
            target: DrillTarget::Sla {
                clause_id: business.id,
                verdict: "answered_undated".into(),
            },
            group: None,
            cohort: None,
            limit: None,
            counting: None,
        },
        &ws.sla_clauses().unwrap(),
        &hours,
    )
    .unwrap();
    assert_eq!(undated.records[0].external_id, "R9");
    assert_eq!(undated.total, 1);
}

#[test]
fn goals_have_pace_and_the_calculator_works_back_from_revenue() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), true); // as of 2025-03-08
    let clause = ws
        .add_sla_clause(&SlaClauseInput {
            name: String::new(),
            from_stage: "mql".into(),
            to: SlaTarget::Stage("sql".into()),
            within_seconds: 20 * 3600,
            clock: Clock::Business,
        })
        .unwrap();
    let goal = |metric: GoalMetric, target: f64, period: &str| {
        ws.add_goal(&GoalInput {
            name: String::new(),
            metric,
            target,
            period: GoalPeriod::parse(period).unwrap(),
            team: "shared".into(),
        })
        .unwrap();
    };
    goal(
        GoalMetric::Reached {
            stage: "mql".into(),
        },
        10.0,
        "2025-01",
    );
    goal(
        GoalMetric::Conversion {
            from: "lead".into(),
            to: "mql".into(),
        },
        0.5,
        "2025-Q1",
    );
    goal(GoalMetric::WonAmount, 100_000.0, "2025-Q1");
    goal(
        GoalMetric::SlaMet {
            clause_id: clause.id,
        },
        0.9,
        "2025-Q1",
    );
    let ds = Dataset::load(&ws).unwrap();
    let p = goal_progress(
        &ds,
        &ws.goals().unwrap(),
        &ws.sla_clauses().unwrap(),
        &ws.business_hours().unwrap(),
        &Filters::default(),
    )
    .unwrap();
    // mql dates in January: R1..R5 = 5 of 10; January is over → missed.
    assert_eq!((p[0].actual, p[0].status), (Some(5.0), GoalStatus::Missed));
    // lead dated in Q1: all but R6 (7); of those all but R7 reached mql: 6/7 ≥ 0.5.
    assert!(close(p[1].actual, 6.0 / 7.0));
    assert_eq!(p[1].status, GoalStatus::Met);
    // won in Q1: R1 10 000 + R8 30 000. 66 of 90 days elapsed → pace 73 333 → behind.
    assert_eq!(p[2].actual, Some(40_000.0));
    assert!((p[2].elapsed_share - 66.0 / 90.0).abs() < 1e-9);
    assert!(close(p[2].expected_now, 100_000.0 * 66.0 / 90.0));
    assert_eq!(p[2].status, GoalStatus::Behind);
    assert!(close(p[3].actual, 0.4));

    // Observed conversions after the re-import: 7/8, 4/7, 3/4, 2/3.
    // 100 000 / 25 000 = 4 wins → 6 opportunities → 8 SQLs → 14 MQLs → 16 leads.
    let calc = reverse_waterfall(
        &ds,
        &CalculatorInput {
            revenue_target: 100_000.0,
            avg_deal_size: Some(25_000.0),
            ..CalculatorInput::default()
        },
    )
    .unwrap();
    let need: Vec<Option<f64>> = calc.steps.iter().map(|s| s.required).collect();
    assert_eq!(
        need,
        vec![Some(16.0), Some(14.0), Some(8.0), Some(6.0), Some(4.0)]
    );
    // open now: lead R7; mql R5, R6; sql R4; opportunity R2. Each row counts what can
    // still arrive at it, the open records one stage before: the wins row the open
    // opportunity R2 (not the past wins R1 and R8), the opportunity row the open SQL R4,
    // the MQL row the open lead R7; nothing comes before the leads.
    let have: Vec<Option<u64>> = calc.steps.iter().map(|s| s.in_pipeline).collect();
    assert_eq!(have, vec![None, Some(1), Some(2), Some(1), Some(1)]);
    assert_eq!(calc.steps[0].gap, Some(16.0));
    assert_eq!(calc.steps[1].gap, Some(13.0));
    assert_eq!(
        calc.steps[4].pipeline_label,
        "open at Opportunity, can still be won"
    );
    assert_eq!(
        calc.steps[3].pipeline_label,
        "open at Sales Qualified Lead, not yet Opportunity"
    );
    // An agreed mql→sql of 50%: 8 / 0.5 = 16 MQLs; 16 / (7/8) = 18.3 → 19 leads.
    let agreed = reverse_waterfall(
        &ds,
        &CalculatorInput {
            revenue_target: 100_000.0,
            avg_deal_size: Some(25_000.0),
            conversions: vec![None, Some(0.5), None, None],
            ..CalculatorInput::default()
        },
    )
    .unwrap();
    assert_eq!(agreed.steps[1].required, Some(16.0));
    assert_eq!(agreed.steps[0].required, Some(19.0));
    // Observed deal size: (10 000 + 30 000) / 2.
    let observed = reverse_waterfall(
        &ds,
        &CalculatorInput {
            revenue_target: 100_000.0,
            ..CalculatorInput::default()
        },
    )
    .unwrap();
    assert_eq!(observed.avg_deal_size, Some(20_000.0));
    assert_eq!(observed.steps[4].required, Some(5.0));
}

#[test]
fn drill_down_and_cache_follow_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = workspace(dir.path(), false);
    let mut cache = DatasetCache::new();
    let ds = cache.get(&ws).unwrap();
    let ids = |t: DrillTarget, group: Option<GroupRef>| {
        let r = drill(
            &ds,
            &DrillQuery {
                filters: Filters::default(),
                target: t,
                group,
                cohort: None,
                limit: None,
                counting: None,
            },
            &[],
            &Default::default(),
        )
        .unwrap();
        let mut v: Vec<String> = r.records.into_iter().map(|r| r.external_id).collect();
        v.sort();
        v
    };
    assert_eq!(
        ids(
            DrillTarget::Reached {
                stage: "sql".into()
            },
            None
        ),
        ["R1", "R2", "R4", "R8"]
    );
    assert_eq!(
        ids(
            DrillTarget::Skipped {
                stage: "sql".into()
            },
            None
        ),
        ["R2", "R8"]
    );
    assert_eq!(
        ids(
            DrillTarget::Reached {
                stage: "customer".into()
            },
            Some(GroupRef {
                field: "source".into(),
                key: "google".into()
            })
        ),
        ["R1", "R8"]
    );
    assert!(
        std::sync::Arc::ptr_eq(&ds, &cache.get(&ws).unwrap()),
        "warm cache reused"
    );
    import(&mut ws, "small_week2.csv", "2025-03-08");
    assert!(
        !std::sync::Arc::ptr_eq(&ds, &cache.get(&ws).unwrap()),
        "reloaded after a write"
    );
}
