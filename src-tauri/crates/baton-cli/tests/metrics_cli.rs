//! The metrics commands' JSON through the real binary, on the demo workspace: the keys
//! the issue promises (`velocity`, `sla`, `goals`, `quality`, `funnel --by`), the persona
//! breakdown checked against the persona filter, and `sla add --to-field` refusing a
//! field that holds no dates.
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Output};

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .output()
        .unwrap()
}

fn json(w: &str, args: &[&str]) -> Value {
    let mut all = vec!["--workspace", w];
    all.extend_from_slice(args);
    all.push("--json");
    let out = baton(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `value` is an object holding every key of `keys`.
fn has_keys(value: &Value, keys: &[&str]) {
    let have: BTreeSet<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    let missing: Vec<&&str> = keys.iter().filter(|k| !have.contains(**k)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in {have:?}");
}

fn demo(dir: &tempfile::TempDir) -> String {
    let w = dir.path().join("demo.baton");
    let w = w.to_str().unwrap().to_string();
    let out = baton(&["--workspace", &w, "demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    w
}

#[test]
fn json_shapes_match_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);

    let f = json(&w, &["funnel", "--by", "source"]);
    has_keys(&f, &["stages", "outcomes", "groups"]);
    has_keys(&f["outcomes"], &["won", "lost", "open"]);
    let stage_keys = ["id", "reached", "pct_of_first", "pct_of_previous"];
    for s in f["stages"].as_array().unwrap() {
        has_keys(s, &stage_keys);
    }
    assert!(f["stages"][0]["pct_of_previous"].is_null());
    let groups = f["groups"].as_array().unwrap();
    assert!(groups.len() > 1);
    for g in groups {
        has_keys(g, &["key", "stages"]);
        for s in g["stages"].as_array().unwrap() {
            has_keys(s, &stage_keys);
        }
    }

    let v = json(
        &w,
        &["velocity", "--from", "mql", "--to", "sql", "--by", "source"],
    );
    has_keys(&v, &["n", "median_days", "p90_days", "groups"]);
    assert!(v["median_days"].is_f64() && v["n"].as_u64().unwrap() > 0);

    let sla = json(&w, &["sla"]);
    let clauses = sla.as_array().unwrap();
    assert!(!clauses.is_empty(), "the demo has agreed clauses");
    for c in clauses {
        has_keys(
            c,
            &[
                "id",
                "due",
                "met",
                "breached",
                "open_late",
                "pct_met",
                "median_hours",
                "p95_hours",
            ],
        );
        let n = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(n("due"), n("met") + n("breached") + n("open_late"));
    }

    let goals = json(&w, &["goals"]);
    let goals = goals.as_array().unwrap();
    assert!(!goals.is_empty(), "the demo has goals");
    assert!(
        goals.iter().any(|g| g["actual"].is_number()),
        "at least one demo goal has an actual"
    );
    for g in goals {
        has_keys(
            g,
            &["goal", "actual", "progress", "status", "elapsed_share"],
        );
    }

    let q = json(&w, &["quality"]);
    has_keys(
        &q,
        &[
            "skipped",
            "backward",
            "no_dates",
            "several_files",
            "unmapped_stage_values",
            "case_variants",
        ],
    );
}

#[test]
fn persona_breakdown_agrees_with_the_persona_filter() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);
    let by = json(&w, &["funnel", "--by", "persona"]);
    let total = json(&w, &["funnel"]);
    let groups = by["groups"].as_array().unwrap();
    let sum: u64 = groups.iter().map(|g| g["records"].as_u64().unwrap()).sum();
    assert_eq!(
        sum,
        total["records"].as_u64().unwrap(),
        "each record in one group"
    );
    // The first persona's group (in persona order) is exactly what its filter keeps.
    let personas = json(&w, &["personas"]);
    let first = personas
        .as_array()
        .unwrap()
        .iter()
        .min_by_key(|p| p["persona"]["id"].as_i64().unwrap())
        .expect("the demo has personas");
    let name = first["persona"]["name"].as_str().unwrap();
    let filtered = json(&w, &["funnel", "--persona", name]);
    let group = groups
        .iter()
        .find(|g| g["key"] == name)
        .unwrap_or_else(|| panic!("no group {name} in {groups:?}"));
    assert_eq!(group["records"], filtered["records"]);
    assert_eq!(group["stages"], filtered["stages"]);
    // Drilling into the group lists the same records.
    let d = json(
        &w,
        &[
            "drill",
            "all",
            "--group",
            &format!("persona={name}"),
            "--limit",
            "1",
        ],
    );
    assert_eq!(d["total"], filtered["records"]);
}

#[test]
fn sla_to_a_field_without_dates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);
    let out = baton(&[
        "--workspace",
        &w,
        "sla",
        "add",
        "--from",
        "mql",
        "--to-field",
        "segment",
        "--within",
        "4h",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("field \"segment\" holds no dates"), "{err}");
    assert_eq!(
        json(&w, &["sla"]).as_array().unwrap().len(),
        2,
        "nothing added"
    );
}

