//! Drill-down: the records behind any figure.

use crate::dataset::{Dataset, Outcome, NO_DATE};
use crate::filter::{Filters, Selection};
use crate::funnel::{cohort_label, cohort_of, groups_of, Counting, Granularity};
use crate::sla::{CompiledClause, Verdict};
use crate::velocity::stage_pair;
use baton_core::persona::Persona;
use baton_core::sla::{BusinessHours, SlaClause};
use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const DEFAULT_LIMIT: u32 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DrillTarget {
    /// Every record passing the filters (within the group or cohort).
    All,
    /// Records that reached `stage`.
    Reached { stage: String },
    /// Reached `stage` but not the next one (the record's next tracked stage, or `next`
    /// when given: then only records tracking both, as the funnel's drop-off counts).
    DroppedAfter {
        stage: String,
        #[serde(default)]
        #[ts(optional)]
        next: Option<String>,
    },
    /// Counted as passing `stage` without evidence of it.
    Skipped { stage: String },
    /// `won`, `lost` or `open`.
    Outcome { outcome: String },
    /// Nothing places them in the funnel.
    NoStage,
    /// No stage date at all.
    NoDates,
    /// A later stage dated before an earlier one.
    Backward,
    /// Records with both dates, in order, that the velocity figure uses.
    Velocity { from: String, to: String },
    /// Records of an SLA clause with a verdict: `met`, `breached`, `open_late`,
    /// `open_in_time`, `answered_undated`.
    Sla {
        #[ts(type = "number")]
        clause_id: i64,
        verdict: String,
    },
}

/// Restrict to one breakdown group (`key` as shown, `(none)` for missing); `field` may be
/// `persona` (the first matching persona, as in the funnel breakdown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupRef {
    pub field: String,
    pub key: String,
}

/// Restrict to one entry cohort (`2025-03`, `2025-Q1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CohortRef {
    pub granularity: Granularity,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrillQuery {
    #[serde(default)]
    pub filters: Filters,
    pub target: DrillTarget,
    #[serde(default)]
    pub group: Option<GroupRef>,
    #[serde(default)]
    pub cohort: Option<CohortRef>,
    /// At most this many records (default 500); `total` counts them all.
    #[serde(default)]
    pub limit: Option<u32>,
    /// How skipped stages count (as in the funnel the figure came from); default passed.
    #[serde(default)]
    #[ts(optional)]
    pub counting: Option<Counting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RecordSummary {
    #[ts(type = "number")]
    pub record_id: i64,
    pub kind: String,
    pub external_id: String,
    pub current_stage: Option<String>,
    /// `won`, `lost` or `open`.
    pub outcome: String,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub segment: Option<String>,
    /// Date of the first dated stage.
    #[ts(type = "number | null")]
    pub entry: Option<i64>,
    pub amount: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DrillResult {
    #[ts(type = "number")]
    pub total: u64,
    pub records: Vec<RecordSummary>,
}

pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Won => "won",
        Outcome::Lost => "lost",
        Outcome::Open => "open",
    }
}

pub fn summary(ds: &Dataset, i: usize) -> RecordSummary {
    let text = |f: &str| ds.column(f).and_then(|c| c.value(i)).map(str::to_string);
    RecordSummary {
        record_id: ds.ids[i],
        kind: text("kind").unwrap_or_default(),
        external_id: ds.external_ids.get(i).to_string(),
        current_stage: text("stage"),
        outcome: outcome_name(ds.outcome[i]).to_string(),
        owner: text("owner"),
        source: text("source"),
        segment: text("segment"),
        entry: (ds.entry[i] != NO_DATE).then_some(ds.entry[i]),
        amount: (!ds.amount[i].is_nan()).then_some(ds.amount[i]),
    }
}

fn stage(ds: &Dataset, id: &str) -> Result<usize> {
    ds.stage_index(id)
        .ok_or_else(|| BatonError::invalid(format!("no stage \"{id}\" in this workspace's funnel")))
}

pub fn drill(
    ds: &Dataset,
    q: &DrillQuery,
    clauses: &[SlaClause],
    hours: &BusinessHours,
) -> Result<DrillResult> {
    drill_with_personas(ds, q, clauses, hours, &[])
}

