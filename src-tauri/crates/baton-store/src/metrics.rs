//! SLA clauses, goals and business hours (metrics area).
//!
//! Adding or removing a clause or a goal does not bump the data version: the metrics
//! dataset (the only thing keyed on it) holds neither — clauses and goals are read
//! afresh by every query — so a change here must not force a reload of every record.

use crate::config_version::{hours_change, Config};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::goal::{Goal, GoalInput, GoalMetric, GoalPeriod, PeriodKind};
use baton_core::sla::{BusinessHours, Clock, SlaClause, SlaClauseInput, SlaTarget};
use baton_core::{BatonError, Result};
use rusqlite::params;

pub(crate) const BUSINESS_HOURS_KEY: &str = "business_hours";

pub(crate) fn clock_str(c: Clock) -> &'static str {
    match c {
        Clock::Calendar => "calendar",
        Clock::Business => "business",
    }
}

pub(crate) fn period_kind_str(k: PeriodKind) -> &'static str {
    match k {
        PeriodKind::Month => "month",
        PeriodKind::Quarter => "quarter",
        PeriodKind::Year => "year",
        PeriodKind::Custom => "custom",
    }
}

/// An SLA clause from its stored columns (both backends).
pub(crate) fn sla_clause_of(
    id: i64,
    name: String,
    from_stage: String,
    to_kind: &str,
    to_id: String,
    within_seconds: i64,
    clock: &str,
) -> SlaClause {
    SlaClause {
        id,
        name,
        from_stage,
        to: if to_kind == "field" {
            SlaTarget::Field(to_id)
        } else {
            SlaTarget::Stage(to_id)
        },
        within_seconds,
        clock: if clock == "business" {
            Clock::Business
        } else {
            Clock::Calendar
        },
    }
}

/// A goal's stored columns: id, name, metric JSON, target, period kind, start, end,
/// label, team.
pub(crate) type GoalRow = (i64, String, String, f64, String, i64, i64, String, String);

/// A goal from its stored columns (both backends).
pub(crate) fn goal_of(
    (id, name, metric, target, kind, start, end, label, team): GoalRow,
) -> Result<Goal> {
    let metric: GoalMetric = serde_json::from_str(&metric).map_err(|e| {
        BatonError::internal(format!("goal {id}: stored metric is unreadable: {e}"))
    })?;
    let kind = match kind.as_str() {
        "month" => PeriodKind::Month,
        "quarter" => PeriodKind::Quarter,
        "year" => PeriodKind::Year,
        _ => PeriodKind::Custom,
    };
    Ok(Goal {
        id,
        name,
        metric,
        target,
        period: GoalPeriod {
            kind,
            start,
            end,
            label,
        },
        team,
    })
}

/// The name a new goal gets: the one typed, else its metric and period, named after the
/// stages as people call them, not their ids.
pub(crate) fn goal_name(input: &GoalInput, stages: &[baton_core::stages::Stage]) -> String {
    if input.name.trim().is_empty() {
        let stage_name = |id: &str| {
            stages
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        format!(
            "{} {}",
            input.metric.describe_with(&stage_name),
            input.period.label
        )
    } else {
        input.display_name()
    }
}

/// The business hours stored under [`BUSINESS_HOURS_KEY`]; the default until set.
pub(crate) fn business_hours_of(json: Option<String>) -> Result<BusinessHours> {
    match json {
        None => Ok(BusinessHours::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            BatonError::internal(format!("stored business hours are unreadable: {e}"))
        }),
    }
}

/// SLA clauses, goals and business hours.
pub trait MetricsConfig {
    fn sla_clauses(&self) -> Result<Vec<SlaClause>>;

    fn add_sla_clause(&self, input: &SlaClauseInput) -> Result<SlaClause>;

    fn delete_sla_clause(&self, id: i64) -> Result<()>;

    fn goals(&self) -> Result<Vec<Goal>>;

    fn add_goal(&self, input: &GoalInput) -> Result<Goal>;

    fn delete_goal(&self, id: i64) -> Result<()>;

    /// The workspace's working week; Monday–Friday 09:00–17:00 until set.
    fn business_hours(&self) -> Result<BusinessHours>;

    fn set_business_hours(&self, hours: &BusinessHours) -> Result<()> {
        self.set_business_hours_from(hours, None)
    }

    /// [`Self::set_business_hours`] based on `seen`, the version of the hours on screen
    /// ([`crate::Config::BusinessHours`]): refused with `conflict` when changed since.
    fn set_business_hours_from(&self, hours: &BusinessHours, seen: Option<i64>) -> Result<()>;
}

/// The business hours as JSON for the setting (checked).
pub(crate) fn business_hours_json(hours: &BusinessHours) -> Result<String> {
    hours.validate()?;
    serde_json::to_string(hours)
        .map_err(|e| BatonError::internal(format!("serialising business hours: {e}")))
}

