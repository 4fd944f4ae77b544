//! SLA compliance per clause: due, met, breached, still open and already late,
//! % met, median and 95th percentile response, breaches by owner and by source,
//! and the list of breaches.
//!
//! The clock starts at the record's date for the clause's `from` stage. It stops at
//! the date of the target stage — or, when that stage has no date but the record went
//! further, at the earliest later stage's date (it passed the target by then) — or at
//! the date held in the target field. A record that reached the target stage (its
//! current stage, a snapshot) without any date from that stage on was answered at an
//! unknown time: `answered_undated`, counted but neither due nor timed. Any other
//! record with no stop is open: late once the allowed time has passed at the data's
//! "as of" time.

use crate::clock::ResponseClock;
use crate::dataset::Dataset;
use crate::field_dates::FieldDates;
use crate::filter::{unknown_field, Filters, Selection};
use crate::scope::{filter_words, period_words, records_noun};
use crate::stats::{percentile, ratio};
use baton_core::goal::GoalPeriod;
use baton_core::sla::{BusinessHours, Clock, SlaClause, SlaClauseInput, SlaTarget};
use baton_core::{BatonError, Result};
use serde::Serialize;
use ts_rs::TS;

const HOUR: f64 = 3600.0;
const OPEN_BREACH_LIST: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SlaBreakdown {
    pub key: String,
    #[ts(type = "number")]
    pub due: u64,
    #[ts(type = "number")]
    pub met: u64,
    /// Breached plus open and late.
    #[ts(type = "number")]
    pub breaches: u64,
    pub pct_met: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OpenBreach {
    #[ts(type = "number")]
    pub record_id: i64,
    pub external_id: String,
    pub owner: Option<String>,
    pub source: Option<String>,
    /// When the clock started (wall-clock seconds).
    #[ts(type = "number")]
    pub started: i64,
    /// Hours on the clause's clock since the start, at the data's "as of".
    pub hours_open: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SlaReport {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub from_stage: String,
    pub to: SlaTarget,
    pub within_hours: f64,
    pub clock: Clock,
    /// met + breached + open_late.
    #[ts(type = "number")]
    pub due: u64,
    #[ts(type = "number")]
    pub met: u64,
    /// Answered, but late.
    #[ts(type = "number")]
    pub breached: u64,
    /// Not answered and already past the allowed time.
    #[ts(type = "number")]
    pub open_late: u64,
    /// Not answered, still within the allowed time.
    #[ts(type = "number")]
    pub open_in_time: u64,
    /// Reached the target stage, but no file dated it (nor any later stage): answered
    /// at an unknown time. Not due, not in the response times.
    #[ts(type = "number")]
    pub answered_undated: u64,
    pub pct_met: Option<f64>,
    /// Over answered records, on the clause's clock.
    pub median_hours: Option<f64>,
    pub p95_hours: Option<f64>,
    /// Answered before the clock started (a data error, left out).
    #[ts(type = "number")]
    pub backward_excluded: u64,
    /// Clause to a date field: records whose value in it is not a date (counted as
    /// not answered).
    #[ts(type = "number")]
    pub unreadable_dates: u64,
    pub by_owner: Vec<SlaBreakdown>,
    pub by_source: Vec<SlaBreakdown>,
    /// Oldest first, at most 200.
    pub open_breaches: Vec<OpenBreach>,
    #[ts(type = "number")]
    pub as_of: i64,
    /// Why the clause could not be computed (a stage or field that no longer exists);
    /// every count is then 0.
    pub error: Option<String>,
    /// Which clocks the figures judge, in words: "contacts that reached Marketing
    /// Qualified Lead in 2026-Q4" or "… all time".
    pub scope: String,
}

impl SlaReport {
    /// The report of a clause that cannot be computed: zero counts and the reason.
    pub fn failed(ds: &Dataset, clause: &SlaClause, message: String) -> SlaReport {
        SlaReport {
            id: clause.id,
            name: clause.name.clone(),
            from_stage: clause.from_stage.clone(),
            to: clause.to.clone(),
            within_hours: clause.within_seconds as f64 / HOUR,
            clock: clause.clock,
            due: 0,
            met: 0,
            breached: 0,
            open_late: 0,
            open_in_time: 0,
            answered_undated: 0,
            pct_met: None,
            median_hours: None,
            p95_hours: None,
            backward_excluded: 0,
            unreadable_dates: 0,
            by_owner: Vec::new(),
            by_source: Vec::new(),
            open_breaches: Vec::new(),
            as_of: ds.as_of,
            error: Some(message),
            scope: String::new(),
        }
    }
}

/// What happened to one record under one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Breached,
    OpenLate,
    OpenInTime,
    AnsweredUndated,
    Backward,
}

impl Verdict {
    pub fn parse(text: &str) -> Result<Verdict> {
        Ok(match text {
            "met" => Verdict::Met,
            "breached" => Verdict::Breached,
            "open_late" => Verdict::OpenLate,
            "open_in_time" => Verdict::OpenInTime,
            "answered_undated" => Verdict::AnsweredUndated,
            other => {
                return Err(BatonError::invalid(format!(
                    "\"{other}\" is not an SLA verdict; expected met, breached, open_late, open_in_time or answered_undated"
                )))
            }
        })
    }
}

/// A clause resolved against a dataset.
pub struct CompiledClause<'a> {
    ds: &'a Dataset,
    from: usize,
    to_stage: Option<usize>,
    /// The target field's column and its values read as dates.
    field: Option<(usize, FieldDates)>,
    clock: ResponseClock,
    within: i64,
    pub as_of: i64,
}

