//! Spreadsheet exports (`.xlsx`, `.xls`, `.ods`) read with `calamine` into the same row
//! stream a CSV gives: the sheet chosen (or the first with data), title rows above the
//! header skipped, merged cells filled with their value, typed cells rendered as text
//! (dates as the workbook displays them, with their exact time kept aside for date columns).
//!
//! An `.xlsx` sheet is streamed cell by cell on its own thread (bounded channel), so memory
//! stays bounded whatever the sheet's size; `calamine` loads `.xls` and `.ods` sheets whole.

use crate::presets;
use crate::table::Input;
use baton_core::dates::days_from_civil;
use baton_core::{BatonError, ErrorCode, Result};
use calamine::{
    CellErrorType, Data, DataRef, Dimensions, ExcelDateTime, Ods, OdsError, Reader, Xls, XlsError,
    Xlsx, XlsxError,
};
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Arc;

/// Rows examined to find the header below title rows.
const HEADER_SCAN_ROWS: usize = 30;
/// Rows sent from the sheet's reading thread at a time.
const SHEET_BATCH: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "XLSX workbook",
            Format::Xls => "XLS workbook",
            Format::Ods => "ODS spreadsheet",
        }
    }
}

/// What a spreadsheet table was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetInfo {
    pub format: Format,
    /// The sheet read.
    pub sheet: String,
    /// Every worksheet of the workbook, in order.
    pub sheets: Vec<String>,
}

/// One row of a sheet: its 1-based number, its cells as text, typed dates aside.
#[derive(Debug, Clone, Default)]
pub struct SheetRow {
    pub number: u64,
    pub cells: Vec<String>,
    /// (column, wall-clock seconds) of the cells holding a date.
    pub dates: Vec<(usize, i64)>,
}

impl SheetRow {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The rows of the chosen sheet, pulled from its reading thread.
pub struct SheetRows {
    rx: Option<Receiver<Result<Vec<SheetRow>>>>,
    /// Rows read go back to the sheet's thread, which fills them again (no allocation per cell).
    recycle: Sender<SheetRow>,
    queue: VecDeque<SheetRow>,
    pub current: SheetRow,
    /// Cells left of the header's first column are not part of the table.
    pub offset: usize,
    consumed: Arc<AtomicU64>,
}

impl SheetRows {
    /// Advance to the next non-blank row; `false` at the end of the sheet.
    pub fn next(&mut self) -> Result<bool> {
        loop {
            if let Some(row) = self.queue.pop_front() {
                if row.is_blank() {
                    continue;
                }
                self.consumed.store(row.number, Ordering::Relaxed);
                let old = std::mem::replace(&mut self.current, row);
                let _ = self.recycle.send(old);
                return Ok(true);
            }
            let Some(rx) = &self.rx else {
                self.current = SheetRow::default();
                return Ok(false);
            };
            match rx.recv() {
                Ok(Ok(batch)) => self.queue.extend(batch),
                Ok(Err(e)) => {
                    self.rx = None;
                    return Err(e);
                }
                Err(_) => self.rx = None,
            }
        }
    }

    /// Cells up to the row's last filled one (rows are reused, so trailing cells may be
    /// left over empty from a wider row).
    pub fn len(&self) -> usize {
        let cells = &self.current.cells;
        let end = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        end.saturating_sub(self.offset)
    }

    pub fn field(&self, i: usize) -> &str {
        self.current
            .cells
            .get(i + self.offset)
            .map_or("", String::as_str)
    }

