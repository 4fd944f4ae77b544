//! Agreements between sales and marketing: lead definitions per funnel stage, SLA
//! clauses, goals and personas. Every change is a new version; a version is agreed only
//! when at least one sales and one marketing participant have signed it off.

use crate::goal::Goal;
use crate::persona::{Basis, Persona};
use crate::sla::{format_duration, Clock, SlaClause};
use crate::workshop::Team;
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an agreement is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Subject {
    /// The definition of a funnel stage (`mql`, `sql`, …).
    Stage { stage_id: String },
    /// An SLA clause of the metrics engine (`sla_clauses.id`).
    SlaClause {
        #[ts(type = "number")]
        clause_id: i64,
    },
    /// A goal of the metrics engine (`goals.id`).
    Goal {
        #[ts(type = "number")]
        goal_id: i64,
    },
    /// A buyer persona of the workshop area (`personas.id`), signed as written.
    Persona {
        #[ts(type = "number")]
        persona_id: i64,
    },
}

impl Subject {
    /// Stable key used for storage and lookups: `stage:mql`, `sla:3`, `goal:7`.
    pub fn key(&self) -> String {
        match self {
            Subject::Stage { stage_id } => format!("stage:{stage_id}"),
            Subject::SlaClause { clause_id } => format!("sla:{clause_id}"),
            Subject::Goal { goal_id } => format!("goal:{goal_id}"),
            Subject::Persona { persona_id } => format!("persona:{persona_id}"),
        }
    }

