//! CSV files that are safe to open in a spreadsheet.
//!
//! Cells beginning with `=`, `+`, `-`, `@`, tab or carriage return are
//! prefixed with `'` (OWASP "CSV injection"), so Excel and LibreOffice show
//! them as text instead of running them as formulas. Plain numbers are left
//! alone so a negative figure such as `-3` still sorts as a number.

use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How to write the files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvOptions {
    /// Start each file with a UTF-8 byte-order mark (Excel on Windows needs it
    /// to read UTF-8).
    pub bom: bool,
    /// Field separator: `,` by default, `;` for European Excel, or tab.
    pub delimiter: char,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            bom: false,
            delimiter: ',',
        }
    }
}

impl CsvOptions {
    fn delimiter_byte(&self) -> Result<u8> {
        match self.delimiter {
            ',' | ';' | '\t' | '|' => Ok(self.delimiter as u8),
            other => Err(BatonError::invalid(format!(
                "delimiter {other:?} is not supported: use ',', ';', '|' or a tab"
            ))),
        }
    }
}

/// One export: a file name, a header row and data rows of the same width.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File stem, e.g. `funnel` (written as `funnel.csv`).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(name: &str, headers: &[&str]) -> Self {
        Self {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len(), "row width in {}", self.name);
        self.rows.push(row);
    }
}

/// Neutralize a cell that a spreadsheet would read as a formula.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    if risky && !is_plain_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `-12`, `-3.5`, `+4`: numbers a spreadsheet reads as numbers, not formulas.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Write one table as CSV.
pub fn write_table(table: &Table, opts: &CsvOptions, out: impl Write) -> Result<()> {
    let mut out = out;
    if opts.bom {
        out.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| BatonError::io(format!("writing {}.csv", table.name), e))?;
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(opts.delimiter_byte()?)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let err = |e: csv::Error| BatonError::io(format!("writing {}.csv", table.name), e);
    w.write_record(table.headers.iter().map(|h| neutralize(h).into_owned()))
        .map_err(err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| neutralize(c).into_owned()))
            .map_err(err)?;
    }
    w.flush()
        .map_err(|e| BatonError::io(format!("writing {}.csv", table.name), e))?;
    Ok(())
}

/// Write one table to `path`. The file is written under a temporary name next
/// to it and renamed, so a failure never leaves a half-written file behind.
pub fn write_table_file(table: &Table, path: &Path, opts: &CsvOptions) -> Result<()> {
    opts.delimiter_byte()?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.csv", table.name));
    let tmp = path.with_file_name(format!(".{name}.part"));
    let file = std::fs::File::create(&tmp).map_err(|e| BatonError::io(tmp.display(), e))?;
    let result = write_table(table, opts, std::io::BufWriter::new(file))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| BatonError::io(path.display(), e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write every table to `dir/<name>.csv`, creating `dir` if needed (each file
/// as [`write_table_file`] does).
pub fn write_tables(tables: &[Table], dir: &Path, opts: &CsvOptions) -> Result<Vec<PathBuf>> {
    opts.delimiter_byte()?;
    std::fs::create_dir_all(dir).map_err(|e| BatonError::io(dir.display(), e))?;
    let mut written = Vec::new();
    for t in tables {
        let path = dir.join(format!("{}.csv", t.name));
        write_table_file(t, &path, opts)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralized_numbers_are_not() {
        assert_eq!(neutralize("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(neutralize("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(neutralize("-2+3"), "'-2+3");
        assert_eq!(neutralize("@SUM(1)"), "'@SUM(1)");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("\rx"), "'\rx");
        assert_eq!(neutralize("-12"), "-12");
        assert_eq!(neutralize("-3.5"), "-3.5");
        assert_eq!(neutralize("Acme = best"), "Acme = best");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("-"), "'-");
    }

    fn sample() -> Table {
        let mut t = Table::new("t", &["name", "note"]);
        t.push(vec!["Zoë; \"quoted\"".into(), "=HYPERLINK(\"x\")".into()]);
        t.push(vec!["line\nbreak".into(), "-7".into()]);
        t
    }

    #[test]
    fn bom_delimiter_and_quoting() {
        let mut buf = Vec::new();
        let opts = CsvOptions {
            bom: true,
            delimiter: ';',
        };
        write_table(&sample(), &opts, &mut buf).unwrap();
        assert!(buf.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(buf[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "name;note\r\n\"Zoë; \"\"quoted\"\"\";\"'=HYPERLINK(\"\"x\"\")\"\r\n\"line\nbreak\";-7\r\n"
        );
        // Read back with a CSV reader: the same cells, neutralized.
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0], vec!["Zoë; \"quoted\"", "'=HYPERLINK(\"x\")"]);
        assert_eq!(rows[1], vec!["line\nbreak", "-7"]);
    }

    #[test]
    fn unsupported_delimiter_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("exports");
        let opts = CsvOptions {
            bom: false,
            delimiter: 'x',
        };
        let e = write_tables(&[sample()], &out, &opts).unwrap_err();
        assert!(e.message.contains("delimiter"), "{}", e.message);
        assert!(!out.exists());
    }

    #[test]
    fn tables_are_written_as_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_tables(&[sample()], dir.path(), &CsvOptions::default()).unwrap();
        assert_eq!(paths, vec![dir.path().join("t.csv")]);
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        assert!(text.starts_with("name,note\r\n"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".part")
            })
            .collect();
        assert!(leftovers.is_empty());
    }
}
