//! Action items: what someone does by when, open ones first.

use super::{changed_one, wall_clock_now};
use crate::{DbContext, Workspace};
use baton_core::workshop::{format_date, ActionInput, ActionItem, ActionStatus};
use baton_core::{BatonError, Result};
use rusqlite::params;

impl Workspace {
    pub fn add_action(&self, input: &ActionInput) -> Result<ActionItem> {
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

    pub fn update_action(
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

    pub fn set_action_status(&self, id: i64, status: ActionStatus) -> Result<ActionItem> {
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

    pub fn delete_action(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM action_items WHERE id = ?1", [id])
            .ctx("deleting action item")?;
        changed_one(n, &format!("action item {id}"))?;
        Ok(())
    }

    fn actions_where(&self, filter: &str, arg: Option<i64>) -> Result<Vec<ActionItem>> {
        let today = {
            let now = wall_clock_now();
            now - now.rem_euclid(86_400)
        };
        let sql = format!(
            "SELECT a.id, a.text, a.owner_id, p.name, a.due, a.status, a.session_id
             FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
             {filter}
             ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id"
        );
        let mut stmt = self.conn.prepare(&sql).ctx("reading action items")?;
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<ActionItem> {
            let due: Option<i64> = r.get(4)?;
            let status = ActionStatus::parse(&r.get::<_, String>(5)?).unwrap_or(ActionStatus::Open);
            Ok(ActionItem {
                id: r.get(0)?,
                text: r.get(1)?,
                owner_id: r.get(2)?,
                owner_name: r.get(3)?,
                due: due.map(format_date),
                status,
                session_id: r.get(6)?,
                overdue: status != ActionStatus::Done && due.is_some_and(|d| d < today),
            })
        };
        let rows = match arg {
            Some(a) => stmt.query_map([a], map),
            None => stmt.query_map([], map),
        }
        .ctx("reading action items")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading action items")
    }

    fn action(&self, id: i64) -> Result<ActionItem> {
        self.actions_where("WHERE a.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| BatonError::not_found(format!("action item {id} does not exist")))
    }

    /// Every action item across sessions: open ones first, by due date.
    pub fn actions(&self) -> Result<Vec<ActionItem>> {
        self.actions_where("", None)
    }
}
