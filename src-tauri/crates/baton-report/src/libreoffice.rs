//! Test helper: open CSV exports in LibreOffice (headless) the way a user's
//! spreadsheet would, save them as .xlsx, then read the .xlsx back (through
//! LibreOffice again, as CSV) to see the rows and columns it really got.
//! Needs `libreoffice-calc-nogui` (see `scripts/install-deps.sh`). Compiled
//! for tests only (feature `spreadsheet-check` lets other crates' tests use it).

use crate::csv_out::{neutralize, CsvOptions, Table};
use std::path::Path;
use std::process::Command;

fn soffice(profile: &Path, args: &[&str], dir: &Path) {
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("running soffice (install libreoffice-calc-nogui): {e}"));
    assert!(
        out.status.success(),
        "soffice {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Convert every `<table>.csv` in `dir` (written with `opts`) to xlsx and back,
/// and assert LibreOffice sees exactly the header and rows of each table, with
/// risky cells neutralized (shown as text, never evaluated).
pub fn assert_opens_in_libreoffice(tables: &[Table], dir: &Path, opts: &CsvOptions) {
    let work = tempfile::tempdir().unwrap();
    let profile = work.path().join("profile");
    let xlsx_dir = work.path().join("xlsx");
    let back_dir = work.path().join("back");
    // CSV import filter: separator, text delimiter `"`, UTF-8 (76), from line 1,
    // every column imported as "standard" the way a double-click would.
    let infilter = format!("--infilter=CSV:{},34,76,1", opts.delimiter as u32);
    let csvs: Vec<String> = tables.iter().map(|t| format!("{}.csv", t.name)).collect();
    let mut args = vec![
        infilter.as_str(),
        "--convert-to",
        "xlsx",
        "--outdir",
        xlsx_dir.to_str().unwrap(),
    ];
    args.extend(csvs.iter().map(String::as_str));
    soffice(&profile, &args, dir);

    let xlsxs: Vec<String> = tables
        .iter()
        .map(|t| {
            xlsx_dir
                .join(format!("{}.xlsx", t.name))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec![
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        back_dir.to_str().unwrap(),
    ];
    args.extend(xlsxs.iter().map(String::as_str));
    soffice(&profile, &args, dir);

    for t in tables {
        let path = back_dir.join(format!("{}.csv", t.name));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let got: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let expected: Vec<Vec<String>> = std::iter::once(&t.headers)
            .chain(&t.rows)
            .map(|row| row.iter().map(|c| neutralize(c).into_owned()).collect())
            .collect();
        assert_eq!(got.len(), expected.len(), "{}: row count", t.name);
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(
                g.len(),
                t.headers.len(),
                "{} row {i}: column count in {g:?}",
                t.name
            );
            for (gc, ec) in g.iter().zip(e) {
                assert!(
                    cell_matches(gc, ec),
                    "{} row {i}: LibreOffice shows {gc:?}, the export wrote {ec:?}",
                    t.name
                );
            }
        }
    }
}

/// LibreOffice shows numbers in its own format (`104.0%` comes back as
/// `104.00%`) and stores a carriage return inside a cell as a line feed; text
/// must otherwise come back exactly.
fn cell_matches(got: &str, wrote: &str) -> bool {
    let lines = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
    if lines(got) == lines(wrote) {
        return true;
    }
    let num = |s: &str| match s.strip_suffix('%') {
        Some(p) => p.parse::<f64>().ok().map(|v| v / 100.0),
        None => s.replace(',', "").parse::<f64>().ok(),
    };
    matches!((num(got), num(wrote)), (Some(a), Some(b)) if (a - b).abs() < 1e-9)
}

#[cfg(test)]
#[test]
fn sample_exports_open_in_libreoffice_with_right_rows_and_columns() {
    let data = crate::sample::data();
    let mut tables = crate::exports::tables(&data);
    let mut hostile = Table::new("hostile", &["cell", "note"]);
    for cell in [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(1)",
        "\t=1",
        "\r=1",
        "-12",
        "Zoë; \"q\"",
    ] {
        hostile.push(vec![cell.to_string(), "text".into()]);
    }
    tables.push(hostile);
    for opts in [
        CsvOptions {
            bom: true,
            delimiter: ';',
        },
        CsvOptions::default(),
    ] {
        let dir = tempfile::tempdir().unwrap();
        crate::csv_out::write_tables(&tables, dir.path(), &opts).unwrap();
        assert_opens_in_libreoffice(&tables, dir.path(), &opts);
    }
}
