//! The CSV exports: one [`Table`] per file. Numbers are written plain (no
//! thousands separator, `.` for decimals, percentages as `12.5` in `_pct`
//! columns) so spreadsheets read them as numbers.

use crate::csv_out::{write_tables, CsvOptions, Table};
use crate::gather::{figures, Figures};
use crate::model::*;
use crate::period::{date_text, Period};
use baton_core::diagnostic::DiagnosticRun;
use baton_core::Result;
use baton_metrics::funnel::StageFigures;
use baton_metrics::FunnelQuery;
use baton_store::prelude::*;
use baton_store::ImportInfo;
use std::path::{Path, PathBuf};

/// The names of the files `export_workspace` writes, in order.
pub const FILES: [&str; 12] = [
    "funnel",
    "velocity",
    "sla_compliance",
    "sla_breaches",
    "goals",
    "agreement_impact",
    "action_items",
    "personas",
    "diagnostic_teams",
    "diagnostic_statements",
    "rejected_rows",
    "decisions",
];

/// A number for a spreadsheet: no thousands separator, at most 2 decimals.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn opt_number(x: Option<f64>) -> String {
    x.map(number).unwrap_or_default()
}

fn opt_pct(x: Option<f64>) -> String {
    x.map(|f| number(f * 100.0)).unwrap_or_default()
}

fn rows_of<T>(part: &Part<Vec<T>>) -> &[T] {
    part.data().map(Vec::as_slice).unwrap_or(&[])
}

pub fn personas(d: &ReportData) -> Table {
    let mut t = Table::new(
        "personas",
        &[
            "persona",
            "summary",
            "criteria",
            "matching_records",
            "agreed",
            "sign_off",
        ],
    );
    for p in rows_of(&d.personas) {
        t.push(vec![
            p.name.clone(),
            p.summary.clone(),
            p.criteria.join("; "),
            p.matching_records
                .map(|n| n.to_string())
                .unwrap_or_default(),
            if p.agreed { "yes" } else { "no" }.into(),
            p.status.clone(),
        ]);
    }
    t
}

pub fn goals(d: &ReportData) -> Table {
    let mut t = Table::new(
        "goals",
        &["goal", "target", "actual", "attainment_pct", "status"],
    );
    for g in rows_of(&d.goals) {
        t.push(vec![
            g.metric.clone(),
            number(g.target),
            number(g.actual),
            opt_pct(g.attainment),
            g.status_text.clone(),
        ]);
    }
    t
}

