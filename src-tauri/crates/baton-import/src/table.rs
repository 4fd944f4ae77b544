//! A CSV file as a stream of rows: encoding decided and decoded, preamble skipped,
//! delimiter sniffed, header names cleaned. Never holds more than one row.

use crate::encoding::{self, DecodeReader, Detected};
use crate::sheet::{SheetInfo, SheetRows};
use crate::sniff::{self, Layout};
use crate::unwrap::Unwrap;
use baton_core::{BatonError, Result};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Bytes read from the start of a file to decide encoding and layout.
const HEAD_LEN: usize = 256 * 1024;
/// A value longer than this is almost always a quote that was never closed.
pub const MAX_FIELD_LEN: usize = 1024 * 1024;
/// A row longer than this stops the read (memory stays bounded whatever the file).
pub const MAX_RECORD_LEN: usize = 16 * 1024 * 1024;

/// Where the bytes come from.
pub enum Input<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

/// Counts bytes read from the underlying input, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub struct Table<'a> {
    pub file_name: String,
    reader: RecordReader<Box<dyn Read + Send + 'a>>,
    /// Column names: trimmed, blanks named `Column N`, duplicates numbered, trailing
    /// unnamed columns dropped.
    pub header: Vec<String>,
    /// The header row exactly as read.
    pub raw_header: Vec<String>,
    /// Number of fields in the header row as written (including trailing unnamed ones).
    pub raw_width: usize,
    pub encoding: Detected,
    pub layout: Layout,
    pub warnings: Vec<String>,
    consumed: Arc<AtomicU64>,
    pub total_bytes: Option<u64>,
    quote_rows: u64,
    first_quote_problem: Option<QuoteProblem>,
    /// A workbook's rows (`reader` is then unused).
    sheet: Option<SheetRows>,
    /// What a workbook was read from: format, sheet, every sheet's name.
    pub sheet_info: Option<SheetInfo>,
}

/// Text after a closing quote in a row: `column` (index), the lines the row spans.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteProblem {
    pub column: usize,
    pub first_line: u64,
    pub last_line: u64,
}

impl<'a> Table<'a> {
    pub fn open(input: Input<'a>, file_name: &str) -> Result<Self> {
        Self::open_sheet(input, file_name, None)
    }

    /// Open a CSV, or a workbook (`.xlsx`, `.xls`, `.ods`) at `sheet` (default: the first
    /// with data).
    pub fn open_sheet(input: Input<'a>, file_name: &str, sheet: Option<&str>) -> Result<Self> {
        match crate::sheet::detect(&input, file_name)? {
            Some(format) => Self::from_sheet(
                file_name,
                crate::sheet::open(format, &input, file_name, sheet)?,
            ),
            None => Self::open_csv(input, file_name),
        }
    }

    fn from_sheet(file_name: &str, opened: crate::sheet::Opened) -> Result<Self> {
        let (header, warnings) = clean_header(&opened.header);
        if header.is_empty() {
            return Err(BatonError::invalid(format!(
                "{file_name}, sheet \"{}\", row {}: the header row has no column names",
                opened.info.sheet, opened.header_row
            )));
        }
        Ok(Table {
            file_name: format!("{file_name}, sheet \"{}\"", opened.info.sheet),
            reader: RecordReader::new(Box::new(io::empty()), b','),
            raw_width: opened.header.len(),
            raw_header: opened.header,
            header,
            encoding: encoding::detect(b""),
            layout: Layout {
                preamble_len: 0,
                header_line: opened.header_row,
                delimiter: b',',
                from_sep_line: false,
            },
            warnings,
            consumed: opened.consumed,
            total_bytes: opened.total_rows,
            quote_rows: 0,
            first_quote_problem: None,
            sheet: Some(opened.rows),
            sheet_info: Some(opened.info),
        })
    }