    pub fn date(&self, i: usize) -> Option<i64> {
        let col = i + self.offset;
        self.current
            .dates
            .iter()
            .find(|(c, _)| *c == col)
            .map(|&(_, s)| s)
    }
}

/// The table a spreadsheet opens to, for [`crate::table::Table::from_sheet`].
pub struct Opened {
    pub info: SheetInfo,
    pub rows: SheetRows,
    pub header: Vec<String>,
    pub header_row: u64,
    /// Rows in the sheet (for progress), when the workbook says.
    pub total_rows: Option<u64>,
    pub consumed: Arc<AtomicU64>,
}

fn extension(file_name: &str) -> String {
    std::path::Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the input is a workbook, from its first bytes (then its name).
pub fn detect(input: &Input<'_>, file_name: &str) -> Result<Option<Format>> {
    let mut head = [0u8; 96];
    let n = match input {
        Input::Bytes(b) => {
            let n = b.len().min(head.len());
            head[..n].copy_from_slice(&b[..n]);
            n
        }
        Input::File(p) => {
            let mut f = File::open(p).map_err(|e| BatonError::io(p.display(), e))?;
            let mut n = 0;
            while n < head.len() {
                match f.read(&mut head[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) => return Err(BatonError::io(p.display(), e)),
                }
            }
            n
        }
    };
    let head = &head[..n];
    let ext = extension(file_name);
    let named = match ext.as_str() {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "xls" => Some(Format::Xls),
        "ods" => Some(Format::Ods),
        _ => None,
    };
    if head.starts_with(b"PK\x03\x04") {
        let ods = head.len() > 38 && &head[30..38] == b"mimetype" && {
            let rest = &head[38..];
            rest.windows(24).any(|w| w == b"opendocument.spreadsheet")
        };
        return Ok(Some(if ods || named == Some(Format::Ods) {
            Format::Ods
        } else {
            Format::Xlsx
        }));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE container: a legacy workbook, or an encrypted (password-protected) xlsx.
        return Ok(Some(if named == Some(Format::Xlsx) {
            Format::Xlsx
        } else {
            Format::Xls
        }));
    }
    if let Some(f) = named {
        if head.is_empty() {
            return Err(BatonError::invalid(format!(
                "{file_name}: the file is empty (0 bytes), not a {}",
                f.label()
            )));
        }
    }
    Ok(named)
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}
type Source = Box<dyn ReadSeek>;

fn source(input: &Input<'_>) -> Result<Source> {
    Ok(match input {
        Input::File(p) => Box::new(BufReader::with_capacity(
            256 * 1024,
            File::open(p).map_err(|e| BatonError::io(p.display(), e))?,
        )),
        Input::Bytes(b) => Box::new(Cursor::new(b.to_vec())),
    })
}

fn password_error(file_name: &str) -> BatonError {
    BatonError::new(
        ErrorCode::PasswordProtected,
        format!(
            "{file_name}: the workbook is protected with a password, so Baton cannot read it. Open it in Excel or LibreOffice, save a copy without the password (or export it as CSV) and import that"
        ),
    )
}

fn damaged(file_name: &str, format: Format, what: impl std::fmt::Display) -> BatonError {
    BatonError::invalid(format!(
        "{file_name}: not a readable {} ({what}); the file may be damaged or only partly downloaded: export it again",
        format.label()
    ))
}

/// Open a workbook, choose the sheet, find the header row and start streaming the rows.
pub fn open(
    format: Format,
    input: &Input<'_>,
    file_name: &str,
    wanted: Option<&str>,
) -> Result<Opened> {
    let consumed = Arc::new(AtomicU64::new(0));
    let (tx, rx) = sync_channel::<Result<Vec<SheetRow>>>(8);
    let (recycle, spare) = channel::<SheetRow>();
    let tx = Out { tx, spare };
    let (info, total_rows) = match format {
        Format::Xlsx => open_xlsx(input, file_name, wanted, tx)?,
        Format::Xls => {
            let wb: Xls<Source> = match calamine::open_workbook_from_rs(source(input)?) {
                Ok(wb) => wb,
                Err(XlsError::Password) => return Err(password_error(file_name)),
                Err(e) => {
                    // An encrypted xlsx is an OLE container too.
                    if let Err(XlsxError::Password) =
                        calamine::open_workbook_from_rs::<Xlsx<Source>, _>(source(input)?)
                    {
                        return Err(password_error(file_name));
                    }
                    return Err(damaged(file_name, format, e));
                }
            };
            open_loaded(wb, format, file_name, wanted, tx, |wb, name| {
                wb.merge_cells_by_sheet_name(name).unwrap_or_default()
            })?
        }
        Format::Ods => {
            let wb: Ods<Source> = match calamine::open_workbook_from_rs(source(input)?) {
                Ok(wb) => wb,
                Err(OdsError::Password) => return Err(password_error(file_name)),
                Err(e) => return Err(damaged(file_name, format, e)),
            };
            let merges = |_: &Ods<Source>, name: &str| -> Vec<Dimensions> {
                source(input)
                    .ok()
                    .and_then(|src| crate::sheet_merges::ods_merged_regions(src, name).ok())
                    .unwrap_or_default()
            };
            open_loaded(wb, format, file_name, wanted, tx, merges)?
        }
    };
    let mut rows = SheetRows {
        rx: Some(rx),
        recycle,
        queue: VecDeque::new(),
        current: SheetRow::default(),
        offset: 0,
        consumed: consumed.clone(),
    };
    let mut head = Vec::new();
    while head.len() < HEADER_SCAN_ROWS && rows.next()? {
        head.push(std::mem::take(&mut rows.current));
    }
    if head.is_empty() {
        return Err(BatonError::invalid(format!(
            "{file_name}: sheet \"{}\" has no data",
            info.sheet
        )));
    }
    let at = header_index(&head);
    let header_row = head[at].clone();
    let offset = header_row
        .cells
        .iter()
        .position(|c| !c.trim().is_empty())
        .unwrap_or(0);
    let width = header_row
        .cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    let header = header_row.cells[offset..width].to_vec();
    for row in head.into_iter().skip(at + 1).rev() {
        rows.queue.push_front(row);
    }
    rows.offset = offset;
    consumed.store(header_row.number, Ordering::Relaxed);
    Ok(Opened {
        info,
        rows,
        header,
        header_row: header_row.number,
        total_rows,
        consumed,
    })
}

/// The header row among the first rows of a sheet: the first whose names a preset knows,
/// else the first with at least two distinct text values and more than half as many as the
/// widest row (report titles, "As of" and filter lines hold one or two values).
fn header_index(rows: &[SheetRow]) -> usize {
    let names = |r: &SheetRow| -> Vec<String> {
        r.cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| c.trim().to_string())
            .collect()
    };
    let distinct = |r: &SheetRow| -> usize {
        let mut seen: Vec<String> = Vec::new();
        for n in names(r) {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        seen.len()
    };
    if let Some(i) = rows
        .iter()
        .position(|r| distinct(r) >= 2 && presets::detect(&names(r)).is_some())
    {
        return i;
    }
    let widest = rows.iter().map(distinct).max().unwrap_or(0);
    rows.iter()
        .position(|r| {
            let d = distinct(r);
            d >= 2 && d * 2 > widest && r.dates.is_empty() && !names(r).iter().all(|n| is_number(n))
        })
        .unwrap_or(0)
}

fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok()
}

/// Choose the sheet: the one asked for (case and spaces ignored), else the first with data.
fn choose_sheet(
    file_name: &str,
    sheets: &[String],
    wanted: Option<&str>,
    mut has_data: impl FnMut(&str) -> Result<bool>,
) -> Result<String> {
    let list = || {
        sheets
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(w) = wanted {
        let key = w.trim().to_lowercase();
        return sheets
            .iter()
            .find(|s| s.trim().to_lowercase() == key)
            .cloned()
            .ok_or_else(|| {
                BatonError::not_found(format!(
                    "{file_name}: no sheet named \"{w}\"; its sheets are {}",
                    list()
                ))
            });
    }
    for s in sheets {
        if has_data(s)? {
            return Ok(s.clone());
        }
    }
    Err(BatonError::invalid(if sheets.is_empty() {
        format!("{file_name}: the workbook has no worksheet")
    } else {
        format!(
            "{file_name}: the workbook is empty: no data in its sheet(s) {}",
            list()
        )
    }))
}

fn worksheet_names<RS: Read + Seek, R: Reader<RS>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

fn open_xlsx(
    input: &Input<'_>,
    file_name: &str,
    wanted: Option<&str>,
    tx: Out,
) -> Result<(SheetInfo, Option<u64>)> {
    let format = Format::Xlsx;
    let mut wb: Xlsx<Source> = match calamine::open_workbook_from_rs(source(input)?) {
        Ok(wb) => wb,
        Err(XlsxError::Password) => return Err(password_error(file_name)),
        Err(e) => return Err(damaged(file_name, format, e)),
    };
    let sheets = worksheet_names(&wb);
    let sheet = choose_sheet(file_name, &sheets, wanted, |name| {
        let mut cells = wb
            .worksheet_cells_reader(name)
            .map_err(|e| damaged(file_name, format, e))?;
        while let Some(c) = cells
            .next_cell()
            .map_err(|e| damaged(file_name, format, e))?
        {
            if !matches!(c.get_value(), DataRef::Empty) {
                return Ok(true);
            }
        }
        Ok(false)
    })?;
    let total = wb
        .worksheet_cells_reader(&sheet)
        .map(|c| u64::from(c.dimensions().end.0) + 1)
        .ok();
    let merges = crate::sheet_merges::merged_regions(source(input)?, &sheet)
        .map_err(|e| damaged(file_name, format, e))?;
    let name = sheet.clone();
    let file = file_name.to_string();
    std::thread::spawn(move || {
        let mut cells = match wb.worksheet_cells_reader(&name) {
            Ok(c) => c,
            Err(e) => {
                let _ = tx.tx.send(Err(damaged(&file, format, e)));
                return;
            }
        };
        // The date format of each style, by style id (looked up for every cell).
        let formats: Vec<Option<Vec<Tok>>> = cells
            .styles()
            .iter()
            .map(|s| {
                s.number_format
                    .as_ref()
                    .and_then(|f| compile_date_format(&f.format_code))
            })
            .collect();
        let mut rows = RowBuilder::new(merges, tx);
        loop {
            match cells.next_cell_with_style_id() {
                Ok(Some((cell, style))) => {
                    let (r, c) = cell.get_position();
                    let fmt = formats.get(style).and_then(|f| f.as_deref());
                    if !rows.push(r, c, value_of_ref(cell.get_value()), fmt) {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    rows.fail(damaged(&file, format, e));
                    return;
                }
            }
        }
        rows.finish();
    });
    Ok((
        SheetInfo {
            format,
            sheet,
            sheets,
        },
        total,
    ))
}

/// `.xls` and `.ods`: calamine reads the sheet whole; its rows are then sent like a stream.
fn open_loaded<RS: Read + Seek, R: Reader<RS>>(
    mut wb: R,
    format: Format,
    file_name: &str,
    wanted: Option<&str>,
    tx: Out,
    merges: impl Fn(&R, &str) -> Vec<Dimensions>,
) -> Result<(SheetInfo, Option<u64>)>
where
    R::Error: std::fmt::Display,
{
    let sheets = worksheet_names(&wb);
    let mut ranges: HashMap<String, calamine::Range<Data>> = HashMap::new();
    let sheet = choose_sheet(file_name, &sheets, wanted, |name| {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| damaged(file_name, format, e))?;
        let data = range
            .used_cells()
            .any(|(_, _, v)| !matches!(v, Data::Empty));
        ranges.insert(name.to_string(), range);
        Ok(data)
    })?;
    let range = match ranges.remove(&sheet) {
        Some(r) => r,
        None => wb
            .worksheet_range(&sheet)
            .map_err(|e| damaged(file_name, format, e))?,
    };
    drop(ranges);
    let merges = merges(&wb, &sheet);
    let total = range.end().map(|(r, _)| u64::from(r) + 1);
    std::thread::spawn(move || {
        let mut rows = RowBuilder::new(merges, tx);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (i, row) in range.rows().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if matches!(v, Data::Empty) {
                    continue;
                }
                if !rows.push(r0 + i as u32, c0 + j as u32, value_of(v), None) {
                    return;
                }
            }
        }
        rows.finish();
    });
    Ok((
        SheetInfo {
            format,
            sheet,
            sheets,
        },
        total,
    ))
}

