//! End to end: a workspace filled through the CLI (the demo company's CRM
//! exports imported, a persona, a signed definition, a diagnostic, an SLA, a
//! goal, an action item), then `baton report` and `baton export` checked with
//! qpdf, pdftotext and LibreOffice against `baton funnel --json`.

use baton_report::csv_out::Table;
use baton_report::CsvOptions;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Ws {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Ws {
    fn baton(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_baton"))
            .arg("--workspace")
            .arg(&self.path)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "baton {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    fn dir(&self) -> &Path {
        self._dir.path()
    }
}

fn workspace() -> Ws {
    let dir = tempfile::tempdir().unwrap();
    let ws = Ws {
        path: dir.path().join("w.baton"),
        _dir: dir,
    };
    ws.baton(&["init"]);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../baton-demo/data");
    for f in [
        "deals-8841207-17.csv",
        "hubspot-contacts-export-2026-11-02.csv",
    ] {
        ws.baton(&["import", data.join(f).to_str().unwrap()]);
    }
    ws.baton(&["person-add", "Dana Lee", "--team", "sales"]);
    ws.baton(&["person-add", "Max Ode", "--team", "marketing"]);
    ws.baton(&[
        "persona-add",
        "=Ops Olivia",
        "--criteria",
        r#"{"all":[{"op":"at_least","field":"company_size","value":50}]}"#,
    ]);
    ws.baton(&[
        "definition-edit",
        "--stage",
        "mql",
        "--summary",
        "Company email and a demo request #set [*x*]",
    ]);
    ws.baton(&["sign-off", "--agreement", "1", "--person", "1"]);
    ws.baton(&["sign-off", "--agreement", "1", "--person", "2"]);
    ws.baton(&["diagnostic-start", "Q4 2026", "--date", "2026-11-20"]);
    let low = ["2"; 20].join(",");
    let high = ["4"; 20].join(",");
    ws.baton(&[
        "diagnostic-answer",
        "--run",
        "1",
        "--person",
        "1",
        "--ratings",
        &low,
    ]);
    ws.baton(&[
        "diagnostic-answer",
        "--run",
        "1",
        "--person",
        "2",
        "--ratings",
        &high,
    ]);
    ws.baton(&[
        "action-add",
        "+Set up lead routing",
        "--owner",
        "1",
        "--due",
        "2026-12-15",
    ]);
    ws.baton(&[
        "sla", "add", "--from", "mql", "--to", "sql", "--within", "48h",
    ]);
    ws.baton(&[
        "goals",
        "add",
        "--metric",
        "reached:mql",
        "--target",
        "300",
        "--period",
        "2026-Q3",
        "--team",
        "marketing",
    ]);
    ws
}

/// Formatting written independently of baton-report's: `1,234` and `12.3%`.
fn count(n: u64) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|g| g.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn pct(v: &Value) -> String {
    v.as_f64()
        .map(|f| format!("{:.1}%", f * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn pdf_text(pdf: &Path) -> String {
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf installed");
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext installed (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_report(ws: &Ws, period_args: &[&str], funnel_args: &[&str]) {
    let pdf = ws.dir().join(format!("report{}.pdf", period_args.len()));
    let mut args = vec!["report", "--pdf", pdf.to_str().unwrap()];
    args.extend(period_args);
    ws.baton(&args);
    let text = pdf_text(&pdf);

    for title in [
        "Executive summary",
        "Agreed personas",
        "Lead definitions",
        "Service-level agreements",
        "Goals vs actuals",
        "Funnel",
        "Trends by cohort",
        "Data quality",
        "Decisions and action items",
    ] {
        assert!(text.contains(title), "section {title} missing");
    }
    let mut fargs = vec!["--json", "funnel"];
    fargs.extend(funnel_args);
    let funnel: Value = serde_json::from_str(&ws.baton(&fargs)).unwrap();
    let stages = funnel["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 5);
    assert!(
        stages[0]["reached"].as_u64().unwrap() > 100,
        "the import filled the funnel"
    );
    for s in stages {
        let row = format!(
            "{} {} {} {}",
            s["name"].as_str().unwrap(),
            count(s["reached"].as_u64().unwrap()),
            pct(&s["pct_of_first"]),
            pct(&s["pct_of_previous"]),
        );
        assert!(
            text.contains(&row),
            "funnel row '{row}' not in the PDF:\n{text}"
        );
    }
    // User text is printed as text.
    assert!(
        text.contains("Company email and a demo request #set [*x*]"),
        "{text}"
    );
    assert!(text.contains("=Ops Olivia"));
    assert!(
        text.contains("+Set up lead routing Dana Lee 2026-12-15"),
        "{text}"
    );
    assert!(
        text.contains("Sales rates the relationship 40 points lower than marketing"),
        "{text}"
    );
}

#[test]
fn report_pdf_matches_funnel_json() {
    let ws = workspace();
    check_report(&ws, &[], &[]);
    check_report(
        &ws,
        &["--period", "2026-Q3", "--paper", "letter"],
        &["--from", "2026-07-01", "--to", "2026-09-30"],
    );
}

#[test]
fn chosen_sections_only_and_bad_period_is_refused() {
    let ws = workspace();
    let pdf = ws.dir().join("s.pdf");
    ws.baton(&[
        "report",
        "--pdf",
        pdf.to_str().unwrap(),
        "--sections",
        "funnel,actions",
    ]);
    let text = pdf_text(&pdf);
    assert!(text.contains("1. Funnel") && text.contains("2. Decisions and action items"));
    assert!(!text.contains("Executive summary") && !text.contains("Agreed personas"));

    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("--workspace")
        .arg(&ws.path)
        .args([
            "report",
            "--pdf",
            pdf.to_str().unwrap(),
            "--period",
            "2026-Q7",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("period '2026-Q7' not understood"), "{err}");
}

fn read_table(path: &Path, delimiter: u8) -> Table {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("--bom writes a BOM");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(body);
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    let headers = rows.remove(0);
    Table {
        name: path.file_stem().unwrap().to_string_lossy().into(),
        headers,
        rows,
    }
}

#[test]
fn csv_exports_open_in_libreoffice_and_match_the_funnel() {
    let ws = workspace();
    let dir = ws.dir().join("exports");
    let out: Value = serde_json::from_str(&ws.baton(&[
        "--json",
        "export",
        "--csv",
        dir.to_str().unwrap(),
        "--bom",
        "--delimiter",
        ";",
    ]))
    .unwrap();
    let files: Vec<&str> = out["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files.len(), baton_report::exports::FILES.len());
    let tables: Vec<Table> = files
        .iter()
        .map(|f| read_table(Path::new(f), b';'))
        .collect();

    // The funnel export's overall rows are `baton funnel --json`'s figures.
    let funnel: Value = serde_json::from_str(&ws.baton(&["--json", "funnel"])).unwrap();
    let f = tables.iter().find(|t| t.name == "funnel").unwrap();
    let overall: Vec<&Vec<String>> = f.rows.iter().filter(|r| r[0] == "all").collect();
    for (row, s) in overall.iter().zip(funnel["stages"].as_array().unwrap()) {
        assert_eq!(row[3], s["id"].as_str().unwrap());
        assert_eq!(row[5], s["reached"].as_u64().unwrap().to_string());
    }
    assert!(
        f.rows.iter().any(|r| r[0] == "source"),
        "funnel breakdown by source"
    );
    let nonempty = |name: &str| {
        !tables
            .iter()
            .find(|t| t.name == name)
            .unwrap()
            .rows
            .is_empty()
    };
    for name in [
        "velocity",
        "sla_compliance",
        "goals",
        "action_items",
        "personas",
        "diagnostic_teams",
        "diagnostic_statements",
    ] {
        assert!(nonempty(name), "{name}.csv has no rows");
    }
    // Formula-like user text is neutralized in the file.
    let personas = tables.iter().find(|t| t.name == "personas").unwrap();
    assert_eq!(personas.rows[0][0], "'=Ops Olivia");

    baton_report::libreoffice::assert_opens_in_libreoffice(
        &tables,
        &dir,
        &CsvOptions {
            bom: true,
            delimiter: ';',
        },
    );
}