impl<'a> CompiledClause<'a> {
    pub fn new(
        ds: &'a Dataset,
        clause: &SlaClause,
        hours: &BusinessHours,
        as_of: i64,
    ) -> Result<Self> {
        let stage = |id: &str| {
            ds.stage_index(id).ok_or_else(|| {
                BatonError::invalid(format!(
                    "SLA clause \"{}\": no stage \"{id}\" in this workspace's funnel; stages: {}",
                    clause.name,
                    ds.stages
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
        };
        let from = stage(&clause.from_stage)?;
        let (to_stage, field) = match &clause.to {
            SlaTarget::Stage(s) => {
                let t = stage(s)?;
                if t <= from {
                    return Err(BatonError::invalid(format!(
                        "SLA clause \"{}\": \"{s}\" does not come after \"{}\"",
                        clause.name, clause.from_stage
                    )));
                }
                (Some(t), None)
            }
            SlaTarget::Field(f) => {
                let idx = ds.column_index(f).ok_or_else(|| unknown_field(ds, f))?;
                (None, Some((idx, FieldDates::read(&ds.columns[idx].1))))
            }
        };
        Ok(CompiledClause {
            ds,
            from,
            to_stage,
            field,
            clock: ResponseClock::new(clause.clock, hours),
            within: clause.within_seconds,
            as_of,
        })
    }

    /// When the clock started for row `i`, if it did.
    #[inline]
    pub fn start(&self, i: usize) -> Option<i64> {
        self.ds.date(i, self.from)
    }

    /// When the clock stopped for row `i`, if a date says so.
    #[inline]
    pub fn stop(&self, i: usize) -> Option<i64> {
        match (self.to_stage, &self.field) {
            (Some(t), _) => (t..self.ds.stage_count()).find_map(|s| self.ds.date(i, s)),
            (None, Some((col, dates))) => dates.date(self.ds.columns[*col].1.codes.get(i)),
            _ => None,
        }
    }

    /// Row `i` has a value in the target field that is not a date.
    #[inline]
    fn unreadable(&self, i: usize) -> bool {
        self.field
            .as_ref()
            .is_some_and(|(col, dates)| dates.unreadable(self.ds.columns[*col].1.codes.get(i)))
    }

    /// The verdict and the elapsed seconds on the clause's clock (to the stop, or to
    /// "as of" when open; 0 when answered at an unknown time).
    #[inline]
    pub fn judge(&self, i: usize, start: i64) -> (Verdict, i64) {
        match self.stop(i) {
            Some(stop) if stop < start => (Verdict::Backward, 0),
            Some(stop) => {
                let e = self.clock.elapsed(start, stop);
                (
                    if e <= self.within {
                        Verdict::Met
                    } else {
                        Verdict::Breached
                    },
                    e,
                )
            }
            None if self.to_stage.is_some_and(|t| self.ds.reach[i] >= t as i8) => {
                (Verdict::AnsweredUndated, 0)
            }
            None => {
                let e = self.clock.elapsed(start, self.as_of.max(start));
                (
                    if e > self.within {
                        Verdict::OpenLate
                    } else {
                        Verdict::OpenInTime
                    },
                    e,
                )
            }
        }
    }
}

/// Every record `cc` judges among `sel` whose clock started within `started`
/// (`[start, end)`, all when `None`): `(row, start, verdict, elapsed seconds)`.
fn judged<'s>(
    cc: &'s CompiledClause<'s>,
    sel: &'s Selection,
    started: Option<(i64, i64)>,
) -> impl Iterator<Item = (usize, i64, Verdict, i64)> + 's {
    let everything = sel.is_everything();
    (0..cc.ds.len()).filter_map(move |i| {
        let start = cc.start(i)?;
        if started.is_some_and(|(a, b)| start < a || start >= b) {
            return None;
        }
        if !everything && !sel.contains(cc.ds, i) {
            return None;
        }
        let (verdict, elapsed) = cc.judge(i, start);
        Some((i, start, verdict, elapsed))
    })
}

/// Refuse a clause this workspace cannot measure: an unknown stage, a target stage that
/// does not come after the start, an unknown field, or a field none of whose values
/// reads as a date.
pub fn check_clause(ds: &Dataset, input: &SlaClauseInput) -> Result<()> {
    input.validate()?;
    let to = match &input.to {
        SlaTarget::Stage(s) => SlaTarget::Stage(s.trim().to_string()),
        SlaTarget::Field(f) => SlaTarget::Field(f.trim().to_string()),
    };
    let clause = SlaClause {
        id: 0,
        name: input.display_name(),
        from_stage: input.from_stage.trim().to_string(),
        to,
        within_seconds: input.within_seconds,
        clock: input.clock,
    };
    let cc = CompiledClause::new(ds, &clause, &BusinessHours::default(), ds.as_of)?;
    if let (SlaTarget::Field(name), Some((col, dates))) = (&clause.to, &cc.field) {
        if dates.readable_values() == 0 {
            let column = &ds.columns[*col].1;
            let samples: Vec<String> = column
                .display
                .iter()
                .skip(1)
                .take(3)
                .map(|v| format!("\"{v}\""))
                .collect();
            return Err(BatonError::invalid(format!(
                "field \"{name}\" holds no dates: none of its {} distinct values reads as one (e.g. {}); expected YYYY-MM-DD, M/D/YYYY or D/M/YYYY (with or without a time) or an Excel serial number",
                column.display.len() - 1,
                samples.join(", ")
            )));
        }
    }
    Ok(())
}

#[derive(Default, Clone)]
struct Counts {
    met: u64,
    breached: u64,
    open_late: u64,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Met => self.met += 1,
            Verdict::Breached => self.breached += 1,
            Verdict::OpenLate => self.open_late += 1,
            _ => {}
        }
    }
    fn due(&self) -> u64 {
        self.met + self.breached + self.open_late
    }
}

