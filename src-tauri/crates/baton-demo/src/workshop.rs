//! The demo company's workshop material: its people, two personas whose criteria
//! match the shipped records, an agreed MQL definition, an SQL definition still
//! waiting for marketing, an agreed SLA clause, two closed diagnostic runs,
//! campaigns with sales' feedback, and a first session with open action items.

use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::definition::DefinitionCriteria;
use baton_core::persona::{Basis, CanvasSection, Condition, Criteria, PersonaInput, Statement};
use baton_core::workshop::{ActionInput, AgendaBlock, LeadQuality, Person, SessionInput, Team};
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::Workspace;

fn st(section: CanvasSection, text: &str, source: Option<&str>) -> Statement {
    Statement {
        section,
        text: text.into(),
        basis: if source.is_some() {
            Basis::Evidence
        } else {
            Basis::Assumption
        },
        source: source.map(str::to_string),
    }
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// When the demo's MQL definition and first SLA were agreed: a workshop eight months
/// before the export, 2 March 2026 at 10:00 (wall clock).
pub fn spring_workshop() -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a valid date")
        .and_utc()
        .timestamp()
}

pub fn add_demo_workshop(ws: &mut Workspace) -> Result<()> {
    let dana = ws.add_person("Dana Whitfield", Team::Sales, "VP Sales")?;
    let priya = ws.add_person("Priya Nair", Team::Sales, "Account Executive")?;
    let marta = ws.add_person("Marta Lindqvist", Team::Marketing, "Head of Marketing")?;
    let leo = ws.add_person("Leo Fontaine", Team::Marketing, "Marketing Operations")?;
    let sofia = ws.add_person("Sofia Brandt", Team::Leadership, "CEO")?;

    let cfo = ws.add_persona(&PersonaInput {
        name: "Operations-minded CFO".into(),
        role: "CFO / Head of Finance".into(),
        company_size: "200+ employees".into(),
        industry: "Manufacturing, logistics".into(),
        statements: vec![
            st(
                CanvasSection::Goals,
                "Close the month in days, not weeks",
                Some("6 customer interviews, Q2 2026"),
            ),
            st(
                CanvasSection::Pains,
                "Margin by product line lives in five spreadsheets",
                Some("Win/loss calls"),
            ),
            st(
                CanvasSection::BuyingTriggers,
                "A new ERP roll-out or an acquisition",
                None,
            ),
            st(
                CanvasSection::Objections,
                "\"Our IT team has no time for another integration\"",
                Some("Lost reason: Missing integration"),
            ),
            st(
                CanvasSection::BuyingCommitteeRole,
                "Economic buyer; the controller runs the evaluation",
                None,
            ),
            st(
                CanvasSection::Channels,
                "Finance peer groups and LinkedIn",
                None,
            ),
            st(
                CanvasSection::Content,
                "ROI calculator with their own cost figures",
                None,
            ),
            st(
                CanvasSection::Quotes,
                "I need one number the board will not argue with.",
                Some("Interview, Monarch GmbH"),
            ),
        ],
        criteria: Criteria {
            all: vec![
                Condition::In {
                    field: "industry".into(),
                    values: lines(&["Manufacturing", "Logistics and Supply Chain"]),
                },
                Condition::AtLeast {
                    field: "company_size".into(),
                    value: 200.0,
                },
            ],
        },
    })?;
    let data_lead = ws.add_persona(&PersonaInput {
        name: "Data lead in a regulated business".into(),
        role: "BI lead / Data analyst".into(),
        company_size: "Mid-market and enterprise".into(),
        industry: "Financial services, software".into(),
        statements: vec![
            st(
                CanvasSection::Goals,
                "Self-service dashboards the business actually uses",
                None,
            ),
            st(
                CanvasSection::Pains,
                "Every audit means rebuilding the same reports by hand",
                Some("Support tickets, 2026"),
            ),
            st(
                CanvasSection::Channels,
                "Webinars and technical blog posts",
                Some("Original source of won deals"),
            ),
            st(
                CanvasSection::Objections,
                "Worried about data residency",
                None,
            ),
        ],
        criteria: Criteria {
            all: vec![
                Condition::In {
                    field: "industry".into(),
                    values: lines(&["Financial Services", "Computer Software"]),
                },
                Condition::NotIn {
                    field: "segment".into(),
                    values: lines(&["SMB"]),
                },
            ],
        },
    })?;
    // Both sides signed the CFO persona; sales has not signed the data lead yet.
    ws.sign_persona(cfo.id, marta.id)?;
    ws.sign_persona(cfo.id, dana.id)?;
    ws.sign_persona(data_lead.id, leo.id)?;

    let mql = ws.ensure_agreement(
        &Subject::Stage {
            stage_id: "mql".into(),
        },
        "Marketing Qualified Lead (mql)",
    )?;
    ws.edit_definition(
        mql,
        DefinitionContent {
            summary: "A lead from a company we can serve that showed buying intent".into(),
            fit: lines(&["50+ employees", "Industry we serve", "Europe"]),
            intent: lines(&[
                "Requested a demo or pricing",
                "Attended a webinar and visited pricing",
            ]),
            thresholds: lines(&["Lead score ≥ 60"]),
            disqualifiers: lines(&["Students and job seekers", "Competitors"]),
            reject_reasons: lines(&["No budget", "Bad timing", "Wrong contact", "Not a fit"]),
            // The fit criteria as the room can run them on the records.
            criteria: DefinitionCriteria {
                all: vec![Condition::AtLeast {
                    field: "company_size".into(),
                    value: 50.0,
                }],
                disqualifiers: vec![Condition::In {
                    field: "country".into(),
                    values: vec!["United States".into()],
                }],
            },
        },
        Some("Marta Lindqvist"),
    )?;
    ws.sign_off(mql, marta.id, 1)?;
    ws.sign_off(mql, dana.id, 1)?;
    // Agreed at the spring workshop, so "did the agreement work?" has both sides to show.
    ws.date_agreement(mql, spring_workshop())?;

    let sql = ws.ensure_agreement(
        &Subject::Stage {
            stage_id: "sql".into(),
        },
        "Sales Qualified Lead (sql)",
    )?;
    ws.edit_definition(
        sql,
        DefinitionContent {
            summary: "Sales confirmed need, budget holder and a timeline within two quarters"
                .into(),
            fit: lines(&["Decision maker or direct report in the call"]),
            intent: lines(&["Discovery call held", "Agreed next step in the calendar"]),
            ..Default::default()
        },
        Some("Dana Whitfield"),
    )?;
    ws.sign_off(sql, priya.id, 1)?;

    // The first SLA clause of the demo goals, agreed with its terms.
    if let Some(clause) = ws.sla_clauses()?.into_iter().next() {
        let subject = Subject::SlaClause {
            clause_id: clause.id,
        };
        let id = ws.ensure_agreement(&subject, &clause.name)?;
        ws.edit_definition(
            id,
            DefinitionContent {
                summary: "Every MQL gets a first call or a personal email from sales in time"
                    .into(),
                fit: lines(&["Every MQL, inbound and event leads alike"]),
                intent: lines(&["A logged call or a personal email in the CRM"]),
                thresholds: lines(&["Reviewed monthly: % met, median and 95th percentile"]),
                disqualifiers: lines(&["Leads marked as students or competitors"]),
                reject_reasons: lines(&["Misses are discussed in the weekly pipeline meeting"]),
                ..Default::default()
            },
            Some("Dana Whitfield"),
        )?;
        ws.sign_off(id, dana.id, 1)?;
        ws.sign_off(id, marta.id, 1)?;
        ws.date_agreement(id, spring_workshop())?;
    }

    add_demo_diagnostic(ws, &[&dana, &priya, &marta, &leo, &sofia])?;
    add_demo_campaigns(ws, &dana, &priya)?;

    let session = ws.create_session(&SessionInput {
        title: "Q4 alignment kick-off".into(),
        date: "2026-10-06".into(),
        participant_ids: vec![dana.id, priya.id, marta.id, leo.id],
        agenda: vec![
            AgendaBlock {
                title: "Where we stand".into(),
                minutes: 20,
            },
            AgendaBlock {
                title: "Personas against the CRM".into(),
                minutes: 45,
            },
            AgendaBlock {
                title: "MQL and SQL definitions".into(),
                minutes: 45,
            },
            AgendaBlock {
                title: "Owners and dates".into(),
                minutes: 15,
            },
        ],
    })?;
    ws.log_decision(
        session.id,
        "MQL definition v1 agreed; reviewed again in January",
    )?;
    ws.park_topic(session.id, "Do partner referrals skip the MQL stage?")?;
    ws.add_action(&ActionInput {
        text: "Add reject reason codes as a required field in HubSpot".into(),
        owner_id: Some(leo.id),
        due: Some("2026-10-20".into()),
        session_id: Some(session.id),
    })?;
    ws.add_action(&ActionInput {
        text: "Review the SQL definition with the marketing team and sign it off".into(),
        owner_id: Some(marta.id),
        due: Some("2026-11-15".into()),
        session_id: Some(session.id),
    })?;
    Ok(())
}

