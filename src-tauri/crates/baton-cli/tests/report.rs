//! End to end: a workspace filled through the CLI (the demo company's CRM
//! exports imported, a small file with one bad row imported partially, a
//! persona, a signed definition, a diagnostic, an SLA, a goal, a decision, an
//! action item), then `baton report` and `baton export` checked with qpdf,
//! pdftotext, pdfimages and LibreOffice against the CLI's own `--json` output
//! (`funnel`, `sla`, `goals`, `agreements`, `sessions`, `actions`).

mod common;

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
        common::baton(&self.path, args)
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
    // Named, so one answer per team shows its mean once closed.
    ws.baton(&[
        "diagnostic-start",
        "Q4 2026",
        "--date",
        "2026-11-20",
        "--named",
    ]);
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
    // An open run shows nothing in the report: close it.
    ws.baton(&["diagnostic-close", "--run", "1"]);
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
    ws.baton(&[
        "decision-add",
        "Sales calls every MQL back within two days",
        "--title",
        "Kick-off",
        "--date",
        "2026-11-20",
    ]);
    let bad = contacts_file(&ws, "one-bad-row.csv", "=cmd|' /C calc'!A0");
    ws.baton(&["import", "--allow-partial", bad.to_str().unwrap()]);
    ws
}

/// A HubSpot contacts export (the demo file's header) with one good row and one
/// whose "Create Date" is `bad_date` (written as a quoted CSV field).
fn contacts_file(ws: &Ws, name: &str, bad_date: &str) -> PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-demo/data/hubspot-contacts-export-2026-11-02.csv");
    let text = std::fs::read_to_string(demo).unwrap();
    let header = text.lines().next().unwrap();
    let quoted = format!("\"{}\"", bad_date.replace('"', "\"\""));
    let body = format!(
        "{header}\n\
         99000001,Ann,Lee,ann@x.example,X Ltd,CEO,Lead,New,Dana Lee,Paid Search,Software,40,SMB,France,2026-07-01 09:00,2026-07-01 09:00,,,,\n\
         99000002,Bob,Ray,bob@x.example,Y Ltd,CTO,Lead,New,Dana Lee,Paid Search,Software,40,SMB,France,{quoted},2026-07-02 09:00,,,,\n"
    );
    let path = ws.dir().join(name);
    std::fs::write(&path, body).unwrap();
    path
}

fn json(ws: &Ws, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend(args);
    serde_json::from_str(&ws.baton(&all)).unwrap()
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

fn goal_status(v: &Value) -> String {
    v.as_str().unwrap().replace('_', " ")
}

fn folded(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `pdftotext -raw`: content-stream order, so a wrapped table cell stays in one piece.
fn pdf_raw_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    folded(&out.stdout)
}

/// Images `pdfimages -list` finds (the lines after its two header lines).
fn raster_images(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages installed (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(str::to_string)
        .collect()
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
    folded(&out.stdout)
}

/// A report run: its CLI arguments, the `funnel` arguments for the same
/// records, and how the cover names the period.
struct Run<'a> {
    args: &'a [&'a str],
    funnel_args: &'a [&'a str],
    period_label: &'a str,
    /// `baton sla` arguments for the clocks the report's period covers.
    sla_args: &'a [&'a str],
    /// The report's period is the goal's: its headline count is the goal's actual
    /// (both count stage dates in the period); otherwise the all-time funnel count.
    headline_is_goal_actual: bool,
}

