//! Which funnel stages an import's file can express: a stage no column and no stage
//! value of the file can say is "not tracked" by its records, so the funnel must not
//! count it as passed (docs/metrics.md, "Stages the data does not track").

use crate::options::Profile;
use baton_core::stages::{Stage, LOST};
use std::collections::BTreeSet;

/// The stages the profile itself declares: its stage-date columns, the stages its
/// stage-value map and default map to, the converted stage (with a converted column),
/// and the last stage when a won outcome or won date can mark a win. Stage values mapped
/// by the workspace map, or matching a stage's id or name, count once a row shows them
/// (see [`Tracked::saw`]).
pub(crate) fn declared(profile: &Profile, stages: &[Stage]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.extend(profile.stage_dates.keys().cloned());
    if profile.stage_column.is_some() {
        out.extend(profile.stage_values.values().cloned());
        out.extend(profile.stage_default.iter().cloned());
    }
    if profile.converted_column.is_some() {
        out.insert(
            profile
                .converted_stage
                .clone()
                .unwrap_or_else(|| "sql".into()),
        );
    }
    let wins = profile.won_date.is_some()
        || (profile.outcome_column.is_some()
            && profile.outcome_values.values().any(|o| o == "won"));
    if wins {
        if let Some(last) = stages.iter().max_by_key(|s| s.position) {
            out.insert(last.id.clone());
        }
    }
    out.remove(LOST);
    out
}

/// The stages an import tracks: declared ones plus those its rows were seen at.
pub(crate) struct Tracked {
    stages: BTreeSet<String>,
}

impl Tracked {
    pub(crate) fn new(profile: &Profile, stages: &[Stage]) -> Self {
        Tracked {
            stages: declared(profile, stages),
        }
    }

    /// A row's current stage (a stage id, `lost` or empty).
    #[inline]
    pub(crate) fn saw(&mut self, stage: &str) {
        if !stage.is_empty() && stage != LOST && !self.stages.contains(stage) {
            self.stages.insert(stage.to_string());
        }
    }

    /// The tracked stage ids in funnel order (ids the workspace does not have dropped).
    pub(crate) fn in_funnel_order(&self, stages: &[Stage]) -> Vec<String> {
        let mut ordered: Vec<&Stage> = stages
            .iter()
            .filter(|s| self.stages.contains(&s.id))
            .collect();
        ordered.sort_by_key(|s| s.position);
        ordered.into_iter().map(|s| s.id.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::stages::default_stages;

    #[test]
    fn a_deal_export_without_mql_or_sql_values_does_not_track_them() {
        let mut p = Profile {
            stage_column: Some("Stage".into()),
            ..Profile::default()
        };
        for (v, s) in [
            ("Prospecting", "lead"),
            ("Engaging", "opportunity"),
            ("Won", "customer"),
            ("Lost", "lost"),
        ] {
            p.stage_values.insert(v.into(), s.into());
        }
        let stages = default_stages();
        let mut t = Tracked::new(&p, &stages);
        t.saw("lost");
        t.saw("");
        assert_eq!(
            t.in_funnel_order(&stages),
            vec!["lead", "opportunity", "customer"]
        );
        // A value mapped by the workspace map (or a stage's own name) counts once seen.
        t.saw("sql");
        assert_eq!(
            t.in_funnel_order(&stages),
            vec!["lead", "sql", "opportunity", "customer"]
        );
    }

    #[test]
    fn date_columns_converted_flags_and_wins_are_tracked() {
        let mut p = Profile::default();
        p.stage_dates.insert("mql".into(), vec!["MQL date".into()]);
        p.converted_column = Some("Converted".into());
        p.won_date = Some("Won on".into());
        let stages = default_stages();
        assert_eq!(
            Tracked::new(&p, &stages).in_funnel_order(&stages),
            vec!["mql", "sql", "customer"]
        );
    }
}
