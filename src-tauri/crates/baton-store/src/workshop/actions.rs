//! Action items: what someone does by when, open ones first.

use super::{changed_one, wall_clock_now};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::workshop::{format_date, ActionInput, ActionItem, ActionStatus};
use baton_core::{BatonError, Result};
use rusqlite::params;

/// Action items.
pub trait ActionStore {
    fn add_action(&self, input: &ActionInput) -> Result<ActionItem>;

    fn update_action(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
    ) -> Result<ActionItem>;

    fn set_action_status(&self, id: i64, status: ActionStatus) -> Result<ActionItem>;

    fn delete_action(&self, id: i64) -> Result<()>;

    /// Every action item across sessions: open ones first, by due date.
    fn actions(&self) -> Result<Vec<ActionItem>>;
}

impl ActionStore for Workspace {
    fn add_action(&self, input: &ActionInput) -> Result<ActionItem> {
        let due = input.validate()?;
        if let Some(o) = input.owner_id {
            self.person(o)?;
        }
        if let Some(s) = input.session_id {
            self.session(s)?;
        }
        self.conn
            .execute(
                "INSERT INTO action_items(text, owner_id, due, session_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    input.text.trim(),
                    input.owner_id,
                    due,
                    input.session_id,
                    wall_clock_now()
                ],
            )
            .ctx("adding action item")?;
        let id = self.conn.last_insert_rowid();
        self.action(id)
    }

    fn update_action(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
    ) -> Result<ActionItem> {
        let due = input.validate()?;
        if let Some(o) = input.owner_id {
            self.person(o)?;
        }
        let n = self
            .conn
            .execute(
                "UPDATE action_items SET text = ?2, owner_id = ?3, due = ?4, status = ?5 WHERE id = ?1",
                params![id, input.text.trim(), input.owner_id, due, status.as_str()],
            )
            .ctx("updating action item")?;
        changed_one(n, &format!("action item {id}"))?;
        self.action(id)
    }

    fn set_action_status(&self, id: i64, status: ActionStatus) -> Result<ActionItem> {
        let n = self
            .conn
            .execute(
                "UPDATE action_items SET status = ?2 WHERE id = ?1",
                params![id, status.as_str()],
            )
            .ctx("updating action item")?;
        changed_one(n, &format!("action item {id}"))?;
        self.action(id)
    }

    fn delete_action(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM action_items WHERE id = ?1", [id])
            .ctx("deleting action item")?;
        changed_one(n, &format!("action item {id}"))?;
        Ok(())
    }

    fn actions(&self) -> Result<Vec<ActionItem>> {
        self.actions_where("", None)
    }
}

impl Workspace {
    fn actions_where(&self, filter: &str, arg: Option<i64>) -> Result<Vec<ActionItem>> {
        let today = today_start();
        let sql = format!(
            "SELECT a.id, a.text, a.owner_id, p.name, a.due, a.status, a.session_id
             FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
             {filter}
             ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id"
        );
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<ActionItem> {
            Ok(action_of(
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                r.get(4)?,
                &r.get::<_, String>(5)?,
                r.get(6)?,
                today,
            ))
        };
        match arg {
            Some(a) => self.query_list("reading action items", &sql, [a], map),
            None => self.query_list("reading action items", &sql, [], map),
        }
    }

    fn action(&self, id: i64) -> Result<ActionItem> {
        self.actions_where("WHERE a.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| no_action(id))
    }
}

/// The start of today (wall clock, as dates are stored): due before it is overdue.
pub(crate) fn today_start() -> i64 {
    let now = wall_clock_now();
    now - now.rem_euclid(86_400)
}

/// An action item as read: (id, text, owner id, owner name), due date, stored status,
/// session; overdue when not done and due before `today`.
pub(crate) fn action_of(
    (id, text, owner_id, owner_name): (i64, String, Option<i64>, Option<String>),
    due: Option<i64>,
    status: &str,
    session_id: Option<i64>,
    today: i64,
) -> ActionItem {
    let status = ActionStatus::parse(status).unwrap_or(ActionStatus::Open);
    ActionItem {
        id,
        text,
        owner_id,
        owner_name,
        due: due.map(format_date),
        status,
        session_id,
        overdue: status != ActionStatus::Done && due.is_some_and(|d| d < today),
    }
}

/// The message of an action item that is not there.
pub(crate) fn no_action(id: i64) -> BatonError {
    BatonError::not_found(format!("action item {id} does not exist"))
}
