//! The import itself: one pass over the file, each row turned into a record and upserted
//! inside one transaction.

use crate::mapping::{value_key, Context, DateProblem, Mapping};
use crate::options::{ImportOptions, PersonalData, Profile};
use crate::presets;
use crate::table::{Input, Row, Table, MAX_FIELD_LEN};
use crate::values::{self, DecimalMark, Folder};
use crate::ImportSummary;
use baton_core::dates::DateFormat;
use baton_core::stages::LOST;
use baton_core::{BatonError, Cancel, ErrorCode, Progress, Result};
use baton_store::prelude::*;
use baton_store::{
    EncodedRow, ImportCounts, NewImport, NewReject, Outcome, RecordRow, SpellingFilter, Upserts,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// What an import writes into: the funnel's stages and map to read, the import writer.
pub trait ImportTarget: StageConfig + ImportWriting {}
impl<T: StageConfig + ImportWriting + ?Sized> ImportTarget for T {}

/// Why a row could not be read.
#[derive(Debug, Clone)]
pub(crate) struct RowError {
    pub column: Option<String>,
    pub value: Option<String>,
    pub expected: String,
}

enum Stop {
    Error(BatonError),
    /// Start over: these columns turned out to use these day/month orders.
    Restart(Vec<(usize, DateFormat)>),
}

impl From<BatonError> for Stop {
    fn from(e: BatonError) -> Self {
        Stop::Error(e)
    }
}

/// Import a file or buffer, starting over (rolled back) if a date column's order is only
/// decided after rows read with the other order.
pub(crate) fn run<W: ImportTarget + ?Sized>(
    ws: &mut W,
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
            Err(Stop::Restart(cols)) => decided.extend(cols),
        }
    }
}

fn reopen<'a>(input: &Input<'a>, file_name: &str, sheet: Option<&str>) -> Result<Table<'a>> {
    match input {
        Input::File(p) => Table::open_sheet(Input::File(p), file_name, sheet),
        Input::Bytes(b) => Table::open_sheet(Input::Bytes(b), file_name, sheet),
    }
}

/// The profile to read `table` with: the given one, the named preset or the detected one.
pub(crate) fn choose_profile(
    header: &[String],
    file_name: &str,
    opts: &ImportOptions,
) -> Result<(Profile, String)> {
    if let Some(p) = &opts.profile {
        let name = p.name.clone().unwrap_or_else(|| "profile".into());
        return Ok((p.clone(), name));
    }
    let preset = match &opts.preset {
        Some(name) => presets::by_name(name).ok_or_else(|| {
            BatonError::invalid(format!(
                "there is no preset \"{name}\"; the presets are {}",
                crate::preset_names().join(", ")
            ))
        })?,
        None => presets::detect(header).ok_or_else(|| {
            BatonError::new(ErrorCode::UnknownFormat, format!(
                "{}: not recognised as a HubSpot, Salesforce, Pipedrive or Zoho export (columns: {}); choose a preset or say which column holds what (the record id at least)",
                file_name,
                crate::mapping::shorten_list(header)
            ))
        })?,
    };
    Ok((preset.profile(header), preset.name.to_string()))
}

/// The one month/day order the file's decided date columns agree on, if they agree.
fn file_day_month_order(cols: &[crate::mapping::DateColumn]) -> Option<DateFormat> {
    let mut orders = cols
        .iter()
        .filter_map(|d| d.format_used())
        .filter(|f| matches!(f, DateFormat::Mdy | DateFormat::Dmy));
    let first = orders.next()?;
    orders.all(|f| f == first).then_some(first)
}

