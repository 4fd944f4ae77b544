//! [`DotVoteStore`] on PostgreSQL: only the running tally and who has voted are stored,
//! as in the file. A ballot's checks (vote open, not voted yet, within the budget) and its
//! write are one write transaction; the second ballot of a person is refused by the
//! `dot_voters` key (`ON CONFLICT DO NOTHING`, then "already placed").
use super::in_tx::{person_name, session_agenda};
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::prelude::DotVoteStore;
use crate::workshop::{
    already_revealed, already_voted, changed_one, checked_new_vote, dot_vote_of, no_dot_vote,
    tally_with, to_json,
};
use baton_core::workshop::{check_ballot, DotVote};
use baton_core::Result;
use tokio_postgres::{GenericClient, Row};

const VOTE_SQL: &str = "SELECT v.id, v.session_id, v.topic, v.items, v.votes_per_person, v.tally,
        v.revealed, (SELECT count(*) FROM dot_voters d WHERE d.vote_id = v.id)
     FROM dot_votes v";

fn vote_row(r: &Row) -> Result<DotVote> {
    dot_vote_of(
        (r.get(0), r.get(1), r.get(2)),
        r.get(3),
        r.get::<_, i64>(4) as u32,
        r.get::<_, i64>(7) as u32,
        r.get(5),
        r.get::<_, i64>(6) != 0,
    )
}

async fn read_vote(client: &impl GenericClient, id: i64) -> Result<DotVote> {
    let row = client
        .query_opt(&format!("{VOTE_SQL} WHERE v.id = $1"), &[&id])
        .await
        .map_err(|e| pg_err("reading dot vote", e))?
        .ok_or_else(|| no_dot_vote(id))?;
    vote_row(&row)
}

impl DotVoteStore for PgWorkspace {
    fn create_dot_vote(
        &self,
        session_id: Option<i64>,
        topic: &str,
        items: &[String],
        votes_per_person: u32,
    ) -> Result<DotVote> {
        let (topic, items) = checked_new_vote(topic, items, votes_per_person)?;
        refuse_nul("the vote's topic", topic)?;
        for item in &items {
            refuse_nul("an item of the vote", item)?;
        }
        let (items_json, tally) = (to_json(&items)?, to_json(&vec![0u32; items.len()])?);
        self.write_tx("creating dot vote", async |tx| {
            if let Some(s) = session_id {
                session_agenda(&**tx, s).await?;
            }
            let id: i64 = tx
                .query_one(
                    "INSERT INTO dot_votes(session_id, topic, items, votes_per_person, tally)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    &[
                        &session_id,
                        &topic,
                        &items_json,
                        &i64::from(votes_per_person),
                        &tally,
                    ],
                )
                .await
                .map_err(|e| pg_err("creating dot vote", e))?
                .get(0);
            read_vote(&**tx, id).await
        })
    }

    fn dot_vote(&self, id: i64) -> Result<DotVote> {
        self.run(async {
            let client = self.conn().await?;
            read_vote(&**client, id).await
        })
    }

    fn dot_votes(&self, session_id: Option<i64>) -> Result<Vec<DotVote>> {
        self.query_rows(
            "reading dot votes",
            &format!("{VOTE_SQL} WHERE $1::bigint IS NULL OR v.session_id = $1 ORDER BY v.id DESC"),
            &[&session_id],
            vote_row,
        )?
        .into_iter()
        .collect()
    }

    fn cast_dots(&self, vote_id: i64, person_id: i64, dots: &[u32]) -> Result<DotVote> {
        self.write_tx("casting dots", async |tx| {
            let vote = read_vote(&**tx, vote_id).await?;
            let name = person_name(&**tx, person_id).await?;
            if vote.revealed {
                return Err(already_revealed());
            }
            check_ballot(vote.items.len(), vote.votes_per_person, dots)?;
            let inserted = tx
                .execute(
                    "INSERT INTO dot_voters(vote_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[&vote_id, &person_id],
                )
                .await
                .map_err(|e| pg_err("casting dots", e))?;
            if inserted == 0 {
                return Err(already_voted(&name));
            }
            let tally: String = tx
                .query_one("SELECT tally FROM dot_votes WHERE id = $1", &[&vote_id])
                .await
                .map_err(|e| pg_err("casting dots", e))?
                .get(0);
            tx.execute(
                "UPDATE dot_votes SET tally = $2 WHERE id = $1",
                &[&vote_id, &tally_with(&tally, dots)?],
            )
            .await
            .map_err(|e| pg_err("casting dots", e))?;
            read_vote(&**tx, vote_id).await
        })
    }

    fn reveal_dot_vote(&self, vote_id: i64) -> Result<DotVote> {
        self.write_tx("revealing vote", async |tx| {
            let n = tx
                .execute(
                    "UPDATE dot_votes SET revealed = 1 WHERE id = $1",
                    &[&vote_id],
                )
                .await
                .map_err(|e| pg_err("revealing vote", e))?;
            changed_one(n as usize, &format!("dot vote {vote_id}"))?;
            read_vote(&**tx, vote_id).await
        })
    }

    fn has_voted(&self, vote_id: i64, person_id: i64) -> Result<bool> {
        self.query_opt_row(
            "reading the ballot count",
            "SELECT EXISTS(SELECT 1 FROM dot_voters WHERE vote_id = $1 AND person_id = $2)",
            &[&vote_id, &person_id],
            |r| r.get::<_, bool>(0),
        )
        .map(|b| b.unwrap_or(false))
    }
}