fn breakdown(ds: &Dataset, field: &str, counts: Vec<Counts>) -> Vec<SlaBreakdown> {
    let col = ds.column(field).expect("built-in column");
    let mut out: Vec<SlaBreakdown> = counts
        .into_iter()
        .enumerate()
        .filter(|(_, c)| c.due() > 0)
        .map(|(code, c)| SlaBreakdown {
            key: col.display[code].clone(),
            due: c.due(),
            met: c.met,
            breaches: c.breached + c.open_late,
            pct_met: ratio(c.met, c.due()),
        })
        .collect();
    out.sort_by(|a, b| b.breaches.cmp(&a.breaches).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Compliance of one clause over the filtered records whose clock started within
/// `started` (`[start, end)`, all when `None`).
pub fn sla_report(
    ds: &Dataset,
    clause: &SlaClause,
    hours: &BusinessHours,
    filters: &Filters,
    started: Option<(i64, i64)>,
) -> Result<SlaReport> {
    let sel = Selection::new(ds, filters)?;
    let cc = CompiledClause::new(ds, clause, hours, ds.as_of)?;
    let owner = ds.column("owner").expect("built-in column");
    let source = ds.column("source").expect("built-in column");
    let mut by_owner = vec![Counts::default(); owner.display.len()];
    let mut by_source = vec![Counts::default(); source.display.len()];
    let mut total = Counts::default();
    let (mut open_in_time, mut undated, mut backward, mut unreadable) = (0, 0, 0, 0);
    let mut answered = Vec::new();
    let mut late: Vec<(i64, usize, i64)> = Vec::new();
    for (i, start, verdict, elapsed) in judged(&cc, &sel, started) {
        match verdict {
            Verdict::Backward => backward += 1,
            Verdict::OpenInTime => open_in_time += 1,
            Verdict::AnsweredUndated => undated += 1,
            Verdict::Met | Verdict::Breached => answered.push(elapsed),
            Verdict::OpenLate => late.push((start, i, elapsed)),
        }
        if cc.field.is_some() && cc.unreadable(i) {
            unreadable += 1;
        }
        total.add(verdict);
        by_owner[owner.codes.get(i) as usize].add(verdict);
        by_source[source.codes.get(i) as usize].add(verdict);
    }
    late.sort_unstable();
    let open_breaches = late
        .iter()
        .take(OPEN_BREACH_LIST)
        .map(|&(start, i, elapsed)| OpenBreach {
            record_id: ds.ids[i],
            external_id: ds.external_ids.get(i).to_string(),
            owner: owner.value(i).map(str::to_string),
            source: source.value(i).map(str::to_string),
            started: start,
            hours_open: elapsed as f64 / HOUR,
        })
        .collect();
    Ok(SlaReport {
        id: clause.id,
        name: clause.name.clone(),
        from_stage: clause.from_stage.clone(),
        to: clause.to.clone(),
        within_hours: clause.within_seconds as f64 / HOUR,
        clock: clause.clock,
        due: total.due(),
        met: total.met,
        breached: total.breached,
        open_late: total.open_late,
        open_in_time,
        answered_undated: undated,
        pct_met: ratio(total.met, total.due()),
        median_hours: percentile(&mut answered, 0.5).map(|s| s / HOUR),
        p95_hours: percentile(&mut answered, 0.95).map(|s| s / HOUR),
        backward_excluded: backward,
        unreadable_dates: unreadable,
        by_owner: breakdown(ds, "owner", by_owner),
        by_source: breakdown(ds, "source", by_source),
        open_breaches,
        as_of: ds.as_of,
        error: None,
        scope: sla_scope(ds, clause, filters, None),
    })
}

/// "contacts that reached Marketing Qualified Lead in 2026-Q4 (clocks judged at
/// 2026-11-02)": the clocks an SLA figure counts.
pub fn sla_scope(
    ds: &Dataset,
    clause: &SlaClause,
    filters: &Filters,
    period: Option<&GoalPeriod>,
) -> String {
    let from = ds
        .stages
        .iter()
        .find(|s| s.id == clause.from_stage)
        .map_or_else(|| clause.from_stage.clone(), |s| s.name.clone());
    format!(
        "{} that reached {from} {}{}, open clocks judged at {}",
        records_noun(ds, filters),
        period_words(period),
        filter_words(filters),
        crate::dataset::format_date(ds.as_of)
    )
}

/// [`sla_reports`] for the clocks started in `period` (all when `None`), each report
/// naming its period in `scope`. The SLA card, SLA goals, the report and the CLI all
/// read SLA figures through this.
pub fn sla_reports_in(
    ds: &Dataset,
    clauses: &[SlaClause],
    hours: &BusinessHours,
    filters: &Filters,
    period: Option<&GoalPeriod>,
) -> Result<Vec<SlaReport>> {
    Selection::new(ds, filters)?;
    Ok(clauses
        .iter()
        .map(|c| {
            let mut r = sla_report(ds, c, hours, filters, period.map(|p| (p.start, p.end)))
                .unwrap_or_else(|e| SlaReport::failed(ds, c, e.message));
            r.scope = sla_scope(ds, c, filters, period);
            r
        })
        .collect())
}

/// One report per clause. A clause that cannot be computed (a stage or field that is
/// gone) gets a report with an `error` note instead of breaking the others; filters
/// that do not apply to this workspace are still an error.
pub fn sla_reports(
    ds: &Dataset,
    clauses: &[SlaClause],
    hours: &BusinessHours,
    filters: &Filters,
) -> Result<Vec<SlaReport>> {
    sla_reports_in(ds, clauses, hours, filters, None)
}

/// How a breach stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BreachStatus {
    /// Answered, after the allowed time.
    AnsweredLate,
    /// Not answered, already past the allowed time.
    OpenLate,
}

impl BreachStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BreachStatus::AnsweredLate => "answered_late",
            BreachStatus::OpenLate => "open_late",
        }
    }
}