/// Assembles cells (in row order) into rows, fills merged regions with their first cell's
/// value, and sends the rows in batches.
struct RowBuilder {
    /// Merged regions not reached yet, by start row (last = next).
    pending: Vec<Dimensions>,
    /// Merged regions being filled, with their value.
    active: Vec<(Dimensions, String, Option<i64>)>,
    row: Option<SheetRow>,
    batch: Vec<SheetRow>,
    tx: SyncSender<Result<Vec<SheetRow>>>,
    spare: Receiver<SheetRow>,
}

/// Where a sheet's reading thread sends rows, and gets back the rows read.
struct Out {
    tx: SyncSender<Result<Vec<SheetRow>>>,
    spare: Receiver<SheetRow>,
}

impl RowBuilder {
    fn new(mut merges: Vec<Dimensions>, out: Out) -> Self {
        let Out { tx, spare } = out;
        merges.sort_by_key(|m| std::cmp::Reverse(m.start));
        Self {
            pending: merges,
            active: Vec::new(),
            row: None,
            batch: Vec::with_capacity(SHEET_BATCH),
            tx,
            spare,
        }
    }

    /// Add a cell; `false` when the reader hung up (stop reading).
    fn push(&mut self, r: u32, c: u32, v: Value<'_>, date_format: Option<&[Tok]>) -> bool {
        let number = u64::from(r) + 1;
        if self.row.as_ref().is_some_and(|row| row.number != number) {
            let done = self.row.take().expect("row");
            if !self.emit(done) {
                return false;
            }
        }
        if self.row.is_none() {
            let mut row = self.spare.try_recv().unwrap_or_default();
            row.number = number;
            row.dates.clear();
            row.cells.iter_mut().for_each(String::clear);
            self.row = Some(row);
        }
        let row = self.row.as_mut().expect("row");
        let c = c as usize;
        if row.cells.len() <= c {
            row.cells.resize(c + 1, String::new());
        }
        let out = &mut row.cells[c];
        out.clear();
        if let Some(d) = render_into(v, date_format, out) {
            row.dates.push((c, d));
        }
        true
    }

