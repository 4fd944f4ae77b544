//! Dot votes: anonymous ballots, one per person, only the tally is kept; the tally
//! shows once revealed.
use crate::{Area, Service};
use baton_core::workshop::DotVote;
use baton_core::Result;

impl Service {
    /// Votes of one session, or all when `session_id` is None; newest first.
    pub fn dot_votes(&self, session_id: Option<i64>) -> Result<Vec<DotVote>> {
        self.read(|ws| ws.dot_votes(session_id))
    }

    pub fn dot_vote_create(
        &self,
        session_id: Option<i64>,
        topic: &str,
        items: &[String],
        votes_per_person: u32,
    ) -> Result<DotVote> {
        self.write(
            Area::Votes,
            |v: &DotVote| Some(v.id),
            |ws| ws.create_dot_vote(session_id, topic, items, votes_per_person),
        )
    }

    /// Cast one person's ballot. The store checks (one ballot per person, not yet
    /// revealed) and writes in one transaction.
    pub fn dot_cast(&self, vote_id: i64, person_id: i64, dots: &[u32]) -> Result<DotVote> {
        self.write(
            Area::Votes,
            |_| Some(vote_id),
            |ws| ws.cast_dots(vote_id, person_id, dots),
        )
    }

    pub fn dot_reveal(&self, vote_id: i64) -> Result<DotVote> {
        self.write(
            Area::Votes,
            |_| Some(vote_id),
            |ws| ws.reveal_dot_vote(vote_id),
        )
    }
}
