//! Campaigns with sales input, and sales' feedback on the leads they brought.
use crate::{Area, Service};
use baton_core::workshop::{Campaign, FeedbackSummary, LeadQuality};
use baton_core::Result;

/// A campaign as typed in the campaign form.
#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub name: String,
    pub persona_id: Option<i64>,
    pub channel: String,
    pub sales_input: String,
}

/// One piece of feedback on a lead a campaign brought.
#[derive(Debug, Clone)]
pub struct FeedbackDraft {
    pub campaign_id: i64,
    pub person_id: Option<i64>,
    pub quality: LeadQuality,
    pub about: String,
    pub note: String,
}

impl Service {
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        self.read(|ws| ws.campaigns())
    }

    /// Add a campaign (`id` None) or change one, based on `seen`, the `row_version` the
    /// screen showed (refused with `conflict` naming what changed when it moved on).
    pub fn campaign_save(
        &self,
        id: Option<i64>,
        c: &CampaignDraft,
        seen: Option<i64>,
    ) -> Result<Campaign> {
        self.write(
            Area::Campaigns,
            |c: &Campaign| Some(c.id),
            |ws| match id {
                Some(id) => {
                    let (name, persona) = (&c.name, c.persona_id);
                    ws.update_campaign_from(id, name, persona, &c.channel, &c.sales_input, seen)
                }
                None => ws.save_campaign(&c.name, c.persona_id, &c.channel, &c.sales_input),
            },
        )
    }

    /// Delete a campaign with its feedback, based on `seen` (refused when stale).
    pub fn campaign_delete(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write(
            Area::Campaigns,
            |_| Some(id),
            |ws| ws.delete_campaign_from(id, seen),
        )
    }

    /// Good / mixed / poor counts per campaign and per content or source.
    pub fn feedback_summary(&self) -> Result<FeedbackSummary> {
        self.read(|ws| ws.feedback_summary())
    }

    pub fn feedback_add(&self, f: &FeedbackDraft) -> Result<()> {
        self.write(
            Area::Campaigns,
            |_| Some(f.campaign_id),
            |ws| ws.add_lead_feedback(f.campaign_id, f.person_id, f.quality, &f.about, &f.note),
        )
    }
}
