//! What a report contains. [`ReportData`] is gathered from a workspace (see
//! `gather`), serialized to JSON and read by the typst template; it never
//! carries markup, only data, so user text cannot change the layout.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The selectable parts of a report. The cover page is always included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SectionId {
    Summary,
    Personas,
    Definitions,
    Slas,
    Goals,
    Impact,
    Funnel,
    Cohorts,
    Quality,
    Actions,
}

impl SectionId {
    /// Every section, in the order they appear in the report.
    pub const ALL: [SectionId; 10] = [
        SectionId::Summary,
        SectionId::Personas,
        SectionId::Definitions,
        SectionId::Slas,
        SectionId::Goals,
        SectionId::Impact,
        SectionId::Funnel,
        SectionId::Cohorts,
        SectionId::Quality,
        SectionId::Actions,
    ];

    /// The id used on the command line and in JSON (`summary`, `slas`, …).
    pub fn id(self) -> &'static str {
        match self {
            SectionId::Summary => "summary",
            SectionId::Personas => "personas",
            SectionId::Definitions => "definitions",
            SectionId::Slas => "slas",
            SectionId::Goals => "goals",
            SectionId::Impact => "impact",
            SectionId::Funnel => "funnel",
            SectionId::Cohorts => "cohorts",
            SectionId::Quality => "quality",
            SectionId::Actions => "actions",
        }
    }

    /// The heading printed in the report.
    pub fn title(self) -> &'static str {
        match self {
            SectionId::Summary => "Executive summary",
            SectionId::Personas => "Personas",
            SectionId::Definitions => "Lead definitions",
            SectionId::Slas => "Service-level agreements",
            SectionId::Goals => "Goals vs actuals",
            SectionId::Impact => "Did the agreements work?",
            SectionId::Funnel => "Funnel",
            SectionId::Cohorts => "Trends by cohort",
            SectionId::Quality => "Data quality",
            SectionId::Actions => "Decisions and action items",
        }
    }

    pub fn parse(s: &str) -> Option<SectionId> {
        SectionId::ALL.into_iter().find(|x| x.id() == s.trim())
    }

    /// `reportSections.ts`: every section with its heading, in report order, for the
    /// Reports screen's checklist.
    pub fn typescript() -> String {
        let sections: Vec<SectionHeading> = SectionId::ALL
            .into_iter()
            .map(SectionHeading::from)
            .collect();
        baton_core::generated::ts_module(
            "baton_report::SectionId",
            &["SectionId"],
            &[baton_core::generated::ts_list(
                "The report's sections with their headings, in report order (`SectionId::ALL`).",
                "REPORT_SECTIONS",
                "{ id: SectionId; title: string }",
                &sections,
            )],
        )
    }
}

#[cfg(test)]
mod generated_tests {
    use super::*;