    fn emit(&mut self, mut row: SheetRow) -> bool {
        let r = (row.number - 1) as u32;
        // Regions starting above this row that were never given a cell still end somewhere.
        while self.pending.last().is_some_and(|m| m.start.0 <= r) {
            let m = self.pending.pop().expect("merge");
            let (text, date) = if m.start.0 == r {
                let c = m.start.1 as usize;
                let date = row.dates.iter().find(|(k, _)| *k == c).map(|&(_, d)| d);
                (row.cells.get(c).cloned().unwrap_or_default(), date)
            } else {
                (String::new(), None)
            };
            self.active.push((m, text, date));
        }
        for (m, text, date) in &self.active {
            if text.is_empty() || r < m.start.0 || r > m.end.0 {
                continue;
            }
            for c in m.start.1..=m.end.1 {
                let c = c as usize;
                if (r, c as u32) == m.start {
                    continue;
                }
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                if row.cells[c].is_empty() {
                    row.cells[c] = text.clone();
                    if let Some(d) = date {
                        row.dates.push((c, *d));
                    }
                }
            }
        }
        self.active.retain(|(m, _, _)| m.end.0 > r);
        self.batch.push(row);
        if self.batch.len() == SHEET_BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(SHEET_BATCH));
            return self.tx.send(Ok(full)).is_ok();
        }
        true
    }

    fn finish(mut self) {
        if let Some(row) = self.row.take() {
            if !self.emit(row) {
                return;
            }
        }
        if !self.batch.is_empty() {
            let _ = self.tx.send(Ok(std::mem::take(&mut self.batch)));
        }
    }

    fn fail(mut self, e: BatonError) {
        if let Some(row) = self.row.take() {
            let _ = self.emit(row);
        }
        if !self.batch.is_empty() {
            let _ = self.tx.send(Ok(std::mem::take(&mut self.batch)));
        }
        let _ = self.tx.send(Err(e));
    }
}

