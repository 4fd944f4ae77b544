//! Campaigns and sales' feedback on the leads they bring.

use super::{changed_one, quality_of, quality_str, wall_clock_now};
use crate::prelude::*;
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::{DbContext, Workspace};
use baton_core::workshop::{
    summarize_feedback, Campaign, FeedbackSummary, LeadFeedback, LeadQuality,
};
use baton_core::{BatonError, Result};
use rusqlite::params;

/// Campaigns and sales' feedback on their leads.
pub trait CampaignStore {
    fn campaigns(&self) -> Result<Vec<Campaign>>;

    /// Create or update a campaign by name (names match the records' `campaign` field).
    fn save_campaign(
        &self,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
    ) -> Result<Campaign>;

    fn add_lead_feedback(
        &self,
        campaign_id: i64,
        person_id: Option<i64>,
        quality: LeadQuality,
        about: &str,
        note: &str,
    ) -> Result<()>;

    /// Change a campaign (its name too); names stay unique, ignoring case. Not checked
    /// against a version: see [`Self::update_campaign_from`].
    fn update_campaign(
        &self,
        id: i64,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
    ) -> Result<Campaign> {
        self.update_campaign_from(id, name, persona_id, channel, sales_input, None)
    }

    /// [`Self::update_campaign`] based on `seen`, the `row_version` the screen showed:
    /// refused with `conflict` naming what changed when the campaign moved on since.
    fn update_campaign_from(
        &self,
        id: i64,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
        seen: Option<i64>,
    ) -> Result<Campaign>;

    /// Delete a campaign with its feedback.
    fn delete_campaign(&self, id: i64) -> Result<()> {
        self.delete_campaign_from(id, None)
    }

    /// [`Self::delete_campaign`] based on `seen` (refused with `conflict` when stale).
    fn delete_campaign_from(&self, id: i64, seen: Option<i64>) -> Result<()>;

    /// Good / mixed / poor counts per campaign and per content or source.
    fn feedback_summary(&self) -> Result<FeedbackSummary>;
}

impl CampaignStore for Workspace {
    fn campaigns(&self) -> Result<Vec<Campaign>> {
        let mut campaigns = self.query_list(
            "reading campaigns",
            "SELECT id, name, persona_id, channel, sales_input, row_version FROM campaigns ORDER BY name",
            [],
            |r| {
                Ok(Campaign {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    persona_id: r.get(2)?,
                    channel: r.get(3)?,
                    sales_input: r.get(4)?,
                    feedback: Vec::new(),
                    row_version: r.get(5)?,
                })
            },
        )?;
        for c in &mut campaigns {
            c.feedback = self.query_list(
                "reading feedback",
                "SELECT id, person_id, quality, about, note, given_at FROM lead_feedback
                 WHERE campaign_id = ?1 ORDER BY given_at DESC, id DESC",
                [c.id],
                |r| {
                    Ok(LeadFeedback {
                        id: r.get(0)?,
                        person_id: r.get(1)?,
                        quality: quality_of(&r.get::<_, String>(2)?),
                        about: r.get(3)?,
                        note: r.get(4)?,
                        given_at: r.get(5)?,
                    })
                },
            )?;
        }
        Ok(campaigns)
    }

    fn save_campaign(
        &self,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
    ) -> Result<Campaign> {
        let name = self.checked_campaign_name(name, persona_id)?;
        self.conn
            .execute(
                "INSERT INTO campaigns(name, persona_id, channel, sales_input) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(name) DO UPDATE SET persona_id = excluded.persona_id,
                    channel = excluded.channel, sales_input = excluded.sales_input,
                    row_version = row_version + (persona_id IS NOT excluded.persona_id
                        OR channel <> excluded.channel OR sales_input <> excluded.sales_input)",
                params![name, persona_id, channel.trim(), sales_input.trim()],
            )
            .ctx("saving campaign")?;
        self.saved_campaign(|c| c.name.eq_ignore_ascii_case(name))
    }

