//! Row versions on PostgreSQL: the check and the bump of `crate::row_version` (the rule
//! and its message live there), on the caller's transaction.
use super::agreements::ctx;
use crate::row_version::{fields_since, is_stale, stale_change, Change, RowEdit};
use baton_core::Result;
use tokio_postgres::GenericClient;

/// Refuse `change` of `edit`'s row when the caller's version is not `current` (inside
/// the write transaction that then writes, after reading the row).
pub(super) async fn check_row_version(
    c: &impl GenericClient,
    edit: &RowEdit<'_>,
    current: i64,
    change: Change,
) -> Result<()> {
    let Some(seen) = edit.seen.filter(|&seen| is_stale(Some(seen), current)) else {
        return Ok(());
    };
    let rows = c
        .query(
            "SELECT fields FROM row_edits WHERE tbl = $1 AND row_id = $2 AND version > $3
             ORDER BY version",
            &[&edit.table, &edit.id, &seen],
        )
        .await
        .map_err(ctx("reading what changed"))?;
    let fields = fields_since(rows.iter().map(|r| r.get::<_, String>(0)));
    Err(stale_change(edit.thing, &fields, change))
}

/// Record that `fields` of `edit`'s row changed (its version goes from `current` to the
/// next); nothing when no field changed. The new version.
pub(super) async fn bump_row_version(
    c: &impl GenericClient,
    edit: &RowEdit<'_>,
    current: i64,
    fields: &[&str],
) -> Result<i64> {
    if fields.is_empty() {
        return Ok(current);
    }
    let next = current + 1;
    c.execute(
        &format!("UPDATE {} SET row_version = $2 WHERE id = $1", edit.table),
        &[&edit.id, &next],
    )
    .await
    .map_err(ctx("bumping the row version"))?;
    c.execute(
        "INSERT INTO row_edits(tbl, row_id, version, fields) VALUES ($1, $2, $3, $4)",
        &[&edit.table, &edit.id, &next, &fields.join(",")],
    )
    .await
    .map_err(ctx("recording what changed"))?;
    Ok(next)
}

/// Delete `edit`'s row, refused when the caller's version is not `current`, and forget
/// what changed in it. The number of rows deleted. `what` names the step in an error.
pub(super) async fn delete_versioned_row(
    c: &impl GenericClient,
    edit: &RowEdit<'_>,
    current: i64,
    what: &'static str,
) -> Result<u64> {
    check_row_version(c, edit, current, Change::Delete).await?;
    let n = c
        .execute(
            &format!("DELETE FROM {} WHERE id = $1", edit.table),
            &[&edit.id],
        )
        .await
        .map_err(ctx(what))?;
    forget_row_edits(c, edit.table, edit.id).await?;
    Ok(n)
}

/// Forget what changed in a deleted row.
pub(super) async fn forget_row_edits(
    c: &impl GenericClient,
    table: &'static str,
    id: i64,
) -> Result<()> {
    c.execute(
        "DELETE FROM row_edits WHERE tbl = $1 AND row_id = $2",
        &[&table, &id],
    )
    .await
    .map_err(ctx("forgetting what changed"))?;
    Ok(())
}
