//! Action items: what someone does by when, open ones first.

use super::wall_clock_now;
use crate::prelude::*;
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::{DbContext, Workspace};
use baton_core::workshop::{format_date, ActionInput, ActionItem, ActionStatus};
use baton_core::{BatonError, Result};
use rusqlite::params;

/// Action items.
pub trait ActionStore {
    fn add_action(&self, input: &ActionInput) -> Result<ActionItem>;

    /// Change an action item. `seen`: the [`ActionItem::row_version`] the change is based
    /// on; refused with `conflict` (nothing changed) when someone changed it since.
    fn update_action(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem>;

    /// Set an action item's status; `seen` as for [`Self::update_action`].
    fn set_action_status(
        &self,
        id: i64,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem>;

    /// Delete an action item; `seen` as for [`Self::update_action`].
    fn delete_action(&self, id: i64, seen: Option<i64>) -> Result<()>;

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
        seen: Option<i64>,
    ) -> Result<ActionItem> {
        let due = input.validate()?;
        self.write_tx("updating action item", |ws| {
            let old = ws.action(id)?;
            if let Some(o) = input.owner_id {
                ws.person(o)?;
            }
            let thing = action_thing(&old);
            let edit = RowEdit { table: "action_items", id, thing: &thing, seen };
            ws.check_row_version(&edit, old.row_version, Change::Edit)?;
            ws.conn
                .execute(
                    "UPDATE action_items SET text = ?2, owner_id = ?3, due = ?4, status = ?5 WHERE id = ?1",
                    params![id, input.text.trim(), input.owner_id, due, status.as_str()],
                )
                .ctx("updating action item")?;
            let fields = action_changes(&old, input.text.trim(), input.owner_id, due, status);
            ws.bump_row_version(&edit, old.row_version, &fields)?;
            ws.action(id)
        })
    }

    fn set_action_status(
        &self,
        id: i64,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem> {
        self.write_tx("updating action item", |ws| {
            let old = ws.action(id)?;
            let thing = action_thing(&old);
            let edit = RowEdit {
                table: "action_items",
                id,
                thing: &thing,
                seen,
            };
            ws.check_row_version(&edit, old.row_version, Change::Edit)?;
            ws.conn
                .execute(
                    "UPDATE action_items SET status = ?2 WHERE id = ?1",
                    params![id, status.as_str()],
                )
                .ctx("updating action item")?;
            let fields = changed_fields(&[("status", old.status != status)]);
            ws.bump_row_version(&edit, old.row_version, &fields)?;
            ws.action(id)
        })
    }

    fn delete_action(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting action item", |ws| {
            let old = ws.action(id)?;
            let thing = action_thing(&old);
            let edit = RowEdit {
                table: "action_items",
                id,
                thing: &thing,
                seen,
            };
            ws.delete_versioned_row(&edit, old.row_version, "deleting action item")?;
            Ok(())
        })
    }

    fn actions(&self) -> Result<Vec<ActionItem>> {
        self.actions_where("", None)
    }
}

impl Workspace {
    fn actions_where(&self, filter: &str, arg: Option<i64>) -> Result<Vec<ActionItem>> {
        let today = today_start();
        let sql = format!(
            "SELECT a.id, a.text, a.owner_id, p.name, a.due, a.status, a.session_id, a.row_version
             FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
             {filter}
             ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id"
        );
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<ActionItem> {
            Ok(action_of(
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                r.get(4)?,
                &r.get::<_, String>(5)?,
                (r.get(6)?, r.get(7)?),
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
/// (session, row version); overdue when not done and due before `today`.
pub(crate) fn action_of(
    (id, text, owner_id, owner_name): (i64, String, Option<i64>, Option<String>),
    due: Option<i64>,
    status: &str,
    (session_id, row_version): (Option<i64>, i64),
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
        row_version,
    }
}

/// An action item as its conflict message names it.
pub(crate) fn action_thing(a: &ActionItem) -> String {
    format!("Action item \"{}\"", a.text)
}

/// What an update of `old` to these values changes, as its conflict message names it.
pub(crate) fn action_changes(
    old: &ActionItem,
    text: &str,
    owner_id: Option<i64>,
    due: Option<i64>,
    status: ActionStatus,
) -> Vec<&'static str> {
    changed_fields(&[
        ("text", old.text != text),
        ("owner", old.owner_id != owner_id),
        ("due date", old.due != due.map(format_date)),
        ("status", old.status != status),
    ])
}

/// The message of an action item that is not there.
pub(crate) fn no_action(id: i64) -> BatonError {
    BatonError::not_found(format!("action item {id} does not exist"))
}
