//! Shared by the golden tests: the fixtures, and the generated 3,000-contact export
//! imported through the real import path.
#![allow(dead_code)] // each test file uses part of it

use baton_core::Cancel;
use baton_import::{import_file, ImportOptions, Profile};
use baton_metrics::dataset::parse_date;
use baton_metrics::Dataset;
use baton_store::Workspace;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The JSON of `tests/fixtures/NAME`.
pub fn expected(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// `definition.csv` imported with `definition_profile.json` as of `as_of` (`YYYY-MM-DD`)
/// into a fresh workspace in `dir`, loaded as a dataset.
pub fn definition_dataset(dir: &Path, as_of: &str) -> Dataset {
    let mut ws = Workspace::create(&dir.join("w.baton")).unwrap();
    let profile =
        Profile::from_json(&std::fs::read_to_string(fixture("definition_profile.json")).unwrap())
            .unwrap();
    let opts = ImportOptions {
        profile: Some(profile),
        as_of: parse_date(as_of),
        ..ImportOptions::default()
    };
    import_file(
        &mut ws,
        &fixture("definition.csv"),
        &opts,
        &mut |_| {},
        &Cancel::new(),
    )
    .unwrap();
    Dataset::load(&ws).unwrap()
}
