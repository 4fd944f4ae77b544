//! Metrics use cases: funnel, velocity, SLAs, goals, the target calculator, data quality
//! and drill-down, over the cached dataset; and the writes they validate against it
//! (SLA clauses, goals, business hours).
use crate::{no_id, Area, Service};
use baton_core::goal::{Goal, GoalInput, GoalMetric, GoalPeriod};
use baton_core::sla::{
    parse_duration_as, parse_duration_on, BusinessHours, Clock, DurationUnit, SlaClause,
    SlaClauseInput, SlaTarget,
};
use baton_core::{BatonError, ErrorCode, Result};
use baton_metrics::quality::CountedValue;
use baton_metrics::scope::KIND_FIELD;
use baton_metrics::{
    check_definition, with_default_kind, CalculatorInput, CalculatorReport, DatasetInfo,
    DefinitionCheck, DefinitionQuery, DrillQuery, DrillResult, FieldFilter, Filters, FunnelQuery,
    FunnelReport, GoalProgress, QualityReport, SlaReport, VelocityQuery, VelocityReport,
};

/// Filters as a front end gathers them before they meet the data: a kind by name
/// (`all` for every kind; none for the workspace's default kind), field values, a persona
/// by id or name.
#[derive(Debug, Clone, Default)]
pub struct FilterSpec {
    pub kind: Option<String>,
    pub fields: Vec<FieldFilter>,
    pub persona: Option<String>,
    pub entry_from: Option<String>,
    pub entry_to: Option<String>,
}

/// A goal as typed: `period` as `2025-03`, `2025-Q1`, `2025` or `2025-01-01..2025-02-15`.
#[derive(Debug, Clone)]
pub struct GoalDraft {
    pub name: String,
    pub metric: GoalMetric,
    pub target: f64,
    pub period: String,
    pub team: String,
}

/// An SLA clause as typed: `within` as `48h`, `2d`, `90m` (a day is a working day on
/// the business clock).
#[derive(Debug, Clone)]
pub struct SlaDraft {
    pub name: String,
    pub from_stage: String,
    pub to: SlaTarget,
    pub within: String,
    pub clock: Clock,
}

impl Service {
    pub fn dataset_info(&self) -> Result<DatasetInfo> {
        self.with_dataset(|_, ds| Ok(ds.info()))
    }

    /// A field's values with counts, most frequent first (at most `limit`).
    pub fn field_values(&self, field: &str, limit: usize) -> Result<Vec<CountedValue>> {
        self.with_dataset(|_, ds| ds.values(field, limit))
    }

