//! Did the agreement work? For each agreed stage definition, SLA clause and goal: the
//! same figures for records that entered before the date both sides agreed and after
//! it, with sample sizes and 95% intervals, and a plain sentence saying what changed.
//!
//! One maturity window applies to both sides: a record counts only once it has had the
//! whole window to convert (records too young are left out and counted), and a
//! conversion counts only when it happened within the window of entering the stage.
//! So an old record is not credited with years to convert that a new one never had.

use crate::dataset::{format_date, Dataset};
use crate::definition::counted_kind;
use crate::filter::{FieldFilter, Filters, Selection};
use crate::sla::sla_reports_in;
use crate::stats::{percentile, Rate};
use baton_core::agreement::{Agreement, Subject};
use baton_core::goal::{Goal, GoalMetric, GoalPeriod, PeriodKind};
use baton_core::sla::{BusinessHours, SlaClause};
use baton_core::Result;
use serde::Serialize;
use ts_rs::TS;

const DAY: i64 = 86_400;

/// The default maturity window, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FigureUnit {
    /// A share between 0 and 1 with its interval.
    Share,
    /// A median in days.
    Days,
    /// A median in hours.
    Hours,
}

/// One side (before or after) of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImpactSide {
    /// Records (or SLA clocks) the figure is computed over.
    #[ts(type = "number")]
    pub n: u64,
    pub value: Option<f64>,
    /// The 95% interval of a share (`None` for medians).
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl ImpactSide {
    fn share(rate: Rate) -> Self {
        Self {
            n: rate.n,
            value: rate.rate,
            low: rate.low,
            high: rate.high,
        }
    }

    fn median(n: u64, value: Option<f64>) -> Self {
        Self {
            n,
            value,
            low: None,
            high: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImpactFigure {
    /// E.g. "MQL → SQL within 90 days".
    pub label: String,
    pub unit: FigureUnit,
    pub before: ImpactSide,
    pub after: ImpactSide,
    /// For shares with both sides measured: whether the 95% intervals overlap (no
    /// overlap: the change is unlikely to be chance).
    pub intervals_overlap: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AgreementImpact {
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub subject: Subject,
    pub title: String,
    /// The agreed version in force and when its last side signed (wall clock seconds).
    pub version: u32,
    #[ts(type = "number")]
    pub agreed_at: i64,
    pub figures: Vec<ImpactFigure>,
    /// What changed, in a sentence the room can read out.
    pub sentence: String,
    /// Why a side is empty or thin, and what was left out.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImpactReport {
    #[ts(type = "number")]
    pub as_of: i64,
    pub window_days: u32,
    /// The record kind counted when kinds mix (contacts); `None` with one kind.
    pub kind: Option<String>,
    /// One entry per agreed subject, in agreement order.
    pub agreements: Vec<AgreementImpact>,
    /// Agreements not yet signed by both sides (nothing to compare yet).
    pub not_agreed: Vec<String>,
}

/// What the figures are computed from besides the records.
pub struct ImpactInput<'a> {
    pub agreements: &'a [Agreement],
    pub clauses: &'a [SlaClause],
    pub goals: &'a [Goal],
    pub hours: &'a BusinessHours,
    pub window_days: u32,
}

/// Before/after figures for every agreement agreed at least once.
pub fn impact(ds: &Dataset, input: &ImpactInput) -> Result<ImpactReport> {
    let kind = counted_kind(ds);
    let filters = Filters {
        fields: kind
            .iter()
            .map(|k| FieldFilter {
                field: "kind".into(),
                values: vec![k.clone()],
            })
            .collect(),
        ..Filters::default()
    };
    let of_kind = Selection::new(ds, &filters)?;
    let window = i64::from(input.window_days.max(1)) * DAY;
    let mut agreements = Vec::new();
    let mut not_agreed = Vec::new();
    for a in input.agreements {
        if matches!(a.subject, Subject::Persona { .. }) {
            continue;
        }
        let Some((version, agreed_at)) = agreed(a) else {
            not_agreed.push(a.title.clone());
            continue;
        };
        let mut notes = Vec::new();
        let figures = match &a.subject {
            Subject::Stage { stage_id } => match ds.stage_index(stage_id) {
                Some(s) => stage_figures(ds, &of_kind, s, agreed_at, window, &mut notes),
                None => {
                    notes.push(format!("there is no stage \"{stage_id}\" in the data"));
                    Vec::new()
                }
            },
            Subject::SlaClause { clause_id } => sla_figures(
                ds, input, &filters, *clause_id, agreed_at, window, &mut notes,
            )?,
            Subject::Goal { goal_id } => match input.goals.iter().find(|g| g.id == *goal_id) {
                Some(goal) => match &goal.metric {
                    GoalMetric::Reached { stage } | GoalMetric::Conversion { to: stage, .. } => {
                        let from = match &goal.metric {
                            GoalMetric::Conversion { from, .. } => ds.stage_index(from),
                            _ => ds.stage_index(stage).and_then(|s| s.checked_sub(1)),
                        };
                        match (from, ds.stage_index(stage)) {
                            (Some(f), Some(t)) if f < t => conversion_figures(
                                ds, &of_kind, f, t, agreed_at, window, &mut notes,
                            ),
                            (None, Some(0)) => {
                                notes.push(format!(
                                    "{} is the first stage: a count of it has no conversion into it to compare",
                                    ds.stages[0].name
                                ));
                                Vec::new()
                            }
                            _ => {
                                notes.push(format!(
                                    "the goal's stages are not in the funnel: {}",
                                    goal.metric.describe()
                                ));
                                Vec::new()
                            }
                        }
                    }
                    GoalMetric::SlaMet { clause_id } => sla_figures(
                        ds, input, &filters, *clause_id, agreed_at, window, &mut notes,
                    )?,
                    GoalMetric::WonAmount => {
                        notes.push(
                            "a won-amount goal has no per-record rate to compare before and after; its progress is on the Goals screen".into(),
                        );
                        Vec::new()
                    }
                },
                None => {
                    notes.push("the goal was removed".into());
                    Vec::new()
                }
            },
            Subject::Persona { .. } => unreachable!("skipped above"),
        };
        let sentence = sentence(
            &subject_words(a, input),
            agreed_at,
            figures.first(),
            input.window_days,
        );
        agreements.push(AgreementImpact {
            agreement_id: a.id,
            subject: a.subject.clone(),
            title: a.title.clone(),
            version,
            agreed_at,
            figures,
            sentence,
            notes,
        });
    }
    Ok(ImpactReport {
        as_of: ds.as_of,
        window_days: input.window_days,
        kind,
        agreements,
        not_agreed,
    })
}

/// The agreed version in force and the moment its second side signed.
pub fn agreed(a: &Agreement) -> Option<(u32, i64)> {
    let v = a.last_agreed_version?;
    let version = a.versions.iter().find(|x| x.version == v)?;
    let at = version.sign_offs.iter().map(|s| s.signed_at).max()?;
    Some((v, at))
}

/// A stage definition: conversion to the next stage and to the last stage, and the
/// median days to the next stage, for records that entered the stage before and after.
fn stage_figures(
    ds: &Dataset,
    of_kind: &Selection,
    s: usize,
    agreed_at: i64,
    window: i64,
    notes: &mut Vec<String>,
) -> Vec<ImpactFigure> {
    let last = ds.stage_count() - 1;
    if s == last {
        notes.push(format!(
            "{} is the last stage: there is no conversion after it to compare",
            ds.stages[s].name
        ));
        return Vec::new();
    }
    let mut figures = conversion_figures(ds, of_kind, s, s + 1, agreed_at, window, notes);
    if s + 1 < last {
        let more = conversion_figures(ds, of_kind, s, last, agreed_at, window, &mut Vec::new());
        figures.extend(more.into_iter().filter(|f| f.unit == FigureUnit::Share));
    }
    figures
}

/// Conversion from stage `from` to stage `to` within the window, and the median days it
/// took, before and after `agreed_at`.
fn conversion_figures(
    ds: &Dataset,
    of_kind: &Selection,
    from: usize,
    to: usize,
    agreed_at: i64,
    window: i64,
    notes: &mut Vec<String>,
) -> Vec<ImpactFigure> {
    let mature_until = ds.as_of - window;
    // [before, after]: (entered, converted within the window, days taken)
    let mut sides: [(u64, u64, Vec<i64>); 2] = Default::default();
    let (mut young, mut undated_entry, mut untimed) = (0u64, 0u64, 0u64);
    for i in 0..ds.len() {
        if !of_kind.contains(ds, i) || (ds.reach[i] as i64) < from as i64 {
            continue;
        }
        let Some(entered) = ds.date(i, from) else {
            undated_entry += 1;
            continue;
        };
        if entered > mature_until {
            young += 1;
            continue;
        }
        // Reaching `to` or any later stage counts; it must be dated to be timed.
        let reached = (ds.reach[i] as i64) >= to as i64;
        let at = (to..ds.stage_count())
            .filter_map(|t| ds.date(i, t))
            .filter(|d| *d >= entered)
            .min();
        if reached && at.is_none() {
            untimed += 1;
            continue;
        }
        let side = &mut sides[usize::from(entered >= agreed_at)];
        side.0 += 1;
        if let Some(at) = at.filter(|at| at - entered <= window) {
            side.1 += 1;
            side.2.push(at - entered);
        }
    }
    let days = (window / DAY) as u32;
    let (from_name, to_name) = (&ds.stages[from].name, &ds.stages[to].name);
    if young > 0 {
        notes.push(format!(
            "{young} records entered {from_name} less than {days} days before the data's as-of date ({}) and are left out of both sides",
            format_date(ds.as_of)
        ));
    }
    if undated_entry > 0 {
        notes.push(format!(
            "{undated_entry} records reached {from_name} without a date for it and cannot be placed before or after"
        ));
    }
    if untimed > 0 {
        notes.push(format!(
            "{untimed} records reached {to_name} without a date and cannot be timed"
        ));
    }
    if sides[1].0 == 0 {
        notes.push(format!(
            "no record entered {from_name} since the agreement and had {days} days to convert yet"
        ));
    }
    let rate = |k: usize| Rate::new(sides[k].1, sides[k].0);
    let (before, after) = (rate(0), rate(1));
    let mut median = |k: usize| {
        let n = sides[k].2.len() as u64;
        let m = percentile(&mut sides[k].2, 0.5).map(|secs| secs / DAY as f64);
        ImpactSide::median(n, m)
    };
    let (median_before, median_after) = (median(0), median(1));
    vec![
        ImpactFigure {
            label: format!("{from_name} → {to_name} within {days} days"),
            unit: FigureUnit::Share,
            intervals_overlap: overlap(&before, &after),
            before: ImpactSide::share(before),
            after: ImpactSide::share(after),
        },
        ImpactFigure {
            label: format!("Days from {from_name} to {to_name} (median of those converted)"),
            unit: FigureUnit::Days,
            before: median_before,
            after: median_after,
            intervals_overlap: None,
        },
    ]
}

/// An SLA clause: share met and median response for clocks started before and after.
/// The SLA report only judges clocks that are due, so open clocks still in time are not
/// counted on either side.
fn sla_figures(
    ds: &Dataset,
    input: &ImpactInput,
    filters: &Filters,
    clause_id: i64,
    agreed_at: i64,
    window: i64,
    notes: &mut Vec<String>,
) -> Result<Vec<ImpactFigure>> {
    let Some(clause) = input.clauses.iter().find(|c| c.id == clause_id) else {
        notes.push(format!("SLA clause #{clause_id} was removed"));
        return Ok(Vec::new());
    };
    let period = |start: i64, end: i64| GoalPeriod {
        kind: PeriodKind::Custom,
        start,
        end,
        label: String::new(),
    };
    let side = |start: i64, end: i64| -> Result<_> {
        let r = sla_reports_in(
            ds,
            std::slice::from_ref(clause),
            input.hours,
            filters,
            Some(&period(start, end)),
        )?;
        Ok(r.into_iter().next().expect("one clause, one report"))
    };
    let before = side(i64::MIN / 2, agreed_at)?;
    let after = side(agreed_at, ds.as_of - window + 1)?;
    if let Some(e) = before.error.as_ref().or(after.error.as_ref()) {
        notes.push(format!("the clause cannot be computed: {e}"));
        return Ok(Vec::new());
    }
    let met = |r: &crate::sla::SlaReport| Rate::new(r.met, r.due);
    let (b, a) = (met(&before), met(&after));
    Ok(vec![
        ImpactFigure {
            label: "Share of clocks met in time".into(),
            unit: FigureUnit::Share,
            intervals_overlap: overlap(&b, &a),
            before: ImpactSide::share(b),
            after: ImpactSide::share(a),
        },
        ImpactFigure {
            label: "Median response of answered clocks".into(),
            unit: FigureUnit::Hours,
            before: ImpactSide::median(before.met + before.breached, before.median_hours),
            after: ImpactSide::median(after.met + after.breached, after.median_hours),
            intervals_overlap: None,
        },
    ])
}

/// How the sentence names what was agreed: "the MQL definition", "the SLA “…”".
fn subject_words(a: &Agreement, input: &ImpactInput) -> String {
    match &a.subject {
        Subject::Stage { stage_id } => format!("the {} definition", stage_id.to_uppercase()),
        Subject::SlaClause { clause_id } => match input.clauses.iter().find(|c| c.id == *clause_id)
        {
            Some(c) => format!("the SLA “{}”", c.name),
            None => format!("SLA #{clause_id}"),
        },
        Subject::Goal { goal_id } => match input.goals.iter().find(|g| g.id == *goal_id) {
            Some(g) => format!("the goal “{}”", g.name),
            None => format!("goal #{goal_id}"),
        },
        Subject::Persona { .. } => a.title.clone(),
    }
}

fn overlap(a: &Rate, b: &Rate) -> Option<bool> {
    match (a.low, a.high, b.low, b.high) {
        (Some(al), Some(ah), Some(bl), Some(bh)) => Some(al <= bh && bl <= ah),
        _ => None,
    }
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// "Since the MQL definition was agreed on 6 Oct 2026, MQL → SQL within 90 days rose
/// from 34% (n = 812) to 47% (n = 390); the intervals do not overlap."
fn sentence(title: &str, agreed_at: i64, lead: Option<&ImpactFigure>, days: u32) -> String {
    let on = format_day(agreed_at);
    let Some(f) = lead else {
        return format!(
            "{} was agreed on {on}; the data has no figure to compare.",
            capitalized(title)
        );
    };
    let (b, a) = (&f.before, &f.after);
    let (Some(bv), Some(av)) = (b.value, a.value) else {
        let side = if a.n == 0 { "since" } else { "before it" };
        return format!(
            "{} was agreed on {on}; no record that entered {side} has had the {days}-day window yet, so there is nothing to compare (before n = {}, after n = {}).",
            capitalized(title),
            b.n,
            a.n
        );
    };
    let show = |v: f64| match f.unit {
        FigureUnit::Share => pct(v),
        FigureUnit::Days => format!("{v:.1} days"),
        FigureUnit::Hours => format!("{v:.1} h"),
    };
    let moved = if (av - bv).abs() < 0.005 {
        "stayed at".to_string()
    } else if av > bv {
        "rose from".to_string()
    } else {
        "fell from".to_string()
    };
    let change = if moved == "stayed at" {
        format!("{moved} {} (n = {} before, {} after)", show(av), b.n, a.n)
    } else {
        format!(
            "{moved} {} (n = {}) to {} (n = {})",
            show(bv),
            b.n,
            show(av),
            a.n
        )
    };
    let verdict = match f.intervals_overlap {
        Some(false) => "; the intervals do not overlap",
        Some(true) => "; the intervals overlap, so the change may be chance",
        None => "",
    };
    format!(
        "Since {title} was agreed on {on}, {} {change}{verdict}.",
        in_sentence(&f.label)
    )
}

/// A figure's label inside a sentence: "Share of …" → "the share of …"; a label that
/// starts with a stage name keeps it.
fn in_sentence(label: &str) -> String {
    for word in ["Share ", "Median ", "Days "] {
        if let Some(rest) = label.strip_prefix(word) {
            return format!("the {}{rest}", word.to_lowercase());
        }
    }
    label.to_string()
}

fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn format_day(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_else(|| format_date(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Record;
    use baton_core::agreement::{DefinitionContent, DefinitionVersion, SignOff, VersionStatus};
    use baton_core::stages::default_stages;
    use baton_core::workshop::Team;

    fn day(n: i64) -> i64 {
        n * DAY
    }

    fn rec(id: i64, dates: &[(&str, i64)]) -> Record {
        Record {
            id,
            kind: "contact".into(),
            external_id: id.to_string(),
            stage_dates: dates
                .iter()
                .map(|(s, d)| (s.to_string(), day(*d)))
                .collect(),
            ..Record::default()
        }
    }

    fn agreement_on(stage: &str, signed: &[i64]) -> Agreement {
        Agreement {
            id: 1,
            subject: Subject::Stage {
                stage_id: stage.into(),
            },
            title: "the MQL definition".into(),
            versions: vec![DefinitionVersion {
                version: 1,
                content: DefinitionContent::default(),
                author: None,
                note: String::new(),
                created_at: 0,
                sign_offs: signed
                    .iter()
                    .enumerate()
                    .map(|(k, at)| SignOff {
                        person_id: k as i64,
                        name: format!("p{k}"),
                        team: if k == 0 { Team::Sales } else { Team::Marketing },
                        signed_at: day(*at),
                    })
                    .collect(),
                status: VersionStatus::Agreed,
                terms: vec![],
            }],
            agreed: true,
            last_agreed_version: Some(1),
            missing_sides: vec![],
            current_terms: vec![],
            terms_changed: false,
        }
    }

    fn run(records: Vec<Record>, as_of: i64, a: Agreement, window_days: u32) -> ImpactReport {
        let ds = Dataset::build(default_stages(), records, day(as_of));
        impact(
            &ds,
            &ImpactInput {
                agreements: &[a],
                clauses: &[],
                goals: &[],
                hours: &BusinessHours::default(),
                window_days,
            },
        )
        .unwrap()
    }

    /// Worked by hand. Agreed on day 100 (the later signature), window 30 days, as of
    /// day 200: MQL entries after day 170 are too young.
    /// Before (MQL < day 100): #1 SQL after 10 days (yes), #2 SQL after 40 days (no:
    /// outside the window), #3 never (no), #4 SQL after 20 days (yes) → 2 of 4.
    /// After (day 100..=170): #5 SQL after 5 days (yes), #6 after 30 days (yes: on the
    /// edge), #7 never → 2 of 3. #8 entered on day 180: too young, left out.
    #[test]
    fn before_and_after_with_one_maturity_window() {
        let records = vec![
            rec(1, &[("mql", 10), ("sql", 20)]),
            rec(2, &[("mql", 20), ("sql", 60)]),
            rec(3, &[("mql", 30)]),
            rec(4, &[("mql", 90), ("sql", 110)]),
            rec(5, &[("mql", 100), ("sql", 105)]),
            rec(6, &[("mql", 140), ("sql", 170)]),
            rec(7, &[("mql", 170)]),
            rec(8, &[("mql", 180), ("sql", 181)]),
        ];
        let r = run(records, 200, agreement_on("mql", &[95, 100]), 30);
        let a = &r.agreements[0];
        assert_eq!(a.agreed_at, day(100));
        let conv = &a.figures[0];
        assert_eq!(
            conv.label,
            "Marketing Qualified Lead → Sales Qualified Lead within 30 days"
        );
        assert_eq!((conv.before.n, conv.before.value), (4, Some(0.5)));
        assert_eq!(conv.after.n, 3);
        assert!((conv.after.value.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(conv.intervals_overlap, Some(true));
        // Medians of the converted: before 10 and 20 days → 15; after 5 and 30 → 17.5.
        let days = &a.figures[1];
        assert_eq!((days.before.n, days.before.value), (2, Some(15.0)));
        assert_eq!((days.after.n, days.after.value), (2, Some(17.5)));
        // To customer within the window: nobody on either side.
        let cust = &a.figures[2];
        assert_eq!(
            (cust.before.value, cust.after.value),
            (Some(0.0), Some(0.0))
        );
        assert!(
            a.notes.iter().any(|n| n.starts_with("1 records entered")),
            "{:?}",
            a.notes
        );
        assert!(a.sentence.starts_with("Since the MQL definition was agreed on 11 Apr 1970, Marketing Qualified Lead → Sales Qualified Lead within 30 days rose from 50% (n = 4) to 67% (n = 3); the intervals overlap"), "{}", a.sentence);
    }

    #[test]
    fn an_agreement_younger_than_the_window_has_no_after_side_and_says_so() {
        let records = vec![rec(1, &[("mql", 10), ("sql", 12)]), rec(2, &[("mql", 190)])];
        let r = run(records, 200, agreement_on("mql", &[180, 185]), 30);
        let a = &r.agreements[0];
        assert_eq!(a.figures[0].after.n, 0);
        assert_eq!(a.figures[0].after.value, None);
        assert!(
            a.sentence
                .contains("nothing to compare (before n = 1, after n = 0)"),
            "{}",
            a.sentence
        );
        assert!(a.notes.iter().any(|n| n.starts_with("no record entered")));
    }

    fn goal_agreement(goal_id: i64, signed: i64) -> Agreement {
        let mut a = agreement_on("mql", &[signed]);
        a.subject = Subject::Goal { goal_id };
        a.title = format!("goal {goal_id}");
        a
    }

    #[test]
    fn a_count_goal_compares_the_conversion_into_its_stage_and_the_first_stage_says_why_not() {
        use baton_core::goal::{GoalMetric, GoalPeriod};
        let goal = |id: i64, stage: &str| Goal {
            id,
            name: format!("{stage} count"),
            metric: GoalMetric::Reached {
                stage: stage.into(),
            },
            target: 10.0,
            period: GoalPeriod::parse("1970").unwrap(),
            team: "marketing".into(),
        };
        let goals = [goal(1, "sql"), goal(2, "lead")];
        let ds = Dataset::build(
            default_stages(),
            vec![rec(1, &[("mql", 10), ("sql", 12)]), rec(2, &[("mql", 120)])],
            day(200),
        );
        let r = impact(
            &ds,
            &ImpactInput {
                agreements: &[goal_agreement(1, 100), goal_agreement(2, 100)],
                clauses: &[],
                goals: &goals,
                hours: &BusinessHours::default(),
                window_days: 30,
            },
        )
        .unwrap();
        let sql = &r.agreements[0];
        assert!(sql.figures[0]
            .label
            .starts_with("Marketing Qualified Lead → Sales Qualified Lead"));
        assert_eq!((sql.figures[0].before.n, sql.figures[0].after.n), (1, 1));
        assert!(
            sql.sentence
                .starts_with("Since the goal “sql count” was agreed"),
            "{}",
            sql.sentence
        );
        let lead = &r.agreements[1];
        assert!(lead.figures.is_empty());
        assert_eq!(
            lead.notes,
            ["Lead is the first stage: a count of it has no conversion into it to compare"]
        );
    }

    #[test]
    fn an_unsigned_agreement_is_listed_as_not_agreed() {
        let mut a = agreement_on("mql", &[10]);
        a.last_agreed_version = None;
        a.agreed = false;
        let r = run(vec![], 200, a, 30);
        assert!(r.agreements.is_empty());
        assert_eq!(r.not_agreed, ["the MQL definition"]);
    }
}
