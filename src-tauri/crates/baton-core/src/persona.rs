//! Buyer personas: a canvas of statements (each an assumption or backed by evidence)
//! and [`Criteria`] that run as a filter over imported CRM records.

use crate::record::{resolve_field, StoredRecord};
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One test on one record field. Text comparisons ignore case and surrounding spaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
#[ts(export)]
pub enum Condition {
    /// The field's value is one of `values`. A missing value does not match.
    In { field: String, values: Vec<String> },
    /// The field's value is none of `values`. A missing value matches.
    NotIn { field: String, values: Vec<String> },
    /// The field is a number ≥ `value`. Missing or non-numeric does not match.
    AtLeast { field: String, value: f64 },
    /// The field is a number ≤ `value`. Missing or non-numeric does not match.
    AtMost { field: String, value: f64 },
    /// The field's text contains `text`. A missing value does not match.
    Contains { field: String, text: String },
}

impl Condition {
    pub fn field(&self) -> &str {
        match self {
            Condition::In { field, .. }
            | Condition::NotIn { field, .. }
            | Condition::AtLeast { field, .. }
            | Condition::AtMost { field, .. }
            | Condition::Contains { field, .. } => field,
        }
    }

    /// Does a field value (or its absence) satisfy this condition?
    pub fn test(&self, value: Option<&str>) -> bool {
        let value = value.map(str::trim).filter(|v| !v.is_empty());
        let same = |a: &str, b: &str| same_text(a, b);
        match self {
            Condition::In { values, .. } => {
                value.is_some_and(|v| values.iter().any(|want| same(v, want)))
            }
            Condition::NotIn { values, .. } => {
                value.is_none_or(|v| !values.iter().any(|want| same(v, want)))
            }
            Condition::AtLeast { value: min, .. } => number(value).is_some_and(|n| n >= *min),
            Condition::AtMost { value: max, .. } => number(value).is_some_and(|n| n <= *max),
            Condition::Contains { text, .. } => value.is_some_and(|v| {
                v.to_lowercase()
                    .contains(text.trim().to_lowercase().as_str())
            }),
        }
    }

    /// Plain-language description with field labels, e.g.
    /// `Industry in {Software, Fintech}`, `Company size (employees) ≥ 50`.
    pub fn describe(&self) -> String {
        use crate::fields::field_label as l;
        match self {
            Condition::In { field, values } => format!("{} in {{{}}}", l(field), values.join(", ")),
            Condition::NotIn { field, values } => {
                format!("{} not in {{{}}}", l(field), values.join(", "))
            }
            Condition::AtLeast { field, value } => format!("{} ≥ {value}", l(field)),
            Condition::AtMost { field, value } => format!("{} ≤ {value}", l(field)),
            Condition::Contains { field, text } => format!("{} contains \"{text}\"", l(field)),
        }
    }
}

/// Equal ignoring surrounding spaces and case (Unicode lowercase, as the metrics engine
/// groups values, so `ÉCOLE` and `école` are one value on every screen).
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn number(v: Option<&str>) -> Option<f64> {
    v.and_then(|s| s.replace([',', ' '], "").parse::<f64>().ok())
        .filter(|n| n.is_finite())
}

/// A persona's filter: a record matches when it satisfies every condition.
/// No conditions matches every record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Criteria {
    pub all: Vec<Condition>,
}

impl Criteria {
    /// Test a record through a field accessor: `get("industry")` returns that
    /// field's value as text (numbers formatted), or `None` when empty/absent.
    pub fn matches<F, S>(&self, get: F) -> bool
    where
        F: Fn(&str) -> Option<S>,
        S: AsRef<str>,
    {
        self.all.iter().all(|c| {
            let v = get(c.field());
            c.test(v.as_ref().map(|s| s.as_ref()))
        })
    }

