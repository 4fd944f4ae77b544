//! Metrics: funnel, velocity, SLAs, goals, the target calculator, data quality and
//! drill-down; each command forwards to one `baton_service` function.
use crate::state::{call, Svc};
use baton_core::goal::{Goal, GoalMetric};
use baton_core::sla::{
    BusinessHours, BusinessHoursShown, Clock, DurationUnit, SlaClause, SlaClauseInput,
};
use baton_core::Result;
use baton_metrics::impact::ImpactReport;
use baton_metrics::quality::CountedValue;
use baton_metrics::{
    CalculatorInput, CalculatorReport, DatasetInfo, DefinitionCheck, DefinitionQuery, DrillQuery,
    DrillResult, Filters, FunnelQuery, FunnelReport, GoalProgress, QualityReport, SlaReport,
    VelocityQuery, VelocityReport,
};
use baton_service::metrics::GoalDraft;

#[tauri::command]
pub async fn metrics_info(svc: Svc<'_>) -> Result<DatasetInfo> {
    call(&svc, |s| s.dataset_info()).await
}

/// A field's values with counts, for filter pickers (at most 500).
#[tauri::command]
pub async fn metrics_field_values(svc: Svc<'_>, field: String) -> Result<Vec<CountedValue>> {
    call(&svc, move |s| s.field_values(&field, 500)).await
}

/// A lead definition's criteria run on the records (live while they are edited).
#[tauri::command]
pub async fn metrics_definition_check(
    svc: Svc<'_>,
    query: DefinitionQuery,
) -> Result<DefinitionCheck> {
    call(&svc, move |s| s.definition_check(&query)).await
}

#[tauri::command]
pub async fn metrics_funnel(svc: Svc<'_>, query: FunnelQuery) -> Result<FunnelReport> {
    call(&svc, move |s| s.funnel(&query)).await
}

#[tauri::command]
pub async fn metrics_velocity(svc: Svc<'_>, query: VelocityQuery) -> Result<VelocityReport> {
    call(&svc, move |s| s.velocity(&query)).await
}

#[tauri::command]
pub async fn metrics_velocity_steps(svc: Svc<'_>, filters: Filters) -> Result<Vec<VelocityReport>> {
    call(&svc, move |s| s.velocity_steps(&filters)).await
}

#[tauri::command]
pub async fn metrics_quality(svc: Svc<'_>, filters: Filters) -> Result<QualityReport> {
    call(&svc, move |s| s.quality(&filters)).await
}

#[tauri::command]
pub async fn metrics_drill(svc: Svc<'_>, query: DrillQuery) -> Result<DrillResult> {
    call(&svc, move |s| s.drill(&query)).await
}

#[tauri::command]
pub async fn metrics_sla(svc: Svc<'_>, filters: Filters) -> Result<Vec<SlaReport>> {
    call(&svc, move |s| s.sla(&filters, None)).await
}

#[tauri::command]
pub async fn metrics_sla_add(svc: Svc<'_>, input: SlaClauseInput) -> Result<SlaClause> {
    call(&svc, move |s| s.sla_add(&input)).await
}

/// An SLA clause's allowed time as the user typed it (`24` in `unit`, or `2d`), in seconds.
#[tauri::command]
pub async fn metrics_sla_duration(
    svc: Svc<'_>,
    text: String,
    unit: DurationUnit,
    clock: Clock,
) -> Result<i64> {
    call(&svc, move |s| s.sla_duration(&text, unit, clock)).await
}

#[tauri::command]
pub async fn metrics_sla_remove(svc: Svc<'_>, id: i64) -> Result<()> {
    call(&svc, move |s| s.sla_remove(id)).await
}

/// The business hours with their version.
#[tauri::command]
pub async fn metrics_business_hours(svc: Svc<'_>) -> Result<BusinessHoursShown> {
    call(&svc, |s| s.business_hours_shown()).await
}

/// `seen_version`: the hours' version the screen showed; refused with `conflict` when
/// they changed since.
#[tauri::command]
pub async fn metrics_business_hours_set(
    svc: Svc<'_>,
    hours: BusinessHours,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.set_business_hours(&hours, seen_version)).await
}

#[tauri::command]
pub async fn metrics_goals(svc: Svc<'_>) -> Result<Vec<GoalProgress>> {
    call(&svc, |s| s.goals()).await
}

/// `period` as typed: `2025-03`, `2025-Q1`, `2025` or `2025-01-01..2025-02-15`.
#[tauri::command]
pub async fn metrics_goal_add(
    svc: Svc<'_>,
    name: String,
    metric: GoalMetric,
    target: f64,
    period: String,
    team: String,
) -> Result<Goal> {
    let draft = GoalDraft {
        name,
        metric,
        target,
        period,
        team,
    };
    call(&svc, move |s| s.goal_add(draft)).await
}

#[tauri::command]
pub async fn metrics_goal_remove(svc: Svc<'_>, id: i64) -> Result<()> {
    call(&svc, move |s| s.goal_remove(id)).await
}

/// Before/after figures of the agreements (all, or one), with the maturity window in days.
#[tauri::command]
pub async fn metrics_impact(
    svc: Svc<'_>,
    agreement: Option<i64>,
    window_days: Option<u32>,
) -> Result<ImpactReport> {
    call(&svc, move |s| s.impact(agreement, window_days)).await
}

#[tauri::command]
pub async fn metrics_calculator(svc: Svc<'_>, input: CalculatorInput) -> Result<CalculatorReport> {
    call(&svc, move |s| s.calculator(&input)).await
}
