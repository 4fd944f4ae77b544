//! The import itself: one pass over the file, each row turned into a record and upserted
//! inside one transaction.

use crate::dates::DateFormat;
use crate::mapping::{value_key, Context, DateProblem, Mapping};
use crate::options::{ImportOptions, PersonalData, Profile};
use crate::presets;
use crate::table::{Input, Table, MAX_FIELD_LEN};
use crate::values::{self, DecimalMark, Folder};
use crate::ImportSummary;
use baton_core::stages::LOST;
use baton_core::{BatonError, Cancel, ErrorCode, Progress, Result};
use baton_store::{ImportCounts, NewImport, NewReject, Outcome, RecordRow, Upserted, Workspace};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// Why a row could not be read.
pub(crate) struct RowError {
    pub column: Option<String>,
    pub value: Option<String>,
    pub expected: String,
}

enum Stop {
    Error(BatonError),
    /// Start over: column `usize` turned out to use this day/month order.
    Restart(usize, DateFormat),
}

impl From<BatonError> for Stop {
    fn from(e: BatonError) -> Self {
        Stop::Error(e)
    }
}

/// Import a file or buffer, starting over (rolled back) if a date column's order is only
/// decided after rows read with the other order.
pub(crate) fn run(
    ws: &mut Workspace,
    input: &Input<'_>,
    file_name: &str,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &Cancel,
) -> Result<ImportSummary> {
    let mut decided: HashMap<usize, DateFormat> = HashMap::new();
    loop {
        match run_once(ws, input, file_name, opts, &decided, progress, cancel) {
            Ok(summary) => return Ok(summary),
            Err(Stop::Error(e)) => return Err(e),
            Err(Stop::Restart(col, format)) => {
                decided.insert(col, format);
            }
        }
    }
}

fn reopen<'a>(input: &Input<'a>, file_name: &str) -> Result<Table<'a>> {
    match input {
        Input::File(p) => Table::open(Input::File(p), file_name),
        Input::Bytes(b) => Table::open(Input::Bytes(b), file_name),
    }
}

/// The profile to read `table` with: the given one, the named preset or the detected one.
pub(crate) fn choose_profile(table: &Table<'_>, opts: &ImportOptions) -> Result<(Profile, String)> {
    if let Some(p) = &opts.profile {
        let name = p.name.clone().unwrap_or_else(|| "profile".into());
        return Ok((p.clone(), name));
    }
    let preset = match &opts.preset {
        Some(name) => presets::by_name(name).ok_or_else(|| {
            BatonError::invalid(format!(
                "unknown preset \"{name}\"; presets: {}",
                crate::preset_names().join(", ")
            ))
        })?,
        None => presets::detect(&table.header).ok_or_else(|| {
            BatonError::invalid(format!(
                "{}: not recognised as a HubSpot, Salesforce, Pipedrive or Zoho export (columns: {}); choose a preset or give an import profile",
                table.file_name,
                crate::mapping::shorten_list(&table.header)
            ))
        })?,
    };
    Ok((preset.profile(&table.header), preset.name.to_string()))
}

