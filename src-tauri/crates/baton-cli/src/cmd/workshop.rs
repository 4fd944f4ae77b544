//! Workshop commands: people, personas, campaigns, agreements, the diagnostic, action items.

use crate::{output, Ctx};
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::diagnostic::STATEMENTS;
use baton_core::persona::{Criteria, PersonaInput};
use baton_core::workshop::{ActionInput, ActionStatus, SessionInput, Team};
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
    /// Write a new version of a stage's definition (reopens it if it was agreed).
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
    /// Start a diagnostic run: `diagnostic-start "Q2 2026" --date 2026-06-30`.
    DiagnosticStart {
        name: String,
        #[arg(long)]
        date: String,
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
    /// Set an action item's status: open, in_progress or done.
    ActionStatus { id: i64, status: String },
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
        let ws = ctx.open()?;
        match self {
            Command::People => {
                let people = ws.people()?;
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
                let p = ws.add_person(&name, Team::parse(&team)?, &title)?;
                emit(ctx, &p, || {
                    vec![format!("added person {} ({})", p.id, p.name)]
                })
            }
            Command::Personas => {
                let personas = ws.personas()?;
                let matches = ws.persona_matches()?;
                let rows: Vec<_> = personas
                    .iter()
                    .zip(&matches)
                    .map(|(p, m)| json!({"persona": p, "match": m, "criteria_text": p.criteria.describe()}))
                    .collect();
                emit(ctx, &rows, || {
                    personas
                        .iter()
                        .zip(&matches)
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
                let criteria: Criteria = serde_json::from_str(&criteria).map_err(|e| {
                    BatonError::invalid(format!("--criteria is not valid criteria JSON: {e}"))
                })?;
                let p = ws.add_persona(&PersonaInput {
                    name,
                    role,
                    company_size: String::new(),
                    industry: String::new(),
                    statements: Vec::new(),
                    criteria,
                })?;
                emit(ctx, &p, || {
                    vec![format!("added persona {} ({})", p.id, p.name)]
                })
            }
            Command::PersonaSign { persona, person } => {
                let a = ws.sign_persona(persona, person)?;
                emit(ctx, &a, || {
                    vec![if a.agreed {
                        format!(
                            "persona {} is agreed (version {})",
                            a.title, a.versions[0].version
                        )
                    } else {
                        let missing: Vec<_> = a.missing_sides.iter().map(|t| t.as_str()).collect();
                        format!(
                            "signed; persona {} still needs {}",
                            a.title,
                            missing.join(" and ")
                        )
                    }]
                })
            }
            Command::Campaigns => {
                let campaigns = ws.campaigns()?;
                let summary = ws.feedback_summary()?;
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
                let all = ws.agreements()?;
                emit(ctx, &all, || {
                    all.iter()
                        .map(|a| {
                            let v = a.versions.first().map(|v| v.version).unwrap_or(0);
                            let status = if a.agreed {
                                "agreed".to_string()
                            } else {
                                let missing: Vec<_> =
                                    a.missing_sides.iter().map(|t| t.as_str()).collect();
                                format!("open, waiting for {}", missing.join(" and "))
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
            } => {
                let criteria = criteria
                    .as_deref()
                    .map(super::definitions::read_criteria)
                    .transpose()?
                    .unwrap_or_default();
                let subject = Subject::Stage {
                    stage_id: stage.clone(),
                };
                let title = ws
                    .stages()?
                    .into_iter()
                    .find(|s| s.id == stage)
                    .map(|s| s.name)
                    .ok_or_else(|| BatonError::not_found(format!("there is no stage {stage:?}")))?;
                let id = ws.ensure_agreement(&subject, &title)?;
                let a = ws.edit_definition(
                    id,
                    DefinitionContent {
                        summary,
                        fit,
                        intent,
                        thresholds,
                        disqualifiers,
                        reject_reasons,
                        criteria,
                    },
                    None,
                )?;
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
                let version = match version {
                    Some(v) => v,
                    // No version yet: 0 lets the store say there is nothing to sign.
                    None => ws
                        .agreement(agreement)?
                        .versions
                        .first()
                        .map_or(0, |v| v.version),
                };
                let a = ws.sign_off(agreement, person, version)?;
                emit(ctx, &a, || {
                    vec![if a.agreed {
                        format!("{} is agreed (version {})", a.title, a.versions[0].version)
                    } else {
                        let missing: Vec<_> = a.missing_sides.iter().map(|t| t.as_str()).collect();
                        format!("signed; {} still needs {}", a.title, missing.join(" and "))
                    }]
                })
            }
            Command::Diagnostic { run } => {
                let id = match run {
                    Some(id) => id,
                    None => ws.diagnostic_runs()?.first().map(|r| r.id).ok_or_else(|| {
                        BatonError::not_found(
                            "no diagnostic run yet; start one with diagnostic-start",
                        )
                    })?,
                };
                let r = ws.diagnostic_run(id)?;
                emit(ctx, &r, || {
                    let mut lines = vec![format!(
                        "{} ({}): {} answered",
                        r.name,
                        r.date,
                        r.answered.len()
                    )];
                    for t in &r.result.teams {
                        lines.push(format!(
                            "  {:<10} {:.1} {} ({} {})",
                            t.team.as_str(),
                            t.mean_score,
                            t.level.label(),
                            t.respondents,
                            if t.respondents == 1 {
                                "person"
                            } else {
                                "people"
                            }
                        ));
                    }
                    for g in r.result.gaps.iter().take(5) {
                        lines.push(format!("  gap {:+.1} on {}. {}", g.gap, g.number, g.text));
                    }
                    for a in &r.result.proposed_actions {
                        lines.push(format!("  action (statement {}): {}", a.number, a.action));
                    }
                    lines
                })
            }
            Command::DiagnosticStart { name, date } => {
                let id = ws.create_diagnostic_run(&name, &date)?;
                emit(ctx, &json!({"run_id": id}), || {
                    vec![format!("started run {id}")]
                })
            }
            Command::DiagnosticAnswer {
                run,
                person,
                ratings,
            } => {
                ws.answer_diagnostic(run, person, &ratings)?;
                emit(ctx, &json!({"run_id": run, "person_id": person}), || {
                    vec!["answers saved".into()]
                })
            }
            Command::DiagnosticStatements => emit(ctx, &STATEMENTS, || {
                STATEMENTS
                    .iter()
                    .map(|s| format!("{:>2}. [{}] {}", s.number, s.theme, s.text))
                    .collect()
            }),
            Command::DiagnosticTrend => {
                let t = ws.diagnostic_trend()?;
                emit(ctx, &t, || {
                    t.iter()
                        .map(|p| {
                            let teams: Vec<String> = p
                                .teams
                                .iter()
                                .map(|t| format!("{} {:.1}", t.team.as_str(), t.mean_score))
                                .collect();
                            format!("{} {}: {}", p.date, p.name, teams.join(", "))
                        })
                        .collect()
                })
            }
            Command::Actions => {
                let all = ws.actions()?;
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
                let a = ws.add_action(&ActionInput {
                    text,
                    owner_id: owner,
                    due,
                    session_id: None,
                })?;
                emit(ctx, &a, || vec![format!("added action item {}", a.id)])
            }
            Command::ActionStatus { id, status } => {
                let a = ws.set_action_status(id, ActionStatus::parse(&status)?)?;
                emit(ctx, &a, || {
                    vec![format!("action item {} is {}", a.id, a.status.as_str())]
                })
            }
            Command::Sessions => {
                let all = ws.sessions()?;
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
                let id = match session {
                    Some(id) => id,
                    None => {
                        ws.create_session(&SessionInput {
                            title,
                            date: date.unwrap_or_default(),
                            participant_ids: Vec::new(),
                            agenda: Vec::new(),
                        })?
                        .id
                    }
                };
                let s = ws.log_decision(id, &text)?;
                emit(ctx, &s, || {
                    vec![format!("decision logged in session {} ({})", s.id, s.title)]
                })
            }
        }
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

/// JSON when asked for, otherwise the human lines. A closed pipe (`| head`) ends output quietly.
fn emit<T: serde::Serialize>(
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
