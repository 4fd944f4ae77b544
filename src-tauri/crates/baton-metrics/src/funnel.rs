//! The funnel: how many records reached each agreed stage, overall, per breakdown
//! group and per entry cohort.
//!
//! A record reached a stage if it has a date for that stage or a later one, or its
//! current stage (or a stage a snapshot saw it at) is that stage or later. Stages it
//! passed without any such evidence count as reached and are reported as skipped
//! ([`Counting::Passed`]), or are not counted at all ([`Counting::Evidence`]). A stage
//! none of a record's files can express is not tracked for it: the record is left out of
//! that stage's figures rather than counted as passing it.

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

/// How a record that reached a later stage without evidence of an earlier (tracked)
/// one is counted — HubSpot's choice between its two funnel report types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Counting {
    /// Skipped stages count as passed (HubSpot's "any stages"): the default.
    #[default]
    Passed,
    /// Only records with evidence of every tracked stage up to this one, in order
    /// (HubSpot's "all stages", strict).
    Evidence,
}

impl Counting {
    /// The rule in the user's words, for screens, reports and exports.
    pub fn describe(self) -> &'static str {
        match self {
            Counting::Passed => "skipped stages count as passed",
            Counting::Evidence => "only records with evidence of every stage up to it",
        }
    }
}

/// Points (cohorts, groups) from fewer records than this are marked as small samples.
pub const SMALL_SAMPLE: u64 = 10;

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
    /// How skipped stages count.
    #[serde(default)]
    pub counting: Counting,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StageFigures {
    pub id: String,
    pub name: String,
    /// False when no record of the set has a file that can express this stage: it has
    /// no count and no percentages (not zero: unknown).
    pub tracked: bool,
    /// Records that reached the stage, among those that track it; null when not tracked.
    #[ts(type = "number | null")]
    pub reached: Option<u64>,
    /// Records in the funnel whose files track this stage: the base of its figures.
    #[ts(type = "number")]
    pub tracked_records: u64,
    /// Only some of the records in the funnel track this stage: its figures count those.
    pub partly_tracked: bool,
    /// reached / reached at the first tracked stage (0–1), when every record tracking
    /// this stage tracks the first one too; null otherwise, when not tracked, or when the
    /// base is empty.
    pub pct_of_first: Option<f64>,
    /// reached / reached at `previous`, over records tracking both; null for the first
    /// tracked stage.
    pub pct_of_previous: Option<f64>,
    /// The stage `pct_of_previous` and `drop_off` compare with: the last earlier stage
    /// that every record tracking this one also tracks (stages in between are not
    /// tracked); null when there is none.
    pub previous: Option<String>,
    /// Reached `previous` but not this one (0 for the first tracked stage and when not
    /// tracked).
    #[ts(type = "number")]
    pub drop_off: u64,
    /// Counted as reached only because a later stage was reached (tracked stages only).
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
    /// Fewer than [`SMALL_SAMPLE`] records in the funnel: percentages are shown as
    /// marked points and left out of any trend.
    pub small_sample: bool,
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
    /// The counting rule used.
    pub counting: Counting,
    /// That rule in words.
    pub counting_text: String,
    /// What the data does not track, in words (empty when every stage is tracked).
    pub tracking_notes: Vec<String>,
    pub by: Option<String>,
    /// One entry per value of `by`, largest first.
    pub groups: Vec<GroupFigures>,
    pub trend_granularity: Option<Granularity>,
    /// One entry per entry cohort, oldest first (records with a dated stage only).
    pub trend: Vec<GroupFigures>,
}

/// Counts for one set of records, per set of tracked stages.
#[derive(Clone)]
struct Tally {
    n: usize,
    /// `at[m * n + s]`: records of tracked-set `m` whose highest counted stage is `s`.
    at: Vec<u64>,
    /// Records in the funnel per tracked-set.
    in_funnel: Vec<u64>,
    skipped: Vec<u64>,
    outcomes: Outcomes,
    records: u64,
    no_stage: u64,
}

impl Tally {
    fn new(ds: &Dataset) -> Self {
        let n = ds.stage_count();
        let m = ds.tracked_masks.len();
        Tally {
            n,
            at: vec![0; n * m],
            in_funnel: vec![0; m],
            skipped: vec![0; n],
            outcomes: Outcomes::default(),
            records: 0,
            no_stage: 0,
        }
    }