/// Before/after figures of every agreement, one row per figure, numbers as numbers
/// (shares as fractions 0–1, medians in the unit named).
pub fn agreement_impact(ws: &dyn WorkspaceData, fig: &Figures) -> Result<Table> {
    use baton_metrics::impact::{impact, FigureUnit, ImpactInput, DEFAULT_WINDOW_DAYS};
    let mut t = Table::new(
        "agreement_impact",
        &[
            "agreement_id",
            "agreement",
            "version",
            "agreed_on",
            "window_days",
            "figure",
            "unit",
            "before_n",
            "before_value",
            "before_low",
            "before_high",
            "after_n",
            "after_value",
            "after_low",
            "after_high",
            "intervals_overlap",
        ],
    );
    let r = impact(
        &fig.dataset,
        &ImpactInput {
            agreements: &ws.agreements()?,
            clauses: &fig.clauses,
            goals: &ws.goals()?,
            hours: &ws.business_hours()?,
            window_days: DEFAULT_WINDOW_DAYS,
        },
    )?;
    let num = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
    for a in &r.agreements {
        for f in &a.figures {
            t.push(vec![
                a.agreement_id.to_string(),
                a.title.clone(),
                a.version.to_string(),
                crate::period::date_text(a.agreed_at),
                r.window_days.to_string(),
                f.label.clone(),
                match f.unit {
                    FigureUnit::Share => "share",
                    FigureUnit::Days => "days",
                    FigureUnit::Hours => "hours",
                }
                .into(),
                f.before.n.to_string(),
                num(f.before.value),
                num(f.before.low),
                num(f.before.high),
                f.after.n.to_string(),
                num(f.after.value),
                num(f.after.low),
                num(f.after.high),
                f.intervals_overlap
                    .map(|o| if o { "yes" } else { "no" }.to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    Ok(t)
}

pub fn action_items(d: &ReportData) -> Table {
    let mut t = Table::new("action_items", &["action", "owner", "due", "status"]);
    for a in rows_of(&d.actions) {
        t.push(vec![
            a.what.clone(),
            a.owner.clone(),
            a.due.clone(),
            a.status.clone(),
        ]);
    }
    t
}

pub fn decisions(d: &ReportData) -> Table {
    let mut t = Table::new("decisions", &["date", "decision"]);
    for r in rows_of(&d.decisions) {
        t.push(vec![r.decided_on.clone(), r.text.clone()]);
    }
    t
}

/// One row per stage; an untracked stage has `tracked` = no and an empty `reached`.
fn push_stages(
    t: &mut Table,
    (breakdown, group, records): (&str, &str, u64),
    stages: &[StageFigures],
    counting: &str,
) {
    for s in stages {
        t.push(vec![
            breakdown.into(),
            group.into(),
            records.to_string(),
            s.id.clone(),
            s.name.clone(),
            if s.tracked { "yes" } else { "no" }.into(),
            s.reached.map(|n| n.to_string()).unwrap_or_default(),
            s.tracked_records.to_string(),
            opt_pct(s.pct_of_first),
            s.previous.clone().unwrap_or_default(),
            opt_pct(s.pct_of_previous),
            s.drop_off.to_string(),
            s.skipped.to_string(),
            counting.into(),
        ]);
    }
}

/// The funnel overall (`breakdown` = `all`), then by source, segment and owner.
pub fn funnel(fig: &Figures) -> Result<Table> {
    let mut t = Table::new(
        "funnel",
        &[
            "breakdown",
            "group",
            "records",
            "stage_id",
            "stage",
            "tracked",
            "reached",
            "tracked_records",
            "pct_of_first",
            "previous_stage",
            "pct_of_previous",
            "drop_off",
            "skipped",
            "counting",
        ],
    );
    let counting = fig.funnel.counting_text.as_str();
    push_stages(
        &mut t,
        ("all", "all", fig.funnel.records),
        &fig.funnel.stages,
        counting,
    );
    for by in ["source", "segment", "owner"] {
        if fig.dataset.column_index(by).is_none() {
            continue;
        }
        let r = baton_metrics::funnel(
            &fig.dataset,
            &FunnelQuery {
                filters: fig.filters.clone(),
                by: Some(by.into()),
                trend: None,
                counting: fig.funnel.counting,
            },
        )?;
        for g in &r.groups {
            push_stages(&mut t, (by, &g.key, g.records), &g.stages, counting);
        }
    }
    Ok(t)
}

/// Time between consecutive stages (and first to last), overall.
pub fn velocity(fig: &Figures) -> Result<Table> {
    let mut t = Table::new(
        "velocity",
        &[
            "from",
            "to",
            "records",
            "median_days",
            "p90_days",
            "backward_excluded",
        ],
    );
    for v in baton_metrics::velocity_steps(&fig.dataset, &fig.filters)? {
        t.push(vec![
            v.from.clone(),
            v.to.clone(),
            v.n.to_string(),
            opt_number(v.median_days),
            opt_number(v.p90_days),
            v.backward_excluded.to_string(),
        ]);
    }
    Ok(t)
}

/// Per clause: overall, by owner and by source.
pub fn sla_compliance(fig: &Figures) -> Table {
    let mut t = Table::new(
        "sla_compliance",
        &[
            "clause",
            "breakdown",
            "group",
            "due",
            "met",
            "breaches",
            "pct_met",
        ],
    );
    for r in &fig.slas {
        t.push(vec![
            r.name.clone(),
            "all".into(),
            "all".into(),
            r.due.to_string(),
            r.met.to_string(),
            (r.breached + r.open_late).to_string(),
            opt_pct(r.pct_met),
        ]);
        for (by, groups) in [("owner", &r.by_owner), ("source", &r.by_source)] {
            for g in groups {
                t.push(vec![
                    r.name.clone(),
                    by.into(),
                    g.key.clone(),
                    g.due.to_string(),
                    g.met.to_string(),
                    g.breaches.to_string(),
                    opt_pct(g.pct_met),
                ]);
            }
        }
    }
    t
}

/// Records still unanswered past the allowed time, oldest first, per clause.
/// Every breach of every clause — answered late and still open & late, no cap — over
/// the records the period's SLA compliance counts (clock started in the period).
pub fn sla_breaches(fig: &Figures, hours: &baton_core::sla::BusinessHours) -> Table {
    let mut t = Table::new(
        "sla_breaches",
        &[
            "clause",
            "record",
            "owner",
            "source",
            "clock_started",
            "clock_stopped",
            "elapsed_hours",
            "status",
        ],
    );
    let started = fig.period.start.zip(fig.period.end);
    let all = baton_metrics::Filters::default();
    for c in &fig.clauses {
        // A clause that cannot be computed has no breaches to list.
        let Ok(breaches) = baton_metrics::sla_breaches(&fig.dataset, c, hours, &all, started)
        else {
            continue;
        };
        for b in breaches {
            t.push(vec![
                c.name.clone(),
                b.external_id,
                b.owner.unwrap_or_default(),
                b.source.unwrap_or_default(),
                date_text(b.started),
                b.stopped.map(date_text).unwrap_or_default(),
                number(b.elapsed_hours),
                b.status.as_str().into(),
            ]);
        }
    }
    t
}

fn latest_run(ws: &dyn WorkspaceData) -> Result<Option<DiagnosticRun>> {
    Ok(ws
        .diagnostic_runs()?
        .into_iter()
        .filter(|r| r.result.as_ref().is_some_and(|x| !x.teams.is_empty()))
        .max_by(|a, b| (a.closed, &a.date, a.id).cmp(&(b.closed, &b.date, b.id))))
}

pub fn diagnostic_teams(run: Option<&DiagnosticRun>) -> Table {
    let mut t = Table::new(
        "diagnostic_teams",
        &["run", "date", "team", "respondents", "mean_score", "level"],
    );
    if let Some((r, res)) = run.and_then(|r| Some((r, r.result.as_ref()?))) {
        for s in &res.teams {
            t.push(vec![
                r.name.clone(),
                r.date.clone(),
                s.team.as_str().into(),
                s.respondents.to_string(),
                s.mean_score.map(number).unwrap_or_default(),
                s.level.map(|l| l.label().into()).unwrap_or_default(),
            ]);
        }
    }
    t
}

pub fn diagnostic_statements(run: Option<&DiagnosticRun>) -> Table {
    let mut t = Table::new(
        "diagnostic_statements",
        &[
            "run",
            "number",
            "theme",
            "statement",
            "sales_mean",
            "marketing_mean",
            "gap",
        ],
    );
    if let Some((r, res)) = run.and_then(|r| Some((r, r.result.as_ref()?))) {
        for g in &res.gaps {
            t.push(vec![
                r.name.clone(),
                g.number.to_string(),
                g.theme.clone(),
                g.text.clone(),
                number(g.sales_mean),
                number(g.marketing_mean),
                number(g.gap),
            ]);
        }
    }
    t
}

fn rejected_table() -> Table {
    Table::new(
        "rejected_rows",
        &[
            "import", "file", "row", "column", "value", "reason", "raw_row",
        ],
    )
}

fn push_rejects(ws: &dyn WorkspaceData, t: &mut Table, import: &ImportInfo) -> Result<()> {
    for r in ws.import_rejects(import.id)? {
        t.push(vec![
            import.id.to_string(),
            import.file_name.clone(),
            r.row_number.to_string(),
            r.column.unwrap_or_default(),
            r.value.unwrap_or_default(),
            r.reason,
            r.raw.join(" | "),
        ]);
    }
    Ok(())
}

/// Rows of live (not undone) imports that could not be read, with why.
pub fn rejected_rows(ws: &dyn WorkspaceData) -> Result<Table> {
    let mut t = rejected_table();
    for i in ws.imports()?.into_iter().filter(|i| i.undone_at.is_none()) {
        if i.rejected > 0 {
            push_rejects(ws, &mut t, &i)?;
        }
    }
    Ok(t)
}

/// The rows one import (undone or not) could not read, in the same columns as
/// `rejected_rows.csv`: what `baton import-rejects ID` and the Imports screen write.
pub fn import_rejected_rows(ws: &dyn WorkspaceData, import_id: i64) -> Result<Table> {
    let mut t = rejected_table();
    push_rejects(ws, &mut t, &ws.import(import_id)?)?;
    Ok(t)
}

/// Tables built from report data alone (used by the tests on hand-made data).
pub fn tables(d: &ReportData) -> Vec<Table> {
    vec![goals(d), action_items(d), personas(d), decisions(d)]
}

/// Every export of a workspace for `period`, in [`FILES`] order.
pub fn workspace_tables(ws: &dyn WorkspaceData, period: &str) -> Result<Vec<Table>> {
    let request = crate::ReportRequest {
        period: period.into(),
        ..Default::default()
    };
    let fig = figures(ws, Period::parse(period)?)?;
    let data = crate::gather::report_data_with(ws, &request, crate::today(), &fig)?;
    let run = latest_run(ws)?;
    Ok(vec![
        funnel(&fig)?,
        velocity(&fig)?,
        sla_compliance(&fig),
        sla_breaches(&fig, &ws.business_hours()?),
        goals(&data),
        agreement_impact(ws, &fig)?,
        action_items(&data),
        personas(&data),
        diagnostic_teams(run.as_ref()),
        diagnostic_statements(run.as_ref()),
        rejected_rows(ws)?,
        decisions(&data),
    ])
}

/// Gather the workspace's data for `period` and write every export into `dir`.
pub fn export_workspace(
    ws: &dyn WorkspaceData,
    period: &str,
    dir: &Path,
    opts: &CsvOptions,
) -> Result<Vec<PathBuf>> {
    write_tables(&workspace_tables(ws, period)?, dir, opts)
}

#[cfg(test)]
mod sla_breaches_tests {
    use super::*;

    #[test]
    fn every_breach_of_a_clause_is_a_row_with_its_status() {
        let dir = tempfile::tempdir().unwrap();
        let ws = baton_demo::create_demo(&dir.path().join("demo.baton")).unwrap();
        let fig = figures(&ws, Period::all()).unwrap();
        let t = sla_breaches(&fig, &ws.business_hours().unwrap());
        let status = t.headers.iter().position(|h| h == "status").unwrap();
        assert!(!fig.slas.is_empty());
        for r in &fig.slas {
            let rows: Vec<&Vec<String>> = t.rows.iter().filter(|row| row[0] == r.name).collect();
            assert_eq!(rows.len() as u64, r.breached + r.open_late, "{}", r.name);
            let late = rows
                .iter()
                .filter(|row| row[status] == "answered_late")
                .count();
            assert_eq!(late as u64, r.breached, "{}", r.name);
        }
        assert!(
            t.rows.len() > 200,
            "not capped like the report's open list ({} rows)",
            t.rows.len()
        );
    }
}