    /// Test a stored record, reading each field by the one lookup rule
    /// ([`crate::record::resolve_field`]). The Personas screen counts with this; the
    /// metrics engine resolves fields with the same rule over its columns.
    pub fn matches_record(&self, r: &StoredRecord) -> bool {
        self.all
            .iter()
            .all(|c| c.test(r.field(resolve_field(c.field())).as_deref()))
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Reject conditions that could never be meant: empty field names, empty
    /// value lists, min above max on the same field.
    pub fn validate(&self) -> Result<()> {
        for (i, c) in self.all.iter().enumerate() {
            let n = i + 1;
            let field = c.field().trim();
            if field.is_empty() {
                return Err(BatonError::invalid(format!(
                    "criterion {n}: the field name is empty; expected a record field such as industry or company_size"
                )));
            }
            match c {
                Condition::In { values, .. } | Condition::NotIn { values, .. }
                    if values.iter().all(|v| v.trim().is_empty()) =>
                {
                    return Err(BatonError::invalid(format!(
                        "criterion {n} ({field}): the list of values is empty; expected at least one value"
                    )));
                }
                Condition::Contains { text, .. } if text.trim().is_empty() => {
                    return Err(BatonError::invalid(format!(
                        "criterion {n} ({field}): the text to look for is empty"
                    )));
                }
                Condition::AtLeast { value, .. } | Condition::AtMost { value, .. }
                    if !value.is_finite() =>
                {
                    return Err(BatonError::invalid(format!(
                        "criterion {n} ({field}): expected a number"
                    )));
                }
                _ => {}
            }
        }
        for a in &self.all {
            if let Condition::AtLeast { field, value: min } = a {
                for b in &self.all {
                    if let Condition::AtMost {
                        field: f2,
                        value: max,
                    } = b
                    {
                        if f2 == field && max < min {
                            return Err(BatonError::invalid(format!(
                                "{field} ≥ {min} and {field} ≤ {max} can never both hold; no record would match"
                            )));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Plain-language description of all conditions joined by "and".
    pub fn describe(&self) -> String {
        if self.all.is_empty() {
            return "every record".into();
        }
        self.all
            .iter()
            .map(Condition::describe)
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// Whether a canvas statement is a belief to test or backed by evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Basis {
    Assumption,
    Evidence,
}

/// The sections of a persona canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CanvasSection {
    Goals,
    Pains,
    BuyingTriggers,
    Objections,
    BuyingCommitteeRole,
    Channels,
    Content,
    Quotes,
}

impl CanvasSection {
    pub const ALL: [CanvasSection; 8] = [
        CanvasSection::Goals,
        CanvasSection::Pains,
        CanvasSection::BuyingTriggers,
        CanvasSection::Objections,
        CanvasSection::BuyingCommitteeRole,
        CanvasSection::Channels,
        CanvasSection::Content,
        CanvasSection::Quotes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CanvasSection::Goals => "Goals",
            CanvasSection::Pains => "Pains",
            CanvasSection::BuyingTriggers => "Buying triggers",
            CanvasSection::Objections => "Objections",
            CanvasSection::BuyingCommitteeRole => "Buying-committee role",
            CanvasSection::Channels => "Channels where they learn",
            CanvasSection::Content => "Content that resonates",
            CanvasSection::Quotes => "Quotes",
        }
    }
}

/// One line on the canvas. Evidence must name its source (interview, CRM report, call…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Statement {
    pub section: CanvasSection,
    pub text: String,
    pub basis: Basis,
    /// Where the evidence comes from; required when `basis` is evidence.
    pub source: Option<String>,
}

/// A buyer persona / ideal-customer profile as edited on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Persona {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: String,
    pub company_size: String,
    pub industry: String,
    pub statements: Vec<Statement>,
    pub criteria: Criteria,
    /// Bumped by every change; an edit states the version it was based on and is refused
    /// (`conflict`) when someone else changed the persona since.
    #[ts(type = "number")]
    pub row_version: i64,
}

/// What the UI sends to create or update a persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaInput {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub company_size: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub statements: Vec<Statement>,
    #[serde(default)]
    pub criteria: Criteria,
}

impl PersonaInput {
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(BatonError::invalid("the persona needs a name"));
        }
        for (i, s) in self.statements.iter().enumerate() {
            if s.text.trim().is_empty() {
                return Err(BatonError::invalid(format!(
                    "statement {} ({}) is empty",
                    i + 1,
                    s.section.label()
                )));
            }
            if s.basis == Basis::Evidence && s.source.as_deref().is_none_or(|x| x.trim().is_empty())
            {
                return Err(BatonError::invalid(format!(
                    "statement {} ({}: \"{}\") is marked evidence but names no source; add the source or mark it an assumption",
                    i + 1,
                    s.section.label(),
                    s.text.trim()
                )));
            }
        }
        self.criteria.validate()
    }
}

/// How a persona's matching records move through the funnel, against the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaMatch {
    #[ts(type = "number")]
    pub persona_id: i64,
    /// Matching records that reached each stage (lead = all matching records).
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub mqls: u64,
    #[ts(type = "number")]
    pub customers: u64,
    /// Records not matching, same counts.
    #[ts(type = "number")]
    pub rest_leads: u64,
    #[ts(type = "number")]
    pub rest_customers: u64,
    /// customers / leads for this persona; `None` without leads.
    pub conversion: Option<f64>,
    /// customers / leads for everyone else.
    pub rest_conversion: Option<f64>,
}

impl PersonaMatch {
    pub fn from_counts(
        persona_id: i64,
        (leads, mqls, customers): (u64, u64, u64),
        (rest_leads, rest_customers): (u64, u64),
    ) -> Self {
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        Self {
            persona_id,
            leads,
            mqls,
            customers,
            rest_leads,
            rest_customers,
            conversion: ratio(customers, leads),
            rest_conversion: ratio(rest_customers, rest_leads),
        }
    }
}