    fn add_lead_feedback(
        &self,
        campaign_id: i64,
        person_id: Option<i64>,
        quality: LeadQuality,
        about: &str,
        note: &str,
    ) -> Result<()> {
        if let Some(p) = person_id {
            self.person(p)?;
        }
        let exists: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM campaigns WHERE id = ?1",
                [campaign_id],
                |r| r.get(0),
            )
            .ctx("reading campaign")?;
        if !exists {
            return Err(no_campaign(campaign_id));
        }
        self.conn
            .execute(
                "INSERT INTO lead_feedback(campaign_id, person_id, quality, about, note, given_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    campaign_id,
                    person_id,
                    quality_str(quality),
                    about.trim(),
                    note.trim(),
                    wall_clock_now()
                ],
            )
            .ctx("saving feedback")?;
        Ok(())
    }

    fn update_campaign_from(
        &self,
        id: i64,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
        seen: Option<i64>,
    ) -> Result<Campaign> {
        let name = self.checked_campaign_name(name, persona_id)?;
        self.write_tx("updating campaign", |ws| {
        let old = ws.campaign_by_id(id)?;
        let thing = campaign_thing(&old);
        let edit = RowEdit { table: "campaigns", id, thing: &thing, seen };
        ws.check_row_version(&edit, old.row_version, Change::Edit)?;
        let n = ws
            .conn
            .execute(
                "UPDATE campaigns SET name = ?2, persona_id = ?3, channel = ?4, sales_input = ?5 WHERE id = ?1",
                params![id, name, persona_id, channel.trim(), sales_input.trim()],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    campaign_name_taken(name)
                }
                e => crate::db_err("updating campaign", e),
            })?;
        changed_one(n, &format!("campaign {id}"))?;
        let changes = campaign_changes(&old, name, persona_id, channel, sales_input);
        ws.bump_row_version(&edit, old.row_version, &changes)?;
        ws.saved_campaign(|c| c.id == id)
        })
    }

    fn delete_campaign_from(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting campaign", |ws| {
            let old = ws.campaign_by_id(id)?;
            let thing = campaign_thing(&old);
            let edit = RowEdit {
                table: "campaigns",
                id,
                thing: &thing,
                seen,
            };
            let n = ws.delete_versioned_row(&edit, old.row_version, "deleting campaign")?;
            changed_one(n, &format!("campaign {id}"))
        })
    }

    fn feedback_summary(&self) -> Result<FeedbackSummary> {
        Ok(summarize_feedback(&self.campaigns()?))
    }
}

impl Workspace {
    /// A campaign's trimmed name, refused when empty or when its persona does not exist.
    fn checked_campaign_name<'a>(&self, name: &'a str, persona_id: Option<i64>) -> Result<&'a str> {
        let name = trimmed_campaign_name(name)?;
        if let Some(p) = persona_id {
            self.persona(p)?;
        }
        Ok(name)
    }

    /// One campaign with its feedback; NotFound when it is not there.
    fn campaign_by_id(&self, id: i64) -> Result<Campaign> {
        self.campaigns()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| no_campaign(id))
    }

    /// The campaign just written, read back with its feedback.
    fn saved_campaign(&self, is_it: impl Fn(&Campaign) -> bool) -> Result<Campaign> {
        self.campaigns()?
            .into_iter()
            .find(is_it)
            .ok_or_else(|| BatonError::internal("the saved campaign disappeared"))
    }
}

/// A campaign as its conflict message names it.
pub(crate) fn campaign_thing(c: &Campaign) -> String {
    format!("Campaign \"{}\"", c.name)
}

/// What an edit of `old` into the trimmed new values changes, as its conflict message
/// names it.
pub(crate) fn campaign_changes(
    old: &Campaign,
    name: &str,
    persona_id: Option<i64>,
    channel: &str,
    sales_input: &str,
) -> Vec<&'static str> {
    changed_fields(&[
        ("name", old.name != name),
        ("persona", old.persona_id != persona_id),
        ("channel", old.channel != channel.trim()),
        ("sales input", old.sales_input != sales_input.trim()),
    ])
}

/// A campaign's trimmed name, refused when empty.
pub(crate) fn trimmed_campaign_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BatonError::invalid("the campaign needs a name"));
    }
    Ok(name)
}

/// Renaming a campaign to a name another one has (ignoring case).
pub(crate) fn campaign_name_taken(name: &str) -> BatonError {
    BatonError::conflict(format!("another campaign is already called \"{name}\""))
}

/// Feedback on a campaign that is not there.
pub(crate) fn no_campaign(id: i64) -> BatonError {
    BatonError::not_found(format!("campaign {id} does not exist"))
}
