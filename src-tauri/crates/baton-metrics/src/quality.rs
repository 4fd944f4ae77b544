//! The data quality panel: what the figures had to work around.

use crate::dataset::{Dataset, NO_DATE};
use crate::drill::{summary, RecordSummary};
use crate::filter::{Filters, Selection};
use baton_core::Result;
use serde::Serialize;
use ts_rs::TS;

const SAMPLES: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CountedValue {
    pub value: String,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BackwardDate {
    #[ts(type = "number")]
    pub record_id: i64,
    pub external_id: String,
    pub earlier_stage: String,
    #[ts(type = "number")]
    pub earlier_date: i64,
    pub later_stage: String,
    /// Before `earlier_date`: the error.
    #[ts(type = "number")]
    pub later_date: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DuplicateId {
    #[ts(type = "number")]
    pub record_id: i64,
    pub external_id: String,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct IdVariants {
    pub kind: String,
    /// Ids that differ only by case or surrounding spaces: probably one record.
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldVariants {
    pub field: String,
    /// The spelling the figures show.
    pub shown_as: String,
    pub spellings: Vec<CountedValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct QualityReport {
    #[ts(type = "number")]
    pub records: u64,
    /// Per stage: records counted as passing it without evidence of it.
    pub skipped: Vec<CountedValue>,
    #[ts(type = "number")]
    pub skipped_records: u64,
    /// Records with a later stage dated before an earlier one.
    #[ts(type = "number")]
    pub backward: u64,
    pub backward_samples: Vec<BackwardDate>,
    /// Records with no stage date at all.
    #[ts(type = "number")]
    pub no_dates: u64,
    pub no_date_samples: Vec<RecordSummary>,
    /// Records nothing places in the funnel (no date, no mapped stage).
    #[ts(type = "number")]
    pub no_stage: u64,
    /// Records that came from more than one differently named file.
    #[ts(type = "number")]
    pub several_files: u64,
    pub several_files_samples: Vec<DuplicateId>,
    pub id_variants: Vec<IdVariants>,
    /// Current-stage values (and date keys) that are not agreed stages.
    pub unmapped_stage_values: Vec<CountedValue>,
    /// Values spelled several ways, grouped together in the figures.
    pub case_variants: Vec<FieldVariants>,
}

pub fn quality(ds: &Dataset, filters: &Filters) -> Result<QualityReport> {
    let sel = Selection::new(ds, filters)?;
    let n = ds.stage_count();
    let mut skipped = vec![0u64; n];
    let (mut skipped_records, mut backward, mut no_dates, mut no_stage, mut records) =
        (0, 0, 0, 0, 0);
    let mut backward_samples = Vec::new();
    let mut no_date_samples = Vec::new();
    let everything = sel.is_everything();
    let picked = |i: usize| everything || sel.contains(ds, i);
    for i in sel.rows(ds) {
        records += 1;
        let r = ds.reach[i];
        if r < 0 {
            no_stage += 1;
        } else {
            let missing = !ds.evidence[i] & ((1u32 << r) - 1) & ds.tracked_mask(i);
            if missing != 0 {
                skipped_records += 1;
                for (s, c) in skipped.iter_mut().enumerate().take(r as usize) {
                    *c += u64::from(missing >> s & 1);
                }
            }
        }
        if ds.entry[i] == NO_DATE {
            no_dates += 1;
            if no_date_samples.len() < SAMPLES {
                no_date_samples.push(summary(ds, i));
            }
        } else {
            let mut prev: Option<(usize, i64)> = None;
            let mut found = None;
            for s in 0..n {
                if let Some(d) = ds.date(i, s) {
                    if let Some((ps, pd)) = prev {
                        if d < pd && found.is_none() {
                            found = Some((ps, pd, s, d));
                        }
                    }
                    prev = Some((s, d));
                }
            }
            if let Some((ps, pd, s, d)) = found {
                backward += 1;
                if backward_samples.len() < SAMPLES {
                    backward_samples.push(BackwardDate {
                        record_id: ds.ids[i],
                        external_id: ds.external_ids.get(i).to_string(),
                        earlier_stage: ds.stages[ps].id.clone(),
                        earlier_date: pd,
                        later_stage: ds.stages[s].id.clone(),
                        later_date: d,
                    });
                }
            }
        }
    }
    let kind = ds.column("kind").expect("built-in column");
    let mut id_variants: Vec<IdVariants> = ds
        .id_variant_groups
        .iter()
        .filter_map(|group| {
            let rows: Vec<usize> = group
                .iter()
                .map(|&r| r as usize)
                .filter(|&r| picked(r))
                .collect();
            (rows.len() > 1).then(|| IdVariants {
                kind: kind.display[kind.codes.get(rows[0]) as usize].clone(),
                ids: rows
                    .iter()
                    .map(|&i| ds.external_ids.get(i).to_string())
                    .collect(),
            })
        })
        .collect();
    id_variants.sort_by(|a, b| a.ids.cmp(&b.ids));
    let several: Vec<&(u32, Vec<String>)> = ds
        .several_files
        .iter()
        .filter(|(row, _)| picked(*row as usize))
        .collect();
    let mut case_variants = Vec::new();
    for (name, col) in &ds.columns {
        let mut codes: Vec<&u32> = col.variants.keys().collect();
        codes.sort();
        for code in codes {
            let mut spellings: Vec<CountedValue> = col.variants[code]
                .iter()
                .map(|(v, c)| CountedValue {
                    value: v.clone(),
                    count: *c,
                })
                .collect();
            spellings.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            case_variants.push(FieldVariants {
                field: name.clone(),
                shown_as: col.display[*code as usize].clone(),
                spellings,
            });
        }
    }
    Ok(QualityReport {
        records,
        skipped: ds
            .stages
            .iter()
            .zip(skipped)
            .map(|(s, count)| CountedValue {
                value: s.id.clone(),
                count,
            })
            .collect(),
        skipped_records,
        backward,
        backward_samples,
        no_dates,
        no_date_samples,
        no_stage,
        several_files: several.len() as u64,
        several_files_samples: several
            .iter()
            .take(SAMPLES)
            .map(|(row, files)| DuplicateId {
                record_id: ds.ids[*row as usize],
                external_id: ds.external_ids.get(*row as usize).to_string(),
                files: files.clone(),
            })
            .collect(),
        id_variants,
        unmapped_stage_values: ds
            .unmapped
            .iter()
            .map(|(v, c)| CountedValue {
                value: v.clone(),
                count: *c,
            })
            .collect(),
        case_variants,
    })
}