/// Two closed, anonymous quarterly runs. Sales rates the relationship higher than marketing does
/// (the usual finding), most of all on follow-up and shared metrics; the second run,
/// after the MQL definition was agreed, is higher on the common-language statements.
fn add_demo_diagnostic(ws: &mut Workspace, people: &[&Person]) -> Result<()> {
    for (name, date, lift) in [("Q2 2026", "2026-06-30", 0u8), ("Q3 2026", "2026-09-30", 1)] {
        let run = ws.create_diagnostic_run(name, date, false)?;
        for (k, p) in people.iter().enumerate() {
            let ratings: Vec<u8> = (0..20u8)
                .map(|i| {
                    let base: u8 = match p.team {
                        Team::Sales => 3,
                        Team::Marketing => 2,
                        _ => 3,
                    };
                    // Statements 5, 6, 11 and 13 (metrics, feedback, follow-up): sales +1.
                    let sales_view = u8::from(p.team == Team::Sales && [4, 5, 10, 12].contains(&i));
                    // Statements 3 and 4 (a common language) improve after the workshop.
                    let learned = if [2, 3].contains(&i) { lift } else { 0 };
                    let spread = (i as usize * 7 + k * 3) % 3; // 0, 1 or 2 → −1, 0, +1
                    (base + sales_view + learned + spread as u8)
                        .saturating_sub(1)
                        .clamp(1, 5)
                })
                .collect();
            ws.answer_diagnostic(run, p.id, &ratings)?;
        }
        ws.close_diagnostic_run(run)?;
    }
    Ok(())
}