    #[inline]
    fn add(&mut self, ds: &Dataset, i: usize, counting: Counting) {
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
        let m = ds.tracked_of[i] as usize;
        self.in_funnel[m] += 1;
        let counted = match counting {
            Counting::Passed => r,
            Counting::Evidence => ds.evidence_reach[i],
        };
        if counted >= 0 {
            self.at[m * self.n + counted as usize] += 1;
        }
        let r = r as usize;
        let missing = !ds.evidence[i] & ((1u32 << r) - 1) & ds.tracked_masks[m];
        if missing != 0 {
            for (s, n) in self.skipped.iter_mut().enumerate().take(r) {
                *n += u64::from(missing >> s & 1);
            }
        }
    }

    fn stages(&self, ds: &Dataset) -> Vec<StageFigures> {
        let n = self.n;
        let masks = &ds.tracked_masks;
        // reached[m][s]: records of set m counted at stage s or later.
        let mut reached = vec![0u64; self.at.len()];
        for m in 0..masks.len() {
            let mut acc = 0;
            for s in (0..n).rev() {
                acc += self.at[m * n + s];
                reached[m * n + s] = acc;
            }
        }
        let used: Vec<usize> = (0..masks.len())
            .filter(|&m| self.in_funnel[m] > 0)
            .collect();
        // An empty set still shows which stages its data could say.
        let used = if used.is_empty() {
            (0..masks.len()).collect()
        } else {
            used
        };
        let has = |m: usize, s: usize| masks[m] >> s & 1 == 1;
        let tracked: Vec<bool> = (0..n).map(|s| used.iter().any(|&m| has(m, s))).collect();
        let in_funnel: u64 = self.in_funnel.iter().sum();
        // Over the sets tracking both `a` and `b`: (records, reached a, reached b).
        let pair = |a: usize, b: usize| {
            used.iter().filter(|&&m| has(m, a) && has(m, b)).fold(
                (0u64, 0u64, 0u64),
                |(k, x, y), &m| {
                    (
                        k + self.in_funnel[m],
                        x + reached[m * n + a],
                        y + reached[m * n + b],
                    )
                },
            )
        };
        let first = (0..n).find(|&s| tracked[s]);
        (0..n)
            .map(|s| {
                let (base, count, _) = pair(s, s);
                // Every record tracking this stage also tracks `p`: a ratio of the two
                // counts is then over the same records.
                let covers = |p: usize| used.iter().all(|&m| !has(m, s) || has(m, p));
                // The last earlier stage every record tracking this one also tracks.
                let previous = if tracked[s] {
                    (0..s).rev().find(|&p| tracked[p] && covers(p))
                } else {
                    None
                };
                let (pct_of_previous, drop_off) = match previous {
                    Some(p) => {
                        let (_, before, here) = pair(p, s);
                        (ratio(here, before), before - here)
                    }
                    None => (None, 0),
                };
                // Only when every record tracking this stage tracks the first one too.
                let pct_of_first = match first {
                    Some(f) if tracked[s] && covers(f) => {
                        let (_, entered, here) = pair(f, s);
                        ratio(here, entered)
                    }
                    _ => None,
                };
                StageFigures {
                    id: ds.stages[s].id.clone(),
                    name: ds.stages[s].name.clone(),
                    tracked: tracked[s],
                    reached: tracked[s].then_some(count),
                    tracked_records: base,
                    partly_tracked: tracked[s] && base < in_funnel,
                    pct_of_first,
                    pct_of_previous,
                    previous: previous.map(|p| ds.stages[p].id.clone()),
                    drop_off,
                    skipped: self.skipped[s],
                }
            })
            .collect()
    }

    fn group(&self, ds: &Dataset, key: String) -> GroupFigures {
        GroupFigures {
            key,
            records: self.records,
            small_sample: self.records - self.no_stage < SMALL_SAMPLE,
            stages: self.stages(ds),
            outcomes: self.outcomes.clone(),
        }
    }
}

/// What the data does not track, in words, for the screen, the report and the exports.
pub fn tracking_notes(stages: &[StageFigures]) -> Vec<String> {
    let mut notes = Vec::new();
    let untracked: Vec<&str> = stages
        .iter()
        .filter(|s| !s.tracked)
        .map(|s| s.name.as_str())
        .collect();
    if !untracked.is_empty() {
        notes.push(format!(
            "The data does not track {}: no imported file has a date column or a stage value for {}. {} shown as not tracked (no count), and % of previous compares with the last tracked stage.",
            join_names(&untracked),
            if untracked.len() == 1 { "it" } else { "them" },
            if untracked.len() == 1 { "It is" } else { "They are" },
        ));
    }
    for s in stages.iter().filter(|s| s.partly_tracked) {
        notes.push(format!(
            "Only {} records in the funnel have files that track {}: its figures count those records only.",
            thousands(s.tracked_records),
            s.name
        ));
    }
    notes
}

