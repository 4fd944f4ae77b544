//! What the Imports screen shows before importing: the first rows as parsed and what was
//! detected (preset, encoding, delimiter, per-column type and date format, warnings).

use crate::import::{
    choose_profile, decimal_evidence, describe_row_error, fill_row, record_template,
    too_many_rejected, RowKind, RowProblem, Stats,
};
use crate::mapping::{Context, Mapping};
use crate::options::{ImportOptions, Profile};
use crate::presets;
use crate::table::{Input, QuoteProblem, Row, Table};
use crate::values::{self, DecimalMark, Folder};
use baton_core::dates::{self, DateFormat, Formats, Parsed};
use baton_core::stages::{default_stages, Stage, LOST};
use baton_core::{BatonError, ErrorCode, Result};
use baton_store::Outcome;
use serde::Serialize;
use std::borrow::Cow;
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
    /// What the mapping will produce from the rows examined; `null` without a mapping.
    pub would_import: Option<PreviewCounts>,
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

/// Most bytes of cell text the preview keeps to re-map on a mapping change; rows past it
/// still count in the column statistics, and the summary says how many rows it maps.
const KEPT_BYTES: usize = 32 * 1024 * 1024;

/// One row the preview read, kept to be mapped again: its cells back to back.
struct KeptRow {
    line: u64,
    text: String,
    ends: Vec<u32>,
    /// A workbook's typed date cells: (column, wall-clock seconds).
    dates: Vec<(u32, i64)>,
    quote_problem: Option<QuoteProblem>,
    stray_bytes: bool,
}

/// The rows of a file as the preview read them once: what was sniffed, the rows (up to
/// [`SCANNED_ROWS`], within [`KEPT_BYTES`]) and each column's statistics. This is where
/// "rows already read" are kept: a mapping change re-maps them ([`Sample::preview`])
/// instead of reading the file again. A reader of another format builds one with
/// [`Sample::new`] and [`Sample::push_row`] (see [`crate::PreviewCache`]).
pub struct Sample {
    file_name: String,
    encoding: String,
    delimiter: String,
    header_line: u64,
    /// The sheet read, for a workbook.
    sheet: Option<String>,
    /// Every worksheet of the workbook (empty for a CSV).
    sheets: Vec<String>,
    header: Vec<String>,
    raw_width: usize,
    /// What the reader noticed (header names, quoting, unwrapped rows, …).
    reader_warnings: Vec<String>,
    stats: Vec<ColumnStats>,
    votes: (u32, u32),
    rows: Vec<KeptRow>,
    kept_bytes: usize,
    scanned: u64,
    scanned_all: bool,
}

impl Sample {
    /// An empty sample of a table with this header.
    pub fn new(
        file_name: &str,
        encoding: String,
        delimiter: String,
        header_line: u64,
        header: Vec<String>,
        raw_width: usize,
    ) -> Self {
        let stats = (0..header.len())
            .map(|_| ColumnStats {
                formats: Formats::TEXT_ALL,
                values: Some(Vec::new()),
                ..ColumnStats::default()
            })
            .collect();
        Sample {
            file_name: file_name.to_string(),
            encoding,
            delimiter,
            header_line,
            sheet: None,
            sheets: Vec::new(),
            header,
            raw_width,
            reader_warnings: Vec::new(),
            stats,
            votes: (0, 0),
            rows: Vec::new(),
            kept_bytes: 0,
            scanned: 0,
            scanned_all: true,
        }
    }