    fn open_csv(input: Input<'a>, file_name: &str) -> Result<Self> {
        let consumed = Arc::new(AtomicU64::new(0));
        let (head, rest, total_bytes): (Vec<u8>, Box<dyn Read + Send + 'a>, Option<u64>) =
            match input {
                Input::File(path) => {
                    let mut file =
                        File::open(path).map_err(|e| BatonError::io(path.display(), e))?;
                    let total = file.metadata().ok().map(|m| m.len());
                    let mut head = Vec::with_capacity(HEAD_LEN);
                    (&mut file)
                        .take(HEAD_LEN as u64)
                        .read_to_end(&mut head)
                        .map_err(|e| BatonError::io(path.display(), e))?;
                    (head, Box::new(file), total)
                }
                Input::Bytes(bytes) => {
                    let n = bytes.len().min(HEAD_LEN);
                    (
                        bytes[..n].to_vec(),
                        Box::new(&bytes[n..]),
                        Some(bytes.len() as u64),
                    )
                }
            };
        if head.is_empty() {
            return Err(BatonError::invalid(format!(
                "{file_name}: the file is empty"
            )));
        }
        let detected = encoding::detect(&head);
        let head_text = {
            let body = &head[detected.bom_len..];
            let (text, _) = detected.encoding.decode_without_bom_handling(body);
            text.into_owned()
        };
        let mut layout = sniff::sniff(&head_text);
        let wrapped = sniff::wrapped_rows_delimiter(&head_text[layout.preamble_len..]);
        consumed.store(detected.bom_len as u64, Ordering::Relaxed);
        let body = Cursor::new(head).chain(rest);
        let mut counted = Counting {
            inner: body,
            count: consumed.clone(),
        };
        // Skip the BOM in the raw stream; the counter starts after it.
        let mut bom = vec![0u8; detected.bom_len];
        counted
            .read_exact(&mut bom)
            .map_err(|e| BatonError::io(file_name, e))?;
        consumed.store(detected.bom_len as u64, Ordering::Relaxed);
        let mut decoded: Box<dyn Read + Send + 'a> = if detected.is_utf8() {
            Box::new(counted)
        } else {
            Box::new(DecodeReader::new(counted, detected.encoding))
        };
        let mut skip = vec![0u8; layout.preamble_len];
        decoded
            .read_exact(&mut skip)
            .map_err(|e| BatonError::io(file_name, e))?;
        let mut unwrap_warning = None;
        if let Some(inner) = wrapped {
            decoded = Box::new(Unwrap::new(decoded));
            layout.delimiter = inner;
            unwrap_warning = Some(format!(
                "each line of {file_name} is one quoted cell holding the whole row (\"Id{d}Name{d}…\"), as when Excel re-saves a CSV file opened as a single column: Baton read the values inside the quotes, separated by \"{}\"",
                sniff::delimiter_label(inner),
                d = inner as char
            ));
        }
        let reader = RecordReader::new(decoded, layout.delimiter);
        let mut table = Table {
            file_name: file_name.to_string(),
            reader,
            header: Vec::new(),
            raw_header: Vec::new(),
            raw_width: 0,
            encoding: detected,
            layout,
            warnings: Vec::new(),
            consumed,
            total_bytes,
            quote_rows: 0,
            first_quote_problem: None,
            sheet: None,
            sheet_info: None,
        };
        if !table.next_raw()? {
            return Err(BatonError::invalid(format!(
                "{file_name}: no header row (the file has no data, only blank lines)"
            )));
        }
        let raw = table.row_strings();
        let mut quote_warning = None;
        if let Some(q) = table.quote_problem() {
            let what = format!(
                "{file_name}, line {}, column {}: text follows a closing quote in the header",
                q.first_line,
                q.column + 1
            );
            if q.last_line > q.first_line {
                return Err(BatonError::invalid(format!(
                    "{what}, and the quote opened on line {} only closes on line {}: probably a quote that is never closed",
                    q.first_line, q.last_line
                )));
            }
            quote_warning = Some(format!("{what}; check the file's quoting"));
        }
        table.raw_width = raw.len();
        let (header, warnings) = clean_header(&raw);
        if header.is_empty() {
            return Err(BatonError::invalid(format!(
                "{file_name}, line {}: the header row has no column names",
                table.layout.header_line
            )));
        }
        table.header = header;
        table.raw_header = raw;
        table.warnings = warnings;
        table.warnings.extend(unwrap_warning);
        table.warnings.extend(quote_warning);
        Ok(table)
    }

