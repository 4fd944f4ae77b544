//! One figure, one number: on the demo workspace (`baton demo`), every figure that
//! Overview, Goals, the SLA card, the Funnel and the PDF report show is read through
//! the CLI's `--json` (the app's commands call the same functions with the same
//! default kind) and compared. No headline figure adds contacts and deals.

mod common;
use common::pdf_text;

use serde_json::Value;
use std::path::PathBuf;

struct Demo {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.baton");
        let d = Demo { dir, path };
        d.run(&["demo"]);
        d
    }
    fn run(&self, args: &[&str]) -> String {
        common::baton(&self.path, args)
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend(args);
        serde_json::from_str(&self.run(&all)).unwrap()
    }
    /// The report for `period` as text (`pdftotext -layout`, whitespace folded).
    fn report_text(&self, period: &str) -> String {
        let pdf = self.dir.path().join(format!("report-{period}.pdf"));
        self.run(&["report", "--period", period, "--pdf", pdf.to_str().unwrap()]);
        pdf_text(&pdf)
    }
}

/// Formatting written independently of Baton's: `1,234`.
fn count(n: u64) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|g| g.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn pct1(v: &Value) -> String {
    format!("{:.1}%", v.as_f64().unwrap() * 100.0)
}

fn goal<'a>(goals: &'a Value, name: &str) -> &'a Value {
    goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["goal"]["name"] == name)
        .unwrap_or_else(|| panic!("goal {name} in {goals:#}"))
}