/// A distinct value of a record field and how many records carry it (criteria picker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ValueCount {
    pub value: String,
    #[ts(type = "number")]
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn rec(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn crit(all: Vec<Condition>) -> Criteria {
        Criteria { all }
    }

    #[test]
    fn in_and_at_least_both_must_hold() {
        let c = crit(vec![
            Condition::In {
                field: "industry".into(),
                values: vec!["Software".into(), "Fintech".into()],
            },
            Condition::AtLeast {
                field: "company_size".into(),
                value: 50.0,
            },
        ]);
        let get = |r: &HashMap<String, String>| {
            let r = r.clone();
            move |f: &str| r.get(f).cloned()
        };
        assert!(c.matches(get(&rec(&[
            ("industry", " software "),
            ("company_size", "120")
        ]))));
        assert!(!c.matches(get(&rec(&[
            ("industry", "Retail"),
            ("company_size", "120")
        ]))));
        assert!(!c.matches(get(&rec(&[
            ("industry", "Fintech"),
            ("company_size", "49")
        ]))));
        assert!(
            !c.matches(get(&rec(&[("industry", "Fintech")]))),
            "missing size"
        );
        assert!(c.matches(get(&rec(&[
            ("industry", "FINTECH"),
            ("company_size", "1,000")
        ]))));
    }

    #[test]
    fn not_in_matches_missing_and_contains_ignores_case() {
        let c = crit(vec![
            Condition::NotIn {
                field: "country".into(),
                values: vec!["US".into()],
            },
            Condition::Contains {
                field: "campaign".into(),
                text: "Webinar".into(),
            },
        ]);
        let r1 = rec(&[("campaign", "Q3 webinar series")]);
        assert!(c.matches(|f: &str| r1.get(f).map(String::as_str)));
        let r2 = rec(&[("campaign", "Q3 webinar"), ("country", "us")]);
        assert!(!c.matches(|f: &str| r2.get(f).map(String::as_str)));
        let r3 = rec(&[("campaign", "Trade show")]);
        assert!(!c.matches(|f: &str| r3.get(f).map(String::as_str)));
    }

    #[test]
    fn empty_criteria_match_everything_and_at_most_rejects_text() {
        assert!(Criteria::default().matches(|_: &str| None::<&str>));
        let c = crit(vec![Condition::AtMost {
            field: "amount".into(),
            value: 1000.0,
        }]);
        assert!(c.matches(|_: &str| Some("999.5")));
        assert!(!c.matches(|_: &str| Some("n/a")));
        assert!(!c.matches(|_: &str| Some("1000.01")));
    }

    #[test]
    fn text_ignores_unicode_case_like_the_engine_groups_values() {
        let c = crit(vec![Condition::In {
            field: "industry".into(),
            values: vec!["école".into()],
        }]);
        assert!(c.matches(|_: &str| Some(" ÉCOLE ")));
    }

    #[test]
    fn records_are_read_through_the_one_field_rule() {
        let r = StoredRecord {
            industry: Some("Software".into()),
            custom: vec![("Lead Score".into(), "80".into())],
            ..StoredRecord::default()
        };
        let c = crit(vec![
            Condition::In {
                field: " industry".into(),
                values: vec!["software".into()],
            },
            Condition::AtLeast {
                field: "lead score".into(),
                value: 50.0,
            },
        ]);
        assert!(c.matches_record(&r));
        let missing = crit(vec![Condition::NotIn {
            field: "custom:industry".into(),
            values: vec!["Software".into()],
        }]);
        assert!(
            missing.matches_record(&r),
            "no custom industry: missing matches not_in"
        );
    }

    #[test]
    fn validation_names_the_problem() {
        let e = crit(vec![Condition::In {
            field: "industry".into(),
            values: vec![],
        }])
        .validate()
        .unwrap_err();
        assert!(
            e.message.contains("criterion 1 (industry)"),
            "{}",
            e.message
        );
        let e = crit(vec![
            Condition::AtLeast {
                field: "company_size".into(),
                value: 500.0,
            },
            Condition::AtMost {
                field: "company_size".into(),
                value: 50.0,
            },
        ])
        .validate()
        .unwrap_err();
        assert!(e.message.contains("never both hold"), "{}", e.message);
    }

    #[test]
    fn criteria_round_trip_as_tagged_json() {
        let json = r#"{"all":[{"op":"in","field":"industry","values":["Software"]},{"op":"at_least","field":"company_size","value":50}]}"#;
        let c: Criteria = serde_json::from_str(json).unwrap();
        assert_eq!(c.all.len(), 2);
        assert_eq!(
            c.describe(),
            "Industry in {Software} and Company size (employees) ≥ 50"
        );
        let back: Criteria = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn evidence_needs_a_source() {
        let mut p = PersonaInput {
            name: "Ops Olivia".into(),
            role: String::new(),
            company_size: String::new(),
            industry: String::new(),
            statements: vec![Statement {
                section: CanvasSection::Pains,
                text: "Spends Mondays reconciling spreadsheets".into(),
                basis: Basis::Evidence,
                source: None,
            }],
            criteria: Criteria::default(),
        };
        let e = p.validate().unwrap_err();
        assert!(e.message.contains("names no source"), "{}", e.message);
        p.statements[0].source = Some("5 customer interviews, March".into());
        p.validate().unwrap();
    }
}