/// A cell's value, whichever reader gave it.
enum Value<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(&'a ExcelDateTime),
    DateIso(&'a str),
    DurationIso(&'a str),
    Error(&'a CellErrorType),
}

fn value_of(v: &Data) -> Value<'_> {
    match v {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s),
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Date(d),
        Data::DateTimeIso(s) => Value::DateIso(s),
        Data::DurationIso(s) => Value::DurationIso(s),
        Data::Error(e) => Value::Error(e),
    }
}

fn value_of_ref<'a>(v: &'a DataRef<'_>) -> Value<'a> {
    match v {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s),
        DataRef::Int(i) => Value::Int(*i),
        DataRef::Float(f) => Value::Float(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => Value::Date(d),
        DataRef::DateTimeIso(s) => Value::DateIso(s),
        DataRef::DurationIso(s) => Value::DurationIso(s),
        DataRef::Error(e) => Value::Error(e),
    }
}

/// A date's parts: year, month, day, hour, minute, second.
type Parts = (i64, u32, u32, u32, u32, u32);

/// A cell as text into `out`; its wall-clock seconds when it holds a date.
fn render_into(v: Value<'_>, date_format: Option<&[Tok]>, out: &mut String) -> Option<i64> {
    use std::fmt::Write;
    match v {
        Value::Empty => None,
        Value::Text(s) | Value::DurationIso(s) => {
            out.push_str(s);
            None
        }
        Value::Int(i) => {
            push_int(out, i);
            None
        }
        Value::Float(f) => {
            // Plain text: no exponent, no thousands separator, `.` for decimals.
            if f.fract() == 0.0 && f.abs() < 1e15 {
                push_int(out, f as i64);
            } else {
                let _ = write!(out, "{f}");
            }
            None
        }
        Value::Bool(b) => {
            out.push_str(if b { "TRUE" } else { "FALSE" });
            None
        }
        Value::Error(e) => {
            let _ = write!(out, "{e}");
            None
        }
        Value::Date(d) if d.is_duration() => {
            let secs = (d.as_f64() * 86_400.0).round() as i64;
            let _ = write!(
                out,
                "{}:{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            None
        }
        Value::Date(d) => render_date(d, date_format, out),
        Value::DateIso(s) => match parse_iso(s) {
            Some(parts) => {
                iso(parts, out);
                Some(seconds(parts))
            }
            None => {
                out.push_str(s);
                None
            }
        },
    }
}

/// A date cell as the workbook shows it into `out`; its wall-clock seconds.
fn render_date(d: &ExcelDateTime, date_format: Option<&[Tok]>, out: &mut String) -> Option<i64> {
    let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
    let mut parts: Parts = (
        i64::from(y),
        u32::from(mo),
        u32::from(da),
        u32::from(h),
        u32::from(mi),
        u32::from(s),
    );
    let mut secs = seconds(parts);
    if ms >= 500 {
        secs += 1;
        parts = parts_of(secs);
    }
    match date_format {
        Some(toks) => format_date(toks, parts, out),
        None => iso(parts, out),
    }
    Some(secs)
}

/// `v` in decimal (as `{v}`).
fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    match u32::try_from(v.unsigned_abs()) {
        Ok(n) => push_digits(out, n, 1),
        Err(_) => {
            use std::fmt::Write;
            let _ = write!(out, "{}", v.unsigned_abs());
        }
    }
}

fn seconds((y, m, d, h, mi, s): Parts) -> i64 {
    days_from_civil(y, m, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s)
}

fn parts_of(secs: i64) -> Parts {
    let dt = chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .naive_utc();
    use chrono::{Datelike, Timelike};
    (
        i64::from(dt.year()),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
    )
}

fn iso((y, m, d, h, mi, s): Parts, out: &mut String) {
    push_year(out, y);
    out.push('-');
    push_digits(out, m, 2);
    out.push('-');
    push_digits(out, d, 2);
    if (h, mi, s) != (0, 0, 0) {
        out.push(' ');
        push_digits(out, h, 2);
        out.push(':');
        push_digits(out, mi, 2);
        if s != 0 {
            out.push(':');
            push_digits(out, s, 2);
        }
    }
}

/// `v` in decimal, zero-padded to `width` digits (as `{v:0width$}`; without `fmt`'s
/// machinery: this runs for every date cell of a sheet).
fn push_digits(out: &mut String, v: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut n = v;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in digits.len() - i..width {
        out.push('0');
    }
    for &c in &digits[i..] {
        out.push(c as char);
    }
}

/// A year as `{y:04}` shows it.
fn push_year(out: &mut String, y: i64) {
    match u32::try_from(y) {
        Ok(v) => push_digits(out, v, 4),
        Err(_) => {
            use std::fmt::Write;
            let _ = write!(out, "{y:04}");
        }
    }
}

/// `2024-03-05`, `2024-03-05T14:30:00[.fff]` (OpenDocument's date values).
fn parse_iso(s: &str) -> Option<Parts> {
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let mut d = date.split('-');
    let y = d.next()?.parse().ok()?;
    let m = d.next()?.parse().ok()?;
    let day = d.next()?.parse().ok()?;
    let mut t = time.split(':');
    let h = t
        .next()
        .filter(|x| !x.is_empty())
        .map_or(Some(0), |x| x.parse().ok())?;
    let mi = t.next().map_or(Some(0), |x| x.parse().ok())?;
    let sec = t
        .next()
        .map_or(Some(0.0), |x| x.parse::<f64>().ok())?
        .round() as u32;
    Some((y, m, day, h, mi, sec))
}

/// A piece of a date number format (`m/d/yyyy h:mm AM/PM`).
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Lit(String),
    Year(usize),
    Month(usize),
    Day(usize),
    Hour(usize),
    Minute(usize),
    Second(usize),
    AmPm,
}