/// [`drill`], with the workspace's personas (in their order) for a `persona` group.
pub fn drill_with_personas(
    ds: &Dataset,
    q: &DrillQuery,
    clauses: &[SlaClause],
    hours: &BusinessHours,
    personas: &[Persona],
) -> Result<DrillResult> {
    let sel = Selection::new(ds, &q.filters)?;
    let group = match &q.group {
        Some(g) => {
            let (codes, keys, _) = groups_of(ds, Some(&g.field), personas)?.ok_or_else(|| {
                BatonError::invalid("the group needs a field and a key (FIELD=KEY)")
            })?;
            // An unknown key matches nothing.
            let want = crate::dataset::fold(&g.key);
            let code = keys
                .iter()
                .position(|k| crate::dataset::fold(k) == want)
                .map(|c| c as u32);
            Some((codes, code))
        }
        None => None,
    };
    let counting = q.counting.unwrap_or_default();
    let counted = move |i: usize| match counting {
        Counting::Passed => ds.reach[i],
        Counting::Evidence => ds.evidence_reach[i],
    };
    let test: Box<dyn Fn(usize) -> bool + '_> = match &q.target {
        DrillTarget::All => Box::new(|_| true),
        DrillTarget::Reached { stage: s } => {
            let s = stage(ds, s)?;
            Box::new(move |i| ds.tracks(i, s) && counted(i) >= s as i8)
        }
        DrillTarget::DroppedAfter { stage: s, next } => {
            let s = stage(ds, s)?;
            let next = next.as_deref().map(|n| stage(ds, n)).transpose()?;
            Box::new(move |i| {
                let mask = ds.tracked_mask(i);
                let upto = match next {
                    Some(n) if mask >> n & 1 == 1 => n,
                    Some(_) => return false,
                    None => (s + 1..ds.stage_count())
                        .find(|&t| mask >> t & 1 == 1)
                        .unwrap_or(ds.stage_count()),
                };
                let c = counted(i);
                mask >> s & 1 == 1 && c >= s as i8 && (c as i64) < upto as i64
            })
        }
        DrillTarget::Skipped { stage: s } => {
            let s = stage(ds, s)?;
            Box::new(move |i| {
                ds.tracks(i, s) && ds.reach[i] > s as i8 && ds.evidence[i] & (1 << s) == 0
            })
        }
        DrillTarget::Outcome { outcome } => {
            let want = match outcome.as_str() {
                "won" => Outcome::Won,
                "lost" => Outcome::Lost,
                "open" => Outcome::Open,
                other => {
                    return Err(BatonError::invalid(format!(
                        "\"{other}\" is not an outcome; expected won, lost or open"
                    )))
                }
            };
            Box::new(move |i| ds.outcome[i] == want)
        }
        DrillTarget::NoStage => Box::new(|i| ds.reach[i] < 0),
        DrillTarget::NoDates => Box::new(|i| ds.entry[i] == NO_DATE),
        DrillTarget::Backward => Box::new(|i| {
            let mut prev = None;
            for s in 0..ds.stage_count() {
                if let Some(d) = ds.date(i, s) {
                    if prev.is_some_and(|p| d < p) {
                        return true;
                    }
                    prev = Some(d);
                }
            }
            false
        }),
        DrillTarget::Velocity { from, to } => {
            let (a, b) = stage_pair(ds, from, to)?;
            Box::new(
                move |i| matches!((ds.date(i, a), ds.date(i, b)), (Some(x), Some(y)) if y >= x),
            )
        }
        DrillTarget::Sla { clause_id, verdict } => {
            let clause = clauses.iter().find(|c| c.id == *clause_id).ok_or_else(|| {
                BatonError::not_found(format!("no SLA clause with id {clause_id}"))
            })?;
            let want = Verdict::parse(verdict)?;
            let cc = CompiledClause::new(ds, clause, hours, ds.as_of)?;
            Box::new(move |i| cc.start(i).is_some_and(|s| cc.judge(i, s).0 == want))
        }
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let mut total = 0u64;
    let mut records = Vec::new();
    for i in sel.rows(ds) {
        if let Some((codes, code)) = &group {
            if Some(codes[i]) != *code {
                continue;
            }
        }
        if let Some(c) = &q.cohort {
            if ds.entry[i] == NO_DATE
                || cohort_label(cohort_of(ds.entry[i], c.granularity), c.granularity) != c.key
            {
                continue;
            }
        }
        if !test(i) {
            continue;
        }
        total += 1;
        if records.len() < limit {
            records.push(summary(ds, i));
        }
    }
    Ok(DrillResult { total, records })
}
