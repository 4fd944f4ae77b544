//! Fill a [`ReportData`] from a workspace, calling the same engines as the
//! rest of Baton (the funnel is `baton_metrics::funnel`, exactly what
//! `baton funnel --json` prints). A part with nothing to show becomes
//! [`Part::NoData`] with the reason; no figure is ever made up.

use crate::format;
use crate::model::*;
use crate::period::{date_text, Period};
use crate::ReportRequest;
use baton_core::agreement::{Subject, VersionStatus};
use baton_core::diagnostic::DiagnosticRun;
use baton_core::goal::{GoalMetric, GoalPeriod, PeriodKind};
use baton_core::sla::{Clock, SlaClause};
use baton_core::workshop::{ActionStatus, Team};
use baton_core::Result;
use baton_metrics::filter::Selection;
use baton_metrics::funnel::{FunnelReport, GroupFigures};
use baton_metrics::goals::{reached_in, GoalStatus};
use baton_metrics::scope::records_noun;
use baton_metrics::{
    Dataset, Filters, FunnelQuery, GoalProgress, Granularity, QualityReport, SlaReport,
};
use baton_store::prelude::*;

/// Everything the report and the exports compute from the engines, once.
pub struct Figures {
    pub period: Period,
    pub dataset: Dataset,
    pub filters: Filters,
    pub funnel: FunnelReport,
    pub clauses: Vec<SlaClause>,
    pub slas: Vec<SlaReport>,
    pub goals: Vec<GoalProgress>,
    pub quality: QualityReport,
}

/// The metrics filters for a report period: records whose entry date (first
/// dated stage) falls in the period, as `baton funnel --from --to` does.
pub fn period_filters(period: &Period) -> Filters {
    Filters {
        entry_from: period.start.map(date_text),
        entry_to: period.end.map(|e| date_text(e - 1)),
        ..Filters::default()
    }
}

/// The report's period as the goals and SLA engines take it (`None` for all data).
pub fn goal_period(period: &Period) -> Option<GoalPeriod> {
    let (start, end) = period.start.zip(period.end)?;
    Some(GoalPeriod::parse(&period.id).unwrap_or(GoalPeriod {
        kind: PeriodKind::Custom,
        start,
        end,
        label: period.id.clone(),
    }))
}

/// Run the metrics engines for `period`, over the kind headline figures count
/// (`baton_metrics::scope`): the report never adds contacts and deals.
pub fn figures(ws: &dyn WorkspaceData, period: Period) -> Result<Figures> {
    let dataset = Dataset::load(ws)?;
    let filters = baton_metrics::with_default_kind(&dataset, &period_filters(&period));
    let mut funnel = baton_metrics::funnel(
        &dataset,
        &FunnelQuery {
            filters: filters.clone(),
            by: None,
            trend: Some(Granularity::Month),
            counting: Default::default(),
        },
    )?;
    if funnel.trend.len() > 18 {
        // Long periods read better by quarter; the overall figures are the same.
        funnel.trend = baton_metrics::funnel(
            &dataset,
            &FunnelQuery {
                filters: filters.clone(),
                by: None,
                trend: Some(Granularity::Quarter),
                counting: Default::default(),
            },
        )?
        .trend;
    }
    let clauses = ws.sla_clauses()?;
    let hours = ws.business_hours()?;
    // A clause whose stage or field is gone is reported as such, not fatal.
    let slas = baton_metrics::sla::sla_reports_in(
        &dataset,
        &clauses,
        &hours,
        &baton_metrics::headline_filters(&dataset),
        goal_period(&period).as_ref(),
    )?;
    let goals = baton_metrics::goal_progress(
        &dataset,
        &ws.goals()?,
        &clauses,
        &hours,
        &Filters::default(),
    )?
    .into_iter()
    .filter(|g| overlaps(&period, g.goal.period.start, g.goal.period.end))
    .collect();
    let quality = baton_metrics::quality(&dataset, &filters)?;
    Ok(Figures {
        period,
        dataset,
        filters,
        funnel,
        clauses,
        slas,
        goals,
        quality,
    })
}

