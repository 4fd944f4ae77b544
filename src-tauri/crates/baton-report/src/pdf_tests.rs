//! The typeset PDF checked with the tools a reader's machine would use:
//! `qpdf --check` (structure), `pdftotext` (what a reader sees), `pdfinfo`
//! (metadata, paper) and `pdffonts` (fonts embedded). These come from the
//! `qpdf` and `poppler-utils` packages (`scripts/install-deps.sh`).

use crate::model::*;
use crate::sample;
use crate::{render, Rendered};
use baton_core::Cancel;
use std::path::Path;
use std::process::Command;

pub(crate) fn typeset(data: &ReportData) -> Rendered {
    render(data, false, &mut |_| {}, &Cancel::new()).expect("report renders")
}

pub(crate) fn tool(cmd: &str, args: &[&str], pdf: &Path) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .arg(pdf)
        .args(if cmd == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("running {cmd} (install qpdf and poppler-utils): {e}"));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

pub(crate) fn write_pdf(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// pdftotext output with runs of whitespace folded, so table cells compare simply.
pub(crate) fn text_of(pdf: &Path) -> String {
    let (ok, text) = tool("pdftotext", &["-layout"], pdf);
    assert!(ok, "pdftotext failed: {text}");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn full_report_is_valid_and_shows_every_section() {
    let data = sample::data();
    let r = typeset(&data);
    let (_dir, path) = write_pdf(&r.pdf);

    let (ok, out) = tool("qpdf", &["--check"], &path);
    assert!(ok, "qpdf --check: {out}");

    let text = text_of(&path);
    for s in SectionId::ALL {
        assert!(
            text.contains(s.title()),
            "section '{}' missing in:\n{text}",
            s.title()
        );
    }
    // User text is printed literally, not interpreted as typst markup.
    assert!(
        text.contains("Acme #set page(fill: red) *Bold* $x$ <l> @ref"),
        "{text}"
    );
    assert!(text.contains("=cmd|' /C calc'!A0 set up the lead routing"));
    // Funnel table: count, % of first, % of previous for each step.
    let funnel = data.funnel.data().unwrap();
    for s in &funnel.steps {
        let row = format!(
            "{} {} {} {}",
            s.name, s.count_text, s.pct_of_first_text, s.pct_of_previous_text
        );
        assert!(
            text.contains(&row),
            "funnel row '{row}' missing in:\n{text}"
        );
    }
    assert!(text.contains("Marketing Qualified Lead 3,120 25.0% 25.0%"));
    assert!(text.contains("Customer 97 0.8% 23.5%"));
    // Page numbers.
    assert!(
        text.contains(&format!("Page 2 of {}", r.page_count)),
        "{text}"
    );
    assert!(r.page_count >= 3);
}

#[test]
fn metadata_paper_and_fonts() {
    let mut data = sample::data();
    let (_a4dir, a4) = write_pdf(&typeset(&data).pdf);
    data.paper = Paper::Letter;
    let (_ldir, letter) = write_pdf(&typeset(&data).pdf);

    let (ok, info) = tool("pdfinfo", &[], &a4);
    assert!(ok, "{info}");
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(
        info.contains("Title:           Alignment report — Acme"),
        "{info}"
    );
    assert!(info.contains("CreationDate:    Mon Oct  6"), "{info}");
    assert!(info.contains("2025"), "{info}");
    let (_, info) = tool("pdfinfo", &[], &letter);
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");

    let (ok, fonts) = tool("pdffonts", &[], &a4);
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        // columns: name type encoding emb sub uni object ID
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
}

#[test]
fn only_chosen_sections_are_printed() {
    let mut data = sample::data();
    data.sections = vec![SectionId::Funnel.into(), SectionId::Quality.into()];
    let (_dir, path) = write_pdf(&typeset(&data).pdf);
    let text = text_of(&path);
    assert!(text.contains("1. Funnel"), "{text}");
    assert!(text.contains("2. Data quality"), "{text}");
    for s in [SectionId::Summary, SectionId::Personas, SectionId::Actions] {
        assert!(
            !text.contains(s.title()),
            "'{}' should not be printed",
            s.title()
        );
    }
}

#[test]
fn missing_parts_say_no_data_instead_of_figures() {
    let mut data = sample::data();
    data.slas = Part::no_data("no SLA has been agreed in this workspace");
    data.summary.missing = vec!["SLAs".into()];
    let (_dir, path) = write_pdf(&typeset(&data).pdf);
    let text = text_of(&path);
    assert!(
        text.contains("No data: no SLA has been agreed in this workspace."),
        "{text}"
    );
    assert!(text.contains("Not yet available: SLAs."), "{text}");
    assert!(!text.contains("MQL follow-up within 24 h (calendar)"));
}

#[test]
fn preview_pages_are_svg() {
    let data = sample::data();
    let r = render(&data, true, &mut |_| {}, &Cancel::new()).unwrap();
    assert_eq!(r.svg_pages.len(), r.page_count);
    assert!(
        r.svg_pages[0].starts_with("<svg"),
        "{}",
        &r.svg_pages[0][..60]
    );
}

#[test]
fn progress_is_reported_and_cancel_is_honoured() {
    let data = sample::data();
    let mut phases = Vec::new();
    render(&data, false, &mut |p| phases.push(p.phase), &Cancel::new()).unwrap();
    assert_eq!(phases, ["typesetting", "writing pdf", "done"]);

    let cancel = Cancel::new();
    cancel.cancel();
    let e = render(&data, false, &mut |_| {}, &cancel).err().unwrap();
    assert_eq!(e.code, baton_core::ErrorCode::Cancelled);
}
