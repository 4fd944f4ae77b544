//! Goals against actuals, with pace, and the reverse-waterfall calculator.

use crate::dataset::{Dataset, Outcome};
use crate::filter::{Filters, Selection};
use crate::funnel::{funnel, FunnelQuery};
use crate::scope::{filter_words, records_noun, with_amount_kind, with_default_kind};
use crate::sla::sla_report;
use crate::velocity::stage_pair;
use baton_core::goal::{Goal, GoalMetric};
use baton_core::sla::{BusinessHours, SlaClause};
use baton_core::stages::Stage;
use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GoalStatus {
    /// The target is reached.
    Met,
    /// At or above the pace the elapsed share of the period asks for.
    OnTrack,
    Behind,
    /// The period is over and the target was not reached.
    Missed,
    /// The period has not started.
    NotStarted,
    /// Nothing to measure (no records in the period, unknown clause…).
    NoData,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GoalProgress {
    pub goal: Goal,
    pub actual: Option<f64>,
    /// actual / target.
    pub progress: Option<f64>,
    /// Share of the period elapsed at the data's "as of" (0–1).
    pub elapsed_share: f64,
    /// For counts and amounts: target × elapsed share, the pace to be on track.
    pub expected_now: Option<f64>,
    pub status: GoalStatus,
    /// Records the figure is computed over.
    #[ts(type = "number")]
    pub basis: u64,
    /// Which records and which period the actual counts, in words: "contacts whose
    /// Customer date falls in 2026-Q4".
    pub scope: String,
    /// The target as people read it: "40%" for a rate, "120" for a count.
    pub target_text: String,
    /// The actual the same way; "–" when there is none.
    pub actual_text: String,
    /// Why there is no figure, when there is none.
    pub note: Option<String>,
}

/// Records of `sel` that reached stage `s` within `period` (`[start, end)`: the
/// stage's own date falls in it), or at all (the funnel's count) without a period.
/// Reached-stage goals and the report's headline counts are this one figure.
pub fn reached_in(ds: &Dataset, sel: &Selection, s: usize, period: Option<(i64, i64)>) -> u64 {
    match period {
        Some((start, end)) => sel
            .rows(ds)
            .filter(|&i| ds.date(i, s).is_some_and(|d| d >= start && d < end))
            .count() as u64,
        None => sel.rows(ds).filter(|&i| ds.reach[i] >= s as i8).count() as u64,
    }
}

/// What a goal's actual counts, in words.
fn goal_scope(ds: &Dataset, goal: &Goal, filters: &Filters, clauses: &[SlaClause]) -> String {
    let noun = records_noun(ds, filters);
    let name = |id: &str| {
        ds.stages
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let label = &goal.period.label;
    let what = match &goal.metric {
        GoalMetric::Reached { stage } => {
            format!("{noun} whose {} date falls in {label}", name(stage))
        }
        GoalMetric::Conversion { from, to } => format!(
            "{noun} whose {} date falls in {label}, share that reached {}",
            name(from),
            name(to)
        ),
        GoalMetric::SlaMet { clause_id } => {
            let from = clauses
                .iter()
                .find(|c| c.id == *clause_id)
                .map_or_else(String::new, |c| format!(" at {}", name(&c.from_stage)));
            format!("{noun} whose clock started{from} in {label}")
        }
        GoalMetric::WonAmount => format!("won {noun} closed in {label}"),
    };
    format!("{what}{}", filter_words(filters))
}

fn measure(
    ds: &Dataset,
    goal: &Goal,
    clauses: &[SlaClause],
    hours: &BusinessHours,
    filters: &Filters,
) -> Result<(Option<f64>, u64, Option<String>)> {
    let sel = &Selection::new(ds, filters)?;
    let p = &goal.period;
    let rows = || sel.rows(ds);
    Ok(match &goal.metric {
        GoalMetric::Reached { stage } => {
            let (s, _) = stage_or_err(ds, stage)?;
            let n = reached_in(ds, sel, s, Some((p.start, p.end)));
            (Some(n as f64), n, None)
        }
        GoalMetric::Conversion { from, to } => {
            let (a, b) = stage_pair(ds, from, to)?;
            let (mut entered, mut converted) = (0u64, 0u64);
            for i in rows() {
                if ds.date(i, a).is_some_and(|d| p.contains(d)) {
                    entered += 1;
                    converted += u64::from(ds.reach[i] >= b as i8);
                }
            }
            if entered == 0 {
                (
                    None,
                    0,
                    Some(format!(
                        "no record reached {} in {}",
                        ds.stages[a].name, p.label
                    )),
                )
            } else {
                (Some(converted as f64 / entered as f64), entered, None)
            }
        }
        GoalMetric::SlaMet { clause_id } => match clauses.iter().find(|c| c.id == *clause_id) {
            None => (
                None,
                0,
                Some(format!("SLA clause {clause_id} no longer exists")),
            ),
            Some(c) => {
                let r = sla_report(ds, c, hours, filters, Some((p.start, p.end)))?;
                match r.pct_met {
                    Some(pct) => (Some(pct), r.due, None),
                    None => (
                        None,
                        0,
                        Some(format!(
                            "no record was due under \"{}\" in {}",
                            c.name, p.label
                        )),
                    ),
                }
            }
        },
        GoalMetric::WonAmount => {
            let last = ds.stage_count().saturating_sub(1);
            let (mut sum, mut n) = (0.0, 0u64);
            for i in rows() {
                if ds.outcome[i] != Outcome::Won {
                    continue;
                }
                let closed = Some(ds.closed_at[i])
                    .filter(|d| *d != crate::dataset::NO_DATE)
                    .or_else(|| ds.date(i, last));
                if closed.is_some_and(|d| p.contains(d)) && !ds.amount[i].is_nan() {
                    sum += ds.amount[i];
                    n += 1;
                }
            }
            (Some(sum), n, None)
        }
    })
}

/// Refuse a goal that measures nothing in this workspace: an unknown stage, a
/// conversion that does not go forward, an SLA clause that does not exist.
pub fn check_goal(metric: &GoalMetric, stages: &[Stage], clauses: &[SlaClause]) -> Result<()> {
    let index = |id: &str| {
        stages
            .iter()
            .position(|s| s.id == id.trim())
            .ok_or_else(|| {
                BatonError::invalid(format!(
                    "no stage \"{id}\" in this workspace's funnel; stages: {}",
                    stages
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    };
    match metric {
        GoalMetric::Reached { stage } => index(stage).map(|_| ()),
        GoalMetric::Conversion { from, to } => {
            if index(from)? >= index(to)? {
                return Err(BatonError::invalid(format!(
                    "a conversion goes forward: \"{from}\" must come before \"{to}\" in the funnel"
                )));
            }
            Ok(())
        }
        GoalMetric::SlaMet { clause_id } => {
            if clauses.iter().any(|c| c.id == *clause_id) {
                Ok(())
            } else {
                Err(BatonError::invalid(format!(
                    "no SLA clause {clause_id}; clauses: {}",
                    if clauses.is_empty() {
                        "none yet".to_string()
                    } else {
                        clauses
                            .iter()
                            .map(|c| format!("{} ({})", c.id, c.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )))
            }
        }
        GoalMetric::WonAmount => Ok(()),
    }
}

fn stage_or_err(ds: &Dataset, stage: &str) -> Result<(usize, ())> {
    ds.stage_index(stage).map(|s| (s, ())).ok_or_else(|| {
        BatonError::invalid(format!("no stage \"{stage}\" in this workspace's funnel"))
    })
}

pub fn goal_progress(
    ds: &Dataset,
    goals: &[Goal],
    clauses: &[SlaClause],
    hours: &BusinessHours,
    filters: &Filters,
) -> Result<Vec<GoalProgress>> {
    // Goals count one kind of record (see `scope`): adding contacts and their deals
    // would count every won buyer twice.
    Selection::new(ds, filters)?;
    goals
        .iter()
        .map(|g| {
            let f = match g.metric {
                GoalMetric::WonAmount => with_amount_kind(ds, filters),
                _ => with_default_kind(ds, filters),
            };
            let (actual, basis, note) = match measure(ds, g, clauses, hours, &f) {
                Ok(m) => m,
                Err(e) => (None, 0, Some(e.message)),
            };
            let scope = goal_scope(ds, g, &f, clauses);
            let elapsed = g.period.elapsed_share(ds.as_of);
            let rate = g.metric.is_rate();
            let expected_now = (!rate).then_some(g.target * elapsed);
            let status = match actual {
                None => GoalStatus::NoData,
                Some(a) if a >= g.target => GoalStatus::Met,
                Some(_) if ds.as_of >= g.period.end => GoalStatus::Missed,
                Some(_) if ds.as_of < g.period.start => GoalStatus::NotStarted,
                Some(a) if rate => {
                    if a >= g.target {
                        GoalStatus::OnTrack
                    } else {
                        GoalStatus::Behind
                    }
                }
                Some(a) if a >= g.target * elapsed => GoalStatus::OnTrack,
                Some(_) => GoalStatus::Behind,
            };
            Ok(GoalProgress {
                goal: g.clone(),
                actual,
                progress: actual.map(|a| a / g.target),
                elapsed_share: elapsed,
                expected_now,
                status,
                basis,
                scope,
                target_text: g.metric.value_text(g.target),
                actual_text: actual.map_or_else(|| "–".into(), |a| g.metric.value_text(a)),
                note,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalculatorInput {
    pub revenue_target: f64,
    /// Average won deal; the observed average of won amounts when absent.
    #[serde(default)]
    pub avg_deal_size: Option<f64>,
    /// Agreed conversion from stage `i` to stage `i + 1` (0–1); observed when absent.
    #[serde(default)]
    pub conversions: Vec<Option<f64>>,
    #[serde(default)]
    pub filters: Filters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConversionBasis {
    Agreed,
    Observed,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalculatorStep {
    pub stage: String,
    pub name: String,
    /// Records needed at this stage, rounded up; null when a conversion is missing.
    pub required: Option<f64>,
    /// Conversion from this stage to the next (null for the last stage).
    pub conversion_to_next: Option<f64>,
    pub conversion_basis: Option<ConversionBasis>,
    /// The pipeline that can still arrive at this stage: open records whose current
    /// stage is the one just before it (for the wins, the open opportunities that can
    /// still be won; for opportunities, the SQLs not yet opportunities). Null for the
    /// first stage: nothing comes before it.
    #[ts(type = "number | null")]
    pub in_pipeline: Option<u64>,
    /// What `in_pipeline` counts, in words, e.g. "open at Opportunity, can still be won".
    pub pipeline_label: String,
    /// required − in_pipeline (negative: more than enough).
    pub gap: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalculatorReport {
    pub revenue_target: f64,
    pub avg_deal_size: Option<f64>,
    pub avg_deal_size_basis: ConversionBasis,
    /// Where the deal size comes from, e.g. "average of 85 won deals".
    pub avg_deal_size_scope: String,
    pub steps: Vec<CalculatorStep>,
}

/// From a revenue target back through the conversions to the records needed at each
/// stage: wins = target / deal size; needed at a stage = needed at the next stage /
/// conversion to it. Each figure is rounded up; the next one up is computed from the
/// unrounded value so rounding does not compound.
pub fn reverse_waterfall(ds: &Dataset, input: &CalculatorInput) -> Result<CalculatorReport> {
    if !input.revenue_target.is_finite() || input.revenue_target <= 0.0 {
        return Err(BatonError::invalid(
            "the revenue target must be a positive number",
        ));
    }
    let n = ds.stage_count();
    if n == 0 {
        return Err(BatonError::invalid("the workspace has no funnel stages"));
    }
    for (i, c) in input.conversions.iter().enumerate() {
        if let Some(c) = c {
            if !(*c > 0.0 && *c <= 1.0) {
                return Err(BatonError::invalid(format!(
                    "conversion {i} ({} → {}) must be above 0 and at most 1, got {c}",
                    ds.stages.get(i).map_or("?", |s| s.id.as_str()),
                    ds.stages.get(i + 1).map_or("?", |s| s.id.as_str())
                )));
            }
        }
    }
    let sel = Selection::new(ds, &input.filters)?;
    let observed = funnel(
        ds,
        &FunnelQuery {
            filters: input.filters.clone(),
            ..FunnelQuery::default()
        },
    )?;
    let (mut won_sum, mut won_n) = (0.0, 0u64);
    let mut at_stage = vec![0u64; n];
    for i in sel.rows(ds) {
        match ds.outcome[i] {
            Outcome::Won if !ds.amount[i].is_nan() => {
                won_sum += ds.amount[i];
                won_n += 1;
            }
            Outcome::Open if ds.reach[i] >= 0 => at_stage[ds.reach[i] as usize] += 1,
            _ => {}
        }
    }
    // What can still arrive at stage s is what is open one stage before it; past wins
    // and records already at s are not pipeline for s.
    let pipeline = |s: usize| (s > 0).then(|| at_stage[s - 1]);
    let pipeline_label = |s: usize| match s {
        0 => "nothing comes before the first stage".to_string(),
        s if s == n - 1 => format!("open at {}, can still be won", ds.stages[s - 1].name),
        s => format!(
            "open at {}, not yet {}",
            ds.stages[s - 1].name,
            ds.stages[s].name
        ),
    };
    // Contacts seldom carry amounts: the observed deal size then comes from the won
    // records of the kind that does (the deals), and says so.
    let mut deal_noun = records_noun(ds, &input.filters);
    if won_n == 0 {
        let mut others = input.filters.clone();
        others
            .fields
            .retain(|f| f.field != crate::scope::KIND_FIELD);
        let amounts = with_amount_kind(ds, &others);
        for i in Selection::new(ds, &amounts)?.rows(ds) {
            if ds.outcome[i] == Outcome::Won && !ds.amount[i].is_nan() {
                won_sum += ds.amount[i];
                won_n += 1;
            }
        }
        deal_noun = records_noun(ds, &amounts);
    }
    let (deal, deal_basis) = match input.avg_deal_size {
        Some(d) if d.is_finite() && d > 0.0 => (Some(d), ConversionBasis::Agreed),
        Some(d) => {
            return Err(BatonError::invalid(format!(
                "the average deal size must be a positive number, got {d}"
            )))
        }
        None if won_n > 0 && won_sum > 0.0 => {
            (Some(won_sum / won_n as f64), ConversionBasis::Observed)
        }
        None => (None, ConversionBasis::Missing),
    };
    let mut exact = vec![None; n];
    exact[n - 1] = deal.map(|d| input.revenue_target / d);
    let mut conv = vec![(None, None); n];
    for s in (0..n - 1).rev() {
        let (c, basis) = match input.conversions.get(s).copied().flatten() {
            Some(c) => (Some(c), ConversionBasis::Agreed),
            // Observed only when measured from this very stage (not across untracked ones).
            None => match observed.stages[s + 1]
                .pct_of_previous
                .filter(|c| *c > 0.0)
                .filter(|_| observed.stages[s + 1].previous.as_deref() == Some(&ds.stages[s].id))
            {
                Some(c) => (Some(c), ConversionBasis::Observed),
                None => (None, ConversionBasis::Missing),
            },
        };
        conv[s] = (c, Some(basis));
        exact[s] = match (exact[s + 1], c) {
            (Some(next), Some(c)) => Some(next / c),
            _ => None,
        };
    }
    let steps = (0..n)
        .map(|s| {
            // Round up, ignoring float noise such as 40.000000001.
            let required = exact[s].map(|x: f64| (x - 1e-9).ceil().max(0.0));
            CalculatorStep {
                stage: ds.stages[s].id.clone(),
                name: ds.stages[s].name.clone(),
                required,
                conversion_to_next: conv[s].0,
                conversion_basis: conv[s].1,
                in_pipeline: pipeline(s),
                pipeline_label: pipeline_label(s),
                gap: required.map(|r| r - pipeline(s).unwrap_or(0) as f64),
            }
        })
        .collect();
    Ok(CalculatorReport {
        revenue_target: input.revenue_target,
        avg_deal_size: deal,
        avg_deal_size_basis: deal_basis,
        avg_deal_size_scope: match deal_basis {
            ConversionBasis::Observed => format!("average of {won_n} won {deal_noun}"),
            ConversionBasis::Agreed => "agreed".into(),
            ConversionBasis::Missing => "no won record carries an amount".into(),
        },
        steps,
    })
}