    /// Resolve what a front end gathered into [`Filters`]: the default kind where no
    /// kind was named (neither as `kind` nor as a `kind=` field), the persona's criteria.
    pub fn resolve_filters(&self, spec: FilterSpec) -> Result<Filters> {
        self.with_dataset(|ws, ds| {
            let mut out = Filters {
                entry_from: spec.entry_from,
                entry_to: spec.entry_to,
                ..Filters::default()
            };
            let kind = spec.kind.as_deref().map(str::trim);
            if let Some(k) = kind.filter(|k| !k.eq_ignore_ascii_case("all")) {
                out.fields.push(FieldFilter {
                    field: KIND_FIELD.into(),
                    values: vec![k.into()],
                });
            }
            for f in spec.fields {
                match out.fields.iter_mut().find(|ff| ff.field == f.field) {
                    Some(ff) => ff.values.extend(f.values),
                    None => out.fields.push(f),
                }
            }
            if kind.is_none() {
                out = with_default_kind(ds, &out);
            }
            if let Some(p) = &spec.persona {
                let personas = ws.personas()?;
                let found = personas
                    .iter()
                    .find(|x| {
                        p.parse::<i64>().is_ok_and(|id| id == x.id)
                            || x.name.eq_ignore_ascii_case(p.trim())
                    })
                    .ok_or_else(|| {
                        BatonError::not_found(format!(
                            "no persona \"{p}\"; personas: {}",
                            personas
                                .iter()
                                .map(|x| format!("{} ({})", x.name, x.id))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                out.persona = Some(found.criteria.clone());
            }
            Ok(out)
        })
    }

    /// A lead definition's criteria run on the records.
    pub fn definition_check(&self, query: &DefinitionQuery) -> Result<DefinitionCheck> {
        self.with_dataset(|_, ds| check_definition(ds, query))
    }

    pub fn funnel(&self, query: &FunnelQuery) -> Result<FunnelReport> {
        self.with_dataset(|ws, ds| baton_metrics::funnel_with_personas(ds, query, &ws.personas()?))
    }

    pub fn velocity(&self, query: &VelocityQuery) -> Result<VelocityReport> {
        self.with_dataset(|_, ds| baton_metrics::velocity(ds, query))
    }

    pub fn velocity_steps(&self, filters: &Filters) -> Result<Vec<VelocityReport>> {
        self.with_dataset(|_, ds| baton_metrics::velocity_steps(ds, filters))
    }

    pub fn quality(&self, filters: &Filters) -> Result<QualityReport> {
        self.with_dataset(|_, ds| baton_metrics::quality(ds, filters))
    }

    pub fn drill(&self, query: &DrillQuery) -> Result<DrillResult> {
        self.with_dataset(|ws, ds| {
            baton_metrics::drill_with_personas(
                ds,
                query,
                &ws.sla_clauses()?,
                &ws.business_hours()?,
                &ws.personas()?,
            )
        })
    }

    /// Every SLA clause measured on the filtered records; with `period`, over the
    /// records whose clock started in it.
    pub fn sla(&self, filters: &Filters, period: Option<&str>) -> Result<Vec<SlaReport>> {
        let period = period.map(GoalPeriod::parse).transpose()?;
        self.with_dataset(|ws, ds| {
            baton_metrics::sla::sla_reports_in(
                ds,
                &ws.sla_clauses()?,
                &ws.business_hours()?,
                filters,
                period.as_ref(),
            )
        })
    }

    /// Add a clause the data can measure (see `baton_metrics::sla::check_clause`).
    pub fn sla_add(&self, input: &SlaClauseInput) -> Result<SlaClause> {
        let ws = self.open()?;
        let ds = self.dataset(&ws)?;
        baton_metrics::sla::check_clause(&ds, input)?;
        self.write_on(
            &ws,
            Area::Sla,
            |c: &SlaClause| Some(c.id),
            |ws| ws.add_sla_clause(input),
        )
    }

    /// [`Service::sla_add`] with the duration as typed, read on the workspace's hours.
    pub fn sla_add_typed(&self, draft: SlaDraft) -> Result<SlaClause> {
        let hours = self.business_hours()?;
        let input = SlaClauseInput {
            name: draft.name,
            from_stage: draft.from_stage,
            to: draft.to,
            within_seconds: parse_duration_on(&draft.within, draft.clock, &hours)?,
            clock: draft.clock,
        };
        self.sla_add(&input)
    }

    /// Remove a clause no goal measures (a goal on a removed clause could only show an
    /// error); checked and deleted in one transaction, so a goal added meanwhile cannot
    /// slip in between.
    /// An allowed time as typed (`24` in `unit`, or `2d`), in seconds, read on the
    /// workspace's business hours.
    pub fn sla_duration(&self, text: &str, unit: DurationUnit, clock: Clock) -> Result<i64> {
        parse_duration_as(text, unit, clock, &self.business_hours()?)
    }

    pub fn sla_remove(&self, id: i64) -> Result<()> {
        self.write(
            Area::Sla,
            |_| Some(id),
            |ws| {
                let goals = ws.goals()?;
                let measuring = goals.iter().find(
                    |g| matches!(g.metric, GoalMetric::SlaMet { clause_id } if clause_id == id),
                );
                if let Some(g) = measuring {
                    return Err(BatonError::new(
                        ErrorCode::Conflict,
                        format!(
                        "the goal \"{}\" (#{}) measures SLA clause #{id}; remove the goal first",
                        g.name, g.id
                    ),
                    ));
                }
                ws.delete_sla_clause(id)
            },
        )
    }

    pub fn business_hours(&self) -> Result<BusinessHours> {
        self.read(|ws| ws.business_hours())
    }

    /// The business hours with their version, for the screen that edits them.
    pub fn business_hours_shown(&self) -> Result<baton_core::sla::BusinessHoursShown> {
        self.read(|ws| {
            Ok(baton_core::sla::BusinessHoursShown {
                hours: ws.business_hours()?,
                row_version: ws.config_version(baton_store::Config::BusinessHours)?,
            })
        })
    }

    /// Set the business hours. `seen`: their version the screen showed; refused with
    /// `conflict`, naming what changed, when someone else changed them since (None: not
    /// checked).
    pub fn set_business_hours(&self, hours: &BusinessHours, seen: Option<i64>) -> Result<()> {
        self.write(Area::Sla, no_id, |ws| {
            ws.set_business_hours_from(hours, seen)
        })
    }

    /// Goals with their actuals so far.
    pub fn goals(&self) -> Result<Vec<GoalProgress>> {
        self.with_dataset(|ws, ds| {
            baton_metrics::goal_progress(
                ds,
                &ws.goals()?,
                &ws.sla_clauses()?,
                &ws.business_hours()?,
                &Filters::default(),
            )
        })
    }

    /// Add a goal the workspace can measure (its stage or SLA clause exists).
    pub fn goal_add(&self, draft: GoalDraft) -> Result<Goal> {
        let period = GoalPeriod::parse(&draft.period)?;
        self.write(
            Area::Goals,
            |g: &Goal| Some(g.id),
            |ws| {
                baton_metrics::goals::check_goal(&draft.metric, &ws.stages()?, &ws.sla_clauses()?)?;
                ws.add_goal(&GoalInput {
                    name: draft.name,
                    metric: draft.metric,
                    target: draft.target,
                    period,
                    team: draft.team,
                })
            },
        )
    }

    pub fn goal_remove(&self, id: i64) -> Result<()> {
        self.write(Area::Goals, |_| Some(id), |ws| ws.delete_goal(id))
    }

    pub fn calculator(&self, input: &CalculatorInput) -> Result<CalculatorReport> {
        self.with_dataset(|_, ds| baton_metrics::reverse_waterfall(ds, input))
    }

    /// Agreed conversions as typed (`sql=0.4`: into SQL from the stage before), in the
    /// calculator's order (stage `i` to `i + 1`).
    pub fn calculator_conversions(&self, typed: &[(String, String)]) -> Result<Vec<Option<f64>>> {
        self.with_dataset(|_, ds| {
            let mut out = vec![None; ds.stage_count().saturating_sub(1)];
            for (stage, rate) in typed {
                let s = ds.stage_index(stage).filter(|s| *s > 0).ok_or_else(|| {
                    BatonError::invalid(format!(
                        "--conversion {stage}={rate}: \"{stage}\" is not a stage after the first; name the stage converted into (e.g. sql=0.4)"
                    ))
                })?;
                let value: f64 = rate.parse().map_err(|_| {
                    BatonError::invalid(format!(
                        "--conversion {stage}={rate}: \"{rate}\" is not a number between 0 and 1"
                    ))
                })?;
                out[s - 1] = Some(value);
            }
            Ok(out)
        })
    }
}
