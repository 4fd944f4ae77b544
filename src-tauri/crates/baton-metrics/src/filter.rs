//! Which records a figure counts: entry date range, field values, persona criteria.

use crate::dataset::{parse_date, Dataset, NONE_KEY, NO_DATE};
use baton_core::persona::{Condition, Criteria, Persona};
use baton_core::record::format_number;
use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Keep records whose `field` (case-folded) is one of `values`; `(none)` means missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldFilter {
    pub field: String,
    pub values: Vec<String>,
}

/// The filters of every metrics query. All optional; they combine with "and".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Filters {
    /// Entry date (the first dated stage) on or after this day, `YYYY-MM-DD`.
    #[serde(default)]
    pub entry_from: Option<String>,
    /// Entry date on or before this day (inclusive), `YYYY-MM-DD`.
    #[serde(default)]
    pub entry_to: Option<String>,
    /// Segment, source, owner or any other field.
    #[serde(default)]
    pub fields: Vec<FieldFilter>,
    /// A persona's criteria.
    #[serde(default)]
    pub persona: Option<Criteria>,
}

impl Filters {
    pub fn field(mut self, field: &str, value: &str) -> Self {
        self.fields.push(FieldFilter {
            field: field.into(),
            values: vec![value.into()],
        });
        self
    }
}

enum Test {
    /// Column index, allowed codes.
    Codes(usize, Vec<bool>),
    /// A persona condition on the amount column.
    Amount(Condition),
    /// A custom field stored under several spellings of its name: the first column
    /// with a value decides (allowed codes per column), else `missing`.
    FirstOf(Vec<(usize, Vec<bool>)>, bool),
    /// Always false (a filter no record can pass).
    Never,
}

/// Filters resolved against one dataset: dictionary codes instead of strings.
pub struct Selection {
    entry: Option<(i64, i64)>,
    tests: Vec<Test>,
}

fn day(text: &str, what: &str) -> Result<i64> {
    let t = text.trim();
    parse_date(t).filter(|_| t.len() >= 10).ok_or_else(|| {
        BatonError::invalid(format!("{what} \"{t}\" is not a date; expected YYYY-MM-DD"))
    })
}

impl Selection {
    pub fn new(ds: &Dataset, f: &Filters) -> Result<Selection> {
        let from = f.entry_from.as_deref().filter(|s| !s.trim().is_empty());
        let to = f.entry_to.as_deref().filter(|s| !s.trim().is_empty());
        let entry = match (from, to) {
            (None, None) => None,
            (a, b) => {
                let lo = a
                    .map(|a| day(a, "entry_from"))
                    .transpose()?
                    .unwrap_or(i64::MIN + 1);
                let hi = b
                    .map(|b| day(b, "entry_to").map(|d| d + 86_400))
                    .transpose()?
                    .unwrap_or(i64::MAX);
                if hi <= lo {
                    return Err(BatonError::invalid(format!(
                        "the entry date range ends before it starts ({} to {})",
                        a.unwrap_or(""),
                        b.unwrap_or("")
                    )));
                }
                Some((lo, hi))
            }
        };
        let mut tests = Vec::new();
        for ff in &f.fields {
            let values: Vec<&String> = ff.values.iter().filter(|v| !v.trim().is_empty()).collect();
            if values.is_empty() {
                continue;
            }
            let idx = ds
                .column_index(&ff.field)
                .ok_or_else(|| unknown_field(ds, &ff.field))?;
            let col = &ds.columns[idx].1;
            let mut allowed = vec![false; col.display.len()];
            for v in values {
                if let Some(code) = col.code_of(v) {
                    allowed[code as usize] = true;
                }
            }
            tests.push(Test::Codes(idx, allowed));
        }
        if let Some(criteria) = &f.persona {
            criteria.validate()?;
            for cond in &criteria.all {
                let allowed = |idx: usize| -> Vec<bool> {
                    let col = &ds.columns[idx].1;
                    (0..col.display.len())
                        .map(|c| cond.test((c > 0).then(|| col.display[c].as_str())))
                        .collect()
                };
                match ds.criteria_columns(cond.field()).as_deref() {
                    None => tests.push(Test::Amount(cond.clone())),
                    // No record has the field: every record is "missing" it.
                    Some([]) if cond.test(None) => {}
                    Some([]) => tests.push(Test::Never),
                    Some([idx]) => tests.push(Test::Codes(*idx, allowed(*idx))),
                    Some(cols) => tests.push(Test::FirstOf(
                        cols.iter().map(|&idx| (idx, allowed(idx))).collect(),
                        cond.test(None),
                    )),
                }
            }
        }
        Ok(Selection { entry, tests })
    }

    /// Does row `i` pass every filter?
    #[inline]
    pub fn contains(&self, ds: &Dataset, i: usize) -> bool {
        if let Some((lo, hi)) = self.entry {
            let e = ds.entry[i];
            if e == NO_DATE || e < lo || e >= hi {
                return false;
            }
        }
        self.tests.iter().all(|t| match t {
            Test::Codes(col, allowed) => allowed[ds.columns[*col].1.codes.get(i) as usize],
            Test::Amount(cond) => {
                let a = ds.amount[i];
                cond.test((!a.is_nan()).then(|| format_number(a)).as_deref())
            }
            Test::FirstOf(cols, missing) => cols
                .iter()
                .find_map(|(col, allowed)| match ds.columns[*col].1.codes.get(i) {
                    0 => None,
                    code => Some(allowed[code as usize]),
                })
                .unwrap_or(*missing),
            Test::Never => false,
        })
    }

