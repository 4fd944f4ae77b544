/** Metrics commands: funnel, velocity, SLAs, goals, calculator, quality, drill-down. Rust side: src-tauri/src/commands/metrics.rs. */
import { call } from './core';
import type { BusinessHours } from '../bindings/BusinessHours';
import type { BusinessHoursShown } from '../bindings/BusinessHoursShown';
import type { Clock } from '../bindings/Clock';
import type { CountedValue } from '../bindings/CountedValue';
import type { CalculatorInput } from '../bindings/CalculatorInput';
import type { CalculatorReport } from '../bindings/CalculatorReport';
import type { DatasetInfo } from '../bindings/DatasetInfo';
import type { DefinitionCheck } from '../bindings/DefinitionCheck';
import type { DefinitionQuery } from '../bindings/DefinitionQuery';
import type { DrillQuery } from '../bindings/DrillQuery';
import type { DrillResult } from '../bindings/DrillResult';
import type { DurationUnit } from '../bindings/DurationUnit';
import type { Filters } from '../bindings/Filters';
import type { FunnelQuery } from '../bindings/FunnelQuery';
import type { FunnelReport } from '../bindings/FunnelReport';
import type { Goal } from '../bindings/Goal';
import type { GoalMetric } from '../bindings/GoalMetric';
import type { GoalProgress } from '../bindings/GoalProgress';
import type { ImpactReport } from '../bindings/ImpactReport';
import type { QualityReport } from '../bindings/QualityReport';
import type { SlaClause } from '../bindings/SlaClause';
import type { SlaClauseInput } from '../bindings/SlaClauseInput';
import type { SlaReport } from '../bindings/SlaReport';
import type { VelocityQuery } from '../bindings/VelocityQuery';
import type { VelocityReport } from '../bindings/VelocityReport';

export const metricsInfo = () => call<DatasetInfo>('metrics_info');
export const funnel = (query: FunnelQuery) => call<FunnelReport>('metrics_funnel', { query });
export const velocity = (query: VelocityQuery) => call<VelocityReport>('metrics_velocity', { query });
export const velocitySteps = (filters: Filters) => call<VelocityReport[]>('metrics_velocity_steps', { filters });
export const quality = (filters: Filters) => call<QualityReport>('metrics_quality', { filters });
/** A lead definition's machine criteria run on the records. */
export const definitionCheck = (query: DefinitionQuery) => call<DefinitionCheck>('metrics_definition_check', { query });
export const drill = (query: DrillQuery) => call<DrillResult>('metrics_drill', { query });

export const slaReports = (filters: Filters) => call<SlaReport[]>('metrics_sla', { filters });
export const addSlaClause = (input: SlaClauseInput) => call<SlaClause>('metrics_sla_add', { input });
/** An SLA clause's allowed time as typed (`24` in `unit`, or `2d`) in seconds; Rust's message when it is not one. */
export const slaDuration = (text: string, unit: DurationUnit, clock: Clock) =>
  call<number>('metrics_sla_duration', { text, unit, clock });
export const removeSlaClause = (id: number) => call<void>('metrics_sla_remove', { id });
/** The business hours with their version (`row_version`). */
export const businessHours = () => call<BusinessHoursShown>('metrics_business_hours');
/** `seenVersion`: the hours' version the screen showed (refused with `conflict` when changed since). */
export const setBusinessHours = (hours: BusinessHours, seenVersion: number | null = null) =>
  call<void>('metrics_business_hours_set', { hours, seenVersion });

export const goals = () => call<GoalProgress[]>('metrics_goals');
/** `period`: `2025-03`, `2025-Q1`, `2025` or `2025-01-01..2025-02-15`. */
export const addGoal = (name: string, metric: GoalMetric, target: number, period: string, team: string) =>
  call<Goal>('metrics_goal_add', { name, metric, target, period, team });
export const removeGoal = (id: number) => call<void>('metrics_goal_remove', { id });
export const calculator = (input: CalculatorInput) => call<CalculatorReport>('metrics_calculator', { input });
export const fieldValues = (field: string) => call<CountedValue[]>('metrics_field_values', { field });
/** Before/after figures of the agreements (all, or one), with a maturity window in days. */
export const impact = (agreement: number | null, windowDays: number | null) =>
  call<ImpactReport>('metrics_impact', { agreement, windowDays });
