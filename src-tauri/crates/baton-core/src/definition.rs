//! Machine criteria of a lead definition: the persona criteria model ([`Condition`]s,
//! all of them ANDed) plus disqualifiers, conditions that exclude a record when any
//! of them holds. They run over imported and custom fields, so a definition can be
//! tried on the CRM's own records before anyone signs it.

use crate::persona::{Condition, Criteria};
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A record meets the definition when it satisfies every condition of `all` and none
/// of `disqualifiers`. Both empty: the definition has no machine criteria.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DefinitionCriteria {
    #[serde(default)]
    pub all: Vec<Condition>,
    /// Any one of these holding excludes the record.
    #[serde(default)]
    pub disqualifiers: Vec<Condition>,
}

impl DefinitionCriteria {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.disqualifiers.is_empty()
    }

    /// The required conditions as persona criteria (one evaluator for both).
    pub fn required(&self) -> Criteria {
        Criteria {
            all: self.all.clone(),
        }
    }

    /// Test a record through a field accessor, as [`Criteria::matches`].
    pub fn meets<F, S>(&self, get: F) -> bool
    where
        F: Fn(&str) -> Option<S>,
        S: AsRef<str>,
    {
        let holds = |c: &Condition| {
            let v = get(c.field());
            c.test(v.as_ref().map(|s| s.as_ref()))
        };
        self.all.iter().all(holds) && !self.disqualifiers.iter().any(holds)
    }

    /// The persona rules on each list; disqualifiers are numbered after the criteria
    /// and named as such, so the message points at the right row.
    pub fn validate(&self) -> Result<()> {
        self.required().validate()?;
        for (i, c) in self.disqualifiers.iter().enumerate() {
            Criteria {
                all: vec![c.clone()],
            }
            .validate()
            .map_err(|e| {
                BatonError::invalid(e.message.replacen(
                    "criterion 1",
                    &format!("disqualifier {}", i + 1),
                    1,
                ))
            })?;
        }
        Ok(())
    }

    /// `industry in {Software} and company_size ≥ 50, unless country in {US}`.
    pub fn describe(&self) -> String {
        let mut s = self.required().describe();
        if !self.disqualifiers.is_empty() {
            let d: Vec<String> = self.disqualifiers.iter().map(Condition::describe).collect();
            s.push_str(&format!(", unless {}", d.join(" or ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> DefinitionCriteria {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn required_conditions_and_no_disqualifier() {
        let d = parse(
            r#"{"all":[{"op":"at_least","field":"score","value":60}],
                "disqualifiers":[{"op":"in","field":"industry","values":["Education"]}]}"#,
        );
        let rec = |score: &'static str, industry: &'static str| {
            move |f: &str| match f {
                "score" => Some(score),
                "industry" => Some(industry),
                _ => None,
            }
        };
        assert!(d.meets(rec("75", "Software")));
        assert!(!d.meets(rec("59", "Software")), "below the threshold");
        assert!(!d.meets(rec("90", "education")), "disqualified");
        assert_eq!(
            d.describe(),
            "Score ≥ 60, unless Industry in {Education}".to_string()
        );
        // Only disqualifiers: everything not excluded meets it.
        let only =
            parse(r#"{"disqualifiers":[{"op":"contains","field":"email","text":"student"}]}"#);
        assert!(only.meets(|_: &str| None::<&str>));
        assert!(!only.meets(|_: &str| Some("x@student.org")));
        assert!(DefinitionCriteria::default().is_empty());
    }

    #[test]
    fn validation_names_the_disqualifier() {
        let d = parse(r#"{"disqualifiers":[{"op":"in","field":"industry","values":[]}]}"#);
        let e = d.validate().unwrap_err();
        assert!(
            e.message.starts_with("disqualifier 1 (industry)"),
            "{}",
            e.message
        );
    }
}
