//! The funnel: how many records reached each agreed stage, overall, per breakdown
//! group and per entry cohort.
//!
//! A record reached a stage if it has a date for that stage or a later one, or its
//! current stage (or a stage a snapshot saw it at) is that stage or later. Stages it
//! passed without any such evidence count as reached and are reported as skipped.

use crate::dataset::{month_index, Dataset, Outcome, NO_DATE};
use crate::filter::{persona_groups, unknown_field, Filters, Selection, PERSONA_FIELD};
use crate::stats::ratio;
use baton_core::persona::Persona;
use baton_core::Result;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Granularity {
    Month,
    Quarter,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FunnelQuery {
    #[serde(default)]
    pub filters: Filters,
    /// Break the funnel down by this field.
    #[serde(default)]
    pub by: Option<String>,
    /// Also compute the funnel per entry cohort.
    #[serde(default)]
    pub trend: Option<Granularity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StageFigures {
    pub id: String,
    pub name: String,
    #[ts(type = "number")]
    pub reached: u64,
    /// reached / reached at the first stage (0–1); null when the first stage is empty.
    pub pct_of_first: Option<f64>,
    /// reached / reached at the previous stage; null for the first stage.
    pub pct_of_previous: Option<f64>,
    /// Reached the previous stage but not this one (0 for the first stage).
    #[ts(type = "number")]
    pub drop_off: u64,
    /// Counted as reached only because a later stage was reached.
    #[ts(type = "number")]
    pub skipped: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Outcomes {
    #[ts(type = "number")]
    pub won: u64,
    #[ts(type = "number")]
    pub lost: u64,
    #[ts(type = "number")]
    pub open: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupFigures {
    pub key: String,
    /// Records in the group (including those with no stage).
    #[ts(type = "number")]
    pub records: u64,
    pub stages: Vec<StageFigures>,
    pub outcomes: Outcomes,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FunnelReport {
    pub stages: Vec<StageFigures>,
    pub outcomes: Outcomes,
    /// Records passing the filters.
    #[ts(type = "number")]
    pub records: u64,
    /// Of those, records nothing places in the funnel (no stage, no date).
    #[ts(type = "number")]
    pub no_stage: u64,
    pub by: Option<String>,
    /// One entry per value of `by`, largest first.
    pub groups: Vec<GroupFigures>,
    pub trend_granularity: Option<Granularity>,
    /// One entry per entry cohort, oldest first (records with a dated stage only).
    pub trend: Vec<GroupFigures>,
}

/// Counts for one set of records.
#[derive(Clone)]
struct Tally {
    /// Records whose highest stage is `s`.
    at: Vec<u64>,
    skipped: Vec<u64>,
    outcomes: Outcomes,
    records: u64,
    no_stage: u64,
}

impl Tally {
    fn new(n: usize) -> Self {
        Tally {
            at: vec![0; n],
            skipped: vec![0; n],
            outcomes: Outcomes::default(),
            records: 0,
            no_stage: 0,
        }
    }

    #[inline]
    fn add(&mut self, ds: &Dataset, i: usize) {
        self.records += 1;
        match ds.outcome[i] {
            Outcome::Won => self.outcomes.won += 1,
            Outcome::Lost => self.outcomes.lost += 1,
            Outcome::Open => self.outcomes.open += 1,
        }
        let r = ds.reach[i];
        if r < 0 {
            self.no_stage += 1;
            return;
        }
        let r = r as usize;
        self.at[r] += 1;
        let missing = !ds.evidence[i] & ((1u32 << r) - 1);
        if missing != 0 {
            for (s, n) in self.skipped.iter_mut().enumerate().take(r) {
                *n += u64::from(missing >> s & 1);
            }
        }
    }

    fn stages(&self, ds: &Dataset) -> Vec<StageFigures> {
        let n = self.at.len();
        let mut reached = vec![0u64; n];
        let mut acc = 0;
        for s in (0..n).rev() {
            acc += self.at[s];
            reached[s] = acc;
        }
        (0..n)
            .map(|s| StageFigures {
                id: ds.stages[s].id.clone(),
                name: ds.stages[s].name.clone(),
                reached: reached[s],
                pct_of_first: ratio(reached[s], reached[0]),
                pct_of_previous: if s == 0 {
                    None
                } else {
                    ratio(reached[s], reached[s - 1])
                },
                drop_off: if s == 0 {
                    0
                } else {
                    reached[s - 1] - reached[s]
                },
                skipped: self.skipped[s],
            })
            .collect()
    }

    fn group(&self, ds: &Dataset, key: String) -> GroupFigures {
        GroupFigures {
            key,
            records: self.records,
            stages: self.stages(ds),
            outcomes: self.outcomes.clone(),
        }
    }
}

/// Entry cohort of a wall-clock time: a sortable index and its label.
pub fn cohort_of(secs: i64, g: Granularity) -> i32 {
    let m = month_index(secs);
    match g {
        Granularity::Month => m,
        Granularity::Quarter => m.div_euclid(12) * 4 + m.rem_euclid(12) / 3,
    }
}

pub fn cohort_label(index: i32, g: Granularity) -> String {
    match g {
        Granularity::Month => format!("{}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1),
        Granularity::Quarter => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
    }
}

/// A breakdown resolved against a dataset: a group code per row, the key of each code
/// and the breakdown's name.
pub(crate) type Groups<'a> = (Cow<'a, [u32]>, Cow<'a, [String]>, String);

/// Resolve `by`: a field, or [`PERSONA_FIELD`] (the first matching persona, in order).
pub(crate) fn groups_of<'a>(
    ds: &'a Dataset,
    by: Option<&str>,
    personas: &[Persona],
) -> Result<Option<Groups<'a>>> {
    Ok(match by.map(str::trim) {
        Some(PERSONA_FIELD) => {
            let (codes, keys) = persona_groups(ds, personas)?;
            Some((Cow::Owned(codes), Cow::Owned(keys), PERSONA_FIELD.into()))
        }
        Some(f) if !f.is_empty() => {
            let c = ds.column_index(f).ok_or_else(|| unknown_field(ds, f))?;
            let (name, col) = &ds.columns[c];
            Some((
                Cow::Borrowed(&col.codes[..]),
                Cow::Borrowed(&col.display[..]),
                name.clone(),
            ))
        }
        _ => None,
    })
}

pub fn funnel(ds: &Dataset, q: &FunnelQuery) -> Result<FunnelReport> {
    funnel_with_personas(ds, q, &[])
}

/// [`funnel`], with the workspace's personas (in their order) for `by = "persona"`.
pub fn funnel_with_personas(
    ds: &Dataset,
    q: &FunnelQuery,
    personas: &[Persona],
) -> Result<FunnelReport> {
    let sel = Selection::new(ds, &q.filters)?;
    let n = ds.stage_count();
    let by = groups_of(ds, q.by.as_deref(), personas)?;
    let mut total = Tally::new(n);
    let mut groups: Vec<Option<Tally>> = match &by {
        Some((_, keys, _)) => vec![None; keys.len()],
        None => Vec::new(),
    };
    let mut cohorts: std::collections::BTreeMap<i32, Tally> = Default::default();
    let everything = sel.is_everything();
    for i in 0..ds.len() {
        if !everything && !sel.contains(ds, i) {
            continue;
        }
        total.add(ds, i);
        if let Some((codes, _, _)) = &by {
            let code = codes[i] as usize;
            groups[code].get_or_insert_with(|| Tally::new(n)).add(ds, i);
        }
        if let Some(g) = q.trend {
            if ds.entry[i] != NO_DATE {
                cohorts
                    .entry(cohort_of(ds.entry[i], g))
                    .or_insert_with(|| Tally::new(n))
                    .add(ds, i);
            }
        }
    }
    let mut group_figures: Vec<GroupFigures> = match &by {
        Some((_, keys, _)) => groups
            .iter()
            .enumerate()
            .filter_map(|(code, t)| t.as_ref().map(|t| t.group(ds, keys[code].clone())))
            .collect(),
        None => Vec::new(),
    };
    group_figures.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.key.cmp(&b.key)));
    let trend = match q.trend {
        Some(g) => cohorts
            .iter()
            .map(|(k, t)| t.group(ds, cohort_label(*k, g)))
            .collect(),
        None => Vec::new(),
    };
    Ok(FunnelReport {
        stages: total.stages(ds),
        outcomes: total.outcomes.clone(),
        records: total.records,
        no_stage: total.no_stage,
        by: by.map(|(_, _, name)| name),
        groups: group_figures,
        trend_granularity: q.trend,
        trend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Record;
    use baton_core::persona::{Condition, Criteria};
    use baton_core::stages::default_stages;

    #[test]
    fn persona_breakdown_takes_the_first_matching_persona() {
        let rec = |id: i64, segment: &str, source: &str| Record {
            id,
            kind: "contact".into(),
            external_id: id.to_string(),
            current_stage: Some("lead".into()),
            segment: Some(segment.into()),
            source: Some(source.into()),
            ..Record::default()
        };
        let ds = Dataset::build(
            default_stages(),
            vec![
                rec(1, "ENT", "Google"),
                rec(2, "ENT", "Event"),
                rec(3, "SMB", "google"),
                rec(4, "SMB", "Event"),
            ],
            0,
        );
        let persona = |id: i64, name: &str, field: &str, value: &str| Persona {
            id,
            name: name.into(),
            role: String::new(),
            company_size: String::new(),
            industry: String::new(),
            statements: Vec::new(),
            criteria: Criteria {
                all: vec![Condition::In {
                    field: field.into(),
                    values: vec![value.into()],
                }],
            },
        };
        // Record 1 matches both: it belongs to the first persona only.
        let personas = [
            persona(7, "Enterprise", "segment", "ent"),
            persona(3, "Searcher", "source", "GOOGLE"),
        ];
        let r = funnel_with_personas(
            &ds,
            &FunnelQuery {
                by: Some(PERSONA_FIELD.into()),
                ..FunnelQuery::default()
            },
            &personas,
        )
        .unwrap();
        let groups: Vec<(&str, u64)> = r
            .groups
            .iter()
            .map(|g| (g.key.as_str(), g.records))
            .collect();
        assert_eq!(
            groups,
            vec![("Enterprise", 2), ("(none)", 1), ("Searcher", 1)]
        );
        assert_eq!(r.by.as_deref(), Some("persona"));
    }

    #[test]
    fn cohort_labels() {
        // 2025-02-10 and 2025-05-01
        assert_eq!(
            cohort_label(
                cohort_of(1_739_145_600, Granularity::Month),
                Granularity::Month
            ),
            "2025-02"
        );
        assert_eq!(
            cohort_label(
                cohort_of(1_746_057_600, Granularity::Quarter),
                Granularity::Quarter
            ),
            "2025-Q2"
        );
    }
}
