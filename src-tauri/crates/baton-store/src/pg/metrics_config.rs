//! [`MetricsConfig`] on PostgreSQL: SLA clauses and goals (listed by id) and the business
//! hours (a setting). As on the file, adding or deleting a clause or a goal leaves the data
//! version alone; deleting one deletes the agreement about it (its versions and sign-offs
//! go by `ON DELETE CASCADE`, as on the file).
use super::config_version::{bump_config_version, check_config_version};
use super::state::{set_setting_in, setting_in};
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::config_version::{hours_change, Config};
use crate::metrics::{
    business_hours_json, business_hours_of, clock_str, goal_name, goal_of, period_kind_str,
    sla_clause_of, BUSINESS_HOURS_KEY,
};
use crate::prelude::{MetricsConfig, StageConfig, WorkspaceState};
use baton_core::agreement::Subject;
use baton_core::goal::{Goal, GoalInput};
use baton_core::sla::{BusinessHours, SlaClause, SlaClauseInput, SlaTarget};
use baton_core::{BatonError, Result};

/// Delete `table`'s row `id` and the agreement about `subject`, in one write transaction;
/// `NotFound` with `missing` when there is no such row.
fn delete_with_agreement(
    ws: &PgWorkspace,
    what: &str,
    delete: &str,
    id: i64,
    subject: Subject,
    missing: String,
) -> Result<()> {
    ws.write_tx(what, async |tx| {
        let n = tx
            .execute(delete, &[&id])
            .await
            .map_err(|e| pg_err(what, e))?;
        if n == 0 {
            return Err(BatonError::not_found(missing));
        }
        tx.execute(
            "DELETE FROM agreements WHERE subject = $1",
            &[&subject.key()],
        )
        .await
        .map_err(|e| pg_err("deleting the agreement", e))?;
        Ok(())
    })
}

impl MetricsConfig for PgWorkspace {
    fn sla_clauses(&self) -> Result<Vec<SlaClause>> {
        self.query_rows(
            "reading SLA clauses",
            "SELECT id, name, from_stage, to_kind, to_id, within_seconds, clock
             FROM sla_clauses ORDER BY id",
            &[],
            |r| {
                sla_clause_of(
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get::<_, &str>(3),
                    r.get(4),
                    r.get(5),
                    r.get::<_, &str>(6),
                )
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
        refuse_nul("the SLA clause's name", &name)?;
        refuse_nul("the SLA clause's stage", &input.from_stage)?;
        refuse_nul("the SLA clause's target", to_id)?;
        let id: i64 = self.write_tx("adding SLA clause", async |tx| {
            Ok(tx
                .query_one(
                    "INSERT INTO sla_clauses(name, from_stage, to_kind, to_id, within_seconds, clock)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[
                        &name,
                        &input.from_stage.trim(),
                        &to_kind,
                        &to_id,
                        &input.within_seconds,
                        &clock_str(input.clock),
                    ],
                )
                .await
                .map_err(|e| pg_err("adding SLA clause", e))?
                .get(0))
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
        delete_with_agreement(
            self,
            "deleting SLA clause",
            "DELETE FROM sla_clauses WHERE id = $1",
            id,
            Subject::SlaClause { clause_id: id },
            format!("no SLA clause with id {id}"),
        )
    }

    fn goals(&self) -> Result<Vec<Goal>> {
        self.query_rows(
            "reading goals",
            "SELECT id, name, metric, target, period_kind, period_start, period_end, period_label, team
             FROM goals ORDER BY id",
            &[],
            |r| {
                (
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                    r.get(8),
                )
            },
        )?
        .into_iter()
        .map(goal_of)
        .collect()
    }

    fn add_goal(&self, input: &GoalInput) -> Result<Goal> {
        input.validate()?;
        let name = goal_name(input, &self.stages()?);
        let metric = serde_json::to_string(&input.metric)
            .map_err(|e| BatonError::internal(format!("serialising goal metric: {e}")))?;
        refuse_nul("the goal's name", &name)?;
        refuse_nul("the goal's metric", &metric)?;
        refuse_nul("the goal's period", &input.period.label)?;
        refuse_nul("the goal's team", &input.team)?;
        let id: i64 = self.write_tx("adding goal", async |tx| {
            Ok(tx
                .query_one(
                    "INSERT INTO goals(name, metric, target, period_kind, period_start, period_end, period_label, team)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &name,
                        &metric,
                        &input.target,
                        &period_kind_str(input.period.kind),
                        &input.period.start,
                        &input.period.end,
                        &input.period.label,
                        &input.team.trim(),
                    ],
                )
                .await
                .map_err(|e| pg_err("adding goal", e))?
                .get(0))
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
        delete_with_agreement(
            self,
            "deleting goal",
            "DELETE FROM goals WHERE id = $1",
            id,
            Subject::Goal { goal_id: id },
            format!("no goal with id {id}"),
        )
    }

    fn business_hours(&self) -> Result<BusinessHours> {
        business_hours_of(self.setting(BUSINESS_HOURS_KEY)?)
    }

    fn set_business_hours_from(&self, hours: &BusinessHours, seen: Option<i64>) -> Result<()> {
        let json = business_hours_json(hours)?;
        self.write_tx("changing the business hours", async |tx| {
            let version = check_config_version(&**tx, Config::BusinessHours, seen).await?;
            let old = business_hours_of(setting_in(tx, BUSINESS_HOURS_KEY).await?)?;
            set_setting_in(tx, BUSINESS_HOURS_KEY, &json).await?;
            let change = hours_change(&old, hours);
            bump_config_version(&**tx, Config::BusinessHours, version, &change).await?;
            Ok(())
        })
    }
}
