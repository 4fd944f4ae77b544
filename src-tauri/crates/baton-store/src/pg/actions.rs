//! [`ActionStore`] on PostgreSQL: open items first, then by due date (none last), then id,
//! as the file lists them.
use super::in_tx::{person_name, session_agenda};
use super::row_version::{bump_row_version, check_row_version, delete_versioned_row};
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::prelude::ActionStore;
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::workshop::{
    action_changes, action_of, action_thing, no_action, today_start, wall_clock_now,
};
use baton_core::workshop::{ActionInput, ActionItem, ActionStatus};
use baton_core::Result;
use tokio_postgres::{GenericClient, Row};

const ACTIONS_SQL: &str = "SELECT a.id, a.text, a.owner_id, p.name, a.due, a.status, a.session_id,
     a.row_version FROM action_items a LEFT JOIN people p ON p.id = a.owner_id";
const ACTIONS_ORDER: &str = " ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id";

fn action_row(r: &Row, today: i64) -> ActionItem {
    action_of(
        (r.get(0), r.get(1), r.get(2), r.get(3)),
        r.get(4),
        r.get(5),
        (r.get(6), r.get(7)),
        today,
    )
}

/// Action item `id` as it stands, read on `c` (inside the caller's transaction).
async fn action_in(c: &impl GenericClient, id: i64) -> Result<ActionItem> {
    let today = today_start();
    c.query_opt(&format!("{ACTIONS_SQL} WHERE a.id = $1"), &[&id])
        .await
        .map_err(|e| pg_err("reading action items", e))?
        .map(|r| action_row(&r, today))
        .ok_or_else(|| no_action(id))
}

impl PgWorkspace {
    fn action(&self, id: i64) -> Result<ActionItem> {
        let today = today_start();
        self.query_opt_row(
            "reading action items",
            &format!("{ACTIONS_SQL} WHERE a.id = $1"),
            &[&id],
            |r| action_row(r, today),
        )?
        .ok_or_else(|| no_action(id))
    }
}

impl ActionStore for PgWorkspace {
    fn add_action(&self, input: &ActionInput) -> Result<ActionItem> {
        let due = input.validate()?;
        let text = input.text.trim();
        refuse_nul("the action item", text)?;
        let id = self.write_tx("adding action item", async |tx| {
            if let Some(o) = input.owner_id {
                person_name(&**tx, o).await?;
            }
            if let Some(s) = input.session_id {
                session_agenda(&**tx, s).await?;
            }
            let row = tx
                .query_one(
                    "INSERT INTO action_items(text, owner_id, due, session_id, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    &[
                        &text,
                        &input.owner_id,
                        &due,
                        &input.session_id,
                        &wall_clock_now(),
                    ],
                )
                .await
                .map_err(|e| pg_err("adding action item", e))?;
            Ok(row.get::<_, i64>(0))
        })?;
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
        let text = input.text.trim();
        refuse_nul("the action item", text)?;
        self.write_tx("updating action item", async |tx| {
            let c = &**tx;
            let old = action_in(c, id).await?;
            if let Some(o) = input.owner_id {
                person_name(c, o).await?;
            }
            let thing = action_thing(&old);
            let edit = RowEdit { table: "action_items", id, thing: &thing, seen };
            check_row_version(c, &edit, old.row_version, Change::Edit).await?;
            c.execute(
                "UPDATE action_items SET text = $2, owner_id = $3, due = $4, status = $5 WHERE id = $1",
                &[&id, &text, &input.owner_id, &due, &status.as_str()],
            )
            .await
            .map_err(|e| pg_err("updating action item", e))?;
            let fields = action_changes(&old, text, input.owner_id, due, status);
            bump_row_version(c, &edit, old.row_version, &fields).await?;
            action_in(c, id).await
        })
    }

    fn set_action_status(
        &self,
        id: i64,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem> {
        self.write_tx("updating action item", async |tx| {
            let c = &**tx;
            let old = action_in(c, id).await?;
            let thing = action_thing(&old);
            let edit = RowEdit {
                table: "action_items",
                id,
                thing: &thing,
                seen,
            };
            check_row_version(c, &edit, old.row_version, Change::Edit).await?;
            c.execute(
                "UPDATE action_items SET status = $2 WHERE id = $1",
                &[&id, &status.as_str()],
            )
            .await
            .map_err(|e| pg_err("updating action item", e))?;
            let fields = changed_fields(&[("status", old.status != status)]);
            bump_row_version(c, &edit, old.row_version, &fields).await?;
            action_in(c, id).await
        })
    }

    fn delete_action(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting action item", async |tx| {
            let c = &**tx;
            let old = action_in(c, id).await?;
            let thing = action_thing(&old);
            let edit = RowEdit {
                table: "action_items",
                id,
                thing: &thing,
                seen,
            };
            delete_versioned_row(c, &edit, old.row_version, "deleting action item").await?;
            Ok(())
        })
    }

    fn actions(&self) -> Result<Vec<ActionItem>> {
        let today = today_start();
        self.query_rows(
            "reading action items",
            &format!("{ACTIONS_SQL}{ACTIONS_ORDER}"),
            &[],
            |r| action_row(r, today),
        )
    }
}