    fn next_raw(&mut self) -> Result<bool> {
        if let Some(rows) = self.sheet.as_mut() {
            return rows.next();
        }
        let in_file = |line: u64| self.layout.header_line + line - 1;
        match self.reader.read_record() {
            Ok(found) => Ok(found),
            Err(ReadError::Io(e)) => Err(BatonError::io(&self.file_name, e)),
            Err(ReadError::TooLong(line)) => Err(BatonError::invalid(format!(
                "{}, row at line {}: a row runs over {} MiB; probably a quote opened on that line is never closed",
                self.file_name,
                in_file(line),
                MAX_RECORD_LEN / (1024 * 1024)
            ))),
            Err(ReadError::Unclosed { line, field }) => {
                let line = in_file(line);
                Err(BatonError::invalid(format!(
                    "{}, line {line}, {}: the quote opened on line {line} is never closed (the file ends inside this value, so every line after it was read into it). Close the quote in the file; nothing was imported",
                    self.file_name,
                    self.column_label(field)
                )))
            }
        }
    }

    /// `column "Name"` (or `column N` before the header is known), for messages.
    fn column_label(&self, i: usize) -> String {
        match self.header.get(i) {
            Some(name) => format!("column \"{name}\""),
            None => format!("column {}", i + 1),
        }
    }

    /// Advance to the next data row; `false` at the end of the file.
    pub fn next_row(&mut self) -> Result<bool> {
        let found = self.next_raw()?;
        if found {
            if let Some(q) = self.quote_problem() {
                self.quote_rows += 1;
                self.first_quote_problem.get_or_insert(q);
            }
        }
        Ok(found)
    }

    /// A closing quote followed by more text in the current row (csv-core keeps the text
    /// and drops the quotes: `"b"c` reads `bc`).
    pub fn quote_problem(&self) -> Option<QuoteProblem> {
        let column = self.reader.bad_quote?;
        let first_line = self.line();
        // Line breaks in a row's values are the lines it spans.
        let (last_line, _) = count_lines(self.reader.row_bytes(), first_line, false);
        Some(QuoteProblem {
            column,
            first_line,
            last_line,
        })
    }

    /// What [`Self::quote_problem`] found over the rows read so far, as a warning.
    pub fn quote_warning(&self) -> Option<String> {
        let q = self.first_quote_problem.as_ref()?;
        Some(format!(
            "{} row(s) have text right after a closing quote (first on line {}, {}); the text was kept and the quotes dropped: check the file's quoting",
            self.quote_rows,
            q.first_line,
            self.column_label(q.column)
        ))
    }

    /// 1-based line of the current row's start in the file.
    pub fn line(&self) -> u64 {
        if let Some(rows) = &self.sheet {
            return rows.current.number;
        }
        self.layout.header_line + self.reader.start_line - 1
    }

    /// Number of fields in the current row.
    pub fn len(&self) -> usize {
        if let Some(rows) = &self.sheet {
            return rows.len();
        }
        self.reader.field_count()
    }

    fn raw(&self, i: usize) -> Option<&[u8]> {
        if let Some(rows) = &self.sheet {
            return (i < rows.len()).then(|| rows.field(i).as_bytes());
        }
        self.reader.field(i)
    }

    /// Field `i` of the current row (empty when the row is short).
    pub fn field(&self, i: usize) -> Cow<'_, str> {
        if let Some(rows) = &self.sheet {
            return Cow::Borrowed(rows.field(i));
        }
        let Some(bytes) = self.raw(i) else {
            return Cow::Borrowed("");
        };
        if self.reader.row_is_utf8 {
            // SAFETY: the whole row was validated as UTF-8 and every field end was
            // checked to be a character boundary when the row was read.
            return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) });
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(encoding::decode_stray_bytes(bytes)),
        }
    }

    /// Whether the current row has bytes that are not UTF-8 (read as Windows-1252).
    pub fn row_has_stray_bytes(&self) -> bool {
        !self.reader.row_is_utf8
    }

    /// Every field of the current row as text.
    pub fn row_strings(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| self.field(i).into_owned())
            .collect()
    }

    /// Longest field of the current row: (index, bytes).
    pub fn longest_field(&self) -> (usize, usize) {
        (0..self.len())
            .map(|i| (i, self.raw(i).map_or(0, <[u8]>::len)))
            .max_by_key(|(_, l)| *l)
            .unwrap_or((0, 0))
    }

    /// A handle on the count of input bytes consumed, readable from another thread.
    pub fn progress_counter(&self) -> Arc<AtomicU64> {
        self.consumed.clone()
    }

    /// Bytes of the input consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }

    pub fn delimiter_label(&self) -> String {
        if self.sheet_info.is_some() {
            return String::new();
        }
        sniff::delimiter_label(self.layout.delimiter)
    }

    /// The encoding's name, or a workbook's format.
    pub fn encoding_label(&self) -> String {
        match &self.sheet_info {
            Some(info) => info.format.label().to_string(),
            None => self.encoding.label(),
        }
    }

    /// Wall-clock seconds of field `i` when the cell is a typed date (spreadsheets only):
    /// taken as it is rather than read from its text.
    pub fn typed_date(&self, i: usize) -> Option<i64> {
        self.sheet.as_ref().and_then(|rows| rows.date(i))
    }
}

