//! Dot votes: anonymous ballots, only the running tally is stored.

use super::{changed_one, from_json, to_json};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::workshop::{check_ballot, distinct_items, DotVote};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// Anonymous dot votes.
pub trait DotVoteStore {
    fn create_dot_vote(
        &self,
        session_id: Option<i64>,
        topic: &str,
        items: &[String],
        votes_per_person: u32,
    ) -> Result<DotVote>;

    fn dot_vote(&self, id: i64) -> Result<DotVote>;

    fn dot_votes(&self, session_id: Option<i64>) -> Result<Vec<DotVote>>;

    /// Cast one participant's dots. Only the running tally is stored, so nobody
    /// (not even the file) can tell who put dots where. One ballot per person. The
    /// checks (vote still open, not voted yet) and the write are one IMMEDIATE
    /// transaction: a reveal or a second ballot from another window cannot slip in between.
    fn cast_dots(&self, vote_id: i64, person_id: i64, dots: &[u32]) -> Result<DotVote>;

    /// Reveal the tally; the tally returned is the one revealed (read in the same
    /// transaction), and no ballot can be added after it.
    fn reveal_dot_vote(&self, vote_id: i64) -> Result<DotVote>;

    /// Whether `person_id` has cast a ballot on the vote (never what it was).
    fn has_voted(&self, vote_id: i64, person_id: i64) -> Result<bool>;
}

impl DotVoteStore for Workspace {
    fn create_dot_vote(
        &self,
        session_id: Option<i64>,
        topic: &str,
        items: &[String],
        votes_per_person: u32,
    ) -> Result<DotVote> {
        let (topic, items) = checked_new_vote(topic, items, votes_per_person)?;
        if let Some(s) = session_id {
            self.session(s)?;
        }
        self.conn
            .execute(
                "INSERT INTO dot_votes(session_id, topic, items, votes_per_person, tally)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    session_id,
                    topic,
                    to_json(&items)?,
                    votes_per_person,
                    to_json(&vec![0u32; items.len()])?
                ],
            )
            .ctx("creating dot vote")?;
        let id = self.conn.last_insert_rowid();
        self.dot_vote(id)
    }

    fn dot_vote(&self, id: i64) -> Result<DotVote> {
        let (session_id, topic, items, vpp, tally, revealed): (
            Option<i64>,
            String,
            String,
            u32,
            String,
            bool,
        ) = self
            .conn
            .query_row(
                "SELECT session_id, topic, items, votes_per_person, tally, revealed FROM dot_votes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .ctx("reading dot vote")?
            .ok_or_else(|| no_dot_vote(id))?;
        let ballots_cast: u32 = self
            .conn
            .query_row(
                "SELECT count(*) FROM dot_voters WHERE vote_id = ?1",
                [id],
                |r| r.get(0),
            )
            .ctx("reading dot vote")?;
        dot_vote_of(
            (id, session_id, topic),
            &items,
            vpp,
            ballots_cast,
            &tally,
            revealed,
        )
    }

    fn dot_votes(&self, session_id: Option<i64>) -> Result<Vec<DotVote>> {
        let ids: Vec<i64> = {
            self.query_list(
                "reading dot votes",
                "SELECT id FROM dot_votes WHERE ?1 IS NULL OR session_id = ?1 ORDER BY id DESC",
                [session_id],
                |r| r.get(0),
            )?
        };
        ids.into_iter().map(|id| self.dot_vote(id)).collect()
    }

    fn cast_dots(&self, vote_id: i64, person_id: i64, dots: &[u32]) -> Result<DotVote> {
        self.write_tx("casting dots", |ws| {
            let vote = ws.dot_vote(vote_id)?;
            let person = ws.person(person_id)?;
            if vote.revealed {
                return Err(already_revealed());
            }
            check_ballot(vote.items.len(), vote.votes_per_person, dots)?;
            let tx = &ws.conn;
            let inserted = tx
                .execute(
                    "INSERT OR IGNORE INTO dot_voters(vote_id, person_id) VALUES (?1, ?2)",
                    params![vote_id, person_id],
                )
                .ctx("casting dots")?;
            if inserted == 0 {
                return Err(already_voted(&person.name));
            }
            let tally: String = tx
                .query_row(
                    "SELECT tally FROM dot_votes WHERE id = ?1",
                    [vote_id],
                    |r| r.get(0),
                )
                .ctx("casting dots")?;
            tx.execute(
                "UPDATE dot_votes SET tally = ?2 WHERE id = ?1",
                params![vote_id, tally_with(&tally, dots)?],
            )
            .ctx("casting dots")?;
            ws.dot_vote(vote_id)
        })
    }

    fn has_voted(&self, vote_id: i64, person_id: i64) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM dot_voters WHERE vote_id = ?1 AND person_id = ?2)",
                params![vote_id, person_id],
                |r| r.get(0),
            )
            .ctx("reading the ballot count")
    }

    fn reveal_dot_vote(&self, vote_id: i64) -> Result<DotVote> {
        self.write_tx("revealing vote", |ws| {
            let n = ws
                .conn
                .execute("UPDATE dot_votes SET revealed = 1 WHERE id = ?1", [vote_id])
                .ctx("revealing vote")?;
            changed_one(n, &format!("dot vote {vote_id}"))?;
            ws.dot_vote(vote_id)
        })
    }
}

/// A new vote's trimmed topic and distinct items, refused when the topic is empty, fewer
/// than two items differ, or the dots per person are not 1 to 20.
pub(crate) fn checked_new_vote<'a>(
    topic: &'a str,
    items: &[String],
    votes_per_person: u32,
) -> Result<(&'a str, Vec<String>)> {
    if topic.trim().is_empty() {
        return Err(BatonError::invalid("the vote needs a topic"));
    }
    let items = distinct_items(items);
    if items.len() < 2 {
        return Err(BatonError::invalid(
            "a dot vote needs at least two different items",
        ));
    }
    if votes_per_person == 0 || votes_per_person > 20 {
        return Err(BatonError::invalid(format!(
            "{votes_per_person} votes per person; expected 1 to 20"
        )));
    }
    Ok((topic.trim(), items))
}

/// A vote as read: (id, session, topic), its items and tally as stored (JSON); the tally
/// is shown only once revealed.
pub(crate) fn dot_vote_of(
    (id, session_id, topic): (i64, Option<i64>, String),
    items: &str,
    votes_per_person: u32,
    ballots_cast: u32,
    tally: &str,
    revealed: bool,
) -> Result<DotVote> {
    Ok(DotVote {
        id,
        session_id,
        topic,
        items: from_json(items, "vote items")?,
        votes_per_person,
        ballots_cast,
        revealed,
        tally: if revealed {
            from_json(tally, "vote tally")?
        } else {
            Vec::new()
        },
    })
}

/// The stored tally (JSON) with a checked ballot's dots added.
pub(crate) fn tally_with(tally: &str, dots: &[u32]) -> Result<String> {
    let mut tally: Vec<u32> = from_json(tally, "vote tally")?;
    for (t, d) in tally.iter_mut().zip(dots) {
        *t += d;
    }
    to_json(&tally)
}

/// A second ballot from the same person.
pub(crate) fn already_voted(name: &str) -> BatonError {
    BatonError::conflict(format!("{name} has already placed their dots on this vote"))
}

/// A vote that is not there.
pub(crate) fn no_dot_vote(id: i64) -> BatonError {
    BatonError::not_found(format!("dot vote {id} does not exist"))
}

/// A ballot after the reveal.
pub(crate) fn already_revealed() -> BatonError {
    BatonError::conflict("the vote was already revealed")
}