    /// Read the first [`SCANNED_ROWS`] rows of a CSV file, or of a workbook's `sheet`
    /// (the first with data when `None`; ignored for a CSV).
    pub(crate) fn read(input: Input<'_>, file_name: &str, sheet: Option<&str>) -> Result<Self> {
        let mut table = Table::open_sheet(input, file_name, sheet)?;
        let mut sample = Sample::new(
            file_name,
            table.encoding_label(),
            table.delimiter_label(),
            table.layout.header_line,
            table.header.clone(),
            table.raw_width,
        );
        if let Some(info) = &table.sheet_info {
            sample.set_sheet(info.sheet.clone(), info.sheets.clone());
        }
        let mut dates = Vec::new();
        loop {
            if sample.scanned >= SCANNED_ROWS {
                sample.scanned_all = !table.next_row()?;
                break;
            }
            if !table.next_row()? {
                break;
            }
            let fields: Vec<std::borrow::Cow<'_, str>> =
                (0..table.len()).map(|i| table.field(i)).collect();
            dates.clear();
            if table.sheet_info.is_some() {
                dates.extend((0..fields.len()).filter_map(|i| table.typed_date(i).map(|d| (i, d))));
            }
            sample.push_row(
                table.line(),
                &fields,
                &dates,
                table.quote_problem(),
                table.row_has_stray_bytes(),
            );
        }
        sample.reader_warnings = table.warnings.clone();
        sample.reader_warnings.extend(table.quote_warning());
        Ok(sample)
    }

    /// The workbook sheet these rows come from, and every sheet of the workbook.
    pub fn set_sheet(&mut self, sheet: String, sheets: Vec<String>) {
        self.sheet = Some(sheet);
        self.sheets = sheets;
    }

    /// Add a row read at `line`: it counts in the column statistics and is kept (while
    /// the kept text stays under [`KEPT_BYTES`]) to be mapped on every preview. `dates`
    /// are a workbook's typed date cells (column, wall-clock seconds), taken as they are.
    pub fn push_row<S: AsRef<str>>(
        &mut self,
        line: u64,
        fields: &[S],
        dates: &[(usize, i64)],
        quote_problem: Option<QuoteProblem>,
        stray_bytes: bool,
    ) {
        self.scanned += 1;
        for (i, st) in self.stats.iter_mut().enumerate() {
            let v = fields.get(i).map_or("", |f| f.as_ref());
            let typed = dates.iter().any(|&(c, _)| c == i);
            st.add(v, typed, &mut self.votes);
        }
        let len: usize = fields.iter().map(|f| f.as_ref().len()).sum();
        if self.kept_bytes + len <= KEPT_BYTES && u32::try_from(len).is_ok() {
            let mut text = String::with_capacity(len);
            let mut ends = Vec::with_capacity(fields.len());
            for f in fields {
                text.push_str(f.as_ref());
                ends.push(text.len() as u32);
            }
            self.kept_bytes += len;
            self.rows.push(KeptRow {
                line,
                text,
                ends,
                dates: dates.iter().map(|&(c, d)| (c as u32, d)).collect(),
                quote_problem,
                stray_bytes,
            });
        }
    }

    /// Rows were left unexamined past [`SCANNED_ROWS`].
    pub fn set_more_rows(&mut self) {
        self.scanned_all = false;
    }

    pub fn add_reader_warning(&mut self, w: String) {
        self.reader_warnings.push(w);
    }

