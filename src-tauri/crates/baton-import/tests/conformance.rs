//! Third-party CSV test data (never copied into the project): csv-spectrum, the PapaParse
//! parser cases that apply to a CSV file, and every csvkit example.
use baton_store::prelude::*;
mod common;
use baton_import::{read_rows, read_rows_and_warnings, ImportOptions, Profile};
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// (case name, file bytes, expected records).
type SpectrumCase = (String, Vec<u8>, Vec<BTreeMap<String, String>>);

fn spectrum_cases() -> Vec<SpectrumCase> {
    let dir = shared_data("csv-spectrum");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir.join("csvs")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut bytes = std::fs::read(&path).unwrap();
        // The repository's .gitattributes asks for CRLF line ends in *_crlf.csv; the copy
        // here was checked out with LF, so restore what upstream meant.
        if name.ends_with("_crlf") && !bytes.contains(&b'\r') {
            bytes = String::from_utf8(bytes)
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes();
        }
        let json: Value =
            serde_json::from_slice(&std::fs::read(dir.join(format!("json/{name}.json"))).unwrap())
                .unwrap();
        let records = match json {
            Value::Array(a) => a,
            single @ Value::Object(_) => vec![single],
            other => panic!("{name}: unexpected oracle {other}"),
        };
        let records = records
            .into_iter()
            .map(|r| {
                r.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect()
            })
            .collect();
        out.push((name, bytes, records));
    }
    assert_eq!(out.len(), 12);
    out
}

/// csv-spectrum's location_coordinates.json gives the phone as 1234567890 while the CSV
/// holds 2095257564 (an upstream oracle slip); every other value must match.
const ORACLE_SLIPS: &[(&str, &str, &str)] =
    &[("location_coordinates", "Contact Phone Number", "2095257564")];