fn overlaps(p: &Period, start: i64, end: i64) -> bool {
    p.start.is_none_or(|s| end > s) && p.end.is_none_or(|e| start < e)
}

/// What the cover says when the workspace has no company name, and how to set it.
pub const COMPANY_NOT_SET: &str = "Company not set";
pub const COMPANY_HINT: &str =
    "Name it on the Overview screen or with: baton settings --company NAME";

/// The company name from the workspace settings, and the hint when there is none.
fn company(ws: &dyn WorkspaceData) -> Result<(String, String)> {
    Ok(match ws.company()? {
        Some(name) => (name, String::new()),
        None => (COMPANY_NOT_SET.into(), COMPANY_HINT.into()),
    })
}

pub fn report_data(
    ws: &dyn WorkspaceData,
    request: &ReportRequest,
    today: String,
) -> Result<ReportData> {
    let fig = figures(ws, Period::parse(&request.period)?)?;
    report_data_with(ws, request, today, &fig)
}

/// [`report_data`] over figures already computed for the request's period.
pub fn report_data_with(
    ws: &dyn WorkspaceData,
    request: &ReportRequest,
    today: String,
    fig: &Figures,
) -> Result<ReportData> {
    let period = fig.period.clone();
    let stage_name = |id: &str| {
        fig.dataset
            .stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let no_records = fig.funnel.records == 0;
    let funnel = if no_records {
        Part::no_data(no_records_reason(fig))
    } else {
        Part::ready(funnel_data(fig))
    };
    let cohorts = if no_records {
        Part::no_data(no_records_reason(fig))
    } else {
        Part::ready(cohort_data(&fig.funnel.trend))
    };
    let slas = if fig.clauses.is_empty() {
        Part::no_data("no SLA has been agreed in this workspace yet")
    } else {
        Part::ready(fig.slas.iter().map(|r| sla_row(r, &stage_name)).collect())
    };
    let goals = if fig.goals.is_empty() {
        Part::no_data("no goal is set for this period")
    } else {
        Part::ready(
            fig.goals
                .iter()
                .map(|g| goal_row(g, &stage_name, &fig.clauses))
                .collect(),
        )
    };
    let diagnostic = latest_diagnostic(ws.diagnostic_runs()?);
    let (company, company_hint) = company(ws)?;
    let mut data = ReportData {
        title: "Alignment report".into(),
        company,
        company_hint,
        period: PeriodInfo {
            id: period.id.clone(),
            label: period.label(),
        },
        generated_on: today,
        paper: request.paper,
        sections: request
            .sections_in_order()
            .into_iter()
            .map(SectionHeading::from)
            .collect(),
        summary: Summary::default(),
        personas: personas(ws)?,
        definitions: definitions(ws, &stage_name)?,
        slas,
        goals,
        impact: impact(ws, fig)?,
        funnel,
        cohorts,
        quality: Part::ready(quality_notes(ws, fig)?),
        decisions: decisions(ws)?,
        actions: actions(ws)?,
    };
    data.summary = summary(&data, fig, diagnostic.as_ref(), &stage_name);
    Ok(data)
}

/// Before/after figures of every agreement, over all the data (an agreement's date, not
/// the report's period, splits the records), with the default maturity window.
fn impact(ws: &dyn WorkspaceData, fig: &Figures) -> Result<Part<ImpactData>> {
    use baton_metrics::impact::{FigureUnit, ImpactInput, ImpactSide, DEFAULT_WINDOW_DAYS};
    let agreements = ws.agreements()?;
    if agreements.is_empty() {
        return Ok(Part::no_data(
            "No definition, SLA or goal has been signed yet.",
        ));
    }
    let r = baton_metrics::impact::impact(
        &fig.dataset,
        &ImpactInput {
            agreements: &agreements,
            clauses: &fig.clauses,
            goals: &ws.goals()?,
            hours: &ws.business_hours()?,
            window_days: DEFAULT_WINDOW_DAYS,
        },
    )?;
    let side = |unit: FigureUnit, s: &ImpactSide| match (unit, s.value) {
        (_, None) => format!("– (n = {})", format::count(s.n)),
        (FigureUnit::Share, Some(v)) => format!(
            "{:.1}% ({:.1}–{:.1}%), n = {}",
            v * 100.0,
            s.low.unwrap_or(0.0) * 100.0,
            s.high.unwrap_or(0.0) * 100.0,
            format::count(s.n)
        ),
        (FigureUnit::Days, Some(v)) => format!("{v:.1} days, n = {}", format::count(s.n)),
        (FigureUnit::Hours, Some(v)) => format!("{v:.1} h, n = {}", format::count(s.n)),
    };
    let kind = r
        .kind
        .as_deref()
        .map(|k| format!(" Counts {k}s."))
        .unwrap_or_default();
    Ok(Part::ready(ImpactData {
        basis: format!(
            "Records that entered a stage before the date both sides signed, against those that entered after, over all the data as of {}. A record counts once it has had {} days to convert, and a conversion counts within {} days of entering the stage, on both sides; younger records are left out.{kind}",
            date_text(r.as_of),
            r.window_days,
            r.window_days
        ),
        rows: r
            .agreements
            .iter()
            .map(|a| ImpactRow {
                title: a.title.clone(),
                agreed_text: format!(
                    "version {}, agreed {}",
                    a.version,
                    date_text(a.agreed_at)
                ),
                sentence: a.sentence.clone(),
                figures: a
                    .figures
                    .iter()
                    .map(|f| ImpactFigureRow {
                        label: f.label.clone(),
                        before_text: side(f.unit, &f.before),
                        after_text: side(f.unit, &f.after),
                    })
                    .collect(),
                notes: a.notes.clone(),
            })
            .collect(),
        not_agreed: r.not_agreed,
    }))
}

fn no_records_reason(fig: &Figures) -> String {
    if fig.dataset.is_empty() {
        "no CRM records have been imported into this workspace yet".into()
    } else {
        format!("no record entered the funnel in {}", fig.period.label())
    }
}

fn funnel_data(fig: &Figures) -> FunnelData {
    let r = &fig.funnel;
    let first = r.stages.iter().find_map(|s| s.reached).unwrap_or(0);
    let steps = r
        .stages
        .iter()
        .map(|s| FunnelStep {
            stage_id: s.id.clone(),
            name: s.name.clone(),
            tracked: s.tracked,
            count: s.reached.unwrap_or(0),
            count_text: s
                .reached
                .map_or_else(|| NOT_TRACKED.to_string(), format::count),
            pct_of_first_text: format::pct(s.pct_of_first),
            pct_of_previous_text: format::pct(s.pct_of_previous),
            share_of_first: match s.reached {
                Some(n) if first > 0 => n as f64 / first as f64,
                _ => 0.0,
            },
        })
        .collect();
    let mut notes = vec![format!("Counting: {}.", r.counting_text)];
    notes.extend(r.tracking_notes.iter().cloned());
    let scope = match fig.period.start {
        Some(_) => format!(
            "whose entry date (first dated stage) falls in {}",
            fig.period.label()
        ),
        None => "in the workspace".into(),
    };
    let noun = records_noun(&fig.dataset, &fig.filters);
    let mut basis = format!(
        "{} {scope} that reached each stage: {} {noun}; won {}, lost {}, open {}.",
        capitalized(&noun),
        format::count(r.records),
        format::count(r.outcomes.won),
        format::count(r.outcomes.lost),
        format::count(r.outcomes.open),
    );
    if r.no_stage > 0 {
        basis.push_str(&format!(
            " {} records with no stage are not in the funnel.",
            format::count(r.no_stage)
        ));
    }
    FunnelData {
        steps,
        basis,
        notes,
    }
}

/// Shown instead of a count for a stage the data does not track.
pub const NOT_TRACKED: &str = "not tracked";
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn cohort_data(trend: &[GroupFigures]) -> CohortData {
    let stages = trend
        .first()
        .map(|g| g.stages.iter().skip(1).map(|s| s.name.clone()).collect())
        .unwrap_or_default();
    let rows = trend
        .iter()
        .map(|g| {
            let entered = g.stages.first().and_then(|s| s.reached).unwrap_or(0);
            let later = &g.stages[1.min(g.stages.len())..];
            CohortRow {
                cohort: g.key.clone(),
                entered,
                entered_text: g
                    .stages
                    .first()
                    .and_then(|s| s.reached)
                    .map_or_else(|| NOT_TRACKED.to_string(), format::count),
                reached_text: later
                    .iter()
                    .map(|s| {
                        if s.tracked {
                            format::pct(s.pct_of_first)
                        } else {
                            NOT_TRACKED.to_string()
                        }
                    })
                    .collect(),
                reached: later
                    .iter()
                    .map(|s| s.tracked.then(|| s.pct_of_first.unwrap_or(0.0)))
                    .collect(),
                small: g.small_sample,
            }
        })
        .collect();
    CohortData { stages, rows }
}

fn clock_text(c: Clock) -> &'static str {
    match c {
        Clock::Calendar => "calendar hours",
        Clock::Business => "business hours",
    }
}

