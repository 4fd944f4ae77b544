//! Date parsing for CRM exports: ISO, `M/D/YYYY`, `D/M/YYYY`, `D-M-YYYY`, `D.M.YYYY`, with or
//! without a time (seconds, fractions, AM/PM, a zone suffix that is dropped: dates are wall
//! clock), and Excel serial numbers. Month/day order is decided per column from every value.
//! Also the dates users type (`YYYY-MM-DD[ HH:MM]`) and the way figures show them. The
//! importer, the metrics engine (custom-field dates, filters) and the CLI all read here.

use serde::Serialize;
use ts_rs::TS;

/// The order of a date's parts. Numbers in a date column are always Excel serials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateFormat {
    /// Year first: `2025-04-08`, `2025/04/08`, `20250408`.
    Ymd,
    /// `4/8/2025` (US).
    Mdy,
    /// `8/4/2025`, `08-04-2025`, `08.04.2025` (most of Europe).
    Dmy,
    /// Only Excel serial day numbers (`45755.72`).
    Excel,
}

impl DateFormat {
    /// Parse a user's choice; `auto` is `None`.
    pub fn parse_option(s: &str) -> Result<Option<Self>, String> {
        let t = s.trim();
        let f = match t.to_ascii_lowercase().as_str() {
            "auto" | "" => return Ok(None),
            "ymd" | "iso" | "yyyy-mm-dd" | "yyyy/mm/dd" | "%y-%m-%d" => DateFormat::Ymd,
            "mdy" | "m/d/yyyy" | "mm/dd/yyyy" | "m/d/yy" | "%m/%d/%y" | "m-d-yyyy" => DateFormat::Mdy,
            "dmy" | "d/m/yyyy" | "dd/mm/yyyy" | "d-m-yyyy" | "dd-mm-yyyy" | "d.m.yyyy"
            | "dd.mm.yyyy" | "%d/%m/%y" | "%d-%m-%y" | "%d.%m.%y" => DateFormat::Dmy,
            "excel" | "serial" => DateFormat::Excel,
            _ => {
                return Err(format!(
                    "unknown date format {t:?}: use auto, ymd (YYYY-MM-DD), mdy (M/D/YYYY), dmy (D/M/YYYY) or excel"
                ))
            }
        };
        Ok(Some(f))
    }

    pub fn label(self) -> &'static str {
        match self {
            DateFormat::Ymd => "YYYY-MM-DD",
            DateFormat::Mdy => "M/D/YYYY",
            DateFormat::Dmy => "D/M/YYYY",
            DateFormat::Excel => "Excel serial",
        }
    }

    fn bit(self) -> u8 {
        match self {
            DateFormat::Ymd => 1,
            DateFormat::Mdy => 2,
            DateFormat::Dmy => 4,
            DateFormat::Excel => 8,
        }
    }
}

/// A set of date formats still possible for a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formats(u8);

impl Formats {
    pub const TEXT_ALL: Formats = Formats(1 | 2 | 4);
    pub fn contains(self, f: DateFormat) -> bool {
        self.0 & f.bit() != 0
    }
    pub fn intersect(self, other: Formats) -> Formats {
        Formats(self.0 & other.0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn only(f: DateFormat) -> Formats {
        Formats(f.bit())
    }
    /// Both day/month orders are still possible.
    pub fn day_month_open(self) -> bool {
        self.contains(DateFormat::Mdy) && self.contains(DateFormat::Dmy)
    }
    /// The single text format left, if one.
    pub fn decided(self) -> Option<DateFormat> {
        [DateFormat::Ymd, DateFormat::Mdy, DateFormat::Dmy]
            .into_iter()
            .find(|f| Formats::only(*f) == self)
    }
}

/// A date string split into its numbers, before the day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    /// Year first: (y, m, d), seconds into the day.
    YearFirst(i64, u32, u32, i64),
    /// Year last: (first, second, year), seconds into the day.
    YearLast(u32, u32, i64, i64),
    /// An Excel serial day number (fractional part = time of day).
    Serial(f64),
}

impl Parsed {
    /// Formats that read this value as a valid date.
    pub fn formats(&self) -> Formats {
        match *self {
            Parsed::YearFirst(..) => Formats::only(DateFormat::Ymd),
            Parsed::YearLast(a, b, y, _) => {
                let mut f = 0;
                if valid_ymd(y, a, b) {
                    f |= DateFormat::Mdy.bit();
                }
                if valid_ymd(y, b, a) {
                    f |= DateFormat::Dmy.bit();
                }
                Formats(f)
            }
            Parsed::Serial(_) => Formats(0),
        }
    }