/// Formats and decimal mark the first rows point to, from the head of the file.
pub(crate) fn sample_hints(
    input: &Input<'_>,
    file_name: &str,
    date_cols: &[usize],
    amount_col: Option<usize>,
    delimiter: u8,
) -> (HashMap<usize, DateFormat>, DecimalMark) {
    let mut hints = HashMap::new();
    let mut mark = if delimiter == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    let head: &[u8] = match input {
        Input::Bytes(b) => &b[..b.len().min(256 * 1024)],
        Input::File(_) => &[],
    };
    let owned;
    let head = if head.is_empty() {
        owned = match input {
            Input::File(p) => read_head(p),
            Input::Bytes(_) => Vec::new(),
        };
        &owned[..]
    } else {
        head
    };
    let Ok(mut t) = Table::open(Input::Bytes(head), file_name) else {
        return (hints, mark);
    };
    let mut cols: Vec<crate::mapping::DateColumn> = Vec::new();
    let mut votes = (0u32, 0u32);
    for &c in date_cols {
        cols.push(crate::mapping::DateColumn {
            col: c,
            name: String::new(),
            forced: None,
            formats: crate::dates::Formats::TEXT_ALL,
            assumed: DateFormat::Mdy,
            order_mattered: None,
            serials: 0,
        });
    }
    let mut rows = 0;
    while rows < 5_000 && t.next_row().unwrap_or(false) {
        rows += 1;
        for d in cols.iter_mut() {
            let v = t.field(d.col);
            if !values::is_null(&v) {
                if let Some(p) = crate::dates::parse(&v) {
                    let n = d.formats.intersect(p.formats());
                    if !n.is_empty() {
                        d.formats = n;
                    }
                }
            }
        }
        if let Some(a) = amount_col {
            match decimal_evidence(&t.field(a)) {
                Some(DecimalMark::Comma) => votes.1 += 1,
                Some(DecimalMark::Point) => votes.0 += 1,
                None => {}
            }
        }
    }
    for d in cols {
        if let Some(f) = d.formats.decided() {
            hints.insert(d.col, f);
        }
    }
    if votes.1 > votes.0 {
        mark = DecimalMark::Comma;
    } else if votes.0 > votes.1 {
        mark = DecimalMark::Point;
    }
    (hints, mark)
}

fn read_head(path: &std::path::Path) -> Vec<u8> {
    use std::io::Read;
    let mut v = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(256 * 1024).read_to_end(&mut v);
    }
    v
}

/// Which separator a number shows to be its decimal mark, when it shows one.
pub(crate) fn decimal_evidence(v: &str) -> Option<DecimalMark> {
    let v = v.trim();
    let (p, c) = (v.rfind('.'), v.rfind(','));
    match (p, c) {
        (Some(p), Some(c)) => Some(if p > c { DecimalMark::Point } else { DecimalMark::Comma }),
        (Some(p), None) if v.matches('.').count() == 1 && v.len() - p - 1 != 3 => Some(DecimalMark::Point),
        (None, Some(c)) if v.matches(',').count() == 1 && v.len() - c - 1 != 3 => Some(DecimalMark::Comma),
        _ => None,
    }
}

/// Wall clock now, as seconds since 1970 of the local wall clock.
pub(crate) fn now_wall_clock() -> i64 {
    chrono::Local::now().naive_local().and_utc().timestamp()
}

pub(crate) fn resolve_mapping(
    ws: &Workspace,
    table: &Table<'_>,
    input: &Input<'_>,
    opts: &ImportOptions,
    decided: &HashMap<usize, DateFormat>,
) -> Result<Mapping> {
    let (profile, preset_name) = choose_profile(table, opts)?;
    let stages = ws.stages()?;
    let workspace_map = ws.stage_value_map()?;
    // A first resolution tells which columns are dates, to sample them.
    let probe_cx = Context {
        header: &table.header,
        file_name: &table.file_name,
        stages: &stages,
        workspace_map: &workspace_map,
        options: opts,
        decided,
        sampled: &HashMap::new(),
        decimal_mark: DecimalMark::Point,
    };
    let probe = Mapping::resolve(&profile, &preset_name, &probe_cx)?;
    let date_cols: Vec<usize> = probe.dates.iter().map(|d| d.col).collect();
    let (sampled, mark) = sample_hints(input, &table.file_name, &date_cols, probe.amount, table.layout.delimiter);
    let cx = Context {
        sampled: &sampled,
        decimal_mark: mark,
        ..probe_cx
    };
    Mapping::resolve(&profile, &preset_name, &cx)
}

