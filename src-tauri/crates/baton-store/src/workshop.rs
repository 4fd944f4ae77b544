//! Workshop area storage: people, personas, agreements with sign-off, the
//! diagnostic, sessions, action items, dot votes and campaigns. Stage names and
//! the CRM value → stage map are the import area's methods (`imports.rs`).
//!
//! One module per area: `people`, `personas` (+ `field_values` for the criteria
//! picker, `persona_signoff`), `agreements` (versions, sign-off, the vocabulary view),
//! `blind_round`, `diagnostic`, `sessions` (with decisions and the parking lot),
//! `actions`, `dot_votes`, `campaigns` (with lead feedback). This file keeps the
//! helpers they share.

use crate::StoredRecord;
use baton_core::stages::{Stage, LOST};
use baton_core::workshop::{LeadQuality, Team};
use baton_core::{BatonError, Result};

/// The current wall-clock time as seconds (local time treated as UTC, see architecture.md).
pub fn wall_clock_now() -> i64 {
    chrono::Local::now().naive_local().and_utc().timestamp()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| BatonError::internal(format!("encoding JSON: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| BatonError::internal(format!("{what} is damaged: {e}")))
}

fn team_of(s: &str) -> Team {
    Team::parse(s).unwrap_or(Team::Other)
}

fn quality_str(q: LeadQuality) -> &'static str {
    match q {
        LeadQuality::Good => "good",
        LeadQuality::Mixed => "mixed",
        LeadQuality::Poor => "poor",
    }
}

fn quality_of(s: &str) -> LeadQuality {
    match s {
        "good" => LeadQuality::Good,
        "mixed" => LeadQuality::Mixed,
        _ => LeadQuality::Poor,
    }
}

/// Fail with NotFound unless exactly one row changed.
fn changed_one(n: usize, what: &str) -> Result<()> {
    if n == 0 {
        Err(BatonError::not_found(format!("{what} does not exist")))
    } else {
        Ok(())
    }
}

/// A record field as text, the way persona criteria read it.
pub fn record_field(r: &StoredRecord, field: &str) -> Option<String> {
    let s = |v: &Option<String>| v.clone();
    match field {
        "source" => s(&r.source),
        "campaign" => s(&r.campaign),
        "owner" => s(&r.owner),
        "segment" => s(&r.segment),
        "industry" => s(&r.industry),
        "country" => s(&r.country),
        "lost_reason" => s(&r.lost_reason),
        "kind" => Some(r.kind.clone()),
        "company_size" => r.company_size.map(|n| n.to_string()),
        "amount" => r.amount.map(|n| n.to_string()),
        "current_stage" | "stage" => s(&r.current_stage),
        other => r
            .custom
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(other))
            .map(|(_, v)| v.clone()),
    }
}

/// Did the record reach `stage` (at `position` in the funnel)? Either a date or a
/// first sighting for that stage, a current stage at or past it, or (for the last
/// stage) a won outcome.
fn reached(r: &StoredRecord, stage: &str, position: u32, stages: &[Stage]) -> bool {
    if r.stage_dates.iter().any(|(s, _)| s == stage) || r.first_seen.iter().any(|(s, _)| s == stage)
    {
        return true;
    }
    let last = stages.last().is_some_and(|s| s.id == stage);
    if last && r.outcome.as_deref() == Some("won") {
        return true;
    }
    r.current_stage
        .as_deref()
        .filter(|c| *c != LOST)
        .and_then(|c| stages.iter().find(|s| s.id == c))
        .is_some_and(|s| s.position >= position)
}

mod actions;
mod agreements;
mod blind_round;
mod campaigns;
mod diagnostic;
mod dot_votes;
mod field_values;
mod people;
mod persona_signoff;
mod personas;
#[cfg(test)]
mod races;
mod sessions;
#[cfg(test)]
mod tests;