/// One row as the importer maps it: the row a [`Table`] is on, or a row the preview kept
/// ([`crate::preview::Sample`]), so the preview maps rows exactly as the import does.
pub trait Row {
    /// Column names (see [`Table::header`]).
    fn header(&self) -> &[String];
    /// Number of fields in the header row as written.
    fn raw_width(&self) -> usize;
    /// Number of fields in this row.
    fn width(&self) -> usize;
    /// Field `i` (empty when the row is short).
    fn field(&self, i: usize) -> Cow<'_, str>;
    /// 1-based line of the row's start in the file.
    fn line(&self) -> u64;
    fn quote_problem(&self) -> Option<QuoteProblem>;
    /// Longest field: (index, bytes).
    fn longest_field(&self) -> (usize, usize);
    /// The row had bytes that are not UTF-8 (read as Windows-1252).
    fn row_has_stray_bytes(&self) -> bool;
    /// Wall-clock seconds of field `i` when a workbook typed the cell as a date.
    fn typed_date(&self, i: usize) -> Option<i64>;
    /// The row is a workbook sheet's (not a CSV line).
    fn is_workbook_row(&self) -> bool;
}

impl Row for Table<'_> {
    fn header(&self) -> &[String] {
        &self.header
    }
    fn raw_width(&self) -> usize {
        self.raw_width
    }
    fn width(&self) -> usize {
        Table::len(self)
    }
    fn field(&self, i: usize) -> Cow<'_, str> {
        Table::field(self, i)
    }
    fn line(&self) -> u64 {
        Table::line(self)
    }
    fn quote_problem(&self) -> Option<QuoteProblem> {
        Table::quote_problem(self)
    }
    fn longest_field(&self) -> (usize, usize) {
        Table::longest_field(self)
    }
    fn row_has_stray_bytes(&self) -> bool {
        Table::row_has_stray_bytes(self)
    }
    fn typed_date(&self, i: usize) -> Option<i64> {
        Table::typed_date(self, i)
    }
    fn is_workbook_row(&self) -> bool {
        self.sheet_info.is_some()
    }
}

/// Header names compared ignoring case, spaces and quotes style.
pub fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '’' => '\'',
            '\u{a0}' => ' ',
            c => c,
        })
        .collect()
}

/// Trim names, drop trailing unnamed columns, name blank ones, number duplicates.
fn clean_header(raw: &[String]) -> (Vec<String>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut names: Vec<String> = raw
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let before = names.len();
    while names.last().is_some_and(|n| n.is_empty()) {
        names.pop();
    }
    if names.len() < before && !names.is_empty() {
        warnings.push(format!(
            "ignored {} unnamed column(s) at the end of the header",
            before - names.len()
        ));
    }
    let mut seen: Vec<String> = Vec::with_capacity(names.len());
    for (i, name) in names.iter_mut().enumerate() {
        if name.is_empty() {
            *name = format!("Column {}", i + 1);
            warnings.push(format!(
                "column {} has no name; called it \"{name}\"",
                i + 1
            ));
        }
        let key = normalise(name);
        if seen.contains(&key) {
            let mut n = 2;
            let renamed = loop {
                let candidate = format!("{name} ({n})");
                if !seen.contains(&normalise(&candidate)) && !names_contains(raw, &candidate) {
                    break candidate;
                }
                n += 1;
            };
            warnings.push(format!(
                "the header names \"{name}\" more than once; column {} is read as \"{renamed}\"",
                i + 1
            ));
            *name = renamed;
        }
        seen.push(normalise(name));
    }
    (names, warnings)
}

fn names_contains(raw: &[String], candidate: &str) -> bool {
    let c = normalise(candidate);
    raw.iter().any(|r| normalise(r) == c)
}

enum ReadError {
    Io(io::Error),
    /// The row starting at this line (relative to the header) is longer than the limit.
    TooLong(u64),
    /// The input ends inside the quoted value of field `field`, opened on `line`
    /// (relative to the header).
    Unclosed {
        line: u64,
        field: usize,
    },
}