impl MetricsConfig for Workspace {
    fn sla_clauses(&self) -> Result<Vec<SlaClause>> {
        self.query_list(
            "reading SLA clauses",
            "SELECT id, name, from_stage, to_kind, to_id, within_seconds, clock
                 FROM sla_clauses ORDER BY id",
            [],
            |r| {
                Ok(sla_clause_of(
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    &r.get::<_, String>(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    &r.get::<_, String>(6)?,
                ))
            },
        )
    }

    fn add_sla_clause(&self, input: &SlaClauseInput) -> Result<SlaClause> {
        input.validate()?;
        let (to_kind, to_id) = match &input.to {
            SlaTarget::Stage(s) => ("stage", s.trim()),
            SlaTarget::Field(f) => ("field", f.trim()),
        };
        let name = input.display_name();
        let id = self.write_tx("adding SLA clause", |ws| {
            let tx = &ws.conn;
            tx.execute(
                "INSERT INTO sla_clauses(name, from_stage, to_kind, to_id, within_seconds, clock)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    name,
                    input.from_stage.trim(),
                    to_kind,
                    to_id,
                    input.within_seconds,
                    clock_str(input.clock)
                ],
            )
            .ctx("adding SLA clause")?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(SlaClause {
            id,
            name,
            from_stage: input.from_stage.trim().to_string(),
            to: input.to.clone(),
            within_seconds: input.within_seconds,
            clock: input.clock,
        })
    }

    fn delete_sla_clause(&self, id: i64) -> Result<()> {
        self.write_tx("deleting SLA clause", |ws| {
            let tx = &ws.conn;
            let n = tx
                .execute("DELETE FROM sla_clauses WHERE id = ?1", [id])
                .ctx("deleting SLA clause")?;
            if n == 0 {
                return Err(BatonError::not_found(format!("no SLA clause with id {id}")));
            }
            Workspace::delete_agreement_about(
                tx,
                &baton_core::agreement::Subject::SlaClause { clause_id: id },
            )
        })
    }

    fn goals(&self) -> Result<Vec<Goal>> {
        let rows = self.query_list("reading goals", "SELECT id, name, metric, target, period_kind, period_start, period_end, period_label, team
                 FROM goals ORDER BY id", [], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })?;
        rows.into_iter().map(goal_of).collect()
    }

    fn add_goal(&self, input: &GoalInput) -> Result<Goal> {
        input.validate()?;
        let name = goal_name(input, &self.stages()?);
        let metric = serde_json::to_string(&input.metric)
            .map_err(|e| BatonError::internal(format!("serialising goal metric: {e}")))?;
        let id = self.write_tx("adding goal", |ws| {
let tx = &ws.conn;
        tx.execute(
            "INSERT INTO goals(name, metric, target, period_kind, period_start, period_end, period_label, team)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                name,
                metric,
                input.target,
                period_kind_str(input.period.kind),
                input.period.start,
                input.period.end,
                input.period.label,
                input.team.trim()
            ],
        )
        .ctx("adding goal")?;
        Ok(tx.last_insert_rowid())
        })?;
        Ok(Goal {
            id,
            name,
            metric: input.metric.clone(),
            target: input.target,
            period: input.period.clone(),
            team: input.team.trim().to_string(),
        })
    }

    fn delete_goal(&self, id: i64) -> Result<()> {
        self.write_tx("deleting goal", |ws| {
            let tx = &ws.conn;
            let n = tx
                .execute("DELETE FROM goals WHERE id = ?1", [id])
                .ctx("deleting goal")?;
            if n == 0 {
                return Err(BatonError::not_found(format!("no goal with id {id}")));
            }
            Workspace::delete_agreement_about(
                tx,
                &baton_core::agreement::Subject::Goal { goal_id: id },
            )
        })
    }

    fn business_hours(&self) -> Result<BusinessHours> {
        business_hours_of(self.setting(BUSINESS_HOURS_KEY)?)
    }

    fn set_business_hours_from(&self, hours: &BusinessHours, seen: Option<i64>) -> Result<()> {
        let json = business_hours_json(hours)?;
        self.write_tx("changing the business hours", |ws| {
            let version = ws.check_config_version(Config::BusinessHours, seen)?;
            let old = ws.business_hours()?;
            ws.set_setting(BUSINESS_HOURS_KEY, &json)?;
            let change = hours_change(&old, hours);
            ws.bump_config_version(Config::BusinessHours, version, &change)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn clauses_goals_and_hours_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let v0 = ws.data_version().unwrap();
        let c = ws
            .add_sla_clause(&SlaClauseInput {
                name: String::new(),
                from_stage: "mql".into(),
                to: SlaTarget::Field("first_touch".into()),
                within_seconds: 4 * 3600,
                clock: Clock::Business,
            })
            .unwrap();
        assert_eq!(
            ws.data_version().unwrap(),
            v0,
            "a clause is not record data: the dataset need not reload"
        );
        assert_eq!(ws.sla_clauses().unwrap(), vec![c.clone()]);
        let g = ws
            .add_goal(&GoalInput {
                name: "Q1 MQLs".into(),
                metric: GoalMetric::Reached {
                    stage: "mql".into(),
                },
                target: 300.0,
                period: GoalPeriod::parse("2025-Q1").unwrap(),
                team: "marketing".into(),
            })
            .unwrap();
        assert_eq!(ws.goals().unwrap(), vec![g.clone()]);
        ws.delete_goal(g.id).unwrap();
        assert!(ws.goals().unwrap().is_empty());
        assert_eq!(
            ws.delete_sla_clause(999).unwrap_err().code,
            baton_core::ErrorCode::NotFound
        );
        ws.delete_sla_clause(c.id).unwrap();
        assert_eq!(ws.business_hours().unwrap(), BusinessHours::default());
        let h = BusinessHours {
            days: vec![1, 2, 3, 4],
            start_minute: 8 * 60,
            end_minute: 18 * 60,
        };
        ws.set_business_hours(&h).unwrap();
        assert_eq!(ws.business_hours().unwrap(), h);
    }
}