#[test]
fn overview_counts_each_kind_on_its_own() {
    let d = Demo::new();
    let o = d.json(&["overview"]);
    assert_eq!(o["default_kind"], "contact");
    let kinds = o["kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[0]["kind"], "contact", "the headline kind comes first");
    let mut total = 0;
    for k in kinds {
        // Every record of the kind is in exactly one row: a stage, lost, or no stage.
        let records = k["records"].as_i64().unwrap();
        let rows: i64 = k["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["count"].as_i64().unwrap())
            .sum::<i64>()
            + k["lost"].as_i64().unwrap()
            + k["no_stage"].as_i64().unwrap();
        assert_eq!(rows, records, "{k:#}");
        total += records;
    }
    assert_eq!(total, o["records"].as_i64().unwrap());
    // No kind-adding figure is left in the JSON.
    assert!(
        o.get("stages").is_none() && o.get("lost").is_none(),
        "{o:#}"
    );

    // The text output says whose stages it lists and shares them within the kind.
    let text = d.run(&["overview"]);
    let deals = &kinds[1];
    assert_eq!(deals["kind"], "deal");
    let lost = deals["lost"].as_i64().unwrap();
    let share = format!(
        "{:.1}%",
        lost as f64 * 100.0 / deals["records"].as_i64().unwrap() as f64
    );
    assert!(text.contains("contacts: "), "{text}");
    assert!(text.contains("deals: "), "{text}");
    let lost_line = text
        .lines()
        .skip_while(|l| !l.starts_with("deals: "))
        .find(|l| l.trim_start().starts_with("Closed lost"))
        .unwrap();
    assert!(
        lost_line.contains(&lost.to_string()) && lost_line.contains(&share),
        "{lost_line}"
    );
}

#[test]
fn one_figure_is_one_number_on_every_screen_and_in_the_report() {
    let d = Demo::new();
    let overview = d.json(&["overview"]);
    let contact = &overview["kinds"][0];
    assert_eq!(contact["kind"], "contact");

    // The Funnel (screen default, CLI default) counts the headline kind: contacts.
    let funnel = d.json(&["funnel"]);
    assert_eq!(funnel, d.json(&["funnel", "--kind", "contact"]));
    let all = d.json(&["funnel", "--kind", "all"]);
    assert!(all["records"].as_u64() > funnel["records"].as_u64());
    // Every contact that is a customer today reached Customer in the funnel.
    let customer_now = contact["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "customer")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    let reached_customer = funnel["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "customer")
        .unwrap()["reached"]
        .as_u64()
        .unwrap();
    assert_eq!(customer_now, reached_customer);

    // Goals (the Goals screen calls the same goal_progress) count contacts and say so.
    let goals = d.json(&["goals"]);
    for g in goals.as_array().unwrap() {
        let scope = g["scope"].as_str().unwrap();
        assert!(scope.contains("2026-Q4"), "{scope}");
    }
    let customers = goal(&goals, "New customers");
    assert!(
        customers["scope"]
            .as_str()
            .unwrap()
            .starts_with("contacts whose Customer date falls in 2026-Q4"),
        "{customers:#}"
    );
    let mqls = goal(&goals, "MQLs this quarter");
    let sla_goal = goal(&goals, "MQL follow-up SLA met");
    let conversion = goal(&goals, "MQL → SQL conversion");
    assert_eq!(conversion["target_text"], "40%");

    // The report for the goals' quarter: each headline count is the goal's actual.
    let text = d.report_text("2026-Q4");
    for (stage, g, target) in [
        ("Customer", customers, "18"),
        ("Marketing Qualified Lead", mqls, "120"),
    ] {
        let n = count(g["actual"].as_f64().unwrap() as u64);
        let row = format!(
            "{stage} {n} {target} in 2026-Q4 ({}) {n} ",
            g["goal"]["team"].as_str().unwrap()
        );
        assert!(text.contains(&row), "headline '{row}' not in:\n{text}");
    }
    assert!(
        text.contains("Count: contacts whose date for the stage falls in Q4 2026"),
        "{text}"
    );
    assert!(
        text.contains("40% "),
        "rate target as a percentage:\n{text}"
    );
    assert!(!text.contains("0.4 "), "{text}");

    // SLA: the clocks started in 2026-Q4, as the SLA goal, `sla --period` and the
    // report's SLA row count them; the all-time card names its period.
    let q4 = d.json(&["sla", "--period", "2026-Q4"]);
    let follow_up = q4
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == sla_goal["goal"]["metric"]["clause_id"])
        .unwrap();
    assert_eq!(follow_up["pct_met"], sla_goal["actual"]);
    assert_eq!(follow_up["due"], sla_goal["basis"]);
    assert!(follow_up["scope"].as_str().unwrap().contains("in 2026-Q4"));
    let line = format!(
        "{}: {} met of {} due",
        follow_up["name"].as_str().unwrap(),
        pct1(&follow_up["pct_met"]),
        count(follow_up["due"].as_u64().unwrap())
    );
    assert!(text.contains(&line), "SLA line '{line}' not in:\n{text}");
    let all_time = d.json(&["sla"]);
    let card = all_time
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == follow_up["id"])
        .unwrap();
    assert!(
        card["scope"].as_str().unwrap().contains("all time"),
        "{card:#}"
    );

    // The CLI's text output shows rate targets as percentages too.
    let goals_text = d.run(&["goals"]);
    assert!(goals_text.contains("of 40% "), "{goals_text}");
}

#[test]
fn the_company_name_is_a_setting_the_report_cover_uses() {
    let d = Demo::new();
    assert_eq!(d.json(&["settings"])["company"], "Larkspur Analytics");
    d.run(&["settings", "--company", ""]);
    assert_eq!(d.json(&["settings"])["company"], Value::Null);
    assert!(d.run(&["overview"]).contains("not set"));
    let text = d.report_text("2026-Q4");
    assert!(text.contains("Company not set"), "{text}");
    assert!(text.contains("baton settings --company NAME"), "{text}");

    let set = d.json(&["settings", "--company", "  Acme Ltd "]);
    assert_eq!(set["company"], "Acme Ltd");
    assert_eq!(d.json(&["overview"])["info"]["company"], "Acme Ltd");
    let text = d.report_text("2026-Q4");
    assert!(text.contains("Company Acme Ltd"), "{text}");
}