/// `12345` → `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
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
                Cow::Owned(col.codes.to_vec()),
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
    let by = groups_of(ds, q.by.as_deref(), personas)?;
    let counting = q.counting;
    let mut total = Tally::new(ds);
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
        total.add(ds, i, counting);
        if let Some((codes, _, _)) = &by {
            let code = codes[i] as usize;
            groups[code]
                .get_or_insert_with(|| Tally::new(ds))
                .add(ds, i, counting);
        }
        if let Some(g) = q.trend {
            if ds.entry[i] != NO_DATE {
                cohorts
                    .entry(cohort_of(ds.entry[i], g))
                    .or_insert_with(|| Tally::new(ds))
                    .add(ds, i, counting);
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
    let stages = total.stages(ds);
    Ok(FunnelReport {
        tracking_notes: tracking_notes(&stages),
        stages,
        outcomes: total.outcomes.clone(),
        records: total.records,
        no_stage: total.no_stage,
        counting,
        counting_text: counting.describe().to_string(),
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
            row_version: 1,
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

    const DAY: i64 = 86_400;
    const JAN: i64 = 1_735_689_600; // 2025-01-01

    /// A record with a lead date and evidence of `seen` (dates), at `current`.
    fn rec(id: i64, kind: &str, seen: &[&str], current: &str) -> Record {
        Record {
            id,
            kind: kind.into(),
            external_id: format!("{kind}-{id}"),
            current_stage: Some(current.into()),
            stage_dates: seen
                .iter()
                .enumerate()
                .map(|(k, s)| (s.to_string(), JAN + k as i64 * DAY))
                .collect(),
            ..Record::default()
        }
    }

    /// Contacts whose files say every stage, deals whose files say only lead,
    /// opportunity and customer (a deal export's Prospecting / Engaging / Won).
    fn contacts_and_deals() -> Dataset {
        let mut ds = Dataset::build(
            default_stages(),
            vec![
                rec(1, "contact", &["lead", "mql", "sql"], "sql"),
                rec(2, "contact", &["lead"], "opportunity"), // skipped mql and sql
                rec(3, "contact", &["lead", "mql"], "mql"),
                rec(4, "contact", &["lead"], "lead"),
                rec(5, "deal", &["lead"], "opportunity"),
                rec(6, "deal", &["lead"], "customer"), // won, never seen at opportunity
                rec(7, "deal", &["lead"], "lead"),
            ],
            JAN + 40 * DAY,
        );
        ds.set_tracked_stages(4..7, &["lead", "opportunity", "customer"]);
        ds
    }

    fn reached(r: &FunnelReport) -> Vec<Option<u64>> {
        r.stages.iter().map(|s| s.reached).collect()
    }

    fn stage<'a>(r: &'a FunnelReport, id: &str) -> &'a StageFigures {
        r.stages.iter().find(|s| s.id == id).unwrap()
    }

    #[test]
    fn a_stage_no_record_tracks_has_no_count_and_previous_skips_it() {
        let ds = contacts_and_deals();
        let deals = funnel(
            &ds,
            &FunnelQuery {
                filters: Filters::default().field("kind", "deal"),
                ..FunnelQuery::default()
            },
        )
        .unwrap();
        assert_eq!(reached(&deals), vec![Some(3), None, None, Some(2), Some(1)]);
        let mql = stage(&deals, "mql");
        assert!(!mql.tracked && mql.pct_of_previous.is_none() && mql.pct_of_first.is_none());
        let opp = stage(&deals, "opportunity");
        assert_eq!(opp.previous.as_deref(), Some("lead"));
        assert_eq!((opp.pct_of_previous, opp.drop_off), (Some(2.0 / 3.0), 1));
        assert_eq!(stage(&deals, "customer").pct_of_previous, Some(0.5));
        assert_eq!(deals.tracking_notes.len(), 1);
        assert!(deals.tracking_notes[0].starts_with(
            "The data does not track Marketing Qualified Lead and Sales Qualified Lead"
        ));
        // Skipping a stage the files cannot say is not a skip.
        assert_eq!(stage(&deals, "mql").skipped, 0);
        assert_eq!(stage(&deals, "opportunity").skipped, 1);
        // Nor is it in the quality panel.
        let q = crate::quality(&ds, &Filters::default().field("kind", "deal")).unwrap();
        assert_eq!(q.skipped_records, 1);
    }

    #[test]
    fn mixed_tracking_counts_a_stage_over_the_records_that_track_it() {
        let ds = contacts_and_deals();
        let all = funnel(&ds, &FunnelQuery::default()).unwrap();
        assert_eq!(
            reached(&all),
            vec![Some(7), Some(3), Some(2), Some(3), Some(1)]
        );
        let mql = stage(&all, "mql");
        assert!(mql.tracked && mql.partly_tracked);
        assert_eq!(mql.tracked_records, 4, "the four contacts");
        // 3 of the 4 contacts, not 3 of all 7 leads.
        assert_eq!(mql.pct_of_previous, Some(0.75));
        assert_eq!((mql.pct_of_first, mql.drop_off), (Some(0.75), 1));
        // Deals do not track SQL: opportunity compares with lead, over all 7.
        let opp = stage(&all, "opportunity");
        assert!(!opp.partly_tracked);
        assert_eq!(opp.previous.as_deref(), Some("lead"));
        assert_eq!(opp.pct_of_previous, Some(3.0 / 7.0));
        assert!(all.tracking_notes.iter().any(|n| n.starts_with(
            "Only 4 records in the funnel have files that track Marketing Qualified Lead"
        )));
        // Drill-down lists the same records.
        let drill = |target: crate::DrillTarget| {
            crate::drill(
                &ds,
                &crate::DrillQuery {
                    filters: Filters::default(),
                    target,
                    group: None,
                    cohort: None,
                    limit: None,
                    counting: None,
                },
                &[],
                &Default::default(),
            )
            .unwrap()
            .total
        };
        assert_eq!(
            drill(crate::DrillTarget::Reached {
                stage: "mql".into()
            }),
            3
        );
        assert_eq!(
            drill(crate::DrillTarget::DroppedAfter {
                stage: "lead".into(),
                next: Some("opportunity".into())
            }),
            4
        );
    }

    #[test]
    fn no_ratio_divides_records_that_could_not_have_reached_the_other_stage() {
        // Deals that say nothing before opportunity (a Pipedrive export) beside contacts.
        let mut ds = contacts_and_deals();
        ds.set_tracked_stages(4..7, &["opportunity", "customer"]);
        let all = funnel(&ds, &FunnelQuery::default()).unwrap();
        let opp = stage(&all, "opportunity");
        assert_eq!(opp.reached, Some(3));
        assert_eq!(
            (
                opp.pct_of_first,
                opp.pct_of_previous,
                opp.previous.as_deref()
            ),
            (None, None, None),
            "contacts' lead count is no base for deals"
        );
        let lead = stage(&all, "lead");
        assert_eq!((lead.reached, lead.tracked_records), (Some(4), 4));
        assert!(all
            .tracking_notes
            .iter()
            .any(|n| n.starts_with("Only 4 records in the funnel have files that track Lead")));
    }

    #[test]
    fn evidence_counting_needs_evidence_of_every_tracked_stage() {
        let ds = contacts_and_deals();
        let q = |counting| FunnelQuery {
            counting,
            ..FunnelQuery::default()
        };
        let passed = funnel(&ds, &q(Counting::Passed)).unwrap();
        let strict = funnel(&ds, &q(Counting::Evidence)).unwrap();
        assert_eq!(passed.counting_text, "skipped stages count as passed");
        // Contact 2 skipped mql (stops at lead); deal 6 was never seen at opportunity
        // (stops at lead); deal 5 skipped only untracked stages (reaches opportunity).
        assert_eq!(
            reached(&strict),
            vec![Some(7), Some(2), Some(1), Some(1), Some(0)]
        );
        for (p, s) in passed.stages.iter().zip(&strict.stages) {
            assert!(s.reached <= p.reached, "strict never counts more");
        }
        assert_eq!(strict.counting, Counting::Evidence);
    }

    #[test]
    fn cohorts_of_fewer_than_ten_records_are_small_samples() {
        let mut records: Vec<Record> = (0..12)
            .map(|i| rec(i, "contact", &["lead"], "lead"))
            .collect();
        for i in 12..14 {
            let mut r = rec(i, "contact", &["lead", "mql"], "mql");
            r.stage_dates[0].1 += 40 * DAY; // February
            r.stage_dates[1].1 += 40 * DAY;
            records.push(r);
        }
        let ds = Dataset::build(default_stages(), records, JAN + 90 * DAY);
        let r = funnel(
            &ds,
            &FunnelQuery {
                trend: Some(Granularity::Month),
                ..FunnelQuery::default()
            },
        )
        .unwrap();
        let flags: Vec<(&str, u64, bool)> = r
            .trend
            .iter()
            .map(|c| (c.key.as_str(), c.records, c.small_sample))
            .collect();
        assert_eq!(flags, vec![("2025-01", 12, false), ("2025-02", 2, true)]);
        // The small cohort's 100% is still reported, marked.
        assert_eq!(r.trend[1].stages[1].pct_of_first, Some(1.0));
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
