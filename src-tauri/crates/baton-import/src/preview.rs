//! What the Imports screen shows before importing: the first rows as parsed and what was
//! detected (preset, encoding, delimiter, per-column type and date format, warnings).

use crate::dates::{self, DateFormat, Formats, Parsed};
use crate::import::{choose_profile, decimal_evidence};
use crate::mapping::{Context, Mapping};
use crate::options::{ImportOptions, Profile};
use crate::presets;
use crate::table::{Input, Table};
use crate::values::{self, DecimalMark};
use baton_core::stages::{default_stages, Stage, LOST};
use baton_core::{BatonError, ErrorCode, Result};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

/// Rows shown in the preview table.
const SHOWN_ROWS: usize = 20;
/// Rows examined to decide column types and date formats.
const SCANNED_ROWS: u64 = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ColumnType {
    Empty,
    Number,
    Date,
    YesNo,
    Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ColumnPreview {
    pub name: String,
    pub column_type: ColumnType,
    /// For date columns: the format decided from the values (`null` while undecided).
    pub date_format: Option<DateFormat>,
    /// Values read both as M/D and D/M and none decides: the user must choose.
    pub ambiguous_dates: bool,
    /// Some values are Excel serial numbers.
    pub excel_serials: bool,
    /// What Baton reads the column as (`record id`, `stage`, `source`…), `null` if ignored.
    pub role: Option<String>,
    /// Cells that are empty or a null token (`#N/A`, `Select`, `-`…).
    #[ts(type = "number")]
    pub empty: u64,
    /// Every distinct value in the rows examined (case variants folded to the first
    /// spelling), in order of appearance, when there are at most [`LISTED_VALUES`];
    /// `null` for columns with more (ids, names, dates).
    pub values: Option<Vec<String>>,
}

/// Most distinct values a column lists in the preview (enough for any CRM's stages).
pub const LISTED_VALUES: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub file_name: String,
    /// Detected (or chosen) preset name, `null` when none matches and no profile is given.
    pub preset: Option<String>,
    pub preset_label: Option<String>,
    pub kind: Option<String>,
    pub encoding: String,
    pub delimiter: String,
    /// 1-based line of the header row (its row number in a workbook's sheet).
    #[ts(type = "number")]
    pub header_line: u64,
    /// The sheet read, for a workbook (`.xlsx`, `.xls`, `.ods`); `null` for a CSV.
    pub sheet: Option<String>,
    /// Every worksheet of the workbook, in order (empty for a CSV).
    pub sheets: Vec<String>,
    pub columns: Vec<ColumnPreview>,
    /// The first rows as parsed.
    pub rows: Vec<Vec<String>>,
    #[ts(type = "number")]
    pub rows_scanned: u64,
    /// Every row was examined (otherwise the import re-checks the rest).
    pub scanned_all: bool,
    /// The mapping the import would use, editable and savable as a profile.
    pub profile: Option<Profile>,
    /// Date columns whose month/day order the user must choose.
    pub ambiguous_date_columns: Vec<String>,
    pub warnings: Vec<String>,
    /// Why the file cannot be imported as is (e.g. no preset matches).
    pub problem: Option<BatonError>,
}

#[derive(Default)]
struct ColumnStats {
    non_null: u64,
    empty: u64,
    numbers: u64,
    bools: u64,
    dates: u64,
    /// Cells of a workbook typed as dates (taken as they are, no format to decide).
    typed_dates: u64,
    serials: u64,
    formats: Formats,
    order_mattered: bool,
    /// Distinct values so far (lower-cased key → first spelling); `None` once past
    /// [`LISTED_VALUES`].
    values: Option<Vec<(String, String)>>,
}

impl ColumnStats {
    fn list_value(&mut self, v: &str) {
        let Some(list) = self.values.as_mut() else {
            return;
        };
        let v = v.trim();
        let key = v.to_lowercase();
        if !list.iter().any(|(k, _)| *k == key) {
            if list.len() == LISTED_VALUES {
                self.values = None;
            } else {
                list.push((key, v.to_string()));
            }
        }
    }
}

