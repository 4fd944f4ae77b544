//! Report data built by hand for the tests: every part filled, including
//! text that would be markup if it were pasted into typst source.

use crate::format;
use crate::model::*;

pub const HOSTILE_COMPANY: &str = "Acme #set page(fill: red) *Bold* $x$ <l> @ref \\ \"q\" ]";

pub fn funnel_steps(counts: &[(&str, &str, u64)]) -> Vec<FunnelStep> {
    let first = counts.first().map(|c| c.2).unwrap_or(0);
    let mut prev = None;
    counts
        .iter()
        .map(|&(id, name, n)| {
            let of = |d: u64| (d > 0).then(|| n as f64 / d as f64);
            let step = FunnelStep {
                stage_id: id.into(),
                name: name.into(),
                tracked: true,
                count: n,
                count_text: format::count(n),
                pct_of_first_text: format::pct(of(first)),
                pct_of_previous_text: prev
                    .map(|p| format::pct(of(p)))
                    .unwrap_or_else(|| "–".into()),
                share_of_first: of(first).unwrap_or(0.0),
            };
            prev = Some(n);
            step
        })
        .collect()
}

pub fn data() -> ReportData {
    let steps = funnel_steps(&[
        ("lead", "Lead", 12_480),
        ("mql", "Marketing Qualified Lead", 3_120),
        ("sql", "Sales Qualified Lead", 1_030),
        ("opportunity", "Opportunity", 412),
        ("customer", "Customer", 97),
    ]);
    ReportData {
        title: "Alignment report".into(),
        company: HOSTILE_COMPANY.into(),
        company_hint: String::new(),
        period: PeriodInfo {
            id: "2025-Q3".into(),
            label: "Q3 2025 (2025-07-01 – 2025-09-30)".into(),
        },
        generated_on: "2025-10-06".into(),
        paper: Paper::A4,
        sections: SectionId::ALL.into_iter().map(SectionHeading::from).collect(),
        summary: Summary {
            alignment: Some(Alignment {
                teams: vec![
                    TeamScore {
                        team: "Marketing".into(),
                        score: 64,
                        level: "Aligned".into(),
                        respondents: 4,
                    },
                    TeamScore {
                        team: "Sales".into(),
                        score: 47,
                        level: "Defined".into(),
                        respondents: 5,
                    },
                ],
                gap_text: "Sales rates the relationship 17 points lower than marketing.".into(),
                overall_level: "Defined".into(),
            }),
            headlines: vec![
                Headline {
                    label: "Marketing Qualified Lead".into(),
                    actual_text: "3,120".into(),
                    goal_text: "3,000 in 2025-Q3 (marketing)".into(),
                    goal_actual_text: "3,050".into(),
                    status_text: "met".into(),
                    met: Some(true),
                },
                Headline {
                    label: "Customer".into(),
                    actual_text: "97".into(),
                    goal_text: "120 in 2025-Q3 (sales)".into(),
                    goal_actual_text: "88".into(),
                    status_text: "behind".into(),
                    met: Some(false),
                },
                Headline {
                    label: "Lead".into(),
                    actual_text: "12,480".into(),
                    goal_text: "".into(),
                    goal_actual_text: "".into(),
                    status_text: "".into(),
                    met: None,
                },
            ],
            headline_basis: "Count: accounts whose date for the stage falls in Q3 2025.".into(),
            goal_line: "1 of 2 goals met · 0 on track · 1 behind".into(),
            sla_lines: vec!["MQL follow-up within 24 h: 81.4% met".into()],
            top_decisions: vec!["An MQL needs a company email and a job title".into()],
            missing: vec![],
        },
        personas: Part::ready(vec![PersonaRow {
            name: "Ops Olivia".into(),
            summary: "Head of operations at a 50–500 person SaaS company.".into(),
            criteria: vec!["industry is SaaS".into(), "company size 50–500".into()],
            matching_records: Some(1_204),
            matching_text: "1,204".into(),
            agreed: true,
            status: "Agreed, signed by Sam (sales), Mia (marketing)".into(),
        }]),
        definitions: Part::ready(vec![
            DefinitionRow {
                stage: "Marketing Qualified Lead".into(),
                definition: "Company email, job title, and a content download or demo request in the last 30 days.".into(),
                details: vec!["Fit: 50–500 employees".into(), "Intent: demo request".into()],
                version: 3,
                status: "Signed by marketing and sales".into(),
                signed_off: true,
            },
            DefinitionRow {
                stage: "Sales Qualified Lead".into(),
                definition: "Budget confirmed on the first call.".into(),
                details: vec![],
                version: 1,
                status: "Awaiting sales".into(),
                signed_off: false,
            },
        ]),
        slas: Part::ready(vec![SlaRow {
            name: "MQL follow-up".into(),
            clause: "Sales follows up every MQL within 24 h (calendar)".into(),
            measured: 3_120,
            measured_text: "3,120".into(),
            met_pct_text: "81.4%".into(),
            median_text: "6.2 h".into(),
            p95_text: "2.3 d".into(),
            breaches: 580,
            breaches_text: "580".into(),
        }]),
        goals: Part::ready(vec![GoalRow {
            metric: "MQLs in Q3".into(),
            target: 3000.0,
            actual: 3120.0,
            attainment: Some(1.04),
            target_text: "3,000".into(),
            actual_text: "3,120".into(),
            attainment_text: "104.0%".into(),
            status_text: "met".into(),
            met: Some(true),
        }]),
        impact: Part::ready(ImpactData {
            basis: "Records that entered a stage before the date both sides signed, against those that entered after.".into(),
            rows: vec![ImpactRow {
                title: "Marketing Qualified Lead (mql)".into(),
                agreed_text: "version 2, agreed 2025-10-06".into(),
                sentence: "Since the MQL definition was agreed on 6 Oct 2025, Marketing Qualified Lead → Sales Qualified Lead within 90 days rose from 34% (n = 812) to 47% (n = 390); the intervals do not overlap.".into(),
                figures: vec![ImpactFigureRow {
                    label: "Marketing Qualified Lead → Sales Qualified Lead within 90 days".into(),
                    before_text: "34.0% (30.8–37.3%), n = 812".into(),
                    after_text: "47.0% (42.1–51.9%), n = 390".into(),
                }],
                notes: vec!["126 records entered Marketing Qualified Lead less than 90 days before the data's as-of date".into()],
            }],
            not_agreed: vec!["Sales Qualified Lead (sql)".into()],
        }),
        funnel: Part::ready(FunnelData {
            steps,
            basis: "Records that reached each stage.".into(),
            notes: vec!["Counting: skipped stages count as passed.".into()],
        }),
        cohorts: Part::ready(CohortData {
            stages: vec!["MQL".into(), "SQL".into(), "Customer".into()],
            rows: vec![
                cohort("2025-07", 4_100, &[0.26, 0.09, 0.009]),
                cohort("2025-08", 4_300, &[0.25, 0.08, 0.008]),
                cohort("2025-09", 4_080, &[0.24, 0.07, 0.006]),
            ],
        }),
        quality: Part::ready(vec![QualityNote {
            severity: "warning".into(),
            message: "212 deals have no owner.".into(),
        }]),
        decisions: Part::ready(vec![DecisionRow {
            decided_on: "2025-09-18".into(),
            text: "An MQL needs a company email and a job title".into(),
        }]),
        actions: Part::ready(vec![ActionRow {
            what: "=cmd|' /C calc'!A0 set up the lead routing".into(),
            owner: "Sam (Sales ops)".into(),
            due: "2025-10-15".into(),
            status: "open".into(),
        }]),
    }
}

fn cohort(key: &str, entered: u64, reached: &[f64]) -> CohortRow {
    CohortRow {
        cohort: key.into(),
        entered,
        entered_text: format::count(entered),
        reached_text: reached.iter().map(|r| format::pct(Some(*r))).collect(),
        reached: reached.iter().map(|r| Some(*r)).collect(),
        small: false,
    }
}
