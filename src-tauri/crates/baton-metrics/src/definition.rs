//! A lead definition run on the records before it is signed: how many records meet
//! its machine criteria per entry month, how those records moved on (to the next stage
//! and to customer) against the records that do not meet it, and how the definition
//! overlaps with what the CRM itself marked as that stage. Every rate carries its
//! sample size and a 95% Wilson interval.

use crate::dataset::{Dataset, NO_DATE};
use crate::filter::{unknown_field, FieldFilter, Filters, Selection};
use crate::funnel::{cohort_label, cohort_of, Granularity};
use crate::stats::Rate;
use baton_core::definition::DefinitionCriteria;
use baton_core::persona::{Condition, Criteria};
use baton_core::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DefinitionQuery {
    /// The stage the definition is for (`mql`, `sql`, …).
    pub stage: String,
    pub criteria: DefinitionCriteria,
    /// Entry date (first dated stage) on or after this day, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Entry date on or before this day (inclusive), `YYYY-MM-DD`.
    #[serde(default)]
    pub to: Option<String>,
}

/// Records of one entry month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub meets: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DefinitionCheck {
    pub stage: String,
    /// The stage after it; `None` when it is the last stage.
    pub next_stage: Option<String>,
    /// The last stage of the funnel (customer).
    pub customer_stage: String,
    /// The record kind counted: contacts when the records hold contacts and another
    /// kind (a deal is the same buyer as its contact); `None` when there is one kind.
    pub kind: Option<String>,
    /// Records that entered in the period (the population).
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub meets: u64,
    #[ts(type = "number")]
    pub others: u64,
    /// Of the records meeting it / not meeting it, the share that reached the next stage.
    pub meets_next: Option<Rate>,
    pub others_next: Option<Rate>,
    /// … and the share that reached the customer stage.
    pub meets_customer: Rate,
    pub others_customer: Rate,
    /// Records the CRM marked as the stage (reached it or a later one).
    #[ts(type = "number")]
    pub crm_marked: u64,
    #[ts(type = "number")]
    pub crm_marked_and_meets: u64,
    /// Of the records the CRM marked, the share meeting the definition.
    pub marked_meeting: Rate,
    /// Of the records meeting the definition, the share the CRM never marked.
    pub meets_unmarked: Rate,
    /// Per entry month, oldest first.
    pub by_month: Vec<MonthCount>,
    /// Records left out because no stage of theirs has a date (no entry month).
    #[ts(type = "number")]
    pub undated: u64,
}

/// Did row `i` reach stage `s`? The funnel's rule, in one place.
#[inline]
pub fn reached(ds: &Dataset, i: usize, s: usize) -> bool {
    ds.reach[i] >= s as i8
}

/// The kind a check counts: contacts when contacts and another kind are present.
pub fn counted_kind(ds: &Dataset) -> Option<String> {
    let col = ds.column("kind")?;
    let kinds = (1..col.display.len())
        .filter(|&c| col.counts[c] > 0)
        .count();
    let contact = col.code_of("contact")?;
    (kinds > 1 && col.counts[contact as usize] > 0).then(|| col.display[contact as usize].clone())
}

/// The definition's criteria resolved against the dataset: one selection for the
/// required conditions, one per disqualifier.
pub struct Definition {
    required: Selection,
    disqualifiers: Vec<Selection>,
}

impl Definition {
    pub fn new(ds: &Dataset, criteria: &DefinitionCriteria) -> Result<Definition> {
        criteria.validate()?;
        let check_field = |c: &Condition, what: String| -> Result<()> {
            let f = c.field().trim();
            if ds.criteria_columns(f).is_none_or(|cols| !cols.is_empty()) {
                Ok(())
            } else {
                Err(BatonError::invalid(format!(
                    "{what}: {}",
                    unknown_field(ds, f).message
                )))
            }
        };
        for (i, c) in criteria.all.iter().enumerate() {
            check_field(c, format!("criterion {}", i + 1))?;
        }
        for (i, c) in criteria.disqualifiers.iter().enumerate() {
            check_field(c, format!("disqualifier {}", i + 1))?;
        }
        let select = |all: Vec<Condition>| {
            Selection::new(
                ds,
                &Filters {
                    persona: Some(Criteria { all }),
                    ..Filters::default()
                },
            )
        };
        Ok(Definition {
            required: select(criteria.all.clone())?,
            disqualifiers: criteria
                .disqualifiers
                .iter()
                .map(|c| select(vec![c.clone()]))
                .collect::<Result<_>>()?,
        })
    }

    #[inline]
    pub fn meets(&self, ds: &Dataset, i: usize) -> bool {
        self.required.contains(ds, i) && !self.disqualifiers.iter().any(|d| d.contains(ds, i))
    }
}

