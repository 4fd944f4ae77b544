//! The definition check on ten records worked through by hand (no SQLite: the
//! dataset is built in memory). Definition: score ≥ 60, unless country is US.
//! Period: entries 2025-01-01 … 2025-02-28. Stage: mql (next: sql).
//!
//! R1  score 80 DE  lead 01-05 mql 01-06 sql 01-10 customer 02-01   meets  mql sql cust
//! R2  score 70 FR  lead 01-08, current stage MQL (no date)         meets  mql
//! R3  score 65 US  lead 01-09 mql 01-10 sql 01-12                  other (disqualified) mql sql
//! R4  score 40 DE  lead 01-20 mql 01-21                            other  mql
//! R5  score 90 --  lead 02-02, current stage lead                  meets  —
//! R6  no score DE  lead 02-03 mql 02-04 sql 02-05 opp 02-10        other  mql sql
//! R7  score 60 UK  lead 02-10 sql 02-12 (mql skipped), lost        meets  mql sql
//! R8  score n/a DE lead 02-11                                      other  —
//! R9  score 75 DE  lead 03-03                                      outside the period
//! R10 score 85 DE  no dates, current stage MQL                     undated, left out
//!
//! meets 4 (R1 R2 R5 R7), others 4 (R3 R4 R6 R8).
//! Reached sql: meets 2/4 (R1 R7), others 2/4 (R3 R6). Customer: meets 1/4, others 0/4.
//! CRM marked MQL (reached mql or later): R1 R2 R3 R4 R6 R7 = 6, of which meeting 3
//! (R1 R2 R7): 3/6 = 50%; meeting but never marked: R5, 1/4.
//! By month: 2025-01 4 records, 2 meet; 2025-02 4 records, 2 meet.
//! Wilson 95% (z = 1.96): 2/4 → 0.15004–0.84996; 1/4 → 0.04559–0.69936;
//! 0/4 → 0–0.48990; 3/6 → 0.18761–0.81239.

use baton_core::definition::DefinitionCriteria;
use baton_core::stages::default_stages;
use baton_metrics::dataset::{parse_date, Record};
use baton_metrics::stats::Rate;
use baton_metrics::*;

fn rec(id: i64, score: &str, country: &str, stage: Option<&str>, dates: &[(&str, &str)]) -> Record {
    Record {
        id,
        kind: "contact".into(),
        external_id: format!("R{id}"),
        current_stage: stage.map(str::to_string),
        stage_dates: dates
            .iter()
            .map(|(s, d)| (s.to_string(), parse_date(d).unwrap()))
            .collect(),
        country: (!country.is_empty()).then(|| country.to_string()),
        custom: if score.is_empty() {
            vec![]
        } else {
            vec![("score".into(), score.into())]
        },
        ..Record::default()
    }
}

fn records() -> Vec<Record> {
    vec![
        rec(
            1,
            "80",
            "DE",
            Some("customer"),
            &[
                ("lead", "2025-01-05"),
                ("mql", "2025-01-06"),
                ("sql", "2025-01-10"),
                ("customer", "2025-02-01"),
            ],
        ),
        rec(2, "70", "FR", Some("mql"), &[("lead", "2025-01-08")]),
        rec(
            3,
            "65",
            "US",
            Some("sql"),
            &[
                ("lead", "2025-01-09"),
                ("mql", "2025-01-10"),
                ("sql", "2025-01-12"),
            ],
        ),
        rec(
            4,
            "40",
            "DE",
            Some("mql"),
            &[("lead", "2025-01-20"), ("mql", "2025-01-21")],
        ),
        rec(5, "90", "", Some("lead"), &[("lead", "2025-02-02")]),
        rec(
            6,
            "",
            "DE",
            Some("opportunity"),
            &[
                ("lead", "2025-02-03"),
                ("mql", "2025-02-04"),
                ("sql", "2025-02-05"),
                ("opportunity", "2025-02-10"),
            ],
        ),
        rec(
            7,
            "60",
            "UK",
            Some("lost"),
            &[("lead", "2025-02-10"), ("sql", "2025-02-12")],
        ),
        rec(8, "n/a", "DE", Some("lead"), &[("lead", "2025-02-11")]),
        rec(9, "75", "DE", Some("lead"), &[("lead", "2025-03-03")]),
        rec(10, "85", "DE", Some("mql"), &[]),
    ]
}

fn rate(r: &Rate, k: u64, n: u64, low: f64, high: f64) {
    assert_eq!((r.k, r.n), (k, n));
    assert!((r.rate.unwrap() - k as f64 / n as f64).abs() < 1e-12);
    assert!((r.low.unwrap() - low).abs() < 1e-5, "{r:?}");
    assert!((r.high.unwrap() - high).abs() < 1e-5, "{r:?}");
}

#[test]
fn figures_worked_out_by_hand() {
    let ds = Dataset::build(default_stages(), records(), 0);
    let criteria: DefinitionCriteria = serde_json::from_str(
        r#"{"all":[{"op":"at_least","field":"score","value":60}],
            "disqualifiers":[{"op":"in","field":"country","values":["us"]}]}"#,
    )
    .unwrap();
    let c = check_definition(
        &ds,
        &DefinitionQuery {
            stage: "mql".into(),
            criteria,
            from: Some("2025-01-01".into()),
            to: Some("2025-02-28".into()),
        },
    )
    .unwrap();
    assert_eq!(c.kind, None);
    assert_eq!((c.records, c.meets, c.others, c.undated), (8, 4, 4, 1));
    assert_eq!(c.next_stage.as_deref(), Some("sql"));
    rate(c.meets_next.as_ref().unwrap(), 2, 4, 0.15004, 0.84996);
    rate(c.others_next.as_ref().unwrap(), 2, 4, 0.15004, 0.84996);
    rate(&c.meets_customer, 1, 4, 0.04559, 0.69936);
    rate(&c.others_customer, 0, 4, 0.0, 0.48990);
    assert_eq!((c.crm_marked, c.crm_marked_and_meets), (6, 3));
    rate(&c.marked_meeting, 3, 6, 0.18761, 0.81239);
    rate(&c.meets_unmarked, 1, 4, 0.04559, 0.69936);
    assert_eq!(
        c.by_month
            .iter()
            .map(|m| (m.month.as_str(), m.records, m.meets))
            .collect::<Vec<_>>(),
        vec![("2025-01", 4, 2), ("2025-02", 4, 2)]
    );
}