    #[test]
    fn export_bindings_report_sections() {
        let ts = SectionId::typescript();
        for s in SectionId::ALL {
            assert!(
                ts.contains(&format!("\"title\": \"{}\"", s.title())),
                "{ts}"
            );
        }
        baton_core::generated::write("reportSections.ts", &ts);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionHeading {
    pub id: SectionId,
    pub title: String,
}

impl From<SectionId> for SectionHeading {
    fn from(id: SectionId) -> Self {
        Self {
            id,
            title: id.title().to_string(),
        }
    }
}

/// Page size of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// typst's name for the paper size.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

/// A part of the report whose data may be missing (the area has nothing yet);
/// the template then prints the reason instead of inventing figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Part<T> {
    Ready { data: T },
    NoData { reason: String },
}

impl<T> Part<T> {
    pub fn no_data(reason: impl Into<String>) -> Self {
        Part::NoData {
            reason: reason.into(),
        }
    }
    pub fn ready(data: T) -> Self {
        Part::Ready { data }
    }
    pub fn data(&self) -> Option<&T> {
        match self {
            Part::Ready { data } => Some(data),
            Part::NoData { .. } => None,
        }
    }
}

/// Everything the template prints. Numbers that are shown are pre-formatted
/// here (`*_text`) so the PDF, the CSV and the CLI agree to the character;
/// raw numbers are kept where the template needs geometry (chart bars).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    pub title: String,
    pub company: String,
    /// How to set the company name when it is not set; empty otherwise.
    #[serde(default)]
    pub company_hint: String,
    pub period: PeriodInfo,
    /// Date of generation, `YYYY-MM-DD`.
    pub generated_on: String,
    pub paper: Paper,
    /// The sections to print, in order, with their headings.
    pub sections: Vec<SectionHeading>,
    pub summary: Summary,
    pub personas: Part<Vec<PersonaRow>>,
    pub definitions: Part<Vec<DefinitionRow>>,
    pub slas: Part<Vec<SlaRow>>,
    pub goals: Part<Vec<GoalRow>>,
    pub impact: Part<ImpactData>,
    pub funnel: Part<FunnelData>,
    pub cohorts: Part<CohortData>,
    pub quality: Part<Vec<QualityNote>>,
    pub decisions: Part<Vec<DecisionRow>>,
    pub actions: Part<Vec<ActionRow>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodInfo {
    /// As the user gave it: `2025-Q3`, `2025-09`, `2025`, or `all`.
    pub id: String,
    /// For people: "Q3 2025 (2025-07-01 – 2025-09-30)".
    pub label: String,
}

/// The executive summary: a digest of the other parts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Diagnostic per team, if the diagnostic was taken.
    pub alignment: Option<Alignment>,
    /// Headline funnel figures, each against its goal when one exists.
    pub headlines: Vec<Headline>,
    /// Which records and period the headline counts cover, in words.
    #[serde(default)]
    pub headline_basis: String,
    /// "1 of 4 goals met · 0 on track · 3 behind", or why there is none.
    pub goal_line: String,
    /// One line per SLA: name and % met.
    pub sla_lines: Vec<String>,
    /// The most recent decisions (at most five).
    pub top_decisions: Vec<String>,
    /// Parts that had no data, named for the reader.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    pub teams: Vec<TeamScore>,
    /// e.g. "Sales rates the relationship 18 points lower than marketing."
    pub gap_text: String,
    /// Overall level, e.g. "Defined".
    pub overall_level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamScore {
    pub team: String,
    pub score: u32,
    pub level: String,
    /// Number of respondents averaged.
    pub respondents: u32,
}

/// One row of the summary's headline table: a funnel figure for the report's
/// period, next to a goal when one is set (goals are measured over their own
/// period, so the goal's own actual is shown beside its target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// Stage name, or the goal's metric for goals that are not a stage count.
    pub label: String,
    /// The funnel count for the report's period; "–" for goal-only rows.
    pub actual_text: String,
    /// "120 in 2026-Q4 (marketing)", or empty when no goal applies.
    pub goal_text: String,
    /// The goal's actual over its own period, e.g. "76 (63.3%)"; empty without a goal.
    pub goal_actual_text: String,
    /// "met", "on track", "behind", "not started", "no data"; empty without a goal.
    pub status_text: String,
    /// `Some(true)` met, `Some(false)` behind, `None` otherwise.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaRow {
    pub name: String,
    pub summary: String,
    /// Criteria as readable sentences ("industry is SaaS").
    pub criteria: Vec<String>,
    /// Records in the workspace matching the criteria, when computed.
    pub matching_records: Option<u64>,
    /// The same, formatted ("1,204"); empty when not computed.
    pub matching_text: String,
    /// Signed off by sales and marketing as it stands now.
    #[serde(default)]
    pub agreed: bool,
    /// "Agreed, signed by …", "Awaiting sign-off from …" or "Not signed off".
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinitionRow {
    /// Stage the definition qualifies (e.g. "Marketing Qualified Lead").
    pub stage: String,
    pub definition: String,
    /// "Fit: …", "Intent: …", "Thresholds: …", "Disqualifiers: …".
    pub details: Vec<String>,
    pub version: u32,
    /// "Signed by marketing and sales", "Awaiting sales", "Draft".
    pub status: String,
    pub signed_off: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaRow {
    pub name: String,
    /// The agreed clause in words ("Sales follows up every MQL within 24 h").
    pub clause: String,
    pub measured: u64,
    pub measured_text: String,
    pub met_pct_text: String,
    pub median_text: String,
    pub p95_text: String,
    pub breaches: u64,
    pub breaches_text: String,
}

/// Before/after figures of each agreement (see `baton_metrics::impact`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactData {
    /// The rule both sides follow, in words (maturity window, what is left out).
    pub basis: String,
    pub rows: Vec<ImpactRow>,
    /// Agreements not yet signed by both sides.
    pub not_agreed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactRow {
    pub title: String,
    /// "version 2, agreed 6 Oct 2026".
    pub agreed_text: String,
    pub sentence: String,
    pub figures: Vec<ImpactFigureRow>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactFigureRow {
    pub label: String,
    /// "34.0% (31.2–36.9%), n = 812".
    pub before_text: String,
    pub after_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalRow {
    pub metric: String,
    pub target: f64,
    pub actual: f64,
    /// actual / target, when the target is not zero.
    pub attainment: Option<f64>,
    pub target_text: String,
    pub actual_text: String,
    pub attainment_text: String,
    /// "met", "on track", "behind", "not started", "no data" (with the engine's note).
    pub status_text: String,
    /// `Some(true)` met, `Some(false)` behind, `None` otherwise.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelData {
    pub steps: Vec<FunnelStep>,
    /// e.g. "Counts of records that reached each stage, entered in Q3 2025."
    pub basis: String,
    /// The counting rule and what the data does not track, one sentence each.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub stage_id: String,
    pub name: String,
    /// False when the data does not track the stage: no count, no percentages.
    pub tracked: bool,
    pub count: u64,
    /// The count, or "not tracked".
    pub count_text: String,
    pub pct_of_first_text: String,
    pub pct_of_previous_text: String,
    /// count / first count, 0..=1, for the chart.
    pub share_of_first: f64,
}

/// Conversion by entry cohort: one row per cohort, one column per later stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortData {
    /// Stage names of the columns after "entered".
    pub stages: Vec<String>,
    pub rows: Vec<CohortRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// e.g. "2025-07".
    pub cohort: String,
    pub entered: u64,
    pub entered_text: String,
    /// % of the cohort that reached each stage, formatted ("not tracked" when not).
    pub reached_text: Vec<String>,
    /// The same as fractions 0..=1, for the chart; none when not tracked.
    pub reached: Vec<Option<f64>>,
    /// Fewer than 10 records: drawn hollow with its n, left out of the line.
    pub small: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityNote {
    /// "warning" or "info".
    pub severity: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRow {
    /// Date of the workshop session the decision was taken in, `YYYY-MM-DD`.
    pub decided_on: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRow {
    pub what: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}
