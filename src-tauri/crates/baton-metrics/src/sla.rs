//! SLA compliance per clause: due, met, breached, still open and already late,
//! % met, median and 95th percentile response, breaches by owner and by source,
//! and the list of open breaches.
//!
//! The clock starts at the record's date for the clause's `from` stage. It stops at
//! the date of the target stage — or, when that stage has no date but the record went
//! further, at the earliest later stage's date (it passed the target by then) — or at
//! the date held in the target field. A record with no stop is open: late once the
//! allowed time has passed at the data's "as of" time.

use crate::clock::ResponseClock;
use crate::dataset::{parse_date, Dataset, NO_DATE};
use crate::filter::{unknown_field, Filters, Selection};
use crate::stats::{percentile, ratio};
use baton_core::sla::{BusinessHours, Clock, SlaClause, SlaTarget};
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
    pub pct_met: Option<f64>,
    /// Over answered records, on the clause's clock.
    pub median_hours: Option<f64>,
    pub p95_hours: Option<f64>,
    /// Answered before the clock started (a data error, left out).
    #[ts(type = "number")]
    pub backward_excluded: u64,
    pub by_owner: Vec<SlaBreakdown>,
    pub by_source: Vec<SlaBreakdown>,
    /// Oldest first, at most 200.
    pub open_breaches: Vec<OpenBreach>,
    #[ts(type = "number")]
    pub as_of: i64,
}

/// What happened to one record under one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Breached,
    OpenLate,
    OpenInTime,
    Backward,
}

/// A clause resolved against a dataset.
pub struct CompiledClause<'a> {
    ds: &'a Dataset,
    from: usize,
    to_stage: Option<usize>,
    /// Per code of the target field: its date.
    field_dates: Option<(usize, Vec<i64>)>,
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
                    "SLA clause {} ({}): no stage \"{id}\" in this workspace's funnel",
                    clause.id, clause.name
                ))
            })
        };
        let from = stage(&clause.from_stage)?;
        let (to_stage, field_dates) = match &clause.to {
            SlaTarget::Stage(s) => {
                let t = stage(s)?;
                if t <= from {
                    return Err(BatonError::invalid(format!(
                        "SLA clause {} ({}): \"{s}\" does not come after \"{}\"",
                        clause.id, clause.name, clause.from_stage
                    )));
                }
                (Some(t), None)
            }
            SlaTarget::Field(f) => {
                let idx = ds.column_index(f).ok_or_else(|| unknown_field(ds, f))?;
                let dates = ds.columns[idx]
                    .1
                    .display
                    .iter()
                    .enumerate()
                    .map(|(code, v)| {
                        if code == 0 {
                            NO_DATE
                        } else {
                            parse_date(v).unwrap_or(NO_DATE)
                        }
                    })
                    .collect();
                (None, Some((idx, dates)))
            }
        };
        Ok(CompiledClause {
            ds,
            from,
            to_stage,
            field_dates,
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

    #[inline]
    fn stop(&self, i: usize) -> Option<i64> {
        match (self.to_stage, &self.field_dates) {
            (Some(t), _) => (t..self.ds.stage_count()).find_map(|s| self.ds.date(i, s)),
            (None, Some((col, dates))) => {
                let d = dates[self.ds.columns[*col].1.codes[i] as usize];
                (d != NO_DATE).then_some(d)
            }
            _ => None,
        }
    }

    /// The verdict and the elapsed seconds on the clause's clock (to the stop, or to
    /// "as of" when open).
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
    let mut open_in_time = 0;
    let mut backward = 0;
    let mut answered = Vec::new();
    let mut late: Vec<(i64, usize, i64)> = Vec::new();
    let everything = sel.is_everything();
    for i in 0..ds.len() {
        let Some(start) = cc.start(i) else { continue };
        if started.is_some_and(|(a, b)| start < a || start >= b) {
            continue;
        }
        if !everything && !sel.contains(ds, i) {
            continue;
        }
        let (verdict, elapsed) = cc.judge(i, start);
        match verdict {
            Verdict::Backward => backward += 1,
            Verdict::OpenInTime => open_in_time += 1,
            Verdict::Met | Verdict::Breached => answered.push(elapsed),
            Verdict::OpenLate => late.push((start, i, elapsed)),
        }
        total.add(verdict);
        by_owner[owner.codes[i] as usize].add(verdict);
        by_source[source.codes[i] as usize].add(verdict);
    }
    late.sort_unstable();
    let open_breaches = late
        .iter()
        .take(OPEN_BREACH_LIST)
        .map(|&(start, i, elapsed)| OpenBreach {
            record_id: ds.ids[i],
            external_id: ds.external_ids[i].clone(),
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
        pct_met: ratio(total.met, total.due()),
        median_hours: percentile(&mut answered, 0.5).map(|s| s / HOUR),
        p95_hours: percentile(&mut answered, 0.95).map(|s| s / HOUR),
        backward_excluded: backward,
        by_owner: breakdown(ds, "owner", by_owner),
        by_source: breakdown(ds, "source", by_source),
        open_breaches,
        as_of: ds.as_of,
    })
}

pub fn sla_reports(
    ds: &Dataset,
    clauses: &[SlaClause],
    hours: &BusinessHours,
    filters: &Filters,
) -> Result<Vec<SlaReport>> {
    clauses
        .iter()
        .map(|c| sla_report(ds, c, hours, filters, None))
        .collect()
}
