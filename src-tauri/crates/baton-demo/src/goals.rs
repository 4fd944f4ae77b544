//! The demo company's agreed SLAs and goals for the quarter of the export
//! (2026-Q4; the export is dated 2026-11-02), so the Goals screen has something real
//! to measure. Targets are what Larkspur's teams "agreed"; the actuals come from the
//! imported records like any workspace's. The goals are drafts: whoever builds the demo
//! adds them through the same check as a goal typed in the app (`baton-service`).

use baton_core::goal::GoalMetric;
use baton_core::sla::{Clock, SlaClauseInput, SlaTarget};
use baton_core::{BatonError, Result};
use baton_store::prelude::*;
use baton_store::Workspace;

/// The SLA clause the demo's "follow-up SLA met" goal measures.
pub const FOLLOW_UP_SLA: &str = "Sales follows up every MQL within 24 business hours";

/// The quarter the demo's goals are set for.
pub const GOAL_PERIOD: &str = "2026-Q4";

/// A demo goal as typed by Larkspur's teams.
#[derive(Debug, Clone)]
pub struct DemoGoal {
    pub name: &'static str,
    pub metric: GoalMetric,
    pub target: f64,
    /// `2026-Q4`.
    pub period: &'static str,
    pub team: &'static str,
}

pub fn add_demo_slas(ws: &mut Workspace) -> Result<()> {
    ws.add_sla_clause(&SlaClauseInput {
        name: FOLLOW_UP_SLA.into(),
        from_stage: "mql".into(),
        to: SlaTarget::Stage("sql".into()),
        within_seconds: 24 * 3600,
        clock: Clock::Business,
    })?;
    ws.add_sla_clause(&SlaClauseInput {
        name: "SQLs get an opportunity decision within 7 days".into(),
        from_stage: "sql".into(),
        to: SlaTarget::Stage("opportunity".into()),
        within_seconds: 7 * 86_400,
        clock: Clock::Calendar,
    })?;
    Ok(())
}

/// The demo's goals, measured on `ws` (the follow-up SLA goal names its clause's id).
pub fn goal_drafts(ws: &Workspace) -> Result<Vec<DemoGoal>> {
    let follow_up = ws
        .sla_clauses()?
        .into_iter()
        .find(|c| c.name == FOLLOW_UP_SLA)
        .ok_or_else(|| BatonError::not_found(format!("no SLA clause \"{FOLLOW_UP_SLA}\"")))?;
    let goals = [
        (
            "MQLs this quarter",
            GoalMetric::Reached {
                stage: "mql".into(),
            },
            120.0,
            "marketing",
        ),
        (
            "MQL → SQL conversion",
            GoalMetric::Conversion {
                from: "mql".into(),
                to: "sql".into(),
            },
            0.4,
            "shared",
        ),
        (
            "MQL follow-up SLA met",
            GoalMetric::SlaMet {
                clause_id: follow_up.id,
            },
            0.85,
            "sales",
        ),
        (
            "New customers",
            GoalMetric::Reached {
                stage: "customer".into(),
            },
            18.0,
            "sales",
        ),
    ];
    Ok(goals
        .into_iter()
        .map(|(name, metric, target, team)| DemoGoal {
            name,
            metric,
            target,
            period: GOAL_PERIOD,
            team,
        })
        .collect())
}
