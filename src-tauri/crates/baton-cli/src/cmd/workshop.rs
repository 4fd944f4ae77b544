//! Workshop commands: people, personas, campaigns, agreements, the diagnostic, action items.

use crate::{output, Ctx};
use baton_core::agreement::DefinitionContent;
use baton_core::diagnostic::DiagnosticRun;
use baton_core::persona::{Criteria, PersonaInput};
use baton_core::workshop::{ActionInput, ActionStatus, Team};
use baton_core::{BatonError, Result};
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum Command {
    /// List the people (participants) with their teams.
    People,
    /// Add a person: `person-add "Dana Lee" --team sales --title "Head of Sales"`.
    PersonAdd {
        name: String,
        /// sales, marketing, leadership or other.
        #[arg(long)]
        team: String,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// List personas with how many imported records match their criteria.
    Personas,
    /// Add a persona; criteria as JSON, e.g.
    /// `{"all":[{"op":"in","field":"industry","values":["Software"]},{"op":"at_least","field":"company_size","value":50}]}`.
    PersonaAdd {
        name: String,
        #[arg(long, default_value = "")]
        role: String,
        #[arg(long, default_value = "{\"all\":[]}")]
        criteria: String,
    },
    /// Change a persona: only the fields given. Refused (`conflict`) when the persona is
    /// no longer at `--if-version` (its `row_version`), or changed between this command's
    /// read and its write.
    PersonaEdit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        company_size: Option<String>,
        #[arg(long)]
        industry: Option<String>,
        /// Criteria as JSON (as for persona-add).
        #[arg(long)]
        criteria: Option<String>,
        /// The `row_version` this change is based on (from `personas --json`).
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Delete a persona (and its sign-off); `--if-version` as for persona-edit.
    PersonaDelete {
        id: i64,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Sign a persona as it stands, as a sales or marketing person; agreed once both
    /// sides signed (an edit reopens it).
    PersonaSign {
        #[arg(long)]
        persona: i64,
        #[arg(long)]
        person: i64,
    },
    /// Lead definitions, SLA, goal and persona agreements with versions and sign-off status.
    Agreements,
    /// Write a new version of a stage's definition (reopens it if it was agreed); with
    /// `--if-version` refused when it is no longer the latest.
    DefinitionEdit {
        /// Stage id: mql, sql, …
        #[arg(long)]
        stage: String,
        #[arg(long)]
        summary: String,
        /// Fit criteria (repeat or separate with ';').
        #[arg(long, value_delimiter = ';')]
        fit: Vec<String>,
        #[arg(long, value_delimiter = ';')]
        intent: Vec<String>,
        #[arg(long, value_delimiter = ';')]
        thresholds: Vec<String>,
        #[arg(long, value_delimiter = ';')]
        disqualifiers: Vec<String>,
        #[arg(long = "reject-reasons", value_delimiter = ';')]
        reject_reasons: Vec<String>,
        /// Machine criteria to run on the records (JSON; see `definition-check`).
        #[arg(long, value_name = "FILE")]
        criteria: Option<std::path::PathBuf>,
        /// The agreement version this edit is based on (from `agreements --json`; 0: none
        /// yet). Refused (`conflict`) when another version was saved since.
        #[arg(long)]
        if_version: Option<u32>,
    },
    /// Sign a version of an agreement as a person (the latest, unless --version names it;
    /// refused when that version is no longer the latest).
    SignOff {
        #[arg(long)]
        agreement: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        version: Option<u32>,
    },
    /// Campaigns with sales input and feedback, and the good / mixed / poor counts per
    /// campaign and per content or source.
    Campaigns,
    /// The latest diagnostic run's result (or --run ID): levels, gaps, proposed actions.
    Diagnostic {
        #[arg(long)]
        run: Option<i64>,
    },
    /// Start a diagnostic run: `diagnostic-start "Q2 2026" --date 2026-06-30`. The run
    /// is anonymous (team means, never a score next to a name) unless --named.
    DiagnosticStart {
        name: String,
        #[arg(long)]
        date: String,
        /// Show each person's score by name once the run closes (participants are told).
        #[arg(long)]
        named: bool,
    },
    /// Close a run: its results become final and visible.
    DiagnosticClose {
        #[arg(long)]
        run: i64,
    },
    /// Show an open run's anonymous results before it closes (--hide hides them again).
    DiagnosticReveal {
        #[arg(long)]
        run: i64,
        #[arg(long)]
        hide: bool,
    },
    /// Record one person's 20 ratings (1–5, comma-separated).
    DiagnosticAnswer {
        #[arg(long)]
        run: i64,
        #[arg(long)]
        person: i64,
        #[arg(long, value_delimiter = ',')]
        ratings: Vec<u8>,
    },
    /// The diagnostic's 20 statements.
    DiagnosticStatements,
    /// Team means per run, oldest first.
    DiagnosticTrend,
    /// Action items across all sessions.
    Actions,
    /// Add an action item.
    ActionAdd {
        text: String,
        #[arg(long)]
        owner: Option<i64>,
        /// YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
    },
    /// Set an action item's status: open, in_progress or done. Refused (`conflict`) when
    /// the item is no longer at `--if-version` (its `row_version`, from `actions --json`).
    ActionStatus {
        id: i64,
        status: String,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Workshop sessions with decisions and parking lot.
    Sessions,
    /// Log a decision: `decision-add "MQLs need a demo request" --session 1`, or in a
    /// new session: `decision-add "…" --title "Kick-off" --date 2026-11-20`.
    DecisionAdd {
        text: String,
        /// An existing session's id.
        #[arg(long, conflicts_with_all = ["title", "date"])]
        session: Option<i64>,
        /// Title of the new session.
        #[arg(long, default_value = "Workshop")]
        title: String,
        /// Date of the new session, YYYY-MM-DD.
        #[arg(long, required_unless_present = "session")]
        date: Option<String>,
    },
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        let svc = ctx.service()?;
        match self {
            Command::People => {
                let people = svc.people()?;
                emit(ctx, &people, || {
                    people
                        .iter()
                        .map(|p| {
                            format!(
                                "{:>4}  {:<10} {} {}",
                                p.id,
                                p.team.as_str(),
                                p.name,
                                p.title
                            )
                        })
                        .collect()
                })
            }
            Command::PersonAdd { name, team, title } => {
                let p = svc.person_save(None, &name, Team::parse(&team)?, &title, None)?;
                emit(ctx, &p, || {
                    vec![format!("added person {} ({})", p.id, p.name)]
                })
            }
            Command::Personas => {
                let all = svc.personas_with_matches()?;
                let rows: Vec<_> = all
                    .iter()
                    .map(|(p, m)| json!({"persona": p, "match": m, "criteria_text": p.criteria.describe()}))
                    .collect();
                emit(ctx, &rows, || {
                    all.iter()
                        .map(|(p, m)| {
                            format!(
                                "{:>4}  {}: {} leads, {} MQLs, {} customers, conversion {} vs rest {}  [{}]",
                                p.id,
                                p.name,
                                m.leads,
                                m.mqls,
                                m.customers,
                                pct(m.conversion),
                                pct(m.rest_conversion),
                                p.criteria.describe()
                            )
                        })
                        .collect()
                })
            }
            Command::PersonaAdd {
                name,
                role,
                criteria,
            } => {
                let criteria = criteria_arg(&criteria)?;
                let p = svc.persona_save(
                    None,
                    &PersonaInput {
                        name,
                        role,
                        company_size: String::new(),
                        industry: String::new(),
                        statements: Vec::new(),
                        criteria,
                    },
                    None,
                )?;
                emit(ctx, &p, || {
                    vec![format!("added persona {} ({})", p.id, p.name)]
                })
            }
            Command::PersonaEdit {
                id,
                name,
                role,
                company_size,
                industry,
                criteria,
                if_version,
            } => {
                let old = svc.persona(id)?;
                let input = PersonaInput {
                    name: name.unwrap_or(old.name),
                    role: role.unwrap_or(old.role),
                    company_size: company_size.unwrap_or(old.company_size),
                    industry: industry.unwrap_or(old.industry),
                    statements: old.statements,
                    criteria: criteria
                        .as_deref()
                        .map(criteria_arg)
                        .transpose()?
                        .unwrap_or(old.criteria),
                };
                let seen = if_version.or(Some(old.row_version));
                let p = svc.persona_save(Some(id), &input, seen)?;
                emit(ctx, &p, || {
                    vec![format!(
                        "changed persona {} ({}), now at version {}",
                        p.id, p.name, p.row_version
                    )]
                })
            }
            Command::PersonaDelete { id, if_version } => {
                svc.persona_delete(id, if_version)?;
                emit(ctx, &json!({ "deleted": id }), || {
                    vec![format!("deleted persona {id}")]
                })
            }
            Command::PersonaSign { persona, person } => {
                let a = svc.persona_sign(persona, person)?;
                emit(ctx, &a, || {
                    vec![if a.agreed {
                        format!(
                            "persona {} is agreed (version {})",
                            a.title, a.versions[0].version
                        )
                    } else {
                        format!("signed; persona {} still needs {}", a.title, missing(&a))
                    }]
                })
            }
            Command::Campaigns => {
                let campaigns = svc.campaigns()?;
                let summary = svc.feedback_summary()?;
                let value = json!({"campaigns": campaigns, "summary": summary});
                emit(ctx, &value, || {
                    let mut lines: Vec<String> = campaigns
                        .iter()
                        .map(|c| {
                            format!(
                                "{:>4}  {} [{}] {} feedback; sales input: {}",
                                c.id,
                                c.name,
                                c.channel,
                                c.feedback.len(),
                                c.sales_input
                            )
                        })
                        .collect();
                    for (title, rows) in [
                        ("per campaign", &summary.by_campaign),
                        ("per content or source", &summary.by_about),
                    ] {
                        lines.push(format!("lead quality {title}:"));
                        lines.extend(rows.iter().map(|r| {
                            format!(
                                "  {}: {} good, {} mixed, {} poor",
                                r.key, r.good, r.mixed, r.poor
                            )
                        }));
                    }
                    lines
                })
            }
            Command::Agreements => {
                let all = svc.agreements()?;
                emit(ctx, &all, || {
                    all.iter()
                        .map(|a| {
                            let v = a.versions.first().map(|v| v.version).unwrap_or(0);
                            let status = if a.agreed {
                                "agreed".to_string()
                            } else {
                                format!("open, waiting for {}", missing(a))
                            };
                            format!(
                                "{:>4}  {} ({}) v{v}: {status}",
                                a.id,
                                a.title,
                                a.subject.key()
                            )
                        })
                        .collect()
                })
            }
            Command::DefinitionEdit {
                stage,
                summary,
                fit,
                intent,
                thresholds,
                disqualifiers,
                reject_reasons,
                criteria,
                if_version,
            } => {
                let criteria = criteria
                    .as_deref()
                    .map(super::definitions::read_criteria)
                    .transpose()?
                    .unwrap_or_default();
                let content = DefinitionContent {
                    summary,
                    fit,
                    intent,
                    thresholds,
                    disqualifiers,
                    reject_reasons,
                    criteria,
                };
                let a = svc.stage_definition_edit(&stage, content, if_version)?;
                emit(ctx, &a, || {
                    vec![format!(
                        "agreement {}: version {} saved, waiting for sales and marketing sign-off",
                        a.id, a.versions[0].version
                    )]
                })
            }
            Command::SignOff {
                agreement,
                person,
                version,
            } => {
                let a = svc.sign_off(agreement, person, version)?;
                emit(ctx, &a, || {
                    vec![if a.agreed {
                        format!("{} is agreed (version {})", a.title, a.versions[0].version)
                    } else {
                        format!("signed; {} still needs {}", a.title, missing(&a))
                    }]
                })
            }
            Command::Diagnostic { run } => {
                let r = svc.diagnostic_run(run)?;
                emit(ctx, &r, || describe_run(&r))
            }
            Command::DiagnosticStart { name, date, named } => {
                let r = svc.diagnostic_start(&name, &date, named)?;
                emit(ctx, &json!({"run_id": r.id, "named": r.named}), || {
                    vec![format!(
                        "started run {} ({})",
                        r.id,
                        if r.named {
                            "named results: each person's score shows by name once closed"
                        } else {
                            "anonymous: team means only, never a score next to a name"
                        }
                    )]
                })
            }
            Command::DiagnosticAnswer {
                run,
                person,
                ratings,
            } => {
                svc.diagnostic_answer(run, person, &ratings)?;
                emit(ctx, &json!({"run_id": run, "person_id": person}), || {
                    vec!["answers saved".into()]
                })
            }
            Command::DiagnosticClose { run } => {
                let r = svc.diagnostic_close(run)?;
                emit(ctx, &r, || describe_run(&r))
            }
            Command::DiagnosticReveal { run, hide } => {
                let r = svc.diagnostic_reveal(run, !hide)?;
                emit(ctx, &r, || describe_run(&r))
            }
            Command::DiagnosticStatements => {
                let all = svc.diagnostic_statements();
                emit(ctx, &all, || {
                    all.iter()
                        .map(|s| format!("{:>2}. [{}] {}", s.number, s.theme, s.text))
                        .collect()
                })
            }
            Command::DiagnosticTrend => {
                let t = svc.diagnostic_trend()?;
                emit(ctx, &t, || {
                    t.iter()
                        .map(|p| {
                            let teams: Vec<String> = p
                                .teams
                                .iter()
                                .map(|t| format!("{} {}", t.team.as_str(), mean_text(t.mean_score)))
                                .collect();
                            format!("{} {}: {}", p.date, p.name, teams.join(", "))
                        })
                        .collect()
                })
            }
            Command::Actions => {
                let all = svc.actions()?;
                emit(ctx, &all, || {
                    all.iter()
                        .map(|a| {
                            format!(
                                "{:>4}  [{}] {} (owner: {}, due: {}{})",
                                a.id,
                                a.status.as_str(),
                                a.text,
                                a.owner_name.as_deref().unwrap_or("nobody"),
                                a.due.as_deref().unwrap_or("no date"),
                                if a.overdue { ", OVERDUE" } else { "" }
                            )
                        })
                        .collect()
                })
            }
            Command::ActionAdd { text, owner, due } => {
                let a = svc.action_add(&ActionInput {
                    text,
                    owner_id: owner,
                    due,
                    session_id: None,
                })?;
                emit(ctx, &a, || vec![format!("added action item {}", a.id)])
            }
            Command::ActionStatus {
                id,
                status,
                if_version,
            } => {
                let a = svc.action_status(id, ActionStatus::parse(&status)?, if_version)?;
                emit(ctx, &a, || {
                    vec![format!("action item {} is {}", a.id, a.status.as_str())]
                })
            }
            Command::Sessions => {
                let all = svc.sessions()?;
                emit(ctx, &all, || {
                    all.iter()
                        .map(|s| {
                            format!(
                                "{:>4}  {} {}: {} decisions, {} parked",
                                s.id,
                                s.date,
                                s.title,
                                s.decisions.len(),
                                s.parking_lot.len()
                            )
                        })
                        .collect()
                })
            }
            Command::DecisionAdd {
                text,
                session,
                title,
                date,
            } => {
                let s = match session {
                    Some(id) => svc.log_decision(id, &text)?,
                    None => svc.log_decision_in_new_session(
                        &title,
                        date.as_deref().unwrap_or_default(),
                        &text,
                    )?,
                };
                emit(ctx, &s, || {
                    vec![format!("decision logged in session {} ({})", s.id, s.title)]
                })
            }
        }
    }
}

fn missing(a: &baton_core::agreement::Agreement) -> String {
    let sides: Vec<_> = a.missing_sides.iter().map(|t| t.as_str()).collect();
    sides.join(" and ")
}

fn mean_text(m: Option<f64>) -> String {
    m.map_or_else(|| "—".into(), |m| format!("{m:.1}"))
}

/// A run as the service discloses it: who answered, then (once shown) team means,
/// gaps and proposed actions, and each person's score only for a closed named run.
fn describe_run(r: &DiagnosticRun) -> Vec<String> {
    let mut lines = vec![format!(
        "{} ({}, {}, {}): {} answered",
        r.name,
        r.date,
        if r.closed { "closed" } else { "open" },
        if r.named {
            "named results"
        } else {
            "anonymous"
        },
        r.answered.len()
    )];
    let Some(res) = &r.result else {
        lines.push("  results stay hidden until the run closes".into());
        return lines;
    };
    for t in &res.teams {
        let n = format!(
            "{} {}",
            t.respondents,
            if t.respondents == 1 {
                "person"
            } else {
                "people"
            }
        );
        lines.push(match (t.mean_score, t.level) {
            (Some(m), Some(l)) => format!("  {:<10} {m:.1} {} ({n})", t.team.as_str(), l.label()),
            _ => format!(
                "  {:<10} mean not shown ({n}; an anonymous run needs two answers)",
                t.team.as_str()
            ),
        });
    }
    for p in &res.people {
        lines.push(format!("  {} ({}): {}", p.name, p.team.as_str(), p.score));
    }
    for g in res.gaps.iter().take(5) {
        lines.push(format!("  gap {:+.1} on {}. {}", g.gap, g.number, g.text));
    }
    for a in &res.proposed_actions {
        lines.push(format!("  action (statement {}): {}", a.number, a.action));
    }
    lines
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

/// JSON when asked for, otherwise the human lines. A closed pipe (`| head`) ends output quietly.
pub(crate) fn emit<T: serde::Serialize>(
    ctx: &Ctx,
    value: &T,
    lines: impl FnOnce() -> Vec<String>,
) -> Result<()> {
    if ctx.json {
        return output::print_json(value);
    }
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for l in lines() {
        if let Err(e) = writeln!(out, "{l}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(BatonError::io("writing to stdout", e));
        }
    }
    Ok(())
}

/// `--criteria` JSON as criteria.
fn criteria_arg(json: &str) -> Result<Criteria> {
    serde_json::from_str(json)
        .map_err(|e| BatonError::invalid(format!("--criteria is not valid criteria JSON: {e}")))
}
