use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Id of the outcome "closed lost". It is not a funnel step.
pub const LOST: &str = "lost";

/// The default funnel, in order. A workspace can rename these and add stages (e.g. `sal`).
pub const DEFAULT_STAGE_IDS: [&str; 5] = ["lead", "mql", "sql", "opportunity", "customer"];

/// One step of the workspace's agreed funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Stage {
    /// Stable id used in data and profiles (`lead`, `mql`, …).
    pub id: String,
    /// Display name agreed in the workshop ("Marketing Qualified Lead").
    pub name: String,
    /// 0-based order in the funnel.
    pub position: u32,
}

pub fn default_stages() -> Vec<Stage> {
    let names = [
        "Lead",
        "Marketing Qualified Lead",
        "Sales Qualified Lead",
        "Opportunity",
        "Customer",
    ];
    DEFAULT_STAGE_IDS
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (id, name))| Stage {
            id: (*id).to_string(),
            name: name.to_string(),
            position: i as u32,
        })
        .collect()
}

/// A valid stage id: lowercase ascii letters, digits and `_`, starting with a letter.
pub fn is_valid_stage_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= 32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_funnel_is_ordered_and_valid() {
        let s = default_stages();
        assert_eq!(s.len(), 5);
        assert_eq!(s[0].id, "lead");
        assert_eq!(s[4].id, "customer");
        assert!(s.iter().all(|st| is_valid_stage_id(&st.id)));
        assert!(s.windows(2).all(|w| w[0].position < w[1].position));
    }

    #[test]
    fn stage_ids_are_checked() {
        assert!(is_valid_stage_id("sal"));
        assert!(!is_valid_stage_id("Sal"));
        assert!(!is_valid_stage_id("1st"));
        assert!(!is_valid_stage_id(""));
    }
}