/// One record that breached a clause.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SlaBreach {
    #[ts(type = "number")]
    pub record_id: i64,
    pub external_id: String,
    pub owner: Option<String>,
    pub source: Option<String>,
    /// When the clock started (wall-clock seconds).
    #[ts(type = "number")]
    pub started: i64,
    /// When it stopped; null while open.
    #[ts(type = "number | null")]
    pub stopped: Option<i64>,
    /// Hours on the clause's clock: to the stop, or to "as of" while open.
    pub elapsed_hours: f64,
    pub status: BreachStatus,
}

/// Every breach of a clause (breached and open & late, no cap), oldest start first,
/// over the same records as [`sla_report`] with the same arguments.
pub fn sla_breaches(
    ds: &Dataset,
    clause: &SlaClause,
    hours: &BusinessHours,
    filters: &Filters,
    started: Option<(i64, i64)>,
) -> Result<Vec<SlaBreach>> {
    let sel = Selection::new(ds, filters)?;
    let cc = CompiledClause::new(ds, clause, hours, ds.as_of)?;
    let owner = ds.column("owner").expect("built-in column");
    let source = ds.column("source").expect("built-in column");
    let mut out: Vec<SlaBreach> = judged(&cc, &sel, started)
        .filter_map(|(i, start, verdict, elapsed)| {
            let status = match verdict {
                Verdict::Breached => BreachStatus::AnsweredLate,
                Verdict::OpenLate => BreachStatus::OpenLate,
                _ => return None,
            };
            Some(SlaBreach {
                record_id: ds.ids[i],
                external_id: ds.external_ids.get(i).to_string(),
                owner: owner.value(i).map(str::to_string),
                source: source.value(i).map(str::to_string),
                started: start,
                stopped: match status {
                    BreachStatus::AnsweredLate => cc.stop(i),
                    BreachStatus::OpenLate => None,
                },
                elapsed_hours: elapsed as f64 / HOUR,
                status,
            })
        })
        .collect();
    out.sort_by_key(|b| (b.started, b.record_id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{parse_date, Record};
    use baton_core::sla::parse_duration_on;
    use baton_core::stages::default_stages;

    fn rec(id: i64, stage: &str, dates: &[(&str, &str)]) -> Record {
        Record {
            id,
            kind: "contact".into(),
            external_id: format!("R{id}"),
            current_stage: Some(stage.into()),
            stage_dates: dates
                .iter()
                .map(|(s, d)| (s.to_string(), parse_date(d).unwrap()))
                .collect(),
            ..Record::default()
        }
    }

    fn clause(id: i64, from: &str, to: &str, within: i64, clock: Clock) -> SlaClause {
        SlaClause {
            id,
            name: format!("{from} → {to}"),
            from_stage: from.into(),
            to: SlaTarget::Stage(to.into()),
            within_seconds: within,
            clock,
        }
    }

    #[test]
    fn two_business_days_are_two_working_days() {
        let hours = BusinessHours::default();
        let within = parse_duration_on("2d", Clock::Business, &hours).unwrap();
        // 2025-01-03 is a Friday: Fri 16:00 → Tue 16:00 is 1 + 8 + 7 = 16 working hours,
        // exactly two 8-hour working days; one minute later is late.
        let ds = Dataset::build(
            default_stages(),
            vec![
                rec(
                    1,
                    "sql",
                    &[("mql", "2025-01-03 16:00"), ("sql", "2025-01-07 16:00")],
                ),
                rec(
                    2,
                    "sql",
                    &[("mql", "2025-01-03 16:00"), ("sql", "2025-01-07 16:01")],
                ),
            ],
            parse_date("2025-02-01").unwrap(),
        );
        let r = sla_report(
            &ds,
            &clause(1, "mql", "sql", within, Clock::Business),
            &hours,
            &Filters::default(),
            None,
        )
        .unwrap();
        assert_eq!((r.met, r.breached), (1, 1));
    }

    #[test]
    fn reaching_the_target_without_a_date_is_neither_due_nor_late() {
        let ds = Dataset::build(
            default_stages(),
            vec![
                // At SQL (current stage), never dated: answered at an unknown time.
                rec(1, "sql", &[("mql", "2025-01-06 09:00")]),
                rec(2, "mql", &[("mql", "2025-01-06 09:00")]),
            ],
            parse_date("2025-02-01").unwrap(),
        );
        let c = clause(1, "mql", "sql", 3600, Clock::Calendar);
        let r = sla_report(
            &ds,
            &c,
            &BusinessHours::default(),
            &Filters::default(),
            None,
        )
        .unwrap();
        assert_eq!((r.due, r.open_late, r.answered_undated), (1, 1, 1));
        assert_eq!(r.median_hours, None);
    }

    #[test]
    fn a_broken_clause_gets_a_note_and_the_others_still_count() {
        let ds = Dataset::build(
            default_stages(),
            vec![rec(
                1,
                "sql",
                &[("mql", "2025-01-06 09:00"), ("sql", "2025-01-06 10:00")],
            )],
            0,
        );
        let clauses = [
            clause(1, "mql", "demo", 3600, Clock::Calendar),
            clause(2, "mql", "sql", 3600, Clock::Calendar),
        ];
        let r = sla_reports(
            &ds,
            &clauses,
            &BusinessHours::default(),
            &Filters::default(),
        )
        .unwrap();
        assert!(r[0].error.as_deref().unwrap().contains("no stage \"demo\""));
        assert_eq!((r[0].due, r[1].met, r[1].error.clone()), (0, 1, None));
    }

    #[test]
    fn a_first_touch_field_reads_dates_like_the_importer() {
        let touched = |id: i64, touch: &str| Record {
            custom: vec![("First Touch".into(), touch.into())],
            ..rec(id, "mql", &[("mql", "2025-04-08 15:00")])
        };
        let ds = Dataset::build(
            default_stages(),
            vec![
                // US export: 12/31 can only be month first, so 4/8 is April 8 (2h19 after).
                touched(1, "4/8/2025 17:19"),
                touched(2, "12/31/2025 09:00"),
                // An Excel serial: 2025-04-08 18:00, 3h after.
                touched(3, "45755.75"),
                touched(4, "not yet"),
            ],
            parse_date("2025-05-01").unwrap(),
        );
        let c = SlaClause {
            to: SlaTarget::Field("First Touch".into()),
            ..clause(1, "mql", "sql", 4 * 3600, Clock::Calendar)
        };
        let r = sla_report(
            &ds,
            &c,
            &BusinessHours::default(),
            &Filters::default(),
            None,
        )
        .unwrap();
        assert_eq!((r.met, r.breached, r.open_late), (2, 1, 1));
        assert_eq!(r.unreadable_dates, 1, "\"not yet\" is not a date");
        let input = |field: &str| SlaClauseInput {
            name: String::new(),
            from_stage: "mql".into(),
            to: SlaTarget::Field(field.into()),
            within_seconds: 3600,
            clock: Clock::Calendar,
        };
        check_clause(&ds, &input("First Touch")).unwrap();
        let err = check_clause(&ds, &input("kind")).unwrap_err();
        assert!(
            err.message.contains("field \"kind\" holds no dates"),
            "{}",
            err.message
        );
    }

    #[test]
    fn every_breach_is_listed_with_its_status() {
        let mut records: Vec<Record> = (0..250)
            .map(|i| rec(i, "mql", &[("mql", "2025-01-06 09:00")]))
            .collect();
        records.push(rec(
            900,
            "sql",
            &[("mql", "2025-01-06 09:00"), ("sql", "2025-01-06 12:00")],
        ));
        records.push(rec(
            901,
            "sql",
            &[("mql", "2025-01-06 09:00"), ("sql", "2025-01-06 09:30")],
        ));
        let ds = Dataset::build(default_stages(), records, parse_date("2025-02-01").unwrap());
        let c = clause(1, "mql", "sql", 3600, Clock::Calendar);
        let hours = BusinessHours::default();
        let report = sla_report(&ds, &c, &hours, &Filters::default(), None).unwrap();
        let list = sla_breaches(&ds, &c, &hours, &Filters::default(), None).unwrap();
        assert_eq!(
            report.open_breaches.len(),
            200,
            "the report's list is capped"
        );
        assert_eq!(list.len() as u64, report.breached + report.open_late);
        let late: Vec<&SlaBreach> = list
            .iter()
            .filter(|b| b.status == BreachStatus::AnsweredLate)
            .collect();
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].external_id, "R900");
        assert_eq!(late[0].stopped, parse_date("2025-01-06 12:00"));
        assert!((late[0].elapsed_hours - 3.0).abs() < 1e-9);
    }
}