fn check_report(ws: &Ws, run: &Run) {
    let pdf = ws.dir().join(format!("report{}.pdf", run.args.len()));
    let mut args = vec!["report", "--pdf", pdf.to_str().unwrap()];
    args.extend(run.args);
    ws.baton(&args);
    let text = pdf_text(&pdf);
    let raw = pdf_raw_text(&pdf);

    for title in [
        "Executive summary",
        "Personas",
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
    // Charts are vector graphics: no raster image anywhere.
    assert_eq!(raster_images(&pdf), Vec::<String>::new());

    // Cover: the period and today's date.
    let today = chrono::Local::now().date_naive().to_string();
    assert!(
        text.contains(&format!("Period {}", run.period_label)),
        "{text}"
    );
    assert!(text.contains(&format!("Date {today}")), "{text}");

    let mut fargs = vec!["funnel"];
    fargs.extend(run.funnel_args);
    let funnel = json(ws, &fargs);
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
            s["reached"].as_u64().map_or("not tracked".into(), count),
            pct(&s["pct_of_first"]),
            pct(&s["pct_of_previous"]),
        );
        assert!(
            text.contains(&row),
            "funnel row '{row}' not in the PDF:\n{text}"
        );
    }

    // Cohorts: every row equals `funnel --trend` (by quarter once there are
    // more than 18 monthly cohorts).
    let mut targs = fargs.clone();
    targs.extend(["--trend", "month"]);
    let mut trend = json(ws, &targs);
    if trend["trend"].as_array().unwrap().len() > 18 {
        *targs.last_mut().unwrap() = "quarter";
        trend = json(ws, &targs);
    }
    let cohorts = trend["trend"].as_array().unwrap();
    assert!(!cohorts.is_empty());
    for c in cohorts {
        let st = c["stages"].as_array().unwrap();
        let later: Vec<String> = st[1..]
            .iter()
            .map(|s| match s["tracked"].as_bool() {
                Some(false) => "not tracked".into(),
                _ => pct(&s["pct_of_first"]),
            })
            .collect();
        let small = if c["small_sample"] == true {
            " (small sample)"
        } else {
            ""
        };
        let row = format!(
            "{}{small} {} {}",
            c["key"].as_str().unwrap(),
            st[0]["reached"]
                .as_u64()
                .map_or("not tracked".into(), count),
            later.join(" ")
        );
        assert!(text.contains(&row), "cohort row '{row}' not in:\n{text}");
    }

    // Goals: the table and the summary show `baton goals --json`'s actual vs target.
    let goals = json(ws, &["goals"]);
    let goals = goals.as_array().unwrap();
    assert_eq!(goals.len(), 1);
    let g = &goals[0];
    let target = count(g["goal"]["target"].as_f64().unwrap() as u64);
    let actual = count(g["actual"].as_f64().unwrap().round() as u64);
    let status = goal_status(&g["status"]);
    let row = format!("{target} {actual} {} {status}", pct(&g["progress"]));
    assert!(text.contains(&row), "goal row '{row}' not in:\n{text}");
    let n = |s: &str| usize::from(g["status"] == s);
    let mut line = format!(
        "{} of 1 goals met · {} on track · {} behind",
        n("met"),
        n("on_track"),
        n("behind")
    );
    if n("missed") == 1 {
        line.push_str(" · 1 missed");
    } else if n("not_started") + n("no_data") == 1 {
        line.push_str(" · 1 not started or without data");
    }
    assert!(text.contains(&line), "goal line '{line}' not in:\n{text}");
    let mql = stages.iter().find(|s| s["id"] == "mql").unwrap();
    let headline_count = if run.headline_is_goal_actual {
        actual.clone()
    } else {
        count(mql["reached"].as_u64().unwrap())
    };
    let headline = format!(
        "{} {headline_count} {target} in {} ({}) {actual} {status}",
        mql["name"].as_str().unwrap(),
        g["goal"]["period"]["label"].as_str().unwrap(),
        g["goal"]["team"].as_str().unwrap(),
    );
    assert!(
        text.contains(&headline),
        "headline '{headline}' not in:\n{text}"
    );

    // SLAs: % met, due and breaches as `baton sla --json`.
    {
        let mut sargs = vec!["sla"];
        sargs.extend(run.sla_args);
        let slas = json(ws, &sargs);
        let slas = slas.as_array().unwrap();
        assert!(!slas.is_empty());
        for r in slas {
            let breaches = r["breached"].as_u64().unwrap() + r["open_late"].as_u64().unwrap();
            let line = format!(
                "{}: {} met of {} due, {} breaches",
                r["name"].as_str().unwrap(),
                pct(&r["pct_met"]),
                count(r["due"].as_u64().unwrap()),
                count(breaches)
            );
            assert!(raw.contains(&line), "SLA line '{line}' not in:\n{raw}");
            let row = format!(
                "{} {} ",
                count(r["due"].as_u64().unwrap()),
                pct(&r["pct_met"])
            );
            assert!(text.contains(&row), "SLA row '{row}' not in:\n{text}");
        }
    }

    // Definitions: version and sign-off status as `baton agreements --json`.
    let agreements = json(ws, &["agreements"]);
    let mut definitions = 0;
    for a in agreements.as_array().unwrap() {
        if a["subject"]["kind"] != "stage" {
            continue;
        }
        definitions += 1;
        let latest = a["versions"]
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|v| v["version"].as_u64())
            .unwrap();
        assert_eq!(latest["status"], "agreed");
        let signers: Vec<String> = latest["sign_offs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    s["name"].as_str().unwrap(),
                    s["team"].as_str().unwrap()
                )
            })
            .collect();
        let cell = format!(
            "v{} Agreed, signed by {}",
            latest["version"],
            signers.join(", ")
        );
        assert!(raw.contains(&cell), "definition '{cell}' not in:\n{raw}");
    }
    assert_eq!(definitions, 1);

    // A decision with its session's date, an action item with owner and due date.
    let sessions = json(ws, &["sessions"]);
    let decision = format!(
        "{} {}",
        sessions[0]["date"].as_str().unwrap(),
        sessions[0]["decisions"][0]["text"].as_str().unwrap()
    );
    assert!(
        text.contains(&decision),
        "decision '{decision}' not in:\n{text}"
    );
    let actions = json(ws, &["actions"]);
    let a = &actions[0];
    let action = format!(
        "{} {} {} {}",
        a["text"].as_str().unwrap(),
        a["owner_name"].as_str().unwrap(),
        a["due"].as_str().unwrap(),
        a["status"].as_str().unwrap()
    );
    assert!(text.contains(&action), "action '{action}' not in:\n{text}");

    // User text is printed as text.
    assert!(
        text.contains("Company email and a demo request #set [*x*]"),
        "{text}"
    );
    assert!(text.contains("=Ops Olivia"));
    assert!(
        text.contains("Sales rates the relationship 40 points lower than marketing"),
        "{text}"
    );
}