/// Formats and decimal mark the first rows point to, from the head of the file.
pub(crate) fn sample_hints(
    input: &Input<'_>,
    file_name: &str,
    date_cols: &[usize],
    amount_col: Option<usize>,
    delimiter: u8,
    sheet: Option<&str>,
    cancel: &Cancel,
) -> (HashMap<usize, DateFormat>, DecimalMark) {
    let mut hints = HashMap::new();
    let mut mark = if delimiter == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    if sheet.is_some() {
        // A workbook: dates and numbers are typed cells, read as they are. Dates typed in as
        // text start with M/D and a row proving D/M starts the import over, as in a CSV
        // past its sampled head; opening the workbook twice would cost more.
        return (hints, DecimalMark::Point);
    }
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
            formats: baton_core::dates::Formats::TEXT_ALL,
            assumed: DateFormat::Mdy,
            order_mattered: None,
            serials: 0,
        });
    }
    let mut rows = 0;
    while rows < 5_000 && t.next_row().unwrap_or(false) {
        rows += 1;
        // The caller checks the flag again and stops; hints from a cancelled sample are unused.
        if rows % 256 == 0 && cancel.is_cancelled() {
            break;
        }
        for d in cols.iter_mut() {
            let v = t.field(d.col);
            if !values::is_null(&v) && t.typed_date(d.col).is_none() {
                if let Some(p) = baton_core::dates::parse(&v) {
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
    for d in &cols {
        if let Some(f) = d.formats.decided() {
            hints.insert(d.col, f);
        }
    }
    // Columns the sample cannot decide start with the order of the others, when they agree.
    if let Some(order) = file_day_month_order(&cols) {
        for d in &cols {
            hints.entry(d.col).or_insert(order);
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
        (Some(p), Some(c)) => Some(if p > c {
            DecimalMark::Point
        } else {
            DecimalMark::Comma
        }),
        (Some(p), None) if v.matches('.').count() == 1 && v.len() - p - 1 != 3 => {
            Some(DecimalMark::Point)
        }
        (None, Some(c)) if v.matches(',').count() == 1 && v.len() - c - 1 != 3 => {
            Some(DecimalMark::Comma)
        }
        _ => None,
    }
}

/// Wall clock now, as seconds since 1970 of the local wall clock.
pub(crate) fn now_wall_clock() -> i64 {
    chrono::Local::now().naive_local().and_utc().timestamp()
}

pub(crate) fn resolve_mapping(
    ws: &(impl StageConfig + ?Sized),
    table: &Table<'_>,
    input: &Input<'_>,
    opts: &ImportOptions,
    decided: &HashMap<usize, DateFormat>,
    cancel: &Cancel,
) -> Result<Mapping> {
    let (profile, preset_name) = choose_profile(&table.header, &table.file_name, opts)?;
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
    let (sampled, mark) = sample_hints(
        input,
        &table.file_name,
        &date_cols,
        probe.amount,
        table.layout.delimiter,
        table.sheet_info.as_ref().map(|s| s.sheet.as_str()),
        cancel,
    );
    let cx = Context {
        sampled: &sampled,
        decimal_mark: mark,
        ..probe_cx
    };
    Mapping::resolve(&profile, &preset_name, &cx)
}

/// Rows travel from the reading thread to the writing thread in batches this big.
const BATCH: usize = 1024;

// Records are the common case; boxing them would cost an allocation per row.
#[allow(clippy::large_enum_variant)]
enum Item {
    /// A record and its JSON columns, encoded on the reading thread.
    Record(RecordRow, EncodedRow),
    Reject {
        line: u64,
        error: RowError,
        raw: Vec<String>,
    },
}

/// What the reading thread reports when it reaches the end of the file.
struct ReadEnd {
    rows_read: u64,
    /// Why the first rejected row was rejected (line, column, value, expected).
    first_reject: Option<String>,
    warnings: Vec<String>,
    /// Stage values no map named, with their rows (stored as data by the import).
    unmapped_stages: Vec<(String, u64)>,
    bytes_read: u64,
}

fn run_once<W: ImportTarget + ?Sized>(
    ws: &mut W,
    input: &Input<'_>,
    file_name: &str,
    opts: &ImportOptions,
    decided: &HashMap<usize, DateFormat>,
    progress: &mut dyn FnMut(Progress),
    cancel: &Cancel,
) -> std::result::Result<ImportSummary, Stop> {
    check(cancel)?;
    let table = reopen(input, file_name, opts.sheet.as_deref())?;
    progress(Progress {
        phase: "reading".into(),
        done: 0,
        total: table.total_bytes,
    });
    let mapping = resolve_mapping(ws, &table, input, opts, decided, cancel)?;
    check(cancel)?;
    let (profile, _) = choose_profile(&table.header, &table.file_name, opts)?;
    let imported_at = opts.as_of.unwrap_or_else(now_wall_clock);
    let encoding = table.encoding_label();
    let delimiter = table.delimiter_label();
    let sheet = table.sheet_info.as_ref().map(|s| s.sheet.clone());
    let meta = NewImport {
        file_name: file_name.to_string(),
        preset: mapping.preset_name.clone(),
        kind: mapping.kind.clone(),
        encoding: encoding.clone(),
        delimiter: delimiter.clone(),
        imported_at,
        profile: serde_json::to_string(&profile).unwrap_or_else(|_| "{}".into()),
        rollback_journal: opts.rollback_journal,
    };
    let total = table.total_bytes;
    let consumed = table.progress_counter();
    let preset_name = mapping.preset_name.clone();
    let funnel_stages = ws.stages()?;
    let mut tracked = crate::tracking::Tracked::new(&profile, &funnel_stages);
    let mut writer = ws.begin_import(&meta)?;
    let mut folders: Vec<Folder> = Vec::new();
    for (field, _) in &mapping.texts {
        let mut f = Folder::default();
        f.seed(writer.known_values(*field)?);
        folders.push(f);
        check(cancel)?;
    }
    let spellings = writer.spelling_filter();
    let allow_partial = opts.allow_partial;
    let mut counts = ImportCounts::default();
    let mut upserts = Upserts::default();
    progress(Progress {
        phase: "importing".into(),
        done: 0,
        total,
    });
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(3);
    let (recycle_tx, recycle_rx) = std::sync::mpsc::channel::<Vec<Item>>();
    let ended = std::thread::scope(|scope| -> std::result::Result<ReadEnd, Stop> {
        let reader = scope.spawn(move || {
            read_rows(
                table,
                mapping,
                (folders, spellings),
                allow_partial,
                cancel,
                tx,
                recycle_rx,
            )
        });
        let mut last_report = Instant::now();
        let mut write = || -> std::result::Result<(), Stop> {
            for mut batch in rx.iter() {
                let mut rows: Vec<(&RecordRow, &EncodedRow)> = Vec::with_capacity(128);
                if cancel.is_cancelled() {
                    return Err(Stop::Error(BatonError::cancelled()));
                }
                // A batch takes tens of milliseconds in a debug build: look in between
                // too. The writer gets the records of each slice at once.
                for slice in batch.chunks(128) {
                    if cancel.is_cancelled() {
                        return Err(Stop::Error(BatonError::cancelled()));
                    }
                    rows.clear();
                    for item in slice {
                        match item {
                            Item::Record(row, encoded) => {
                                tracked.saw(&row.current_stage);
                                rows.push((row, encoded));
                            }
                            Item::Reject { line, error, raw } => {
                                writer.reject(&NewReject {
                                    row_number: *line,
                                    column: error.column.as_deref(),
                                    value: error.value.as_deref(),
                                    reason: &error.expected,
                                    raw,
                                })?;
                                counts.rejected += 1;
                            }
                        }
                    }
                    writer.upsert_rows(&rows, &mut upserts)?;
                }
                if last_report.elapsed() >= Duration::from_millis(100) {
                    last_report = Instant::now();
                    progress(Progress {
                        phase: "importing".into(),
                        done: consumed.load(std::sync::atomic::Ordering::Relaxed),
                        total,
                    });
                }
                drop(rows);
                batch.retain(|i| matches!(i, Item::Record(..)));
                let _ = recycle_tx.send(batch);
            }
            writer.flush(&mut upserts)?;
            Ok(())
        };
        let written = write();
        // Dropping the receiver stops the reader if the writer stopped first.
        drop(rx);
        let read = reader.join().map_err(|_| {
            Stop::Error(BatonError::internal("the import's reading thread panicked"))
        })?;
        written?;
        read
    })?;
    counts.rows_read = ended.rows_read;
    counts.inserted = upserts.inserted;
    counts.updated = upserts.updated;
    let repeated = upserts.repeated;
    let kept = counts.inserted + counts.updated;
    if too_many_rejected(counts.rejected, kept) && !opts.force {
        // Dropping the writer rolls the transaction back: nothing lands.
        return Err(Stop::Error(too_many_rejected_error(
            file_name,
            counts.rejected,
            kept,
            ended.first_reject.as_deref(),
        )));
    }
    let mut warnings = ended.warnings;
    if repeated > 0 {
        warnings.push(format!(
            "{repeated} row(s) repeated a record id seen earlier in the file; later rows updated the earlier ones"
        ));
    }
    check(cancel)?;
    progress(Progress {
        phase: "saving".into(),
        done: ended.bytes_read,
        total,
    });
    let import_id = writer.import_id();
    writer.set_tracked_stages(&tracked.in_funnel_order(&funnel_stages))?;
    writer.set_unmapped_stages(&ended.unmapped_stages)?;
    writer.finish(&counts, &warnings, cancel)?;
    progress(Progress {
        phase: "done".into(),
        done: ended.bytes_read,
        total,
    });
    Ok(ImportSummary {
        import_id,
        preset: preset_name,
        encoding,
        delimiter,
        sheet,
        rows_read: counts.rows_read,
        inserted: counts.inserted,
        updated: counts.updated,
        rejected: counts.rejected,
        warnings,
    })
}

/// The reading thread: rows to records, sent in batches; stops early on a bad row
/// (unless partial), a date-order restart, or when the writer hangs up.
fn read_rows(
    mut table: Table<'_>,
    mut mapping: Mapping,
    // How to fold case variants, and which spellings the writer was given.
    (mut folders, mut spellings): (Vec<Folder>, SpellingFilter),
    allow_partial: bool,
    cancel: &Cancel,
    tx: std::sync::mpsc::SyncSender<Vec<Item>>,
    recycle: std::sync::mpsc::Receiver<Vec<Item>>,
) -> std::result::Result<ReadEnd, Stop> {
    let template = record_template(&mapping);
    let mut stats = Stats::default();
    let mut date_values: Vec<Option<i64>> = vec![None; mapping.dates.len()];
    let mut rows_read = 0u64;
    let mut first_reject = None;
    let mut spare: Vec<(RecordRow, EncodedRow)> = Vec::new();
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let hung_up = || Stop::Error(BatonError::cancelled());
    while table.next_row()? {
        rows_read += 1;
        if rows_read & 63 == 0 && cancel.is_cancelled() {
            return Err(hung_up());
        }
        if spare.is_empty() {
            if let Ok(old) = recycle.try_recv() {
                spare.extend(old.into_iter().filter_map(|i| match i {
                    Item::Record(r, e) => Some((r, e)),
                    Item::Reject { .. } => None,
                }));
            }
        }
        let (mut row, mut encoded) = spare
            .pop()
            .unwrap_or_else(|| (template.clone(), EncodedRow::default()));
        match fill_row(
            &table,
            &mut mapping,
            &mut folders,
            &mut row,
            &mut date_values,
            &mut stats,
        ) {
            Ok(RowKind::Record) => {
                encoded.encode(&row, &mut spellings);
                batch.push(Item::Record(row, encoded));
            }
            Ok(RowKind::Skipped) => spare.push((row, encoded)),
            Err(RowProblem::Restart(col, f)) => return Err(Stop::Restart(vec![(col, f)])),
            Err(RowProblem::Bad(e)) => {
                if !allow_partial {
                    return Err(Stop::Error(row_error(&table, e)));
                }
                let mut error = e;
                let personal_column = error.column.as_ref().is_some_and(|c| {
                    mapping
                        .personal_cols
                        .iter()
                        .any(|&i| table.header.get(i) == Some(c))
                });
                let personal_value = mapping.personal_mode != PersonalData::Plain
                    && error
                        .value
                        .as_deref()
                        .is_some_and(values::holds_contact_detail);
                if personal_column || personal_value {
                    error.value = error.value.map(|v| redact_value(&v, mapping.personal_mode));
                }
                if first_reject.is_none() {
                    first_reject = Some(describe_row_error(table.line(), &error));
                }
                batch.push(Item::Reject {
                    line: table.line(),
                    error,
                    raw: redact_personal(table.row_strings(), &mapping),
                });
                spare.push((row, encoded));
            }
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            tx.send(full).map_err(|_| hung_up())?;
        }
    }
    if !batch.is_empty() {
        tx.send(batch).map_err(|_| hung_up())?;
    }
    // Exports use one locale: a column that cannot decide follows the file's other columns
    // when they all agree on one order.
    let file_order = file_day_month_order(&mapping.dates);
    let mut follow = Vec::new();
    let mut restart = Vec::new();
    if let Some(order) = file_order {
        for d in mapping.dates.iter().filter(|d| d.is_ambiguous()) {
            if d.assumed == order {
                follow.push(d.col);
            } else {
                restart.push((d.col, order));
            }
        }
    }
    if !restart.is_empty() {
        return Err(Stop::Restart(restart));
    }
    let mut extra_warnings = Vec::new();
    for d in mapping.dates.iter_mut().filter(|d| follow.contains(&d.col)) {
        d.forced = file_order;
        extra_warnings.push(format!(
            "column \"{}\": month/day order not decidable from its own values; read as {} like the file's other date columns",
            d.name,
            file_order.map_or("", DateFormat::label)
        ));
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
                "{}: cannot tell month/day order in column {list}: every value reads as both M/D/YYYY and D/M/YYYY. Choose the date format (mdy or dmy); nothing was imported",
                table.file_name
            ),
        )));
    }
    let mut warnings = table.warnings.clone();
    warnings.extend(table.quote_warning());
    warnings.extend(stats.warnings());
    warnings.extend(date_warnings(&mapping));
    warnings.extend(extra_warnings);
    Ok(ReadEnd {
        rows_read,
        first_reject,
        warnings,
        unmapped_stages: stats.unmapped_stages.into_iter().collect(),
        bytes_read: table.bytes_read(),
    })
}

