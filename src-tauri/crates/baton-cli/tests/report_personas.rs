//! The report's persona section: only personas both sides signed are called agreed,
//! a persona without a role line lays out cleanly, and the PDF reads without
//! complaints from poppler (`pdfinfo`).

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Ws {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Ws {
    fn new() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let ws = Ws {
            path: dir.path().join("w.baton"),
            dir,
        };
        ws.baton(&["init"]);
        ws
    }
    fn baton(&self, args: &[&str]) -> String {
        common::baton(&self.path, args)
    }
    fn id(&self, args: &[&str]) -> String {
        let mut args = args.to_vec();
        args.push("--json");
        let v: serde_json::Value = serde_json::from_str(&self.baton(&args)).unwrap();
        v["id"].to_string()
    }
}

/// `cmd ARGS PDF` (pdftotext gets `-` to print to stdout).
fn run(cmd: &str, args: &[&str], pdf: &Path) -> Output {
    Command::new(cmd)
        .args(args)
        .arg(pdf)
        .args(if cmd == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("running {cmd} (install poppler-utils): {e}"))
}

#[test]
fn only_personas_both_sides_signed_are_agreed_in_the_report() {
    let ws = Ws::new();
    let dana = ws.id(&["person-add", "Dana Lee", "--team", "sales"]);
    let max = ws.id(&["person-add", "Max Ode", "--team", "marketing"]);
    // No --role: the persona has no summary line.
    let olivia = ws.id(&[
        "persona-add",
        "Ops Olivia",
        "--criteria",
        r#"{"all":[{"op":"at_least","field":"company_size","value":50}]}"#,
    ]);
    let dan = ws.id(&["persona-add", "Data Dan", "--role", "BI lead"]);
    ws.baton(&["persona-add", "Nobody Signed", "--role", "CEO"]);
    ws.baton(&["persona-sign", "--persona", &olivia, "--person", &dana]);
    ws.baton(&["persona-sign", "--persona", &olivia, "--person", &max]);
    ws.baton(&["persona-sign", "--persona", &dan, "--person", &max]);

    let pdf = ws.dir.path().join("r.pdf");
    ws.baton(&[
        "report",
        "--pdf",
        pdf.to_str().unwrap(),
        "--sections",
        "personas",
    ]);

    // poppler reads the file without a syntax error (typst's `/Suspects false`).
    let info = run("pdfinfo", &[], &pdf);
    assert!(info.status.success());
    let stderr = String::from_utf8_lossy(&info.stderr);
    assert!(!stderr.contains("Syntax Error"), "pdfinfo: {stderr}");
    assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));

    let layout = run("pdftotext", &["-layout"], &pdf);
    let layout = String::from_utf8_lossy(&layout.stdout).into_owned();
    let text = layout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("1. Personas"), "{text}");
    assert!(!text.contains("Agreed personas"), "{text}");
    // The match count and "Criteria:" do not run together without a role line.
    assert!(!text.contains("recordsCriteria"), "{text}");
    assert!(
        layout.lines().any(|l| l.trim() == "Criteria:"),
        "no line of its own for Criteria:\n{layout}"
    );
    assert!(
        text.contains("Ops Olivia")
            && text.contains("Agreed, signed by Dana Lee (sales), Max Ode (marketing)"),
        "{text}"
    );
    assert!(text.contains("Awaiting sign-off from sales"), "{text}");
    assert!(text.contains("Not signed off"), "{text}");
    assert_eq!(text.matches("Agreed, signed by").count(), 1, "{text}");

    // The CSV export says the same.
    let out = ws.dir.path().join("csv");
    ws.baton(&["export", "--csv", out.to_str().unwrap()]);
    let csv = std::fs::read_to_string(out.join("personas.csv")).unwrap();
    let mut rows = csv.lines();
    assert!(rows.next().unwrap().ends_with(",agreed,sign_off"), "{csv}");
    let agreed: Vec<&str> = rows.filter(|r| r.contains(",yes,")).collect();
    assert_eq!(agreed.len(), 1, "{csv}");
    assert!(agreed[0].starts_with("Ops Olivia,"), "{csv}");
}