#[test]
fn report_pdf_matches_the_cli_figures() {
    let ws = workspace();
    check_report(
        &ws,
        &Run {
            args: &[],
            funnel_args: &[],
            period_label: "All data",
            sla_args: &[],
            headline_is_goal_actual: false,
        },
    );
    check_report(
        &ws,
        &Run {
            args: &["--period", "2026-Q3", "--paper", "letter"],
            funnel_args: &["--from", "2026-07-01", "--to", "2026-09-30"],
            period_label: "Q3 2026 (2026-07-01 – 2026-09-30)",
            sla_args: &["--period", "2026-Q3"],
            headline_is_goal_actual: true,
        },
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
    assert!(!text.contains("Executive summary") && !text.contains("Personas"));

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
        assert_eq!(
            row[6],
            s["reached"]
                .as_u64()
                .map(|n| n.to_string())
                .unwrap_or_default()
        );
    }
    assert!(
        f.rows.iter().any(|r| r[0] == "source"),
        "funnel breakdown by source"
    );
    // Row counts each file must have, from the CLI's own JSON.
    let rows = |name: &str| tables.iter().find(|t| t.name == name).unwrap().rows.len();
    let groups: usize = ["source", "segment", "owner"]
        .iter()
        .map(|by| {
            json(&ws, &["funnel", "--by", by])["groups"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(rows("funnel"), 5 * (1 + groups));
    let slas = json(&ws, &["sla"]);
    let sla_rows: usize = slas
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            1 + r["by_owner"].as_array().unwrap().len() + r["by_source"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(rows("sla_compliance"), sla_rows);
    assert!(rows("sla_breaches") > 0, "the SLA has breaches to list");
    let len = |args: &[&str]| json(&ws, args).as_array().unwrap().len();
    assert_eq!(rows("goals"), len(&["goals"]));
    assert_eq!(rows("action_items"), len(&["actions"]));
    assert_eq!(rows("personas"), len(&["personas"]));
    assert_eq!(
        rows("diagnostic_statements"),
        len(&["diagnostic-statements"])
    );
    assert_eq!(rows("diagnostic_teams"), 2, "sales and marketing answered");
    assert_eq!(rows("decisions"), 1);
    assert!(rows("velocity") > 0);
    // The one bad row of the partial import, its formula neutralized.
    let rejected = tables.iter().find(|t| t.name == "rejected_rows").unwrap();
    assert_eq!(rejected.rows.len(), 1);
    assert_eq!(rejected.headers.len(), 7);
    assert_eq!(rejected.rows[0][1], "one-bad-row.csv");
    assert_eq!(rejected.rows[0][2], "3");
    assert_eq!(rejected.rows[0][3], "Create Date");
    assert_eq!(rejected.rows[0][4], "'=cmd|' /C calc'!A0");
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

#[test]
fn import_rejects_are_neutralized_with_bom_and_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Ws {
        path: dir.path().join("w.baton"),
        _dir: dir,
    };
    ws.baton(&["init"]);
    let hostile = r#"=HYPERLINK("http://x","y")"#;
    let file = contacts_file(&ws, "hyperlink.csv", hostile);
    ws.baton(&["import", "--allow-partial", file.to_str().unwrap()]);
    let id = json(&ws, &["imports"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();

    let out = ws.dir().join("rejects.csv");
    ws.baton(&[
        "import-rejects",
        &id,
        "--bom",
        "--delimiter",
        ";",
        "--output",
        out.to_str().unwrap(),
    ]);
    let t = read_table(&out, b';');
    assert_eq!(
        t.headers,
        ["import", "file", "row", "column", "value", "reason", "raw_row"]
    );
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0][3], "Create Date");
    assert_eq!(t.rows[0][4], format!("'{hostile}"));

    // On stdout, with the defaults: comma, no BOM, still neutralized.
    let text = ws.baton(&["import-rejects", &id]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let row = r.records().next().unwrap().unwrap();
    assert!(!text.starts_with('\u{feff}'));
    assert_eq!(&row[4], format!("'{hostile}"));
}