/// The tokens of a number format that shows a date, `None` for any other format.
pub fn compile_date_format(code: &str) -> Option<Vec<Tok>> {
    let section = split_section(code);
    let chars: Vec<char> = section.chars().collect();
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = 0;
    let lit = |toks: &mut Vec<Tok>, s: &str| match toks.last_mut() {
        Some(Tok::Lit(l)) => l.push_str(s),
        _ => toks.push(Tok::Lit(s.to_string())),
    };
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..]
            .iter()
            .take_while(|x| x.eq_ignore_ascii_case(&c))
            .count();
        match c.to_ascii_lowercase() {
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == '"')
                    .map_or(chars.len(), |k| i + 1 + k);
                let s: String = chars[i + 1..end.min(chars.len())].iter().collect();
                lit(&mut toks, &s);
                i = end + 1;
                continue;
            }
            '\\' => {
                if let Some(n) = chars.get(i + 1) {
                    lit(&mut toks, &n.to_string());
                }
                i += 2;
                continue;
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x == ']')
                    .map_or(chars.len(), |k| i + k);
                let inner: String = chars[i + 1..end]
                    .iter()
                    .collect::<String>()
                    .to_ascii_lowercase();
                match inner.chars().next() {
                    Some('h') => toks.push(Tok::Hour(inner.len())),
                    Some('m') => toks.push(Tok::Minute(inner.len())),
                    Some('s') => toks.push(Tok::Second(inner.len())),
                    _ => {}
                }
                i = end + 1;
                continue;
            }
            'a' => {
                let rest: String = chars[i..]
                    .iter()
                    .take(5)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if rest.starts_with("am/pm") {
                    toks.push(Tok::AmPm);
                    i += 5;
                } else if rest.starts_with("a/p") {
                    toks.push(Tok::AmPm);
                    i += 3;
                } else {
                    lit(&mut toks, "a");
                    i += 1;
                }
                continue;
            }
            'y' | 'e' => toks.push(Tok::Year(if c.eq_ignore_ascii_case(&'e') {
                4
            } else {
                run
            })),
            'm' => toks.push(Tok::Month(run)),
            'd' => toks.push(Tok::Day(run)),
            'h' => toks.push(Tok::Hour(run)),
            's' => toks.push(Tok::Second(run)),
            '_' | '*' => {
                // Padding: `_x` leaves a space, `*x` repeats x; both show as a space here.
                i += 2;
                lit(&mut toks, " ");
                continue;
            }
            '0' | '#' | '?' | '@' | 'g' => {
                // Fraction of seconds (`ss.00`) or a number format: no date here.
                if matches!(toks.last(), Some(Tok::Lit(l)) if l.ends_with('.'))
                    && toks.iter().any(|t| matches!(t, Tok::Second(_)))
                {
                    i += run;
                    if let Some(Tok::Lit(l)) = toks.last_mut() {
                        l.pop();
                    }
                    continue;
                }
                return None;
            }
            _ => {
                lit(&mut toks, &c.to_string());
                i += 1;
                continue;
            }
        }
        i += run;
    }
    // `m` after an hour or before a second is minutes.
    let fields: Vec<usize> = (0..toks.len())
        .filter(|&k| !matches!(toks[k], Tok::Lit(_)))
        .collect();
    for (n, &k) in fields.iter().enumerate() {
        if let Tok::Month(w) = toks[k] {
            let after_hour = n > 0 && matches!(toks[fields[n - 1]], Tok::Hour(_));
            let before_second = fields
                .get(n + 1)
                .is_some_and(|&j| matches!(toks[j], Tok::Second(_)));
            if (after_hour || before_second) && w <= 2 {
                toks[k] = Tok::Minute(w);
            }
        }
    }
    let has_date = toks
        .iter()
        .any(|t| matches!(t, Tok::Year(_) | Tok::Month(_) | Tok::Day(_) | Tok::Hour(_)));
    has_date.then_some(toks)
}

