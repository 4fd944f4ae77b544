//! Time between two stages: median and 90th percentile in days over the records
//! that have both dates. A later stage dated before the earlier one is a data error:
//! excluded here and listed by the quality panel.

use crate::dataset::Dataset;
use crate::filter::{unknown_field, Filters, Selection};
use crate::stats::percentile;
use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const DAY: f64 = 86_400.0;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VelocityQuery {
    #[serde(default)]
    pub filters: Filters,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VelocityGroup {
    pub key: String,
    #[ts(type = "number")]
    pub n: u64,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VelocityReport {
    pub from: String,
    pub to: String,
    /// Records with both dates, in the right order.
    #[ts(type = "number")]
    pub n: u64,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
    /// Records whose `to` date is before their `from` date (left out).
    #[ts(type = "number")]
    pub backward_excluded: u64,
    pub by: Option<String>,
    pub groups: Vec<VelocityGroup>,
}

fn summary(key: String, mut secs: Vec<i64>) -> VelocityGroup {
    VelocityGroup {
        key,
        n: secs.len() as u64,
        median_days: percentile(&mut secs, 0.5).map(|s| s / DAY),
        p90_days: percentile(&mut secs, 0.9).map(|s| s / DAY),
    }
}

pub fn stage_pair(ds: &Dataset, from: &str, to: &str) -> Result<(usize, usize)> {
    let find = |id: &str| {
        ds.stage_index(id.trim()).ok_or_else(|| {
            BatonError::invalid(format!(
                "no stage \"{id}\" in this workspace's funnel; stages: {}",
                ds.stages
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    };
    let (a, b) = (find(from)?, find(to)?);
    if a >= b {
        return Err(BatonError::invalid(format!(
            "\"{from}\" must come before \"{to}\" in the funnel"
        )));
    }
    Ok((a, b))
}

pub fn velocity(ds: &Dataset, q: &VelocityQuery) -> Result<VelocityReport> {
    let sel = Selection::new(ds, &q.filters)?;
    let (a, b) = stage_pair(ds, &q.from, &q.to)?;
    let by = match &q.by {
        Some(f) if !f.trim().is_empty() => Some(
            ds.column_index(f.trim())
                .ok_or_else(|| unknown_field(ds, f.trim()))?,
        ),
        _ => None,
    };
    let mut all = Vec::new();
    let mut per_code: Vec<Vec<i64>> = match by {
        Some(c) => vec![Vec::new(); ds.columns[c].1.display.len()],
        None => Vec::new(),
    };
    let mut backward = 0;
    let everything = sel.is_everything();
    for i in 0..ds.len() {
        let (Some(da), Some(db)) = (ds.date(i, a), ds.date(i, b)) else {
            continue;
        };
        if !everything && !sel.contains(ds, i) {
            continue;
        }
        if db < da {
            backward += 1;
            continue;
        }
        all.push(db - da);
        if let Some(c) = by {
            per_code[ds.columns[c].1.codes.get(i) as usize].push(db - da);
        }
    }
    let mut groups: Vec<VelocityGroup> = match by {
        Some(c) => per_code
            .into_iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(code, v)| summary(ds.columns[c].1.display[code].clone(), v))
            .collect(),
        None => Vec::new(),
    };
    groups.sort_by(|x, y| y.n.cmp(&x.n).then_with(|| x.key.cmp(&y.key)));
    let total = summary(String::new(), all);
    Ok(VelocityReport {
        from: ds.stages[a].id.clone(),
        to: ds.stages[b].id.clone(),
        n: total.n,
        median_days: total.median_days,
        p90_days: total.p90_days,
        backward_excluded: backward,
        by: by.map(|c| ds.columns[c].0.clone()),
        groups,
    })
}

/// Velocity of each adjacent pair of stages and of first → last (time in stage): the
/// same figures as [`velocity`] per pair, in one pass over the records.
pub fn velocity_steps(ds: &Dataset, filters: &Filters) -> Result<Vec<VelocityReport>> {
    let sel = Selection::new(ds, filters)?;
    let n = ds.stage_count();
    let mut pairs: Vec<(usize, usize)> = (1..n).map(|s| (s - 1, s)).collect();
    if n > 2 {
        pairs.push((0, n - 1));
    }
    let mut secs: Vec<Vec<i64>> = vec![Vec::new(); pairs.len()];
    let mut backward = vec![0u64; pairs.len()];
    let everything = sel.is_everything();
    for i in 0..ds.len() {
        if !everything && !sel.contains(ds, i) {
            continue;
        }
        for (k, &(a, b)) in pairs.iter().enumerate() {
            let (Some(da), Some(db)) = (ds.date(i, a), ds.date(i, b)) else {
                continue;
            };
            if db < da {
                backward[k] += 1;
            } else {
                secs[k].push(db - da);
            }
        }
    }
    Ok(pairs
        .iter()
        .zip(secs)
        .zip(backward)
        .map(|((&(a, b), v), backward_excluded)| {
            let total = summary(String::new(), v);
            VelocityReport {
                from: ds.stages[a].id.clone(),
                to: ds.stages[b].id.clone(),
                n: total.n,
                median_days: total.median_days,
                p90_days: total.p90_days,
                backward_excluded,
                by: None,
                groups: Vec::new(),
            }
        })
        .collect())
}
