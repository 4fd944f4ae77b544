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
    // Section contents, not only headings: every table row of the sample data.
    let raw = raw_text_of(&path);
    let s = &data.summary;
    assert!(text.contains(&s.goal_line), "goal line missing in:\n{text}");
    for h in &s.headlines {
        let row = format!(
            "{} {} {} {}",
            h.label, h.actual_text, h.goal_text, h.goal_actual_text
        );
        assert!(
            text.contains(row.trim_end()),
            "headline '{row}' in:\n{text}"
        );
    }
    for line in &s.sla_lines {
        assert!(raw.contains(line.as_str()), "SLA line '{line}' in:\n{raw}");
    }
    for r in data.slas.data().unwrap() {
        let row = format!(
            "{} {} {} {} {}",
            r.measured_text, r.met_pct_text, r.median_text, r.p95_text, r.breaches_text
        );
        assert!(text.contains(&row), "SLA row '{row}' in:\n{text}");
    }
    for d in data.definitions.data().unwrap() {
        assert!(raw.contains(&d.definition), "definition in:\n{raw}");
        let tail = format!("v{} {}", d.version, d.status);
        assert!(
            raw.contains(&tail),
            "version and sign-off '{tail}' in:\n{raw}"
        );
    }
    for g in data.goals.data().unwrap() {
        let row = format!(
            "{} {} {} {} {}",
            g.metric, g.target_text, g.actual_text, g.attainment_text, g.status_text
        );
        assert!(text.contains(&row), "goal row '{row}' in:\n{text}");
    }
    for c in &data.cohorts.data().unwrap().rows {
        let row = format!(
            "{} {} {}",
            c.cohort,
            c.entered_text,
            c.reached_text.join(" ")
        );
        assert!(text.contains(&row), "cohort row '{row}' in:\n{text}");
    }
    assert!(
        text.contains(&format!("Period {}", data.period.label)),
        "{text}"
    );
    assert!(
        text.contains(&format!("Date {}", data.generated_on)),
        "{text}"
    );
    for d in data.decisions.data().unwrap() {
        let row = format!("{} {}", d.decided_on, d.text);
        assert!(text.contains(&row), "decision '{row}' in:\n{text}");
    }
    for a in data.actions.data().unwrap() {
        let row = format!("{} {} {} {}", a.what, a.owner, a.due, a.status);
        assert!(text.contains(&row), "action '{row}' in:\n{text}");
    }
    // Page numbers.
    assert!(
        text.contains(&format!("Page 2 of {}", r.page_count)),
        "{text}"
    );
    assert!(r.page_count >= 3);
}

/// `pdftotext -raw` (content-stream order, so the lines of one table cell stay
/// together), whitespace folded.
pub(crate) fn raw_text_of(pdf: &Path) -> String {
    let (ok, text) = tool("pdftotext", &["-raw"], pdf);
    assert!(ok, "pdftotext failed: {text}");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The images `pdfimages -list` finds (one line each after its two header lines).
pub(crate) fn raster_images(pdf: &Path) -> Vec<String> {
    let (ok, list) = tool("pdfimages", &["-list"], pdf);
    assert!(ok, "pdfimages -list failed: {list}");
    list.lines().skip(2).map(str::to_string).collect()
}

#[test]
fn charts_are_vector_graphics() {
    let data = sample::data();
    assert!(data.funnel.data().is_some() && data.cohorts.data().is_some());
    let (_dir, path) = write_pdf(&typeset(&data).pdf);
    assert_eq!(raster_images(&path), Vec::<String>::new());
    // The check can fail: a PDF with a raster image is listed.
    let (_idir, with_image) = write_pdf(&one_pixel_image_pdf());
    assert_eq!(raster_images(&with_image).len(), 1);
}

/// A one-page PDF drawing a 1×1 grey image, to show `pdfimages` lists rasters.
fn one_pixel_image_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Resources << /XObject << /Im 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\nA\nendstream".to_string(),
        "<< /Length 27 >>\nstream\nq 10 0 0 10 0 0 cm /Im Do Q\nendstream".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn metadata_paper_and_fonts() {
    let mut data = sample::data();
    let (_a4dir, a4) = write_pdf(&typeset(&data).pdf);
    data.paper = Paper::Letter;
    let (_ldir, letter) = write_pdf(&typeset(&data).pdf);

    let (ok, info) = tool("pdfinfo", &[], &a4);
    assert!(ok, "{info}");
    // poppler reads it without complaint (stderr is part of `info`) and it stays tagged.
    assert!(!info.contains("Syntax Error"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
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
fn untracked_stages_small_cohorts_and_the_counting_rule_are_printed() {
    let mut data = sample::data();
    let mut steps = sample::funnel_steps(&[
        ("lead", "Lead", 8_300),
        ("mql", "Marketing Qualified Lead", 0),
        ("opportunity", "Opportunity", 2_075),
    ]);
    steps[1].tracked = false;
    steps[1].count_text = crate::gather::NOT_TRACKED.into();
    steps[1].pct_of_first_text = "–".into();
    steps[1].pct_of_previous_text = "–".into();
    data.funnel = Part::ready(FunnelData {
        steps,
        basis: "Records that reached each stage.".into(),
        notes: vec![
            "Counting: only records with evidence of every stage up to it.".into(),
            "The data does not track Marketing Qualified Lead.".into(),
        ],
    });
    data.cohorts = Part::ready(CohortData {
        stages: vec!["Marketing Qualified Lead".into(), "Opportunity".into()],
        rows: vec![
            CohortRow {
                cohort: "2025-07".into(),
                entered: 40,
                entered_text: "40".into(),
                reached_text: vec!["not tracked".into(), "25.0%".into()],
                reached: vec![None, Some(0.25)],
                small: false,
            },
            CohortRow {
                cohort: "2025-08".into(),
                entered: 2,
                entered_text: "2".into(),
                reached_text: vec!["not tracked".into(), "100.0%".into()],
                reached: vec![None, Some(1.0)],
                small: true,
            },
        ],
    });
    let (_dir, path) = write_pdf(&typeset(&data).pdf);
    let text = text_of(&path);
    for want in [
        "Marketing Qualified Lead not tracked – –",
        "Counting: only records with evidence of every stage up to it.",
        "The data does not track Marketing Qualified Lead.",
        "2025-08 (small sample) 2 not tracked 100.0%",
        "n=2",
    ] {
        assert!(text.contains(want), "'{want}' not in:\n{text}");
    }
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