fn sla_row(r: &SlaReport, stage_name: &dyn Fn(&str) -> String) -> SlaRow {
    let to = match &r.to {
        baton_core::sla::SlaTarget::Stage(s) => stage_name(s),
        other => other.describe(),
    };
    let breaches = r.breached + r.open_late;
    let mut clause = format!(
        "From {} to {} within {} ({}); {} still open in time.",
        stage_name(&r.from_stage),
        to,
        format::hours(Some(r.within_hours)),
        clock_text(r.clock),
        format::count(r.open_in_time)
    );
    if r.answered_undated > 0 {
        clause.push_str(&format!(
            " {} reached the target with no date and are left out.",
            format::count(r.answered_undated)
        ));
    }
    if let Some(error) = &r.error {
        clause.push_str(&format!(" Cannot be measured: {error}."));
    } else if !r.scope.is_empty() {
        clause.push_str(&format!(" Measured over {}.", r.scope));
    }
    SlaRow {
        name: r.name.clone(),
        clause,
        measured: r.due,
        measured_text: format::count(r.due),
        met_pct_text: format::pct(r.pct_met),
        median_text: format::hours(r.median_hours),
        p95_text: format::hours(r.p95_hours),
        breaches,
        breaches_text: format::count(breaches),
    }
}

fn goal_value(metric: &GoalMetric, v: Option<f64>) -> String {
    match (metric, v) {
        (_, None) => "–".into(),
        // "40%", as the Goals screen and the CLI show a rate.
        (m, Some(x)) if m.is_rate() => m.value_text(x),
        (GoalMetric::WonAmount, Some(x)) => format::count(x.round().max(0.0) as u64),
        (_, Some(x)) => format::count(x.round().max(0.0) as u64),
    }
}

