//! Metrics commands: funnel, velocity, SLAs, goals, the target calculator, data
//! quality and drill-down, on the same engine as the app.

use crate::{output, Ctx};
use baton_core::goal::PeriodKind;
use baton_core::goal::{GoalMetric, GoalPeriod};
use baton_core::sla::{BusinessHours, Clock, SlaTarget};
use baton_core::{BatonError, Result};
use baton_metrics::dataset::format_date;
use baton_metrics::drill::{CohortRef, GroupRef, RecordSummary};
use baton_metrics::funnel::{Counting, GroupFigures, StageFigures};
use baton_metrics::impact::{FigureUnit, ImpactReport, ImpactSide};
use baton_metrics::{
    CalculatorInput, DrillQuery, DrillTarget, FieldFilter, Filters, FunnelQuery, Granularity,
    VelocityQuery,
};
use baton_service::metrics::{FilterSpec, GoalDraft, SlaDraft};
use baton_service::Service;
use clap::{Args, Subcommand, ValueEnum};

#[derive(Args, Default)]
pub struct FilterArgs {
    /// Only this segment (repeat for several).
    #[arg(long)]
    segment: Vec<String>,
    /// Only this source (repeat for several).
    #[arg(long)]
    source: Vec<String>,
    /// Only this owner (repeat for several).
    #[arg(long)]
    owner: Vec<String>,
    /// Any field: `--where industry=Software` (repeat; same field = any of the values).
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    where_: Vec<String>,
    /// Only records matching a persona's criteria (its name or id).
    #[arg(long)]
    persona: Option<String>,
    /// Only this kind of record (`contact`, `deal`…), or `all`. When the records
    /// mix kinds the default is the kind the Funnel screen starts on (contacts).
    #[arg(long)]
    kind: Option<String>,
}

#[derive(Args, Default)]
pub struct EntryArgs {
    /// Entry date (first dated stage) on or after this day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    entry_from: Option<String>,
    /// Entry date on or before this day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    entry_to: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TrendArg {
    Month,
    Quarter,
}

/// How a record that skipped a stage counts (HubSpot's two funnel types).
#[derive(Clone, Copy, Default, ValueEnum)]
pub enum CountArg {
    /// A record that reached a later stage counts as having passed the stages it skipped.
    #[default]
    Passed,
    /// Only records with evidence (a date, a stage value) of every stage up to it, in order.
    Evidence,
}