/// A campaign planned with sales input and rated by sales afterwards.
fn add_demo_campaigns(ws: &mut Workspace, dana: &Person, priya: &Person) -> Result<()> {
    let cfo = ws.personas()?.first().map(|p| p.id);
    let webinar = ws.save_campaign(
        "Finance close webinar series",
        cfo,
        "Webinar",
        "Target CFOs at 200+ employee manufacturers; two AEs keep Thursday afternoons free for follow-up",
    )?;
    let ads = ws.save_campaign(
        "ROI calculator paid social",
        cfo,
        "Paid social",
        "No more than 40 MQLs a month: that is what the team can call within a day",
    )?;
    for (campaign, who, quality, about, note) in [
        (
            webinar.id,
            dana,
            LeadQuality::Good,
            "ROI calculator",
            "Came with their own cost figures",
        ),
        (
            webinar.id,
            priya,
            LeadQuality::Good,
            "Webinar replay",
            "Asked for a pilot",
        ),
        (
            webinar.id,
            priya,
            LeadQuality::Mixed,
            "Webinar replay",
            "Right people, no budget this year",
        ),
        (
            ads.id,
            dana,
            LeadQuality::Poor,
            "Carousel ad",
            "Students and consultants",
        ),
        (
            ads.id,
            priya,
            LeadQuality::Good,
            "ROI calculator",
            "Controller, evaluation already started",
        ),
    ] {
        ws.add_lead_feedback(campaign, Some(who.id), quality, about, note)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{create_demo, FILES};
    use baton_store::prelude::*;

    /// The personas' criteria run on the records imported from the shipped CSV: the
    /// counts equal what a plain read of the same CSV gives.
    #[test]
    fn demo_personas_match_the_imported_records() {
        let dir = tempfile::tempdir().unwrap();
        let ws = create_demo(&dir.path().join("demo.baton")).unwrap();
        let personas = ws.personas().unwrap();
        assert_eq!(personas.len(), 2);
        let mut csv = csv::Reader::from_reader(FILES[0].1);
        let headers = csv.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (industry, size, stage) = (
            col("Industry"),
            col("Number of Employees"),
            col("Lifecycle Stage"),
        );
        let (mut leads, mut customers) = (0u64, 0u64);
        for row in csv.records() {
            let row = row.unwrap();
            let fits = ["manufacturing", "logistics and supply chain"]
                .contains(&row[industry].trim().to_lowercase().as_str())
                && row[size].trim().parse::<f64>().is_ok_and(|n| n >= 200.0);
            if fits {
                leads += 1;
                customers += u64::from(row[stage].trim() == "Customer");
            }
        }
        let m = ws
            .match_criteria(personas[0].id, &personas[0].criteria)
            .unwrap();
        assert!(leads > 0);
        assert_eq!(m.leads, leads);
        assert_eq!(m.customers, customers);
        assert!(m.mqls >= m.customers && m.mqls <= m.leads);
        // The rest is the other contacts, not the deals of the second file.
        let contacts = csv::Reader::from_reader(FILES[0].1).records().count() as u64;
        assert_eq!(m.leads + m.rest_leads, contacts);
        let sql = ws.agreements().unwrap();
        assert!(
            sql.iter().any(|a| a.agreed),
            "the demo MQL definition is agreed"
        );
        assert!(
            sql.iter().any(|a| !a.agreed),
            "the demo SQL definition waits for marketing"
        );
    }
}