fn run_once(
    ws: &mut Workspace,
    input: &Input<'_>,
    file_name: &str,
    opts: &ImportOptions,
    decided: &HashMap<usize, DateFormat>,
    progress: &mut dyn FnMut(Progress),
    cancel: &Cancel,
) -> std::result::Result<ImportSummary, Stop> {
    let mut table = reopen(input, file_name)?;
    let mut mapping = resolve_mapping(ws, &table, input, opts, decided)?;
    let (profile, _) = choose_profile(&table, opts)?;
    let imported_at = opts.as_of.unwrap_or_else(now_wall_clock);
    let meta = NewImport {
        file_name: file_name.to_string(),
        preset: mapping.preset_name.clone(),
        kind: mapping.kind.clone(),
        encoding: table.encoding.label(),
        delimiter: table.delimiter_label(),
        imported_at,
        profile: serde_json::to_string(&profile).unwrap_or_else(|_| "{}".into()),
    };
    let total = table.total_bytes;
    let mut writer = ws.begin_import(&meta)?;
    let mut folders: Vec<Folder> = Vec::new();
    for (field, _) in &mapping.texts {
        let mut f = Folder::default();
        f.seed(writer.known_values(*field)?);
        folders.push(f);
    }
    let mut stage_slots: Vec<(String, Option<i64>)> = mapping
        .stage_dates
        .iter()
        .map(|(s, _)| (s.clone(), None))
        .collect();
    // A won record's close date is the date it entered the last stage: keep a slot for it.
    if !stage_slots.iter().any(|(s, _)| *s == mapping.last_stage) {
        stage_slots.push((mapping.last_stage.clone(), None));
    }
    let mut row = RecordRow {
        stage_dates: stage_slots,
        custom: mapping.custom.iter().map(|(f, _)| (f.clone(), None)).collect(),
        ..RecordRow::default()
    };
    let mut counts = ImportCounts::default();
    let mut stats = Stats::default();
    let mut date_values: Vec<Option<i64>> = vec![None; mapping.dates.len()];
    let mut last_report = Instant::now();
    progress(Progress {
        phase: "importing".into(),
        done: 0,
        total,
    });
    while table.next_row()? {
        if cancel.is_cancelled() {
            return Err(Stop::Error(BatonError::cancelled()));
        }
        counts.rows_read += 1;
        if counts.rows_read % 1024 == 0 && last_report.elapsed() >= Duration::from_millis(100) {
            last_report = Instant::now();
            progress(Progress {
                phase: "importing".into(),
                done: table.bytes_read(),
                total,
            });
        }
        match fill_row(&table, &mut mapping, &mut folders, &mut row, &mut date_values, &mut stats) {
            Ok(RowKind::Record) => match writer.upsert(&row)? {
                Upserted::Inserted => counts.inserted += 1,
                Upserted::Updated => counts.updated += 1,
                Upserted::Repeated => {
                    counts.updated += 1;
                    stats.repeated += 1;
                }
            },
            Ok(RowKind::Skipped) => {}
            Err(RowProblem::Restart(col, f)) => return Err(Stop::Restart(col, f)),
            Err(RowProblem::Bad(e)) => {
                if !opts.allow_partial {
                    return Err(Stop::Error(row_error(&table, e)));
                }
                let raw = table.row_strings();
                writer.reject(&NewReject {
                    row_number: table.line(),
                    column: e.column.as_deref(),
                    value: e.value.as_deref(),
                    reason: &e.expected,
                    raw: &raw,
                })?;
                counts.rejected += 1;
            }
        }
    }
    let ambiguous: Vec<&crate::mapping::DateColumn> =
        mapping.dates.iter().filter(|d| d.is_ambiguous()).collect();
    if !ambiguous.is_empty() {
        let list = ambiguous
            .iter()
            .map(|d| {
                let (line, example) = d.order_mattered.clone().unwrap_or_default();
                format!("\"{}\" (e.g. \"{example}\" on line {line})", d.name)
            })
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Stop::Error(BatonError::new(
            ErrorCode::AmbiguousDateFormat,
            format!(
                "{file_name}: cannot tell month/day order in column {list}: every value reads as both M/D/YYYY and D/M/YYYY. Choose the date format (mdy or dmy); nothing was imported"
            ),
        )));
    }
    let warnings = stats.warnings(&table, &mapping, file_name);
    let import_id = writer.import_id();
    writer.finish(&counts, &warnings)?;
    progress(Progress {
        phase: "done".into(),
        done: table.bytes_read(),
        total,
    });
    Ok(ImportSummary {
        import_id,
        preset: mapping.preset_name.clone(),
        encoding: table.encoding.label(),
        delimiter: table.delimiter_label(),
        rows_read: counts.rows_read,
        inserted: counts.inserted,
        updated: counts.updated,
        rejected: counts.rejected,
        warnings,
    })
}