    /// Month and day would swap between M/D and D/M (so the order matters).
    pub fn order_matters(&self) -> bool {
        matches!(*self, Parsed::YearLast(a, b, _, _) if a != b && a <= 12 && b <= 12)
    }

    /// Seconds since 1970 (wall clock) under `format` (ignored for year-first and serials).
    pub fn seconds(&self, format: DateFormat) -> Option<i64> {
        match *self {
            Parsed::YearFirst(y, m, d, t) => {
                valid_ymd(y, m, d).then(|| days_from_civil(y, m, d) * 86_400 + t)
            }
            Parsed::YearLast(a, b, y, t) => {
                let (m, d) = match format {
                    DateFormat::Dmy => (b, a),
                    _ => (a, b),
                };
                valid_ymd(y, m, d).then(|| days_from_civil(y, m, d) * 86_400 + t)
            }
            Parsed::Serial(v) => excel_serial_seconds(v),
        }
    }
}

/// Excel's day 0 is 1899-12-30 (counting its fictitious 1900-02-29).
const EXCEL_EPOCH_DAYS: i64 = -25_569;

fn excel_serial_seconds(v: f64) -> Option<i64> {
    // 1 = 1900-01-01 … 2958465 = 9999-12-31.
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    let secs = (v * 86_400.0).round() as i64;
    Some(EXCEL_EPOCH_DAYS * 86_400 + secs)
}

/// Split a date string into numbers. `None` when it is not a date in any supported shape.
pub fn parse(s: &str) -> Option<Parsed> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut p = Cursor { b, i: 0 };
    let first = p.number(4)?;
    let first_len = p.i;
    // Excel serial numbers: digits with an optional fraction, nothing else.
    if p.i == b.len()
        || (b[p.i] == b'.' && b[p.i + 1..].iter().all(u8::is_ascii_digit) && first_len <= 5)
    {
        if first_len == 8 && p.i == b.len() {
            // Compact YYYYMMDD.
            let (y, m, d) = (
                first / 10_000,
                (first / 100 % 100) as u32,
                (first % 100) as u32,
            );
            return valid_ymd(y, m, d).then_some(Parsed::YearFirst(y, m, d, 0));
        }
        if first_len > 7 {
            return None;
        }
        return s.parse::<f64>().ok().map(Parsed::Serial);
    }
    let sep = b[p.i];
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    p.i += 1;
    let second = p.number(2)?;
    if p.peek() != Some(sep) {
        return None;
    }
    p.i += 1;
    let third_start = p.i;
    let third = p.number(4)?;
    let third_len = p.i - third_start;
    let time = p.time()?;
    if first_len == 4 {
        return Some(Parsed::YearFirst(first, second as u32, third as u32, time));
    }
    if first_len > 2 {
        return None;
    }
    let year = match third_len {
        4 => third,
        2 if third < 70 => 2000 + third,
        2 => 1900 + third,
        _ => return None,
    };
    Some(Parsed::YearLast(first as u32, second as u32, year, time))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Up to `max` digits (8 for the first field, to allow YYYYMMDD and serials).
    fn number(&mut self, max: usize) -> Option<i64> {
        let start = self.i;
        let limit = if max == 4 { 8 } else { max };
        let mut v: i64 = 0;
        while let Some(c) = self.peek() {
            if !c.is_ascii_digit() || self.i - start == limit {
                break;
            }
            v = v * 10 + (c - b'0') as i64;
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ')) {
            self.i += 1;
        }
    }