/// Where the quoting of the bytes csv-core consumed stands. csv-core reads malformed
/// quoting leniently and silently (`"b"c` → `bc`; a quote never closed takes the rest of
/// the file); this follows the same bytes to tell the user.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closing, or the first of a doubled `""`.
    ClosingOrDoubled,
    /// Spaces after a closing quote (harmless: values are trimmed).
    Closed,
}

struct QuoteScan {
    state: Quote,
    delimiter: u8,
    /// Field index within the current record.
    field: usize,
    /// First field of the current record with text after its closing quote.
    bad: Option<usize>,
}

impl QuoteScan {
    fn new(delimiter: u8) -> Self {
        Self {
            state: Quote::FieldStart,
            delimiter,
            field: 0,
            bad: None,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.state {
                Quote::Quoted => match memchr::memchr(b'"', &bytes[i..]) {
                    Some(k) => {
                        i += k + 1;
                        self.state = Quote::ClosingOrDoubled;
                        continue;
                    }
                    None => return,
                },
                Quote::ClosingOrDoubled if b == b'"' => self.state = Quote::Quoted,
                Quote::ClosingOrDoubled | Quote::Closed if b == b' ' || b == b'\t' => {
                    self.state = Quote::Closed;
                }
                Quote::FieldStart if b == b'"' => self.state = Quote::Quoted,
                Quote::Unquoted => {
                    match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                        Some(k) => {
                            i += k;
                            self.end_field(bytes[i]);
                        }
                        None => return,
                    }
                }
                _ if b == self.delimiter || b == b'\n' || b == b'\r' => self.end_field(b),
                Quote::FieldStart => self.state = Quote::Unquoted,
                Quote::ClosingOrDoubled | Quote::Closed => {
                    // Text after a closing quote; csv-core appends it to the value.
                    self.bad.get_or_insert(self.field);
                    self.state = Quote::Unquoted;
                }
            }
            i += 1;
        }
    }

    /// `b` (a delimiter or a line end) ends the current field.
    fn end_field(&mut self, b: u8) {
        if b == self.delimiter {
            self.field += 1;
        } else {
            self.field = 0;
        }
        self.state = Quote::FieldStart;
    }
}

/// CSV rows from a UTF-8 stream through csv-core, counting lines itself (`\n`, `\r\n` and
/// lone `\r` each end a line) so rows are reported at their real line, with a bound on
/// the memory one row may take.
struct RecordReader<R> {
    inner: R,
    core: csv_core::Reader,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
    /// Line (1-based, from the header) at `buf[pos]`.
    line: u64,
    prev_cr: bool,
    /// Line where the current row starts.
    start_line: u64,
    /// The current row's bytes are all valid UTF-8.
    row_is_utf8: bool,
    quotes: QuoteScan,
    /// The current row: first field with text after its closing quote.
    bad_quote: Option<usize>,
}

