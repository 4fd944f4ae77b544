//! The demo workspace: `baton_demo` imports its records and sets up its SLAs and
//! workshop; its goals go through [`Service::goal_add`], the check every goal typed in
//! the app or the CLI passes.
use crate::metrics::GoalDraft;
use crate::Service;
use baton_core::workspace::WorkspaceOverview;
use baton_core::{BatonError, ErrorCode, Result};
use baton_demo::DemoGoal;
use baton_store::Workspace;
use std::path::Path;

impl Service {
    /// Build the demo workspace at the open workspace's path (which must not exist).
    pub fn demo_create(&self) -> Result<WorkspaceOverview> {
        let path = self.session().current_path().ok_or_else(|| {
            BatonError::new(
                ErrorCode::NoWorkspace,
                "no workspace file given for the demo",
            )
        })?;
        build(&path)?;
        self.overview()
    }
}

/// Build the demo workspace at `path`; on failure nothing is left there.
pub(crate) fn build(path: &Path) -> Result<Workspace> {
    let ws = baton_demo::create_demo(path)?;
    let added = baton_demo::goal_drafts(&ws).and_then(|goals| add_goals(path, goals));
    match added {
        Ok(()) => Ok(ws),
        Err(e) => {
            drop(ws);
            baton_demo::remove_workspace_files(path);
            Err(e)
        }
    }
}

fn add_goals(path: &Path, goals: Vec<DemoGoal>) -> Result<()> {
    let svc = Service::for_file(path);
    for g in goals {
        svc.goal_add(GoalDraft {
            name: g.name.into(),
            metric: g.metric,
            target: g.target,
            period: g.period.into(),
            team: g.team.into(),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::goal::{GoalInput, GoalMetric, GoalPeriod};
    use baton_store::prelude::*;

    #[test]
    fn the_demo_goals_are_added_through_the_goal_check() {
        let dir = tempfile::tempdir().unwrap();
        let svc = Service::for_file(&dir.path().join("demo.baton"));
        let overview = svc.demo_create().unwrap();
        assert!(overview.info.is_demo);
        let names: Vec<String> = svc
            .goals()
            .unwrap()
            .into_iter()
            .map(|g| g.goal.name)
            .collect();
        let drafts: Vec<String> =
            baton_demo::goal_drafts(svc.open().unwrap().file("reading").unwrap())
                .unwrap()
                .into_iter()
                .map(|g| g.name.to_string())
                .collect();
        assert_eq!(names, drafts);
    }

    #[test]
    fn a_demo_goal_the_workspace_cannot_measure_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.baton");
        let ws = baton_demo::create_demo(&path).unwrap();
        let goals = baton_demo::goal_drafts(&ws).unwrap();
        // The clause the follow-up goal measures is gone before the goals are added.
        let clause = ws
            .sla_clauses()
            .unwrap()
            .into_iter()
            .find(|c| c.name == baton_demo::FOLLOW_UP_SLA)
            .unwrap();
        ws.delete_sla_clause(clause.id).unwrap();
        let sla_goal = goals
            .iter()
            .find(|g| matches!(g.metric, GoalMetric::SlaMet { .. }))
            .unwrap()
            .clone();

        let e = add_goals(&path, goals).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
        assert!(ws.goals().unwrap().iter().all(|g| g.name != sla_goal.name));

        // The store alone would have written it: the refusal is the check's.
        ws.add_goal(&GoalInput {
            name: sla_goal.name.into(),
            metric: sla_goal.metric,
            target: sla_goal.target,
            period: GoalPeriod::parse(sla_goal.period).unwrap(),
            team: sla_goal.team.into(),
        })
        .unwrap();
    }
}