/// The error for a bad row when the import is not partial.
fn row_error(table: &Table<'_>, e: RowError) -> BatonError {
    let mut msg = format!("{}, row at line {}", table.file_name, table.line());
    if let Some(c) = &e.column {
        msg.push_str(&format!(", column \"{c}\""));
    }
    match &e.value {
        Some(v) => msg.push_str(&format!(": found \"{}\", expected {}", clip(v), e.expected)),
        None => msg.push_str(&format!(": {}", e.expected)),
    }
    msg.push_str(". Nothing was imported; fix the file or allow a partial import to keep the bad rows aside");
    BatonError::invalid(msg)
}

fn clip(v: &str) -> String {
    if v.chars().count() > 80 {
        format!("{}…", v.chars().take(80).collect::<String>())
    } else {
        v.to_string()
    }
}

enum RowKind {
    Record,
    Skipped,
}

enum RowProblem {
    Bad(RowError),
    Restart(usize, DateFormat),
}

impl From<RowError> for RowProblem {
    fn from(e: RowError) -> Self {
        RowProblem::Bad(e)
    }
}

#[derive(Default)]
struct Stats {
    blank_rows: u64,
    footer_rows: u64,
    repeated: u64,
    unmapped_stages: BTreeMap<String, u64>,
    stray_bytes_rows: u64,
}

impl Stats {
    fn warnings(&self, table: &Table<'_>, mapping: &Mapping, _file: &str) -> Vec<String> {
        let mut w = table.warnings.clone();
        if self.footer_rows > 0 {
            w.push(format!(
                "skipped {} footer/total row(s) (e.g. \"Grand Totals\", \"Confidential Information\", \"Copyright\")",
                self.footer_rows
            ));
        }
        if self.blank_rows > 0 {
            w.push(format!("skipped {} empty row(s)", self.blank_rows));
        }
        if self.repeated > 0 {
            w.push(format!(
                "{} row(s) repeated a record id seen earlier in the file; later rows updated the earlier ones",
                self.repeated
            ));
        }
        if !self.unmapped_stages.is_empty() {
            let list = self
                .unmapped_stages
                .iter()
                .take(10)
                .map(|(v, n)| format!("\"{v}\" ({n})"))
                .collect::<Vec<_>>()
                .join(", ");
            w.push(format!(
                "stage values not mapped to a funnel stage (records kept without a stage; map them on the Vocabulary screen or in the profile): {list}"
            ));
        }
        if self.stray_bytes_rows > 0 {
            w.push(format!(
                "{} row(s) had bytes that are not UTF-8; they were read as Windows-1252",
                self.stray_bytes_rows
            ));
        }
        for d in &mapping.dates {
            if d.forced.is_none() && d.order_mattered.is_some() {
                if let Some(f) = d.format_used() {
                    w.push(format!(
                        "column \"{}\": dates read as {} (decided from the values)",
                        d.name,
                        f.label()
                    ));
                }
            }
            if d.serials > 0 && d.forced != Some(DateFormat::Excel) {
                w.push(format!(
                    "column \"{}\": {} Excel serial number(s) read as dates",
                    d.name, d.serials
                ));
            }
        }
        w
    }
}

/// Leading words of rows that are report furniture, not records (Salesforce footers and
/// grouped-report totals, in English, French and German).
const FOOTER_PREFIXES: &[&str] = &[
    "grand total",
    "total",
    "subtotal",
    "sous-total",
    "totaux",
    "gesamtsumme",
    "summe",
    "zwischensumme",
    "confidential information",
    "informations confidentielles",
    "vertrauliche informationen",
    "copyright (c)",
    "copyright ©",
    "©",
];

fn is_footer(table: &Table<'_>) -> bool {
    let mut non_null = (0..table.len()).filter(|&i| !values::is_null(&table.field(i)));
    let Some(first) = non_null.next() else {
        return false;
    };
    let text = table.field(first).trim().to_lowercase();
    FOOTER_PREFIXES.iter().any(|p| text.starts_with(p))
}

