//! Workshop sessions, the decision log and the parking lot.
use crate::{no_id, Area, Service};
use baton_core::workshop::{ActionInput, ActionItem, Session, SessionInput};
use baton_core::Result;

impl Service {
    pub fn sessions(&self) -> Result<Vec<Session>> {
        self.read(|ws| ws.sessions())
    }

    /// Create a session (`id` None) or change one.
    /// Create a session (`id` None) or change one. `seen`: the `row_version` the change
    /// is based on (the one on screen); when someone changed the session since, refused
    /// with `conflict` naming what changed, and nothing is saved.
    pub fn session_save(
        &self,
        id: Option<i64>,
        input: &SessionInput,
        seen: Option<i64>,
    ) -> Result<Session> {
        self.write(
            Area::Sessions,
            |s: &Session| Some(s.id),
            |ws| match id {
                Some(id) => ws.update_session(id, input, seen),
                None => ws.create_session(input),
            },
        )
    }

    /// Delete a session; `seen` as for [`Self::session_save`].
    pub fn session_delete(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write(
            Area::Sessions,
            |_| Some(id),
            |ws| ws.delete_session(id, seen),
        )
    }

    pub fn log_decision(&self, session_id: i64, text: &str) -> Result<Session> {
        self.write(
            Area::Decisions,
            |_| Some(session_id),
            |ws| ws.log_decision(session_id, text),
        )
    }

    /// Log a decision in a new session (`title` on `date`), in one transaction: a
    /// refused decision leaves no empty session behind.
    pub fn log_decision_in_new_session(
        &self,
        title: &str,
        date: &str,
        text: &str,
    ) -> Result<Session> {
        self.write(
            Area::Decisions,
            |s: &Session| Some(s.id),
            |ws| {
                let s = ws.create_session(&SessionInput {
                    title: title.to_string(),
                    date: date.to_string(),
                    participant_ids: Vec::new(),
                    agenda: Vec::new(),
                })?;
                ws.log_decision(s.id, text)
            },
        )
    }

    pub fn park(&self, session_id: i64, text: &str) -> Result<Session> {
        self.write(
            Area::Decisions,
            |_| Some(session_id),
            |ws| ws.park_topic(session_id, text),
        )
    }

    /// Resolve or reopen a parked topic, based on `seen`, its `row_version` on screen
    /// (refused with `conflict` when someone else changed it since).
    pub fn park_resolve(&self, item_id: i64, resolved: bool, seen: Option<i64>) -> Result<()> {
        self.write(Area::Decisions, no_id, |ws| {
            ws.resolve_parked_from(item_id, resolved, seen)
        })
    }

    /// Turn a parked topic into a decision of its session; the topic is resolved in the
    /// same transaction.
    pub fn park_to_decision(&self, item_id: i64) -> Result<Session> {
        self.write(
            Area::Decisions,
            |s: &Session| Some(s.id),
            |ws| {
                let (session_id, text) = ws.parked_topic(item_id)?;
                ws.resolve_parked(item_id, true)?;
                ws.log_decision(session_id, &text)
            },
        )
    }

    /// Turn a parked topic into an action item of its session (owner and due date are set
    /// on the action list); the topic is resolved in the same transaction.
    pub fn park_to_action(&self, item_id: i64) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |a: &ActionItem| Some(a.id),
            |ws| {
                let (session_id, text) = ws.parked_topic(item_id)?;
                ws.resolve_parked(item_id, true)?;
                ws.add_action(&ActionInput {
                    text,
                    owner_id: None,
                    due: None,
                    session_id: Some(session_id),
                })
            },
        )
    }
}