/// An empty record with a slot for each stage date and custom field the mapping reads.
pub(crate) fn record_template(mapping: &Mapping) -> RecordRow {
    let mut slots: Vec<(String, Option<i64>)> = mapping
        .stage_dates
        .iter()
        .map(|(s, _)| (s.clone(), None))
        .collect();
    // A won record's close date is the date it entered the last stage: keep a slot for it.
    if !slots.iter().any(|(s, _)| *s == mapping.last_stage) {
        slots.push((mapping.last_stage.clone(), None));
    }
    RecordRow {
        stage_dates: slots,
        custom: mapping
            .custom
            .iter()
            .map(|(f, _)| (f.clone(), None))
            .collect(),
        ..RecordRow::default()
    }
}

fn check(cancel: &Cancel) -> Result<()> {
    if cancel.is_cancelled() {
        Err(BatonError::cancelled())
    } else {
        Ok(())
    }
}

/// More than half of the rows that are not blank or footers were rejected.
pub(crate) fn too_many_rejected(rejected: u64, kept: u64) -> bool {
    rejected > kept
}

/// Refusal of a partial import that would keep aside most of the file.
pub(crate) fn too_many_rejected_error(
    file_name: &str,
    rejected: u64,
    kept: u64,
    first: Option<&str>,
) -> BatonError {
    let total = rejected + kept;
    let first = first
        .map(|f| format!(" (the first: {f})"))
        .unwrap_or_default();
    BatonError::new(
        ErrorCode::TooManyRejected,
        format!(
            "{file_name}: {rejected} of {total} rows could not be read as records{first}, and only {kept} would be imported. The file is probably not read as intended: check the preset, the delimiter and the column mapping in the preview. Nothing was imported; to import the {kept} row(s) that could be read anyway, confirm the partial import"
        ),
    )
}

