//! The blind round: sales and marketing each draft a definition unseen, then
//! reveal both side by side and merge them into a new version.

use super::{from_json, to_json, wall_clock_now};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::agreement::{compare_drafts, Agreement, BlindRound, DefinitionContent};
use baton_core::workshop::Team;
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// Blind drafts from sales and marketing, their reveal and merge.
pub trait BlindRoundStore {
    /// Submit one side's blind draft (replacing its earlier draft while unrevealed).
    fn submit_blind_draft(
        &self,
        agreement_id: i64,
        team: Team,
        content: DefinitionContent,
    ) -> Result<BlindRound>;

    /// The state of the blind round; drafts are shown only after reveal.
    fn blind_round(&self, agreement_id: i64) -> Result<BlindRound>;

    /// Reveal both drafts side by side; refused until both sides have submitted.
    fn reveal_blind_drafts(&self, agreement_id: i64) -> Result<BlindRound>;

    /// Save the merged result as a new version and close the blind round.
    fn merge_blind_drafts(
        &self,
        agreement_id: i64,
        merged: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement>;
}

impl BlindRoundStore for Workspace {
    fn submit_blind_draft(
        &self,
        agreement_id: i64,
        team: Team,
        content: DefinitionContent,
    ) -> Result<BlindRound> {
        check_draft_team(team)?;
        check_not_revealed(&self.blind_round(agreement_id)?)?;
        let content = checked_content(content, "the draft is empty")?;
        self.conn
            .execute(
                "INSERT INTO blind_drafts(agreement_id, team, content, submitted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(agreement_id, team) DO UPDATE SET content = excluded.content, submitted_at = excluded.submitted_at",
                params![agreement_id, team.as_str(), to_json(&content)?, wall_clock_now()],
            )
            .ctx("saving draft")?;
        self.blind_round(agreement_id)
    }

    fn blind_round(&self, agreement_id: i64) -> Result<BlindRound> {
        let revealed: bool = self
            .conn
            .query_row(
                "SELECT blind_revealed FROM agreements WHERE id = ?1",
                [agreement_id],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading agreement")?
            .ok_or_else(|| {
                BatonError::not_found(format!("agreement {agreement_id} does not exist"))
            })?;
        let sales = self.blind_draft(agreement_id, Team::Sales)?;
        let marketing = self.blind_draft(agreement_id, Team::Marketing)?;
        Ok(blind_round_of(agreement_id, revealed, sales, marketing))
    }

    fn reveal_blind_drafts(&self, agreement_id: i64) -> Result<BlindRound> {
        check_revealable(&self.blind_round(agreement_id)?)?;
        self.conn
            .execute(
                "UPDATE agreements SET blind_revealed = 1 WHERE id = ?1",
                [agreement_id],
            )
            .ctx("revealing drafts")?;
        self.blind_round(agreement_id)
    }

    fn merge_blind_drafts(
        &self,
        agreement_id: i64,
        merged: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement> {
        let merged = checked_content(merged, "the merged definition is empty")?;
        self.write_tx("merging drafts", |ws| {
            check_mergeable(&ws.blind_round(agreement_id)?)?;
            let terms = ws.terms_to_record(&ws.agreement(agreement_id)?.subject)?;
            let tx = &ws.conn;
            Self::insert_version(
                tx,
                agreement_id,
                &merged,
                &terms,
                author,
                "merged from blind drafts",
            )?;
            tx.execute(
                "DELETE FROM blind_drafts WHERE agreement_id = ?1",
                [agreement_id],
            )
            .ctx("merging drafts")?;
            tx.execute(
                "UPDATE agreements SET blind_revealed = 0 WHERE id = ?1",
                [agreement_id],
            )
            .ctx("merging drafts")?;
            ws.agreement(agreement_id)
        })
    }
}

impl Workspace {
    fn blind_draft(&self, agreement_id: i64, team: Team) -> Result<Option<DefinitionContent>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT content FROM blind_drafts WHERE agreement_id = ?1 AND team = ?2",
                params![agreement_id, team.as_str()],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading draft")?;
        s.map(|s| from_json(&s, "draft")).transpose()
    }
}

/// Blind drafts come from sales or marketing.
pub(crate) fn check_draft_team(team: Team) -> Result<()> {
    if !matches!(team, Team::Sales | Team::Marketing) {
        return Err(BatonError::invalid(
            "blind drafts come from sales and from marketing; pick one of the two",
        ));
    }
    Ok(())
}

/// A draft (or merged definition), normalized; refused with `empty` when empty.
pub(crate) fn checked_content(
    content: DefinitionContent,
    empty: &'static str,
) -> Result<DefinitionContent> {
    let content = content.normalized();
    if content.is_empty() {
        return Err(BatonError::invalid(empty));
    }
    Ok(content)
}

/// No draft changes once the round is revealed.
pub(crate) fn check_not_revealed(round: &BlindRound) -> Result<()> {
    if round.revealed {
        return Err(BatonError::conflict(
            "the drafts were already revealed; merge them or start a new round",
        ));
    }
    Ok(())
}

/// Both sides submit before the reveal.
pub(crate) fn check_revealable(round: &BlindRound) -> Result<()> {
    if !(round.sales_submitted && round.marketing_submitted) {
        let waiting = if round.sales_submitted {
            "marketing"
        } else {
            "sales"
        };
        return Err(BatonError::conflict(format!(
            "waiting for the {waiting} draft; both sides submit before the reveal"
        )));
    }
    Ok(())
}

/// Drafts are merged only once revealed.
pub(crate) fn check_mergeable(round: &BlindRound) -> Result<()> {
    if !round.revealed {
        return Err(BatonError::conflict("reveal both drafts before merging"));
    }
    Ok(())
}

/// The round as anyone may see it: the drafts are compared only once revealed.
pub(crate) fn blind_round_of(
    agreement_id: i64,
    revealed: bool,
    sales: Option<DefinitionContent>,
    marketing: Option<DefinitionContent>,
) -> BlindRound {
    let comparison = match (&sales, &marketing) {
        (Some(s), Some(m)) if revealed => Some(compare_drafts(s, m)),
        _ => None,
    };
    BlindRound {
        agreement_id,
        sales_submitted: sales.is_some(),
        marketing_submitted: marketing.is_some(),
        revealed,
        comparison,
    }
}
