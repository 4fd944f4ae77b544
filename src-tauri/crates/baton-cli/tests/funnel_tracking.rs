//! Stages the data does not track, through the real binary: a deals export whose only
//! stages are Prospecting / Engaging / Won / Lost (mapped to lead / opportunity /
//! customer / lost by a profile) says nothing about MQL or SQL, so `funnel --json` shows
//! them as not tracked (`reached: null`) instead of counting every deal as having passed
//! them; % of previous for opportunity is taken from lead. Also: `--count evidence`,
//! small cohorts, and the PDF report and CSV export saying both.

mod common;
use common::{baton, fixture, pdf_text};

use serde_json::Value;
use std::path::{Path, PathBuf};

fn json(ws: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend(args);
    serde_json::from_str(&baton(ws, &all)).unwrap()
}

/// A workspace holding the four-stage deals export (20 deals: 8 Prospecting,
/// 6 Engaging, 3 Won, 3 Lost, each dated when created).
fn four_stage_deals(dir: &tempfile::TempDir) -> PathBuf {
    let ws = dir.path().join("deals.baton");
    baton(&ws, &["init"]);
    baton(
        &ws,
        &[
            "import",
            "--profile",
            fixture("deals_four_stages_profile.json").to_str().unwrap(),
            fixture("deals_four_stages.csv").to_str().unwrap(),
        ],
    );
    ws
}

fn stage<'a>(f: &'a Value, id: &str) -> &'a Value {
    f["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no stage {id} in {f}"))
}

#[test]
fn stages_no_column_can_express_are_not_tracked() {
    let dir = tempfile::tempdir().unwrap();
    let ws = four_stage_deals(&dir);
    let f = json(&ws, &["funnel"]);
    for id in ["mql", "sql"] {
        let s = stage(&f, id);
        assert_eq!(s["tracked"], false, "{id}: {s}");
        assert!(s["reached"].is_null(), "{id}: {s}");
        assert!(s["pct_of_first"].is_null() && s["pct_of_previous"].is_null());
    }
    let lead = stage(&f, "lead");
    assert_eq!(
        (&lead["tracked"], &lead["reached"]),
        (&true.into(), &20.into())
    );
    // Engaging (6) and Won (3) reached opportunity: 9 of the 20 leads.
    let opp = stage(&f, "opportunity");
    assert_eq!(opp["reached"], 9);
    assert_eq!(opp["previous"], "lead");
    assert!((opp["pct_of_previous"].as_f64().unwrap() - 9.0 / 20.0).abs() < 1e-9);
    assert_eq!(opp["drop_off"], 11);
    let customer = stage(&f, "customer");
    assert_eq!(
        (&customer["reached"], &customer["previous"]),
        (&3.into(), &"opportunity".into())
    );
    assert_eq!(f["counting"], "passed");
    let notes: Vec<&str> = f["tracking_notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n
            .contains("does not track Marketing Qualified Lead and Sales Qualified Lead")),
        "{notes:?}"
    );
    // The table says so too.
    let text = baton(&ws, &["funnel"]);
    assert!(text.contains("not tracked"), "{text}");
    assert!(
        text.contains("counting: skipped stages count as passed"),
        "{text}"
    );
}

#[test]
fn evidence_counting_only_counts_records_with_evidence_of_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    let ws = four_stage_deals(&dir);
    let f = json(&ws, &["funnel", "--count", "evidence"]);
    assert_eq!(f["counting"], "evidence");
    assert_eq!(
        f["counting_text"],
        "only records with evidence of every stage up to it"
    );
    // The won deals were never seen at opportunity: strict counting leaves them at lead.
    assert_eq!(stage(&f, "opportunity")["reached"], 6);
    assert_eq!(stage(&f, "customer")["reached"], 0);
    assert!(stage(&f, "mql")["reached"].is_null());
    // The records behind the figure follow the same rule.
    let d = json(
        &ws,
        &["drill", "reached:opportunity", "--count", "evidence"],
    );
    assert_eq!(d["total"], 6);
    let d = json(&ws, &["drill", "reached:mql"]);
    assert_eq!(
        d["total"], 0,
        "no record counts at a stage it does not track"
    );
}

#[test]
fn cohorts_of_fewer_than_ten_records_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let ws = four_stage_deals(&dir);
    let f = json(&ws, &["funnel", "--trend", "month"]);
    let trend = f["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 4, "{f}");
    for c in trend {
        assert_eq!(c["records"], 5);
        assert_eq!(c["small_sample"], true, "{c}");
    }
    let f = json(&ws, &["funnel", "--trend", "quarter"]);
    let q = &f["trend"].as_array().unwrap();
    // 2025-Q1 holds 15 deals, 2025-Q2 five.
    assert_eq!(
        q.iter()
            .map(|c| (c["records"].as_u64().unwrap(), c["small_sample"] == true))
            .collect::<Vec<_>>(),
        vec![(15, false), (5, true)]
    );
}

#[test]
fn the_report_and_the_csv_export_say_not_tracked_and_the_counting_rule() {
    let dir = tempfile::tempdir().unwrap();
    let ws = four_stage_deals(&dir);
    let pdf = dir.path().join("r.pdf");
    baton(&ws, &["report", "--pdf", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Marketing Qualified Lead not tracked – –"),
        "{text}"
    );
    assert!(
        text.contains("Sales Qualified Lead not tracked – –"),
        "{text}"
    );
    assert!(text.contains("Opportunity 9 45.0% 45.0%"), "{text}");
    assert!(
        text.contains("Counting: skipped stages count as passed."),
        "{text}"
    );
    assert!(
        text.contains("The data does not track Marketing Qualified Lead and Sales Qualified Lead"),
        "{text}"
    );
    // Cohorts of five deals are marked.
    assert!(text.contains("2025-01 (small sample) 5"), "{text}");

    let out = dir.path().join("csv");
    baton(&ws, &["export", "--csv", out.to_str().unwrap()]);
    let mut r = csv::Reader::from_path(out.join("funnel.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let overall = |id: &str| {
        rows.iter()
            .find(|r| &r[col("breakdown")] == "all" && &r[col("stage_id")] == id)
            .unwrap()
            .clone()
    };
    let mql = overall("mql");
    assert_eq!(
        (
            &mql[col("tracked")],
            &mql[col("reached")],
            &mql[col("pct_of_previous")]
        ),
        ("no", "", "")
    );
    let opp = overall("opportunity");
    assert_eq!(
        (&opp[col("reached")], &opp[col("previous_stage")]),
        ("9", "lead")
    );
    assert!(rows
        .iter()
        .all(|r| &r[col("counting")] == "skipped stages count as passed"));
}
