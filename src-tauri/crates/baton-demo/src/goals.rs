//! The demo company's agreed SLAs and goals for the quarter of the export
//! (2026-Q4; the export is dated 2026-11-02), so the Goals screen has something real
//! to measure. Targets are what Larkspur's teams "agreed"; the actuals come from the
//! imported records like any workspace's.

use baton_core::goal::{GoalInput, GoalMetric, GoalPeriod};
use baton_core::sla::{Clock, SlaClauseInput, SlaTarget};
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::Workspace;

pub fn add_demo_agreements(ws: &mut Workspace) -> Result<()> {
    let follow_up = ws.add_sla_clause(&SlaClauseInput {
        name: "Sales follows up every MQL within 24 business hours".into(),
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
    let quarter = GoalPeriod::parse("2026-Q4")?;
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
    for (name, metric, target, team) in goals {
        ws.add_goal(&GoalInput {
            name: name.into(),
            metric,
            target,
            period: quarter.clone(),
            team: team.into(),
        })?;
    }
    Ok(())
}
