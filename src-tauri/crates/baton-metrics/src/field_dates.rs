//! Dates held in custom fields (e.g. a CRM's first-touch column), which the import keeps
//! as text. They are read with the importer's own rules (`baton_core::dates`): ISO,
//! `M/D/YYYY`, `D/M/YYYY`, `D-M-YYYY`, `D.M.YYYY`, with or without a time, and Excel
//! serial numbers. As the importer does per column, the day/month order is decided
//! once for the whole field from every value; month first while no value tells.

use crate::dataset::{Column, NO_DATE};
use baton_core::dates::{self, DateFormat, Formats, Parsed};

/// A text field read as dates, per dictionary code.
#[derive(Debug, Clone)]
pub struct FieldDates {
    /// Per code: the wall-clock seconds, or [`NO_DATE`] (missing or not a date).
    pub by_code: Vec<i64>,
    /// The day/month order used for `M/D` or `D/M` values.
    pub order: DateFormat,
}

impl FieldDates {
    pub fn read(col: &Column) -> FieldDates {
        let parsed: Vec<Option<Parsed>> = col
            .display
            .iter()
            .enumerate()
            .map(|(code, v)| if code == 0 { None } else { dates::parse(v) })
            .collect();
        let mut formats = Formats::TEXT_ALL;
        for p in parsed.iter().flatten() {
            if let Parsed::YearLast(..) = p {
                let narrowed = formats.intersect(p.formats());
                if !narrowed.is_empty() {
                    formats = narrowed;
                }
            }
        }
        let order = if !formats.contains(DateFormat::Mdy) && formats.contains(DateFormat::Dmy) {
            DateFormat::Dmy
        } else {
            DateFormat::Mdy
        };
        let by_code = parsed
            .iter()
            .map(|p| {
                p.and_then(|p| match p {
                    Parsed::Serial(_) => p.seconds(DateFormat::Excel),
                    _ => p.seconds(order),
                })
                .unwrap_or(NO_DATE)
            })
            .collect();
        FieldDates { by_code, order }
    }

    /// The date of a code, if it is one.
    #[inline]
    pub fn date(&self, code: u32) -> Option<i64> {
        let d = self.by_code[code as usize];
        (d != NO_DATE).then_some(d)
    }

    /// A value is present (code > 0) but does not read as a date.
    #[inline]
    pub fn unreadable(&self, code: u32) -> bool {
        code > 0 && self.by_code[code as usize] == NO_DATE
    }

    /// Distinct values that read as dates.
    pub fn readable_values(&self) -> usize {
        self.by_code
            .iter()
            .skip(1)
            .filter(|d| **d != NO_DATE)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{parse_date, Dataset, Record};
    use baton_core::stages::default_stages;

    fn field(values: &[&str]) -> FieldDates {
        let records = values
            .iter()
            .enumerate()
            .map(|(i, v)| Record {
                id: i as i64,
                kind: "contact".into(),
                external_id: i.to_string(),
                custom: vec![("touch".into(), v.to_string())],
                ..Record::default()
            })
            .collect();
        let ds = Dataset::build(default_stages(), records, 0);
        FieldDates::read(ds.column("touch").unwrap())
    }

    #[test]
    fn us_dates_excel_serials_and_iso_read_like_the_importer() {
        // 12/31 can only be month first: the whole field is M/D, so 4/8 is April 8.
        let f = field(&[
            "4/8/2025 17:19",
            "12/31/2025",
            "45755.75",
            "2025-04-09",
            "soon",
        ]);
        assert_eq!(f.order, DateFormat::Mdy);
        assert_eq!(f.date(1), parse_date("2025-04-08 17:19"));
        assert_eq!(f.date(3), parse_date("2025-04-08 18:00"), "Excel serial");
        assert_eq!(f.date(4), parse_date("2025-04-09"));
        assert!(f.unreadable(5) && !f.unreadable(0));
        assert_eq!(f.readable_values(), 4);
    }

    #[test]
    fn a_day_first_value_decides_the_whole_field() {
        let f = field(&["4/8/2025 17:19", "31/12/2025"]);
        assert_eq!(f.order, DateFormat::Dmy);
        assert_eq!(f.date(1), parse_date("2025-08-04 17:19"));
        assert_eq!(f.date(2), parse_date("2025-12-31"));
    }
}