#[test]
fn csv_spectrum_records_equal_the_json() {
    for (name, bytes, expected) in spectrum_cases() {
        let rows = read_rows(&name, &bytes).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let header = &rows[0];
        let got: Vec<BTreeMap<String, String>> = rows[1..]
            .iter()
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect();
        let mut expected = expected;
        for (case, column, value) in ORACLE_SLIPS {
            if *case == name {
                assert_eq!(got[0][*column], *value, "{name}: the file's own value");
                expected[0].insert(column.to_string(), value.to_string());
            }
        }
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn csv_spectrum_imports_through_a_profile_keep_every_value() {
    for (name, bytes, expected) in spectrum_cases() {
        let header = read_rows(&name, &bytes).unwrap()[0].clone();
        let fields: BTreeMap<String, String> = header
            .iter()
            .skip(1)
            .map(|h| (format!("f_{h}"), h.clone()))
            .collect();
        let profile = Profile {
            record_id: Some(header[0].clone()),
            fields,
            ..Default::default()
        };
        let (_d, mut ws) = workspace();
        let opts = ImportOptions {
            profile: Some(profile),
            ..Default::default()
        };
        let s = baton_import::import_bytes(
            &mut ws,
            &name,
            &bytes,
            &opts,
            &mut |_| {},
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        assert_eq!(s.inserted as usize, expected.len(), "{name}");
        for (rec, want) in ws.import_records(None).unwrap().iter().zip(&expected) {
            for h in header.iter().skip(1) {
                let stored = rec
                    .custom
                    .get(&format!("f_{h}"))
                    .cloned()
                    .unwrap_or_default();
                let slip = ORACLE_SLIPS
                    .iter()
                    .any(|(c, col, _)| *c == name && col == h);
                if !slip {
                    assert_eq!(stored, want[h].trim(), "{name}: {h}");
                }
            }
        }
    }
}

/// PapaParse cases that describe reading a CSV file with default settings (no header,
/// comment, preview, typing or custom quote options, no JavaScript functions).
#[test]
fn papaparse_default_config_cases() {
    let all: Value = serde_json::from_slice(
        &std::fs::read(shared_data("papaparse-tests/papaparse_parse_cases.json")).unwrap(),
    )
    .unwrap();
    let (mut compared, mut refused, mut mismatched) = (0, 0, Vec::new());
    let mut quote_cases = 0;
    for group in ["CORE_PARSER_TESTS", "PARSE_TESTS"] {
        for case in all[group].as_array().unwrap() {
            let config = case
                .get("config")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            // Baton reads `,` `;` tab and `|` (sniffed); other delimiters do not apply.
            let supported_delimiter = config.get("delimiter").is_none_or(|d| {
                matches!(d.as_str(), Some(",") | Some(";") | Some("\t") | Some("|"))
            });
            let applies = config.keys().all(|k| k == "delimiter")
                && supported_delimiter
                && !case["config_has_function"].as_bool().unwrap();
            let Some(input) = case["input"].as_str() else {
                continue;
            };
            if !applies {
                continue;
            }
            let desc = case["description"].as_str().unwrap_or("?");
            // Baton ends a line at any of \n, \r\n or \r (files from old Macs mix them);
            // PapaParse keeps only the first style it sees.
            if desc == "Mixed slash n and slash r should choose first as precident" {
                continue;
            }
            let errors = case["expected"]["errors"].as_array().map_or(0, Vec::len);
            // PapaParse reports malformed quoting; Baton must refuse the file or warn.
            let bad_quotes = case["expected"]["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| matches!(e["code"].as_str(), Some("MissingQuotes" | "InvalidQuotes")));
            quote_cases += usize::from(bad_quotes);
            match read_rows_and_warnings("case.csv", input.as_bytes()) {
                Err(e) => {
                    assert!(!e.message.is_empty(), "{desc}");
                    if bad_quotes {
                        assert!(e.message.contains("quote"), "{desc}: {}", e.message);
                    }
                    refused += 1;
                }
                Ok((rows, warnings)) => {
                    if bad_quotes {
                        assert!(
                            warnings.iter().any(|w| w.contains("quote")),
                            "{desc}: read as {rows:?} without a warning ({warnings:?})"
                        );
                    }
                    if errors > 0 {
                        continue; // other malformed input: reading without panicking counts
                    }
                    assert!(
                        !warnings.iter().any(|w| w.contains("quote")),
                        "{desc}: well-formed input warned: {warnings:?}"
                    );
                    // Baton skips blank lines (PapaParse keeps them as [""]).
                    let want: Vec<Vec<String>> = case["expected"]["data"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| {
                            r.as_array()
                                .unwrap()
                                .iter()
                                .map(|v| v.as_str().unwrap_or_default().to_string())
                                .collect::<Vec<_>>()
                        })
                        .filter(|r: &Vec<String>| !(r.len() == 1 && r[0].is_empty()))
                        .collect();
                    // Spaces after a closing quote stay in the raw field; every imported
                    // value is trimmed, so compare trimmed cells.
                    let trim = |rs: &[Vec<String>]| -> Vec<Vec<String>> {
                        rs.iter()
                            .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
                            .collect()
                    };
                    if trim(&rows) != trim(&want) {
                        mismatched.push(format!("{desc}: got {rows:?}, want {want:?}"));
                    }
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 40, "compared {compared}, refused {refused}");
    assert_eq!(
        quote_cases, 5,
        "PapaParse's malformed-quote cases were all checked"
    );
    assert!(
        mismatched.is_empty(),
        "{} mismatches:\n{}",
        mismatched.len(),
        mismatched.join("\n")
    );
}

#[test]
fn every_csvkit_example_is_imported_or_refused_clearly() {
    let dir = shared_data("csvkit-examples/examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 70);
    let (mut imported, mut refused) = (0, 0);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let header = match read_rows(&name, &bytes) {
            Ok(rows) => rows[0].clone(),
            Err(e) => {
                assert!(e.message.contains(&name), "{name}: {}", e.message);
                refused += 1;
                continue;
            }
        };
        let fields = header
            .iter()
            .skip(1)
            .map(|h| (format!("c_{h}"), h.clone()))
            .collect();
        let profile = Profile {
            record_id: Some(header[0].clone()),
            fields,
            ..Default::default()
        };
        let (_d, mut ws) = workspace();
        let opts = ImportOptions {
            profile: Some(profile),
            ..Default::default()
        };
        match import(&mut ws, &path, &opts) {
            Ok(_) => imported += 1,
            Err(e) => {
                assert!(e.message.contains(&name), "{name}: {}", e.message);
                assert!(
                    ws.imports().unwrap().is_empty(),
                    "{name}: a refused file changed nothing"
                );
                refused += 1;
            }
        }
        // The preview never fails on a readable file either.
        let _ = baton_import::preview_file(&path, &ImportOptions::default());
    }
    assert!(imported > 40, "imported {imported}, refused {refused}");
}