/// What a goal measures, in words: "Marketing Qualified Lead reached".
fn goal_metric_text(
    g: &GoalProgress,
    stage_name: &dyn Fn(&str) -> String,
    clauses: &[SlaClause],
) -> String {
    match &g.goal.metric {
        GoalMetric::Reached { stage } => format!("{} reached", stage_name(stage)),
        GoalMetric::Conversion { from, to } => {
            format!("{} → {} conversion", stage_name(from), stage_name(to))
        }
        GoalMetric::SlaMet { clause_id } => clauses
            .iter()
            .find(|c| c.id == *clause_id)
            .map(|c| format!("SLA met: {}", c.name))
            .unwrap_or_else(|| g.goal.metric.describe()),
        GoalMetric::WonAmount => g.goal.metric.describe(),
    }
}

/// The status in words and whether it counts as met (`Some(true)`) or missed.
fn status_of(status: GoalStatus) -> (&'static str, Option<bool>) {
    match status {
        GoalStatus::Met => ("met", Some(true)),
        GoalStatus::OnTrack => ("on track", None),
        GoalStatus::Behind => ("behind", Some(false)),
        GoalStatus::Missed => ("missed", Some(false)),
        GoalStatus::NotStarted => ("not started", None),
        GoalStatus::NoData => ("no data", None),
    }
}

