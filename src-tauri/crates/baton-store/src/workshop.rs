//! Workshop area storage: people, personas, agreements with sign-off, the
//! diagnostic, sessions, action items, dot votes and campaigns. Stage names and
//! the CRM value → stage map are the import area's methods (`imports.rs`).
//!
//! One module per area: `people`, `personas` (+ `field_values` for the criteria
//! picker, `persona_signoff`), `agreements` (versions, sign-off, the vocabulary view),
//! `blind_round`, `diagnostic`, `sessions` (with decisions and the parking lot),
//! `actions`, `dot_votes`, `campaigns` (with lead feedback). This file keeps the
//! helpers they share.

use baton_core::workshop::{LeadQuality, Team};
use baton_core::{BatonError, Result};

/// The current wall-clock time as seconds (local time treated as UTC, see architecture.md).
pub fn wall_clock_now() -> i64 {
    chrono::Local::now().naive_local().and_utc().timestamp()
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| BatonError::internal(format!("encoding JSON: {e}")))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| BatonError::internal(format!("{what} is damaged: {e}")))
}

pub(crate) fn team_of(s: &str) -> Team {
    Team::parse(s).unwrap_or(Team::Other)
}

pub(crate) fn quality_str(q: LeadQuality) -> &'static str {
    match q {
        LeadQuality::Good => "good",
        LeadQuality::Mixed => "mixed",
        LeadQuality::Poor => "poor",
    }
}

pub(crate) fn quality_of(s: &str) -> LeadQuality {
    match s {
        "good" => LeadQuality::Good,
        "mixed" => LeadQuality::Mixed,
        _ => LeadQuality::Poor,
    }
}

/// Fail with NotFound unless exactly one row changed.
pub(crate) fn changed_one(n: usize, what: &str) -> Result<()> {
    if n == 0 {
        Err(BatonError::not_found(format!("{what} does not exist")))
    } else {
        Ok(())
    }
}

pub use actions::ActionStore;
#[cfg(feature = "postgres")]
pub(crate) use actions::{action_changes, action_of, action_thing, no_action, today_start};
pub use agreements::AgreementStore;
pub use blind_round::BlindRoundStore;
pub use campaigns::CampaignStore;
#[cfg(feature = "postgres")]
pub(crate) use campaigns::{
    campaign_changes, campaign_name_taken, campaign_thing, no_campaign, trimmed_campaign_name,
};
pub use diagnostic::DiagnosticStore;
pub use dot_votes::DotVoteStore;
#[cfg(feature = "postgres")]
pub(crate) use dot_votes::{
    already_revealed, already_voted, checked_new_vote, dot_vote_of, no_dot_vote, tally_with,
};
#[cfg(feature = "postgres")]
pub(crate) use field_values::is_text_column;
pub use field_values::FieldValues;
pub use people::PeopleStore;
#[cfg(feature = "postgres")]
pub(crate) use people::{checked_name, person_changes, person_thing};
pub use persona_signoff::PersonaSignOff;
pub use personas::PersonaStore;
pub use sessions::SessionStore;

mod actions;
pub(crate) mod agreements;
pub(crate) mod blind_round;
mod campaigns;
pub(crate) mod definition_version;
pub(crate) mod diagnostic;
mod dot_votes;
mod field_values;
mod people;
pub(crate) mod persona_signoff;
pub(crate) mod personas;
#[cfg(test)]
mod races;
pub(crate) mod sessions;
#[cfg(test)]
mod tests;