    /// Optional time after the date: `[T| |, ]HH:MM[:SS[.fff]][ AM|PM][Z|±HH[:MM]| zone]`.
    fn time(&mut self) -> Option<i64> {
        if self.i == self.b.len() {
            return Some(0);
        }
        match self.peek() {
            Some(b'T') | Some(b' ') | Some(b',') => self.i += 1,
            _ => return None,
        }
        self.skip_spaces();
        if self.i == self.b.len() {
            return Some(0);
        }
        let h = self.number(2)?;
        if self.peek() != Some(b':') {
            return None;
        }
        self.i += 1;
        let m = self.number(2)?;
        let mut sec = 0;
        if self.peek() == Some(b':') {
            self.i += 1;
            sec = self.number(2)?;
            if self.peek() == Some(b'.') {
                self.i += 1;
                self.number(2)?;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
                    self.i += 1;
                }
            }
        }
        self.skip_spaces();
        let mut hour = h;
        let rest = &self.b[self.i..];
        if rest.len() >= 2 && (rest[1] == b'M' || rest[1] == b'm') {
            match rest[0] {
                b'A' | b'a' if (1..=12).contains(&h) => hour = h % 12,
                b'P' | b'p' if (1..=12).contains(&h) => hour = h % 12 + 12,
                _ => return None,
            }
            self.i += 2;
            self.skip_spaces();
        }
        // A zone (`Z`, `+02:00`, `UTC`, `CET`) is dropped: Baton keeps wall-clock times.
        let zone = &self.b[self.i..];
        let zone_ok = zone.is_empty()
            || zone == b"Z"
            || ((zone[0] == b'+' || zone[0] == b'-')
                && zone.len() <= 6
                && zone[1..].iter().all(|c| c.is_ascii_digit() || *c == b':'))
            || (zone.len() <= 5 && zone.iter().all(u8::is_ascii_uppercase));
        if !zone_ok || hour > 23 || m > 59 || sec > 60 {
            return None;
        }
        Some(hour * 3600 + m * 60 + sec.min(59))
    }
}

fn valid_ymd(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && (1000..=9999).contains(&y)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parse a wall-clock date given by a user (`2025-04-08`, `2025-04-08 17:19`) to seconds.
pub fn parse_wall_clock(s: &str) -> Option<i64> {
    match parse(s)? {
        p @ Parsed::YearFirst(..) => p.seconds(DateFormat::Ymd),
        _ => None,
    }
}

/// Month index (`year * 12 + month0`) of a wall-clock time.
pub fn month_index(secs: i64) -> i32 {
    use chrono::Datelike;
    let d = chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.naive_utc().date())
        .unwrap_or_default();
    d.year() * 12 + d.month0() as i32
}

/// `YYYY-MM-DD` (and optional time) or integer seconds → wall-clock seconds.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Some(dt.and_utc().timestamp());
        }
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp())
}