/// Run the definition in `q` over the records that entered in its period.
pub fn check_definition(ds: &Dataset, q: &DefinitionQuery) -> Result<DefinitionCheck> {
    let stage = ds.stage_index(q.stage.trim()).ok_or_else(|| {
        BatonError::invalid(format!(
            "there is no stage \"{}\"; the stages are {}",
            q.stage,
            ds.stages
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    if q.criteria.is_empty() {
        return Err(BatonError::invalid(format!(
            "the {} definition has no machine criteria yet; add a condition to run it on the records",
            q.stage
        )));
    }
    let last = ds.stage_count() - 1;
    let next = (stage < last).then_some(stage + 1);
    let kind = counted_kind(ds);
    let of_kind = Selection::new(
        ds,
        &Filters {
            fields: kind
                .iter()
                .map(|k| FieldFilter {
                    field: "kind".into(),
                    values: vec![k.clone()],
                })
                .collect(),
            ..Filters::default()
        },
    )?;
    let period = Selection::new(
        ds,
        &Filters {
            entry_from: q.from.clone(),
            entry_to: q.to.clone(),
            ..Filters::default()
        },
    )?;
    let def = Definition::new(ds, &q.criteria)?;

    // [meets?][reached next?], [meets?][customer?], [meets?][marked?]
    let mut next_n = [[0u64; 2]; 2];
    let mut cust_n = [[0u64; 2]; 2];
    let mut marked_n = [[0u64; 2]; 2];
    let mut months: std::collections::BTreeMap<i32, (u64, u64)> = Default::default();
    let mut undated = 0;
    for i in 0..ds.len() {
        if !of_kind.contains(ds, i) {
            continue;
        }
        if ds.entry[i] == NO_DATE {
            undated += 1;
            continue;
        }
        if !period.contains(ds, i) {
            continue;
        }
        let m = usize::from(def.meets(ds, i));
        if let Some(n) = next {
            next_n[m][usize::from(reached(ds, i, n))] += 1;
        }
        cust_n[m][usize::from(reached(ds, i, last))] += 1;
        marked_n[m][usize::from(reached(ds, i, stage))] += 1;
        let month = months
            .entry(cohort_of(ds.entry[i], Granularity::Month))
            .or_default();
        month.0 += 1;
        month.1 += m as u64;
    }
    let group = |t: &[[u64; 2]; 2], m: usize| Rate::new(t[m][1], t[m][0] + t[m][1]);
    let meets = marked_n[1][0] + marked_n[1][1];
    let others = marked_n[0][0] + marked_n[0][1];
    let crm_marked = marked_n[0][1] + marked_n[1][1];
    let crm_marked_and_meets = marked_n[1][1];
    Ok(DefinitionCheck {
        stage: ds.stages[stage].id.clone(),
        next_stage: next.map(|n| ds.stages[n].id.clone()),
        customer_stage: ds.stages[last].id.clone(),
        kind,
        records: meets + others,
        meets,
        others,
        meets_next: next.map(|_| group(&next_n, 1)),
        others_next: next.map(|_| group(&next_n, 0)),
        meets_customer: group(&cust_n, 1),
        others_customer: group(&cust_n, 0),
        crm_marked,
        crm_marked_and_meets,
        marked_meeting: Rate::new(crm_marked_and_meets, crm_marked),
        meets_unmarked: Rate::new(meets - crm_marked_and_meets, meets),
        by_month: months
            .into_iter()
            .map(|(k, (records, meets))| MonthCount {
                month: cohort_label(k, Granularity::Month),
                records,
                meets,
            })
            .collect(),
        undated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Record;
    use baton_core::stages::default_stages;

    fn rec(id: i64, kind: &str, size: i64, dates: &[(&str, i64)]) -> Record {
        Record {
            id,
            kind: kind.into(),
            external_id: id.to_string(),
            company_size: Some(size),
            stage_dates: dates.iter().map(|(s, d)| (s.to_string(), *d)).collect(),
            ..Record::default()
        }
    }

    fn size_at_least(n: f64) -> DefinitionCriteria {
        DefinitionCriteria {
            all: vec![Condition::AtLeast {
                field: "company_size".into(),
                value: n,
            }],
            disqualifiers: vec![],
        }
    }

    #[test]
    fn contacts_are_counted_when_deals_are_there_too() {
        let ds = Dataset::build(
            default_stages(),
            vec![
                rec(1, "contact", 100, &[("lead", 0), ("mql", 10)]),
                rec(2, "deal", 100, &[("opportunity", 0)]),
                rec(3, "contact", 10, &[]),
            ],
            0,
        );
        let c = check_definition(
            &ds,
            &DefinitionQuery {
                stage: "mql".into(),
                criteria: size_at_least(50.0),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(c.kind.as_deref(), Some("contact"));
        assert_eq!((c.records, c.meets, c.undated), (1, 1, 1));
        assert_eq!(c.crm_marked, 1);
    }

    #[test]
    fn unknown_fields_stages_and_empty_criteria_are_refused() {
        let ds = Dataset::build(default_stages(), vec![rec(1, "contact", 5, &[])], 0);
        let q = |stage: &str, criteria: DefinitionCriteria| DefinitionQuery {
            stage: stage.into(),
            criteria,
            ..Default::default()
        };
        let e = check_definition(&ds, &q("mqll", size_at_least(1.0))).unwrap_err();
        assert!(e.message.contains("no stage \"mqll\""), "{}", e.message);
        let e = check_definition(&ds, &q("mql", DefinitionCriteria::default())).unwrap_err();
        assert!(e.message.contains("no machine criteria"), "{}", e.message);
        let typo = DefinitionCriteria {
            all: vec![],
            disqualifiers: vec![Condition::In {
                field: "industy".into(),
                values: vec!["x".into()],
            }],
        };
        let e = check_definition(&ds, &q("mql", typo)).unwrap_err();
        assert!(
            e.message
                .starts_with("disqualifier 1: no field \"industy\""),
            "{}",
            e.message
        );
        let c = check_definition(&ds, &q("customer", size_at_least(1.0))).unwrap();
        assert_eq!((c.next_stage, c.meets_next), (None, None));
    }
}