/// `row at line N, column "C": found "v", expected …`, for messages.
pub(crate) fn describe_row_error(line: u64, e: &RowError) -> String {
    let mut msg = format!("row at line {line}");
    if let Some(c) = &e.column {
        msg.push_str(&format!(", column \"{c}\""));
    }
    match &e.value {
        Some(v) => msg.push_str(&format!(": found \"{}\", expected {}", clip(v), e.expected)),
        None => msg.push_str(&format!(": {}", e.expected)),
    }
    msg
}

/// The error for a bad row when the import is not partial.
fn row_error(table: &Table<'_>, e: RowError) -> BatonError {
    let mut msg = format!(
        "{}, {}",
        table.file_name,
        describe_row_error(table.line(), &e)
    );
    msg.push_str(
        ". Nothing was imported; fix the file or allow a partial import to keep the bad rows aside",
    );
    BatonError::invalid(msg)
}

fn clip(v: &str) -> String {
    if v.chars().count() > 80 {
        format!("{}…", v.chars().take(80).collect::<String>())
    } else {
        v.to_string()
    }
}

pub(crate) enum RowKind {
    Record,
    Skipped,
}

pub(crate) enum RowProblem {
    Bad(RowError),
    Restart(usize, DateFormat),
}

impl From<RowError> for RowProblem {
    fn from(e: RowError) -> Self {
        RowProblem::Bad(e)
    }
}

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) blank_rows: u64,
    pub(crate) footer_rows: u64,
    unmapped_stages: BTreeMap<String, u64>,
    stray_bytes_rows: u64,
    /// Column(s) → values stored hashed because they held an e-mail address or a phone
    /// number while personal data is not stored as read.
    hashed_contact_details: BTreeMap<String, u64>,
}

