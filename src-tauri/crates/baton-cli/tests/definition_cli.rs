//! `baton definition-check` through the real binary on the definition golden fixture
//! (`baton-metrics/tests/fixtures/definition.csv`), against the figures the independent
//! script `scripts/golden_definition.py` computed; criteria from a file and from a
//! saved version give the same answer.
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-metrics/tests/fixtures")
        .join(name)
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn definition_check_gives_the_scripts_figures() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("definition_expected.json")).unwrap(),
    )
    .unwrap();
    let e = &expected["checks"][0];
    assert_eq!(e["stage"], "mql");
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.baton");
    let w = w.to_str().unwrap();
    ok(baton(&["--workspace", w, "init"]));
    ok(baton(&[
        "--workspace",
        w,
        "import",
        "--profile",
        fixture("definition_profile.json").to_str().unwrap(),
        fixture("definition.csv").to_str().unwrap(),
    ]));
    let criteria = dir.path().join("criteria.json");
    std::fs::write(&criteria, e["criteria"].to_string()).unwrap();
    let criteria = criteria.to_str().unwrap();
    let from = expected["period"][0].as_str().unwrap();
    let to = expected["period"][1].as_str().unwrap();
    let run = |extra: &[&str]| -> Value {
        let mut args = vec![
            "--workspace",
            w,
            "definition-check",
            "--stage",
            "mql",
            "--from",
            from,
            "--to",
            to,
            "--json",
        ];
        args.extend_from_slice(extra);
        serde_json::from_slice(&ok(baton(&args)).stdout).unwrap()
    };
    let v = run(&["--criteria", criteria]);
    assert_eq!(v["meets"], e["meets"]);
    assert_eq!(v["crm_marked"], e["crm_marked"]);
    assert_eq!(v["crm_marked_and_meets"], e["crm_marked_and_meets"]);
    for (key, exp) in [
        ("meets_next_rate", "meets_next"),
        ("others_next_rate", "others_next"),
        ("meets_customer_rate", "meets_customer"),
        ("others_customer_rate", "others_customer"),
        ("crm_marked_meeting_rate", "marked_meeting"),
        ("meets_unmarked_rate", "meets_unmarked"),
    ] {
        let close = |a: &Value, b: &Value| (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-9;
        assert!(close(&v[key], &e[exp]["rate"]), "{key}");
        assert!(
            close(&v[format!("{key}_low")], &e[exp]["interval"][0]),
            "{key}_low"
        );
        assert!(
            close(&v[format!("{key}_high")], &e[exp]["interval"][1]),
            "{key}_high"
        );
    }
    assert_eq!(v["by_month"], e["by_month"]);

    // Saved as version 1 of the MQL definition, it gives the same figures.
    ok(baton(&[
        "--workspace",
        w,
        "definition-edit",
        "--stage",
        "mql",
        "--summary",
        "Scored and in a segment we serve",
        "--criteria",
        criteria,
    ]));
    let saved = run(&["--version", "1"]);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["meets"], v["meets"]);
    assert_eq!(saved["meets_next_rate"], v["meets_next_rate"]);

    // Bad input: a missing version and a criteria file that is not criteria.
    let out = baton(&[
        "--workspace",
        w,
        "definition-check",
        "--stage",
        "mql",
        "--version",
        "7",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no version 7"), "{err}");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"all\": [{\"op\": \"bigger\"}]}").unwrap();
    let out = baton(&[
        "--workspace",
        w,
        "definition-check",
        "--stage",
        "mql",
        "--criteria",
        bad.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json: line 1"), "{err}");
}
