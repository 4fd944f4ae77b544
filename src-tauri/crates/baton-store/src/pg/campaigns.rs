//! [`CampaignStore`] on PostgreSQL. Names are unique ignoring ASCII case, as the file's
//! `COLLATE NOCASE` column (the `lower(name COLLATE "C")` index of
//! `schema/pg/001_workshop.sql`), and campaigns list in that order; feedback newest first.
use super::in_tx::{person_name, require_persona};
use super::row_version::{bump_row_version, check_row_version, delete_versioned_row};
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::prelude::CampaignStore;
use crate::row_version::{Change, RowEdit};
use crate::workshop::{
    campaign_changes, campaign_name_taken, campaign_thing, changed_one, no_campaign, quality_of,
    quality_str, trimmed_campaign_name, wall_clock_now,
};
use baton_core::workshop::{
    summarize_feedback, Campaign, FeedbackSummary, LeadFeedback, LeadQuality,
};
use baton_core::{BatonError, Result};
use tokio_postgres::error::SqlState;
use tokio_postgres::GenericClient;

/// A campaign's row (without its feedback) inside the caller's transaction; NotFound
/// when it is not there.
async fn campaign_row_in(c: &impl GenericClient, id: i64) -> Result<Campaign> {
    let row = c
        .query_opt(
            "SELECT id, name, persona_id, channel, sales_input, row_version FROM campaigns
             WHERE id = $1",
            &[&id],
        )
        .await
        .map_err(|e| pg_err("reading campaign", e))?
        .ok_or_else(|| no_campaign(id))?;
    Ok(Campaign {
        id: row.get(0),
        name: row.get(1),
        persona_id: row.get(2),
        channel: row.get(3),
        sales_input: row.get(4),
        feedback: Vec::new(),
        row_version: row.get(5),
    })
}

/// The typed texts of a campaign, refused when one holds a NUL.
fn check_texts(name: &str, channel: &str, sales_input: &str) -> Result<()> {
    refuse_nul("the campaign's name", name)?;
    refuse_nul("the campaign's channel", channel)?;
    refuse_nul("sales' input on the campaign", sales_input)
}

impl PgWorkspace {
    /// The campaign just written, read back with its feedback.
    fn saved_campaign(&self, is_it: impl Fn(&Campaign) -> bool) -> Result<Campaign> {
        self.campaigns()?
            .into_iter()
            .find(is_it)
            .ok_or_else(|| BatonError::internal("the saved campaign disappeared"))
    }
}

impl CampaignStore for PgWorkspace {
    fn campaigns(&self) -> Result<Vec<Campaign>> {
        let mut campaigns = self.query_rows(
            "reading campaigns",
            r#"SELECT id, name, persona_id, channel, sales_input, row_version FROM campaigns
               ORDER BY lower(name COLLATE "C"), id"#,
            &[],
            |r| Campaign {
                id: r.get(0),
                name: r.get(1),
                persona_id: r.get(2),
                channel: r.get(3),
                sales_input: r.get(4),
                feedback: Vec::new(),
                row_version: r.get(5),
            },
        )?;
        let feedback = self.query_rows(
            "reading feedback",
            "SELECT campaign_id, id, person_id, quality, about, note, given_at FROM lead_feedback
             ORDER BY campaign_id, given_at DESC, id DESC",
            &[],
            |r| {
                (
                    r.get::<_, i64>(0),
                    LeadFeedback {
                        id: r.get(1),
                        person_id: r.get(2),
                        quality: quality_of(r.get(3)),
                        about: r.get(4),
                        note: r.get(5),
                        given_at: r.get(6),
                    },
                )
            },
        )?;
        for (campaign_id, f) in feedback {
            if let Some(c) = campaigns.iter_mut().find(|c| c.id == campaign_id) {
                c.feedback.push(f);
            }
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
        let name = trimmed_campaign_name(name)?;
        let (channel, sales_input) = (channel.trim(), sales_input.trim());
        check_texts(name, channel, sales_input)?;
        self.write_tx("saving campaign", async |tx| {
            if let Some(p) = persona_id {
                require_persona(&**tx, p).await?;
            }
            tx.execute(
                r#"INSERT INTO campaigns(name, persona_id, channel, sales_input) VALUES ($1, $2, $3, $4)
                   ON CONFLICT ((lower(name COLLATE "C"))) DO UPDATE SET persona_id = excluded.persona_id,
                      channel = excluded.channel, sales_input = excluded.sales_input,
                      row_version = campaigns.row_version
                        + (campaigns.persona_id IS DISTINCT FROM excluded.persona_id
                           OR campaigns.channel <> excluded.channel
                           OR campaigns.sales_input <> excluded.sales_input)::int"#,
                &[&name, &persona_id, &channel, &sales_input],
            )
            .await
            .map_err(|e| pg_err("saving campaign", e))
        })?;
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
        let (about, note) = (about.trim(), note.trim());
        refuse_nul("what the feedback is about", about)?;
        refuse_nul("the feedback's note", note)?;
        self.write_tx("saving feedback", async |tx| {
            if let Some(p) = person_id {
                person_name(&**tx, p).await?;
            }
            tx.query_opt("SELECT 1 FROM campaigns WHERE id = $1", &[&campaign_id])
                .await
                .map_err(|e| pg_err("reading campaign", e))?
                .ok_or_else(|| no_campaign(campaign_id))?;
            tx.execute(
                "INSERT INTO lead_feedback(campaign_id, person_id, quality, about, note, given_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &campaign_id,
                    &person_id,
                    &quality_str(quality),
                    &about,
                    &note,
                    &wall_clock_now(),
                ],
            )
            .await
            .map_err(|e| pg_err("saving feedback", e))?;
            Ok(())
        })
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
        let name = trimmed_campaign_name(name)?;
        let (channel, sales_input) = (channel.trim(), sales_input.trim());
        check_texts(name, channel, sales_input)?;
        self.write_tx("updating campaign", async |tx| {
            if let Some(p) = persona_id {
                require_persona(&**tx, p).await?;
            }
            let old = campaign_row_in(&**tx, id).await?;
            let thing = campaign_thing(&old);
            let edit = RowEdit {
                table: "campaigns",
                id,
                thing: &thing,
                seen,
            };
            check_row_version(&**tx, &edit, old.row_version, Change::Edit).await?;
            let n = tx.execute(
                "UPDATE campaigns SET name = $2, persona_id = $3, channel = $4, sales_input = $5 WHERE id = $1",
                &[&id, &name, &persona_id, &channel, &sales_input],
            )
            .await
            .map_err(|e| match e.code() {
                Some(c) if *c == SqlState::UNIQUE_VIOLATION => campaign_name_taken(name),
                _ => pg_err("updating campaign", e),
            })?;
            changed_one(n as usize, &format!("campaign {id}"))?;
            let changes = campaign_changes(&old, name, persona_id, channel, sales_input);
            bump_row_version(&**tx, &edit, old.row_version, &changes).await?;
            Ok(())
        })?;
        self.saved_campaign(|c| c.id == id)
    }

    fn delete_campaign_from(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting campaign", async |tx| {
            let old = campaign_row_in(&**tx, id).await?;
            let thing = campaign_thing(&old);
            let edit = RowEdit {
                table: "campaigns",
                id,
                thing: &thing,
                seen,
            };
            let n =
                delete_versioned_row(&**tx, &edit, old.row_version, "deleting campaign").await?;
            changed_one(n as usize, &format!("campaign {id}"))
        })
    }

    fn feedback_summary(&self) -> Result<FeedbackSummary> {
        Ok(summarize_feedback(&self.campaigns()?))
    }
}