impl<R: Read> RecordReader<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            core: csv_core::ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(csv_core::Terminator::CRLF)
                .build(),
            buf: vec![0; 256 * 1024],
            pos: 0,
            len: 0,
            eof: false,
            out: vec![0; 64 * 1024],
            ends: vec![0; 64],
            fields: 0,
            line: 1,
            prev_cr: false,
            start_line: 1,
            row_is_utf8: true,
            quotes: QuoteScan::new(delimiter),
            bad_quote: None,
        }
    }

    fn field_count(&self) -> usize {
        self.fields
    }

    /// Every value of the current row, back to back.
    fn row_bytes(&self) -> &[u8] {
        let used = if self.fields == 0 {
            0
        } else {
            self.ends[self.fields - 1]
        };
        &self.out[..used]
    }

    fn field(&self, i: usize) -> Option<&[u8]> {
        if i >= self.fields {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.out[start..self.ends[i]])
    }

    fn read_record(&mut self) -> std::result::Result<bool, ReadError> {
        use csv_core::ReadRecordResult::*;
        let (mut nout, mut nend) = (0, 0);
        let mut started = false;
        loop {
            if self.pos == self.len && !self.eof {
                self.pos = 0;
                self.len = self.inner.read(&mut self.buf).map_err(ReadError::Io)?;
                self.eof = self.len == 0;
            }
            if self.eof && started && self.quotes.state == Quote::Quoted {
                // The input ends inside a quoted value: csv-core would hand it over as if
                // closed, with every line after the quote in it.
                let done = if nend == 0 { 0 } else { self.ends[nend - 1] };
                let (line, _) = count_lines(&self.out[..done], self.start_line, false);
                return Err(ReadError::Unclosed { line, field: nend });
            }
            let (res, nin, o, e) = self.core.read_record(
                &self.buf[self.pos..self.len],
                &mut self.out[nout..],
                &mut self.ends[nend..],
            );
            let (mut from, to) = (self.pos, self.pos + nin);
            if !started {
                // Blank lines before the row are skipped by csv-core; find where it starts.
                let skip = self.buf[from..to]
                    .iter()
                    .position(|&b| b != b'\r' && b != b'\n');
                let blank_end = skip.map_or(to, |k| from + k);
                (self.line, self.prev_cr) =
                    count_lines(&self.buf[from..blank_end], self.line, self.prev_cr);
                if skip.is_some() {
                    started = true;
                    self.start_line = self.line;
                }
                from = blank_end;
            }
            (self.line, self.prev_cr) = count_lines(&self.buf[from..to], self.line, self.prev_cr);
            self.quotes.scan(&self.buf[self.pos..to]);
            self.pos = to;
            nout += o;
            nend += e;
            match res {
                InputEmpty => {}
                OutputFull => {
                    if self.out.len() >= MAX_RECORD_LEN {
                        return Err(ReadError::TooLong(self.start_line));
                    }
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                Record => {
                    self.fields = nend;
                    let used = if nend == 0 { 0 } else { self.ends[nend - 1] };
                    // Fields are stored back to back without their delimiters, so the row
                    // being UTF-8 is not enough: `\xDC|\x95` joins into one valid character.
                    // Each field must also end on a character boundary.
                    self.row_is_utf8 = std::str::from_utf8(&self.out[..used]).is_ok_and(|row| {
                        self.ends[..nend]
                            .iter()
                            .all(|&end| row.is_char_boundary(end))
                    });
                    self.bad_quote = self.quotes.bad.take();
                    if !started {
                        self.start_line = self.line;
                    }
                    return Ok(true);
                }
                End => {
                    self.fields = 0;
                    return Ok(false);
                }
            }
        }
    }
}