    /// What importing these rows with `opts` would read and produce.
    pub fn preview(&self, opts: &ImportOptions, cx: &PreviewContext) -> Result<ImportPreview> {
        let file_name = self.file_name.as_str();
        let width = self.header.len();
        let mut warnings = self.reader_warnings.clone();
        if !self.scanned_all {
            warnings.push(format!(
                "the preview examined the first {SCANNED_ROWS} rows; the import checks every row"
            ));
        }
        let (profile, preset_name, problem) = match choose_profile(&self.header, file_name, opts) {
            Ok((p, name)) => (Some(p), Some(name), None),
            Err(e) => (None, None, Some(e)),
        };
        let stages = match &cx.stages {
            Some(s) => s.clone(),
            None => stages_for(profile.as_ref()),
        };
        let mark = if self.votes.1 > self.votes.0 {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        };
        // Formats the examined rows decide, so mapping them never has to start over.
        let decided: HashMap<usize, DateFormat> = self
            .stats
            .iter()
            .enumerate()
            .filter_map(|(i, st)| st.formats.decided().map(|f| (i, f)))
            .collect();
        let sampled = HashMap::new();
        let mut mapping = None;
        let mut problem = problem;
        if let (Some(p), Some(name)) = (&profile, &preset_name) {
            let cx = Context {
                header: &self.header,
                file_name,
                stages: &stages,
                workspace_map: &cx.value_map,
                options: opts,
                decided: &HashMap::new(),
                sampled: &sampled,
                decimal_mark: mark,
            };
            match Mapping::resolve(p, name, &cx) {
                Ok(m) => mapping = Some(m),
                Err(e) => problem = Some(e),
            }
        }
        let roles = mapping
            .as_ref()
            .map(|m| m.roles(&self.header))
            .unwrap_or_else(|| vec![None; width]);
        let forced: HashMap<usize, Option<DateFormat>> = mapping
            .as_ref()
            .map(|m| m.dates.iter().map(|d| (d.col, d.forced)).collect())
            .unwrap_or_default();
        let mut ambiguous = Vec::new();
        let columns: Vec<ColumnPreview> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let st = &self.stats[i];
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
        if self.votes.1 > self.votes.0 {
            warnings.push("numbers use a decimal comma (1 234,56)".into());
        }
        if let Some(m) = mapping.as_ref().filter(|m| m.hash_key) {
            let names: Vec<&str> = m.id_cols.iter().map(|&c| self.header[c].as_str()).collect();
            warnings.push(format!(
                "the record key ({}) holds personal data: it is stored as a SHA-256 hash unless personal data is stored plain",
                names.join(" + ")
            ));
        }
        let kind = mapping.as_ref().map(|m| m.kind.clone());
        let would_import = match mapping {
            Some(m) => {
                let (counts, row_warnings) = self.map_rows(m, &stages, &decided)?;
                warnings.extend(row_warnings);
                Some(counts)
            }
            None => None,
        };
        let preset = preset_name.as_deref().and_then(presets::by_name);
        Ok(ImportPreview {
            file_name: file_name.to_string(),
            preset: preset_name.clone(),
            preset_label: preset
                .map(|p| p.label.to_string())
                .or_else(|| preset_name.clone()),
            kind,
            encoding: self.encoding.clone(),
            delimiter: self.delimiter.clone(),
            header_line: self.header_line,
            sheet: self.sheet.clone(),
            sheets: self.sheets.clone(),
            columns,
            rows: self
                .rows
                .iter()
                .take(SHOWN_ROWS)
                .map(|r| (0..r.ends.len()).map(|i| r.cell(i).to_string()).collect())
                .collect(),
            rows_scanned: self.scanned,
            scanned_all: self.scanned_all,
            profile,
            ambiguous_date_columns: ambiguous,
            warnings,
            problem,
            would_import,
        })
    }