pub(crate) fn preview(
    input: Input<'_>,
    file_name: &str,
    opts: &ImportOptions,
) -> Result<ImportPreview> {
    let mut table = Table::open_sheet(input, file_name, opts.sheet.as_deref())?;
    let width = table.header.len();
    let mut stats: Vec<ColumnStats> = (0..width)
        .map(|_| ColumnStats {
            formats: Formats::TEXT_ALL,
            values: Some(Vec::new()),
            ..ColumnStats::default()
        })
        .collect();
    let mut rows = Vec::new();
    let mut scanned = 0u64;
    let mut votes = (0u32, 0u32);
    let mut scanned_all = true;
    loop {
        if scanned >= SCANNED_ROWS {
            scanned_all = !table.next_row()?;
            break;
        }
        if !table.next_row()? {
            break;
        }
        scanned += 1;
        if rows.len() < SHOWN_ROWS {
            rows.push(table.row_strings());
        }
        for (i, st) in stats.iter_mut().enumerate() {
            let v = table.field(i);
            if values::is_null(&v) {
                st.empty += 1;
                continue;
            }
            st.non_null += 1;
            st.list_value(&v);
            if table.typed_date(i).is_some() {
                st.dates += 1;
                st.typed_dates += 1;
                continue;
            }
            if values::parse_bool(&v).is_some() && !v.trim().chars().all(|c| c.is_ascii_digit()) {
                st.bools += 1;
            }
            if values::parse_number(&v, DecimalMark::Point).is_some() {
                st.numbers += 1;
                match decimal_evidence(&v) {
                    Some(DecimalMark::Comma) => votes.1 += 1,
                    Some(DecimalMark::Point) => votes.0 += 1,
                    None => {}
                }
            }
            match dates::parse(&v) {
                Some(Parsed::Serial(_)) => st.serials += 1,
                Some(p) => {
                    let n = st.formats.intersect(p.formats());
                    if !n.is_empty() {
                        st.dates += 1;
                        st.formats = n;
                        st.order_mattered |= p.order_matters();
                    }
                }
                None => {}
            }
        }
    }
    let mut warnings = table.warnings.clone();
    warnings.extend(table.quote_warning());
    if !scanned_all {
        warnings.push(format!(
            "the preview examined the first {SCANNED_ROWS} rows; the import checks every row"
        ));
    }
    let (profile, preset_name, problem) = match choose_profile(&table, opts) {
        Ok((p, name)) => (Some(p), Some(name), None),
        Err(e) => (None, None, Some(e)),
    };
    let stages = stages_for(profile.as_ref());
    let decided = HashMap::new();
    let sampled = HashMap::new();
    let mut mapping = None;
    let mut problem = problem;
    if let (Some(p), Some(name)) = (&profile, &preset_name) {
        let cx = Context {
            header: &table.header,
            file_name,
            stages: &stages,
            workspace_map: &[],
            options: opts,
            decided: &decided,
            sampled: &sampled,
            decimal_mark: DecimalMark::Point,
        };
        match Mapping::resolve(p, name, &cx) {
            Ok(m) => mapping = Some(m),
            Err(e) => problem = Some(e),
        }
    }
    let roles = mapping
        .as_ref()
        .map(|m| m.roles(&table.header))
        .unwrap_or_else(|| vec![None; width]);
    let forced: HashMap<usize, Option<DateFormat>> = mapping
        .as_ref()
        .map(|m| m.dates.iter().map(|d| (d.col, d.forced)).collect())
        .unwrap_or_default();
    let mut ambiguous = Vec::new();
    let columns: Vec<ColumnPreview> = table
        .header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let st = &stats[i];
            let is_date_role = forced.contains_key(&i);
            let forced_format = forced.get(&i).copied().flatten();
            let all_dates = st.non_null > 0 && st.dates == st.non_null;
            let column_type = if st.non_null == 0 {
                ColumnType::Empty
            } else if is_date_role || all_dates {
                ColumnType::Date
            } else if st.bools == st.non_null {
                ColumnType::YesNo
            } else if st.numbers == st.non_null {
                ColumnType::Number
            } else {
                ColumnType::Text
            };
            let is_date = column_type == ColumnType::Date;
            let open = st.formats.day_month_open() && st.order_mattered;
            let ambiguous_dates = is_date && forced_format.is_none() && open;
            if ambiguous_dates && is_date_role {
                ambiguous.push(name.clone());
            }
            let date_format = if !is_date {
                None
            } else if let Some(f) = forced_format {
                Some(f)
            } else if st.dates == 0 && st.serials > 0 {
                Some(DateFormat::Excel)
            } else if st.dates == st.typed_dates {
                // Dates the workbook types: nothing to decide.
                None
            } else if st.dates > 0 {
                st.formats.decided().or(if open {
                    None
                } else {
                    // M/D and D/M agree on every value read (e.g. 05/05/2024).
                    Some(DateFormat::Mdy)
                })
            } else {
                None
            };
            ColumnPreview {
                name: name.clone(),
                column_type,
                date_format,
                ambiguous_dates,
                excel_serials: is_date && st.serials > 0,
                role: roles.get(i).cloned().flatten(),
                empty: st.empty,
                values: st
                    .values
                    .as_ref()
                    .map(|list| list.iter().map(|(_, v)| v.clone()).collect()),
            }
        })
        .collect();
    if !ambiguous.is_empty() {
        warnings.push(format!(
            "cannot tell month/day order in {}: choose M/D/YYYY or D/M/YYYY before importing",
            ambiguous
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if problem.is_none() {
            problem = Some(BatonError::new(
                ErrorCode::AmbiguousDateFormat,
                format!(
                    "cannot tell month/day order in column \"{}\"; choose the date format",
                    ambiguous[0]
                ),
            ));
        }
    }
    if votes.1 > votes.0 {
        warnings.push("numbers use a decimal comma (1 234,56)".into());
    }
    if let Some(m) = mapping.as_ref().filter(|m| m.hash_key) {
        let names: Vec<&str> = m
            .id_cols
            .iter()
            .map(|&c| table.header[c].as_str())
            .collect();
        warnings.push(format!(
            "the record key ({}) holds personal data: it is stored as a SHA-256 hash unless personal data is stored plain",
            names.join(" + ")
        ));
    }
    let preset = preset_name.as_deref().and_then(presets::by_name);
    Ok(ImportPreview {
        file_name: file_name.to_string(),
        preset: preset_name.clone(),
        preset_label: preset
            .map(|p| p.label.to_string())
            .or_else(|| preset_name.clone()),
        kind: mapping.as_ref().map(|m| m.kind.clone()),
        encoding: table.encoding_label(),
        delimiter: table.delimiter_label(),
        header_line: table.layout.header_line,
        sheet: table.sheet_info.as_ref().map(|s| s.sheet.clone()),
        sheets: table
            .sheet_info
            .as_ref()
            .map(|s| s.sheets.clone())
            .unwrap_or_default(),
        columns,
        rows,
        rows_scanned: scanned,
        scanned_all,
        profile,
        ambiguous_date_columns: ambiguous,
        warnings,
        problem,
    })
}

/// Default stages plus any stage a profile names (a workspace may have added `sal`…);
/// the import itself checks them against the workspace.
fn stages_for(profile: Option<&Profile>) -> Vec<Stage> {
    let mut stages = default_stages();
    if let Some(p) = profile {
        let named = p
            .stage_values
            .values()
            .chain(p.stage_dates.keys())
            .chain(p.stage_default.iter())
            .chain(p.converted_stage.iter());
        for id in named {
            if id != LOST && !stages.iter().any(|s| &s.id == id) {
                stages.push(Stage {
                    id: id.clone(),
                    name: id.clone(),
                    position: stages.len() as u32,
                });
            }
        }
    }
    stages
}
