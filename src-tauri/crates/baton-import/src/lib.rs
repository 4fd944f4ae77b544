//! Import of CRM exports into a workspace: encoding, delimiter and date-format sniffing,
//! presets for HubSpot, Salesforce, Pipedrive and Zoho, JSON import profiles for any other
//! CSV, and a streaming upsert inside one transaction. See `docs/import.md`.

/// Date parsing lives in `baton-core` (metrics reads custom-field dates with the same rules).
pub use baton_core::dates;
mod encoding;
mod import;
mod mapping;
mod options;
mod presets;
mod preview;
mod session;
mod sheet;
mod sheet_merges;
mod sniff;
mod table;
mod tracking;
mod unwrap;
mod values;

pub use dates::DateFormat;
pub use import::ImportTarget;
pub use options::{ImportOptions, PersonalData, Profile};
pub use preview::{
    ColumnPreview, ColumnType, ImportPreview, PreviewContext, PreviewCounts, PreviewStageCount,
    Sample,
};
pub use session::PreviewCache;
/// For `examples/bench_sheet_merges.rs`: an `.xlsx` sheet's merged regions, read as an import reads them.
#[doc(hidden)]
pub use sheet_merges::merged_regions as xlsx_merged_regions;
pub use values::{is_null, NULL_TOKENS};

use baton_core::{Cancel, Progress, Result};
use serde::Serialize;
use std::path::Path;
use table::{Input, Table};
use ts_rs::TS;

/// What an import did. Serialised with the CLI's JSON keys.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    #[ts(type = "number")]
    pub import_id: i64,
    pub preset: String,
    pub encoding: String,
    pub delimiter: String,
    /// The sheet read, for a workbook; absent for a CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sheet: Option<String>,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub inserted: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    pub warnings: Vec<String>,
}

/// A preset as offered to the user.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PresetInfo {
    pub name: String,
    pub label: String,
}

/// Names of every preset (`hubspot-contacts`, …).
pub fn preset_names() -> Vec<&'static str> {
    presets::all().iter().map(|p| p.name).collect()
}

pub fn preset_list() -> Vec<PresetInfo> {
    presets::all()
        .iter()
        .map(|p| PresetInfo {
            name: p.name.into(),
            label: p.label.into(),
        })
        .collect()
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Import a file into the workspace in one transaction: it fully lands, or (error, cancel,
/// crash) the workspace is left exactly as it was.
pub fn import_file(
    ws: &mut (impl ImportTarget + ?Sized),
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &Cancel,
) -> Result<ImportSummary> {
    import::run(
        ws,
        &Input::File(path),
        &display_name(path),
        opts,
        progress,
        cancel,
    )
}

/// Import bytes already in memory (drag and drop, tests, the demo workspace).
pub fn import_bytes(
    ws: &mut (impl ImportTarget + ?Sized),
    file_name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &Cancel,
) -> Result<ImportSummary> {
    import::run(ws, &Input::Bytes(bytes), file_name, opts, progress, cancel)
}

/// The first rows as parsed plus everything detected, without touching a workspace
/// (stages: the default ones and those the profile names).
pub fn preview_file(path: &Path, opts: &ImportOptions) -> Result<ImportPreview> {
    preview_file_in(path, opts, &PreviewContext::default())
}

/// [`preview_file`] against a workspace's stages and stage value map, as the import will map.
pub fn preview_file_in(
    path: &Path,
    opts: &ImportOptions,
    cx: &PreviewContext,
) -> Result<ImportPreview> {
    preview::preview(Input::File(path), &display_name(path), opts, cx)
}

pub fn preview_bytes(file_name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<ImportPreview> {
    preview::preview(
        Input::Bytes(bytes),
        file_name,
        opts,
        &PreviewContext::default(),
    )
}

/// Every row of a file as the importer's reader sees it (header first): encoding decoded,
/// preamble skipped, delimiter sniffed. For conformance tests and the fuzz target.
pub fn read_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let mut t = Table::open(Input::Bytes(bytes), file_name)?;
    let mut out = vec![t.header.clone()];
    while t.next_row()? {
        out.push(t.row_strings());
    }
    Ok(out)
}

/// Like [`read_rows`] with the header row exactly as read (no trimming or renaming).
pub fn read_raw_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let mut t = Table::open(Input::Bytes(bytes), file_name)?;
    let mut out = vec![t.raw_header.clone()];
    while t.next_row()? {
        out.push(t.row_strings());
    }
    Ok(out)
}

/// Like [`read_raw_rows`], with the reader's warnings (header names, quoting).
pub fn read_rows_and_warnings(
    file_name: &str,
    bytes: &[u8],
) -> Result<(Vec<Vec<String>>, Vec<String>)> {
    let mut t = Table::open(Input::Bytes(bytes), file_name)?;
    let mut out = vec![t.raw_header.clone()];
    while t.next_row()? {
        out.push(t.row_strings());
    }
    let mut warnings = t.warnings.clone();
    warnings.extend(t.quote_warning());
    Ok((out, warnings))
}

/// SHA-256 hex of a personal value as stored by [`PersonalData::Hashed`].
pub fn hash_personal(value: &str) -> String {
    import::hash_personal(value)
}

pub use baton_core::dates::parse_wall_clock;