impl From<CountArg> for Counting {
    fn from(c: CountArg) -> Self {
        match c {
            CountArg::Passed => Counting::Passed,
            CountArg::Evidence => Counting::Evidence,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Funnel: reached, % of first, % of previous per stage; outcomes; breakdown.
    Funnel {
        /// Break down by this field (source, owner, segment, a custom field…), or by
        /// `persona` (each record under the first persona whose criteria it matches).
        #[arg(long)]
        by: Option<String>,
        /// Entry date (first dated stage) on or after this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Entry date on or before this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Also the funnel per entry cohort.
        #[arg(long, value_enum)]
        trend: Option<TrendArg>,
        /// How skipped stages count: `passed` (default) or `evidence` (strict).
        #[arg(long, value_enum, default_value = "passed")]
        count: CountArg,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Time between two stages: median and p90 in days.
    Velocity {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        by: Option<String>,
        #[command(flatten)]
        entry: EntryArgs,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// SLA compliance per clause; `sla add …` to agree a clause.
    Sla {
        #[command(subcommand)]
        action: Option<SlaAction>,
        /// Only clocks started in this period (YYYY-MM, YYYY-Qn, YYYY or
        /// YYYY-MM-DD..YYYY-MM-DD), as an SLA goal for the period measures; all time
        /// when absent.
        #[arg(long)]
        period: Option<String>,
        #[command(flatten)]
        entry: EntryArgs,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Goals against actuals with pace; `goals add …` to set one.
    Goals {
        #[command(subcommand)]
        action: Option<GoalAction>,
    },
    /// Did the agreements work? For each agreed definition, SLA clause and goal, the
    /// figures of records that entered before it was agreed and after, with sample sizes
    /// and 95% intervals; records too young to have converted are left out of both sides.
    Impact {
        /// Only this agreement (its id, as `baton agreements` lists them).
        #[arg(long)]
        agreement: Option<i64>,
        /// The maturity window in days: a record counts once it has had this long to
        /// convert, and a conversion counts within this long of entering the stage.
        #[arg(long, value_name = "DAYS")]
        window: Option<u32>,
    },
    /// Reverse waterfall: from a revenue target to the wins, opportunities, SQLs, MQLs
    /// and leads needed, and the gap to the current pipeline.
    TargetCalc {
        /// Revenue target.
        #[arg(long)]
        revenue: f64,
        /// Average deal size (the observed average of won amounts when absent).
        #[arg(long)]
        deal_size: Option<f64>,
        /// Agreed conversion into a stage from the previous one: `--conversion sql=0.4`.
        #[arg(long, value_name = "STAGE=RATE")]
        conversion: Vec<String>,
        #[command(flatten)]
        entry: EntryArgs,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Data quality: skipped stages, backward dates, records without dates, ids seen
    /// in several files, unmapped stage values, case variants.
    Quality {
        #[command(flatten)]
        entry: EntryArgs,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// The records behind a figure: `drill reached:sql`, `drill skipped:mql`,
    /// `drill outcome:lost`, `drill velocity:mql:sql`, `drill sla:1:open_late`,
    /// `drill backward`, `drill no-dates`, `drill no-stage`, `drill dropped:mql`, `drill all`.
    Drill {
        target: String,
        /// Only one breakdown group: `--group source=Google`, `--group persona=NAME`.
        #[arg(long, value_name = "FIELD=KEY")]
        group: Option<String>,
        /// Only one entry cohort: `--cohort 2025-03` (month) or `--cohort 2025-Q1`.
        #[arg(long, value_name = "COHORT")]
        cohort: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// How skipped stages count, as in the funnel: `passed` (default) or `evidence`.
        #[arg(long, value_enum, default_value = "passed")]
        count: CountArg,
        #[command(flatten)]
        entry: EntryArgs,
        #[command(flatten)]
        filters: FilterArgs,
    },
}

#[derive(Subcommand)]
pub enum SlaAction {
    /// Agree a clause: `sla add --from mql --to sql --within 48h --business-hours`.
    Add {
        #[arg(long)]
        from: String,
        /// Target stage.
        #[arg(long, required_unless_present = "to_field")]
        to: Option<String>,
        /// Or a date field (e.g. a first-touch column imported as a custom field).
        #[arg(long, conflicts_with = "to")]
        to_field: Option<String>,
        /// `48h`, `2d`, `90m`; with --business-hours a day is one working day.
        #[arg(long)]
        within: String,
        #[arg(long)]
        business_hours: bool,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Remove a clause by id.
    Remove { id: i64 },
    /// Show or set the working week for business-hours clauses:
    /// `sla hours --days 1,2,3,4,5 --start 09:00 --end 17:00`.
    Hours {
        /// Working weekdays, 1 = Monday … 7 = Sunday.
        #[arg(long, value_delimiter = ',')]
        days: Option<Vec<u8>>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        /// The hours' version this change is based on (`row_version` from
        /// `sla hours --json`): refused if someone changed them since. Without it, the
        /// version the command reads first.
        #[arg(long)]
        if_version: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum GoalAction {
    /// Set a goal: `goals add --metric reached:mql --target 300 --period 2025-Q1 --team marketing`.
    Add {
        /// reached:STAGE, conversion:FROM:TO, sla:CLAUSE_ID or won_amount.
        #[arg(long)]
        metric: String,
        /// A count, an amount, or a rate 0–1 (conversion, SLA).
        #[arg(long)]
        target: f64,
        /// YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD.
        #[arg(long)]
        period: String,
        #[arg(long)]
        team: String,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Remove a goal by id.
    Remove { id: i64 },
}

fn key_value<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    text.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| BatonError::invalid(format!("{what} \"{text}\": expected FIELD=VALUE")))
}

/// The filter flags as the service resolves them (default kind, persona by name).
fn filters(
    svc: &Service,
    f: &FilterArgs,
    from: Option<String>,
    to: Option<String>,
) -> Result<Filters> {
    let mut fields = Vec::new();
    for (field, values) in [
        ("segment", &f.segment),
        ("source", &f.source),
        ("owner", &f.owner),
    ] {
        if !values.is_empty() {
            fields.push(FieldFilter {
                field: field.into(),
                values: values.clone(),
            });
        }
    }
    for w in &f.where_ {
        let (field, value) = key_value(w, "--where")?;
        fields.push(FieldFilter {
            field: field.into(),
            values: vec![value.into()],
        });
    }
    svc.resolve_filters(FilterSpec {
        kind: f.kind.clone(),
        fields,
        persona: f.persona.clone(),
        entry_from: from,
        entry_to: to,
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn num(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1}"))
}

fn print_stages(stages: &[StageFigures]) {
    println!(
        "  {:<14} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "stage", "reached", "of first", "of prev", "drop-off", "skipped"
    );
    for s in stages {
        println!(
            "  {:<14} {:>9} {:>9} {:>9} {:>9} {:>8}",
            s.id,
            s.reached.map_or("not tracked".into(), |r| r.to_string()),
            pct(s.pct_of_first),
            pct(s.pct_of_previous),
            s.drop_off,
            s.skipped
        );
    }
}

fn print_groups(title: &str, groups: &[GroupFigures]) {
    for g in groups {
        let small = if g.small_sample { ", small sample" } else { "" };
        println!("{title} {} ({} records{small})", g.key, g.records);
        print_stages(&g.stages);
    }
}

fn print_records(total: u64, records: &[RecordSummary]) {
    println!("{total} records");
    for r in records {
        println!(
            "  {:<12} {:<10} {:<12} {:<6} {:<14} {:<14} {}",
            r.external_id,
            r.kind,
            r.current_stage.as_deref().unwrap_or("–"),
            r.outcome,
            r.owner.as_deref().unwrap_or("–"),
            r.source.as_deref().unwrap_or("–"),
            r.entry.map(format_date).unwrap_or_default()
        );
    }
}

fn parse_target(text: &str) -> Result<DrillTarget> {
    let parts: Vec<&str> = text.split(':').collect();
    let stage = |s: &str| s.to_string();
    Ok(match parts.as_slice() {
        ["all"] => DrillTarget::All,
        ["reached", s] => DrillTarget::Reached { stage: stage(s) },
        ["dropped", s] => DrillTarget::DroppedAfter {
            stage: stage(s),
            next: None,
        },
        ["skipped", s] => DrillTarget::Skipped { stage: stage(s) },
        ["outcome", o] => DrillTarget::Outcome { outcome: o.to_string() },
        ["no-stage"] => DrillTarget::NoStage,
        ["no-dates"] => DrillTarget::NoDates,
        ["backward"] => DrillTarget::Backward,
        ["velocity", a, b] => DrillTarget::Velocity {
            from: stage(a),
            to: stage(b),
        },
        ["sla", id, verdict] => DrillTarget::Sla {
            clause_id: id
                .parse()
                .map_err(|_| BatonError::invalid(format!("\"{id}\" is not an SLA clause id")))?,
            verdict: verdict.to_string(),
        },
        _ => {
            return Err(BatonError::invalid(format!(
                "\"{text}\" is not a drill target; expected all, reached:STAGE, dropped:STAGE, skipped:STAGE, outcome:won|lost|open, velocity:FROM:TO, sla:ID:VERDICT, backward, no-dates or no-stage"
            )))
        }
    })
}

/// `2025-03` (a month) or `2025-Q1` (a quarter), as the trend labels its cohorts.
fn parse_cohort(text: &str) -> Result<CohortRef> {
    let bad = || {
        BatonError::invalid(format!(
            "--cohort \"{text}\": expected a month (YYYY-MM) or a quarter (YYYY-Qn)"
        ))
    };
    let p = GoalPeriod::parse(text).map_err(|_| bad())?;
    let granularity = match p.kind {
        PeriodKind::Month => Granularity::Month,
        PeriodKind::Quarter => Granularity::Quarter,
        _ => return Err(bad()),
    };
    Ok(CohortRef {
        granularity,
        key: p.label,
    })
}

fn minute_of_day(text: &str) -> Result<u16> {
    let bad = || BatonError::invalid(format!("\"{text}\" is not a time of day; expected HH:MM"));
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        let svc = ctx.service()?;
        match self {
            Command::Funnel {
                by,
                from,
                to,
                trend,
                count,
                filters: f,
            } => {
                let q = FunnelQuery {
                    filters: filters(&svc, &f, from, to)?,
                    by,
                    trend: trend.map(|t| match t {
                        TrendArg::Month => Granularity::Month,
                        TrendArg::Quarter => Granularity::Quarter,
                    }),
                    counting: count.into(),
                };
                let r = svc.funnel(&q)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                println!("{} records ({} with no stage)", r.records, r.no_stage);
                println!("counting: {}", r.counting_text);
                for note in &r.tracking_notes {
                    println!("note: {note}");
                }
                print_stages(&r.stages);
                println!(
                    "outcomes: won {}, lost {}, open {}",
                    r.outcomes.won, r.outcomes.lost, r.outcomes.open
                );
                if let Some(by) = &r.by {
                    print_groups(&format!("{by} ="), &r.groups);
                }
                print_groups("cohort", &r.trend);
                Ok(())
            }
            Command::Velocity {
                from,
                to,
                by,
                entry,
                filters: f,
            } => {
                let q = VelocityQuery {
                    filters: filters(&svc, &f, entry.entry_from, entry.entry_to)?,
                    from,
                    to,
                    by,
                };
                let r = svc.velocity(&q)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                println!(
                    "{} → {}: n {}, median {} days, p90 {} days ({} backward dates left out)",
                    r.from,
                    r.to,
                    r.n,
                    num(r.median_days),
                    num(r.p90_days),
                    r.backward_excluded
                );
                for g in &r.groups {
                    println!(
                        "  {:<20} n {:>7}  median {:>7}  p90 {:>7}",
                        g.key,
                        g.n,
                        num(g.median_days),
                        num(g.p90_days)
                    );
                }
                Ok(())
            }
            Command::Sla {
                action: Some(action),
                ..
            } => run_sla_action(ctx, &svc, action),
            Command::Sla {
                action: None,
                period,
                entry,
                filters: f,
            } => {
                let fl = filters(&svc, &f, entry.entry_from, entry.entry_to)?;
                let reports = svc.sla(&fl, period.as_deref())?;
                if ctx.json {
                    return output::print_json(&reports);
                }
                if reports.is_empty() {
                    println!("no SLA clauses yet: add one with `baton sla add --from mql --to sql --within 48h`");
                }
                for r in &reports {
                    if let Some(e) = &r.error {
                        println!("#{} {}: cannot be computed: {e}", r.id, r.name);
                        continue;
                    }
                    println!(
                        "#{} {}: due {}, met {}, breached {}, open & late {}, open in time {}, answered undated {}; {} met; median {} h, p95 {} h",
                        r.id, r.name, r.due, r.met, r.breached, r.open_late, r.open_in_time,
                        r.answered_undated, pct(r.pct_met), num(r.median_hours), num(r.p95_hours)
                    );
                    println!("    over {}", r.scope);
                    if r.unreadable_dates > 0 {
                        println!(
                            "    {} records have a value in the target field that is not a date",
                            r.unreadable_dates
                        );
                    }
                    for b in r.by_owner.iter().filter(|b| b.breaches > 0).take(10) {
                        println!(
                            "    owner {:<20} {} breaches of {} due",
                            b.key, b.breaches, b.due
                        );
                    }
                }
                Ok(())
            }
            Command::Goals {
                action: Some(action),
            } => match action {
                GoalAction::Add {
                    metric,
                    target,
                    period,
                    team,
                    name,
                } => {
                    let g = svc.goal_add(GoalDraft {
                        name,
                        metric: GoalMetric::parse(&metric)?,
                        target,
                        period,
                        team,
                    })?;
                    if ctx.json {
                        output::print_json(&g)
                    } else {
                        println!("goal {} added: {}", g.id, g.name);
                        Ok(())
                    }
                }
                GoalAction::Remove { id } => {
                    svc.goal_remove(id)?;
                    if !ctx.json {
                        println!("goal {id} removed");
                    }
                    Ok(())
                }
            },
            Command::Goals { action: None } => {
                let progress = svc.goals()?;
                if ctx.json {
                    return output::print_json(&progress);
                }
                if progress.is_empty() {
                    println!("no goals yet: add one with `baton goals add --metric reached:mql --target 300 --period 2025-Q1 --team marketing`");
                }
                for p in &progress {
                    let show = |v: f64| p.goal.metric.value_text(v);
                    println!(
                        "#{} {} [{}] {}: {} of {} ({}), {:.0}% of the period elapsed: {:?}{}",
                        p.goal.id,
                        p.goal.name,
                        p.goal.team,
                        p.goal.period.label,
                        p.actual.map_or("–".into(), show),
                        show(p.goal.target),
                        pct(p.progress),
                        p.elapsed_share * 100.0,
                        p.status,
                        p.note
                            .as_deref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    );
                    println!("    over {}", p.scope);
                }
                Ok(())
            }
            Command::TargetCalc {
                revenue,
                deal_size,
                conversion,
                entry,
                filters: f,
            } => {
                let typed = conversion
                    .iter()
                    .map(|c| {
                        key_value(c, "--conversion").map(|(k, v)| (k.to_string(), v.to_string()))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let conversions = svc.calculator_conversions(&typed)?;
                let r = svc.calculator(&CalculatorInput {
                    revenue_target: revenue,
                    avg_deal_size: deal_size,
                    conversions,
                    filters: filters(&svc, &f, entry.entry_from, entry.entry_to)?,
                })?;
                if ctx.json {
                    return output::print_json(&r);
                }
                println!(
                    "revenue {revenue}, average deal {} ({:?})",
                    num(r.avg_deal_size),
                    r.avg_deal_size_basis
                );
                for s in &r.steps {
                    println!(
                        "  {:<14} need {:>9}  pipeline {:>8}  gap {:>9}  → next {} ({})",
                        s.stage,
                        num(s.required),
                        s.in_pipeline.map_or("–".into(), |n| n.to_string()),
                        num(s.gap),
                        pct(s.conversion_to_next),
                        s.conversion_basis
                            .map(|b| format!("{b:?}").to_lowercase())
                            .unwrap_or_default()
                    );
                    println!("    pipeline: {}", s.pipeline_label);
                }
                Ok(())
            }
            Command::Impact { agreement, window } => {
                let r = svc.impact(agreement, window)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                print_impact(&r);
                Ok(())
            }
            Command::Quality { entry, filters: f } => {
                let fl = filters(&svc, &f, entry.entry_from, entry.entry_to)?;
                let r = svc.quality(&fl)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                println!("{} records", r.records);
                println!(
                    "skipped stages: {} records ({})",
                    r.skipped_records,
                    r.skipped
                        .iter()
                        .map(|s| format!("{} {}", s.value, s.count))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                println!("backward dates: {}", r.backward);
                println!("no dates: {}; no stage at all: {}", r.no_dates, r.no_stage);
                println!("ids seen in several files: {}", r.several_files);
                println!("ids differing only by case/spaces: {}", r.id_variants.len());
                for v in &r.unmapped_stage_values {
                    println!("unmapped stage value {:?}: {} records", v.value, v.count);
                }
                for v in &r.case_variants {
                    println!(
                        "{} \"{}\" is spelled {}",
                        v.field,
                        v.shown_as,
                        v.spellings
                            .iter()
                            .map(|s| format!("{:?} ×{}", s.value, s.count))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                Ok(())
            }
            Command::Drill {
                target,
                group,
                cohort,
                limit,
                count,
                entry,
                filters: f,
            } => {
                let group = match group {
                    Some(g) => {
                        let (field, key) = key_value(&g, "--group")?;
                        Some(GroupRef {
                            field: field.into(),
                            key: key.into(),
                        })
                    }
                    None => None,
                };
                let q = DrillQuery {
                    filters: filters(&svc, &f, entry.entry_from, entry.entry_to)?,
                    target: parse_target(&target)?,
                    group,
                    cohort: cohort.as_deref().map(parse_cohort).transpose()?,
                    limit: Some(limit),
                    counting: Some(count.into()),
                };
                let r = svc.drill(&q)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                print_records(r.total, &r.records);
                Ok(())
            }
        }
    }
}

fn run_sla_action(ctx: &Ctx, svc: &Service, action: SlaAction) -> Result<()> {
    match action {
        SlaAction::Add {
            from,
            to,
            to_field,
            within,
            business_hours,
            name,
        } => {
            let target = match (to, to_field) {
                (Some(s), _) => SlaTarget::Stage(s),
                (None, Some(f)) => SlaTarget::Field(f),
                (None, None) => {
                    return Err(BatonError::invalid("give --to STAGE or --to-field FIELD"))
                }
            };
            let clock = if business_hours {
                Clock::Business
            } else {
                Clock::Calendar
            };
            let clause = svc.sla_add_typed(SlaDraft {
                name,
                from_stage: from,
                to: target,
                within,
                clock,
            })?;
            if ctx.json {
                output::print_json(&clause)
            } else {
                println!("SLA clause {} added: {}", clause.id, clause.name);
                Ok(())
            }
        }
        SlaAction::Remove { id } => {
            svc.sla_remove(id)?;
            if !ctx.json {
                println!("SLA clause {id} removed");
            }
            Ok(())
        }
        SlaAction::Hours {
            days,
            start,
            end,
            if_version,
        } => {
            let shown = svc.business_hours_shown()?;
            let mut h = shown.hours;
            let changed = days.is_some() || start.is_some() || end.is_some();
            if let Some(d) = days {
                h.days = d;
            }
            if let Some(s) = start {
                h.start_minute = minute_of_day(&s)?;
            }
            if let Some(e) = end {
                h.end_minute = minute_of_day(&e)?;
            }
            if changed {
                svc.set_business_hours(&h, if_version.or(Some(shown.row_version)))?;
            }
            let now = svc.business_hours_shown()?;
            if ctx.json {
                let mut out = serde_json::to_value(&now.hours).map_err(|e| {
                    baton_core::BatonError::internal(format!("serialising hours: {e}"))
                })?;
                out["row_version"] = now.row_version.into();
                output::print_json(&out)
            } else {
                print_hours(&now.hours);
                println!("version {}", now.row_version);
                Ok(())
            }
        }
    }
}

fn print_impact(r: &ImpactReport) {
    println!(
        "maturity window {} days; data as of {}{}",
        r.window_days,
        format_date(r.as_of),
        r.kind
            .as_deref()
            .map(|k| format!("; counting {k}s"))
            .unwrap_or_default()
    );
    if r.agreements.is_empty() {
        println!("no agreement has been signed by both sides yet");
    }
    for a in &r.agreements {
        println!(
            "#{} {} (version {}, agreed {})",
            a.agreement_id,
            a.title,
            a.version,
            format_date(a.agreed_at)
        );
        println!("    {}", a.sentence);
        for f in &a.figures {
            let side = |s: &ImpactSide| {
                let v = match (f.unit, s.value) {
                    (_, None) => "–".to_string(),
                    (FigureUnit::Share, Some(v)) => format!(
                        "{:.1}% [{:.1}–{:.1}]",
                        v * 100.0,
                        s.low.unwrap_or(0.0) * 100.0,
                        s.high.unwrap_or(0.0) * 100.0
                    ),
                    (FigureUnit::Days, Some(v)) => format!("{v:.1} days"),
                    (FigureUnit::Hours, Some(v)) => format!("{v:.1} h"),
                };
                format!("{v} (n {})", s.n)
            };
            println!(
                "    {:<60} before {:<28} after {}",
                f.label,
                side(&f.before),
                side(&f.after)
            );
        }
        for n in &a.notes {
            println!("    note: {n}");
        }
    }
    if !r.not_agreed.is_empty() {
        println!("not agreed yet: {}", r.not_agreed.join(", "));
    }
}

fn print_hours(h: &BusinessHours) {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let days: Vec<&str> = h
        .days
        .iter()
        .filter_map(|d| NAMES.get((*d as usize).wrapping_sub(1)).copied())
        .collect();
    println!(
        "business hours: {} {}–{}",
        days.join(" "),
        hhmm(h.start_minute),
        hhmm(h.end_minute)
    );
}
