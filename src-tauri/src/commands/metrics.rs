//! Metrics: funnel, velocity, SLAs, goals, the target calculator, data quality and
//! drill-down. The dataset is loaded once and reused while the workspace's data
//! version holds, so filter changes only recompute.
use crate::state::AppState;
use baton_core::goal::{Goal, GoalInput, GoalMetric, GoalPeriod};
use baton_core::sla::{BusinessHours, SlaClause, SlaClauseInput};
use baton_core::{BatonError, Result};
use baton_metrics::quality::CountedValue;
use baton_metrics::{check_definition, DefinitionCheck, DefinitionQuery};
use baton_metrics::{
    CalculatorInput, CalculatorReport, Dataset, DatasetCache, DatasetInfo, DrillQuery, DrillResult,
    Filters, FunnelQuery, FunnelReport, GoalProgress, QualityReport, SlaReport, VelocityQuery,
    VelocityReport,
};
use baton_store::prelude::*;
use baton_store::Workspace;
use std::sync::{Arc, Mutex};
use tauri::State;

/// The dataset cache shared by all metrics commands.
#[derive(Default)]
pub struct MetricsState(Arc<Mutex<DatasetCache>>);

type S<'a> = State<'a, AppState>;
type M<'a> = State<'a, MetricsState>;

/// Run `work` on the current workspace and its (cached) dataset.
async fn with_dataset<T, F>(state: S<'_>, metrics: M<'_>, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Workspace, &Dataset) -> Result<T> + Send + 'static,
{
    let cache = metrics.0.clone();
    state
        .with_workspace(move |ws| {
            let ds = cache
                .lock()
                .map_err(|_| BatonError::internal("metrics cache poisoned"))?
                .get(ws)?;
            work(ws, &ds)
        })
        .await
}

#[tauri::command]
pub async fn metrics_info(state: S<'_>, metrics: M<'_>) -> Result<DatasetInfo> {
    with_dataset(state, metrics, |_, ds| Ok(ds.info())).await
}

/// A field's values with counts, for filter pickers (at most 500).
#[tauri::command]
pub async fn metrics_field_values(
    state: S<'_>,
    metrics: M<'_>,
    field: String,
) -> Result<Vec<CountedValue>> {
    with_dataset(state, metrics, move |_, ds| ds.values(&field, 500)).await
}

/// A lead definition's criteria run on the records (live while they are edited).
#[tauri::command]
pub async fn metrics_definition_check(
    state: S<'_>,
    metrics: M<'_>,
    query: DefinitionQuery,
) -> Result<DefinitionCheck> {
    with_dataset(state, metrics, move |_, ds| check_definition(ds, &query)).await
}

#[tauri::command]
pub async fn metrics_funnel(
    state: S<'_>,
    metrics: M<'_>,
    query: FunnelQuery,
) -> Result<FunnelReport> {
    with_dataset(state, metrics, move |ws, ds| {
        baton_metrics::funnel_with_personas(ds, &query, &ws.personas()?)
    })
    .await
}

#[tauri::command]
pub async fn metrics_velocity(
    state: S<'_>,
    metrics: M<'_>,
    query: VelocityQuery,
) -> Result<VelocityReport> {
    with_dataset(state, metrics, move |_, ds| {
        baton_metrics::velocity(ds, &query)
    })
    .await
}

#[tauri::command]
pub async fn metrics_velocity_steps(
    state: S<'_>,
    metrics: M<'_>,
    filters: Filters,
) -> Result<Vec<VelocityReport>> {
    with_dataset(state, metrics, move |_, ds| {
        baton_metrics::velocity_steps(ds, &filters)
    })
    .await
}

#[tauri::command]
pub async fn metrics_quality(
    state: S<'_>,
    metrics: M<'_>,
    filters: Filters,
) -> Result<QualityReport> {
    with_dataset(state, metrics, move |_, ds| {
        baton_metrics::quality(ds, &filters)
    })
    .await
}

#[tauri::command]
pub async fn metrics_drill(state: S<'_>, metrics: M<'_>, query: DrillQuery) -> Result<DrillResult> {
    with_dataset(state, metrics, move |ws, ds| {
        baton_metrics::drill_with_personas(
            ds,
            &query,
            &ws.sla_clauses()?,
            &ws.business_hours()?,
            &ws.personas()?,
        )
    })
    .await
}

#[tauri::command]
pub async fn metrics_sla(state: S<'_>, metrics: M<'_>, filters: Filters) -> Result<Vec<SlaReport>> {
    with_dataset(state, metrics, move |ws, ds| {
        baton_metrics::sla_reports(ds, &ws.sla_clauses()?, &ws.business_hours()?, &filters)
    })
    .await
}

/// Adds a clause the data can measure (see `baton_metrics::sla::check_clause`).
#[tauri::command]
pub async fn metrics_sla_add(
    state: S<'_>,
    metrics: M<'_>,
    input: SlaClauseInput,
) -> Result<SlaClause> {
    let cache = metrics.0.clone();
    state
        .with_workspace(move |ws| {
            let ds = cache
                .lock()
                .map_err(|_| BatonError::internal("metrics cache poisoned"))?
                .get(ws)?;
            baton_metrics::sla::check_clause(&ds, &input)?;
            ws.add_sla_clause(&input)
        })
        .await
}

#[tauri::command]
pub async fn metrics_sla_remove(state: S<'_>, id: i64) -> Result<()> {
    state
        .with_workspace(move |ws| ws.delete_sla_clause(id))
        .await
}

#[tauri::command]
pub async fn metrics_business_hours(state: S<'_>) -> Result<BusinessHours> {
    state.with_workspace(|ws| ws.business_hours()).await
}

#[tauri::command]
pub async fn metrics_business_hours_set(state: S<'_>, hours: BusinessHours) -> Result<()> {
    state
        .with_workspace(move |ws| ws.set_business_hours(&hours))
        .await
}

#[tauri::command]
pub async fn metrics_goals(state: S<'_>, metrics: M<'_>) -> Result<Vec<GoalProgress>> {
    with_dataset(state, metrics, |ws, ds| {
        baton_metrics::goal_progress(
            ds,
            &ws.goals()?,
            &ws.sla_clauses()?,
            &ws.business_hours()?,
            &Filters::default(),
        )
    })
    .await
}

/// `period` as typed: `2025-03`, `2025-Q1`, `2025` or `2025-01-01..2025-02-15`.
#[tauri::command]
pub async fn metrics_goal_add(
    state: S<'_>,
    name: String,
    metric: GoalMetric,
    target: f64,
    period: String,
    team: String,
) -> Result<Goal> {
    state
        .with_workspace(move |ws| {
            let period = GoalPeriod::parse(&period)?;
            baton_metrics::goals::check_goal(&metric, &ws.stages()?, &ws.sla_clauses()?)?;
            ws.add_goal(&GoalInput {
                name,
                metric,
                target,
                period,
                team,
            })
        })
        .await
}

#[tauri::command]
pub async fn metrics_goal_remove(state: S<'_>, id: i64) -> Result<()> {
    state.with_workspace(move |ws| ws.delete_goal(id)).await
}

#[tauri::command]
pub async fn metrics_calculator(
    state: S<'_>,
    metrics: M<'_>,
    input: CalculatorInput,
) -> Result<CalculatorReport> {
    with_dataset(state, metrics, move |_, ds| {
        baton_metrics::reverse_waterfall(ds, &input)
    })
    .await
}