impl Stats {
    fn count_hashed<R: Row>(&mut self, table: &R, cols: &[usize]) {
        let name = cols
            .iter()
            .map(|&c| table.header()[c].as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        *self.hashed_contact_details.entry(name).or_default() += 1;
    }

    /// What the rows told (skipped, unmapped, hashed), for the import and the preview.
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.footer_rows > 0 {
            w.push(format!(
                "skipped {} footer/total row(s) (e.g. \"Grand Totals\", \"Confidential Information\", \"Copyright\", \"Generated By\" and the lines after them)",
                self.footer_rows
            ));
        }
        if self.blank_rows > 0 {
            w.push(format!("skipped {} empty row(s)", self.blank_rows));
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
        for (column, n) in &self.hashed_contact_details {
            w.push(format!(
                "column \"{column}\": {n} value(s) looked like an e-mail address or a phone number; they were stored as SHA-256 hashes, since names, e-mails and phones are not stored as read (to keep them, choose to store personal data as read; to leave them out, do not import the column)"
            ));
        }
        if self.stray_bytes_rows > 0 {
            w.push(format!(
                "{} row(s) had bytes that are not UTF-8; they were read as Windows-1252",
                self.stray_bytes_rows
            ));
        }
        w
    }
}

/// How the date columns were read, once the whole file was.
fn date_warnings(mapping: &Mapping) -> Vec<String> {
    let mut w = Vec::new();
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
    "generated by",
    "généré par",
    "erstellt von",
];

/// Number of non-null cells in the row, counting up to 2.
fn filled_cells<R: Row>(table: &R) -> usize {
    (0..table.width())
        .filter(|&i| !values::is_null(&table.field(i)))
        .take(2)
        .count()
}

fn is_footer<R: Row>(table: &R) -> bool {
    let mut non_null = (0..table.width()).filter(|&i| !values::is_null(&table.field(i)));
    let Some(first) = non_null.next() else {
        return false;
    };
    let text = table.field(first).trim().to_lowercase();
    FOOTER_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// A grouped report's subtotal or group heading in a workbook (see [`crate::sheet::is_subtotal_row`]).
fn is_sheet_subtotal<R: Row>(table: &R) -> bool {
    if !table.is_workbook_row() {
        return false;
    }
    let cells: Vec<std::borrow::Cow<'_, str>> =
        (0..table.width()).map(|i| table.field(i)).collect();
    let values: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
    crate::sheet::is_subtotal_row(&values)
}

pub(crate) fn fill_row<R: Row>(
    table: &R,
    m: &mut Mapping,
    folders: &mut [Folder],
    row: &mut RecordRow,
    date_values: &mut [Option<i64>],
    stats: &mut Stats,
) -> std::result::Result<RowKind, RowProblem> {
    let line = table.line();
    // Rows wider than the header.
    if table.width() > table.raw_width() {
        let extra = (table.raw_width()..table.width()).find(|&i| !table.field(i).trim().is_empty());
        if let Some(i) = extra {
            return Err(RowError {
                column: None,
                value: Some(table.field(i).into_owned()),
                expected: format!(
                    "at most {} values (the header has {} columns) but the row has {}",
                    table.raw_width(),
                    table.raw_width(),
                    table.width()
                ),
            }
            .into());
        }
    }
    if let Some(q) = table.quote_problem() {
        if q.last_line > q.first_line {
            return Err(RowError {
                column: table.header().get(q.column).cloned(),
                value: Some(clip(&table.field(q.column))),
                expected: format!(
                    "a quote closed at the end of its value, but the quote opened on line {} closes on line {} and more text follows it: probably a quote that is never closed, which joined lines {}-{} into one value",
                    q.first_line, q.last_line, q.first_line, q.last_line
                ),
            }
            .into());
        }
    }
    let (longest_col, longest) = table.longest_field();
    if longest > MAX_FIELD_LEN {
        return Err(RowError {
            column: table.header().get(longest_col).cloned(),
            value: Some(table.field(longest_col).chars().take(40).collect()),
            expected: format!(
                "a value shorter than 1 MiB (this one is {longest} bytes: probably a quote that is never closed)"
            ),
        }
        .into());
    }
    // Report furniture: a footer line, and once one is seen, every single-cell line after
    // it (`Generated By: …`, the company's name), wherever that cell sits.
    if filled_cells(table) == 1 && (stats.footer_rows > 0 || is_footer(table)) {
        stats.footer_rows += 1;
        return Ok(RowKind::Skipped);
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
        if (0..table.width()).all(|i| values::is_null(&table.field(i))) {
            stats.blank_rows += 1;
            return Ok(RowKind::Skipped);
        }
        if is_footer(table) || is_sheet_subtotal(table) {
            stats.footer_rows += 1;
            return Ok(RowKind::Skipped);
        }
        let names: Vec<&str> = m
            .id_cols
            .iter()
            .map(|&c| table.header()[c].as_str())
            .collect();
        return Err(RowError {
            column: Some(names.join(" + ")),
            value: Some(String::new()),
            expected: "a record id".into(),
        }
        .into());
    }
    if m.id_cols.len() == 1 && looks_like_excel_scientific(&row.external_id) {
        return Err(RowError {
            column: Some(table.header()[m.id_cols[0]].clone()),
            value: Some(row.external_id.clone()),
            expected: "a record id; Excel turned this one into scientific notation and lost digits (re-export, or format the column as text before saving)".into(),
        }
        .into());
    }
    if m.hash_key {
        // Names as a record key: keep a stable digest (upserts still match), not the names.
        let digest = Sha256::digest(row.external_id.as_bytes());
        row.external_id.clear();
        push_hex(&digest, &mut row.external_id);
    } else if m.personal_mode != PersonalData::Plain
        && values::holds_contact_detail(&row.external_id)
    {
        // An e-mail or phone as the id is personal data: a stable digest, like name keys.
        let hashed = hash_personal(&row.external_id);
        row.external_id = hashed;
        stats.count_hashed(table, &m.id_cols);
    }
    if table.row_has_stray_bytes() {
        stats.stray_bytes_rows += 1;
    }
    // Dates, each column read once.
    for (i, d) in m.dates.iter_mut().enumerate() {
        let raw = table.field(d.col);
        date_values[i] = if values::is_null(&raw) {
            None
        } else if let Some(typed) = table.typed_date(d.col) {
            // A workbook's date cell: taken as it is.
            Some(typed)
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
                    if stats.unmapped_stages.len() < 1000
                        || stats.unmapped_stages.contains_key(&key)
                    {
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
    if let Some(c) = m.closed_col {
        // Salesforce's IsClosed/IsWon flags hold whatever the org named its stages: a
        // won record is at the last stage, a closed one that is not won is lost.
        if row.outcome == Some(Outcome::Won) {
            row.current_stage.clear();
            row.current_stage.push_str(&m.last_stage);
        } else if values::parse_bool(&table.field(c)) == Some(true) {
            row.outcome = Some(Outcome::Lost);
            row.current_stage.clear();
            row.current_stage.push_str(LOST);
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
            if m.personal_mode != PersonalData::Plain && values::holds_contact_detail(out) {
                *out = hash_personal(out);
                stats.count_hashed(table, &[*c]);
            }
        }
    }
    row.company_size = match m.company_size {
        Some(c) => {
            let v = table.field(c);
            if values::is_null(&v) {
                None
            } else {
                Some(values::parse_company_size(&v).ok_or_else(|| RowError {
                    column: Some(table.header()[c].clone()),
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
                Some(
                    values::parse_number(&v, m.decimal_mark).ok_or_else(|| RowError {
                        column: Some(table.header()[c].clone()),
                        value: Some(v.trim().to_string()),
                        expected: "an amount (1234.56, 1,234.56 or 1 234,56)".into(),
                    })?,
                )
            }
        }
        None => None,
    };
    for (slot, (_, c)) in row.custom.iter_mut().zip(&m.custom) {
        let v = table.field(*c);
        slot.1 = if values::is_null(&v) {
            None
        } else if m.personal_mode != PersonalData::Plain && values::holds_contact_detail(&v) {
            stats.count_hashed(table, &[*c]);
            Some(hash_personal(&v))
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
    let mut out = String::with_capacity(64);
    push_hex(&digest, &mut out);
    out
}

fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
}

/// A rejected row as kept in the workspace: personal cells blanked, or hashed when the
/// import stores personal data hashed, unless it stores them plain.
fn redact_personal(mut raw: Vec<String>, m: &Mapping) -> Vec<String> {
    if m.personal_mode == PersonalData::Plain {
        return raw;
    }
    for (c, v) in raw.iter_mut().enumerate() {
        // A cell holding an e-mail or phone is personal whatever its column (a whole row
        // read into one cell, an id column of e-mails).
        if m.personal_cols.contains(&c) || values::holds_contact_detail(v) {
            *v = redact_value(v, m.personal_mode);
        }
    }
    raw
}

fn redact_value(v: &str, mode: PersonalData) -> String {
    match mode {
        PersonalData::Plain => v.to_string(),
        PersonalData::Hashed if !values::is_null(v) => hash_personal(v),
        _ => String::new(),
    }
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