/// Line number after `bytes`, counting `\n`, `\r\n` and lone `\r` as line ends
/// (`prev_cr`: the previous byte was `\r`, so a leading `\n` completes that line end).
fn count_lines(bytes: &[u8], line: u64, prev_cr: bool) -> (u64, bool) {
    let (mut line, mut prev_cr, mut next) = (line, prev_cr, 0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let b = bytes[i];
        // A `\n` right after a `\r` completes the same line end.
        if !(b == b'\n' && prev_cr && i == next) {
            line += 1;
        }
        prev_cr = b == b'\r';
        next = i + 1;
    }
    let ends_with_cr = bytes.last().map_or(prev_cr, |&b| b == b'\r');
    (line, ends_with_cr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut t = Table::open(Input::Bytes(bytes), "t.csv").unwrap();
        let mut out = Vec::new();
        while t.next_row().unwrap() {
            out.push(t.row_strings());
        }
        (t.header.clone(), out)
    }

    #[test]
    fn header_cleaning() {
        let (h, r) = rows(b"\xEF\xBB\xBF Id ,Name,Name,,Email,,\n1,a,b,x,e,,\n");
        assert_eq!(h, ["Id", "Name", "Name (2)", "Column 4", "Email"]);
        assert_eq!(r[0][..5], ["1", "a", "b", "x", "e"]);
    }

    /// Found by `cargo fuzz`: two stray bytes in neighbouring fields join into one valid
    /// UTF-8 character once the delimiter between them is gone.
    #[test]
    fn stray_bytes_split_by_a_delimiter_are_read_per_field() {
        let (h, r) = rows(b"\xEF\xBB\xBFId;Name;Note\n1;\xDC;\x95\n");
        assert_eq!(h, ["Id", "Name", "Note"]);
        assert_eq!(r, [["1", "\u{dc}", "\u{2022}"]]);
    }

    #[test]
    fn utf16_with_tabs_and_sep_line() {
        let text = "sep=\t\r\nId\tStage\r\n1\tLead\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut t = Table::open(Input::Bytes(&bytes), "u.csv").unwrap();
        assert_eq!(t.encoding.label(), "UTF-16LE");
        assert_eq!(t.header, ["Id", "Stage"]);
        assert!(t.next_row().unwrap());
        assert_eq!(t.line(), 3);
        assert_eq!(t.field(1), "Lead");
    }

    #[test]
    fn stray_latin1_bytes_in_utf8_file() {
        let mut bytes = b"a,b\n".to_vec();
        bytes.extend(b"1,plain\n".repeat(10));
        bytes.extend(b"2,Caf\xe9\n");
        let (_, r) = rows(&bytes);
        assert_eq!(r.last().unwrap()[1], "Caf\u{e9}");
    }

    #[test]
    fn line_numbers_count_blank_lines_and_multiline_values() {
        let mut t = Table::open(Input::Bytes(b"\n\na,b\n\"x\ny\",1\n2,3\n"), "t.csv").unwrap();
        assert!(t.next_row().unwrap());
        assert_eq!(t.line(), 4);
        assert!(t.next_row().unwrap());
        assert_eq!(t.line(), 6);
    }

    #[test]
    fn line_numbers_with_crlf_cr_and_blank_lines_between_rows() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,2", "", "", "\"x", "y\",3", "4,5"].join(nl);
            let mut t = Table::open(Input::Bytes(text.as_bytes()), "t.csv").unwrap();
            let mut lines = Vec::new();
            while t.next_row().unwrap() {
                lines.push((t.line(), t.field(0).into_owned()));
            }
            let multi = format!("x{nl}y");
            assert_eq!(
                lines,
                [(2, "1".to_string()), (5, multi), (7, "4".to_string())],
                "{nl:?}"
            );
        }
    }

    #[test]
    fn row_length_is_bounded() {
        let mut bytes = b"a,b\n1,\"".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_RECORD_LEN + 10));
        let mut t = Table::open(Input::Bytes(&bytes), "big.csv").unwrap();
        let e = t.next_row().unwrap_err();
        assert!(
            e.message.contains("line 2") && e.message.contains("never closed"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_quote_never_closed_is_refused_with_its_line_and_column() {
        let text = "Id,Name,Notes\n1,a,fine\n2,b,\"starts here\n3,c,swallowed\n4,d,too\n";
        let mut t = Table::open(Input::Bytes(text.as_bytes()), "q.csv").unwrap();
        assert!(t.next_row().unwrap());
        let e = t.next_row().unwrap_err();
        assert!(
            e.message.contains(
                "q.csv, line 3, column \"Notes\": the quote opened on line 3 is never closed"
            ),
            "{}",
            e.message
        );
        // The quote may open on a later line of a row whose earlier value spans lines.
        let text = "\n\nId,Name,Notes\n1,\"two\nlines\",\"open\n3,c,d\n";
        let mut t = Table::open(Input::Bytes(text.as_bytes()), "q.csv").unwrap();
        let e = t.next_row().unwrap_err();
        assert!(
            e.message
                .contains("line 5, column \"Notes\": the quote opened on line 5"),
            "{}",
            e.message
        );
        // Closed at the very end, without a final line end: fine.
        let (_, rows) = rows(b"a,b\n1,\"x\ny\"");
        assert_eq!(rows, [["1", "x\ny"]]);
    }

    #[test]
    fn text_after_a_closing_quote_is_reported() {
        let mut t = Table::open(
            Input::Bytes(b"a,b\n1,\"x\"y\n2,\"z\"\"q\"\n3,5\" tv\n"),
            "t.csv",
        )
        .unwrap();
        let mut problems = Vec::new();
        while t.next_row().unwrap() {
            problems.push(t.quote_problem());
        }
        assert_eq!(
            problems,
            [
                Some(QuoteProblem {
                    column: 1,
                    first_line: 2,
                    last_line: 2
                }),
                None,
                None
            ],
            "a doubled quote and a quote inside an unquoted value are fine"
        );
        let w = t.quote_warning().unwrap();
        assert!(
            w.starts_with("1 row(s)") && w.contains("line 2, column \"b\""),
            "{w}"
        );
    }

    #[test]
    fn empty_input_is_refused() {
        assert!(Table::open(Input::Bytes(b""), "e.csv").is_err());
        let e = Table::open(Input::Bytes(b"\n\n\n"), "e.csv").err().unwrap();
        assert!(e.message.contains("no header"), "{}", e.message);
    }
}
