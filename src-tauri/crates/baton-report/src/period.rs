//! The reporting period: `2025-Q3`, `2025-09`, `2025`, or `all`.

use baton_core::{BatonError, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A half-open range of wall-clock seconds `[start, end)` (see the
/// architecture notes: stored as seconds since 1970-01-01T00:00:00, no zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Period {
    /// As given: `2025-Q3`, `2025-09`, `2025` or `all`.
    pub id: String,
    /// `None` for `all`.
    #[ts(type = "number | null")]
    pub start: Option<i64>,
    #[ts(type = "number | null")]
    pub end: Option<i64>,
}

impl Period {
    pub fn all() -> Self {
        Self {
            id: "all".into(),
            start: None,
            end: None,
        }
    }

    /// Parse a period id; the error says what forms are accepted.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        let bad = || {
            BatonError::invalid(format!(
                "period '{s}' not understood: expected a quarter like 2025-Q3, a month like 2025-09, a year like 2025, or 'all'"
            ))
        };
        if s.eq_ignore_ascii_case("all") {
            return Ok(Self::all());
        }
        let (first, last_exclusive) = if let Some((y, q)) = s.split_once(['-', ' ']) {
            let year: i32 = y.parse().map_err(|_| bad())?;
            if let Some(q) = q.strip_prefix(['Q', 'q']) {
                let q: u32 = q.parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(bad());
                }
                let start = ymd(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
                (start, add_months(start, 3))
            } else {
                let m: u32 = q.parse().map_err(|_| bad())?;
                let start = ymd(year, m, 1).ok_or_else(bad)?;
                (start, add_months(start, 1))
            }
        } else {
            let year: i32 = s.parse().map_err(|_| bad())?;
            if !(1900..=9999).contains(&year) {
                return Err(bad());
            }
            let start = ymd(year, 1, 1).ok_or_else(bad)?;
            (start, add_months(start, 12))
        };
        Ok(Self {
            id: s.to_uppercase(),
            start: Some(seconds(first)),
            end: Some(seconds(last_exclusive)),
        })
    }

    /// For people: "Q3 2025 (2025-07-01 – 2025-09-30)" or "All data".
    pub fn label(&self) -> String {
        let (Some(start), Some(end)) = (self.start, self.end) else {
            return "All data".into();
        };
        let first = date_of(start);
        let last = date_of(end - 1);
        let name = if let Some((y, q)) = self.id.split_once("-Q") {
            format!("Q{q} {y}")
        } else if self.id.len() == 7 {
            first.format("%B %Y").to_string()
        } else {
            self.id.clone()
        };
        format!("{name} ({first} – {last})")
    }

    /// Whether a wall-clock second falls in the period.
    pub fn contains(&self, t: i64) -> bool {
        self.start.is_none_or(|s| t >= s) && self.end.is_none_or(|e| t < e)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn seconds(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp()
}

/// The calendar date of a wall-clock second.
pub fn date_of(t: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|dt| dt.date_naive())
        .unwrap_or(NaiveDate::MIN)
}

/// `YYYY-MM-DD` of a wall-clock second.
pub fn date_text(t: i64) -> String {
    date_of(t).to_string()
}

/// `YYYY-MM` cohort key of a wall-clock second.
pub fn month_key(t: i64) -> String {
    let d = date_of(t);
    format!("{:04}-{:02}", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_month_year_and_all() {
        let q = Period::parse("2025-q3").unwrap();
        assert_eq!(q.id, "2025-Q3");
        assert_eq!(date_text(q.start.unwrap()), "2025-07-01");
        assert_eq!(date_text(q.end.unwrap()), "2025-10-01");
        assert_eq!(q.label(), "Q3 2025 (2025-07-01 – 2025-09-30)");
        assert!(q.contains(q.start.unwrap()));
        assert!(!q.contains(q.end.unwrap()));

        let m = Period::parse("2024-02").unwrap();
        assert_eq!(m.label(), "February 2024 (2024-02-01 – 2024-02-29)");

        let y = Period::parse("2025").unwrap();
        assert_eq!(y.label(), "2025 (2025-01-01 – 2025-12-31)");

        let all = Period::parse("ALL").unwrap();
        assert!(all.contains(i64::MIN) && all.contains(i64::MAX));
        assert_eq!(all.label(), "All data");
    }

    #[test]
    fn bad_periods_say_what_is_expected() {
        for s in ["2025-Q5", "2025-13", "Q3", "next year", "2025-Qx", ""] {
            let e = Period::parse(s).unwrap_err();
            assert_eq!(e.code, baton_core::ErrorCode::InvalidInput);
            assert!(e.message.contains("2025-Q3"), "{s}: {}", e.message);
        }
    }
}