#[test]
fn drill_by_entry_cohort_matches_the_trend() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);
    let f = json(&w, &["funnel", "--trend", "month"]);
    let cohort = f["trend"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|c| c["records"].as_u64().unwrap())
        .unwrap();
    let key = cohort["key"].as_str().unwrap();
    let d = json(
        &w,
        &["drill", "reached:mql", "--cohort", key, "--limit", "1"],
    );
    assert_eq!(d["total"], cohort["stages"][1]["reached"], "cohort {key}");
    let out = baton(&["--workspace", &w, "drill", "all", "--cohort", "March"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cohort \"March\""));
}

#[test]
fn goals_on_unknown_stages_or_clauses_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);
    let before = json(&w, &["goals"]).as_array().unwrap().len();
    for (metric, says) in [
        ("reached:nope", "no stage \"nope\""),
        ("conversion:sql:mql", "must come before"),
        ("sla:99", "no SLA clause 99"),
    ] {
        let out = baton(&[
            "--workspace",
            &w,
            "goals",
            "add",
            "--metric",
            metric,
            "--target",
            "0.5",
            "--period",
            "2026-Q4",
            "--team",
            "sales",
        ]);
        assert!(!out.status.success(), "{metric} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{metric}: {err}");
    }
    assert_eq!(json(&w, &["goals"]).as_array().unwrap().len(), before);
}

#[test]
fn impact_compares_before_and_after_the_demo_agreements_and_refuses_a_bad_window() {
    let dir = tempfile::tempdir().unwrap();
    let w = demo(&dir);
    let r = json(&w, &["impact"]);
    assert_eq!(r["window_days"], 90);
    let agreements = r["agreements"].as_array().unwrap();
    let mql = agreements
        .iter()
        .find(|a| a["subject"]["stage_id"] == "mql")
        .expect("the demo's MQL definition is agreed");
    let conv = &mql["figures"][0];
    assert!(conv["label"].as_str().unwrap().ends_with("within 90 days"));
    for side in ["before", "after"] {
        let n = conv[side]["n"].as_u64().unwrap();
        assert!(n > 30, "{side}: n = {n}");
        let (low, v, high) = (
            conv[side]["low"].as_f64().unwrap(),
            conv[side]["value"].as_f64().unwrap(),
            conv[side]["high"].as_f64().unwrap(),
        );
        assert!(low <= v && v <= high, "{side}: {low} {v} {high}");
    }
    let sentence = mql["sentence"].as_str().unwrap();
    assert!(
        sentence.starts_with("Since the MQL definition was agreed on 2 Mar 2026, "),
        "{sentence}"
    );
    // The SQL definition is signed by one side only: nothing to compare yet.
    assert!(r["not_agreed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t.as_str().unwrap().contains("(sql)")));
    // One agreement alone, and a shorter window moves the maturity cut.
    let id = mql["agreement_id"].as_i64().unwrap().to_string();
    let one = json(&w, &["impact", "--agreement", &id, "--window", "30"]);
    assert_eq!(one["agreements"].as_array().unwrap().len(), 1);
    assert!(one["agreements"][0]["figures"][0]["label"]
        .as_str()
        .unwrap()
        .ends_with("within 30 days"));
    let out = baton(&["--workspace", &w, "impact", "--window", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("maturity window is 0 days"));
}