    /// Every kept row through the import's own row mapping: records per current stage,
    /// rows rejected (and why), rows skipped, and the warnings the import would give.
    fn map_rows(
        &self,
        mut m: Mapping,
        stages: &[Stage],
        decided: &HashMap<usize, DateFormat>,
    ) -> Result<(PreviewCounts, Vec<String>)> {
        // Date columns decided over the examined rows are read with that format.
        for d in m.dates.iter_mut() {
            if d.forced.is_none() {
                d.forced = decided.get(&d.col).copied();
            }
        }
        let mut folders: Vec<Folder> = m.texts.iter().map(|_| Folder::default()).collect();
        let mut record = record_template(&m);
        let mut date_values = vec![None; m.dates.len()];
        let mut stats = Stats::default();
        let mut at: HashMap<String, (String, Option<Outcome>)> = HashMap::new();
        let mut rejected = 0u64;
        let mut examples = Vec::new();
        for row in &self.rows {
            let view = KeptView { sample: self, row };
            match fill_row(
                &view,
                &mut m,
                &mut folders,
                &mut record,
                &mut date_values,
                &mut stats,
            ) {
                Ok(RowKind::Record) => {
                    let stage = std::mem::take(&mut record.current_stage);
                    at.insert(
                        std::mem::take(&mut record.external_id),
                        (stage, record.outcome),
                    );
                }
                Ok(RowKind::Skipped) => {}
                // An order the examined rows did not decide: the import settles it; the
                // row itself maps the same either way for these counts.
                Err(RowProblem::Restart(..)) => {}
                Err(RowProblem::Bad(e)) => {
                    rejected += 1;
                    if examples.len() < 3 {
                        let mut e = e;
                        if e.value
                            .as_deref()
                            .is_some_and(crate::values::holds_contact_detail)
                        {
                            e.value = Some("…".into());
                        }
                        examples.push(describe_row_error(row.line, &e));
                    }
                }
            }
        }
        let mut by_stage: HashMap<&str, u64> = HashMap::new();
        let (mut won, mut lost, mut no_stage) = (0u64, 0u64, 0u64);
        for (stage, outcome) in at.values() {
            match outcome {
                Some(Outcome::Won) => won += 1,
                Some(Outcome::Lost) => lost += 1,
                None => {}
            }
            if stage.is_empty() {
                no_stage += 1;
            } else {
                *by_stage.entry(stage.as_str()).or_default() += 1;
            }
        }
        let mut per_stage: Vec<PreviewStageCount> = stages
            .iter()
            .map(|s| PreviewStageCount {
                stage: s.id.clone(),
                name: s.name.clone(),
                records: by_stage.get(s.id.as_str()).copied().unwrap_or(0),
            })
            .collect();
        per_stage.push(PreviewStageCount {
            stage: LOST.into(),
            name: "Closed lost".into(),
            records: by_stage.get(LOST).copied().unwrap_or(0),
        });
        let records = at.len() as u64;
        let kept_rows = self.rows.len() as u64;
        let mapped_rows = kept_rows - stats.footer_rows - stats.blank_rows;
        let counts = PreviewCounts {
            kind: m.kind.clone(),
            rows: kept_rows,
            all_rows: self.scanned_all && kept_rows == self.scanned,
            records,
            repeated: mapped_rows.saturating_sub(rejected + records),
            stages: per_stage,
            no_stage,
            won,
            lost,
            rejected,
            skipped: stats.footer_rows + stats.blank_rows,
            rejects: examples,
            too_many_rejected: too_many_rejected(rejected, mapped_rows.saturating_sub(rejected)),
        };
        Ok((counts, stats.warnings()))
    }
}

/// What the preview maps rows against: the open workspace's stages and stage value map
/// (as the import will), or the default stages when there is none.
#[derive(Debug, Clone, Default)]
pub struct PreviewContext {
    pub stages: Option<Vec<Stage>>,
    pub value_map: Vec<(String, String)>,
}

impl PreviewContext {
    pub fn of_workspace(ws: &(impl baton_store::prelude::StageConfig + ?Sized)) -> Result<Self> {
        Ok(PreviewContext {
            stages: Some(ws.stages()?),
            value_map: ws.stage_value_map()?,
        })
    }
}

/// Records at one stage, as the mapping would import them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PreviewStageCount {
    /// Stage id (`lead`, …) or `lost`.
    pub stage: String,
    pub name: String,
    #[ts(type = "number")]
    pub records: u64,
}