fn fill_row(
    table: &Table<'_>,
    m: &mut Mapping,
    folders: &mut [Folder],
    row: &mut RecordRow,
    date_values: &mut [Option<i64>],
    stats: &mut Stats,
) -> std::result::Result<RowKind, RowProblem> {
    let line = table.line();
    // Rows wider than the header.
    if table.len() > table.raw_width {
        let extra = (table.raw_width..table.len()).find(|&i| !table.field(i).trim().is_empty());
        if let Some(i) = extra {
            return Err(RowError {
                column: None,
                value: Some(table.field(i).into_owned()),
                expected: format!(
                    "at most {} values (the header has {} columns) but the row has {}",
                    table.raw_width,
                    table.raw_width,
                    table.len()
                ),
            }
            .into());
        }
    }
    let (longest_col, longest) = table.longest_field();
    if longest > MAX_FIELD_LEN {
        return Err(RowError {
            column: table.header.get(longest_col).cloned(),
            value: Some(table.field(longest_col).chars().take(40).collect()),
            expected: format!(
                "a value shorter than 1 MiB (this one is {longest} bytes: probably a quote that is never closed)"
            ),
        }
        .into());
    }
    // Record id.
    row.external_id.clear();
    for (k, &c) in m.id_cols.iter().enumerate() {
        let v = table.field(c);
        let v = v.trim();
        if k > 0 {
            row.external_id.push('|');
        }
        if !values::is_null(v) {
            row.external_id.push_str(v);
        }
    }
    let id_missing = row.external_id.chars().all(|c| c == '|');
    if id_missing {
        if (0..table.len()).all(|i| values::is_null(&table.field(i))) {
            stats.blank_rows += 1;
            return Ok(RowKind::Skipped);
        }
        if is_footer(table) {
            stats.footer_rows += 1;
            return Ok(RowKind::Skipped);
        }
        let names: Vec<&str> = m.id_cols.iter().map(|&c| table.header[c].as_str()).collect();
        return Err(RowError {
            column: Some(names.join(" + ")),
            value: Some(String::new()),
            expected: "a record id".into(),
        }
        .into());
    }
    if m.id_cols.len() == 1 && looks_like_excel_scientific(&row.external_id) {
        return Err(RowError {
            column: Some(table.header[m.id_cols[0]].clone()),
            value: Some(row.external_id.clone()),
            expected: "a record id; Excel turned this one into scientific notation and lost digits (re-export, or format the column as text before saving)".into(),
        }
        .into());
    }
    if (0..table.len()).any(|i| table.field_has_stray_bytes(i)) {
        stats.stray_bytes_rows += 1;
    }
    // Dates, each column read once.
    for (i, d) in m.dates.iter_mut().enumerate() {
        let raw = table.field(d.col);
        date_values[i] = if values::is_null(&raw) {
            None
        } else {
            match d.read(&raw, line) {
                Ok(s) => Some(s),
                Err(DateProblem::Restart(f)) => return Err(RowProblem::Restart(d.col, f)),
                Err(DateProblem::Invalid(expected)) => {
                    return Err(RowError {
                        column: Some(d.name.clone()),
                        value: Some(raw.trim().to_string()),
                        expected,
                    }
                    .into())
                }
            }
        };
    }
    for slot in row.stage_dates.iter_mut() {
        slot.1 = None;
    }
    for (slot, (_, refs)) in row.stage_dates.iter_mut().zip(&m.stage_dates) {
        slot.1 = refs.iter().filter_map(|&r| date_values[r]).min();
    }
    let date_of = |r: Option<usize>| r.and_then(|r| date_values[r]);
    row.created_at = date_of(m.created);
    // Stage and outcome.
    row.current_stage.clear();
    row.outcome = None;
    row.closed_at = None;
    row.has_stage_info = m.stage_col.is_some() || m.outcome_col.is_some();
    if let Some(c) = m.stage_col {
        let v = table.field(c);
        if !values::is_null(&v) {
            match m.stage_of(&v) {
                Some(s) => row.current_stage.push_str(s),
                None => {
                    let key = v.trim().to_string();
                    if stats.unmapped_stages.len() < 1000 || stats.unmapped_stages.contains_key(&key) {
                        *stats.unmapped_stages.entry(key).or_default() += 1;
                    }
                }
            }
        }
    }
    if let Some(c) = m.converted_col {
        let v = table.field(c);
        if values::parse_bool(&v) == Some(true) && row.current_stage != LOST {
            let here = m.positions.get(row.current_stage.as_str()).copied();
            let target = m.positions.get(&m.converted_stage).copied();
            if here.is_none() || here < target {
                row.current_stage.clear();
                row.current_stage.push_str(&m.converted_stage);
            }
        }
    }
    if row.current_stage == LOST {
        row.outcome = Some(Outcome::Lost);
    } else if row.current_stage == m.last_stage {
        row.outcome = Some(Outcome::Won);
    }
    if let Some(c) = m.outcome_col {
        let v = table.field(c);
        if let Some(o) = m.outcome_of(&v) {
            row.outcome = o;
        }
    }
    match row.outcome {
        Some(Outcome::Won) => {
            row.closed_at = date_of(m.won).or(date_of(m.close));
            if let Some(closed) = row.closed_at {
                let last = m.last_stage.as_str();
                if let Some(slot) = row.stage_dates.iter_mut().find(|(s, _)| s == last) {
                    slot.1 = slot.1.or(Some(closed));
                }
            }
        }
        Some(Outcome::Lost) => row.closed_at = date_of(m.lost).or(date_of(m.close)),
        None => {}
    }
    // Text fields, folded.
    for ((field, c), folder) in m.texts.iter().zip(folders.iter_mut()) {
        let v = table.field(*c);
        let out = text_slot(row, *field);
        if values::is_null(&v) {
            out.clear();
        } else {
            folder.fold_into(&v, out);
        }
    }
    row.company_size = match m.company_size {
        Some(c) => {
            let v = table.field(c);
            if values::is_null(&v) {
                None
            } else {
                Some(values::parse_company_size(&v).ok_or_else(|| RowError {
                    column: Some(table.header[c].clone()),
                    value: Some(v.trim().to_string()),
                    expected: "a number of employees (250, 1 000 or a range like 51-200)".into(),
                })?)
            }
        }
        None => None,
    };
    row.amount = match m.amount {
        Some(c) => {
            let v = table.field(c);
            if values::is_null(&v) {
                None
            } else {
                Some(values::parse_number(&v, m.decimal_mark).ok_or_else(|| RowError {
                    column: Some(table.header[c].clone()),
                    value: Some(v.trim().to_string()),
                    expected: "an amount (1234.56, 1,234.56 or 1 234,56)".into(),
                })?)
            }
        }
        None => None,
    };
    for (slot, (_, c)) in row.custom.iter_mut().zip(&m.custom) {
        let v = table.field(*c);
        slot.1 = if values::is_null(&v) {
            None
        } else {
            Some(v.trim().to_string())
        };
    }
    row.personal.clear();
    if !m.personal.is_empty() {
        let mut obj = serde_json::Map::new();
        for (f, c) in &m.personal {
            let v = table.field(*c);
            if values::is_null(&v) {
                continue;
            }
            let stored = match m.personal_mode {
                PersonalData::Hashed => hash_personal(&v),
                PersonalData::Plain => v.trim().to_string(),
                PersonalData::Skip => continue,
            };
            obj.insert(f.clone(), serde_json::Value::String(stored));
        }
        if !obj.is_empty() {
            row.personal = serde_json::Value::Object(obj).to_string();
        }
    }
    Ok(RowKind::Record)
}

fn text_slot(row: &mut RecordRow, field: baton_store::TextField) -> &mut String {
    use baton_store::TextField::*;
    match field {
        Source => &mut row.source,
        Campaign => &mut row.campaign,
        Owner => &mut row.owner,
        Segment => &mut row.segment,
        Industry => &mut row.industry,
        Country => &mut row.country,
        LostReason => &mut row.lost_reason,
    }
}

/// SHA-256 (hex) of the trimmed, lower-cased value, so the same e-mail hashes alike in every file.
pub fn hash_personal(v: &str) -> String {
    let digest = Sha256::digest(value_key(v).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `1.23457E+11`: a long numeric id after a trip through Excel.
fn looks_like_excel_scientific(id: &str) -> bool {
    let Some((mantissa, exp)) = id.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    !exp.is_empty()
        && exp.chars().all(|c| c.is_ascii_digit())
        && mantissa.contains('.')
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
}