/// Wall-clock seconds → `YYYY-MM-DD HH:MM`.
pub fn format_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp()
    }

    fn secs(s: &str, f: DateFormat) -> Option<i64> {
        parse(s)?.seconds(f)
    }

    #[test]
    fn iso_with_and_without_time() {
        assert_eq!(
            secs("2025-04-08", DateFormat::Ymd),
            Some(ts("2025-04-08 00:00:00"))
        );
        assert_eq!(
            secs("2025-04-08 17:19", DateFormat::Ymd),
            Some(ts("2025-04-08 17:19:00"))
        );
        assert_eq!(
            secs("2025-04-08T17:19:05.123Z", DateFormat::Ymd),
            Some(ts("2025-04-08 17:19:05"))
        );
        assert_eq!(
            secs("2025-04-08T17:19:05+02:00", DateFormat::Ymd),
            Some(ts("2025-04-08 17:19:05"))
        );
        assert_eq!(
            secs("2026-08-28 10:00:00", DateFormat::Ymd),
            Some(ts("2026-08-28 10:00:00"))
        );
        assert_eq!(
            secs("20140102", DateFormat::Ymd),
            Some(ts("2014-01-02 00:00:00"))
        );
    }

    #[test]
    fn day_month_order_follows_the_format() {
        assert_eq!(
            secs("4/8/2025 17:19", DateFormat::Mdy),
            Some(ts("2025-04-08 17:19:00"))
        );
        assert_eq!(
            secs("4/8/2025 17:19", DateFormat::Dmy),
            Some(ts("2025-08-04 17:19:00"))
        );
        assert_eq!(
            secs("08-04-2025", DateFormat::Dmy),
            Some(ts("2025-04-08 00:00:00"))
        );
        assert_eq!(
            secs("08.04.2025 9:05", DateFormat::Dmy),
            Some(ts("2025-04-08 09:05:00"))
        );
        assert_eq!(
            secs("3/5/2024, 10:00 PM", DateFormat::Mdy),
            Some(ts("2024-03-05 22:00:00"))
        );
        assert_eq!(
            secs("3/5/24 12:30 AM", DateFormat::Mdy),
            Some(ts("2024-03-05 00:30:00"))
        );
    }

    #[test]
    fn formats_narrow_per_value() {
        assert_eq!(
            parse("31/12/2012").unwrap().formats(),
            Formats::only(DateFormat::Dmy)
        );
        assert_eq!(
            parse("12/31/2012").unwrap().formats(),
            Formats::only(DateFormat::Mdy)
        );
        let both = parse("01/03/2024").unwrap();
        assert!(both.formats().day_month_open());
        assert!(both.order_matters());
        assert!(!parse("05/05/2024").unwrap().order_matters());
        assert!(parse("31/31/2024").unwrap().formats().is_empty());
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            secs("45755", DateFormat::Excel),
            Some(ts("2025-04-08 00:00:00"))
        );
        assert_eq!(
            secs("45755.75", DateFormat::Excel),
            Some(ts("2025-04-08 18:00:00"))
        );
        assert_eq!(
            secs("61", DateFormat::Excel),
            Some(ts("1900-03-01 00:00:00"))
        );
    }

    #[test]
    fn not_dates() {
        for s in [
            "",
            "May-20",
            "hello",
            "2025-13-01",
            "2025-02-30",
            "12:30",
            "1,5",
            "2025-04-08 25:00",
            "4/8/2025 lunch",
        ] {
            let ok =
                parse(s).and_then(|p| p.seconds(DateFormat::Mdy).or(p.seconds(DateFormat::Dmy)));
            assert_eq!(ok, None, "{s}");
        }
    }

    #[test]
    fn user_formats() {
        assert_eq!(DateFormat::parse_option("auto"), Ok(None));
        assert_eq!(
            DateFormat::parse_option("D/M/YYYY"),
            Ok(Some(DateFormat::Dmy))
        );
        assert_eq!(DateFormat::parse_option("mdy"), Ok(Some(DateFormat::Mdy)));
        assert!(DateFormat::parse_option("whenever").is_err());
    }

    #[test]
    fn dates_parse_from_custom_text() {
        assert_eq!(parse_date("1970-01-02"), Some(86400));
        assert_eq!(parse_date("1970-01-01 01:00"), Some(3600));
        assert_eq!(parse_date("7200"), Some(7200));
        assert_eq!(parse_date("soon"), None);
        assert_eq!(month_index(0), 1970 * 12);
        assert_eq!(format_date(86400 + 60), "1970-01-02 00:01");
    }

    #[test]
    fn wall_clock_dates_from_users_are_year_first() {
        assert_eq!(
            parse_wall_clock("2025-04-08 17:19"),
            Some(ts("2025-04-08 17:19:00"))
        );
        assert_eq!(
            parse_wall_clock("4/8/2025"),
            None,
            "ambiguous order refused"
        );
        assert_eq!(
            parse_wall_clock("45755"),
            None,
            "serials are not typed by users"
        );
    }
}
