//! [`BlindRoundStore`] on PostgreSQL, with the file's rules
//! (`workshop/blind_round.rs`'s shared checks). Each write checks the round inside its
//! own transaction, under the workspace write lock: a draft racing the reveal is either
//! in the revealed round or refused.
use super::agreements::{agreement_in, ctx, insert_version_in, terms_to_record_in};
use super::text_check::refuse_nul;
use super::PgWorkspace;
use crate::prelude::BlindRoundStore;
use crate::workshop::blind_round::{
    blind_round_of, check_draft_team, check_mergeable, check_not_revealed, check_revealable,
    checked_content,
};
use crate::workshop::{from_json, to_json, wall_clock_now};
use baton_core::agreement::{Agreement, BlindRound, DefinitionContent};
use baton_core::workshop::Team;
use baton_core::{BatonError, Result};
use tokio_postgres::GenericClient;

async fn blind_round_in(c: &impl GenericClient, agreement_id: i64) -> Result<BlindRound> {
    let revealed: i64 = c
        .query_opt(
            "SELECT blind_revealed FROM agreements WHERE id = $1",
            &[&agreement_id],
        )
        .await
        .map_err(ctx("reading agreement"))?
        .ok_or_else(|| BatonError::not_found(format!("agreement {agreement_id} does not exist")))?
        .get(0);
    let sales = blind_draft_in(c, agreement_id, Team::Sales).await?;
    let marketing = blind_draft_in(c, agreement_id, Team::Marketing).await?;
    Ok(blind_round_of(
        agreement_id,
        revealed != 0,
        sales,
        marketing,
    ))
}

async fn blind_draft_in(
    c: &impl GenericClient,
    agreement_id: i64,
    team: Team,
) -> Result<Option<DefinitionContent>> {
    c.query_opt(
        "SELECT content FROM blind_drafts WHERE agreement_id = $1 AND team = $2",
        &[&agreement_id, &team.as_str()],
    )
    .await
    .map_err(ctx("reading draft"))?
    .map(|r| from_json(r.get(0), "draft"))
    .transpose()
}

impl BlindRoundStore for PgWorkspace {
    fn submit_blind_draft(
        &self,
        agreement_id: i64,
        team: Team,
        content: DefinitionContent,
    ) -> Result<BlindRound> {
        check_draft_team(team)?;
        self.write_tx("saving draft", async |tx| {
            check_not_revealed(&blind_round_in(&**tx, agreement_id).await?)?;
            let content = to_json(&checked_content(content, "the draft is empty")?)?;
            tx.execute(
                "INSERT INTO blind_drafts(agreement_id, team, content, submitted_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (agreement_id, team) DO UPDATE SET content = excluded.content,
                    submitted_at = excluded.submitted_at",
                &[&agreement_id, &team.as_str(), &content, &wall_clock_now()],
            )
            .await
            .map_err(ctx("saving draft"))?;
            blind_round_in(&**tx, agreement_id).await
        })
    }

    fn blind_round(&self, agreement_id: i64) -> Result<BlindRound> {
        self.on_conn(async |c| blind_round_in(c, agreement_id).await)
    }

    fn reveal_blind_drafts(&self, agreement_id: i64) -> Result<BlindRound> {
        self.write_tx("revealing drafts", async |tx| {
            check_revealable(&blind_round_in(&**tx, agreement_id).await?)?;
            tx.execute(
                "UPDATE agreements SET blind_revealed = 1 WHERE id = $1",
                &[&agreement_id],
            )
            .await
            .map_err(ctx("revealing drafts"))?;
            blind_round_in(&**tx, agreement_id).await
        })
    }

    fn merge_blind_drafts(
        &self,
        agreement_id: i64,
        merged: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement> {
        let merged = checked_content(merged, "the merged definition is empty")?;
        if let Some(author) = author {
            refuse_nul("the author", author)?;
        }
        self.write_tx("merging drafts", async |tx| {
            let c = &**tx;
            check_mergeable(&blind_round_in(c, agreement_id).await?)?;
            let terms =
                terms_to_record_in(c, &agreement_in(c, agreement_id).await?.subject).await?;
            insert_version_in(
                c,
                agreement_id,
                &merged,
                &terms,
                author,
                "merged from blind drafts",
            )
            .await?;
            c.execute(
                "DELETE FROM blind_drafts WHERE agreement_id = $1",
                &[&agreement_id],
            )
            .await
            .map_err(ctx("merging drafts"))?;
            c.execute(
                "UPDATE agreements SET blind_revealed = 0 WHERE id = $1",
                &[&agreement_id],
            )
            .await
            .map_err(ctx("merging drafts"))?;
            agreement_in(c, agreement_id).await
        })
    }
}