/// The first section of a format (`pos;neg;zero;text`), quotes respected.
fn split_section(code: &str) -> &str {
    let mut quoted = false;
    for (i, c) in code.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &code[..i],
            _ => {}
        }
    }
    code
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A date as a number format shows it (English month and day names), into `out`.
fn format_date(toks: &[Tok], (y, mo, d, h, mi, s): Parts, out: &mut String) {
    let twelve = toks.contains(&Tok::AmPm);
    let num = |out: &mut String, v: u32, width: usize| push_digits(out, v, width.min(2));
    let month = MONTHS[(mo as usize + 11) % 12];
    for t in toks {
        match *t {
            Tok::Lit(ref l) => out.push_str(l),
            Tok::Year(n) if n <= 2 => num(out, y.rem_euclid(100) as u32, 2),
            Tok::Year(_) => push_year(out, y),
            Tok::Month(n @ (1 | 2)) => num(out, mo, n),
            Tok::Month(3) => out.push_str(&month[..3]),
            Tok::Month(5) => out.push_str(&month[..1]),
            Tok::Month(_) => out.push_str(month),
            Tok::Day(n) if n <= 2 => num(out, d, n),
            Tok::Day(n) => {
                let wd = (days_from_civil(y, mo, d) + 4).rem_euclid(7) as usize;
                out.push_str(if n == 3 { &DAYS[wd][..3] } else { DAYS[wd] });
            }
            Tok::Hour(n) => num(out, if twelve { (h + 11) % 12 + 1 } else { h }, n),
            Tok::Minute(n) => num(out, mi, n),
            Tok::Second(n) => num(out, s, n),
            Tok::AmPm => out.push_str(if h < 12 { "AM" } else { "PM" }),
        }
    }
}