    pub fn is_everything(&self) -> bool {
        self.entry.is_none() && self.tests.is_empty()
    }

    /// Rows passing the filters, in order.
    pub fn rows<'a>(&'a self, ds: &'a Dataset) -> impl Iterator<Item = usize> + 'a {
        (0..ds.len()).filter(move |&i| self.contains(ds, i))
    }
}

/// The breakdown (and drill-down group) field that groups records by persona.
pub const PERSONA_FIELD: &str = "persona";

/// Each row's persona group — 1 + the index of the first persona (in the order given)
/// whose criteria match, 0 when none does — and the key of each group
/// ([`NONE_KEY`], then the personas' names).
pub fn persona_groups(ds: &Dataset, personas: &[Persona]) -> Result<(Vec<u32>, Vec<String>)> {
    let selections = personas
        .iter()
        .map(|p| {
            let only = Filters {
                persona: Some(p.criteria.clone()),
                ..Filters::default()
            };
            Selection::new(ds, &only)
                .map_err(|e| BatonError::invalid(format!("persona \"{}\": {}", p.name, e.message)))
        })
        .collect::<Result<Vec<_>>>()?;
    let codes = (0..ds.len())
        .map(|i| {
            selections
                .iter()
                .position(|s| s.contains(ds, i))
                .map_or(0, |p| p as u32 + 1)
        })
        .collect();
    let mut keys = vec![NONE_KEY.to_string()];
    keys.extend(personas.iter().map(|p| p.name.clone()));
    Ok((codes, keys))
}

pub fn unknown_field(ds: &Dataset, field: &str) -> BatonError {
    BatonError::invalid(format!(
        "no field \"{field}\" in the imported records; known fields: {}",
        ds.field_names().join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Record;
    use baton_core::stages::default_stages;

    #[test]
    fn field_entry_and_persona_filters() {
        let mk = |id: i64, src: &str, lead: i64, size: i64| Record {
            id,
            kind: "contact".into(),
            external_id: id.to_string(),
            stage_dates: vec![("lead".into(), lead)],
            source: Some(src.into()),
            company_size: Some(size),
            ..Record::default()
        };
        let ds = Dataset::build(
            default_stages(),
            vec![
                mk(1, "Google", 0, 10),
                mk(2, "google", 86_400 * 40, 500),
                mk(3, "Event", 86_400, 50),
            ],
            0,
        );
        let rows = |f: Filters| -> Vec<usize> {
            let s = Selection::new(&ds, &f).unwrap();
            s.rows(&ds).collect()
        };
        assert_eq!(
            rows(Filters::default().field("source", "GOOGLE")),
            vec![0, 1]
        );
        assert_eq!(
            rows(Filters {
                entry_to: Some("1970-01-02".into()),
                ..Filters::default()
            }),
            vec![0, 2]
        );
        let persona: Criteria = serde_json::from_str(
            r#"{"all":[{"op":"at_least","field":"company_size","value":50}]}"#,
        )
        .unwrap();
        assert_eq!(
            rows(Filters {
                persona: Some(persona),
                ..Filters::default()
            }),
            vec![1, 2]
        );
        let err = Selection::new(&ds, &Filters::default().field("colour", "red"))
            .err()
            .unwrap();
        assert!(
            err.message.contains("known fields: source"),
            "{}",
            err.message
        );
    }
}

#[cfg(test)]
mod one_field_rule {
    use super::*;
    use crate::dataset::Record;
    use baton_core::stages::default_stages;

    /// The engine's persona filter selects exactly the records
    /// `Criteria::matches_record` (the Personas screen's rule) accepts, including a
    /// custom field named in another case or under two spellings, `custom:NAME`,
    /// `current_stage`, and a value in another (non-ASCII) case.
    #[test]
    fn persona_filter_agrees_with_the_record_rule() {
        let rec = |id: i64, custom: &[(&str, &str)], industry: Option<&str>| Record {
            id,
            kind: "contact".into(),
            external_id: id.to_string(),
            current_stage: Some(if id % 2 == 0 { "mql" } else { "lead" }.into()),
            source: Some("Google".into()),
            industry: industry.map(str::to_string),
            custom: custom
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Record::default()
        };
        let records = vec![
            rec(1, &[("Lead Score", "80")], Some("ÉCOLE")),
            rec(
                2,
                &[("lead score", "20"), ("source", "Fair")],
                Some("école"),
            ),
            rec(3, &[("Lead Score", "90"), ("lead score", "5")], None),
            rec(4, &[], Some("Retail")),
        ];
        let ds = Dataset::build(default_stages(), records.clone(), 0);
        let criteria = [
            r#"{"op":"at_least","field":"LEAD SCORE","value":50}"#,
            r#"{"op":"not_in","field":"lead score","values":["20"]}"#,
            r#"{"op":"in","field":"custom:source","values":["fair"]}"#,
            r#"{"op":"in","field":"industry","values":["école"]}"#,
            r#"{"op":"in","field":"current_stage","values":["MQL"]}"#,
        ];
        for json in criteria {
            let c = Criteria {
                all: vec![serde_json::from_str(json).unwrap()],
            };
            let sel = Selection::new(
                &ds,
                &Filters {
                    persona: Some(c.clone()),
                    ..Filters::default()
                },
            )
            .unwrap();
            let engine: Vec<usize> = sel.rows(&ds).collect();
            let by_record: Vec<usize> = (0..records.len())
                .filter(|&i| c.matches_record(&records[i]))
                .collect();
            assert_eq!(engine, by_record, "{json}");
            assert!(!engine.is_empty() && engine.len() < 4, "{json}: {engine:?}");
        }
    }
}