    pub fn parse_key(key: &str) -> Result<Subject> {
        let bad = || {
            BatonError::invalid(format!(
                "\"{key}\" is not an agreement subject; expected stage:<id>, sla:<number>, goal:<number> or persona:<number>"
            ))
        };
        let (kind, rest) = key.split_once(':').ok_or_else(bad)?;
        match kind {
            "stage" if crate::stages::is_valid_stage_id(rest) => Ok(Subject::Stage {
                stage_id: rest.into(),
            }),
            "sla" => rest
                .parse()
                .map(|clause_id| Subject::SlaClause { clause_id })
                .map_err(|_| bad()),
            "goal" => rest
                .parse()
                .map(|goal_id| Subject::Goal { goal_id })
                .map_err(|_| bad()),
            "persona" => rest
                .parse()
                .map(|persona_id| Subject::Persona { persona_id })
                .map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

/// The body of a definition. Lists hold one item per line as agreed in the room.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DefinitionContent {
    /// One-sentence definition ("A lead from a company we can serve that asked to talk").
    #[serde(default)]
    pub summary: String,
    /// Fit criteria (who they are).
    #[serde(default)]
    pub fit: Vec<String>,
    /// Intent criteria (what they did).
    #[serde(default)]
    pub intent: Vec<String>,
    /// Thresholds (score ≥ 60, response within 24h, …).
    #[serde(default)]
    pub thresholds: Vec<String>,
    #[serde(default)]
    pub disqualifiers: Vec<String>,
    /// Reason codes sales uses to reject a lead.
    #[serde(default)]
    pub reject_reasons: Vec<String>,
    /// Optional machine criteria beside the prose: the definition run on the records.
    #[serde(default)]
    pub criteria: crate::definition::DefinitionCriteria,
}

impl DefinitionContent {
    /// Trim items, drop empty ones and exact duplicates (keeping first occurrence).
    pub fn normalized(mut self) -> Self {
        self.summary = self.summary.trim().to_string();
        for list in self.lists_mut() {
            let mut seen = std::collections::HashSet::new();
            *list = list
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && seen.insert(s.to_lowercase()))
                .collect();
        }
        self
    }

    fn lists_mut(&mut self) -> [&mut Vec<String>; 5] {
        [
            &mut self.fit,
            &mut self.intent,
            &mut self.thresholds,
            &mut self.disqualifiers,
            &mut self.reject_reasons,
        ]
    }

    fn lists(&self) -> [(&'static str, &Vec<String>); 5] {
        [
            ("fit", &self.fit),
            ("intent", &self.intent),
            ("thresholds", &self.thresholds),
            ("disqualifiers", &self.disqualifiers),
            ("reject_reasons", &self.reject_reasons),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_empty()
            && self.lists().iter().all(|(_, l)| l.is_empty())
            && self.criteria.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignOff {
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: String,
    pub team: Team,
    #[ts(type = "number")]
    pub signed_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VersionStatus {
    /// Waiting for sign-off from sales and/or marketing.
    Open,
    /// Signed by at least one sales and one marketing participant.
    Agreed,
    /// A later version replaced it before it was agreed.
    Superseded,
}

/// The rule: agreed when at least one sales and one marketing participant signed.
pub fn is_agreed(sign_offs: &[SignOff]) -> bool {
    sign_offs.iter().any(|s| s.team == Team::Sales)
        && sign_offs.iter().any(|s| s.team == Team::Marketing)
}

/// Which sides still have to sign.
pub fn missing_sides(sign_offs: &[SignOff]) -> Vec<Team> {
    [Team::Sales, Team::Marketing]
        .into_iter()
        .filter(|t| !sign_offs.iter().any(|s| s.team == *t))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DefinitionVersion {
    pub version: u32,
    pub content: DefinitionContent,
    pub author: Option<String>,
    /// How this version came about: "edited", "merged from blind drafts", …
    pub note: String,
    #[ts(type = "number")]
    pub created_at: i64,
    pub sign_offs: Vec<SignOff>,
    pub status: VersionStatus,
    /// For an SLA clause or goal: its terms when this version was written (empty for a stage).
    #[serde(default)]
    pub terms: Vec<Term>,
}

/// Status of an agreement as a whole = status of its latest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agreement {
    #[ts(type = "number")]
    pub id: i64,
    pub subject: Subject,
    pub title: String,
    /// Newest first.
    pub versions: Vec<DefinitionVersion>,
    /// True when the latest version is agreed.
    pub agreed: bool,
    /// The newest agreed version, if any (still in force while a newer one is open).
    pub last_agreed_version: Option<u32>,
    pub missing_sides: Vec<Team>,
    /// The clause's or goal's terms now (empty for a stage).
    pub current_terms: Vec<Term>,
    /// The terms changed after the latest version was written: it is open again until a
    /// new version (recording the new terms) is signed by both sides.
    pub terms_changed: bool,
}

/// A side may sign only as sales or marketing; others can attend but not sign.
pub fn check_signer(team: Team, name: &str) -> Result<()> {
    match team {
        Team::Sales | Team::Marketing => Ok(()),
        other => Err(BatonError::invalid(format!(
            "{name} is in {}; a definition is signed off by sales and marketing participants",
            other.as_str()
        ))),
    }
}

/// How one list field compares between the two blind drafts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldDiff {
    pub field: String,
    pub both: Vec<String>,
    pub only_sales: Vec<String>,
    pub only_marketing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftComparison {
    pub sales: DefinitionContent,
    pub marketing: DefinitionContent,
    pub summaries_differ: bool,
    pub fields: Vec<FieldDiff>,
    /// Items both sides wrote: the starting point for the merge.
    pub common: DefinitionContent,
    /// Everything either side wrote, common items first: an alternative starting point.
    pub union: DefinitionContent,
}

/// Compare the two blind drafts field by field (case-insensitive on items).
pub fn compare_drafts(sales: &DefinitionContent, marketing: &DefinitionContent) -> DraftComparison {
    let sales = sales.clone().normalized();
    let marketing = marketing.clone().normalized();
    let has = |list: &[String], item: &str| list.iter().any(|x| x.eq_ignore_ascii_case(item));
    let fields: Vec<FieldDiff> = sales
        .lists()
        .iter()
        .zip(marketing.lists())
        .map(|((name, s), (_, m))| FieldDiff {
            field: (*name).to_string(),
            both: s.iter().filter(|x| has(m, x)).cloned().collect(),
            only_sales: s.iter().filter(|x| !has(m, x)).cloned().collect(),
            only_marketing: m.iter().filter(|x| !has(s, x)).cloned().collect(),
        })
        .collect();
    let pick = |f: &dyn Fn(&FieldDiff) -> Vec<String>| -> Vec<Vec<String>> {
        fields.iter().map(f).collect()
    };
    let build = |summary: String, mut lists: Vec<Vec<String>>| {
        let mut c = DefinitionContent {
            summary,
            ..Default::default()
        };
        for (slot, l) in c.lists_mut().into_iter().zip(lists.drain(..)) {
            *slot = l;
        }
        c
    };
    let summaries_differ = !sales.summary.eq_ignore_ascii_case(&marketing.summary);
    let common_summary = if summaries_differ {
        String::new()
    } else {
        sales.summary.clone()
    };
    let common = build(common_summary.clone(), pick(&|f| f.both.clone()));
    let union_summary = if summaries_differ {
        [sales.summary.as_str(), marketing.summary.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(" / ")
    } else {
        common_summary
    };
    let union = build(
        union_summary,
        pick(&|f| {
            f.both
                .iter()
                .chain(&f.only_sales)
                .chain(&f.only_marketing)
                .cloned()
                .collect()
        }),
    );
    // Conditions both drafts test are the machine starting point of the merge.
    let shared = crate::definition::DefinitionCriteria {
        all: sales
            .criteria
            .all
            .iter()
            .filter(|c| marketing.criteria.all.contains(c))
            .cloned()
            .collect(),
        disqualifiers: sales
            .criteria
            .disqualifiers
            .iter()
            .filter(|c| marketing.criteria.disqualifiers.contains(c))
            .cloned()
            .collect(),
    };
    let common = DefinitionContent {
        criteria: shared.clone(),
        ..common
    };
    let union = DefinitionContent {
        criteria: shared,
        ..union
    };
    DraftComparison {
        sales,
        marketing,
        summaries_differ,
        fields,
        common,
        union,
    }
}

/// State of a blind dual-input round for one agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BlindRound {
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub sales_submitted: bool,
    pub marketing_submitted: bool,
    pub revealed: bool,
    /// Present only after reveal: drafts stay hidden until both are in.
    pub comparison: Option<DraftComparison>,
}

/// One CRM value mapped to a stage id (or `lost`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageValue {
    pub crm_value: String,
    pub stage_id: String,
}

/// Everything the Vocabulary & SLAs screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VocabularyView {
    pub stages: Vec<crate::stages::Stage>,
    /// The stages' version (as a whole): a change stating an older one is refused.
    #[ts(type = "number")]
    pub stages_version: i64,
    pub value_map: Vec<StageValue>,
    /// The value map's version (as a whole), as for `stages_version`.
    #[ts(type = "number")]
    pub value_map_version: i64,
    pub sla_clauses: Vec<crate::sla::SlaClause>,
    pub goals: Vec<crate::goal::Goal>,
    pub agreements: Vec<Agreement>,
}

/// One term of an SLA clause or goal, e.g. `Within: 24h`. A version keeps the terms
/// as they stood when it was written, so the history shows what each side signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Term {
    pub label: String,
    pub value: String,
}

fn term(label: &str, value: impl Into<String>) -> Term {
    Term {
        label: label.into(),
        value: value.into(),
    }
}

/// `12`, `0.5`, `1234.57`: at most two decimals, no trailing zeros.
fn short_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The terms of an SLA clause: where the clock starts and stops, the allowed time, the clock.
pub fn sla_terms(c: &SlaClause) -> Vec<Term> {
    vec![
        term("From", c.from_stage.clone()),
        term("To", c.to.describe()),
        // SLAs are spoken of in hours ("within 24 hours"), even for whole days.
        term(
            "Within",
            if c.within_seconds % 3600 == 0 {
                format!("{}h", c.within_seconds / 3600)
            } else {
                format_duration(c.within_seconds)
            },
        ),
        term(
            "Clock",
            match c.clock {
                Clock::Calendar => "calendar",
                Clock::Business => "business hours",
            },
        ),
    ]
}

/// The terms of a goal: metric, target (rates as a percentage), period and owning team.
pub fn goal_terms(g: &Goal) -> Vec<Term> {
    let target = if g.metric.is_rate() {
        format!("{}%", short_number(g.target * 100.0))
    } else {
        short_number(g.target)
    };
    vec![
        term("Metric", g.metric.describe()),
        term("Target", target),
        term("Period", g.period.label.clone()),
        term("Team", g.team.clone()),
    ]
}

/// The terms of a persona: what the room signs when it agrees on it (its name, profile,
/// record criteria and every canvas statement with its basis). Editing any of them
/// changes the terms, which reopens the agreement.
pub fn persona_terms(p: &Persona) -> Vec<Term> {
    let mut terms = vec![term("Name", p.name.trim())];
    for (label, value) in [
        ("Role", &p.role),
        ("Company size", &p.company_size),
        ("Industry", &p.industry),
    ] {
        if !value.trim().is_empty() {
            terms.push(term(label, value.trim()));
        }
    }
    terms.push(term("Records", p.criteria.describe()));
    for s in &p.statements {
        let basis = match (s.basis, s.source.as_deref().map(str::trim)) {
            (Basis::Evidence, Some(src)) if !src.is_empty() => format!("evidence: {src}"),
            (Basis::Evidence, _) => "evidence".to_string(),
            (Basis::Assumption, _) => "assumption".to_string(),
        };
        terms.push(term(
            s.section.label(),
            format!("{} ({basis})", s.text.trim()),
        ));
    }
    terms
}

/// May the version shown on screen be signed? Only the latest one, and only while the
/// clause or goal still has the terms that version was written with.
pub fn check_signable(latest: u32, on_screen: u32, terms_changed: bool) -> Result<()> {
    if on_screen != latest {
        return Err(BatonError::conflict(format!(
            "version {on_screen} is no longer the latest (version {latest} is); look at version {latest} and sign that"
        )));
    }
    if terms_changed {
        return Err(BatonError::conflict(format!(
            "the terms changed after version {latest} was written; save a new version with the current terms, then sign it"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(team: Team) -> SignOff {
        SignOff {
            person_id: 1,
            name: "x".into(),
            team,
            signed_at: 0,
        }
    }

    #[test]
    fn agreed_needs_both_sides() {
        assert!(!is_agreed(&[]));
        assert!(!is_agreed(&[sign(Team::Sales), sign(Team::Sales)]));
        assert!(!is_agreed(&[sign(Team::Marketing)]));
        assert!(is_agreed(&[sign(Team::Marketing), sign(Team::Sales)]));
        assert_eq!(missing_sides(&[sign(Team::Sales)]), vec![Team::Marketing]);
        assert!(check_signer(Team::Leadership, "Dana").is_err());
    }

    #[test]
    fn subject_keys_round_trip() {
        for s in [
            Subject::Stage {
                stage_id: "mql".into(),
            },
            Subject::SlaClause { clause_id: 3 },
            Subject::Goal { goal_id: 12 },
            Subject::Persona { persona_id: 5 },
        ] {
            assert_eq!(Subject::parse_key(&s.key()).unwrap(), s);
        }
        assert!(Subject::parse_key("stage:MQL").is_err());
        assert!(Subject::parse_key("sla:x").is_err());
    }

    #[test]
    fn drafts_are_compared_item_by_item() {
        let sales = DefinitionContent {
            summary: "Asked for a demo".into(),
            fit: vec!["50+ employees".into(), "EU".into()],
            intent: vec!["Requested demo".into()],
            reject_reasons: vec!["No budget".into()],
            ..Default::default()
        };
        let marketing = DefinitionContent {
            summary: "Engaged lead that fits".into(),
            fit: vec!["eu".into(), "Software industry".into()],
            intent: vec!["Requested demo".into(), "Downloaded 2 whitepapers".into()],
            ..Default::default()
        };
        let c = compare_drafts(&sales, &marketing);
        assert!(c.summaries_differ);
        let fit = &c.fields[0];
        assert_eq!(fit.both, vec!["EU"]);
        assert_eq!(fit.only_sales, vec!["50+ employees"]);
        assert_eq!(fit.only_marketing, vec!["Software industry"]);
        assert_eq!(c.common.intent, vec!["Requested demo"]);
        assert_eq!(c.common.summary, "");
        assert_eq!(
            c.union.fit,
            vec!["EU", "50+ employees", "Software industry"]
        );
        assert_eq!(c.union.reject_reasons, vec!["No budget"]);
        assert_eq!(c.union.summary, "Asked for a demo / Engaged lead that fits");
    }

    #[test]
    fn terms_describe_clauses_and_goals() {
        let c = SlaClause {
            id: 1,
            name: "MQL follow-up".into(),
            from_stage: "mql".into(),
            to: crate::sla::SlaTarget::Stage("sql".into()),
            within_seconds: 24 * 3600,
            clock: Clock::Business,
        };
        let t = sla_terms(&c);
        assert_eq!(
            t.iter()
                .map(|t| format!("{}={}", t.label, t.value))
                .collect::<Vec<_>>(),
            ["From=mql", "To=sql", "Within=24h", "Clock=business hours"]
        );
        let g = Goal {
            id: 2,
            name: "MQL to SQL".into(),
            metric: crate::goal::GoalMetric::Conversion {
                from: "mql".into(),
                to: "sql".into(),
            },
            target: 0.255,
            period: crate::goal::GoalPeriod::parse("2026-Q1").unwrap(),
            team: "shared".into(),
        };
        let t = goal_terms(&g);
        assert_eq!(t[1], term("Target", "25.5%"));
        assert_eq!(t[2], term("Period", "2026-Q1"));
        let won = Goal {
            metric: crate::goal::GoalMetric::WonAmount,
            target: 250000.0,
            ..g
        };
        assert_eq!(goal_terms(&won)[1], term("Target", "250000"));
    }

    #[test]
    fn persona_terms_cover_profile_criteria_and_statements() {
        use crate::persona::{CanvasSection, Condition, Criteria, Statement};
        let p = Persona {
            id: 1,
            row_version: 1,
            name: "Ops Olivia ".into(),
            role: "Head of operations".into(),
            company_size: "".into(),
            industry: "Software".into(),
            statements: vec![
                Statement {
                    section: CanvasSection::Pains,
                    text: "Manual reporting".into(),
                    basis: Basis::Evidence,
                    source: Some("12 interviews".into()),
                },
                Statement {
                    section: CanvasSection::Goals,
                    text: "Fewer tools".into(),
                    basis: Basis::Assumption,
                    source: None,
                },
            ],
            criteria: Criteria {
                all: vec![Condition::In {
                    field: "industry".into(),
                    values: vec!["Software".into()],
                }],
            },
        };
        let t: Vec<String> = persona_terms(&p)
            .iter()
            .map(|t| format!("{}={}", t.label, t.value))
            .collect();
        assert_eq!(
            t,
            [
                "Name=Ops Olivia",
                "Role=Head of operations",
                "Industry=Software",
                "Records=Industry in {Software}",
                "Pains=Manual reporting (evidence: 12 interviews)",
                "Goals=Fewer tools (assumption)",
            ]
        );
    }

    #[test]
    fn only_the_latest_version_with_current_terms_is_signable() {
        assert!(check_signable(3, 3, false).is_ok());
        let e = check_signable(3, 2, false).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::Conflict);
        assert!(
            e.message.contains("version 2 is no longer the latest"),
            "{}",
            e.message
        );
        let e = check_signable(3, 3, true).unwrap_err();
        assert!(e.message.contains("terms changed"), "{}", e.message);
    }
}
