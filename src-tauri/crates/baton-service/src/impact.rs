//! "Did the agreement work?": before/after figures for each agreed definition, SLA
//! clause and goal (see `baton_metrics::impact`).
use crate::Service;
use baton_core::{BatonError, Result};
use baton_metrics::impact::{impact, ImpactInput, ImpactReport, DEFAULT_WINDOW_DAYS};

impl Service {
    /// Every agreement's before/after figures, or one agreement's (`agreement`), with
    /// the maturity window in days (90 when not given).
    pub fn impact(&self, agreement: Option<i64>, window_days: Option<u32>) -> Result<ImpactReport> {
        let window_days = window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
        if window_days == 0 || window_days > 3650 {
            return Err(BatonError::invalid(format!(
                "the maturity window is {window_days} days; give between 1 and 3650"
            )));
        }
        self.with_dataset(|ws, ds| {
            let mut agreements = ws.agreements()?;
            if let Some(id) = agreement {
                agreements.retain(|a| a.id == id);
                if agreements.is_empty() {
                    return Err(BatonError::not_found(format!("no agreement with id {id}")));
                }
            }
            impact(
                ds,
                &ImpactInput {
                    agreements: &agreements,
                    clauses: &ws.sla_clauses()?,
                    goals: &ws.goals()?,
                    hours: &ws.business_hours()?,
                    window_days,
                },
            )
        })
    }
}