/// What the mapping will produce from the rows the preview read, before anything is
/// imported: the rows go through the import's own row mapping.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PreviewCounts {
    /// Kind of record (`lead`, `deal`…): one per file.
    pub kind: String,
    /// Rows mapped (the rows the preview read).
    #[ts(type = "number")]
    pub rows: u64,
    /// `rows` is every row of the file (otherwise the import may find more).
    pub all_rows: bool,
    /// Distinct records (rows repeating a record id update the same record).
    #[ts(type = "number")]
    pub records: u64,
    /// Rows repeating a record id seen earlier.
    #[ts(type = "number")]
    pub repeated: u64,
    /// Records per current stage, in funnel order, then `lost` (Closed lost).
    pub stages: Vec<PreviewStageCount>,
    /// Records without a stage (no stage column, or a value nothing maps).
    #[ts(type = "number")]
    pub no_stage: u64,
    #[ts(type = "number")]
    pub won: u64,
    #[ts(type = "number")]
    pub lost: u64,
    /// Rows that would be rejected (kept aside in a partial import, else the import stops).
    #[ts(type = "number")]
    pub rejected: u64,
    /// Blank and footer rows skipped.
    #[ts(type = "number")]
    pub skipped: u64,
    /// Why the first rejected rows would be rejected (line, column, value, expected).
    pub rejects: Vec<String>,
    /// More than half of the rows would be rejected: a partial import asks to confirm.
    pub too_many_rejected: bool,
}

impl KeptRow {
    fn cell(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// A kept row seen as the importer sees a row of the file.
struct KeptView<'a> {
    sample: &'a Sample,
    row: &'a KeptRow,
}

impl Row for KeptView<'_> {
    fn header(&self) -> &[String] {
        &self.sample.header
    }
    fn raw_width(&self) -> usize {
        self.sample.raw_width
    }
    fn width(&self) -> usize {
        self.row.ends.len()
    }
    fn field(&self, i: usize) -> Cow<'_, str> {
        if i < self.row.ends.len() {
            Cow::Borrowed(self.row.cell(i))
        } else {
            Cow::Borrowed("")
        }
    }
    fn line(&self) -> u64 {
        self.row.line
    }
    fn quote_problem(&self) -> Option<QuoteProblem> {
        self.row.quote_problem.clone()
    }
    fn longest_field(&self) -> (usize, usize) {
        (0..self.row.ends.len())
            .map(|i| (i, self.row.cell(i).len()))
            .max_by_key(|(_, l)| *l)
            .unwrap_or((0, 0))
    }
    fn row_has_stray_bytes(&self) -> bool {
        self.row.stray_bytes
    }
    fn typed_date(&self, i: usize) -> Option<i64> {
        self.row
            .dates
            .iter()
            .find(|&&(c, _)| c as usize == i)
            .map(|&(_, d)| d)
    }
    fn is_workbook_row(&self) -> bool {
        self.sample.sheet.is_some()
    }
}

impl ColumnStats {
    fn add(&mut self, v: &str, typed_date: bool, votes: &mut (u32, u32)) {
        if values::is_null(v) {
            self.empty += 1;
            return;
        }
        self.non_null += 1;
        self.list_value(v);
        if typed_date {
            self.dates += 1;
            self.typed_dates += 1;
            return;
        }
        if values::parse_bool(v).is_some() && !v.trim().chars().all(|c| c.is_ascii_digit()) {
            self.bools += 1;
        }
        if values::parse_number(v, DecimalMark::Point).is_some() {
            self.numbers += 1;
            match decimal_evidence(v) {
                Some(DecimalMark::Comma) => votes.1 += 1,
                Some(DecimalMark::Point) => votes.0 += 1,
                None => {}
            }
        }
        match dates::parse(v) {
            Some(Parsed::Serial(_)) => self.serials += 1,
            Some(p) => {
                let n = self.formats.intersect(p.formats());
                if !n.is_empty() {
                    self.dates += 1;
                    self.formats = n;
                    self.order_mattered |= p.order_matters();
                }
            }
            None => {}
        }
    }
}

pub(crate) fn preview(
    input: Input<'_>,
    file_name: &str,
    opts: &ImportOptions,
    cx: &PreviewContext,
) -> Result<ImportPreview> {
    Sample::read(input, file_name, opts.sheet.as_deref())?.preview(opts, cx)
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