/// A row of a grouped report that is not a record: a subtotal (only numbers, or a label
/// like `Subtotal`, `Sum`, `Count`, `Average`) or a group heading with a count
/// (`Closed Won (3)`, `Stage: Closed Won (3 records)`).
pub fn is_subtotal_row(values: &[&str]) -> bool {
    let filled: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !crate::values::is_null(v))
        .collect();
    let Some(first) = filled.first() else {
        return false;
    };
    if filled.iter().all(|v| is_number(v)) {
        return true;
    }
    let lower = first.to_lowercase();
    const LABELS: &[&str] = &["subtotal", "sum", "count", "average", "record count", "avg"];
    if LABELS.iter().any(|l| {
        lower == *l || lower.starts_with(&format!("{l}:")) || lower.starts_with(&format!("{l} "))
    }) {
        return true;
    }
    // A heading `Value (N)` or `Value (N records)` with nothing else but numbers.
    let counted = lower.ends_with(')')
        && lower.rfind('(').is_some_and(|k| {
            let inner = lower[k + 1..lower.len() - 1].trim();
            let n = inner
                .trim_end_matches("records")
                .trim_end_matches("record")
                .trim();
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        });
    counted && filled[1..].iter().all(|v| is_number(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(toks: &str, parts: Parts) -> String {
        let mut out = String::from("x");
        format_date(&compile_date_format(toks).unwrap(), parts, &mut out);
        out.split_off(1)
    }

    #[test]
    fn date_formats_render_as_the_workbook_shows_them() {
        let p = (2024, 3, 5, 14, 7, 9);
        assert_eq!(date("m/d/yyyy", p), "3/5/2024");
        assert_eq!(date("M/D/YYYY", p), "3/5/2024");
        assert_eq!(date("[$-409]mm/dd/yy;@", p), "03/05/24");
        assert_eq!(date("dd.mm.yyyy", p), "05.03.2024");
        assert_eq!(date("yyyy-mm-dd hh:mm", p), "2024-03-05 14:07");
        assert_eq!(date("YYYY-MM-DD HH:MM:SS", p), "2024-03-05 14:07:09");
        assert_eq!(date("m/d/yyyy h:mm AM/PM", p), "3/5/2024 2:07 PM");
        assert_eq!(date("d mmm yyyy", p), "5 Mar 2024");
        assert_eq!(date("dddd, mmmm d", p), "Tuesday, March 5");
        assert_eq!(date("d\\-m\\-yyyy", p), "5-3-2024");
        assert_eq!(date("hh:mm:ss.00", p), "14:07:09");
        assert_eq!(compile_date_format("General"), None);
        assert_eq!(compile_date_format("#,##0.00"), None);
        assert_eq!(compile_date_format("0%"), None);
    }

    fn text(v: Value<'_>) -> String {
        let mut out = String::from("x");
        render_into(v, None, &mut out);
        out.split_off(1)
    }

    #[test]
    fn numbers_render_plainly() {
        assert_eq!(text(Value::Float(12500.0)), "12500");
        assert_eq!(text(Value::Float(12000.5)), "12000.5");
        assert_eq!(text(Value::Float(-3.25)), "-3.25");
        assert_eq!(text(Value::Float(-7.0)), "-7");
        assert_eq!(text(Value::Float(1e14)), "100000000000000");
        assert_eq!(text(Value::Float(1e20)), "100000000000000000000");
        for i in [
            0,
            9,
            10,
            -10,
            4_294_967_295,
            4_294_967_296,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(text(Value::Int(i)), i.to_string());
        }
    }

    #[test]
    fn dates_without_a_format_read_as_iso() {
        let iso_of = |p: Parts| {
            let mut out = String::new();
            iso(p, &mut out);
            out
        };
        assert_eq!(iso_of((2024, 3, 5, 0, 0, 0)), "2024-03-05");
        assert_eq!(iso_of((2024, 3, 5, 14, 7, 0)), "2024-03-05 14:07");
        assert_eq!(iso_of((2024, 12, 25, 9, 0, 5)), "2024-12-25 09:00:05");
        assert_eq!(iso_of((987, 1, 1, 0, 0, 0)), "0987-01-01");
    }

    #[test]
    fn subtotal_rows() {
        assert!(is_subtotal_row(&["", "Subtotal", "", "20500"]));
        assert!(is_subtotal_row(&["", "", "", "20500", "2"]));
        assert!(is_subtotal_row(&["Closed Won (2)", "", "12500"]));
        assert!(is_subtotal_row(&["Count: 3"]));
        assert!(!is_subtotal_row(&["Acme", "Acme - Renewal", "12500"]));
        assert!(!is_subtotal_row(&["", "", ""]));
        assert!(!is_subtotal_row(&["Summit Ltd (UK)", "", "12500"]));
    }

    #[test]
    fn header_below_title_rows() {
        let row = |n: u64, cells: &[&str]| SheetRow {
            number: n,
            cells: cells.iter().map(|s| s.to_string()).collect(),
            dates: Vec::new(),
        };
        let rows = [
            row(
                1,
                &[
                    "Pipeline by stage",
                    "Pipeline by stage",
                    "Pipeline by stage",
                ],
            ),
            row(2, &["As of 3/6/2024 10:00 AM", "", "Generated by Emma"]),
            row(3, &["Filtered By:"]),
            row(5, &["Id", "Name", "Amount", "Owner"]),
            row(6, &["1", "Acme", "12", "Emma"]),
        ];
        assert_eq!(header_index(&rows), 3);
    }
}