fn goal_row(
    g: &GoalProgress,
    stage_name: &dyn Fn(&str) -> String,
    clauses: &[SlaClause],
) -> GoalRow {
    let (status_text, met) = status_of(g.status);
    GoalRow {
        metric: format!(
            "{} in {} ({})",
            goal_metric_text(g, stage_name, clauses),
            g.goal.period.label,
            g.goal.team
        ),
        target: g.goal.target,
        actual: g.actual.unwrap_or(0.0),
        attainment: g.progress,
        target_text: goal_value(&g.goal.metric, Some(g.goal.target)),
        actual_text: goal_value(&g.goal.metric, g.actual),
        attainment_text: format::pct(g.progress),
        status_text: g
            .note
            .as_ref()
            .map(|n| format!("{status_text} ({n})"))
            .unwrap_or_else(|| status_text.into()),
        met,
    }
}

fn personas(ws: &dyn WorkspaceData) -> Result<Part<Vec<PersonaRow>>> {
    let personas = ws.personas()?;
    if personas.is_empty() {
        return Ok(Part::no_data(
            "no persona has been written in this workspace yet",
        ));
    }
    let matches = ws.persona_matches()?;
    let agreements = ws.persona_agreements()?;
    Ok(Part::ready(
        personas
            .iter()
            .map(|p| {
                let n = matches
                    .iter()
                    .find(|m| m.persona_id == p.id)
                    .map(|m| m.leads);
                let summary = [
                    p.role.as_str(),
                    p.company_size.as_str(),
                    p.industry.as_str(),
                ]
                .iter()
                .filter(|s| !s.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
                let agreement = agreements
                    .iter()
                    .find(|a| a.subject == Subject::Persona { persona_id: p.id });
                PersonaRow {
                    name: p.name.clone(),
                    summary,
                    criteria: p.criteria.all.iter().map(|c| c.describe()).collect(),
                    matching_records: n,
                    matching_text: n.map(format::count).unwrap_or_default(),
                    agreed: agreement.is_some_and(|a| a.agreed),
                    status: persona_status(agreement),
                }
            })
            .collect(),
    ))
}

/// Whether sales and marketing signed the persona as it stands, in words.
fn persona_status(agreement: Option<&baton_core::agreement::Agreement>) -> String {
    let Some(a) = agreement.filter(|a| !a.versions.is_empty()) else {
        return "Not signed off".into();
    };
    let signers = |v: &baton_core::agreement::DefinitionVersion| {
        v.sign_offs
            .iter()
            .map(|s| format!("{} ({})", s.name, s.team.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if a.agreed {
        return format!("Agreed, signed by {}", signers(&a.versions[0]));
    }
    let missing = a
        .missing_sides
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    if a.terms_changed {
        format!("Edited since it was signed; awaiting sign-off from {missing}")
    } else {
        format!("Awaiting sign-off from {missing}")
    }
}

fn team_name(t: Team) -> String {
    let s = t.as_str();
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn definitions(
    ws: &dyn WorkspaceData,
    stage_name: &dyn Fn(&str) -> String,
) -> Result<Part<Vec<DefinitionRow>>> {
    let rows: Vec<DefinitionRow> = ws
        .agreements()?
        .into_iter()
        .filter_map(|a| {
            let Subject::Stage { stage_id } = &a.subject else {
                return None;
            };
            let latest = a.versions.iter().max_by_key(|v| v.version)?;
            let c = &latest.content;
            let mut details = Vec::new();
            for (label, items) in [
                ("Fit", &c.fit),
                ("Intent", &c.intent),
                ("Thresholds", &c.thresholds),
                ("Disqualifiers", &c.disqualifiers),
            ] {
                if !items.is_empty() {
                    details.push(format!("{label}: {}", items.join("; ")));
                }
            }
            let signers = latest
                .sign_offs
                .iter()
                .map(|s| format!("{} ({})", s.name, s.team.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            let status = match latest.status {
                VersionStatus::Agreed => format!("Agreed, signed by {signers}"),
                _ => {
                    let missing = a
                        .missing_sides
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ");
                    let earlier = a
                        .last_agreed_version
                        .map(|v| format!(" (v{v} is the agreed one)"))
                        .unwrap_or_default();
                    format!("Awaiting sign-off from {missing}{earlier}")
                }
            };
            Some(DefinitionRow {
                stage: stage_name(stage_id),
                definition: c.summary.clone(),
                details,
                version: latest.version,
                status,
                signed_off: latest.status == VersionStatus::Agreed,
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(Part::no_data("no lead definition has been written yet"));
    }
    Ok(Part::ready(rows))
}

/// The latest run whose results are shown (closed, or revealed early).
fn latest_diagnostic(runs: Vec<DiagnosticRun>) -> Option<DiagnosticRun> {
    runs.into_iter()
        .filter(|r| r.result.as_ref().is_some_and(|x| !x.teams.is_empty()))
        .max_by(|a, b| (a.closed, &a.date, a.id).cmp(&(b.closed, &b.date, b.id)))
}

fn alignment(run: &DiagnosticRun) -> Alignment {
    let Some(r) = &run.result else {
        return Alignment {
            teams: Vec::new(),
            gap_text: String::new(),
            overall_level: "not known".into(),
        };
    };
    // A team mean is withheld from fewer than two answers in an anonymous run.
    let teams: Vec<TeamScore> = r
        .teams
        .iter()
        .filter_map(|t| {
            Some(TeamScore {
                team: team_name(t.team),
                score: t.mean_score?.round() as u32,
                level: t.level?.label().to_string(),
                respondents: t.respondents,
            })
        })
        .collect();
    let mean = |team: Team| {
        r.teams
            .iter()
            .find(|t| t.team == team)
            .and_then(|t| t.mean_score)
    };
    let gap_text = match (mean(Team::Sales), mean(Team::Marketing)) {
        (Some(s), Some(m)) if (s - m).abs() < 0.5 => {
            "Sales and marketing rate the relationship the same.".to_string()
        }
        (Some(s), Some(m)) => format!(
            "{} rates the relationship {:.0} points lower than {} (diagnostic \"{}\", {}).",
            if s < m { "Sales" } else { "Marketing" },
            (s - m).abs(),
            if s < m { "marketing" } else { "sales" },
            run.name,
            run.date
        ),
        _ => format!(
            "The diagnostic \"{}\" has no mean for both sales and marketing yet (an anonymous run shows a team's mean from two answers); the gap is not known.",
            run.name
        ),
    };
    Alignment {
        teams,
        gap_text,
        overall_level: r
            .overall_level
            .map(|l| l.label().to_string())
            .unwrap_or_else(|| "not known".into()),
    }
}

fn quality_notes(ws: &dyn WorkspaceData, fig: &Figures) -> Result<Vec<QualityNote>> {
    let q = &fig.quality;
    let mut notes = Vec::new();
    let mut note = |warning: bool, message: String| {
        notes.push(QualityNote {
            severity: if warning { "warning" } else { "info" }.into(),
            message,
        })
    };
    if q.no_stage > 0 {
        note(
            true,
            format!(
                "{} not placed in the funnel: no stage date and no stage value mapped to an agreed stage.",
                format::records(q.no_stage, "is", "are")
            ),
        );
    }
    if !q.unmapped_stage_values.is_empty() {
        let values: Vec<String> = q
            .unmapped_stage_values
            .iter()
            .take(8)
            .map(|v| format!("\"{}\" ({})", v.value, format::count(v.count)))
            .collect();
        note(
            true,
            format!(
                "Stage values not mapped to an agreed stage: {}.",
                values.join(", ")
            ),
        );
    }
    if q.backward > 0 {
        note(
            true,
            format!(
                "{} a later stage dated before an earlier one: left out of time measurements.",
                format::records(q.backward, "has", "have")
            ),
        );
    }
    if q.skipped_records > 0 {
        note(
            false,
            format!(
                "{} a stage without any date or snapshot for it: counted as having reached it.",
                format::records(q.skipped_records, "passed", "passed")
            ),
        );
    }
    if q.no_dates > 0 {
        note(
            false,
            format!(
                "{} no stage date at all.",
                format::records(q.no_dates, "has", "have")
            ),
        );
    }
    if q.several_files > 0 {
        note(
            false,
            format!(
                "{} found in more than one differently named file.",
                format::records(q.several_files, "was", "were")
            ),
        );
    }
    for v in q.case_variants.iter().take(5) {
        let spellings: Vec<String> = v
            .spellings
            .iter()
            .map(|s| format!("\"{}\"", s.value))
            .collect();
        note(
            false,
            format!(
                "{}: {} are counted together as \"{}\".",
                v.field,
                spellings.join(", "),
                v.shown_as
            ),
        );
    }
    let live: Vec<_> = ws
        .imports()?
        .into_iter()
        .filter(|i| i.undone_at.is_none())
        .collect();
    let rejected: i64 = live.iter().map(|i| i.rejected).sum();
    if rejected > 0 {
        note(
            true,
            format!(
                "{} rows were rejected by imports and are not in these figures (export rejected_rows.csv to see why).",
                format::count(rejected as u64)
            ),
        );
    }
    Ok(notes)
}

/// Decisions, newest session first, dated by the session they were taken in
/// (they are often typed up after the workshop).
fn decisions(ws: &dyn WorkspaceData) -> Result<Part<Vec<DecisionRow>>> {
    let mut all: Vec<(String, i64, String)> = ws
        .sessions()?
        .into_iter()
        .flat_map(|s| {
            let date = s.date;
            s.decisions
                .into_iter()
                .map(move |d| (date.clone(), d.decided_at, d.text))
        })
        .collect();
    if all.is_empty() {
        return Ok(Part::no_data(
            "no decision has been logged in a workshop session yet",
        ));
    }
    all.sort_by(|a, b| (&b.0, b.1).cmp(&(&a.0, a.1)));
    Ok(Part::ready(
        all.into_iter()
            .map(|(date, _, text)| DecisionRow {
                decided_on: date,
                text,
            })
            .collect(),
    ))
}

fn actions(ws: &dyn WorkspaceData) -> Result<Part<Vec<ActionRow>>> {
    let items = ws.actions()?;
    if items.is_empty() {
        return Ok(Part::no_data("no action item has been recorded yet"));
    }
    Ok(Part::ready(
        items
            .into_iter()
            .map(|a| ActionRow {
                what: a.text,
                owner: a.owner_name.unwrap_or_else(|| "unassigned".into()),
                due: a.due.unwrap_or_else(|| "–".into()),
                status: match a.status {
                    ActionStatus::Done => "done".into(),
                    _ if a.overdue => format!("{} (overdue)", a.status.as_str().replace('_', " ")),
                    s => s.as_str().replace('_', " "),
                },
            })
            .collect(),
    ))
}

/// A headline row: a figure for the report's period, with `goal` beside it.
fn headline(label: String, actual_text: String, goal: Option<&GoalProgress>) -> Headline {
    let Some(g) = goal else {
        return Headline {
            label,
            actual_text,
            goal_text: String::new(),
            goal_actual_text: String::new(),
            status_text: String::new(),
            met: None,
        };
    };
    let (status, met) = status_of(g.status);
    Headline {
        label,
        actual_text,
        goal_text: format!(
            "{} in {} ({})",
            goal_value(&g.goal.metric, Some(g.goal.target)),
            g.goal.period.label,
            g.goal.team
        ),
        goal_actual_text: goal_value(&g.goal.metric, g.actual),
        status_text: status.into(),
        met,
    }
}

/// The records a headline count covers: the headline kind's records whose date for
/// the stage falls in the report's period (all data: that reached it), the figure a
/// stage-count goal over the same period measures, computed by the same function.
fn headline_counts(fig: &Figures) -> Result<Vec<u64>> {
    let ds = &fig.dataset;
    let sel = Selection::new(ds, &baton_metrics::headline_filters(ds))?;
    let window = fig.period.start.zip(fig.period.end);
    Ok((0..ds.stage_count())
        .map(|s| reached_in(ds, &sel, s, window))
        .collect())
}

/// What the headline counts are, in words, for the note under the table.
fn headline_basis(fig: &Figures) -> String {
    let noun = records_noun(&fig.dataset, &baton_metrics::headline_filters(&fig.dataset));
    let period = match fig.period.start {
        Some(_) => format!(
            "{noun} whose date for the stage falls in {}",
            fig.period.label()
        ),
        None => format!("{noun} that reached the stage, all data"),
    };
    format!(
        "Count: {period}. A goal is measured the same way over its own period; when that is the report's period, its actual equals the count."
    )
}

/// Each stage of the funnel with its count for the report's period, next to the
/// stage-count goals that overlap the period; then every other overlapping goal
/// (conversion, SLA, won amount) on its own row.
fn headlines(fig: &Figures, stage_name: &dyn Fn(&str) -> String) -> Vec<Headline> {
    let counts = if fig.dataset.is_empty() {
        Vec::new()
    } else {
        headline_counts(fig).unwrap_or_default()
    };
    let for_stage = |g: &GoalProgress, id: &str| matches!(&g.goal.metric, GoalMetric::Reached { stage } if stage == id);
    let mut rows = Vec::new();
    for (s, n) in fig.dataset.stages.iter().zip(&counts) {
        let count = format::count(*n);
        let goals: Vec<&GoalProgress> = fig.goals.iter().filter(|g| for_stage(g, &s.id)).collect();
        if goals.is_empty() {
            rows.push(headline(s.name.clone(), count.clone(), None));
        }
        for g in goals {
            rows.push(headline(s.name.clone(), count.clone(), Some(g)));
        }
    }
    let shown = |g: &GoalProgress| {
        !counts.is_empty() && fig.dataset.stages.iter().any(|s| for_stage(g, &s.id))
    };
    for g in fig.goals.iter().filter(|g| !shown(g)) {
        rows.push(headline(
            goal_metric_text(g, stage_name, &fig.clauses),
            "–".into(),
            Some(g),
        ));
    }
    rows
}

/// "1 of 4 goals met · 0 on track · 3 behind" over the goals overlapping the
/// period, then the missed ones and those not started or without data, if any.
fn goal_line(goals: &[GoalProgress]) -> String {
    if goals.is_empty() {
        return "No goal is set for this period.".into();
    }
    let n = |s: GoalStatus| goals.iter().filter(|g| g.status == s).count();
    let (met, on_track, behind, missed) = (
        n(GoalStatus::Met),
        n(GoalStatus::OnTrack),
        n(GoalStatus::Behind),
        n(GoalStatus::Missed),
    );
    let mut line = format!(
        "{met} of {} goals met · {on_track} on track · {behind} behind",
        goals.len()
    );
    if missed > 0 {
        line.push_str(&format!(" · {missed} missed"));
    }
    let other = goals.len() - met - on_track - behind - missed;
    if other > 0 {
        line.push_str(&format!(" · {other} not started or without data"));
    }
    line
}

fn summary(
    d: &ReportData,
    fig: &Figures,
    diagnostic: Option<&DiagnosticRun>,
    stage_name: &dyn Fn(&str) -> String,
) -> Summary {
    let sla_lines = d
        .slas
        .data()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    format!(
                        "{}: {} met of {} due, {} breaches",
                        r.name, r.met_pct_text, r.measured_text, r.breaches_text
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let top_decisions = d
        .decisions
        .data()
        .map(|rows| rows.iter().take(5).map(|r| r.text.clone()).collect())
        .unwrap_or_default();
    Summary {
        alignment: diagnostic.map(alignment),
        headlines: headlines(fig, stage_name),
        headline_basis: headline_basis(fig),
        goal_line: goal_line(&fig.goals),
        sla_lines,
        top_decisions,
        missing: missing_parts(d),
    }
}

/// Names of the parts that had no data, for the executive summary.
fn missing_parts(d: &ReportData) -> Vec<String> {
    let checks = [
        (d.personas.data().is_none(), "personas"),
        (d.definitions.data().is_none(), "lead definitions"),
        (d.slas.data().is_none(), "SLAs"),
        (d.goals.data().is_none(), "goals"),
        (d.impact.data().is_none(), "agreement outcomes"),
        (d.funnel.data().is_none(), "funnel"),
        (d.cohorts.data().is_none(), "cohorts"),
        (d.decisions.data().is_none(), "decisions"),
        (d.actions.data().is_none(), "action items"),
    ];
    checks
        .into_iter()
        .filter(|(missing, _)| *missing)
        .map(|(_, name)| name.to_string())
        .collect()
}
